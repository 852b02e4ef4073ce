/**
 * Reads Gateway API HTTPRoutes (`gateway.networking.k8s.io`) as Istio does: istiod converts each one into
 * VirtualService rules (pilot/pkg/config/kube/gateway/conversion.go), and so does this reader, so that the
 * routing model, its tables, the simulation, explain and the routing diff read HTTPRoutes with the engine
 * they use for VirtualServices.
 *
 * What follows Istio: one rule per match (a rule with several matches becomes several rules of the same
 * name), rules of all HTTPRoutes for one host and place merged (oldest route first) and then sorted by
 * Gateway API precedence (exact path, then prefix, then regex; longer paths; a method; more headers; more
 * query parameters); a rule without a name is named `namespace.route.index`; backendRefs weigh 1 unless
 * they say otherwise, and a rule whose weights are all 0 answers 500; `timeouts.request` is the rule's
 * timeout and `timeouts.backendRequest` the per-try timeout (or the timeout when the rule has no `retry`);
 * `retry` retries on connection errors plus its codes, 2 attempts unless it says otherwise; mirrors copy
 * `percent`, or `fraction` of the requests.
 *
 * What Gateway API has no word for, this reader adds from the Services in the set: a backendRef to a
 * version Service (`<service>-<version>`, whose selector is the host Service's plus version labels) reads
 * as that version of the host, as a subset would, so that both forms of one canary give the same table.
 */
import { expandGateway, MESH } from './names';
import { SubsetDefinition } from '../../routing/host-routing';
import { GATEWAY_DURATION } from '../gateway-duration';
import { compare, isPlain, list, strings } from '../json-values';
import { isHttpRoute, isService } from '../manifest-kinds';
import { DEFAULT_RETRY_ON } from '../validation/policy-checks';
import { durationMs } from '../validation/values';

/** Where the converted rules of HTTPRoutes came from, for the model's facts. */
export interface RouteOrigin {
  /** The HTTPRoutes whose rules the VirtualService holds, as `namespace/name`, oldest first. */
  readonly httpRoutes: string[];
  /** The version Services of the routed host, as subsets. */
  readonly versions: SubsetDefinition[];
  /** What Istio leaves out of the HTTPRoutes' rules, for the host's notes. */
  readonly notes: string[];
}

/** An HTTPRoute Istio does not accept, which therefore routes nothing. */
export interface RejectedRoute {
  readonly id: string;
  /** The mesh hosts (Service FQDNs) it was meant for. */
  readonly hosts: string[];
  readonly reason: string;
}

/** The VirtualServices HTTPRoutes stand for, with where each came from. */
export interface ConvertedRoutes {
  /** VirtualService manifests, one per place (mesh or gateway) and host. */
  readonly virtualServices: any[];
  /** The origin of each VirtualService of `virtualServices`. */
  readonly origins: Map<any, RouteOrigin>;
  readonly rejected: RejectedRoute[];
}

/** A Kubernetes Service in the set, as the conversion reads it. */
export interface ServiceEntry {
  readonly name: string;
  readonly namespace: string;
  readonly selector: { [key: string]: string };
  readonly ports: number[];
  readonly labels: { [key: string]: string };
}

const CLUSTER = 'svc.cluster.local';

/** The FQDN of a Service. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.${CLUSTER}`;
}

/**
 * The versions of Services in a set: which Service is a version of which (`<host>-<version>`, its selector
 * the host's plus at least one label), shared by the routing model and the checker.
 */
export class VersionServices {
  private readonly services: ServiceEntry[];

  constructor(manifests: any[]) {
    this.services = manifests.filter(isService).map((m) => ({
      name: String(m.metadata?.name ?? ''),
      namespace: namespaceOf(m),
      selector: stringMap(m.spec?.selector),
      ports: list(m.spec?.ports).map((p) => p?.port).filter((p): p is number => typeof p === 'number'),
      labels: stringMap(m.metadata?.labels),
    }));
  }

  /** The Service of that name, if the set has it. */
  public find(name: string, namespace: string): ServiceEntry | undefined {
    return this.services.find((s) => s.name === name && s.namespace === namespace);
  }

  /** The Service whose FQDN is `host`, if the set has it. */
  public serviceOfHost(host: string): ServiceEntry | undefined {
    return this.services.find((s) => serviceHost(s.name, s.namespace) === host);
  }

  /**
   * The host and version a Service stands for: the host Service whose name and selector it extends (the
   * longest such name), or the Service itself as a host.
   */
  public target(name: string, namespace: string): { host: string; subset?: string } {
    const version = this.find(name, namespace);
    const parent = version === undefined ? undefined : this.services
      .filter((h) => h.namespace === namespace && isVersionOf(version, h))
      .sort((a, b) => b.name.length - a.name.length)[0];
    if (parent === undefined) return { host: serviceHost(name, namespace) };
    return { host: serviceHost(parent.name, namespace), subset: name.slice(parent.name.length + 1) };
  }

  /** The version Services of a host, as subsets: the version's name and the labels it adds to the host's selector. */
  public versionsOf(host: string): SubsetDefinition[] {
    const parent = this.serviceOfHost(host);
    if (parent === undefined) return [];
    return this.services.filter((v) => v.namespace === parent.namespace && isVersionOf(v, parent))
      .sort((a, b) => compare(a.name, b.name))
      .map((v) => ({
        name: v.name.slice(parent.name.length + 1),
        labels: Object.fromEntries(Object.entries(v.selector).filter(([k]) => parent.selector[k] === undefined)),
        service: `${v.namespace}/${v.name}`,
      }));
  }
}

function isVersionOf(version: ServiceEntry, host: ServiceEntry): boolean {
  const hostLabels = Object.entries(host.selector);
  return version !== host && version.name.startsWith(`${host.name}-`) && version.name.length > host.name.length + 1
    && hostLabels.length > 0 && hostLabels.every(([k, v]) => version.selector[k] === v)
    && Object.keys(version.selector).length > hostLabels.length;
}

/**
 * The parentRefs as places: `mesh` with the Service's host (and the port the parentRef names, if any), or a
 * Gateway as `namespace/name`.
 */
export function parentPlaces(route: any): { mesh: { host: string; port?: number }[]; gateways: string[] } {
  const namespace = namespaceOf(route);
  const mesh: { host: string; port?: number }[] = [];
  const gateways: string[] = [];
  for (const ref of list(route.spec?.parentRefs)) {
    if (!isPlain(ref) || typeof ref.name !== 'string') continue;
    const ns = typeof ref.namespace === 'string' ? ref.namespace : namespace;
    const kind = ref.kind ?? 'Gateway';
    const group = ref.group ?? 'gateway.networking.k8s.io';
    if (kind === 'Service' && (group === '' || group === 'core')) {
      const port = typeof ref.port === 'number' ? ref.port : undefined;
      if (!mesh.some((m) => m.host === serviceHost(ref.name, ns) && m.port === port)) mesh.push({ host: serviceHost(ref.name, ns), port });
    } else if (kind === 'Gateway' && group === 'gateway.networking.k8s.io') {gateways.push(expandGateway(`${ns}/${ref.name}`, ns));}
  }
  return { mesh, gateways: [...new Set(gateways)] };
}

/** The VirtualServices Istio makes of the HTTPRoutes in `manifests`. */
export function convertHttpRoutes(manifests: any[]): ConvertedRoutes {
  const versions = new VersionServices(manifests);
  // Istio merges the routes of one place and host oldest first, then by namespace and name.
  const routes = manifests.filter(isHttpRoute).sort((a, b) =>
    compare(String(a.metadata?.creationTimestamp ?? ''), String(b.metadata?.creationTimestamp ?? ''))
    || compare(namespaceOf(a), namespaceOf(b)) || compare(String(a.metadata?.name ?? ''), String(b.metadata?.name ?? '')));

  const groups = new Map<string, { place: string; host: string; routes: any[]; rules: ConvertedRule[] }>();
  const rejected: RejectedRoute[] = [];
  for (const route of routes) {
    const { mesh, gateways } = parentPlaces(route);
    const converted = convertRules(route, versions);
    if (typeof converted === 'string') {
      rejected.push({ id: idOf(route), hosts: [...new Set(mesh.map((m) => m.host))], reason: converted });
      continue;
    }
    const hostnames = strings(route.spec?.hostnames);
    const claims: { place: string; host: string; port?: number }[] = [
      ...mesh.map(({ host, port }) => ({ place: MESH, host, port })),
      ...gateways.flatMap((place) => (hostnames.length === 0 ? ['*'] : hostnames).map((host) => ({ place, host }))),
    ];
    for (const { place, host, port } of claims) {
      // Istio makes one VirtualService per gateway and host, and for the mesh per route namespace, port and host.
      const key = place === MESH ? `${MESH}\n${namespaceOf(route)}/${port ?? ''}\n${host}` : `${place}\n${host}`;
      const group = groups.get(key) ?? { place, host, routes: [], rules: [] };
      groups.set(key, group);
      group.routes.push(route);
      // A parentRef to one port of the Service routes only requests to that port (Istio's augmentPortMatch).
      group.rules.push(...(port === undefined ? converted : converted.map((r) => ({
        ...r, http: { ...r.http, match: (r.http.match ?? [{}]).map((m: any) => ({ ...m, port })) },
      }))));
    }
  }

  const virtualServices: any[] = [];
  const origins = new Map<any, RouteOrigin>();
  for (const group of groups.values()) {
    const first = group.routes[0];
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: first.metadata?.name, namespace: first.metadata?.namespace },
      spec: { hosts: [group.host], gateways: [group.place], http: sortByPrecedence(group.rules).map((r) => r.http) },
    };
    virtualServices.push(vs);
    origins.set(vs, {
      httpRoutes: group.routes.map(idOf),
      versions: group.place === MESH ? versions.versionsOf(group.host) : [],
      notes: group.routes.flatMap(ignoredFields),
    });
  }
  return { virtualServices, origins, rejected };
}

interface ConvertedRule {
  readonly http: any;
  /** The match Istio sorts by, with the path as the API server defaults it. */
  readonly key: { rank: number; length: number; method: boolean; headers: number; queryParams: number };
}

// Gateway API precedence, as Istio's sortHTTPRoutes: a stable sort, so equal rules keep their order.
// Fields of the Gateway API that Istio 1.30's conversion does not read: they look like routing, and do nothing.
function ignoredFields(route: any): string[] {
  return list(route.spec?.rules).flatMap((r, n) => isPlain(r?.sessionPersistence)
    ? [`rule ${typeof r.name === 'string' && r.name !== '' ? r.name : `${namespaceOf(route)}.${route.metadata?.name}.${n}`} of HTTPRoute ${idOf(route)} sets sessionPersistence, which Istio does not implement: it keeps no user on a backend; use a version cookie (pins and Set-Cookie)`]
    : []);
}

function sortByPrecedence(rules: ConvertedRule[]): ConvertedRule[] {
  return rules.map((r, i) => ({ r, i })).sort(({ r: a, i: ia }, { r: b, i: ib }) => {
    const x = a.key;
    const y = b.key;
    if (x.rank !== y.rank) return y.rank - x.rank;
    if (x.length !== y.length) return y.length - x.length;
    if (x.method !== y.method) return x.method ? -1 : 1;
    if (x.headers !== y.headers) return y.headers - x.headers;
    if (x.queryParams !== y.queryParams) return y.queryParams - x.queryParams;
    return ia - ib;
  }).map(({ r }) => r);
}

/** The rules of one HTTPRoute as VirtualService rules, or why Istio rejects the route. */
function convertRules(route: any, versions: VersionServices): ConvertedRule[] | string {
  const namespace = namespaceOf(route);
  const out: ConvertedRule[] = [];
  for (const [n, rule] of list(route.spec?.rules).entries()) {
    const r = isPlain(rule) ? rule : {};
    const name = typeof r.name === 'string' && r.name !== '' ? r.name : `${namespace}.${route.metadata?.name}.${n}`;
    const base: any = { name };
    for (const filter of list(r.filters)) {
      const problem = applyFilter(base, filter, namespace, versions);
      if (problem !== undefined) return `rule ${name}: ${problem}`;
    }
    Object.assign(base, policies(r));
    const refs = list(r.backendRefs);
    if (refs.reduce((sum, ref) => sum + weightOf(ref), 0) === 0 && base.redirect === undefined) {
      base.directResponse = { status: 500 };
    } else if (base.redirect === undefined) {
      const kept = refs.filter((ref) => weightOf(ref) !== 0);
      const destinations: any[] = [];
      for (const ref of kept) {
        const destination = destinationOf(ref, namespace, versions);
        if (typeof destination === 'string') return `rule ${name}: ${destination}`;
        const headers: any = {};
        for (const f of list(ref.filters)) {
          if (f?.type === 'RequestHeaderModifier') headers.request = headerOps(f.requestHeaderModifier);
          else if (f?.type === 'ResponseHeaderModifier') headers.response = headerOps(f.responseHeaderModifier);
          else return `rule ${name}: backendRef filter ${JSON.stringify(f?.type)} is not supported by Istio`;
        }
        const weight = kept.length === 1 ? undefined : weightOf(ref);
        destinations.push(clean({ destination, weight, headers: Object.keys(headers).length === 0 ? undefined : headers }));
      }
      base.route = destinations;
    }
    // The API server defaults an absent match list to one match of every path.
    const matches = list(r.matches).length === 0 ? [{}] : list(r.matches);
    for (const m of matches) {
      const { entry, key } = matchOf(isPlain(m) ? m : {});
      out.push({ http: clean({ ...base, match: Object.keys(entry).length === 0 ? undefined : [entry] }), key });
    }
  }
  return out;
}

function matchOf(m: any): { entry: any; key: ConvertedRule['key'] } {
  const entry: any = {};
  const type = m.path?.type ?? 'PathPrefix';
  let value: string = typeof m.path?.value === 'string' ? m.path.value : '/';
  let rank = 2;
  if (type === 'PathPrefix') {
    if (value !== '/') value = value.replace(/\/$/, '');
    // Every path starts with `/`: the match says nothing, and the table says "every request" as for a VirtualService.
    if (value !== '/') entry.uri = { prefix: value, pathSeparated: true };
  } else if (type === 'Exact') {
    rank = 3;
    entry.uri = { exact: value };
  } else {
    rank = 1;
    entry.uri = { regex: value };
  }
  if (typeof m.method === 'string') entry.method = { exact: m.method };
  const headers = stringMatches(m.headers);
  if (headers !== undefined) entry.headers = headers;
  const queryParams = stringMatches(m.queryParams);
  if (queryParams !== undefined) entry.queryParams = queryParams;
  return {
    entry,
    key: {
      rank,
      length: value.length,
      method: entry.method !== undefined,
      headers: Object.keys(headers ?? {}).length,
      queryParams: Object.keys(queryParams ?? {}).length,
    },
  };
}

function stringMatches(items: unknown): { [name: string]: any } | undefined {
  const out: { [name: string]: any } = {};
  for (const item of list(items)) {
    if (!isPlain(item) || typeof item.name !== 'string') continue;
    out[item.name] = item.type === 'RegularExpression' ? { regex: String(item.value ?? '') } : { exact: String(item.value ?? '') };
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

// Rule-level filters; Istio rejects the whole route for a filter type it does not implement.
function applyFilter(http: any, filter: any, namespace: string, versions: VersionServices): string | undefined {
  switch (filter?.type) {
    case 'RequestHeaderModifier':
      http.headers = { ...http.headers, request: headerOps(filter.requestHeaderModifier) };
      return undefined;
    case 'ResponseHeaderModifier':
      http.headers = { ...http.headers, response: headerOps(filter.responseHeaderModifier) };
      return undefined;
    case 'RequestRedirect': {
      const r = filter.requestRedirect ?? {};
      const uri = r.path?.type === 'ReplaceFullPath' ? r.path.replaceFullPath : r.path?.type === 'ReplacePrefixMatch' ? `%PREFIX()%${r.path.replacePrefixMatch}` : undefined;
      http.redirect = clean({ scheme: r.scheme, authority: r.hostname, uri, redirectCode: r.statusCode ?? 302 });
      return undefined;
    }
    case 'RequestMirror': {
      const m = filter.requestMirror ?? {};
      const destination = destinationOf(m.backendRef ?? {}, namespace, versions);
      if (typeof destination === 'string') return `mirror: ${destination}`;
      const percent = isPlain(m.fraction)
        ? 100 * Number(m.fraction.numerator ?? 0) / Number(m.fraction.denominator ?? 100)
        : typeof m.percent === 'number' ? m.percent : undefined;
      http.mirrors = [...(http.mirrors ?? []), clean({ destination, percentage: percent === undefined ? undefined : { value: percent } })];
      return undefined;
    }
    case 'URLRewrite':
      http.rewrite = clean({ uri: filter.urlRewrite?.path?.replacePrefixMatch, authority: filter.urlRewrite?.hostname });
      return undefined;
    case 'CORS':
      http.corsPolicy = filter.cors ?? {};
      return undefined;
    default:
      return `filter ${JSON.stringify(filter?.type)} is not supported by Istio`;
  }
}

function policies(r: any): any {
  const out: any = {};
  if (isPlain(r.retry)) {
    const attempts = typeof r.retry.attempts === 'number' ? r.retry.attempts : 2;
    const codes = list(r.retry.codes).map(String);
    out.retries = clean({ attempts, retryOn: attempts === 0 ? undefined : [...DEFAULT_RETRY_ON, ...codes].join(',') });
  }
  const request = istioDuration(r.timeouts?.request);
  const backend = istioDuration(r.timeouts?.backendRequest);
  if (request !== undefined && !isZero(request)) out.timeout = request;
  if (backend !== undefined && !isZero(backend)) {
    if (out.retries !== undefined) out.retries = { ...out.retries, perTryTimeout: backend };
    else out.timeout = backend;
  }
  return out;
}

function destinationOf(ref: any, namespace: string, versions: VersionServices): any | string {
  if (!isPlain(ref) || typeof ref.name !== 'string') return 'a backendRef without a name';
  const group = ref.group ?? '';
  const kind = ref.kind ?? 'Service';
  if (group === 'networking.istio.io' && kind === 'Hostname') return clean({ host: ref.name, port: portOf(ref.port) });
  if (!((group === '' || group === 'core') && kind === 'Service')) return `backendRef kind ${ref.kind} (group ${JSON.stringify(ref.group ?? '')}) is not supported by Istio`;
  if (typeof ref.port !== 'number') return `backendRef ${ref.name} has no port, which Istio requires`;
  const ns = typeof ref.namespace === 'string' ? ref.namespace : namespace;
  const target = versions.target(ref.name, ns);
  // The port of a Service that has only that one says nothing a reviewer needs; as for a subset, leave it out.
  const service = versions.find(ref.name, ns);
  const port = service !== undefined && service.ports.length === 1 && service.ports[0] === ref.port ? undefined : ref.port;
  return clean({ ...target, port: portOf(port) });
}

function portOf(port: unknown): { number: number } | undefined {
  return typeof port === 'number' ? { number: port } : undefined;
}

// Istio lowercases the names it adds or sets, and keeps the first of equal names.
function headerOps(modifier: any): any {
  const map = (items: unknown) => {
    const out: { [name: string]: string } = {};
    for (const h of list(items)) {
      if (!isPlain(h) || typeof h.name !== 'string') continue;
      const key = h.name.toLowerCase();
      if (!(key in out)) out[key] = String(h.value ?? '');
    }
    return Object.keys(out).length === 0 ? undefined : out;
  };
  const remove = strings(modifier?.remove);
  return clean({ add: map(modifier?.add), set: map(modifier?.set), remove: remove.length === 0 ? undefined : remove });
}

function weightOf(ref: any): number {
  return typeof ref?.weight === 'number' ? ref.weight : 1;
}

function isZero(duration: string): boolean {
  return /^(0+(h|m|s|ms))+$/.test(duration);
}

/**
 * A Gateway API duration (GEP-2257, `1h30m`, `1s500ms`) as the constructs write an Istio one (`5400s`,
 * `1500ms`): Istio converts it into the same protobuf duration, so the table and the diff must not tell the
 * forms apart by their spelling. A value that is not such a duration is kept as it is.
 */
function istioDuration(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!GATEWAY_DURATION.test(value)) return value;
  const ms = durationMs(value)!;
  if (ms === 0) return value;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** An object's namespace; `default`, where kubectl puts an object without one. */
function namespaceOf(m: any): string {
  const ns = m?.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

function idOf(m: any): string {
  const ns = m.metadata?.namespace;
  const name = String(m.metadata?.name ?? '(unnamed)');
  return typeof ns === 'string' && ns !== '' ? `${ns}/${name}` : name;
}

function stringMap(value: unknown): { [key: string]: string } {
  return isPlain(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as { [key: string]: string } : {};
}

function clean(value: any): any {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
