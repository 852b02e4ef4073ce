/**
 * Reads VirtualServices and DestinationRules (any `networking.istio.io` version, written by this library or
 * by hand), and Gateway API HTTPRoutes as the VirtualServices Istio makes of them (http-route-conversion.ts),
 * into the routing of each host, in words and shares.
 */
import { hostConflicts } from '../one-route-per-host';
import { cookieOfRegex, entryWords, matchesEverything, Scope } from './conditions';
import { ConvertedRoutes } from './http-route-conversion';
import { expandHost, MESH, placesOf } from './names';
import { HostRouting, RoutingRule, RuleRetries, SubsetDefinition } from '../../routing/host-routing';
import { MirrorShare, SubsetShare } from '../../routing/subset-share';
import { compare, list, strings } from '../json-values';
import { DestinationRuleLookup, NO_NAMESPACE, ruleEntry } from '../validation/destination-rule-lookup';
import { callersOf, subsetGap } from '../validation/subset-callers';

/** A host's routing, with the raw match entries of each rule that the simulation evaluates. */
export interface BuiltHost {
  readonly routing: HostRouting;
  /** The `match` list of each rule, in rule order; undefined for a rule without one. */
  readonly matches: (any[] | undefined)[];
  /** The VirtualService's namespace, in which short gateway names are resolved. */
  readonly namespace?: string;
}

interface IstioObject {
  readonly id: string;
  readonly name: string;
  readonly namespace?: string;
  readonly spec: any;
}

interface DestinationRuleEntry extends IstioObject {
  readonly host: string;
}

/** The routing of every host the manifests route, sorted by host and VirtualService so output never depends on file order. */
export function buildRouting(manifests: any[], converted: ConvertedRoutes): BuiltHost[] {
  const objects = [...manifests.filter((m) => m !== null && typeof m === 'object'
    && typeof m.apiVersion === 'string' && m.apiVersion.startsWith('networking.istio.io/')), ...converted.virtualServices];
  const originOf = new Map(converted.virtualServices.map((m) => [m.spec, converted.origins.get(m)!]));
  const destinationRules = objects.filter((m) => m.kind === 'DestinationRule').map((m): DestinationRuleEntry => {
    const object = istioObject(m);
    return { ...object, host: expandHost(String(object.spec.host ?? ''), object.namespace) };
  });
  const rulesFor = (host: string) => destinationRules.filter((dr) => dr.host === host);
  // Subsets are looked up as Istio does, per caller: the checker's lookup, objects without a namespace in `default`.
  const lookup = new DestinationRuleLookup(destinationRules.flatMap((dr) => {
    const entry = ruleEntry(dr.namespace, dr.name, dr.spec);
    return entry === undefined ? [] : [{ ...entry, id: dr.id }];
  }));

  const hosts: BuiltHost[] = [];
  const services = objects.filter((m) => m.kind === 'VirtualService').map(istioObject);
  const conflicts = conflictNotes(services, (vs) => originOf.has(vs.spec) ? 'HTTPRoute' : 'VirtualService');
  for (const vs of services) {
    const appliesTo = placesOf(strings(vs.spec.gateways), vs.namespace);
    const origin = originOf.get(vs.spec);
    const routed = routeRules(vs, appliesTo, lookup, origin !== undefined);
    const vsHosts = strings(vs.spec.hosts);
    for (const host of [...new Set(vsHosts.map((h) => expandHost(h, vs.namespace)))]) {
      const drs = rulesFor(host);
      const catchAll = routed.rules.find((r) => r.matchesEverything && r.reachable);
      const facts = destinationRuleFacts(drs);
      hosts.push({
        namespace: vs.namespace,
        matches: routed.matches,
        routing: {
          host,
          virtualService: vs.id,
          httpRoutes: origin?.httpRoutes,
          appliesTo,
          ...facts,
          // On an HTTPRoute the versions are Services; a DestinationRule of the host still sets its policies.
          subsets: facts.subsets.length === 0 && origin !== undefined ? origin.versions : facts.subsets,
          rules: routed.rules,
          unmatched: catchAll?.destinations ?? [],
          notes: [...origin?.notes ?? [], ...routed.notes, ...destinationRuleNotes(drs), ...conflicts.get(vs)?.get(host) ?? []],
        },
      });
    }
  }

  // An HTTPRoute Istio does not accept routes nothing: sidecars send to any pod of the Service.
  for (const rejected of converted.rejected) {
    for (const host of rejected.hosts) {
      hosts.push({
        matches: [],
        routing: {
          host,
          appliesTo: [],
          ...destinationRuleFacts(rulesFor(host)),
          rules: [],
          unmatched: [{ host, probability: 1 }],
          notes: [`Istio rejects HTTPRoute ${rejected.id} (${rejected.reason}): none of its rules apply, requests go to any pod of the host`],
        },
      });
    }
  }

  const routedHosts = new Set(hosts.map((h) => h.routing.host));
  for (const host of [...new Set(destinationRules.map((dr) => dr.host))].filter((h) => !routedHosts.has(h))) {
    const drs = rulesFor(host);
    hosts.push({
      matches: [],
      routing: {
        host,
        appliesTo: [],
        ...destinationRuleFacts(drs),
        rules: [],
        unmatched: [{ host, probability: 1 }],
        notes: ['no VirtualService routes this host: requests go to any of its pods, whatever their subset', ...destinationRuleNotes(drs)],
      },
    });
  }

  hosts.sort((a, b) => compare(a.routing.host, b.routing.host) || compare(a.routing.virtualService ?? '', b.routing.virtualService ?? ''));
  return hosts;
}

function istioObject(m: any): IstioObject {
  const namespace: string | undefined = m.metadata?.namespace;
  const name = String(m.metadata?.name ?? '(unnamed)');
  return { id: namespace === undefined ? name : `${namespace}/${name}`, name, namespace, spec: m.spec ?? {} };
}

function routeRules(vs: IstioObject, appliesTo: string[], lookup: DestinationRuleLookup, fromHttpRoute: boolean) {
  const scope: Scope = !appliesTo.includes(MESH) ? 'gateways' : appliesTo.length > 1 ? 'both' : 'mesh';
  const http: any[] = (Array.isArray(vs.spec.http) ? vs.spec.http : []).map((raw: any) => raw ?? {});
  const notes: string[] = [];
  let catchAll: string | undefined;
  const matches: (any[] | undefined)[] = [];
  const rules = http.map((raw, i): RoutingRule => {
    const position = i + 1;
    const label = ruleLabel(raw.name, position);
    const entries: any[] | undefined = Array.isArray(raw.match) && raw.match.length > 0 ? raw.match : undefined;
    matches.push(entries);
    const everything = entries === undefined || entries.some(matchesEverything);
    const reachable = catchAll === undefined;
    if (!reachable) notes.push(`rule ${label} is never used: rule ${catchAll} before it matches every request`);
    if (everything && reachable) catchAll = label;
    // An HTTPRoute's weights are shares of their sum by design (Gateway API), not a VirtualService's percentages.
    if (!fromHttpRoute) notes.push(...weightNotes(raw.route, label));
    return {
      position,
      name: raw.name,
      when: everything ? [] : entries!.map((e) => entryWords(e, scope)),
      matchesEverything: everything,
      reachable,
      destinations: destinationShares(raw, vs.namespace),
      response: responseWords(raw, vs.namespace),
      mirrors: mirrorShares(raw, vs.namespace),
      timeout: raw.timeout,
      retries: retriesOf(raw.retries),
      fault: faultWords(raw.fault),
    };
  });
  if (catchAll === undefined && rules.length > 0) notes.push('no rule matches every request: a request that matches none gets 404 (NR)');
  if (Array.isArray(vs.spec.tcp) || Array.isArray(vs.spec.tls)) notes.push('the tcp and tls routes of this VirtualService are not shown');
  // The subsets of converted HTTPRoutes are version Services, which no DestinationRule defines.
  if (!fromHttpRoute) notes.push(...subsetNotes(rules, vs, lookup));
  const sticky = withStickiness(rules, http);
  notes.push(...cookieReachNotes(sticky, scope));
  return { rules: sticky, matches, notes };
}

/** The rule's name, or its position for a rule without one (`#1`), as the checker and the constructs name it. */
export function ruleLabel(name: string | undefined, position: number): string {
  return name === undefined || name === '' ? `#${position}` : name;
}

/** The rule's label with its position when it has a name: `public (#2)`, or `#1`. */
export function ruleAt(name: string | undefined, position: number): string {
  const label = ruleLabel(name, position);
  return label === `#${position}` ? label : `${label} (#${position})`;
}

// Istio ignores the weight of a single destination and drops weight-0 destinations of a split; the others
// get weight / sum of weights.
function destinationShares(raw: any, namespace: string | undefined): SubsetShare[] {
  const route: any[] = Array.isArray(raw.route) ? raw.route : [];
  const weighted = route.length === 1
    ? [{ dst: route[0], weight: 1 }]
    : route.map((dst) => ({ dst, weight: typeof dst.weight === 'number' ? dst.weight : 0 })).filter((w) => w.weight > 0);
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  const shares: SubsetShare[] = [];
  for (const { dst, weight } of weighted) {
    const target = destinationOf(dst.destination, namespace);
    const cookie = cookieSet(dst.headers) ?? cookieSet(raw.headers);
    const same = shares.findIndex((s) => s.host === target.host && s.subset === target.subset && s.port === target.port);
    if (same >= 0) {
      shares[same] = { ...shares[same], probability: shares[same].probability + weight / total };
    } else {
      const expires = cookie !== undefined && isExpiry(cookie);
      shares.push({
        ...target,
        probability: weight / total,
        setsCookie: expires ? undefined : cookie?.cookie,
        expiresCookie: expires ? cookie.name : undefined,
      });
    }
  }
  return shares;
}

// A mirror without a percentage copies every request; an explicit 0 copies none.
function mirrorShares(raw: any, namespace: string | undefined): MirrorShare[] {
  const targets: { destination: any; percent: number }[] = [];
  if (raw.mirror) targets.push({ destination: raw.mirror, percent: raw.mirrorPercentage?.value ?? raw.mirrorPercent ?? raw.mirror_percent ?? 100 });
  for (const m of Array.isArray(raw.mirrors) ? raw.mirrors : []) {
    if (m.destination) targets.push({ destination: m.destination, percent: m.percentage?.value ?? 100 });
  }
  return targets.filter((t) => t.percent > 0).map((t) => ({ ...destinationOf(t.destination, namespace), probability: t.percent / 100 }));
}

function destinationOf(destination: any, namespace: string | undefined): { host: string; subset?: string; port?: number } {
  return {
    host: expandHost(String(destination?.host ?? ''), namespace),
    subset: destination?.subset,
    port: destination?.port?.number,
  };
}

function responseWords(raw: any, namespace: string | undefined): string | undefined {
  if (raw.redirect) {
    const r = raw.redirect;
    const target = `${r.scheme ? `${r.scheme}://` : ''}${r.authority ?? ''}${r.uri ?? ''}`;
    return `redirect${target ? ` to ${target}` : ''} (${r.redirectCode ?? 301})`;
  }
  if (raw.directResponse) return `respond ${raw.directResponse.status}`;
  if (raw.delegate) return `delegated to VirtualService ${raw.delegate.namespace ?? namespace ?? ''}${raw.delegate.namespace ?? namespace ? '/' : ''}${raw.delegate.name} (not expanded here)`;
  return undefined;
}

function retriesOf(retries: any): RuleRetries | undefined {
  if (retries === undefined || retries === null) return undefined;
  return { attempts: retries.attempts ?? 0, perTryTimeout: retries.perTryTimeout, retryOn: retries.retryOn };
}

function faultWords(fault: any): string | undefined {
  if (!fault) return undefined;
  const share = (f: any) => `${f.percentage?.value ?? f.percent ?? 100}%`;
  const parts: string[] = [];
  if (fault.delay) parts.push(`delay ${fault.delay.fixedDelay ?? fault.delay.exponentialDelay} for ${share(fault.delay)}`);
  if (fault.abort) parts.push(`abort with ${fault.abort.httpStatus ?? fault.abort.grpcStatus ?? fault.abort.http2Error} for ${share(fault.abort)}`);
  return parts.length === 0 ? undefined : parts.join(', ');
}

function weightNotes(route: any, label: string): string[] {
  if (!Array.isArray(route) || route.length < 2) return [];
  const total = route.reduce((sum: number, dst: any) => sum + (typeof dst.weight === 'number' ? dst.weight : 0), 0);
  if (total === 0) return [`rule ${label} gives every destination weight 0, which Istio rejects`];
  if (total !== 100) return [`the weights of rule ${label} sum to ${total}: each destination gets its weight / ${total}`];
  return [];
}

/** A `Set-Cookie` header: the cookie as `name=value`, its name, and its Max-Age in seconds. */
interface SetCookie {
  readonly cookie: string;
  readonly name: string;
  readonly maxAge?: number;
}

/** The `Set-Cookie` a header operation adds or sets. */
function cookieSet(headers: any): SetCookie | undefined {
  const response = headers?.response ?? {};
  for (const ops of [response.set, response.add]) {
    const key = Object.keys(ops ?? {}).find((k) => k.toLowerCase() === 'set-cookie');
    const m = key === undefined ? null : /^\s*([^=;\s]+)=([^;]*)/.exec(String(ops[key]));
    if (m) {
      const maxAge = /;\s*max-age=(-?\d+)/i.exec(String(ops[key!]));
      return { cookie: `${m[1]}=${m[2].trim()}`, name: m[1], maxAge: maxAge ? Number(maxAge[1]) : undefined };
    }
  }
  return undefined;
}

// A Max-Age of 0 or less tells the browser to delete the cookie at once.
function isExpiry(cookie: { maxAge?: number }): boolean {
  return cookie.maxAge !== undefined && cookie.maxAge <= 0;
}

// Version stickiness is recognized from the pattern StickySplit writes: destinations that set a version
// cookie, and rules whose condition is that cookie, which pin the request to a version, or expire the cookie
// (Max-Age=0) where the public is not split. A cookie condition alone (a tester's cookie) is routing, not
// stickiness. A pin that sends the cookie again renews it, so its Max-Age never runs out for an active user:
// the table says so, on the pin and on the rule that sets the cookie.
function withStickiness(rules: RoutingRule[], http: any[]): RoutingRule[] {
  const cookiesOf = (raw: any): SetCookie[] => list(raw.route)
    .map((dst: any) => cookieSet(dst?.headers) ?? cookieSet(raw.headers))
    .filter((c: SetCookie | undefined): c is SetCookie => c !== undefined);
  const pinsOf = (raw: any, known: Set<string>) => list(raw.match)
    .flatMap((entry: any) => Object.entries(entry?.headers ?? {}))
    .filter(([name, match]: [string, any]) => name.toLowerCase() === 'cookie' && typeof match?.regex === 'string')
    .map(([, match]: [string, any]) => cookieOfRegex(match.regex))
    .filter((c: any) => c !== undefined && known.has(c.name)) as { name: string; value: string }[];

  const known = new Set(http.flatMap((raw) => cookiesOf(raw).map((c) => c.name)));
  // The cookies a rule sets on assignment (not a pin of that cookie), with their Max-Age.
  const assigned = new Map<string, number | undefined>();
  const renewed = new Set<string>();
  for (const raw of http) {
    const pinned = new Set(pinsOf(raw, known).map((c) => c.name));
    for (const cookie of cookiesOf(raw).filter((c) => !isExpiry(c))) {
      if (pinned.has(cookie.name)) renewed.add(cookie.name);
      else if (!assigned.has(cookie.name)) assigned.set(cookie.name, cookie.maxAge);
    }
  }
  return rules.map((rule, i) => {
    const pins = pinsOf(http[i], known);
    const own = cookiesOf(http[i]);
    if (pins.length > 0) {
      const pinned = pins.map((c) => `${c.name}=${c.value}`).join(', ');
      if (own.length > 0 && own.every(isExpiry)) return { ...rule, sticky: `expires ${pinned}` };
      return { ...rule, sticky: `pins ${pinned}${own.some((c) => !isExpiry(c)) ? ', renews it' : ''}` };
    }
    const names = [...new Set(own.filter((c) => !isExpiry(c)).map((c) => c.name))];
    if (names.length === 0) return rule;
    const maxAge = assigned.get(names[0]);
    const renewal = names.some((n) => renewed.has(n)) ? 'renewed by its pins' : 'not renewed';
    return { ...rule, sticky: `sets ${names.join(', ')}${maxAge === undefined ? '' : ` for ${seconds(maxAge)}, ${renewal}`}` };
  });
}

// On a VirtualService only sidecars use, the version cookie is set on the calling workload's responses.
function cookieReachNotes(rules: RoutingRule[], scope: Scope): string[] {
  const names = [...new Set(rules.flatMap((r) => r.destinations.flatMap((d) => [d.setsCookie?.split('=')[0], d.expiresCookie]))
    .filter((n): n is string => n !== undefined))];
  if (scope !== 'mesh' || names.length === 0 || !rules.some((r) => r.sticky !== undefined)) return [];
  return [`the version cookie ${names.join(', ')} is set on the responses to sidecars, not at a gateway: it reaches users' browsers, and pins them, only if every caller forwards Cookie and Set-Cookie`];
}

function seconds(value: number): string {
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as [string, number][]) {
    if (value >= size && value % size === 0) return `${value / size}${unit}`;
  }
  return `${value}s`;
}

// A subset that no DestinationRule defines passes the API server, then every request sent there gets 503 (NC);
// so do the requests of callers whose DestinationRule (by namespace and exportTo) is another one.
function subsetNotes(rules: RoutingRule[], vs: IstioObject, lookup: DestinationRuleLookup): string[] {
  const namespace = vs.namespace ?? NO_NAMESPACE;
  const callers = callersOf(vs.spec, namespace);
  const notes = new Set<string>();
  for (const target of rules.flatMap((r) => [...r.destinations, ...r.mirrors])) {
    if (target.subset === undefined) continue;
    const host = expandHost(target.host, namespace);
    const drs = lookup.anywhere(host);
    if (drs.length === 0) {
      notes.add(`no DestinationRule here defines subset ${target.subset} of ${target.host}: unless one is applied elsewhere, requests sent there get 503 (NC)`);
    } else if (!drs.some((dr) => dr.subsets.includes(target.subset!))) {
      notes.add(`subset ${target.subset} is not defined by DestinationRule ${drs.map((dr) => dr.id).join(', ')}: requests sent there get 503 (NC)`);
    } else {
      const gap = subsetGap(lookup, callers, namespace, host, target.subset);
      if (gap === undefined) continue;
      const who = gap.missing.map((g) => `callers in ${g.namespaces.join(', ')} ${g.uses.length === 0 ? 'find no DestinationRule for it' : `use DestinationRule ${g.uses.map((dr) => dr.id).join(', ')}`}`);
      notes.add(`subset ${target.subset} of ${target.host} is defined by DestinationRule ${gap.definedBy.map((dr) => dr.id).join(', ')}, but ${who.join('; ')}: their requests sent there get 503 (NC)`);
    }
  }
  return [...notes];
}

function destinationRuleFacts(drs: DestinationRuleEntry[]): { destinationRule?: string; subsets: SubsetDefinition[]; podAffinity?: string } {
  const dr = drs[0];
  if (dr === undefined) return { subsets: [] };
  const subsets = (Array.isArray(dr.spec.subsets) ? dr.spec.subsets : [])
    .map((s: any): SubsetDefinition => ({ name: String(s?.name), labels: { ...(s?.labels ?? {}) } }));
  return { destinationRule: dr.id, subsets, podAffinity: hashWords(dr.spec.trafficPolicy?.loadBalancer?.consistentHash) };
}

function destinationRuleNotes(drs: DestinationRuleEntry[]): string[] {
  if (drs.length < 2) return [];
  return [`several DestinationRules configure this host (${drs.map((dr) => dr.id).join(', ')}): keep one per host; only the first is shown`];
}

function hashWords(hash: any): string | undefined {
  if (!hash) return undefined;
  if (hash.httpHeaderName) return `consistent hash on header ${String(hash.httpHeaderName).toLowerCase()}`;
  if (hash.httpCookie) return `consistent hash on cookie ${hash.httpCookie.name}${hash.httpCookie.ttl ? ` (set by Envoy, ttl ${hash.httpCookie.ttl})` : ''}`;
  if (hash.useSourceIp) return 'consistent hash on the source IP';
  if (hash.httpQueryParameterName) return `consistent hash on query parameter ${hash.httpQueryParameterName}`;
  return 'consistent hash';
}

// Istio uses one VirtualService per host and proxy; a second one for the same host where both apply is
// ignored (sidecars) or merged in creation order (gateways), which manifests do not say. The rule is the
// checker's (one-route-per-host.ts); here its findings become a note per VirtualService and host.
function conflictNotes(services: IstioObject[], kindOf: (vs: IstioObject) => string): Map<IstioObject, Map<string, string[]>> {
  const found = new Map<IstioObject, Map<string, { places: Set<string>; others: Set<IstioObject> }>>();
  for (const conflict of hostConflicts(services)) {
    const vs = services[conflict.index];
    // The host as this model shows it (the same expansion, in the object's own namespace).
    const host = expandHost(String(vs.spec.hosts[conflict.hostIndex]), vs.namespace);
    const byHost = found.get(vs) ?? new Map();
    found.set(vs, byHost);
    const entry = byHost.get(host) ?? { places: new Set(), others: new Set() };
    byHost.set(host, entry);
    entry.places.add(conflict.place);
    conflict.others.forEach((i) => entry.others.add(services[i]));
  }
  const notes = new Map<IstioObject, Map<string, string[]>>();
  for (const [vs, byHost] of found) {
    notes.set(vs, new Map([...byHost].map(([host, { places, others }]) => {
      // In the order the VirtualService names its places (appliesTo).
      const where = placesOf(strings(vs.spec.gateways), vs.namespace).filter((p) => places.has(p)).map((p) => p === MESH ? 'sidecars' : `gateway ${p}`);
      const all = [vs, ...others];
      const names = all.map((o) => o.id).sort();
      // An HTTPRoute and a VirtualService for one host: each is named with its kind.
      const mixed = all.some((o) => kindOf(o) !== 'VirtualService');
      const objects = mixed ? all.map((o) => `${kindOf(o)} ${o.id}`).sort().join(' and ') : `VirtualServices ${names.join(' and ')}`;
      return [host, [`${objects} ${names.length === 2 ? 'both' : 'all'} route this host for ${where.join(' and ')}: Istio uses only one of them; merge them into one`]];
    })));
  }
  return notes;
}

