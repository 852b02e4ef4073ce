/**
 * The one translator from a route's Istio HTTP rules (as CompositeRoute renders them, for every preset) to
 * Gateway API HTTPRoute rules over the subsets' version Services: the reverse of what Istio's
 * pilot/pkg/config/kube/gateway/conversion.go does with an HTTPRoute, so that Istio 1.30 programs the proxies
 * the same way. Whatever an HTTPRoute cannot say is an error naming the field and the Istio-API way: nothing
 * is dropped on the way.
 */
import { IConstruct } from 'constructs';
import { RuleSite } from './route-rule';
import {
  HttpRouteSpecRules,
  HttpRouteSpecRulesBackendRefs,
  HttpRouteSpecRulesBackendRefsFilters,
  HttpRouteSpecRulesFilters,
  HttpRouteSpecRulesFiltersType,
  HttpRouteSpecRulesMatches,
  HttpRouteSpecRulesMatchesHeadersType,
  HttpRouteSpecRulesMatchesMethod,
  HttpRouteSpecRulesMatchesPathType,
  HttpRouteSpecRulesRetry,
  HttpRouteSpecRulesTimeouts,
} from '../../imports/gateway-gateway.networking.k8s.io';
import {
  VirtualServiceSpecHttp,
  VirtualServiceSpecHttpHeadersRequest,
  VirtualServiceSpecHttpMatch,
  VirtualServiceSpecHttpMatchHeaders,
} from '../../imports/istio-networking.istio.io';
import { Subsets } from '../../subsets';
import { fail, q } from '../errors';
import { GATEWAY_DURATION } from '../gateway-duration';
import { escapeRegex } from '../regex-literal';
import { hostService } from './version-services';
import { DEFAULT_RETRY_ON } from '../validation/policy-checks';
import { durationMs } from '../validation/values';

/** The fallback every error names. */
export const USE_VIRTUAL_SERVICE = 'use RouteOutput.virtualService() for this route';

/** What the translation needs besides the rules: where they were written, the subsets, the backends' port. */
export interface HttpRouteTarget {
  readonly site: RuleSite;
  readonly subsets: Subsets;
  /** The version Services' port the backendRefs name. */
  readonly port?: number;
  /** The HTTPRoute's namespace (undefined: wherever it is applied). */
  readonly namespace?: string;
}

/**
 * The keys of an Istio HTTP rule (`VirtualServiceSpecHttp`) this file translates, and those it refuses with
 * the reason: together every key the generated type has (test/http-route.test.ts holds them to it).
 */
export const TRANSLATED_RULE_KEYS = ['name', 'match', 'route', 'timeout', 'retries', 'headers', 'mirror', 'mirrors', 'mirrorPercentage'];
export const UNSUPPORTED_RULE_KEYS: { readonly [key: string]: string } = {
  fault: 'fault injection cannot be expressed on an HTTPRoute (Gateway API has no fault filter)',
  corsPolicy: 'corsPolicy is not translated to an HTTPRoute CORS filter by this library',
  delegate: 'delegate cannot be expressed on an HTTPRoute (Gateway API has no route delegation)',
  directResponse: 'directResponse cannot be expressed on an HTTPRoute (Gateway API has no direct response)',
  redirect: 'redirect is not translated to an HTTPRoute RequestRedirect filter by this library',
  rewrite: 'rewrite is not translated to an HTTPRoute URLRewrite filter by this library (and a regex rewrite cannot be expressed)',
  mirrorPercent: 'mirrorPercent is deprecated; use mirrorPercentage',
};
/** The same for a condition (`VirtualServiceSpecHttpMatch`). */
export const TRANSLATED_MATCH_KEYS = ['uri', 'method', 'headers', 'queryParams'];
export const UNSUPPORTED_MATCH_KEYS: { readonly [key: string]: string } = {
  sourceLabels: 'sourceLabels cannot be expressed on an HTTPRoute (Gateway API matches requests, not their senders)',
  sourceNamespace: 'sourceNamespace cannot be expressed on an HTTPRoute (Gateway API matches requests, not their senders)',
  gateways: 'a match on gateways cannot be expressed on an HTTPRoute (its parentRefs bind the whole route)',
  withoutHeaders: 'withoutHeaders cannot be expressed on an HTTPRoute (Gateway API has no negated match)',
  ignoreUriCase: 'ignoreUriCase cannot be expressed on an HTTPRoute; use a (?i) regex uri',
  authority: 'authority cannot be expressed in an HTTPRoute match; put the host in hosts',
  scheme: 'scheme cannot be expressed in an HTTPRoute match',
  port: 'port cannot be expressed in an HTTPRoute match; give the parentRef a port',
  name: 'a match name cannot be expressed on an HTTPRoute',
  statPrefix: 'statPrefix cannot be expressed on an HTTPRoute',
};
/** The same for a destination of `route`. */
export const TRANSLATED_DESTINATION_KEYS = ['destination', 'weight', 'headers'];
/** The same for `retries` (`perTryTimeout` becomes the rule's `timeouts.backendRequest`). */
export const TRANSLATED_RETRY_KEYS = ['attempts', 'perTryTimeout', 'retryOn', 'backoff'];
export const UNSUPPORTED_RETRY_KEYS: { readonly [key: string]: string } = {
  retryRemoteLocalities: 'retryRemoteLocalities cannot be expressed on an HTTPRoute',
  retryIgnorePreviousHosts: 'retryIgnorePreviousHosts cannot be expressed on an HTTPRoute (Istio keeps its default there)',
};


/** The HTTPRoute rules of `http`, the Istio rules of one block (a rule, or a default with its pins). */
export function toHttpRoute(target: HttpRouteTarget, http: VirtualServiceSpecHttp[]): HttpRouteSpecRules[] {
  return http.map((rule) => toHttpRouteRule(target, rule));
}

function toHttpRouteRule(target: HttpRouteTarget, rule: VirtualServiceSpecHttp): HttpRouteSpecRules {
  const { scope, field } = target.site;
  const present = (key: string) => (rule as any)[key] !== undefined;
  for (const key of Object.keys(UNSUPPORTED_RULE_KEYS).filter(present)) {
    fail(scope, field(key === 'fault' ? 'fault' : ''), `${UNSUPPORTED_RULE_KEYS[key]}; ${USE_VIRTUAL_SERVICE}`);
  }
  const timeouts: HttpRouteSpecRulesTimeouts = {
    request: rule.timeout === undefined ? undefined : gatewayDuration(scope, field('timeout'), rule.timeout),
    backendRequest: rule.retries?.perTryTimeout === undefined ? undefined : gatewayDuration(scope, field('retries.perTryTimeout'), rule.retries.perTryTimeout),
  };
  const longer = durationMs(rule.retries?.perTryTimeout)! > durationMs(rule.timeout)!;
  if (timeouts.request !== undefined && timeouts.backendRequest !== undefined && longer) {
    fail(scope, field('retries.perTryTimeout'), `the per-try timeout ${rule.retries!.perTryTimeout} is longer than the rule's timeout ${rule.timeout}, which an HTTPRoute rejects (backendRequest cannot exceed request); shorten it, or ${USE_VIRTUAL_SERVICE}`);
  }
  const filters: HttpRouteSpecRulesFilters[] = [
    ...headerFilters(rule.headers),
    ...mirrorFilters(target, rule),
  ];
  return {
    name: rule.name,
    matches: rule.match?.flatMap((m, i) => toMatches(scope, field(`match[${i}]`), m)),
    filters: filters.length === 0 ? undefined : filters,
    backendRefs: (rule.route ?? []).map((destination, i) => {
      const ref: HttpRouteSpecRulesBackendRefs = {
        ...backend(target, field(`to[${i}]`), destination.destination),
        weight: destination.weight,
      };
      const own = headerFilters(destination.headers) as unknown as HttpRouteSpecRulesBackendRefsFilters[];
      return own.length === 0 ? ref : { ...ref, filters: own };
    }),
    timeouts: timeouts.request === undefined && timeouts.backendRequest === undefined ? undefined : timeouts,
    retry: rule.retries && retryOf(scope, field('retries'), rule.retries),
  };
}

// A condition; a regex of several methods (the mirrored copy's) becomes one match per method, which an
// HTTPRoute ORs as Istio ORs the methods of the regex.
function toMatches(scope: IConstruct, field: string, match: VirtualServiceSpecHttpMatch): HttpRouteSpecRulesMatches[] {
  for (const key of Object.keys(UNSUPPORTED_MATCH_KEYS).filter((k) => (match as any)[k] !== undefined)) {
    fail(scope, `${field}.${key}`, `${UNSUPPORTED_MATCH_KEYS[key]}; ${USE_VIRTUAL_SERVICE}`);
  }
  const base: HttpRouteSpecRulesMatches = {
    path: match.uri && pathOf(match.uri),
    headers: match.headers && Object.entries(match.headers).map(([name, value]) => ({ name, ...valueMatch(value) })),
    queryParams: match.queryParams && Object.entries(match.queryParams).map(([name, value]) => ({ name, ...valueMatch(value) })),
  };
  if (match.method === undefined) return [base];
  const methods = match.method.exact !== undefined ? [match.method.exact] : /^[A-Z|]+$/.test(match.method.regex ?? '') ? match.method.regex!.split('|') : undefined;
  const known = Object.values(HttpRouteSpecRulesMatchesMethod) as string[];
  const unknown = methods?.find((m) => !known.includes(m));
  if (methods === undefined || unknown !== undefined) {
    fail(scope, `${field}.methods`, `the method ${q(unknown ?? match.method.regex)} cannot be expressed in an HTTPRoute match (one of ${known.join(', ')}); ${USE_VIRTUAL_SERVICE}`);
  }
  return methods.map((method) => ({ ...base, method: method as HttpRouteSpecRulesMatchesMethod }));
}

function pathOf(uri: VirtualServiceSpecHttpMatchHeaders): HttpRouteSpecRulesMatches['path'] {
  if (uri.exact !== undefined) return { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: uri.exact };
  // Istio reads PathPrefix as a prefix of whole path segments ("/api" takes "/api/x", not "/apix").
  if (uri.prefix !== undefined) return { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: uri.prefix };
  return { type: HttpRouteSpecRulesMatchesPathType.REGULAR_EXPRESSION, value: uri.regex ?? '/.*' };
}

// A header or query value: a prefix, and "present", become the regex Envoy evaluates for them (Envoy
// anchors regexes at both ends, and a regex needs the header to be there).
// (The header and query parameter enums have the same values.)
function valueMatch(value: VirtualServiceSpecHttpMatchHeaders): { type: any; value: string } {
  const regex = HttpRouteSpecRulesMatchesHeadersType.REGULAR_EXPRESSION;
  if (value.exact !== undefined) return { type: HttpRouteSpecRulesMatchesHeadersType.EXACT, value: value.exact };
  if (value.regex !== undefined) return { type: regex, value: value.regex };
  if (value.prefix !== undefined) return { type: regex, value: `${escapeRegex(value.prefix)}.*` };
  return { type: regex, value: '.*' };
}

function headerFilters(headers: VirtualServiceSpecHttp['headers']): HttpRouteSpecRulesFilters[] {
  const modifier = (ops: VirtualServiceSpecHttpHeadersRequest | undefined) => {
    if (ops === undefined) return undefined;
    const list = (map: { [k: string]: string } | undefined) => map && Object.entries(map).map(([name, value]) => ({ name, value }));
    return { set: list(ops.set), add: list(ops.add), remove: ops.remove && [...ops.remove] };
  };
  const request = modifier(headers?.request);
  const response = modifier(headers?.response);
  return [
    ...request ? [{ type: HttpRouteSpecRulesFiltersType.REQUEST_HEADER_MODIFIER, requestHeaderModifier: request }] : [],
    ...response ? [{ type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER, responseHeaderModifier: response }] : [],
  ];
}

function mirrorFilters(target: HttpRouteTarget, rule: VirtualServiceSpecHttp): HttpRouteSpecRulesFilters[] {
  const { field } = target.site;
  const mirrors = rule.mirror !== undefined
    ? [{ destination: rule.mirror, percentage: rule.mirrorPercentage }]
    : rule.mirrors ?? [];
  // Istio 1.30 turns each RequestMirror filter into one of the rule's mirrors.
  return mirrors.map((m, i) => ({
    type: HttpRouteSpecRulesFiltersType.REQUEST_MIRROR,
    requestMirror: { backendRef: backend(target, field(`mirror.targets[${i}]`), m.destination), ...mirrorShare(m.percentage?.value) },
  }));
}

// Gateway API takes a whole percent, or a fraction for the rest (0.5% is 5/1000).
function mirrorShare(percentage: number | undefined): { percent?: number; fraction?: { numerator: number; denominator: number } } {
  if (percentage === undefined) return {};
  if (Number.isInteger(percentage)) return { percent: percentage };
  let scale = 1;
  while (!Number.isInteger(Math.round(percentage * scale * 1e6) / 1e6) && scale < 1e6) scale *= 10;
  return { fraction: { numerator: Math.round(percentage * scale), denominator: 100 * scale } };
}

type IstioDestination = { host: string; subset?: string; port?: { number?: number } };

function backend(target: HttpRouteTarget, field: string, destination: IstioDestination): { name: string; namespace?: string; port: number } {
  const { scope } = target.site;
  const { subsets } = target;
  if (destination.host !== subsets.host || destination.subset === undefined) {
    fail(scope, field, `a destination other than a subset of ${q(subsets.host)} cannot be expressed on this HTTPRoute; ${USE_VIRTUAL_SERVICE}`);
  }
  const name = subsets.subset(destination.subset).serviceName;
  if (name === undefined) {
    fail(scope, field, `an HTTPRoute routes to Services, and ${subsets.node.path} writes none for subset ${q(destination.subset)}; set versionServices on it (Subsets.fromWorkloads: versionServices: true), or ${USE_VIRTUAL_SERVICE}`);
  }
  const port = destination.port?.number ?? target.port ?? soleServicePort(scope, field, subsets);
  // A backendRef without a namespace names a Service in the route's own namespace; the version Services live
  // in the host's. A route elsewhere (a Gateway's namespace) names it, and needs the ReferenceGrant Gateway API
  // asks for there (docs/gateway-api.md).
  const namespace = hostService(scope, field, subsets.host).namespace;
  return namespace === target.namespace ? { name, port } : { name, namespace, port };
}

function soleServicePort(scope: IConstruct, field: string, subsets: Subsets): number {
  const ports = subsets._versionServices?.ports ?? [];
  if (ports.length !== 1) {
    fail(scope, field, `the version Services of ${subsets.node.path} have ${ports.length} ports, and a backendRef names one; give the output a port (RouteOutput.meshHttpRoute({ port }) or gatewayHttpRoute({ ..., port }))`);
  }
  return ports[0].port;
}

function retryOf(scope: IConstruct, field: string, retries: NonNullable<VirtualServiceSpecHttp['retries']>): HttpRouteSpecRulesRetry {
  for (const key of Object.keys(UNSUPPORTED_RETRY_KEYS).filter((k) => (retries as any)[k] !== undefined)) {
    fail(scope, `${field}.${key}`, `${UNSUPPORTED_RETRY_KEYS[key]}; ${USE_VIRTUAL_SERVICE}`);
  }
  // Unset, Istio retries connection failures and 503; on an HTTPRoute it always retries the connection
  // failures, so the default is code 503. Listed conditions must be those, or status codes.
  const conditions = retries.retryOn?.split(',') ?? ['503'];
  // An HTTPRoute retry always has Istio's default conditions: conversion.go adds them to the status codes.
  const other = conditions.find((c) => !/^\d+$/.test(c) && !DEFAULT_RETRY_ON.includes(c));
  if (other !== undefined) {
    fail(scope, `${field}.retryOn`, `the retry condition ${q(other)} cannot be expressed on an HTTPRoute, whose retries in Istio 1.30 are on ${DEFAULT_RETRY_ON.join(', ')} and the status codes listed; list status codes (RetryOn.statusCode(503)), or ${USE_VIRTUAL_SERVICE}`);
  }
  const codes = conditions.filter((c) => /^\d+$/.test(c)).map(Number);
  const backoff = retries.backoff === undefined ? undefined : gatewayDuration(scope, `${field}.backoff`, retries.backoff);
  return { attempts: retries.attempts, backoff, codes: codes.length === 0 ? undefined : codes };
}

/** An Istio duration in Gateway API's format (GEP-2257: up to four parts of 1-5 digits, h/m/s/ms). */
function gatewayDuration(scope: IConstruct, field: string, duration: string): string {
  const ms = durationMs(duration)!;
  if (!Number.isInteger(ms)) fail(scope, field, `${duration} is not a whole number of milliseconds, as Gateway API durations are; ${USE_VIRTUAL_SERVICE}`);
  const parts: [number, string][] = [[Math.floor(ms / 3_600_000), 'h'], [Math.floor(ms / 60_000) % 60, 'm'], [Math.floor(ms / 1000) % 60, 's'], [ms % 1000, 'ms']];
  const text = parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`).join('');
  if (!GATEWAY_DURATION.test(text)) fail(scope, field, `${duration} is too long for a Gateway API duration; ${USE_VIRTUAL_SERVICE}`);
  return text;
}
