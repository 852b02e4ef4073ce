/**
 * The routing in words, shared by the text, Markdown and Mermaid renderings and the simulation's summary,
 * so that they all say the same thing the same way.
 */
import { ruleLabel } from './build-routing';
import { MESH } from './names';
import { HostRouting, RoutingRule, RuleRetries } from '../../routing/host-routing';
import { MirrorShare, SubsetShare } from '../../routing/subset-share';

/** The columns of the routing table. */
export const TABLE_HEADER = ['#', 'rule', 'when', 'goes to', 'mirror', 'timeout / retries', 'sticky'];

/** A rule as the cells of one table row; `when` holds one line per alternative condition. */
export interface RuleCells {
  readonly position: string;
  readonly rule: string;
  readonly when: string[];
  readonly goesTo: string;
  readonly mirror: string;
  readonly policies: string;
  readonly sticky: string;
}

/** A chance as a percentage with at most two decimals: `95%`, `33.33%`. */
export function percent(probability: number): string {
  return `${Number((probability * 100).toFixed(2))}%`;
}

/** A destination as a reviewer names it: the subset alone when it is of the routed host. */
export function targetWords(target: { host: string; subset?: string; port?: number }, host: string): string {
  const name = target.host === host
    ? target.subset ?? 'any pod'
    : target.subset === undefined ? target.host : `${target.subset} of ${target.host}`;
  return target.port === undefined ? name : `${name} port ${target.port}`;
}

/** Destinations with their shares; a single destination that takes everything needs no percentage. */
export function sharesWords(shares: SubsetShare[], host: string): string {
  if (shares.length === 1 && shares[0].probability === 1) return targetWords(shares[0], host);
  return shares.map((s) => `${targetWords(s, host)} ${percent(s.probability)}`).join(', ');
}

/** Mirror targets with the share of requests copied. */
export function mirrorsWords(mirrors: MirrorShare[], host: string): string {
  return mirrors.map((m) => `${targetWords(m, host)} ${percent(m.probability)}`).join(', ');
}

/** A rule's table row. `first` says whether it is the first rule a request meets. */
export function ruleCells(rule: RoutingRule, host: string, first: boolean): RuleCells {
  const when = rule.matchesEverything
    ? [first ? 'every request' : 'anything else']
    : rule.when.map((w, i) => i === 0 ? w : `or ${w}`);
  const goesTo = rule.response ?? (rule.destinations.length === 0 ? 'nowhere (no destination with a weight)' : sharesWords(rule.destinations, host));
  return {
    position: String(rule.position),
    rule: `${ruleLabel(rule.name, rule.position)}${rule.reachable ? '' : ' (never used)'}`,
    when,
    goesTo: rule.fault === undefined ? goesTo : `${goesTo}; fault: ${rule.fault}`,
    mirror: rule.mirrors.length === 0 ? '-' : mirrorsWords(rule.mirrors, host),
    policies: `${rule.timeout ?? 'no timeout'} / ${retriesWords(rule.retries)}`,
    sticky: rule.sticky ?? '-',
  };
}

/** The rows of a host's table, in rule order. */
export function hostRows(routing: HostRouting): RuleCells[] {
  const first = routing.rules.find((r) => r.reachable);
  return routing.rules.map((rule) => ruleCells(rule, routing.host, rule === first));
}

/** What a reviewer needs to know about a host before its rules: which objects route it, and how pods are picked. */
export function hostFacts(routing: HostRouting): string[] {
  const facts = [routing.virtualService === undefined
    ? 'no VirtualService'
    : `${routeWords(routing)}, ${appliesToWords(routing.appliesTo)}`];
  const versions = routing.subsets.filter((s) => s.service !== undefined);
  if (routing.destinationRule === undefined && versions.length > 0) {
    facts.push(`version Services: ${versions.map((s) => `${s.name} = ${s.service} (${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',')})`).join(', ')}`);
  } else if (routing.destinationRule === undefined) {
    facts.push('no DestinationRule');
  } else {
    const subsets = routing.subsets.map((s) => `${s.name} (${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',')})`);
    facts.push(`DestinationRule ${routing.destinationRule}: ${subsets.length === 0 ? 'no subsets' : `subsets ${subsets.join(', ')}`}`);
  }
  if (routing.podAffinity !== undefined) {
    facts.push(`pods: ${routing.podAffinity} (pod affinity inside a subset; a weighted split still picks the subset per request)`);
  }
  return facts;
}

/** Where the requests go that no conditional rule matches. */
export function otherwiseWords(routing: HostRouting): string {
  if (routing.unmatched.length > 0) return sharesWords(routing.unmatched, routing.host);
  const catchAll = routing.rules.find((r) => r.matchesEverything && r.reachable);
  return catchAll?.response ?? '404 (NR), no rule matches';
}

/** The object that routes a host: `VirtualService ns/name`, or `HTTPRoute ns/name` (several when Istio merges them). */
export function routeWords(routing: HostRouting): string {
  const routes = routing.httpRoutes ?? [];
  if (routes.length === 0) return `VirtualService ${routing.virtualService}`;
  return `HTTPRoute${routes.length > 1 ? 's' : ''} ${routes.join(', ')}`;
}

function appliesToWords(appliesTo: string[]): string {
  const gateways = appliesTo.filter((g) => g !== MESH);
  const sidecars = appliesTo.includes(MESH) ? ['for sidecars in the mesh'] : [];
  const at = gateways.length === 0 ? [] : [`at gateway${gateways.length > 1 ? 's' : ''} ${gateways.join(', ')}`];
  return [...sidecars, ...at].join(' and ');
}

function retriesWords(retries: RuleRetries | undefined): string {
  if (retries === undefined) return 'default retries';
  if (retries.attempts <= 0) return 'no retries';
  const perTry = retries.perTryTimeout === undefined ? '' : ` (${retries.perTryTimeout} per try)`;
  const on = retries.retryOn === undefined ? '' : ` on ${retries.retryOn}`;
  return `${retries.attempts} ${retries.attempts === 1 ? 'retry' : 'retries'}${perTry}${on}`;
}
