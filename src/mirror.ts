import { Construct } from 'constructs';
import { CompositeRoute } from './composite-route';
import { Destination } from './destination';
import { MirrorMethods, MirrorTarget } from './mirror-policy';
import { PresetRouteOptions } from './preset-route';
import { presetRoute } from './private/preset-route';
import { ruleSite } from './private/render/route-rule';
import { RulePolicies } from './route-rule';
import { Subset } from './subsets';

/** Props of `Mirror`. */
export interface MirrorProps extends RulePolicies, PresetRouteOptions {
  /** The subset that serves every request and answers the client. */
  readonly primary: Subset;

  /** Subsets that receive copies of the requests; their responses are discarded. */
  readonly targets: MirrorTarget[];

  /**
   * Which methods are mirrored. Copies are real requests: a mirrored POST runs twice against shared
   * databases and payment providers, so by default only GET, HEAD and OPTIONS are copied.
   * @default MirrorMethods.safe()
   */
  readonly methods?: MirrorMethods;

  /**
   * Name of the rule (with mirroring limited to some methods, the copying rule gets `-mirrored` appended).
   * @default - the rule has no name
   */
  readonly ruleName?: string;
}

/**
 * Traffic shadowing: every request is served by the primary subset, and a share of them is copied to other
 * subsets whose responses are dropped. Use it to put production load on a canary before it answers anyone.
 *
 * Only read-only methods are copied unless `methods` says otherwise: requests that look the same as the
 * original but execute twice are how mirroring charges customers twice. The copy keeps the original Host
 * header (Istio 1.28+ no longer appends `-shadow`), so tell copies apart by destination metrics, not by Host.
 *
 * @example
 * new Mirror(chart, 'shadow', {
 *   primary: subsets.subset('v1'),
 *   targets: [{ subset: subsets.subset('v2'), percentage: 10 }],
 * });
 */
export class Mirror extends Construct {
  /** The route the mirroring rules are in. */
  public readonly route: CompositeRoute;

  constructor(scope: Construct, id: string, props: MirrorProps) {
    super(scope, id);
    const subsets = props.primary.subsets;
    this.route = presetRoute(this, subsets, props);
    // The rule's parts as the props name them; a second default, or a name or copied methods that clash
    // with a rule there already, is a problem of the route it is added to.
    const site = ruleSite(this, '', { '': 'route', 'name': 'ruleName', 'to': 'primary', 'to[0]': 'primary', 'mirror': '', 'match': 'methods' });
    this.route._addDefaultRule(site, props.ruleName, {
      timeout: props.timeout,
      retries: props.retries,
      headers: props.headers,
      fault: props.fault,
      to: Destination.split([{ subset: props.primary, weight: 100 }]),
      mirror: { targets: props.targets, methods: props.methods },
    }, `the mirror ${this.node.path}`);
  }
}
