import { Construct } from 'constructs';
import { CanaryAnalysis, CanaryAnalysisOptions } from './canary-analysis';
import { CanaryDashboard, CanaryDashboardOptions } from './canary-dashboard';
import { CanaryStage } from './canary-stage';
import { CompositeRoute } from './composite-route';
import { Destination } from './destination';
import { MirrorMethods } from './mirror-policy';
import { PresetRouteOptions } from './preset-route';
import { builtFrom, fail, joinField, q } from './private/errors';
import { presetRoute } from './private/preset-route';
import { renderRule, ruleSite, RuleSite } from './private/render/route-rule';
import { checkCookieReach, stickySplitRules, unpinRules } from './private/render/sticky-split';
import { RouteMatch } from './route-match';
import { DefaultRuleOptions, RulePolicies } from './route-rule';
import { Subset } from './subsets';
import { VersionCookie } from './version-cookie';

/** Props of `Canary`. */
export interface CanaryProps extends RulePolicies, PresetRouteOptions {
  /** The version that serves production now. */
  readonly stable: Subset;

  /** The version being rolled out, a subset of the same host. */
  readonly canary: Subset;

  /**
   * Where the rollout stands. Moving it forward or back is changing this and nothing else.
   */
  readonly stage: CanaryStage;

  /**
   * Who the internal testers are: match conditions (any of which makes a request a tester's), such as a
   * header set by the company's SSO proxy or the `sourceLabels` of a QA workload. Their rule comes first and
   * sends them to the canary at every stage before `promoted()`.
   * @default - no testers; `CanaryStage.internalOnly()` then has nobody to send to the canary and is refused
   */
  readonly testers?: RouteMatch[];

  /**
   * Keep each user on the version first chosen while the public is split (`CanaryStage.percent()`), with a
   * version cookie (see `StickySplit`), for at most `cookie.maxAge` from the assignment. The other stages do
   * not split, so they set no cookie and end the pins: a request that carries the cookie goes where the stage
   * sends everyone, and the answer expires it. So after a rollback to `internalOnly()`, a user is pinned
   * again only by a new assignment, at the weight of the stage that follows.
   *
   * The cookie must reach the users' browsers: the route must be bound to a gateway, or `cookie.forwardedBy`
   * must name the callers that forward it.
   * @default false
   */
  readonly sticky?: boolean;

  /**
   * The version cookie of a sticky split (only with `sticky: true`).
   * @default - a cookie named after the host, kept for a day
   */
  readonly cookie?: VersionCookie;

  /**
   * Which methods are copied at the shadow stage (`CanaryStage.shadow()`); other stages copy nothing.
   * Copies are real requests: a copied POST runs twice against shared databases.
   * @default MirrorMethods.safe()
   */
  readonly mirrorMethods?: MirrorMethods;

  /**
   * Write the PrometheusRule (recording rules and alerts that compare the versions) and the Grafana
   * dashboard. Needs the Prometheus Operator's CRDs in the cluster.
   * @default true
   */
  readonly monitoring?: boolean;

  /**
   * Thresholds and settings of the PrometheusRule.
   * @default - the defaults of `CanaryAnalysisOptions`
   */
  readonly analysis?: CanaryAnalysisOptions;

  /**
   * Settings of the dashboard ConfigMap.
   * @default - the defaults of `CanaryDashboardOptions`
   */
  readonly dashboard?: CanaryDashboardOptions;
}

/**
 * The whole rollout of a new version of a host: routes, optional version stickiness and shadowing, and the
 * metrics that compare the versions, at a stage that says who gets the canary.
 *
 * The route (one VirtualService, or an existing `CompositeRoute` given as `route`) holds the testers' rule
 * first (`testers`, to the canary), then the rule for everyone else (`public`), which the stage decides:
 * - `internalOnly()`: the stable version;
 * - `shadow(p)`: the stable version, copying p% of the read requests to the canary (a `Mirror`);
 * - `percent(w)`: w% to the canary, the rest stable (a `StickySplit` when `sticky` is set);
 * - `promoted()`: the canary, for everyone; the testers' rule is dropped as it would change nothing.
 *
 * With monitoring on (the default), a `CanaryAnalysis` (PrometheusRule) compares the versions' 5xx ratio
 * and p99 latency, and alerts when the canary receives no requests at a stage that gives it weight; a
 * `CanaryDashboard` (ConfigMap for Grafana) plots them.
 *
 * @example
 * new Canary(chart, 'cart', {
 *   stable: subsets.subset('v1'),
 *   canary: subsets.subset('v2'),
 *   testers: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
 *   stage: CanaryStage.percent(5),
 * });
 */
export class Canary extends Construct {
  /** Where the rollout stands. */
  public readonly stage: CanaryStage;

  /** The route that holds the rollout's rules. */
  public readonly route: CompositeRoute;

  /** The PrometheusRule that compares the versions (undefined with monitoring off). */
  public readonly analysis?: CanaryAnalysis;

  /** The Grafana dashboard (undefined with monitoring off). */
  public readonly dashboard?: CanaryDashboard;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id);
    const { stable, canary, stage } = props;
    this.stage = stage;
    stage._check(this, 'stage');
    if (stable.subsets !== canary.subsets) {
      fail(this, 'canary', `subset ${q(canary.name)} is of ${q(canary.host)} (${canary.subsets.node.path}), not of the stable ${q(stable.host)}; roll out a subset of that host`);
    }
    if (stable === canary) {
      fail(this, 'canary', `subset ${q(canary.name)} is both the stable version and the canary; the canary is the new version's subset`);
    }
    if (props.cookie !== undefined && !props.sticky) {
      fail(this, 'cookie', 'the version cookie is only used by a sticky split; set sticky: true or remove cookie');
    }
    const testers = props.testers ?? [];
    if (stage.name === CanaryStage.internalOnly().name && testers.length === 0) {
      fail(this, 'testers', 'CanaryStage.internalOnly() sends only the testers to the canary, but there are none; name them (a header or sourceLabels match) or choose another stage');
    }

    this.route = presetRoute(this, stable.subsets, props);
    if (props.sticky) checkCookieReach(this, this.route, props.route === undefined ? 'gateways' : 'route', props.cookie ?? {});
    const policies: RulePolicies = { timeout: props.timeout, retries: props.retries, headers: props.headers, fault: props.fault };
    if (testers.length > 0 && stage.canaryWeight < 100) {
      // A rule that cannot join the route (after its default, or with a name it has already) is a problem of `route`.
      const site = ruleSite(this, '', { '': 'route', 'name': 'route', 'match': 'testers', 'to': 'canary' });
      this.route._addRule(site, 'testers', { match: testers, to: Destination.subset(canary), ...policies });
    }
    this.addPublicRule(props, policies);

    if (props.monitoring ?? true) {
      // Made from the Canary's props: their problems are reported at the Canary's fields.
      const fromCanary: { [field: string]: string } = { stable: 'stable', canary: 'canary', canaryWeight: 'stage' };
      this.analysis = builtFrom(this, 'Analysis', (field) => fromCanary[field] ?? joinField('analysis', field),
        () => new CanaryAnalysis(this, 'Analysis', { ...props.analysis, stable, canary, canaryWeight: stage.canaryWeight }));
      const analysis = this.analysis;
      this.dashboard = builtFrom(this, 'Dashboard', (field) => joinField('dashboard', field),
        () => new CanaryDashboard(this, 'Dashboard', { ...props.dashboard, analysis }));
    }
  }

  // The rule for everyone else, which the stage decides; its parts are the stage's and the subsets'.
  private addPublicRule(props: CanaryProps, policies: RulePolicies): void {
    const { stable, canary, stage } = props;
    const route = this.route;
    const site = (renames: { [part: string]: string }) => ruleSite(this, '', { '': 'route', 'name': 'route', ...renames });
    // A stage that does not split: with stickiness, the pins of both versions end before its rule.
    const unsplit = (at: RuleSite, options: DefaultRuleOptions) => {
      if (!props.sticky) return route._addDefaultRule(at, 'public', options);
      const unpins = unpinRules(at, stable.subsets, 'public', [stable, canary], props.cookie ?? {}, options);
      // Forging the version cookie only reaches the version the stage serves to everyone.
      route._setDefault('rule "public"', [...unpins, ...renderRule(at, stable.subsets, 'public', undefined, options)], at, ['cookie']);
    };
    if (stage.mirrorPercentage !== undefined) {
      const at = site({ 'to': 'stable', 'to[0]': 'stable', 'mirror.targets': 'stage', 'mirror.targets[0]': 'stage', 'mirror.methods': 'mirrorMethods', 'match': 'mirrorMethods' });
      unsplit(at, {
        ...policies,
        to: Destination.split([{ subset: stable, weight: 100 }]),
        mirror: { targets: [{ subset: canary, percentage: stage.mirrorPercentage }], methods: props.mirrorMethods },
      });
    } else if (stage.canaryWeight > 0 && stage.canaryWeight < 100) {
      const split = [{ subset: stable, weight: 100 - stage.canaryWeight }, { subset: canary, weight: stage.canaryWeight }];
      const at = site({ 'to': 'stage', 'to[0]': 'stable', 'to[1]': 'canary', 'match': 'cookie.name' });
      if (props.sticky) {
        const sticky = stickySplitRules(at, stable.subsets, 'public', split, props.cookie ?? {}, policies);
        // Forging the version cookie only picks a version the split already serves to everyone.
        route._setDefault('rule "public"', sticky.http, at, ['cookie']);
      } else {
        route._addDefaultRule(at, 'public', { to: Destination.split(split), ...policies });
      }
    } else {
      const to = stage.canaryWeight === 100 ? 'canary' : 'stable';
      unsplit(site({ to, match: 'cookie.name' }), { to: Destination.subset(props[to]), ...policies });
    }
  }
}
