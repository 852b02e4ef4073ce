import { IConstruct } from 'constructs';
import { checkDnsLabel, checkInteger, checkLabels, report } from './checks';
import { fail, q } from './errors';
import { HttpMethod } from './http-method';
import { VirtualServiceSpecHttpMatch } from './imports/istio-networking.istio.io';
import { StringMatch } from './string-match';
import { catchAllFinding, matchHeaderNameFinding } from './validation/match-rules';
import { isJwtClaim, isPseudoHeader } from './validation/values';

/**
 * One match condition of a rule. All the fields set in one condition must hold (AND); a rule with several
 * conditions matches when any of them holds (OR).
 */
export interface RouteMatch {
  /**
   * Request headers that must match, by lowercase name. Header values can be set by any client: on a route
   * bound to an ingress gateway, make sure the edge strips or overwrites the header.
   *
   * An upper-case name is an error here (MATCH_HEADER_NAME_UPPERCASE), stricter than Istio, which accepts
   * it with a warning since Envoy compares names in lower case: the route's own checks (trusted headers on
   * gateways, rules with the same conditions) compare names as written, and would miss `X-User` against
   * `x-user`. Pseudo-headers and JWT claims are not taken either: match the path with `uri`.
   * @default - headers are not checked
   */
  readonly headers?: { [name: string]: StringMatch };

  /**
   * Request headers that must not match, by lowercase name; `StringMatch.present()` means "absent".
   * Names follow the rules of `headers`.
   * @default - headers are not checked
   */
  readonly withoutHeaders?: { [name: string]: StringMatch };

  /**
   * Labels of the calling workload. Only traffic from sidecars carries them: on a gateway such a condition
   * never matches.
   * @default - any caller
   */
  readonly sourceLabels?: { [key: string]: string };

  /**
   * Namespace of the calling workload (sidecar traffic only).
   * @default - any namespace
   */
  readonly sourceNamespace?: string;

  /**
   * The request path.
   * @default - any path
   */
  readonly uri?: StringMatch;

  /**
   * Compare `uri` case-insensitively.
   * @default false
   */
  readonly ignoreUriCase?: boolean;

  /**
   * HTTP methods, any of which matches.
   * @default - any method
   */
  readonly methods?: HttpMethod[];

  /**
   * Query parameters that must match.
   * @default - query parameters are not checked
   */
  readonly queryParams?: { [name: string]: StringMatch };

  /**
   * The port the request was sent to.
   * @default - any port
   */
  readonly port?: number;
}

/** @internal */
export function routeMatchToIstio(scope: IConstruct, field: string, match: RouteMatch): VirtualServiceSpecHttpMatch {
  const headerMap = (name: string, map: { [header: string]: StringMatch } | undefined) => {
    if (map === undefined) return undefined;
    const out: { [header: string]: any } = {};
    for (const [header, value] of Object.entries(map)) {
      const at = `${field}.${name}[${q(header)}]`;
      // Pseudo-headers and JWT claims are valid in Istio's match, but not here: the path, method and
      // authority have their own fields, and claims only exist on gateways that validate JWTs.
      if (isPseudoHeader(header) || isJwtClaim(header)) {
        fail(scope, at, `${q(header)} is not a valid header name here: use the name of an HTTP header, and uri or methods to match the path or method`);
      }
      report(scope, at, matchHeaderNameFinding(header));
      out[header] = value._toIstio(scope, at);
    }
    return out;
  };
  if (match.sourceLabels !== undefined) checkLabels(scope, `${field}.sourceLabels`, match.sourceLabels);
  if (match.port !== undefined) checkInteger(scope, `${field}.port`, match.port, 1, 65535);
  if (match.sourceNamespace !== undefined) checkDnsLabel(scope, `${field}.sourceNamespace`, match.sourceNamespace);
  if (match.ignoreUriCase && match.uri === undefined) {
    fail(scope, `${field}.ignoreUriCase`, 'ignoreUriCase has no effect without a uri condition; add uri or remove ignoreUriCase');
  }
  if (match.methods !== undefined && match.methods.length === 0) {
    fail(scope, `${field}.methods`, 'the list is empty and would match no request; name the methods or leave methods out');
  }
  const queryParams = match.queryParams && Object.fromEntries(Object.entries(match.queryParams).map(
    ([name, value]) => [name, value._toIstio(scope, `${field}.queryParams[${q(name)}]`)]));
  const istio: VirtualServiceSpecHttpMatch = {
    headers: headerMap('headers', match.headers),
    withoutHeaders: headerMap('withoutHeaders', match.withoutHeaders),
    sourceLabels: match.sourceLabels && { ...match.sourceLabels },
    sourceNamespace: match.sourceNamespace,
    uri: match.uri?._toIstio(scope, `${field}.uri`),
    ignoreUriCase: match.ignoreUriCase,
    method: match.methods && methodMatch(match.methods.map((m) => m.name)),
    queryParams,
    port: match.port,
  };
  report(scope, field, catchAllFinding(istio));
  return istio;
}

/** Renders a set of methods as Istio's method StringMatch. @internal */
export function methodMatch(methods: string[]): { exact?: string; regex?: string } {
  const unique = [...new Set(methods)];
  return unique.length === 1 ? { exact: unique[0] } : { regex: unique.join('|') };
}

/** The methods a rendered condition admits, or undefined for any method. @internal */
export function methodsOf(match: VirtualServiceSpecHttpMatch): string[] | undefined {
  if (match.method === undefined) return undefined;
  if (match.method.exact !== undefined) return [match.method.exact];
  return match.method.regex!.split('|');
}
