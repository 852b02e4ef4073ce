import { IConstruct } from 'constructs';
import { checkInteger, checkPercentage } from './private/checks';
import { fail } from './private/errors';

/**
 * Where a `Canary` rollout stands: who gets the canary. Stages go from no public traffic to all of it, and
 * moving a rollout forward (or back) is changing the stage and nothing else.
 *
 * | stage | testers | everyone else |
 * |---|---|---|
 * | `internalOnly()` | canary | stable |
 * | `shadow(p)` | canary | stable, with p% of the read requests copied to the canary |
 * | `percent(w)` | canary | w% canary, the rest stable (sticky if the Canary says so) |
 * | `promoted()` | canary | canary |
 */
export class CanaryStage {
  /** Only the testers reach the canary, and everyone else is served by the stable version. */
  public static internalOnly(): CanaryStage {
    return new CanaryStage('internalOnly()', 0, undefined, false);
  }

  /**
   * Testers reach the canary, everyone else is served by the stable version, and a share of their requests
   * is copied to the canary, whose responses are dropped. Only the methods the Canary mirrors are copied
   * (GET, HEAD and OPTIONS unless it says otherwise).
   * @param percentage share of the requests copied, above 0 and up to 100 (fractions allowed)
   */
  public static shadow(percentage: number): CanaryStage {
    return new CanaryStage(`shadow(${percentage})`, 0, percentage, false);
  }

  /**
   * Testers reach the canary, and the canary serves `weight`% of everyone else, the stable version the rest.
   * @param weight the canary's share, a whole percentage from 1 to 99
   */
  public static percent(weight: number): CanaryStage {
    return new CanaryStage(`percent(${weight})`, weight, undefined, true);
  }

  /**
   * The canary serves every request. The stable subset gets nothing and can be retired; the next release
   * starts from this version as its stable one.
   */
  public static promoted(): CanaryStage {
    return new CanaryStage('promoted()', 100, undefined, false);
  }

  /** The stage as written in code, e.g. `percent(5)`. */
  public readonly name: string;

  /** The canary's share of the requests that are not the testers', a whole percentage (0 to 100). */
  public readonly canaryWeight: number;

  /** The share of the requests copied to the canary: set at the shadow stage only. */
  public readonly mirrorPercentage?: number;

  /** Whether the stage splits the public between the versions. @internal */
  public readonly _split: boolean;

  private constructor(name: string, canaryWeight: number, mirrorPercentage: number | undefined, split: boolean) {
    this.name = name;
    this.canaryWeight = canaryWeight;
    this.mirrorPercentage = mirrorPercentage;
    this._split = split;
  }

  /** Checks the stage's numbers, which the factories cannot report with a construct path. @internal */
  public _check(scope: IConstruct, field: string): void {
    if (this.mirrorPercentage !== undefined) {
      checkPercentage(scope, field, this.mirrorPercentage);
      if (this.mirrorPercentage === 0) {
        fail(scope, field, 'shadow(0) copies nothing; use CanaryStage.internalOnly(), or a percentage above 0');
      }
    }
    if (this._split) {
      if (this.canaryWeight === 0 || this.canaryWeight === 100) {
        fail(scope, field, `${this.name} is not a split; use CanaryStage.${this.canaryWeight === 0 ? 'internalOnly()' : 'promoted()'}, which says what it means`);
      }
      checkInteger(scope, field, this.canaryWeight, 1, 99);
    }
  }
}
