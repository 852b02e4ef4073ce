/**
 * Routes one request on paper: the VirtualService that applies to it, the first rule that matches, and the
 * chances of each destination. Nothing is drawn at random; the outcome carries the probabilities.
 */
import { BuiltHost, ruleAt, ruleLabel } from './build-routing';
import { entryMatches, RequestView } from './conditions';
import { hostMatches, MESH, sameGateway } from './names';
import { mirrorsWords, sharesWords } from './words';
import { RoutingOutcome } from '../../routing/routing-outcome';
import { SimulatedRequest } from '../../routing/simulated-request';

/** Where `request` goes under the routing of `hosts`; throws when the request names no known host. */
export function simulate(hosts: BuiltHost[], request: SimulatedRequest): RoutingOutcome {
  const host = requestHost(hosts, request);
  const origin = request.gateway ?? MESH;
  const where = origin === MESH ? 'for sidecars' : `at gateway ${origin}`;
  const applies = (h: BuiltHost) => h.routing.virtualService !== undefined && hostMatches(h.routing.host, host)
    && h.routing.appliesTo.some((g) => origin === MESH ? g === MESH : g !== MESH && sameGateway(g, origin));
  // An exact host entry wins over a wildcard one, and a longer wildcard over a shorter one.
  const candidates = hosts.filter(applies).sort((a, b) => specificity(b.routing.host, host) - specificity(a.routing.host, host));

  const chosen = candidates[0];
  if (chosen === undefined) {
    if (origin !== MESH) {
      const response = `404 (NR): no VirtualService for ${host} is bound to gateway ${origin}`;
      return { host, destinations: [], mirrors: [], response, notes: [], summary: response };
    }
    // Without a VirtualService a sidecar sends the request to the service: any pod, any version.
    const destinations = [{ host, probability: 1 }];
    return { host, destinations, mirrors: [], notes: [], summary: `no VirtualService routes ${host} for sidecars: any pod of the host` };
  }

  const rivals = candidates.filter((c) => c !== chosen && c.routing.host === chosen.routing.host);
  const notes = rivals.length === 0 ? [] : [`${rivals.length + 1} VirtualServices route ${host} ${where} (${[chosen, ...rivals].map((c) => c.routing.virtualService).join(', ')}): Istio uses only one; this outcome follows ${chosen.routing.virtualService}`];
  const vs = chosen.routing.virtualService!;
  const view = requestView(request, host, origin);
  const index = chosen.routing.rules.findIndex((rule, i) => {
    const entries = chosen.matches[i];
    return rule.reachable && (entries === undefined || entries.some((entry) => entryMatches(entry, view, chosen.namespace)));
  });
  if (index < 0) {
    const response = `404 (NR): no rule of ${vs} matches`;
    return { host, virtualService: vs, destinations: [], mirrors: [], response, notes, summary: response };
  }

  const rule = chosen.routing.rules[index];
  const name = ruleLabel(rule.name, rule.position);
  const response = rule.response ?? (rule.destinations.length === 0 ? 'no destination: every weight of the rule is 0' : undefined);
  const goes = response ?? sharesWords(rule.destinations, chosen.routing.host);
  const copies = rule.mirrors.length === 0 ? '' : `; copies to ${mirrorsWords(rule.mirrors, chosen.routing.host)}`;
  return {
    host,
    virtualService: vs,
    rule: name,
    rulePosition: rule.position,
    destinations: rule.destinations,
    mirrors: rule.mirrors,
    response,
    notes: rule.fault === undefined ? notes : [...notes, `the rule injects faults: ${rule.fault}`],
    summary: `rule ${ruleAt(rule.name, rule.position)} of ${vs}: ${goes}${copies}`,
  };
}

function requestHost(hosts: BuiltHost[], request: SimulatedRequest): string {
  const known = [...new Set(hosts.map((h) => h.routing.host))];
  if (request.host !== undefined) {
    if (!known.some((pattern) => hostMatches(pattern, request.host!))) {
      throw new Error(`no VirtualService or DestinationRule for host ${JSON.stringify(request.host)}; the hosts are ${known.join(', ') || 'none'}`);
    }
    return request.host;
  }
  if (known.length !== 1) {
    throw new Error(`the request names no host and the routing has ${known.length === 0 ? 'none' : `several: ${known.join(', ')}`}; set the request's host`);
  }
  return known[0];
}

function specificity(pattern: string, host: string): number {
  return pattern === host ? Number.MAX_SAFE_INTEGER : pattern.length;
}

// Envoy lowercases header names; cookies travel in one `cookie` header; the pseudo-headers carry the
// method, the authority (the host unless the request says otherwise), the path and the scheme.
function requestView(request: SimulatedRequest, host: string, gateway: string): RequestView {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const key = name.toLowerCase();
    headers.set(key, headers.has(key) ? `${headers.get(key)},${value}` : String(value));
  }
  const cookies = Object.entries(request.cookies ?? {}).map(([name, value]) => `${name}=${value}`);
  if (cookies.length > 0) headers.set('cookie', [headers.get('cookie'), ...cookies].filter((c) => c !== undefined).join('; '));
  const pathAndQuery = request.uri ?? '/';
  const q = pathAndQuery.indexOf('?');
  const query = new URLSearchParams(q < 0 ? '' : pathAndQuery.slice(q + 1));
  const method = request.method ?? headers.get(':method') ?? 'GET';
  const authority = headers.get(':authority') ?? headers.get('host') ?? host;
  const scheme = request.scheme ?? headers.get(':scheme') ?? 'http';
  const pseudo = new Map([[':method', method], [':authority', authority], [':path', pathAndQuery], [':scheme', scheme]]);
  return {
    header: (name) => pseudo.get(name) ?? headers.get(name),
    queryParam: (name) => query.get(name) ?? undefined,
    path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
    pathAndQuery,
    method,
    authority,
    scheme,
    port: request.port,
    gateway,
    sourceLabels: { ...request.sourceLabels },
    sourceNamespace: request.sourceNamespace,
  };
}
