import { IConstruct } from 'constructs';
import { HeaderOperations } from './header-operations';
import { VirtualServiceSpecHttpRoute } from './imports/istio-networking.istio.io';
import { checkInteger, report } from './private/checks';
import { fail, q } from './private/errors';
import { headerOperationsToIstio } from './private/render/header-operations';
import { weightSumFinding } from './private/validation/virtual-service-checks';
import { Subset } from './subsets';

/** One destination of a weighted split. */
export interface WeightedSubset {
  /** The subset that receives this share. */
  readonly subset: Subset;

  /** Share of the rule's requests, a whole percentage from 0 to 100; the weights of a split sum to 100. */
  readonly weight: number;

  /**
   * Header changes for requests sent to this subset only. Timeouts, retries and other policies belong to
   * the rule, not to one destination: Istio has no per-destination policy.
   * @default - none
   */
  readonly headers?: HeaderOperations;
}

/** Options of a single-subset destination. */
export interface SubsetDestinationOptions {
  /**
   * Header changes for requests sent to the subset.
   * @default - none
   */
  readonly headers?: HeaderOperations;
}

/** Where a rule sends the requests it matches: one subset, or a weighted split between subsets. */
export class Destination {
  /** All requests go to one subset. */
  public static subset(subset: Subset, options: SubsetDestinationOptions = {}): Destination {
    return new Destination([{ subset, weight: 100, headers: options.headers }], false);
  }

  /**
   * Requests are split between subsets by weight, chosen at random per request. Weights are percentages
   * and must sum to 100: stricter than Istio, which takes other sums as ratios (a warning of the checker,
   * VS_WEIGHT_SUM_NOT_100), so that the YAML shows each subset's share.
   */
  public static split(weights: WeightedSubset[]): Destination {
    return new Destination(weights, true);
  }

  private constructor(
    /** @internal */ public readonly _weights: WeightedSubset[],
    private readonly weighted: boolean,
  ) {}

  /** The subsets this destination sends requests to (a weight of 0 sends none). */
  public get subsets(): Subset[] {
    return this._weights.filter((w) => w.weight > 0).map((w) => w.subset);
  }

  /**
   * The same destination with each subset's header changes replaced by `headers` of them and the path of
   * the subset's entry below `to` (`_entry`). @internal
   */
  public _withHeaders(headers: (current: HeaderOperations | undefined, entry: string) => HeaderOperations | undefined): Destination {
    return new Destination(this._weights.map((w, i) => ({ ...w, headers: headers(w.headers, this._entry(i)) })), this.weighted);
  }

  /** The path of the `i`th destination below the rule's `to`: `[i]` in a split, nothing for one subset. @internal */
  public _entry(i: number): string {
    return this.weighted ? `[${i}]` : '';
  }

  /**
   * The rule's `route`. `field` gives the path the user wrote of a part below the rule's `to` (`''`, `[1].weight`).
   * @internal
   */
  public _toIstio(scope: IConstruct, field: (part: string) => string, ruleName: string): VirtualServiceSpecHttpRoute[] {
    const weights = this._weights;
    if (weights.length === 0) {
      fail(scope, field(''), `the split of rule ${q(ruleName)} is empty; give it at least one subset`);
    }
    const seen = new Set<Subset>();
    weights.forEach((w, i) => {
      if (this.weighted) checkInteger(scope, field(`${this._entry(i)}.weight`), w.weight, 0, 100);
      if (seen.has(w.subset)) {
        fail(scope, field(this._entry(i)), `subset ${q(w.subset.name)} appears twice in the split of rule ${q(ruleName)}; give each subset one weight`);
      }
      seen.add(w.subset);
    });
    // Stricter than Istio, which weighs only routes of two or more destinations and takes other sums as
    // ratios: the weights of a split are the percentages the YAML shows (VS_WEIGHT_SUM_NOT_100 is an error).
    if (this.weighted) report(scope, field(''), weightSumFinding(weights.map((w) => w.weight)));
    return weights
      .map((w, i) => ({ w, at: this._entry(i) }))
      // Istio drops a weight-0 destination; leaving it out makes the YAML say what happens.
      .filter(({ w }) => w.weight > 0)
      .map(({ w, at }) => ({
        destination: { host: w.subset.host, subset: w.subset.name },
        weight: this.weighted ? w.weight : undefined,
        headers: w.headers && headerOperationsToIstio(scope, field(`${at}.headers`), w.headers),
      }));
  }
}
