/**
 * One match entry of an Istio HTTP rule (`http[].match[]`): in words, and evaluated against a request the
 * way Istio's generated Envoy routes evaluate it. The fields of one entry must all hold.
 */
import { expandGateway, MESH, sameGateway } from './names';
import { re2FullMatch } from './re2-match';
import { matchesEveryRequest } from '../validation/match-checks';

/** What the conditions of a rule can see of a request. */
export interface RequestView {
  /** The path without the query string. */
  readonly path: string;
  /** The path with the query string, as in the `:path` header. */
  readonly pathAndQuery: string;
  readonly method: string;
  readonly authority: string;
  readonly scheme: string;
  readonly port?: number;
  /** `mesh` for a sidecar, or the gateway the request comes through. */
  readonly gateway: string;
  readonly sourceLabels: { [key: string]: string };
  readonly sourceNamespace?: string;
  /** A request header by lowercase name (pseudo-headers such as `:authority` included). */
  header(name: string): string | undefined;
  /** A query parameter by name. */
  queryParam(name: string): string | undefined;
}

/** Where the VirtualService of a condition applies: source conditions only ever match sidecar traffic. */
export type Scope = 'mesh' | 'gateways' | 'both';

/**
 * Whether a match entry matches every request: the predicate the checker (VS_RULE_UNREACHABLE) and the
 * constructs use too, so the model's catch-all is theirs.
 */
export const matchesEverything: (entry: any) => boolean = matchesEveryRequest;

/** Whether a match entry holds for a request. `namespace` is the VirtualService's, for short gateway names. */
export function entryMatches(entry: any, request: RequestView, namespace: string | undefined): boolean {
  if (entry === null || typeof entry !== 'object') return true;
  if (!sourceMatches(entry, request, namespace)) return false;
  if (entry.port !== undefined && entry.port !== request.port) return false;
  if (entry.uri !== undefined && !uriMatches(entry.uri, entry.ignoreUriCase === true, request)) return false;
  if (entry.method !== undefined && !stringMatches(entry.method, request.method)) return false;
  if (entry.authority !== undefined && !stringMatches(entry.authority, request.authority)) return false;
  if (entry.scheme !== undefined && !stringMatches(entry.scheme, request.scheme)) return false;
  for (const [name, match] of Object.entries(entry.headers ?? {})) {
    if (!stringMatches(match, request.header(name.toLowerCase()))) return false;
  }
  for (const [name, match] of Object.entries(entry.withoutHeaders ?? {})) {
    const value = request.header(name.toLowerCase());
    // Istio inverts the header matcher; for a value match it also treats a missing header as empty.
    if (isPresentMatch(match) ? value !== undefined : stringMatches(match, value ?? '')) return false;
  }
  for (const [name, match] of Object.entries(entry.queryParams ?? {})) {
    if (!stringMatches(match, request.queryParam(name))) return false;
  }
  return true;
}

/** A match entry in words, its parts joined with "and". */
export function entryWords(entry: any, scope: Scope): string {
  if (entry === null || typeof entry !== 'object') return 'every request';
  const parts: string[] = [];
  if (entry.uri?.pathSeparated === true && typeof entry.uri.prefix === 'string') {
    parts.push(`uri ${quote(entry.uri.prefix)} or under ${quote(`${entry.uri.prefix}/`)}`);
  } else if (entry.uri !== undefined) {
    const noCase = entry.ignoreUriCase === true && entry.uri.regex === undefined ? ' (any case)' : '';
    parts.push(`uri ${valueWords(entry.uri, false)}${noCase}`);
  }
  if (entry.method !== undefined) parts.push(methodWords(entry.method));
  if (entry.authority !== undefined) parts.push(`authority ${valueWords(entry.authority, false)}`);
  if (entry.scheme !== undefined) parts.push(`scheme ${valueWords(entry.scheme, false)}`);
  for (const [name, match] of sortedEntries(entry.headers)) parts.push(headerWords(name, match, false));
  for (const [name, match] of sortedEntries(entry.withoutHeaders)) parts.push(headerWords(name, match, true));
  for (const [name, match] of sortedEntries(entry.queryParams)) parts.push(`query ${name} ${valueWords(match, false)}`);
  if (entry.port !== undefined) parts.push(`port ${entry.port}`);
  if (isSet(entry.gateways)) {
    const names = (entry.gateways as string[]).map((g) => g === MESH ? 'sidecars (mesh)' : `gateway ${g}`);
    parts.push(`through ${names.join(' or ')}`);
  } else {
    // Istio compares source conditions with the proxy that routes: at a gateway, the gateway's own pods.
    const caveat = scope === 'gateways' ? ' (never matches at a gateway)' : scope === 'both' ? ' (sidecar traffic only)' : '';
    if (isSet(entry.sourceLabels)) {
      parts.push(`source ${sortedEntries(entry.sourceLabels).map(([k, v]) => `${k}=${v}`).join(',')}${caveat}`);
    }
    if (entry.sourceNamespace !== undefined) parts.push(`source namespace ${entry.sourceNamespace}${caveat}`);
  }
  return parts.length === 0 ? 'every request' : parts.join(' and ');
}

/**
 * The cookie a `cookie` header regex requires, when it is the exact-cookie pattern `StickySplit` writes:
 * `^(.*;\s*)?<name>=<value>(;.*)?$` (anchors optional, `.*?` allowed), with the name and value as literals.
 */
export function cookieOfRegex(regex: string): { name: string; value: string } | undefined {
  const m = /^\^?\(\.\*\??;\\s\*\)\?(.+?)=(.+)\(;\.\*\)\?\$?$/.exec(regex);
  if (m === null) return undefined;
  const literal = /^(?:\\.|[^\\.*+?^${}()|[\]])+$/;
  if (!literal.test(m[1]) || !literal.test(m[2])) return undefined;
  const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
  return { name: unescape(m[1]), value: unescape(m[2]) };
}

/** Whether an Istio StringMatch (`exact`, `prefix`, `regex`; `{}` for "present") holds for a value. */
export function stringMatches(match: any, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (isPresentMatch(match)) return true;
  if (match.exact !== undefined) return value === match.exact;
  if (match.prefix !== undefined) return value.startsWith(match.prefix);
  return re2FullMatch(match.regex, value);
}

// Envoy compares an exact or prefix uri with the path case-insensitively when asked; never a regex. An
// exact or regex uri is compared with the path without its query string, a prefix with the whole :path.
function uriMatches(match: any, ignoreCase: boolean, request: RequestView): boolean {
  if (isPresentMatch(match)) return true;
  // An HTTPRoute's PathPrefix matches whole path segments (Envoy's path_separated_prefix): /cart, /cart/1, not /carts.
  if (match.pathSeparated === true && match.prefix !== undefined) {
    return request.path === match.prefix || request.path.startsWith(`${match.prefix}/`);
  }
  const fold = (s: string) => ignoreCase ? s.toLowerCase() : s;
  if (match.exact !== undefined) return fold(request.path) === fold(match.exact);
  if (match.prefix !== undefined) return fold(request.pathAndQuery).startsWith(fold(match.prefix));
  return re2FullMatch(match.regex, request.path);
}

// Istio's sourceMatchHTTP: gateways named in the entry replace the source checks; otherwise the source
// labels and namespace are those of the proxy, which at a gateway are the gateway's own.
function sourceMatches(entry: any, request: RequestView, namespace: string | undefined): boolean {
  if (isSet(entry.gateways)) {
    return (entry.gateways as string[]).some((g) => sameGateway(expandGateway(g, namespace), request.gateway));
  }
  const labels = isSet(entry.sourceLabels) ? Object.entries(entry.sourceLabels as { [key: string]: string }) : [];
  if ((labels.length > 0 || entry.sourceNamespace !== undefined) && request.gateway !== MESH) return false;
  if (!labels.every(([key, value]) => request.sourceLabels[key] === value)) return false;
  return entry.sourceNamespace === undefined || entry.sourceNamespace === request.sourceNamespace;
}

function headerWords(rawName: string, match: any, negated: boolean): string {
  const name = rawName.toLowerCase();
  const cookie = name === 'cookie' && match?.regex !== undefined ? cookieOfRegex(match.regex) : undefined;
  if (cookie) return `cookie ${cookie.name} ${negated ? '!=' : '='} ${quote(cookie.value)}`;
  const claim = /^@request\.auth\.claims(?:\.|\[)(.*?)\]?$/.exec(name);
  const subject = claim ? `claim ${claim[1].replace(/\]\[/g, '.')}` : `header ${name}`;
  return `${subject} ${valueWords(match, negated)}`;
}

function methodWords(match: any): string {
  if (match.regex !== undefined && /^[A-Z]+(\|[A-Z]+)+$/.test(match.regex)) {
    const methods = (match.regex as string).split('|');
    return `method ${methods.slice(0, -1).join(', ')} or ${methods[methods.length - 1]}`;
  }
  if (match.exact !== undefined) return `method ${match.exact}`;
  return `method ${valueWords(match, false)}`;
}

function valueWords(match: any, negated: boolean): string {
  if (isPresentMatch(match)) return negated ? 'absent' : 'present';
  if (match.exact !== undefined) return `${negated ? '!=' : '='} ${quote(match.exact)}`;
  if (match.prefix !== undefined) return `${negated ? 'does not start' : 'starts'} with ${quote(match.prefix)}`;
  return `${negated ? 'does not match' : 'matches'} regex ${quote(match.regex)}`;
}

// An empty StringMatch, or Istio's special regex "*", means "present".
function isPresentMatch(match: any): boolean {
  return match === null || typeof match !== 'object'
    || (match.exact === undefined && match.prefix === undefined && (match.regex === undefined || match.regex === '*'));
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function sortedEntries(map: { [key: string]: any } | undefined): [string, any][] {
  return Object.entries(map ?? {}).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
}

function quote(value: string): string {
  return `"${value.replace(/"/g, '\\"')}"`;
}
