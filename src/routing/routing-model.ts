import { Chart } from 'cdk8s';
import { HostRouting } from './host-routing';
import { RoutingDiff } from './routing-diff';
import { RoutingOutcome } from './routing-outcome';
import { SimulatedRequest } from './simulated-request';
import { BuiltHost, buildRouting } from '../private/routing/build-routing';
import { diffRouting } from '../private/routing/diff-hosts';
import { convertHttpRoutes } from '../private/routing/http-route-conversion';
import { renderMarkdown } from '../private/routing/render-markdown';
import { renderMermaid } from '../private/routing/render-mermaid';
import { renderText } from '../private/routing/render-text';
import { simulate } from '../private/routing/simulate';

/**
 * The routing of every host in a set of Istio manifests, for review and for tests of routing intent.
 *
 * It reads VirtualServices and DestinationRules of any `networking.istio.io` version, whoever wrote them,
 * and Gateway API HTTPRoutes as the VirtualServices Istio makes of them (a backendRef to a version Service,
 * `<service>-<version>` with the host's selector plus version labels, reads as that version of the host,
 * when the Services are in the manifests), and follows what Istio does: rules in order with the first match winning, alternatives of `match` ORed
 * and their fields ANDed, weights as shares of their sum, mirrors at 100% unless a percentage says
 * otherwise, source conditions matching sidecar traffic only, regexes matching whole values.
 *
 * @example
 * const routing = RoutingModel.fromChart(chart);
 * console.log(routing.toText());
 * const outcome = routing.simulate({ headers: { 'x-canary-user': 'true' } });
 * // outcome.destinations: [{ host: 'checkout-service.prod.svc.cluster.local', subset: 'v2', probability: 1 }]
 */
export class RoutingModel {
  /**
   * Reads the routing from manifests as plain objects (parsed YAML or `chart.toJson()`); objects other than
   * VirtualServices, DestinationRules, HTTPRoutes and the Services they name are ignored.
   * @param manifests Kubernetes objects
   */
  public static fromManifests(manifests: any[]): RoutingModel {
    const converted = convertHttpRoutes(manifests);
    // The diff reads header operations from the VirtualServices Istio makes of the HTTPRoutes, as from any other.
    return new RoutingModel(buildRouting(manifests, converted), [...manifests, ...converted.virtualServices]);
  }

  /** Reads the routing a chart synthesizes. */
  public static fromChart(chart: Chart): RoutingModel {
    return RoutingModel.fromManifests(chart.toJson());
  }

  /**
   * What changed in the routing from `before` to `after`, per host: rules, shares, mirrors, policies,
   * subsets, traffic policies, version cookies, and the share of a typical request each subset receives.
   * Alerts of PrometheusRules in the manifests (such as `CanaryAnalysis`'s) are reported with the host
   * they watch.
   * @param before the routing before the change, e.g. of the base branch
   * @param after the routing after the change
   */
  public static diff(before: RoutingModel, after: RoutingModel): RoutingDiff {
    const side = (m: RoutingModel) => ({ built: m.built, manifests: m.manifests });
    const { hosts, otherAlerts } = diffRouting(side(before), side(after));
    return RoutingDiff._of(hosts, otherAlerts, after.hosts);
  }

  private readonly built: BuiltHost[];
  // Kept for the diff, which reads what the model does not carry (header operations, traffic policies, alerts).
  private readonly manifests: any[];

  private constructor(built: BuiltHost[], manifests: any[]) {
    this.built = built;
    this.manifests = manifests;
  }

  /**
   * The routing of each host, sorted by host: one entry per host and VirtualService, and one for each
   * host that only a DestinationRule names.
   */
  public get hosts(): HostRouting[] {
    return this.built.map((h) => h.routing);
  }

  /**
   * Where a request goes: the rule that matches it and the chance of each destination, and what is copied
   * where. Throws when the request's host is not routed here, or names no host while several are.
   * @param request the request; every field has a default
   */
  public simulate(request: SimulatedRequest = {}): RoutingOutcome {
    return simulate(this.built, request);
  }

  /**
   * A plain-text table per host (rule | when | goes to | mirror | timeout / retries | sticky).
   *
   * Lines are at most 120 columns wide where words allow: a wider table leaves out the mirror and sticky
   * columns when no rule has one, and wraps its widest cells onto indented lines within their column.
   */
  public toText(): string {
    return renderText(this.hosts);
  }

  /** A Mermaid flowchart of every host's rules. */
  public toMermaid(): string {
    return renderMermaid(this.hosts);
  }

  /** Markdown with each host's table and flowchart, for a pull-request comment. */
  public toMarkdown(): string {
    return renderMarkdown(this.hosts);
  }
}
