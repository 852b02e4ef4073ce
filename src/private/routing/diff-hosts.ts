/**
 * Compares the routing of two manifest sets host by host, in words a reviewer reads: what moved, not which
 * numbers changed inside nested lists. The facts come from the routing model (rules, shares, mirrors,
 * policies, subsets) and, for what the model does not carry (header operations, traffic policies), from the
 * raw objects the model was built from.
 */
import { BuiltHost, ruleAt } from './build-routing';
import { alertChanges, hostOfAlert } from './diff-alerts';
import { flatten, mapChanges, RawObjects, rawObjects } from './diff-raw';
import { pinnedUsers, typicalOutcome, TypicalOutcome } from './diff-typical';
import { mirrorsWords, percent, routeWords, sharesWords, targetWords } from './words';
import { HostRouting, RoutingRule, RuleRetries } from '../../routing/host-routing';
import { HostRoutingChange } from '../../routing/routing-diff';
import { MirrorShare, SubsetShare } from '../../routing/subset-share';
import { list } from '../json-values';

/** One side of a diff: the built routing and the manifests it came from. */
export interface DiffSide {
  readonly built: BuiltHost[];
  readonly manifests: any[];
}

/** The changed hosts, and the alert changes that belong to no changed host. */
export function diffRouting(before: DiffSide, after: DiffSide): { hosts: HostRoutingChange[]; otherAlerts: string[] } {
  const rawBefore = rawObjects(before.manifests);
  const rawAfter = rawObjects(after.manifests);
  const keysBefore = hostKeys(before.built, after.built);
  const keysAfter = hostKeys(after.built, before.built);
  const keys = [...new Set([...keysBefore.keys(), ...keysAfter.keys()])].sort();

  const hosts: HostRoutingChange[] = [];
  for (const key of keys) {
    const b = keysBefore.get(key);
    const a = keysAfter.get(key);
    const host = (a ?? b)!.routing.host;
    const typicalB = b === undefined ? undefined : typicalOutcome(before.built, b);
    const typicalA = a === undefined ? undefined : typicalOutcome(after.built, a);
    let status: string;
    let changes: string[];
    if (b === undefined) {
      status = 'added';
      changes = [`new host${a!.routing.virtualService === undefined ? '' : `, routed by ${routeWords(a!.routing)}`}`];
    } else if (a === undefined) {
      status = 'removed';
      changes = [`host no longer routed${b.routing.virtualService === undefined ? '' : ` (was ${routeWords(b.routing)})`}`];
    } else {
      status = 'changed';
      changes = hostChanges(b.routing, a.routing, rawBefore, rawAfter);
      if (changes.length === 0) continue;
      const pinned = pinnedUsers(before.built, b, after.built, a);
      if (pinned !== undefined) changes.push(pinned);
    }
    const summary = summaryLine(status, host, typicalB, typicalA);
    // The rule a typical request takes says the summary's shares again: the summary names it instead.
    const repeated = summary.rule === undefined ? -1 : changes.indexOf(`rule ${summary.rule}: ${summary.shares}`);
    if (repeated >= 0) changes.splice(repeated, 1);
    hosts.push({
      host,
      status,
      summary: summary.line,
      changes,
      typicalBefore: typicalB?.destinations ?? [],
      typicalAfter: typicalA?.destinations ?? [],
      alerts: [],
    });
  }

  // Alerts go with the changed host they watch; the rest are listed apart.
  const otherAlerts: string[] = [];
  const withAlerts = hosts.map((h) => ({ ...h, alerts: [] as string[] }));
  for (const change of alertChanges(before.manifests, after.manifests)) {
    const owner = hostOfAlert(change.text, withAlerts.map((h) => h.host));
    const target = withAlerts.find((h) => h.host === owner);
    if (target) target.alerts.push(change.words); else otherAlerts.push(change.words);
  }
  return { hosts: withAlerts, otherAlerts };
}

// A host is keyed by its name when each side routes it once, which keeps a renamed VirtualService one
// change; a host that several VirtualServices route is keyed by host and VirtualService.
function hostKeys(side: BuiltHost[], other: BuiltHost[]): Map<string, BuiltHost> {
  const count = (hosts: BuiltHost[], host: string) => hosts.filter((h) => h.routing.host === host).length;
  const keys = new Map<string, BuiltHost>();
  for (const h of side) {
    const single = count(side, h.routing.host) === 1 && count(other, h.routing.host) <= 1;
    keys.set(single ? h.routing.host : `${h.routing.host} ${h.routing.virtualService ?? ''}`, h);
  }
  return keys;
}

interface Summary {
  readonly line: string;
  /** The rule the typical request takes, when the summary names it. */
  readonly rule?: string;
  readonly shares?: string;
}

function summaryLine(status: string, host: string, before: TypicalOutcome | undefined, after: TypicalOutcome | undefined): Summary {
  if (status === 'added') return { line: `new host: a typical request goes to ${after!.words}` };
  if (status === 'removed') return { line: `host removed: a typical request went to ${before!.words}` };
  const shares = shareChange(before!.destinations, after!.destinations, host, before!.response, after!.response);
  const mirrors = mirrorChange(before!.mirrors, after!.mirrors, host);
  if (shares === undefined && mirrors === undefined) return { line: `typical request unchanged: ${after!.words}` };
  const rule = shares !== undefined && after!.rule !== undefined ? after!.rule : undefined;
  const line = `typical request${rule === undefined ? '' : `, rule ${rule}`}: ${shares ?? after!.goes}${mirrors === undefined ? '' : `; copies to ${mirrors}`}`;
  return { line, rule, shares };
}

function hostChanges(b: HostRouting, a: HostRouting, rawB: RawObjects, rawA: RawObjects): string[] {
  const out: string[] = [];
  const was = (x: string | undefined, none: string) => x ?? none;
  const routedBy = (h: HostRouting) => h.virtualService === undefined ? 'none' : routeWords(h);
  if ((b.httpRoutes ?? a.httpRoutes) !== undefined && routedBy(b) !== routedBy(a)) {
    // A move between the APIs (a VirtualService replaced by an HTTPRoute of the same name) is a change too.
    out.push(`routed by ${routedBy(b)} → ${routedBy(a)}`);
  } else if (b.virtualService !== a.virtualService) {
    out.push(`VirtualService ${was(b.virtualService, 'none')} → ${was(a.virtualService, 'none')}`);
  }
  if (b.appliesTo.join(',') !== a.appliesTo.join(',')) out.push(`applies to ${b.appliesTo.join(', ') || 'nothing'} → ${a.appliesTo.join(', ') || 'nothing'}`);
  if (b.destinationRule !== a.destinationRule) out.push(`DestinationRule ${was(b.destinationRule, 'none')} → ${was(a.destinationRule, 'none')}`);
  out.push(...subsetChanges(b, a));
  if (b.podAffinity !== a.podAffinity) out.push(`pod affinity: ${was(b.podAffinity, 'none')} → ${was(a.podAffinity, 'none')}`);
  const policyB = rawB.destinationRule(b.destinationRule);
  const policyA = rawA.destinationRule(a.destinationRule);
  out.push(...mapChanges(flatten(policyB?.trafficPolicy), flatten(policyA?.trafficPolicy)).map((c) => `traffic policy: ${c}`));
  for (const s of a.subsets.filter((x) => b.subsets.some((y) => y.name === x.name))) {
    const sub = (spec: any) => list(spec?.subsets).find((x: any) => x?.name === s.name)?.trafficPolicy;
    out.push(...mapChanges(flatten(sub(policyB)), flatten(sub(policyA))).map((c) => `traffic policy of subset ${s.name}: ${c}`));
  }
  out.push(...ruleChanges(b, a, rawB.httpRules(b.virtualService), rawA.httpRules(a.virtualService)));
  return out;
}

function subsetChanges(b: HostRouting, a: HostRouting): string[] {
  const labels = (l: { [k: string]: string }) => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(',') || 'no labels';
  const out: string[] = [];
  for (const s of a.subsets) {
    const old = b.subsets.find((x) => x.name === s.name);
    if (old === undefined) out.push(`subset ${s.name} added (${labels(s.labels)})`);
    else if (labels(old.labels) !== labels(s.labels)) out.push(`subset ${s.name} labels ${labels(old.labels)} → ${labels(s.labels)}: it now selects other pods`);
  }
  for (const s of b.subsets.filter((x) => !a.subsets.some((y) => y.name === x.name))) out.push(`subset ${s.name} removed (${labels(s.labels)})`);
  return out;
}

// Rules are paired by name, or by their conditions when unnamed; a rule that keeps its place among the
// paired rules did not move, even if a rule was inserted before it.
function ruleChanges(b: HostRouting, a: HostRouting, rawB: any[], rawA: any[]): string[] {
  const key = (r: RoutingRule) => r.name ? `name ${r.name}` : `when ${r.when.join(' | ')}`;
  const pairs: { before: RoutingRule; after: RoutingRule }[] = [];
  const unpaired = [...b.rules];
  const added: RoutingRule[] = [];
  for (const rule of a.rules) {
    const i = unpaired.findIndex((r) => key(r) === key(rule));
    if (i < 0) {
      added.push(rule);
    } else {
      pairs.push({ before: unpaired[i], after: rule });
      unpaired.splice(i, 1);
    }
  }
  const out: string[] = [];
  for (const rule of unpaired) out.push(`rule ${ruleAt(rule.name, rule.position)} removed (${ruleWords(rule, b.host)})`);
  for (const rule of added) out.push(`rule ${ruleAt(rule.name, rule.position)} added (${ruleWords(rule, a.host)})`);
  const stayed = inPlace(pairs.map((p) => p.before.position));
  pairs.forEach((pair, i) => {
    const label = `rule ${ruleAt(pair.after.name, pair.after.position)}`;
    if (!stayed.has(i)) out.push(`${label}: moved from #${pair.before.position} to #${pair.after.position}`);
    if (pair.before.reachable && !pair.after.reachable) out.push(`${label}: now unreachable, an earlier rule matches every request`);
    if (!pair.before.reachable && pair.after.reachable) out.push(`${label}: reachable again`);
    out.push(...pairChanges(pair.before, pair.after, b.host, rawB[pair.before.position - 1], rawA[pair.after.position - 1]).map((c) => `${label}: ${c}`));
  });
  return out;
}

/**
 * The indexes of the rules that kept their place: a longest run of old positions that still increases in
 * the new order. The others are the fewest rules whose moving explains the new order.
 */
function inPlace(positions: number[]): Set<number> {
  const length = positions.map(() => 1);
  const previous = positions.map(() => -1);
  positions.forEach((p, i) => {
    for (let j = 0; j < i; j++) {
      if (positions[j] < p && length[j] + 1 >= length[i]) {
        length[i] = length[j] + 1;
        previous[i] = j;
      }
    }
  });
  const kept = new Set<number>();
  // Of equally long runs, the one ending last: in a swap, the rule moved up (now taking precedence) is the one reported.
  let i = length.lastIndexOf(Math.max(0, ...length));
  while (i >= 0) {
    kept.add(i);
    i = previous[i];
  }
  return kept;
}

function pairChanges(b: RoutingRule, a: RoutingRule, host: string, rawB: any, rawA: any): string[] {
  const out: string[] = [];
  const when = (r: RoutingRule) => r.matchesEverything ? 'every request' : r.when.join(' or ');
  if (when(b) !== when(a)) out.push(`when ${when(b)} → ${when(a)}`);
  if (b.response !== a.response) out.push(`answers ${b.response ?? 'by forwarding'} → ${a.response ?? 'by forwarding'}`);
  const shares = shareChange(b.destinations, a.destinations, host);
  if (shares !== undefined) out.push(shares);
  const mirrors = mirrorChange(b.mirrors, a.mirrors, host);
  if (mirrors !== undefined) out.push(`mirror ${mirrors}`);
  if (b.timeout !== a.timeout) out.push(`timeout ${b.timeout ?? 'none'} → ${a.timeout ?? 'none'}`);
  if (retriesWords(b.retries) !== retriesWords(a.retries)) out.push(`retries ${retriesWords(b.retries)} → ${retriesWords(a.retries)}`);
  if (b.fault !== a.fault) out.push(`fault ${b.fault ?? 'none'} → ${a.fault ?? 'none'}`);
  out.push(...mapChanges(headerOps(rawB, host), headerOps(rawA, host)).map((c) => `headers: ${c}`));
  if (b.sticky !== a.sticky) out.push(`sticky ${b.sticky ?? 'none'} → ${a.sticky ?? 'none'}`);
  const cookies = (r: RoutingRule) => new Map(r.destinations.filter((d) => d.setsCookie).map((d) => [targetWords(d, host), d.setsCookie!]));
  // A changed cookie value (a new release's cookie) under the same stickiness; otherwise the sticky line says it.
  if (b.sticky === a.sticky) out.push(...mapChanges(cookies(b), cookies(a)).map((c) => `cookie set for ${c}`));
  return out;
}

/**
 * Destinations with their shares before → after, every destination of either side named once:
 * `v1 95% → 75%, v2 5% → 25%`; undefined when nothing changed.
 */
function shareChange(
  before: SubsetShare[], after: SubsetShare[], host: string, responseBefore?: string, responseAfter?: string,
): string | undefined {
  const side = (shares: SubsetShare[], response?: string) => {
    const m = new Map(shares.map((s) => [targetWords(s, host), s.probability]));
    if (response !== undefined) m.set(response, 1);
    return m;
  };
  return changeWords(side(before, responseBefore), side(after, responseAfter));
}

function mirrorChange(before: MirrorShare[], after: MirrorShare[], host: string): string | undefined {
  const side = (mirrors: MirrorShare[]) => new Map(mirrors.map((m) => [targetWords(m, host), m.probability]));
  return changeWords(side(before), side(after));
}

function changeWords(before: Map<string, number>, after: Map<string, number>): string | undefined {
  const names = [...new Set([...before.keys(), ...after.keys()])];
  if (names.every((n) => before.get(n) === after.get(n))) return undefined;
  return names.map((n) => {
    const x = percent(before.get(n) ?? 0);
    const y = percent(after.get(n) ?? 0);
    return x === y ? `${n} ${y}` : `${n} ${x} → ${y}`;
  }).join(', ');
}

function ruleWords(rule: RoutingRule, host: string): string {
  const when = rule.matchesEverything ? 'every request' : rule.when.join(' or ');
  const goes = rule.response ?? (rule.destinations.length === 0 ? 'nowhere' : sharesWords(rule.destinations, host));
  const copies = rule.mirrors.length === 0 ? '' : `, copies to ${mirrorsWords(rule.mirrors, host)}`;
  return `${when} → ${goes}${copies}`;
}

function retriesWords(retries: RuleRetries | undefined): string {
  if (retries === undefined) return 'default';
  const parts = [`${retries.attempts} attempts`];
  if (retries.perTryTimeout !== undefined) parts.push(`${retries.perTryTimeout} per try`);
  if (retries.retryOn !== undefined) parts.push(`on ${retries.retryOn}`);
  return parts.join(', ');
}

// Header operations of the rule and of each destination; version cookies are reported as stickiness.
function headerOps(raw: any, host: string): Map<string, string> {
  const out = new Map<string, string>();
  const add = (headers: any, where: string) => {
    for (const [key, value] of flatten(headers)) {
      if (/set-cookie/i.test(key)) continue;
      out.set(`${where}${key.replace(/\./, ' ')}`, value);
    }
  };
  add(raw?.headers, '');
  for (const dst of list(raw?.route)) {
    const target = targetWords({ host: String(dst?.destination?.host ?? ''), subset: dst?.destination?.subset }, host);
    add(dst?.headers, `to ${target}: `);
  }
  return out;
}
