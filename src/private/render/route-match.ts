import { IConstruct } from 'constructs';
import { VirtualServiceSpecHttpMatch } from '../../imports/istio-networking.istio.io';
import { RouteMatch } from '../../route-match';
import { StringMatch } from '../../string-match';
import { report, checkLabels, checkInteger, checkDnsLabel } from '../checks';
import { q, fail } from '../errors';
import { matchHeaderNameFinding, catchAllFinding } from '../validation/match-checks';
import { isPseudoHeader } from '../validation/values';

export function routeMatchToIstio(scope: IConstruct, field: string, match: RouteMatch): VirtualServiceSpecHttpMatch {
  const headerMap = (name: string, map: { [header: string]: StringMatch } | undefined) => {
    if (map === undefined) return undefined;
    const out: { [header: string]: any } = {};
    for (const [header, value] of Object.entries(map)) {
      const at = `${field}.${name}[${q(header)}]`;
      // Pseudo-headers are valid in Istio's match, but not here: the path, method and authority have their
      // own fields. JWT claims are taken: the route checks that it applies to gateways only (CompositeRoute).
      if (isPseudoHeader(header)) {
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

/** Renders a set of methods as Istio's method StringMatch. */
export function methodMatch(methods: string[]): { exact?: string; regex?: string } {
  const unique = [...new Set(methods)];
  return unique.length === 1 ? { exact: unique[0] } : { regex: unique.join('|') };
}

/** The methods a rendered condition admits, or undefined for any method. */
export function methodsOf(match: VirtualServiceSpecHttpMatch): string[] | undefined {
  if (match.method === undefined) return undefined;
  if (match.method.exact !== undefined) return [match.method.exact];
  return match.method.regex!.split('|');
}
