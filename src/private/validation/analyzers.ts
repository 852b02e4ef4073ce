/**
 * What `istioctl analyze` and the webhook's warnings find beyond single fields: unreachable rules and
 * shadowed matches, mirrors onto the serving subset, source matches on gateways, retry budgets, and
 * across objects, subsets no DestinationRule defines and VirtualServices competing for one host.
 */
import { RuleFinding } from './catalog';
import { checkForgeableMatches } from './forgeable-match';
import { checkGatewayBypass } from './gateway-bypass';
import { checkGatewayRefs } from './gateway-refs';
import { checkHashedSplits } from './hashed-split';
import { checkHttpRoutes } from './http-route-analyzers';
import { checkMatchGateways } from './match-gateways';
import { Report } from './report';
import { isPlain, list, strings } from '../json-values';
import { hostConflicts, onMesh } from '../one-route-per-host';
import { DEFAULT_ROOT_NAMESPACE, DestinationRuleLookup, ruleEntry } from './destination-rule-lookup';
import { retryBudgetProblem } from './retry-budget';
import { reachabilityFindings } from './shadowing';
import { callersOf, subsetGap, subsetGapFinding } from './subset-callers';
import { domainError, isDnsLabel, q } from './values';
import { appliesToMesh } from './virtual-service-checks';
import { expandHost } from '../routing/names';

/** An Istio object being checked, with its report. */
export interface Checked {
  readonly kind: string;
  readonly manifest: any;
  /** The object's namespace, or `default` when it has none. */
  readonly namespace: string;
  readonly report: Report;
}

/**
 * Runs the analyzers over a checked set. `otherGateways` holds the `namespace/name` of the Gateways of other
 * APIs (Kubernetes Gateway API) in the set, which VirtualServices may be bound to; `rootNamespace` is Istio's
 * (meshConfig.rootNamespace), whose DestinationRules serve callers that find none closer.
 */
export function analyze(objects: Checked[], otherGateways: Set<string> = new Set(), rootNamespace: string = DEFAULT_ROOT_NAMESPACE): void {
  // The set by kind, in one pass: every analyzer below takes its kinds from here.
  const byKind = new Map<string, Checked[]>();
  for (const o of objects) {
    const same = byKind.get(o.kind);
    if (same === undefined) byKind.set(o.kind, [o]);
    else same.push(o);
  }
  const ofKind = (kind: string) => byKind.get(kind) ?? [];
  const services = ofKind('VirtualService');
  for (const vs of services) {
    const spec = plain(vs.manifest.spec);
    const gateways = strings(spec.gateways);
    for (const kind of ['http', 'tcp', 'tls']) checkReachability(vs.report, list(spec[kind]), kind);
    list(spec.http).forEach((route, i) => {
      if (!isPlain(route)) return;
      checkMirrorTargets(vs, route, `spec.http[${i}]`);
      const budget = retryBudgetProblem(route);
      if (budget !== undefined) vs.report.add(budget.code, `spec.http[${i}].${budget.field}`, budget.message);
    });
    for (const kind of ['http', 'tcp', 'tls']) checkSourceMatches(vs.report, list(spec[kind]), kind, appliesToMesh(gateways));
  }
  checkSubsets(services, ofKind('DestinationRule'), rootNamespace);
  checkHostConflicts(services);
  for (const vs of services) checkMatchGateways(vs);
  checkHashedSplits(services, ofKind('DestinationRule'));
  checkGatewayBypass(services, objects);
  checkGatewayRefs(services, ofKind('Gateway'), otherGateways);
  for (const vs of services) checkForgeableMatches(vs);
  checkHttpRoutes(ofKind('HTTPRoute'), ofKind('Service'), services);
}

function plain(value: unknown): { [key: string]: any } {
  return isPlain(value) ? value : {};
}

/**
 * Rules that can never match and matches that are never used (VS_RULE_UNREACHABLE, VS_MATCH_SHADOWED): the
 * predicate CompositeRoute shares, see shadowing.ts. Istio's webhook warns about both.
 */
function checkReachability(r: Report, routes: any[], kind: string): void {
  for (const { rule, match, finding } of reachabilityFindings(routes, kind)) {
    r.addFinding(match === undefined ? `spec.${kind}[${rule}]` : `spec.${kind}[${rule}].match[${match}]`, finding);
  }
}

function destinationKey(destination: unknown, namespace: string): string | undefined {
  if (!isPlain(destination) || typeof destination.host !== 'string') return undefined;
  const subset = typeof destination.subset === 'string' ? destination.subset : '';
  return `${expandHost(destination.host, namespace)}|${subset}`;
}

function describe(destination: { [key: string]: any }): string {
  return destination.subset ? `subset ${q(destination.subset)} of ${q(destination.host)}` : q(destination.host);
}

function checkMirrorTargets(vs: Checked, route: { [key: string]: any }, field: string): void {
  for (const { at, finding } of mirrorsOntoServing(route, vs.namespace)) vs.report.addFinding(`${field}.${at}`, finding);
}

/**
 * MIRROR_TO_SERVING_SUBSET: the mirrors of an HTTP route whose destination (host and subset) is one the route
 * already sends requests to, its only destination or one with a weight above 0: the serving pods get each
 * copied request twice, which doubles their load and repeats side effects. Istio accepts it, so it is a
 * warning, for the checker and the constructs alike (`Mirroring.targets`). `at` is the mirror's field under
 * the route (`mirror`, or `mirrors[i].destination`) and `target` its position among the route's mirrors.
 */
export function mirrorsOntoServing(route: { [key: string]: any }, namespace: string): { at: string; target: number; finding: RuleFinding }[] {
  if (route.mirror === undefined && route.mirrors === undefined) return [];
  const destinations = list(route.route);
  const served = new Set(destinations
    .filter((d) => isPlain(d) && (destinations.length === 1 || (typeof d.weight === 'number' && d.weight > 0)))
    .map((d) => destinationKey(d.destination, namespace)));
  const mirrors: [unknown, string, number][] = [[route.mirror, 'mirror', 0],
    ...list(route.mirrors).map((m, i): [unknown, string, number] => [isPlain(m) ? m.destination : undefined, `mirrors[${i}].destination`, i])];
  return mirrors.flatMap(([mirror, at, target]) => {
    const key = destinationKey(mirror, namespace);
    if (key === undefined || !served.has(key)) return [];
    return [{
      at,
      target,
      finding: {
        code: 'MIRROR_TO_SERVING_SUBSET' as const,
        message: `the route already sends to ${describe(mirror as any)}, so the mirror makes it serve requests twice; mirror to one the route does not send to`,
      },
    }];
  });
}

// sourceLabels and sourceNamespace are compared with the proxy that routes: on a gateway, the gateway's own
// pods, so such a condition never matches there. Istio says nothing about it. An HTTP match that lists
// gateways is kept without looking at them at all (SOURCE_MATCH_IGNORED, match-gateways.ts).
function checkSourceMatches(r: Report, routes: any[], kind: string, vsMesh: boolean): void {
  routes.forEach((route, i) => {
    list(route?.match).forEach((match, j) => {
      if (!isPlain(match)) return;
      const gateways = strings(match.gateways);
      if (kind === 'http' && gateways.length > 0) return;
      const mesh = gateways.length > 0 ? gateways.includes('mesh') : vsMesh;
      if (mesh) return;
      for (const key of ['sourceLabels', 'sourceNamespace']) {
        const value = match[key];
        if (value === undefined || value === null || value === '' || (isPlain(value) && Object.keys(value).length === 0)) continue;
        r.add('SOURCE_MATCH_ON_GATEWAY', `spec.${kind}[${i}].match[${j}].${key}`,
          `${key} is the routing proxy's, here a gateway pod's, so this match never holds; add "mesh" to gateways, or match on the request`);
      }
    });
  });
}

/**
 * Every destination of a VirtualService with its field: routes, mirror, mirrors. The field is built only for the
 * destinations reported (few), not for every destination of every VirtualService.
 */
function destinationsOf(spec: { [key: string]: any }): [{ [key: string]: any }, () => string][] {
  const out: [{ [key: string]: any }, () => string][] = [];
  for (const kind of ['http', 'tcp', 'tls']) {
    list(spec[kind]).forEach((route, i) => {
      if (!isPlain(route)) return;
      list(route.route).forEach((d, k) => {
        if (isPlain(d) && isPlain(d.destination)) out.push([d.destination, () => `spec.${kind}[${i}].route[${k}].destination`]);
      });
      if (kind !== 'http') return;
      if (isPlain(route.mirror)) out.push([route.mirror, () => `spec.${kind}[${i}].mirror`]);
      list(route.mirrors).forEach((m, k) => {
        if (isPlain(m) && isPlain(m.destination)) out.push([m.destination, () => `spec.${kind}[${i}].mirrors[${k}].destination`]);
      });
    });
  }
  return out;
}

function nameOf(o: Checked): string {
  return typeof o.manifest.metadata?.name === 'string' ? o.manifest.metadata.name : '';
}

function objectName(o: Checked): string {
  return `${o.namespace}/${nameOf(o)}`;
}

/**
 * A subset must be defined by a DestinationRule for the destination's host (istioctl analyze IST0101):
 * otherwise Envoy has no cluster for it and every request routed there fails with 503 (NC). A DestinationRule
 * whose wildcard host covers the destination counts too. When some rule defines it, each caller of the route
 * must also find one that does, by Istio's lookup (destination-rule-lookup.ts): XO_SUBSET_NOT_VISIBLE says
 * which callers do not.
 */
function checkSubsets(services: Checked[], rules: Checked[], rootNamespace: string): void {
  const lookup = new DestinationRuleLookup(rules.flatMap((dr) => ruleEntry(dr.namespace, nameOf(dr), dr.manifest.spec) ?? []), rootNamespace);
  for (const vs of services) {
    const spec = plain(vs.manifest.spec);
    const callers = callersOf(spec, vs.namespace);
    // A route names the same subset many times (splits, mirrors): each is resolved once per VirtualService.
    const gaps = new Map<string, RuleFinding | undefined>();
    for (const [destination, field] of destinationsOf(spec)) {
      const { host, subset } = destination;
      if (typeof host !== 'string' || typeof subset !== 'string' || subset === '' || !isDnsLabel(subset)) continue;
      if (host.startsWith('*') || domainError(host, true) !== undefined) continue;
      const resolved = expandHost(host, vs.namespace);
      const candidates = lookup.anywhere(resolved);
      if (candidates.some((d) => d.subsets.includes(subset))) {
        const key = `${resolved}|${subset}`;
        if (!gaps.has(key)) {
          const gap = subsetGap(lookup, callers, vs.namespace, resolved, subset);
          gaps.set(key, gap === undefined ? undefined : subsetGapFinding(gap, lookup, resolved, subset));
        }
        // Nearly always none: the field is spelled out only for a finding.
        const gap = gaps.get(key);
        if (gap !== undefined) vs.report.addFinding(`${field()}.subset`, gap);
        continue;
      }
      const fix = 'requests to it fail with 503 (NC, no cluster)';
      vs.report.add('XO_SUBSET_NOT_FOUND', `${field()}.subset`, candidates.length === 0
        ? `no DestinationRule here is for ${q(resolved)}, so subset ${q(subset)} is undefined and ${fix}; add one with subset ${q(subset)}`
        : `${candidates.map((d) => `DestinationRule ${d.id} (${d.subsets.map((n) => q(n)).join(', ') || 'no subsets'})`).join(' and ')} ${candidates.length === 1 ? 'has' : 'have'} no subset ${q(subset)}, so ${fix}; fix the name or add the subset`);
    }
  }
}

/**
 * Two VirtualServices for one host: on the mesh, sidecars use only one of them (istioctl analyze IST0109);
 * on a gateway, Istio merges their rules in creation order, so which rule wins depends on history. The rule
 * itself is `hostConflicts` (one-route-per-host.ts), shared with the routing model.
 */
function checkHostConflicts(services: Checked[]): void {
  const conflicts = hostConflicts(services.map((vs) => ({ namespace: vs.namespace, name: nameOf(vs), spec: vs.manifest.spec })));
  for (const conflict of conflicts) {
    const vs = services[conflict.index];
    const names = [...new Set(conflict.others.map((i) => `VirtualService ${objectName(services[i])}`))].join(', ');
    const host = q(conflict.host);
    const at = `spec.hosts[${conflict.hostIndex}]`;
    if (onMesh(conflict) && conflict.otherHosts.length > 0) {
      const overlapping = conflict.otherHosts.map((h) => q(h)).join(', ');
      vs.report.add('XO_MESH_HOST_CONFLICT', at, `${names} routes ${overlapping}, which overlaps ${host}, for sidecars that see both, and they use only one of them for the names both cover; merge their rules into one, or make the hosts disjoint`);
    } else if (onMesh(conflict)) {
      vs.report.add('XO_MESH_HOST_CONFLICT', at, `${names} also routes ${host} for sidecars, which use only one; merge their rules into one`);
    } else {
      vs.report.add('XO_GATEWAY_HOST_CONFLICT', at, `${names} also routes ${host} on gateway ${q(conflict.place)}, which merges both in creation order; merge them into one`);
    }
  }
}
