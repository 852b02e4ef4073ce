import { Construct } from 'constructs';
import { CompositeRoute } from './composite-route';
import { WeightedSubset } from './destination';
import { Mirroring } from './mirror-policy';
import { PresetRouteOptions } from './preset-route';
import { fail } from './private/errors';
import { presetRoute } from './private/preset-route';
import { ruleSite } from './private/render/route-rule';
import { checkCookieReach, stickySplitRules } from './private/render/sticky-split';
import { RulePolicies } from './route-rule';
import { VersionCookie } from './version-cookie';

/** Props of `StickySplit`. */
export interface StickySplitProps extends RulePolicies, PresetRouteOptions {
  /** The versions and their weights (whole percentages summing to 100). */
  readonly split: WeightedSubset[];

  /**
   * The version cookie. On a route that no gateway is bound to, it must name the callers that forward it
   * (`forwardedBy`).
   * @default - a cookie named after the host, kept for a day
   */
  readonly cookie?: VersionCookie;

  /**
   * Shadow copies of the split's requests to another subset.
   * @default - no mirroring
   */
  readonly mirror?: Mirroring;

  /**
   * Name of the weighted rule; the pinning rules are named `<ruleName>-<subset>`.
   * @default 'sticky-split'
   */
  readonly ruleName?: string;
}

/**
 * A weighted split in which a user keeps the version first chosen.
 *
 * Consistent hashing cannot do this: Envoy picks the subset of a weighted route at random on every request
 * and hashes only to pick a pod inside it. So the split uses a cookie instead: each destination of the
 * weighted rule adds `Set-Cookie: <name>=<subset>.<hash of its labels>` to its responses, and one rule per
 * version, placed before the split, sends requests that carry that cookie back to the same version. The
 * pins do not send the cookie again, so `cookie.maxAge` counts from the assignment: it is a hard limit.
 *
 * A version whose weight drops to 0 is no longer pinned: requests with its cookie fall through to the split,
 * which answers from a remaining version and replaces the cookie. With one version left there is no split:
 * no cookie is set, and each version's cookie is expired (`Max-Age=0`) on the next answer.
 *
 * The cookie must reach the users' browsers: bind the route to the gateway they come through, or name the
 * callers that forward it (`cookie.forwardedBy`); a route that only sidecars use is an error otherwise.
 *
 * @example
 * new StickySplit(chart, 'sticky', {
 *   split: [
 *     { subset: subsets.subset('v1'), weight: 50 },
 *     { subset: subsets.subset('v2'), weight: 50 },
 *   ],
 *   hosts: ['shop.example.com'],
 *   gateways: ['istio-system/public'],
 * });
 */
export class StickySplit extends Construct {
  /** The route the split's rules are in. */
  public readonly route: CompositeRoute;

  /** The name of the version cookie. */
  public readonly cookieName: string;

  constructor(scope: Construct, id: string, props: StickySplitProps) {
    super(scope, id);
    // The rules' parts as the props name them; a second default, or a cookie or rule name that clashes with
    // a rule there already, is a problem of the route the split is added to.
    const site = ruleSite(this, '', { '': 'route', 'name': 'ruleName', 'to': 'split', 'match': 'cookie.name' });
    if (props.split.length === 0) {
      fail(this, 'split', 'the split is empty; give it at least one subset and weight');
    }
    const subsets = props.split[0].subset.subsets;
    this.route = presetRoute(this, subsets, props);
    checkCookieReach(this, this.route, props.route === undefined ? 'gateways' : 'route', props.cookie ?? {});
    const sticky = stickySplitRules(site, subsets, props.ruleName ?? 'sticky-split', props.split, props.cookie ?? {}, {
      timeout: props.timeout, retries: props.retries, headers: props.headers, fault: props.fault, mirror: props.mirror,
    });
    this.cookieName = sticky.cookieName;
    // Forging the version cookie only picks a version the split already serves to everyone.
    this.route._setDefault(`the sticky split ${this.node.path}`, sticky.http, site, ['cookie']);
  }
}

