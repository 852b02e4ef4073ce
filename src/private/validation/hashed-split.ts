/**
 * XO_CONSISTENT_HASH_SPLIT: consistent hashing taken for version stickiness. Istio writes a weighted route
 * as Envoy weighted clusters; Envoy draws the cluster (the subset) at random for every request and only then
 * hashes, to pick a pod inside the subset drawn. A hash on a session id therefore keeps a session on one pod
 * of each version, never on one version. The one predicate for the checker (across a DestinationRule and the
 * VirtualServices that split its host) and the constructs (a `CompositeRoute` rule over its `Subsets`).
 */
import type { Checked } from './analyzers';
import type { RuleFinding } from './catalog';
import { domainError, hostsOverlap, q } from './values';
import { everyDestinationSetsCookie } from './version-cookie';
import { isPlain, list } from '../json-values';
import { expandHost } from '../routing/names';

/** Where a finding is: the hashing load balancer of the DestinationRule, top level or a subset's. */
export interface HashedSplitFinding {
  /** The subset whose own trafficPolicy hashes, or undefined for the DestinationRule's top-level policy. */
  readonly subset?: string;
  /** The field under the DestinationRule: `spec.trafficPolicy.loadBalancer.consistentHash` or a subset's. */
  readonly field: string;
  readonly finding: RuleFinding;
}

/** A DestinationRule as the predicate reads it: its spec (any shape) and the namespace its short host is in. */
export interface HashingRule {
  readonly spec: any;
  readonly namespace: string;
}

/**
 * The subsets of `host` that an HTTP rule splits requests between (two or more, by weight), unless each of
 * them sets a cookie in its responses, which is how a sticky split (StickySplit, a sticky Canary) pins a
 * user to a version: then the hash is not what keeps users on a version. `namespace` resolves short hosts.
 */
export function splitSubsets(route: any, host: string, namespace: string): string[] {
  const destinations: any[] = Array.isArray(route?.route) ? route.route : [];
  // Istio weighs only two or more destinations and drops those of weight 0.
  if (destinations.length < 2) return [];
  const drawn = destinations.filter((d) => isPlain(d) && typeof d.weight === 'number' && d.weight > 0 && isPlain(d.destination)
    && typeof d.destination.subset === 'string' && d.destination.subset !== ''
    && typeof d.destination.host === 'string' && hostsOverlap(host, expandHost(d.destination.host, namespace)));
  const subsets = [...new Set(drawn.map((d) => d.destination.subset as string))];
  if (subsets.length < 2) return [];
  if (everyDestinationSetsCookie(route, drawn)) return [];
  return subsets;
}

/**
 * The hashing load balancers of `rule` that apply to the subsets a rule splits `routeLabel` (e.g. `rule
 * "public" of VirtualService prod/checkout`) between: the top-level policy's, unless a subset's own
 * loadBalancer replaces it, and each subset's own. `namespace` is the VirtualService's.
 */
export function hashedSplitFindings(rule: HashingRule, route: any, namespace: string, routeLabel: string): HashedSplitFinding[] {
  const spec = isPlain(rule.spec) ? rule.spec : {};
  if (typeof spec.host !== 'string') return [];
  const host = expandHost(spec.host, rule.namespace);
  const split = splitSubsets(route, host, namespace);
  if (split.length === 0) return [];
  const subsets: any[] = list(spec.subsets);
  const out = new Map<string, HashedSplitFinding>();
  for (const name of split) {
    const index = subsets.findIndex((s) => isPlain(s) && s.name === name);
    const own = index >= 0 ? subsets[index]?.trafficPolicy?.loadBalancer : undefined;
    // A subset's loadBalancer replaces the top-level one as a whole (Istio merges policies field by field).
    const [lb, field, subset] = isPlain(own)
      ? [own, `spec.subsets[${index}].trafficPolicy.loadBalancer.consistentHash`, name]
      : [spec.trafficPolicy?.loadBalancer, 'spec.trafficPolicy.loadBalancer.consistentHash', undefined];
    if (!isPlain(lb) || !isPlain(lb.consistentHash) || out.has(field)) continue;
    out.set(field, {
      subset,
      field,
      finding: {
        code: 'XO_CONSISTENT_HASH_SPLIT',
        message: `${routeLabel} splits ${q(spec.host)} between subsets ${split.map((s) => q(s)).join(' and ')}, and Envoy draws the subset at random `
          + `for every request: this ${hashWords(lb.consistentHash)} only keeps a key on one pod of the subset drawn, not on one version; `
          + 'to keep users on a version use StickySplit (a version cookie), or, for pod affinity alone, keep the hash and suppress XO_CONSISTENT_HASH_SPLIT',
      },
    });
  }
  return [...out.values()];
}

/**
 * The checker's side: every HTTP rule of `services` that splits a host between subsets, against the
 * DestinationRules of `rules` for that host (exact, or a wildcard host that covers it), each finding reported
 * on the DestinationRule once per VirtualService. DestinationRules are looked up by host, so large sets stay
 * linear.
 */
export function checkHashedSplits(services: Checked[], rules: Checked[]): void {
  const hashing = rules.filter((dr) => typeof dr.manifest.spec?.host === 'string' && domainError(dr.manifest.spec.host, true) === undefined
    && hashes(dr.manifest.spec));
  if (hashing.length === 0) return;
  const byHost = new Map<string, Checked[]>();
  for (const dr of hashing) {
    const host = expandHost(dr.manifest.spec.host, dr.namespace);
    byHost.set(host, [...byHost.get(host) ?? [], dr]);
  }
  const wildcards = hashing.filter((dr) => dr.manifest.spec.host.startsWith('*'));
  for (const vs of services) {
    const http: any[] = Array.isArray(vs.manifest.spec?.http) ? vs.manifest.spec.http : [];
    const reported = new Set<string>();
    http.forEach((route, i) => {
      const destinations: any[] = Array.isArray(route?.route) ? route.route : [];
      if (destinations.length < 2) return;
      const hosts = new Set(destinations.map((d) => d?.destination?.host).filter((h): h is string => typeof h === 'string').map((h) => expandHost(h, vs.namespace)));
      const name = typeof route.name === 'string' && route.name !== '' ? `rule ${q(route.name)}` : `rule #${i + 1}`;
      const label = `${name} of VirtualService ${vs.namespace}/${vs.manifest.metadata?.name ?? ''}`;
      for (const host of hosts) {
        for (const dr of [...byHost.get(host) ?? [], ...wildcards.filter((w) => hostsOverlap(w.manifest.spec.host, host))]) {
          for (const { field, finding } of hashedSplitFindings({ spec: dr.manifest.spec, namespace: dr.namespace }, route, vs.namespace, label)) {
            const key = `${dr.namespace}/${dr.manifest.metadata?.name}\n${field}`;
            if (reported.has(key)) continue;
            reported.add(key);
            dr.report.addFinding(field, finding);
          }
        }
      }
    });
  }
}

// Whether a DestinationRule spec has a consistent-hash load balancer at the top or in a subset.
function hashes(spec: any): boolean {
  const subsets: any[] = list(spec.subsets);
  return [spec.trafficPolicy, ...subsets.map((s) => s?.trafficPolicy)].some((policy) => isPlain(policy?.loadBalancer?.consistentHash));
}

function hashWords(hash: { [key: string]: any }): string {
  if (typeof hash.httpHeaderName === 'string') return `hash on header ${q(hash.httpHeaderName)}`;
  if (isPlain(hash.httpCookie)) return `hash on cookie ${q(hash.httpCookie.name)}`;
  if (typeof hash.httpQueryParameterName === 'string') return `hash on query parameter ${q(hash.httpQueryParameterName)}`;
  if (hash.useSourceIp === true) return 'hash on the source IP';
  return 'consistent hash';
}

