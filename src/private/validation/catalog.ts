/** The rule catalog: every code with its severity, family and summary, as docs/checks.md lists them. */
import { CheckRule, Severity } from '../../validation/finding';

const E = Severity.ERROR;
const W = Severity.WARNING;
const I = Severity.INFO;

/**
 * Every rule by code. Severity follows Istio: what its webhook (or the API server's schema) rejects, and
 * what cannot work at runtime, is an error; what Istio accepts but is probably a mistake is a warning.
 */
export const RULES = {
  // Objects: metadata and fields both kinds share.
  OBJECT_NAME_INVALID: [E, 'object', 'metadata.name is missing or not a DNS-1123 subdomain'],
  OBJECT_ANNOTATION_REJECTED: [E, 'object', 'an annotation Istio\'s webhook rejects on networking objects (istio.io/dry-run, internal.istio.io/...)'],
  SPEC_TYPE_INVALID: [E, 'object', 'a field has the wrong type (a string where a number belongs, a list where a map belongs)'],
  EXPORT_TO_INVALID: [E, 'object', 'exportTo entries: `.`, `*` or namespaces, no duplicates, `*` alone, own namespace only with a workloadSelector'],
  HOST_SHORT_NAME: [I, 'object', 'a host without dots is resolved in the namespace of the object that names it'],

  // The API server: the CRD's OpenAPI schema and CEL rules, checked before Istio's webhook (a wrong type is SPEC_TYPE_INVALID).
  SCHEMA_UNKNOWN_FIELD: [E, 'api server', 'a field the CRD schema does not define, which `kubectl apply` rejects (strict field validation)'],
  SCHEMA_REQUIRED_MISSING: [E, 'api server', 'a field the CRD schema requires is missing (a destination without host)'],
  SCHEMA_ENUM_INVALID: [E, 'api server', 'a value that is not one of those the CRD schema lists for the field'],
  SCHEMA_ONE_OF: [E, 'api server', 'fields set together of which the CRD schema allows one (oneOf)'],
  SCHEMA_VALUE_INVALID: [E, 'api server', 'a value outside the range, length, size or format the CRD schema allows (int32, base64)'],
  CEL_RULE_VIOLATED: [E, 'api server', 'a value a CEL rule of the CRD schema (x-kubernetes-validations) rejects, e.g. a duration below 1ms'],

  // VirtualService: hosts, gateways, delegation.
  VS_HOST_INVALID: [E, 'hosts and gateways', 'a VirtualService host is not a DNS name (wildcard first label allowed) nor an IP address'],
  VS_HOST_WILDCARD_MESH: [E, 'hosts and gateways', 'host `*` on a VirtualService that applies to the mesh'],
  VS_HOST_DUPLICATE: [E, 'hosts and gateways', 'two hosts of one VirtualService overlap (equal, or one wildcard covers the other)'],
  VS_NO_ROUTES: [E, 'hosts and gateways', 'a VirtualService without http, tcp or tls routes'],
  VS_DELEGATE_INVALID: [E, 'hosts and gateways', 'a delegate VirtualService (no hosts) with gateways, tls or tcp routes'],
  VS_GATEWAY_INVALID: [E, 'hosts and gateways', 'a gateway reference that is not `name`, `namespace/name` or `mesh`'],
  VS_GATEWAY_LEGACY_FORMAT: [W, 'hosts and gateways', 'a gateway written `name.namespace` instead of `namespace/name`'],
  VS_GATEWAY_NAME_UNCHECKED: [W, 'hosts and gateways', 'an invalid gateway reference Istio does not check because an earlier one has no namespace'],
  VS_JWT_CLAIM_NOT_ON_GATEWAY: [E, 'hosts and gateways', 'routing on `@request.auth.claims` in a VirtualService not bound to a gateway'],

  // HTTP, TCP and TLS routes and their destinations.
  VS_HTTP_ROUTE_NULL: [E, 'routes and destinations', 'a null entry in `http`'],
  VS_HTTP_ACTION_MISSING: [E, 'routes and destinations', 'an HTTP route with none of route, redirect, directResponse or delegate'],
  VS_HTTP_ACTION_CONFLICT: [E, 'routes and destinations', 'redirect or directResponse together with route, fault, rewrite or each other'],
  VS_DELEGATE_ROUTE_INVALID: [E, 'routes and destinations', 'a route with `delegate` that also has route or redirect, or a delegate inside a delegate'],
  VS_DESTINATION_MISSING: [E, 'routes and destinations', 'a route or mirrors entry that is null or has no destination'],
  VS_DESTINATION_HOST_INVALID: [E, 'routes and destinations', 'a destination host that is `*` or not a DNS name'],
  VS_SUBSET_NAME_INVALID: [E, 'routes and destinations', 'a destination subset that is not a DNS-1123 label'],
  PORT_INVALID: [E, 'routes and destinations', 'a port number outside 1-65535'],
  VS_WEIGHT_NEGATIVE: [E, 'routes and destinations', 'a negative destination weight'],
  VS_WEIGHT_TOTAL_ZERO: [E, 'routes and destinations', 'several destinations whose weights sum to 0'],
  VS_WEIGHT_SUM_NOT_100: [W, 'routes and destinations', 'weights of a split that do not sum to 100 (Istio uses them as ratios)'],
  VS_WEIGHT_ZERO: [I, 'routes and destinations', 'a destination of a split with weight 0, which gets no traffic'],
  VS_TCP_ROUTE_INVALID: [E, 'routes and destinations', 'a TCP route without destinations, or with a null match or an invalid subnet'],
  VS_TLS_ROUTE_INVALID: [E, 'routes and destinations', 'a TLS route without matches, SNI hosts or destinations, or with SNI hosts outside the VirtualService hosts'],
  VS_TLS_SNI_IP: [W, 'routes and destinations', 'an IP address used as an SNI host'],

  // HTTP match conditions.
  MATCH_HEADER_NAME_INVALID: [E, 'match', 'a header name in a match that is empty or not an HTTP token'],
  MATCH_HEADER_NAME_UPPERCASE: [W, 'match', 'an upper-case header name in a match (header names are compared in lower case)'],
  MATCH_HEADER_NULL: [E, 'match', 'a null header match'],
  MATCH_STRING_MULTIPLE: [E, 'match', 'a string match with more than one of exact, prefix and regex'],
  MATCH_PREFIX_EMPTY: [E, 'match', 'an empty prefix match on a header, query parameter, method, scheme or authority'],
  MATCH_REGEX_EMPTY: [E, 'match', 'an empty regex match'],
  MATCH_REGEX_INVALID: [E, 'match', 'a regex that is not RE2 syntax or longer than 1024 bytes'],
  MATCH_SOURCE_NAMESPACE_INVALID: [E, 'match', 'a sourceNamespace that is not a DNS-1123 label'],
  LABELS_INVALID: [E, 'match', 'a label key or value (sourceLabels, subset labels) that Kubernetes would not accept'],

  // Route policies.
  DURATION_INVALID: [E, 'policies', 'a duration that does not parse, is below 1ms or is finer than milliseconds'],
  RETRY_ATTEMPTS_NEGATIVE: [E, 'policies', 'negative retry attempts'],
  RETRY_POLICY_WHEN_DISABLED: [E, 'policies', 'perTryTimeout, retryOn or retryRemoteLocalities with 0 (or no) attempts'],
  RETRY_ON_INVALID: [E, 'policies', 'a retryOn condition Envoy does not know'],
  RETRY_ON_STATUS_CODES_ONLY: [W, 'policies', 'a retryOn of status codes only, which drops Istio\'s default conditions (connect-failure, refused-stream, unavailable, cancelled)'],
  HEADER_NAME_INVALID: [E, 'policies', 'a header operation on an empty, pseudo (`:`) or Host header'],
  HEADER_VALUE_INVALID: [E, 'policies', 'a header value with control characters or a malformed %VARIABLE% expression'],
  HEADER_AUTHORITY_MULTIPLE: [E, 'policies', 'the authority set more than once (rewrite.authority, host or :authority headers)'],
  MIRROR_AND_MIRRORS: [E, 'policies', 'mirror and mirrors in one route'],
  MIRROR_PERCENTAGE_INVALID: [E, 'policies', 'a mirror percentage outside 0-100'],
  MIRROR_PERCENT_DEPRECATED: [W, 'policies', 'the deprecated mirrorPercent (mirror_percent) field'],
  MIRROR_FULL: [I, 'policies', 'a mirror without a percentage, which copies every request of the route'],
  FAULT_EMPTY: [E, 'policies', 'a fault with neither abort nor delay'],
  FAULT_PERCENTAGE_INVALID: [E, 'policies', 'a fault percentage that is neither 0 nor in 0.0001-100'],
  FAULT_ABORT_INVALID: [E, 'policies', 'an abort with a status outside 200-600, an unknown gRPC status, http2Error, or several error types'],
  FAULT_ABORT_TYPE_MISSING: [W, 'policies', 'an abort without httpStatus or grpcStatus'],
  FAULT_DELAY_INVALID: [E, 'policies', 'a delay with exponentialDelay (not supported) or several delay types'],
  REDIRECT_INVALID: [E, 'policies', 'a redirect without a target, with a non-3xx code, another scheme than http(s), or a bad port'],
  DIRECT_RESPONSE_INVALID: [E, 'policies', 'a direct response with a status outside 200-600 or a body over 1 MiB'],
  DIRECT_RESPONSE_BODY_LARGE: [W, 'policies', 'a direct response body over 100 KiB'],
  REWRITE_INVALID: [E, 'policies', 'a rewrite with nothing to rewrite, both uri and uriRegexRewrite, or an incomplete or invalid uriRegexRewrite'],
  CORS_ORIGIN_INVALID: [E, 'policies', 'an empty or invalid CORS allowOrigins entry'],
  CORS_METHOD_INVALID: [E, 'policies', 'a CORS method other than GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE or *'],
  CORS_HEADER_INVALID: [E, 'policies', 'an empty or invalid CORS allowHeaders or exposeHeaders entry'],
  CORS_MAX_AGE_INVALID: [E, 'policies', 'a CORS maxAge with a fraction of a second'],

  // DestinationRule.
  DR_HOST_INVALID: [E, 'destination rule', 'a DestinationRule host that is not a DNS name (wildcard first label allowed)'],
  DR_SUBSET_INVALID: [E, 'destination rule', 'a subset that is null or whose name is empty or not a DNS-1123 label'],
  DR_SUBSET_DUPLICATE: [E, 'destination rule', 'two subsets with the same name'],
  DR_SUBSET_NO_LABELS: [W, 'destination rule', 'a subset without labels, which selects every pod of the host'],
  DR_SUBSET_SAME_LABELS: [W, 'destination rule', 'two subsets with the same labels, which select the same pods'],
  DR_WORKLOAD_SELECTOR_INVALID: [E, 'destination rule', 'a workloadSelector label with an empty key or a `*`'],
  DR_WORKLOAD_SELECTOR_EMPTY: [W, 'destination rule', 'a workloadSelector without labels'],

  // Traffic policies (DestinationRule top level, subsets, ports).
  TRAFFIC_POLICY_EMPTY: [E, 'traffic policy', 'a trafficPolicy without any policy'],
  TRAFFIC_POLICY_CONFLICT: [E, 'traffic policy', 'tunnel and proxyProtocol together'],
  TUNNEL_INVALID: [E, 'traffic policy', 'a tunnel with another protocol than CONNECT or POST, or a bad target host or port'],
  PROXY_PROTOCOL_INVALID: [E, 'traffic policy', 'a proxyProtocol version other than V1 or V2'],
  LB_INVALID: [E, 'traffic policy', 'a load balancer with several algorithms or hash keys, an unnamed hash cookie, a hash cookie attribute without a name or named twice, or a bad Maglev table size'],
  LB_MINIMUM_RING_SIZE_DEPRECATED: [W, 'traffic policy', 'the deprecated consistentHash.minimumRingSize'],
  LB_LOCALITY_INVALID: [E, 'traffic policy', 'a localityLbSetting with overlapping, malformed or unbalanced localities'],
  LB_FAILOVER_WITHOUT_OUTLIER: [W, 'traffic policy', 'locality failover without outlierDetection, so failover never happens'],
  LB_WARMUP_INVALID: [E, 'traffic policy', 'a warmup without duration, minimumPercent over 100 or aggression below 1'],
  CONNECTION_POOL_EMPTY: [E, 'traffic policy', 'a connectionPool with neither tcp nor http settings'],
  CONNECTION_POOL_INVALID: [E, 'traffic policy', 'a negative connection pool limit, or useClientProtocol with h2UpgradePolicy UPGRADE'],
  OUTLIER_DETECTION_INVALID: [E, 'traffic policy', 'ejection percentages outside 0-100, negative counts, or local origin failures without splitting'],
  OUTLIER_CONSECUTIVE_ERRORS_DEPRECATED: [W, 'traffic policy', 'the deprecated outlierDetection.consecutiveErrors'],
  TLS_INVALID: [E, 'traffic policy', 'client TLS settings that contradict each other or miss MUTUAL certificates'],
  PORT_POLICY_INVALID: [E, 'traffic policy', 'a portLevelSettings entry that is null, has no port or no policy'],
  TLS_SERVER_NOT_VERIFIED: [W, 'traffic policy', 'SIMPLE or MUTUAL TLS without caCertificates, so the server certificate is not verified'],

  // Analyzers: what istioctl analyze and the webhook's warnings find, across objects or inside one.
  XO_SUBSET_NOT_FOUND: [E, 'analyzers', 'a route or mirror to a subset no DestinationRule of the checked set defines for that host (503 NC at runtime)'],
  XO_SUBSET_NOT_VISIBLE: [W, 'analyzers', 'a route or mirror to a subset that sidecars of some namespaces do not get: the DestinationRule Istio picks for them lacks it (503 NC there)'],
  XO_MESH_HOST_CONFLICT: [E, 'analyzers', 'two VirtualServices for one host on the mesh, of which Istio uses one'],
  XO_GATEWAY_HOST_CONFLICT: [W, 'analyzers', 'two VirtualServices for one host on one gateway, merged in creation order'],
  VS_RULE_UNREACHABLE: [W, 'analyzers', 'an HTTP, TCP or TLS rule that an earlier catch-all or earlier matches make unreachable'],
  VS_MATCH_SHADOWED: [W, 'analyzers', 'a match that an earlier match, of an earlier rule or of the same one, always takes first'],
  MIRROR_TO_SERVING_SUBSET: [W, 'analyzers', 'a mirror onto a destination that already serves the route'],
  SOURCE_MATCH_ON_GATEWAY: [W, 'analyzers', 'sourceLabels or sourceNamespace in a match that applies to gateways only, where it never matches'],
  RETRY_PER_TRY_TIMEOUT_IGNORED: [W, 'analyzers', 'a perTryTimeout not below the route timeout, which Envoy ignores'],
  RETRY_BUDGET_EXCEEDS_TIMEOUT: [W, 'analyzers', 'tries x perTryTimeout longer than the route timeout, which cuts retries short'],
  XO_CONSISTENT_HASH_SPLIT: [W, 'analyzers', 'a consistent-hash load balancer for a host that a rule splits by weight between subsets, which it does not make sticky'],
  XO_GATEWAY_BYPASSES_SUBSETS: [W, 'analyzers', 'a gateway route to a host without a subset, or to one version Service, while a mesh route splits that host'],
  XO_GATEWAY_NOT_FOUND: [E, 'analyzers', 'a gateway the checked set does not define, when it defines Gateways'],
  XO_HOST_NOT_IN_GATEWAY: [W, 'analyzers', 'a VirtualService bound to a Gateway of the checked set whose servers cover none of its hosts'],
  SOURCE_MATCH_IGNORED: [W, 'analyzers', 'sourceLabels or sourceNamespace in an HTTP match that lists gateways, where Istio ignores them'],
  MATCH_GATEWAY_UNBOUND: [W, 'analyzers', 'a match gateway the VirtualService is not bound to, so the match never applies'],
  MATCH_FORGEABLE_ON_GATEWAY: [W, 'analyzers', 'a header or query parameter condition that sends requests through a gateway to a subset'],
  XO_BACKEND_NOT_FOUND: [E, 'analyzers', 'an HTTPRoute backendRef to a Service, or a port of it, that the checked set does not define while it defines the route\'s other Services'],
  XO_HTTP_ROUTE_VS_CONFLICT: [E, 'analyzers', 'an HTTPRoute attached to a Service and a mesh VirtualService for its host: Istio uses the HTTPRoute and ignores the VirtualService'],

  // Gateway API HTTPRoute, as Istio's Gateway API controller converts it.
  HR_NO_SERVING_BACKEND: [E, 'http route', 'an HTTPRoute rule without backendRefs, or with all of weight 0, and no redirect: Istio answers it with 500'],
  HR_BACKEND_KIND_UNSUPPORTED: [E, 'http route', 'a backendRef of a kind Istio does not route to (other than Service, ServiceImport, Hostname, InferencePool)'],
  HR_BACKEND_PORT_MISSING: [E, 'http route', 'a ServiceImport or Hostname backendRef without a port, which Istio rejects'],
  HR_FILTER_UNSUPPORTED: [E, 'http route', 'a filter Istio does not implement (ExtensionRef, ExternalAuth; on a backendRef, any but the header modifiers): the route is not programmed'],
  HR_SESSION_PERSISTENCE_IGNORED: [W, 'http route', 'sessionPersistence, which Istio 1.30 does not implement: requests are not pinned'],
} as const;

/** A rule code. */
export type Code = keyof typeof RULES;

/**
 * What the predicate of a rule found, without a field or a severity: each caller adds the field it checked
 * and its own profile's severity (the checker Istio's, from this catalog; the constructs the L2 profile,
 * see `report` in src/private/checks.ts). One predicate answers for the constructs, the checker and the routing
 * model, so they cannot disagree on what the rule finds.
 */
export interface RuleFinding {
  readonly code: Code;
  readonly message: string;
}

/** The documented rules, in catalog order. */
export function allRules(): CheckRule[] {
  return Object.entries(RULES).map(([code, [severity, family, summary]]) => ({ code, severity, family, summary }));
}
