/**
 * The documentation of every rule, as `cdk8s-istio-traffic rules CODE` prints it: whose behaviour the
 * rule's severity follows, exactly what it finds, what Istio and Envoy do with such an object, and the fix.
 * It is keyed by the catalog's codes, so a rule without documentation (or documentation without a rule)
 * does not compile. Written for Istio 1.30.
 */
import { Code } from './catalog';

/**
 * Whose behaviour a rule's severity follows, in the words of the Source column of docs/checks.md.
 */
export type RuleSource =
  | 'webhook'
  | 'webhook warning'
  | 'CRD schema'
  | 'CRD schema (oneOf)'
  | 'Kubernetes API server'
  | 'library'
  | 'istioctl analyze IST0101'
  | 'istioctl analyze IST0109'
  | 'webhook warning, IST0130'
  | 'webhook warning, IST0131'
  | 'istioctl analyze IST0128, IST0129'
  | 'istioctl analyze IST0132'
  | 'istioctl analyze IST0140'
  | 'Istio Gateway API controller';

/** What a finding of each source means when the object is applied. */
export const SOURCES: { readonly [S in RuleSource]: string } = {
  'webhook': 'Istio\'s validating webhook (run by istiod) rejects the object: `kubectl apply` fails with "admission webhook ... denied the request" (or, for a field whose alternatives exclude each other, the API server\'s schema refuses it first), nothing is stored, and the version already in the cluster, if any, stays in force. `istioctl validate -f` reports the same error offline.',
  'webhook warning': 'Istio\'s validating webhook accepts the object and returns a warning, which kubectl prints as "Warning: ..."; the apply succeeds.',
  'CRD schema': 'The Kubernetes API server rejects the object against the OpenAPI schema of Istio\'s CRD, before Istio\'s webhook is asked; kubectl names the field and what the schema expects.',
  'CRD schema (oneOf)': 'The Kubernetes API server rejects the object: Istio\'s CRD schema allows only one of the alternatives of this field (a oneOf), and it is checked before Istio\'s webhook is asked.',
  'Kubernetes API server': 'The Kubernetes API server rejects the object before any webhook is asked: its rules for object names hold for every kind.',
  'library': 'A check of this library, not of Istio: Istio accepts the object as it is. The finding says what then happens to traffic.',
  'istioctl analyze IST0101': '`istioctl analyze` reports it as IST0101 (ReferencedResourceNotFound), an error. The API server and Istio\'s webhook accept the object, because they look at one object at a time.',
  'istioctl analyze IST0109': '`istioctl analyze` reports it as IST0109 (ConflictingMeshGatewayVirtualServiceHosts), an error. The API server and Istio\'s webhook accept each object, because they look at one object at a time.',
  'webhook warning, IST0130': 'Istio\'s validating webhook accepts the object with a warning (kubectl prints "Warning: ..."), and `istioctl analyze` reports it as IST0130 (VirtualServiceUnreachableRule).',
  'webhook warning, IST0131': 'Istio\'s validating webhook accepts the object with a warning (kubectl prints "Warning: ..."), and `istioctl analyze` reports it as IST0131 (VirtualServiceIneffectiveMatch).',
  'istioctl analyze IST0128, IST0129': '`istioctl analyze` reports it as IST0128 (NoServerCertificateVerificationDestinationLevel) or, in a port-level setting, IST0129 (NoServerCertificateVerificationPortLevel), both warnings. The API server and Istio\'s webhook accept the object.',
  'istioctl analyze IST0132': '`istioctl analyze` reports it as IST0132 (VirtualServiceHostNotFoundInGateway), a warning. The API server and Istio\'s webhook accept the object, because they look at one object at a time.',
  'istioctl analyze IST0140': '`istioctl analyze` reports it as IST0140 (IngressRouteRulesNotAffected), a warning. The API server and Istio\'s webhook accept each object, because they look at one object at a time.',
  'Istio Gateway API controller': 'The API server accepts the HTTPRoute (Istio runs no webhook on Gateway API kinds); istiod\'s Gateway API controller then converts it into routes, and reports what it cannot use in the route\'s status (Accepted or ResolvedRefs False). An error: the route, or a backend, does not serve (requests get 500), or the route is not used; a warning: a field it ignores.',
};

/** The documentation of one rule. */
export interface RuleDoc {
  /** Whose behaviour the rule's severity follows. */
  readonly source: RuleSource;
  /** Exactly what the checker reports. */
  readonly finds: string;
  /** What Istio (and Envoy) do with such an object: rejected at apply time, or accepted and what follows. */
  readonly istio: string;
  /** What to write instead. */
  readonly fix: string;
}

/** Every rule's documentation, by code, in catalog order. */
export const RULE_DOCS: { readonly [C in Code]: RuleDoc } = {
  // Objects: metadata and fields both kinds share.
  OBJECT_NAME_INVALID: {
    source: 'Kubernetes API server',
    finds: 'metadata.name is missing (and there is no metadata.generateName), longer than 253 characters, or not a DNS-1123 subdomain: lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit.',
    istio: 'The API server refuses to store the object, so Istio never sees it and the routing of its hosts stays as it was.',
    fix: 'Set metadata.name to a lower-case name such as `reviews-canary`: letters, digits, \'-\' and \'.\', at most 253 characters, starting and ending with a letter or digit.',
  },
  OBJECT_ANNOTATION_REJECTED: {
    source: 'webhook',
    finds: 'An annotation Istio\'s webhook refuses on every VirtualService and DestinationRule: `istio.io/dry-run`, `internal.istio.io/webhook-always-reject` or `internal.istio.io/parents`.',
    istio: 'The webhook rejects the object before it looks at the spec. Only AuthorizationPolicy supports dry-run; the internal annotations are reserved for objects Istio generates itself (one of them exists to make the webhook refuse an object).',
    fix: 'Delete the annotation from metadata.annotations. To try a change without applying it, run `kubectl apply --dry-run=server` or `istioctl analyze` instead.',
  },
  SPEC_TYPE_INVALID: {
    source: 'CRD schema',
    finds: 'A field whose value has the wrong JSON type: a string where an integer, number or boolean belongs (`weight: "50"`), a list where a mapping belongs or the reverse, or a non-string entry in a list of strings or a string map. The checker then treats the field as absent, so it may report other problems of the object as well.',
    istio: 'The API server validates the object against the structural schema of Istio\'s CRD and refuses it; neither istiod nor Envoy receives any of it.',
    fix: 'Write the value in the type the field takes: numbers unquoted (`weight: 50`), booleans as true or false, durations as strings (`timeout: 2s`), lists with `-` entries, mappings as `key: value`. The finding\'s message names the expected type.',
  },
  EXPORT_TO_INVALID: {
    source: 'webhook',
    finds: 'An exportTo entry that is not `.`, `*` or a namespace name; `~` (export to no namespace, which only ServiceEntry accepts); a namespace listed twice, including `.` together with the object\'s own namespace; `*` together with other entries; or, on a DestinationRule with a workloadSelector, any namespace other than its own.',
    istio: 'The webhook rejects the object, so which namespaces\' sidecars and gateways see it does not change. A DestinationRule with a workloadSelector applies only to workloads of its own namespace, which is why it cannot be exported further.',
    fix: 'List each namespace once: `exportTo: ["."]` for this namespace only, `["*"]` or no exportTo for every namespace, or names such as `[".", "istio-system"]`. On a DestinationRule with a workloadSelector write `["."]`, or drop exportTo.',
  },
  HOST_SHORT_NAME: {
    source: 'library',
    finds: 'A host without a dot and without a wildcard, such as `reviews`, in a VirtualService\'s hosts, in a destination, or as a DestinationRule\'s host.',
    istio: 'Istio accepts it and completes the name with the namespace of the object that names it, not of the service: `reviews` in a VirtualService of namespace `shop` means `reviews.shop.svc.cluster.local`. Applied in another namespace, the same text names another service, or none, and requests sent to a service that does not exist fail with 503.',
    fix: 'Write the fully qualified name, e.g. `reviews.shop.svc.cluster.local`, so that the host means the same service wherever the object is applied. The library\'s constructs (Subsets, CompositeRoute) reject a short name with this code, as their DestinationRule and VirtualService may be applied in different namespaces.',
  },

  // The API server: the CRD's OpenAPI schema and CEL rules.
  SCHEMA_UNKNOWN_FIELD: {
    source: 'CRD schema',
    finds: 'A field the schema of the object\'s kind and version does not define at that place, such as `mirror_percentage` in an HTTP route (the field is `mirrorPercentage`) or `weigth` in a destination. The message names the closest field the schema knows there, when one is close, or lists the fields it knows. Fields under `x-kubernetes-preserve-unknown-fields` (`status`) are not checked.',
    istio: 'Since Kubernetes 1.27 `kubectl apply` asks the API server for strict field validation, and the API server rejects the object ("strict decoding error: unknown field"). With `--validate=false` or an older client it silently drops the field instead, so the setting you wrote does not exist in the cluster; neither way does Istio see it.',
    fix: 'Rename the field to the one the schema defines (the message suggests it), or remove it. `kubectl explain virtualservice.spec.http` lists the fields of each level.',
  },
  SCHEMA_REQUIRED_MISSING: {
    source: 'CRD schema',
    finds: 'A field the schema requires is missing from its object: a DestinationRule\'s `host`, the `destination` of a route entry or `mirrors` entry and its `host` (and a `mirror`\'s), the `status` of a directResponse, the `match` of a TLS route and the `sniHosts` of its matches, the `name` of a subset or of a hash cookie, the `targetHost` and `targetPort` of a tunnel, the `duration` of a warmup. The finding is at the missing field.',
    istio: 'The API server rejects the object ("Required value") before Istio\'s webhook is asked.',
    fix: 'Set the field the message names, e.g. `destination: {host: reviews.prod.svc.cluster.local}`.',
  },
  SCHEMA_ENUM_INVALID: {
    source: 'CRD schema',
    finds: 'A value that is not one of the values the schema lists for the field: a load balancer (`simple: ROUND_ROBIN`, `LEAST_REQUEST`, ...), a TLS mode, an h2 upgrade policy, a redirect derivePort, a proxy protocol version and the other enumerations of Istio\'s CRDs. Names are compared exactly, so `round_robin` is not `ROUND_ROBIN`.',
    istio: 'The API server rejects the object ("Unsupported value") before Istio\'s webhook is asked.',
    fix: 'Use one of the values the message lists, spelled as listed.',
  },
  SCHEMA_ONE_OF: {
    source: 'CRD schema (oneOf)',
    finds: 'An object that sets more than one of the fields its schema allows only one of: exact, prefix and regex of a string match (uri, scheme, method, authority, headers, queryParams, withoutHeaders, CORS origins); httpStatus, grpcStatus and http2Error of an abort; fixedDelay and exponentialDelay of a delay; port and derivePort of a redirect; string and bytes of a direct response body; simple and consistentHash of a load balancer, and its hash key and ring algorithm. Istio\'s webhook has rules for most of these (MATCH_STRING_MULTIPLE, LB_INVALID, ...), which the checker then does not repeat.',
    istio: 'The API server rejects the object: these fields are alternatives of one protobuf oneof, and the schema accepts one of them at a time.',
    fix: 'Keep one of the fields the message lists and remove the others; a match on several conditions is several match entries, or several fields of one entry (uri and headers).',
  },
  SCHEMA_VALUE_INVALID: {
    source: 'CRD schema',
    finds: 'A value outside what the schema allows besides its type: an integer of an `int32` field outside -2147483648 to 2147483647 (the API server checks the format\'s range), a number below the schema\'s minimum or above its maximum (ports and `uint32` fields 0 to 4294967295, percentages 0 to 100), a `bytes` value that is not standard base64 with padding, a label value longer than 63 characters, more than 4096 port-level settings or workload selector labels.',
    istio: 'The API server rejects the object ("Invalid value", "Too long", "Too many") before Istio\'s webhook is asked.',
    fix: 'Write a value within what the message names: the range, the length or the number of entries.',
  },
  CEL_RULE_VIOLATED: {
    source: 'CRD schema',
    finds: 'A value that breaks a CEL rule (`x-kubernetes-validations`) of the schema. Istio 1.30\'s CRDs have two families: every duration (timeouts, perTryTimeout, backoff, delays, CORS maxAge, connection pool and outlier detection times, warmup) must be a Go duration of at least 1ms, and a DestinationRule\'s `workloadSelector.matchLabels` may have no empty key and no `*` in a key or a value. The message starts with the rule\'s own message, as kubectl prints it.',
    istio: 'The API server evaluates the rules after the schema and rejects the object with the rule\'s message (`spec.http[0].timeout: Invalid value: "string": must be a valid duration greater than 1ms`); Istio\'s webhook, asked afterwards, has rules of its own for the same values (DURATION_INVALID, DR_WORKLOAD_SELECTOR_INVALID), which the checker then does not repeat.',
    fix: 'Write a duration of at least 1ms as Go does (`250ms`, `1.5s`, `1m30s`), or a label key and value without `*` and a non-empty key.',
  },

  // VirtualService: hosts, gateways, delegation.
  VS_HOST_INVALID: {
    source: 'webhook',
    finds: 'A VirtualService host that is empty, longer than 255 characters, has a label that is not a DNS label, ends in an all-numeric label, or has a `*` anywhere but at the start of its first label. IP addresses are accepted; so are the `outbound_.<port>_._.<host>` names Istio generates, on a VirtualService with TLS SNI routes bound to gateways only.',
    istio: 'The webhook rejects the object, so none of its rules take effect. Envoy compares hosts with the Host or :authority header of HTTP requests, or with the SNI of TLS connections, which only ever carry names of this shape.',
    fix: 'Name the host as a DNS name: a service (`reviews.prod.svc.cluster.local`), an external name (`api.example.com`), or a wildcard first label (`*.example.com`). Leave out schemes, ports and paths such as `https://`, `:8080` or `/v1`.',
  },
  VS_HOST_WILDCARD_MESH: {
    source: 'webhook',
    finds: 'The host `*` on a VirtualService that applies to sidecars: it has no gateways, or `mesh` is among them.',
    istio: 'The webhook rejects the object: on sidecars, `*` would take over the outbound HTTP traffic to every service of the mesh. On gateways `*` is accepted, because there it only covers the hosts the Gateway\'s servers admit.',
    fix: 'On the mesh, list the hosts you route, e.g. `reviews.prod.svc.cluster.local`. To route every host of a gateway, keep `*` and bind the VirtualService to that gateway only: `gateways: [istio-system/public-gateway]`, without `mesh`.',
  },
  VS_HOST_DUPLICATE: {
    source: 'webhook',
    finds: 'Two hosts of one VirtualService that overlap: the same name twice, or a wildcard that covers another entry (`*.example.com` and `api.example.com`, or `*.com` and `*.example.com`). Checked only when every host is valid.',
    istio: 'The webhook rejects the object: within one VirtualService, every host a request can carry must select exactly one entry.',
    fix: 'Keep one entry per name: drop the exact name when a wildcard in the list already covers it (keep `*.example.com` alone), or replace the wildcard with the names you mean.',
  },
  VS_NO_ROUTES: {
    source: 'webhook',
    finds: 'A VirtualService whose http, tcp and tls are all missing or empty.',
    istio: 'The webhook rejects the object: a VirtualService without rules routes nothing. While no VirtualService routes a service, Istio\'s default applies: every request to it is balanced over all its endpoints, with no timeout.',
    fix: 'Add at least one rule, e.g. `http: [{route: [{destination: {host: reviews.prod.svc.cluster.local}}]}]`, or delete the VirtualService to keep Istio\'s default routing.',
  },
  VS_DELEGATE_INVALID: {
    source: 'webhook',
    finds: 'A VirtualService without hosts (a delegate) that lists gateways, or has tls or tcp rules.',
    istio: 'The webhook rejects the object. A delegate only lends its http rules to the root VirtualService that names it under `delegate`: the root\'s hosts and gateways decide where they apply, and Istio has no delegation for TCP or TLS.',
    fix: 'Delete gateways, tcp and tls from the delegate and keep its http rules; bind the root VirtualService to the gateways instead. If the object should route on its own, give it hosts.',
  },
  VS_GATEWAY_INVALID: {
    source: 'webhook',
    finds: 'An entry of spec.gateways, or of a match\'s gateways, that Istio cannot read: a plain name that is not a DNS name, or `namespace/name` with an empty part, a namespace that is not a DNS label (no wildcards), or a Gateway name that is not a DNS label.',
    istio: 'The webhook rejects the object. Gateway references choose the proxies the rules are installed on: `mesh` for sidecars, `name` for a Gateway in the VirtualService\'s namespace, `namespace/name` for a Gateway elsewhere.',
    fix: 'Write `mesh`, a Gateway name such as `public-gateway`, or `istio-system/public-gateway`: a namespace and a name, each a DNS label, separated by one `/`.',
  },
  VS_GATEWAY_LEGACY_FORMAT: {
    source: 'webhook warning',
    finds: 'A gateway reference without `/` that contains a dot, such as `public-gateway.istio-system`, unless an earlier entry of the list has no namespace (Istio stops checking there).',
    istio: 'The webhook accepts it with a warning. Istio still reads the old `name.namespace` form, the first label as the Gateway\'s name and the second as its namespace, so the binding works; the form is deprecated.',
    fix: 'Write the reference as `namespace/name`: `istio-system/public-gateway` instead of `public-gateway.istio-system`.',
  },
  VS_GATEWAY_NAME_UNCHECKED: {
    source: 'library',
    finds: 'A malformed gateway reference that comes after an entry without a namespace (`mesh`, `public-gateway`) in the same list.',
    istio: 'Istio\'s webhook checks the list only up to its first entry without `/`, so it accepts the object. The malformed reference names no Gateway: the rules are not installed on the gateway you meant, and a gateway with no route for a request answers 404.',
    fix: 'Correct the entry to `mesh`, a Gateway name, or `namespace/name` such as `istio-system/public-gateway`.',
  },
  VS_JWT_CLAIM_NOT_ON_GATEWAY: {
    source: 'webhook',
    finds: 'A headers or withoutHeaders match on a JWT claim, `@request.auth.claims.<claim>` or `@request.auth.claims[a][b]`, in a VirtualService that applies to sidecars: it has no gateways, or `mesh` is among them.',
    istio: 'The webhook rejects the object: routing on JWT claims reads the claims a RequestAuthentication has verified, which Istio supports on gateways only.',
    fix: 'Bind the VirtualService to gateways only (`gateways: [istio-system/public-gateway]`, without `mesh`) with a RequestAuthentication on the gateway; for sidecar traffic, match on a header the caller sets instead, e.g. `x-user-group`.',
  },

  // HTTP, TCP and TLS routes and their destinations.
  VS_HTTP_ROUTE_NULL: {
    source: 'webhook',
    finds: 'A null entry in spec.http, such as a `-` with nothing after it in YAML.',
    istio: 'The webhook rejects the object: an HTTP rule may not be null.',
    fix: 'Delete the empty `-` line, or fill the entry in with its matches and a route.',
  },
  VS_HTTP_ACTION_MISSING: {
    source: 'webhook',
    finds: 'An HTTP rule with no route destinations, no redirect, no directResponse and no delegate.',
    istio: 'The webhook rejects the object: every route Envoy matches needs an action, forwarding, redirecting or answering.',
    fix: 'Give the rule an action: `route: [{destination: {host: reviews.prod.svc.cluster.local}}]`, a redirect, a directResponse, or a `delegate` to another VirtualService.',
  },
  VS_HTTP_ACTION_CONFLICT: {
    source: 'webhook',
    finds: 'An HTTP rule that has redirect together with route destinations, fault, rewrite or directResponse; or directResponse together with route destinations, fault or rewrite.',
    istio: 'The webhook rejects the object. An Envoy route has exactly one action: forwarding to a cluster, a redirect, or a direct response. Fault injection and rewrites apply to forwarded requests only.',
    fix: 'Split the rule in two with their own matches, one that redirects or answers and one that routes (with the fault or rewrite), or drop the part you do not need.',
  },
  VS_DELEGATE_ROUTE_INVALID: {
    source: 'webhook',
    finds: 'A rule of a root VirtualService that has `delegate` and also route destinations or a redirect; or a `delegate` inside a delegate VirtualService (one without hosts).',
    istio: 'The webhook rejects the object. A delegating rule hands its requests to the delegate\'s rules, so it cannot send them anywhere itself, and Istio supports one level of delegation only.',
    fix: 'Keep only the matches and `delegate: {name: ..., namespace: ...}` on the root rule and move its destinations or redirect into the delegate; inside a delegate, route to destinations instead of delegating again.',
  },
  VS_DESTINATION_MISSING: {
    source: 'webhook',
    finds: 'An entry of an HTTP, TCP or TLS route, or of mirrors, that is null or has no destination.',
    istio: 'The webhook rejects the object: every entry must name the service it sends (or copies) requests to.',
    fix: 'Give the entry a destination, e.g. `- destination: {host: reviews.prod.svc.cluster.local, subset: v2}` with its weight, or delete the entry.',
  },
  VS_DESTINATION_HOST_INVALID: {
    source: 'webhook',
    finds: 'The host of a route, mirror or mirrors destination that is `*`, empty, or not a DNS name (a wildcard first label passes).',
    istio: 'The webhook rejects the object. A destination names one service with endpoints, a Kubernetes Service or a ServiceEntry host, whose Envoy cluster receives the requests; `*` or a malformed name has none.',
    fix: 'Name one service: `reviews.prod.svc.cluster.local` for a Kubernetes Service, or the host of a ServiceEntry such as `api.example.com`.',
  },
  VS_SUBSET_NAME_INVALID: {
    source: 'webhook',
    finds: 'A destination subset that is not a DNS-1123 label: letters, digits and \'-\', at most 63 characters, no dots or underscores.',
    istio: 'The webhook rejects the object. A subset name becomes part of an Envoy cluster name (`outbound|9080|v2|reviews.prod.svc.cluster.local`), and DestinationRules can only define subsets with such names.',
    fix: 'Use the subset name exactly as the DestinationRule defines it, a DNS label such as `v2` or `canary`; rename `v2.1` or `v2_1` to `v2-1` in both objects.',
  },
  PORT_INVALID: {
    source: 'webhook',
    finds: 'A port number outside 1-65535: a destination\'s port.number, or a non-zero port of an HTTP, TCP or TLS match.',
    istio: 'The webhook rejects the object. A destination port selects a port of the service, and a match port the port the request was sent to; neither can be 0 or above 65535.',
    fix: 'Use the service port, 1 to 65535, e.g. `port: {number: 9080}`; leave port out of a match to match every port.',
  },
  VS_WEIGHT_NEGATIVE: {
    source: 'webhook',
    finds: 'A destination with a negative weight.',
    istio: 'The webhook rejects the object; the weights Envoy splits traffic by cannot be negative.',
    fix: 'Use a weight from 0 to 100, e.g. `weight: 10` for a 10% canary, with the weights of the route summing to 100.',
  },
  VS_WEIGHT_TOTAL_ZERO: {
    source: 'webhook',
    finds: 'A route of two or more destinations whose weights are all 0 or unset.',
    istio: 'The webhook rejects the object: with a total weight of 0 no destination could receive a request. A route with a single destination needs no weight; it gets every request.',
    fix: 'Give the destinations weights that sum to 100, e.g. 90 and 10, or keep a single destination without a weight.',
  },
  VS_WEIGHT_SUM_NOT_100: {
    source: 'library',
    finds: 'A route of two or more destinations, none with a negative weight, whose weights sum to something other than 100 (and other than 0).',
    istio: 'Istio accepts it and Envoy splits by ratio: each destination gets its weight divided by the total. Weights 60 and 50 send 54.55% and 45.45% of the requests, not 60% and 50%, so the YAML, and anything that reads the weights as percentages, misstates the split.',
    fix: 'Write the shares as percentages that sum to 100: 60 and 40 for the split you meant, or 55 and 45 to keep today\'s ratio.',
  },
  VS_WEIGHT_ZERO: {
    source: 'library',
    finds: 'A destination with weight 0 (or no weight) in a route of several destinations whose weights are otherwise valid.',
    istio: 'Istio accepts it and leaves the destination out of the split it sends to Envoy, so it receives no requests. Its subset must still exist once its weight is raised.',
    fix: 'Delete the destination if it is not being rolled out, or give it its share, e.g. `weight: 5`, lowering the others so that the total stays 100.',
  },
  VS_TCP_ROUTE_INVALID: {
    source: 'webhook',
    finds: 'A TCP rule without route destinations, with a null match, or with a destinationSubnets entry that is not an IP address or CIDR block.',
    istio: 'The webhook rejects the object. A TCP rule forwards whole connections, so it needs a destination, and subnets are compared with the IP address the connection was made to.',
    fix: 'Give the rule a route, e.g. `route: [{destination: {host: db.prod.svc.cluster.local, port: {number: 5432}}}]`, delete null matches, and write subnets like `10.0.0.0/16` or `10.0.0.7`.',
  },
  VS_TLS_ROUTE_INVALID: {
    source: 'webhook',
    finds: 'A TLS rule without matches or without route destinations; a match that is null or has no sniHosts; an SNI host that is not a valid name, or that none of the VirtualService\'s hosts covers; or a destinationSubnets entry that is not an IP address or CIDR block.',
    istio: 'The webhook rejects the object. TLS rules route TLS connections that are passed through unterminated, by the server name (SNI) the client sends, and that name must belong to the VirtualService\'s hosts.',
    fix: 'Give each TLS rule a match such as `match: [{sniHosts: [api.example.com], port: 443}]`, with names that are in spec.hosts (or covered by a wildcard there), and a route with at least one destination.',
  },
  VS_TLS_SNI_IP: {
    source: 'webhook warning',
    finds: 'An IP address among the sniHosts of a TLS match.',
    istio: 'The webhook accepts it with a warning. SNI carries host names only; standard TLS clients connecting to an address send no SNI, so the match holds for almost no connection.',
    fix: 'Match the host name clients connect to, e.g. `sniHosts: [db.example.com]`; to route by address, use a tcp rule with `destinationSubnets: [10.0.0.7/32]`.',
  },

  // HTTP match conditions.
  MATCH_HEADER_NAME_INVALID: {
    source: 'webhook',
    finds: 'A header name in a match\'s headers or withoutHeaders that is empty, or holds characters an HTTP header name cannot (spaces, `:`, `/`, commas...); the pseudo-headers :method, :scheme, :authority, :path and :status and JWT claims are accepted.',
    istio: 'The webhook rejects the object: no request can carry a header with such a name, so the condition could never hold.',
    fix: 'Write the header\'s name as clients send it, e.g. `x-canary-user`; match the method, path, scheme and authority with the method, uri, scheme and authority fields of the match.',
  },
  MATCH_HEADER_NAME_UPPERCASE: {
    source: 'library',
    finds: 'A header name with upper-case letters in a match\'s headers or withoutHeaders (JWT claims excepted).',
    istio: 'Istio accepts it and the match works: Envoy compares header names without regard to case, since HTTP/2 sends them in lower case and Envoy lower-cases HTTP/1 names. Only the YAML does not show the name that is compared.',
    fix: 'Write the name in lower case: `x-user` instead of `X-User`. In the match conditions of the library\'s constructs (RouteMatch) an upper-case name is an error with this code, because their own checks compare header names as written.',
  },
  MATCH_HEADER_NULL: {
    source: 'webhook',
    finds: 'A header of a match\'s headers whose condition is null, as in `x-canary:` with nothing after it.',
    istio: 'The webhook rejects the object: a header condition needs a string match, even an empty one.',
    fix: 'Write `x-canary: {}` to require only that the header is present, or give its value, e.g. `x-canary: {exact: "true"}`.',
  },
  MATCH_STRING_MULTIPLE: {
    source: 'CRD schema (oneOf)',
    finds: 'A string match (uri, scheme, method, authority, a header, a query parameter, a withoutHeaders entry) that sets more than one of exact, prefix and regex.',
    istio: 'The API server rejects the object: Istio\'s schema allows one kind of comparison per string match, so it never reaches Istio.',
    fix: 'Keep one comparison, e.g. `uri: {prefix: /api}` or `uri: {regex: "^/api/v[0-9]+/"}`; to require two conditions on one value, write one regex that expresses both.',
  },
  MATCH_PREFIX_EMPTY: {
    source: 'webhook',
    finds: 'An empty prefix (`prefix: ""`) in a header, query parameter, method, scheme or authority match. An empty uri prefix is accepted.',
    istio: 'The webhook rejects the object: an empty prefix would accept any value, which `{}` already says.',
    fix: 'Write `{}` to require only that the header or parameter is present, or give a real prefix such as `{prefix: "Bearer "}`.',
  },
  MATCH_REGEX_EMPTY: {
    source: 'webhook',
    finds: 'An empty regex (`regex: ""`) in a string match.',
    istio: 'The webhook rejects the object: an empty regular expression states no condition.',
    fix: 'Write `{}` to accept any value (the header must be present), or give a pattern, e.g. `regex: "^v[0-9]+$"`.',
  },
  MATCH_REGEX_INVALID: {
    source: 'webhook',
    finds: 'A regex in a match that is longer than 1024 bytes or is not RE2 syntax: lookahead `(?=...)`, lookbehind, backreferences `\\1`, possessive quantifiers, an unbalanced group. RE2 forms such as `(?i:...)`, `\\z` and `(?P<name>...)` are accepted.',
    istio: 'The webhook rejects the object: Istio checks the pattern with Go\'s RE2 syntax and Envoy runs it with RE2, which has no lookaround or backreferences; the length limit keeps the pattern within Envoy\'s regex program size.',
    fix: 'Rewrite the pattern in RE2 terms: match what must be there, put what must be absent in withoutHeaders, list alternatives with `|` (`^/api/(v1|v2)/`), and keep it under 1024 bytes.',
  },
  MATCH_SOURCE_NAMESPACE_INVALID: {
    source: 'webhook',
    finds: 'A match\'s sourceNamespace that is not a DNS-1123 label.',
    istio: 'The webhook rejects the object: namespace names are DNS labels, so no workload could be in that namespace.',
    fix: 'Write one namespace name, e.g. `sourceNamespace: qa`; for several namespaces, write one match per namespace in the same rule.',
  },
  LABELS_INVALID: {
    source: 'webhook',
    finds: 'A label in a match\'s sourceLabels (HTTP, TCP or TLS) or in a subset\'s labels that Kubernetes does not allow: a key that is not an optional DNS prefix and `/` followed by a name of at most 63 letters, digits, \'-\', \'_\' and \'.\', or a value with other characters or not starting and ending with a letter or digit.',
    istio: 'The webhook rejects the object: no pod can carry such a label, so the selector would select nothing.',
    fix: 'Write the label exactly as the pods carry it, e.g. `version: v2` or `app.kubernetes.io/version: 2.1.0`.',
  },

  // Route policies.
  DURATION_INVALID: {
    source: 'webhook',
    finds: 'A duration (route timeout, retries perTryTimeout and backoff, fault fixedDelay, CORS maxAge, outlier detection interval and baseEjectionTime, connection pool timeouts and keepalive, warmup duration, hash cookie ttl) that is not a string, does not parse like `2s`, is shorter than 1ms, or is not a whole number of milliseconds (`1.5ms`); of a hash cookie ttl, only that it parses. `tcp.idleTimeout: 0s`, which turns that timeout off, is accepted.',
    istio: 'The webhook rejects the object: Istio accepts durations of whole milliseconds, at least 1ms. A route timeout of `0s` is refused as well; without a timeout field Istio sets no route timeout at all.',
    fix: 'Write a duration of whole milliseconds, at least 1ms: `250ms`, `2s`, `1m30s`; leave the field out to keep Istio\'s default.',
  },
  RETRY_ATTEMPTS_NEGATIVE: {
    source: 'webhook',
    finds: 'retries.attempts below 0.',
    istio: 'The webhook rejects the object. attempts counts the retries after the first try; 0 turns retries off.',
    fix: 'Write `attempts: 0` to turn retries off, or a small positive number such as `attempts: 2`.',
  },
  RETRY_POLICY_WHEN_DISABLED: {
    source: 'webhook',
    finds: 'retries with perTryTimeout, a non-empty retryOn, or retryRemoteLocalities, while attempts is 0 or not set.',
    istio: 'The webhook rejects the object: with 0 attempts nothing is retried, so the other settings could not apply. (A rule without any retries field gets the mesh\'s default retry policy instead.)',
    fix: 'Set the number of retries, e.g. `retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,connect-failure"}`; to turn retries off, write only `retries: {attempts: 0}`.',
  },
  RETRY_ON_INVALID: {
    source: 'webhook',
    finds: 'A retryOn condition that is neither one Envoy knows (5xx, gateway-error, reset, reset-before-request, connect-failure, retriable-4xx, refused-stream, retriable-status-codes, retriable-headers, envoy-ratelimited, http3-post-connect-failure, and the gRPC cancelled, deadline-exceeded, internal, resource-exhausted, unavailable) nor an HTTP status code. Istio splits the list on commas without trimming, so `5xx, reset` holds the invalid ` reset`.',
    istio: 'The webhook rejects the object. Istio hands the named conditions to Envoy\'s retry policy and the status codes to its list of retriable status codes; an unknown name has no meaning there.',
    fix: 'Write known conditions separated by commas without spaces, e.g. `retryOn: "5xx,connect-failure,refused-stream"` or `retryOn: "gateway-error,503"`.',
  },
  RETRY_ON_STATUS_CODES_ONLY: {
    source: 'library',
    finds: 'Retries with attempts above 0 whose retryOn names HTTP status codes and no condition, except perhaps `retriable-status-codes` (e.g. `retryOn: "503"` or `"retriable-status-codes,503,429"`). A list the webhook rejects (RETRY_ON_INVALID) is not reported again.',
    istio: 'Istio accepts it. It writes the status codes into Envoy\'s retriable status codes and `retriable-status-codes` as the only retry condition, and a retryOn replaces its default conditions (connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes with 503) rather than adding to them. So only those statuses are retried: a request whose connection fails, because the pod it was sent to has just gone away, fails at once, where the default policy would have retried it.',
    fix: 'Name the conditions you still want next to the codes, e.g. `retryOn: "connect-failure,refused-stream,unavailable,cancelled,503"`; with the constructs, list `RetryOn.CONNECT_FAILURE` and the others next to `RetryOn.statusCode(503)`.',
  },
  HEADER_NAME_INVALID: {
    source: 'webhook',
    finds: 'A header operation (set, add or remove, on requests or responses, of a rule or of one destination) on an empty name, on a pseudo-header such as `:path`, or on Host anywhere except request set and add.',
    istio: 'The webhook rejects the object. Envoy cannot change pseudo-headers through header operations; the authority can only be set on requests, through `host` or `:authority` in request set or add, or through rewrite.authority.',
    fix: 'Name a regular header, e.g. `x-request-source`; change the authority with `rewrite: {authority: reviews.internal}` and the path with `rewrite: {uri: /v2/}`, and never remove Host or pseudo-headers.',
  },
  HEADER_VALUE_INVALID: {
    source: 'webhook',
    finds: 'A header value to set or add that holds control characters (other than tab), or a `%` that is neither `%%` nor the start of a well-formed `%VARIABLE%` or `%VARIABLE(args)%`.',
    istio: 'The webhook rejects the object: Envoy reads `%...%` in header values as variables such as `%DOWNSTREAM_REMOTE_ADDRESS%`, and a malformed one would make the proxies refuse the configuration.',
    fix: 'Write a literal percent sign as `%%` (`x-discount: 10%%`), close every variable (`%HOSTNAME%`), and remove line breaks from the value.',
  },
  HEADER_AUTHORITY_MULTIPLE: {
    source: 'webhook',
    finds: 'An HTTP rule that sets the authority more than once: rewrite.authority together with a request `host` or `:authority` header in set or add, or such headers in both set and add.',
    istio: 'The webhook rejects the object: Envoy rewrites the authority once per route, so only one of the values could take effect.',
    fix: 'Set the authority in one place: `rewrite: {authority: reviews.internal}`, or a single `headers: {request: {set: {host: reviews.internal}}}`.',
  },
  MIRROR_AND_MIRRORS: {
    source: 'webhook',
    finds: 'An HTTP rule with both mirror and a non-empty mirrors list.',
    istio: 'The webhook rejects the object: mirrors, a list whose entries each have their own percentage, replaces the single mirror field, and a rule uses one or the other.',
    fix: 'Move the mirror into the list, e.g. `mirrors: [{destination: {host: reviews.prod.svc.cluster.local, subset: v3}, percentage: {value: 10}}]`, and delete mirror and mirrorPercentage.',
  },
  MIRROR_PERCENTAGE_INVALID: {
    source: 'webhook',
    finds: 'A mirrorPercentage.value, a mirrors entry\'s percentage.value, or a deprecated mirrorPercent below 0 or above 100.',
    istio: 'The webhook rejects the object: a share of requests above 100% or below 0% cannot be copied.',
    fix: 'Use a number from 0 to 100, e.g. `mirrorPercentage: {value: 5}`; fractions such as 0.5 are allowed, and 0 turns mirroring off.',
  },
  MIRROR_PERCENT_DEPRECATED: {
    source: 'webhook warning',
    finds: 'The integer mirrorPercent field on an HTTP rule, or its proto spelling mirror_percent (the CRD\'s name for it, which the L1 class writes).',
    istio: 'The webhook accepts it with a deprecation warning, and Istio still applies it, unless mirrorPercentage is set too, which then wins.',
    fix: 'Replace `mirrorPercent: 10` with `mirrorPercentage: {value: 10}`.',
  },
  MIRROR_FULL: {
    source: 'library',
    finds: 'A mirror without mirrorPercentage (or mirrorPercent), or a mirrors entry without percentage.',
    istio: 'Istio accepts it and copies 100% of the rule\'s requests when no percentage is set. Envoy sends each copy without waiting for it, with `-shadow` appended to the Host header, and discards the answer; the mirror target must carry the full load of the route.',
    fix: 'Set the share to copy, e.g. `mirrorPercentage: {value: 10}` (or `percentage: {value: 10}` on a mirrors entry); write `value: 100` when copying everything is intended.',
  },
  FAULT_EMPTY: {
    source: 'webhook',
    finds: 'A fault with neither abort nor delay.',
    istio: 'The webhook rejects the object: fault injection injects an abort, a delay or both, and this one names neither.',
    fix: 'Add what to inject, e.g. `fault: {delay: {fixedDelay: 2s, percentage: {value: 10}}}`, or remove fault.',
  },
  FAULT_PERCENTAGE_INVALID: {
    source: 'webhook',
    finds: 'An abort or delay percentage.value below 0, above 100, or between 0 and 0.0001.',
    istio: 'The webhook rejects the object: Envoy\'s fault filter counts shares in millionths, so the smallest share other than 0 is 0.0001%.',
    fix: 'Use 0, or a value from 0.0001 to 100, e.g. `percentage: {value: 0.5}` for one request in 200.',
  },
  FAULT_ABORT_INVALID: {
    source: 'webhook',
    finds: 'An abort that sets more than one of httpStatus, grpcStatus and http2Error; an httpStatus below 200 or above 600; a grpcStatus that is not a gRPC status name such as UNAVAILABLE; or any http2Error.',
    istio: 'The object is rejected when applied. Istio does not implement HTTP/2 error aborts, and injects only statuses a response can carry.',
    fix: 'Set one error type: `abort: {httpStatus: 503, percentage: {value: 10}}`, or for gRPC services `abort: {grpcStatus: UNAVAILABLE, percentage: {value: 10}}`.',
  },
  FAULT_ABORT_TYPE_MISSING: {
    source: 'webhook warning',
    finds: 'An abort with none of httpStatus, grpcStatus and http2Error.',
    istio: 'The webhook accepts it with a warning, but the abort carries no error to return, so requests are not failed the way the abort intends.',
    fix: 'Add the status to return, e.g. `httpStatus: 503`, or `grpcStatus: UNAVAILABLE` for gRPC services.',
  },
  FAULT_DELAY_INVALID: {
    source: 'webhook',
    finds: 'A delay with exponentialDelay, or with both fixedDelay and exponentialDelay.',
    istio: 'The object is rejected when applied: exponentialDelay exists in the API, but Istio has not implemented it, and a delay has one type.',
    fix: 'Use `fixedDelay`, e.g. `delay: {fixedDelay: 5s, percentage: {value: 10}}`, and delete exponentialDelay.',
  },
  REDIRECT_INVALID: {
    source: 'webhook',
    finds: 'A redirect that sets both port and derivePort; sets none of uri, authority, scheme, port and derivePort; has a redirectCode outside 300-399; a scheme other than http or https; a port outside 0-65535; or a derivePort other than FROM_PROTOCOL_DEFAULT and FROM_REQUEST_PORT. As Istio does, only the first of these is reported.',
    istio: 'The object is rejected when applied. Envoy answers a redirect itself, with 301 unless redirectCode says otherwise, pointing to the request\'s URL with the parts the redirect replaces.',
    fix: 'Give a target and a 3xx code, e.g. `redirect: {uri: /v2/login, redirectCode: 302}` or `redirect: {scheme: https}`; use either port or derivePort.',
  },
  DIRECT_RESPONSE_INVALID: {
    source: 'webhook',
    finds: 'A directResponse whose status is missing, below 200 or above 600, or whose body (string, or base64 bytes once decoded) is larger than 1 MiB.',
    istio: 'The webhook rejects the object. Envoy answers the request itself; Istio sets Envoy\'s limit for such bodies to 1 MiB, since every body travels in the configuration of every proxy that gets the route.',
    fix: 'Set a status from 200 to 599 and a short body, e.g. `directResponse: {status: 503, body: {string: "down for maintenance"}}`; serve large content from a service.',
  },
  DIRECT_RESPONSE_BODY_LARGE: {
    source: 'webhook warning',
    finds: 'A directResponse body larger than 100 KiB (and at most 1 MiB).',
    istio: 'The webhook accepts it with a warning: istiod pushes the body to every proxy that gets this route, with each configuration update, which costs control-plane time and proxy memory.',
    fix: 'Keep direct response bodies to a message or a short JSON document; serve pages and files from a service and route to it.',
  },
  REWRITE_INVALID: {
    source: 'webhook',
    finds: 'A rewrite that sets none of uri, uriRegexRewrite and authority; sets both uri and uriRegexRewrite; or has a uriRegexRewrite without match or rewrite, or whose match is not a valid RE2 pattern of at most 1024 bytes. As Istio does, only the first of these is reported.',
    istio: 'The webhook rejects the object. Envoy replaces the matched path prefix (rewrite.uri) or substitutes by regex (uriRegexRewrite), one or the other, before forwarding.',
    fix: 'Use one path rewrite: `rewrite: {uri: /v2/}`, or a uriRegexRewrite with both fields, match `^/old/(.*)` and rewrite `/new/\\1`; add authority only if the Host must change too.',
  },
  CORS_ORIGIN_INVALID: {
    source: 'webhook',
    finds: 'A corsPolicy.allowOrigins entry that sets none or several of exact, prefix and regex, has an empty value, or has a regex that is not valid RE2.',
    istio: 'The webhook rejects the object. Envoy compares each entry with the request\'s Origin header to decide whether to allow the cross-origin request.',
    fix: 'Write one matcher per origin, scheme included, e.g. `allowOrigins: [{exact: "https://shop.example.com"}, {regex: "https://[a-z]+\\\\.example\\\\.com"}]`.',
  },
  CORS_METHOD_INVALID: {
    source: 'webhook',
    finds: 'A corsPolicy.allowMethods entry other than GET, HEAD, POST, PUT, PATCH, DELETE, CONNECT, OPTIONS, TRACE and `*`; lower-case methods included.',
    istio: 'The webhook rejects the object: the list becomes the Access-Control-Allow-Methods answer to preflight requests, where method names are case-sensitive.',
    fix: 'Write the methods in upper case, e.g. `allowMethods: [GET, POST, OPTIONS]`, or `["*"]` for any method.',
  },
  CORS_HEADER_INVALID: {
    source: 'webhook',
    finds: 'An allowHeaders or exposeHeaders entry that is empty or not a valid header name (spaces, commas, colons), other than `*`.',
    istio: 'The webhook rejects the object: Istio joins the entries with commas into the Access-Control-Allow-Headers and Access-Control-Expose-Headers answers.',
    fix: 'List one header name per entry: `allowHeaders: [authorization, content-type]` rather than `["authorization, content-type"]`.',
  },
  CORS_MAX_AGE_INVALID: {
    source: 'webhook',
    finds: 'A corsPolicy.maxAge with a fraction of a second, such as `1.5s` or `500ms`.',
    istio: 'The webhook rejects the object: browsers cache preflight answers for a whole number of seconds (Access-Control-Max-Age), so the fraction could not be expressed.',
    fix: 'Write whole seconds, e.g. `maxAge: 24h` or `maxAge: 600s`.',
  },

  // DestinationRule.
  DR_HOST_INVALID: {
    source: 'webhook',
    finds: 'A DestinationRule host that is empty, longer than 255 characters, has a label that is not a DNS label, ends in an all-numeric label (an IP address included), or has a `*` anywhere but at the start of its first label.',
    istio: 'The webhook rejects the object, so its subsets and traffic policies do not exist: routes to its subsets fail with 503 (NC, no cluster) and clients keep the default policies.',
    fix: 'Name the service as VirtualService destinations do: `reviews.prod.svc.cluster.local`, a ServiceEntry host such as `api.example.com`, or a wildcard such as `*.prod.svc.cluster.local`.',
  },
  DR_SUBSET_INVALID: {
    source: 'webhook',
    finds: 'A null entry in subsets, or a subset whose name is empty or not a DNS-1123 label.',
    istio: 'The webhook rejects the whole DestinationRule, so none of the subsets it defines in this version exist, and routes to a subset that is new in it fail with 503 (NC).',
    fix: 'Give each subset a DNS-label name and its labels, e.g. `- {name: v2, labels: {version: v2}}`, and delete empty `-` entries.',
  },
  DR_SUBSET_DUPLICATE: {
    source: 'webhook',
    finds: 'Two subsets of one DestinationRule with the same name.',
    istio: 'The webhook rejects the object: a subset name stands for one Envoy cluster (`outbound|<port>|<subset>|<host>`), so it can select one set of pods only.',
    fix: 'Rename one subset after the version it selects (`v2`, `v3`), or merge the two entries into one.',
  },
  DR_SUBSET_NO_LABELS: {
    source: 'library',
    finds: 'A subset whose labels are missing or empty.',
    istio: 'Istio accepts it. A subset without labels selects every endpoint of the host, so a route to it reaches all versions, and a canary split between it and another subset does not separate them.',
    fix: 'Add the label that tells the versions apart, e.g. `labels: {version: v2}`, and make sure the pod template of that version\'s Deployment carries it.',
  },
  DR_SUBSET_SAME_LABELS: {
    source: 'library',
    finds: 'Two subsets of one DestinationRule with exactly the same labels.',
    istio: 'Istio accepts it. Both subsets select the same pods, so a split between them sends every request to the same endpoints, whatever the weights say.',
    fix: 'Give each subset the labels of its own version, e.g. `version: v1` and `version: v2`.',
  },
  DR_WORKLOAD_SELECTOR_INVALID: {
    source: 'webhook',
    finds: 'A workloadSelector.matchLabels entry with an empty key, or with `*` in its key or value.',
    istio: 'The webhook rejects the object: workload selectors compare labels exactly and have no wildcards.',
    fix: 'Write the exact labels of the client workloads the rule is for, e.g. `workloadSelector: {matchLabels: {app: checkout}}`.',
  },
  DR_WORKLOAD_SELECTOR_EMPTY: {
    source: 'webhook warning',
    finds: 'A workloadSelector without matchLabels, or with an empty matchLabels.',
    istio: 'The webhook accepts it with a warning. A selector without labels selects every workload of the DestinationRule\'s namespace, which is rarely what writing a selector meant.',
    fix: 'List the labels of the workloads the policy is for, e.g. `matchLabels: {app: checkout}`, or delete workloadSelector to apply the rule to every client that sees it.',
  },

  // Traffic policies (DestinationRule top level, subsets, ports).
  TRAFFIC_POLICY_EMPTY: {
    source: 'webhook',
    finds: 'A trafficPolicy, at the top of a DestinationRule or in a subset, with none of loadBalancer, connectionPool, outlierDetection, tls, portLevelSettings, tunnel, proxyProtocol and retryBudget.',
    istio: 'The webhook rejects the object: an empty policy changes nothing. A subset without trafficPolicy already inherits the DestinationRule\'s top-level policy.',
    fix: 'Set the policy you need, e.g. `trafficPolicy: {connectionPool: {http: {http2MaxRequests: 100}}}`, or delete the empty trafficPolicy.',
  },
  TRAFFIC_POLICY_CONFLICT: {
    source: 'webhook',
    finds: 'A trafficPolicy with both tunnel and proxyProtocol.',
    istio: 'The webhook rejects the object: Envoy either tunnels the upstream connection through an HTTP proxy or opens it with a PROXY protocol header, not both.',
    fix: 'Keep the one the upstream expects and delete the other; put upstreams that need different ones in separate DestinationRules or subsets.',
  },
  TUNNEL_INVALID: {
    source: 'webhook',
    finds: 'A tunnel whose protocol is other than CONNECT or POST (empty means CONNECT), whose targetHost is neither a host name nor an IP address, or whose targetPort is missing or outside 1-65535.',
    istio: 'The webhook rejects the object. With a tunnel, Envoy connects to the DestinationRule\'s host as an HTTP proxy and asks it for a tunnel to targetHost:targetPort, so both are required.',
    fix: 'Write the full tunnel, e.g. `tunnel: {protocol: CONNECT, targetHost: api.example.com, targetPort: 443}`.',
  },
  PROXY_PROTOCOL_INVALID: {
    source: 'webhook',
    finds: 'A proxyProtocol.version other than V1 and V2.',
    istio: 'The object is rejected when applied: Envoy writes the PROXY protocol header in version 1 (text) or 2 (binary) only.',
    fix: 'Write `proxyProtocol: {version: V1}` or `{version: V2}`, whichever the upstream server reads.',
  },
  LB_INVALID: {
    source: 'webhook',
    finds: 'A loadBalancer with both simple and consistentHash, or an unknown simple algorithm; a consistentHash with several hash keys (httpHeaderName, httpCookie, useSourceIp, httpQueryParameterName) or both ringHash and maglev; a hash cookie without a name, or a cookie attribute (`httpCookie.attributes`) without a name or with the name of an earlier one, compared as written; minimumRingSize together with ringHash or maglev; or a Maglev tableSize that is missing, not prime, or 5000011 or more.',
    istio: 'The object is rejected when applied. Envoy runs one algorithm per cluster; consistent hashing hashes one attribute of each request, and Maglev needs a prime table size.',
    fix: 'Choose one algorithm, e.g. `loadBalancer: {simple: LEAST_REQUEST}`, or `loadBalancer: {consistentHash: {httpCookie: {name: session, ttl: 3600s}}}`; for Maglev write `maglev: {tableSize: 65537}`; give each cookie attribute a name of its own, e.g. `attributes: [{name: SameSite, value: Lax}, {name: Secure}]`.',
  },
  LB_MINIMUM_RING_SIZE_DEPRECATED: {
    source: 'webhook warning',
    finds: 'consistentHash.minimumRingSize set to a value other than 0.',
    istio: 'The webhook accepts it with a deprecation warning, and Istio still applies it as the minimum size of the hash ring.',
    fix: 'Move the size into the ring hash settings: `consistentHash: {httpHeaderName: x-user, ringHash: {minimumRingSize: 1024}}`.',
  },
  LB_LOCALITY_INVALID: {
    source: 'webhook',
    finds: 'A localityLbSetting with both distribute and failover; failoverPriority listing a region, zone or subzone label together with failover; distribute weights outside 1-100, or not summing to 100 in an entry; a locality with an empty part, a `*` anywhere but at its end, or overlapping one listed before it; or a failover entry from a region to itself, with a zone, or with `*`.',
    istio: 'The webhook rejects the object. Locality settings become the priority and weight of each locality\'s endpoints in Envoy; overlapping or unbalanced entries would have no single meaning.',
    fix: 'Use either distribute, e.g. `distribute: [{from: "us-west/*", to: {"us-west/*": 80, "us-east/*": 20}}]`, or failover between regions, e.g. `failover: [{from: us-west, to: us-east}]`, not both.',
  },
  LB_FAILOVER_WITHOUT_OUTLIER: {
    source: 'webhook warning',
    finds: 'A localityLbSetting with failover or failoverPriority in a traffic policy, or port setting, without outlierDetection.',
    istio: 'The webhook accepts it with a warning. Istio turns locality failover on only together with outlier detection: without it Envoy never ejects failing endpoints, never sees a locality as unhealthy, and keeps sending requests there.',
    fix: 'Add outlier detection next to it, e.g. `outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}`.',
  },
  LB_WARMUP_INVALID: {
    source: 'webhook',
    finds: 'A loadBalancer.warmup without duration, with minimumPercent above 100, or with aggression below 1.',
    istio: 'The webhook rejects the object. During the warmup duration Envoy sends a new endpoint a growing share of requests, starting at minimumPercent and growing along a curve set by aggression (1 is linear).',
    fix: 'Write `warmup: {duration: 60s}`, adding `minimumPercent` (0 to 100) or `aggression` (1 or more) only if you need them.',
  },
  CONNECTION_POOL_EMPTY: {
    source: 'webhook',
    finds: 'A connectionPool with neither tcp nor http settings.',
    istio: 'The webhook rejects the object: an empty connection pool sets no limit.',
    fix: 'Set the limits you need, e.g. `connectionPool: {tcp: {maxConnections: 100}, http: {http1MaxPendingRequests: 50}}`, or delete connectionPool.',
  },
  CONNECTION_POOL_INVALID: {
    source: 'webhook',
    finds: 'A negative connection pool limit (http1MaxPendingRequests, http2MaxRequests, maxRequestsPerConnection, maxRetries, maxConcurrentStreams, tcp maxConnections, tcpKeepalive probes); an unknown h2UpgradePolicy; or useClientProtocol true together with h2UpgradePolicy UPGRADE.',
    istio: 'The object is rejected when applied. Envoy\'s circuit-breaker limits cannot be negative, and useClientProtocol (forward with the client\'s HTTP version) contradicts upgrading every connection to HTTP/2.',
    fix: 'Use positive limits, leaving a field out for Istio\'s default, and choose between `useClientProtocol: true` and `h2UpgradePolicy: UPGRADE`.',
  },
  OUTLIER_DETECTION_INVALID: {
    source: 'webhook',
    finds: 'In outlierDetection: a negative consecutive5xxErrors, consecutiveGatewayErrors or consecutiveLocalOriginFailures; a maxEjectionPercent or minHealthPercent outside 0-100; or consecutiveLocalOriginFailures above 0 while splitExternalLocalOriginErrors is not true.',
    istio: 'The webhook rejects the object. Envoy counts local origin failures (connect errors, timeouts, resets) on their own only when they are split from the upstream\'s errors, so without the split that count would mean nothing.',
    fix: 'Use counts of 0 or more and percentages from 0 to 100; with consecutiveLocalOriginFailures, also write `splitExternalLocalOriginErrors: true`.',
  },
  OUTLIER_CONSECUTIVE_ERRORS_DEPRECATED: {
    source: 'webhook warning',
    finds: 'outlierDetection.consecutiveErrors set to a value other than 0.',
    istio: 'The webhook accepts it with a deprecation warning. Istio still applies it as a count of gateway errors (502, 503, 504), like consecutiveGatewayErrors, which its name does not say.',
    fix: 'Write `consecutiveGatewayErrors: 5` to keep today\'s behaviour, or `consecutive5xxErrors: 5` to count every 5xx, and delete consecutiveErrors.',
  },
  TLS_INVALID: {
    source: 'webhook',
    finds: 'Client TLS settings (tls of a traffic policy or port setting) with an unknown mode; a `configmap://` credentialName that is malformed or in another namespace; insecureSkipVerify together with caCertificates, credentialName or subjectAltNames (SIMPLE) or caCertificates or subjectAltNames (MUTUAL); credentialName together with certificate files; or MUTUAL without credentialName and without clientCertificate or privateKey.',
    istio: 'The object is rejected when applied. The proxy originates TLS to the destination with these settings, and contradicting sources of certificates, or MUTUAL without a client certificate, leave no handshake it could perform.',
    fix: 'Choose one source of certificates, e.g. `tls: {mode: MUTUAL, credentialName: reviews-client-cert}`, or clientCertificate and privateKey files; use insecureSkipVerify only without CA and SAN settings; for the mesh\'s own mTLS write `mode: ISTIO_MUTUAL`.',
  },
  PORT_POLICY_INVALID: {
    source: 'webhook',
    finds: 'A portLevelSettings entry that is null, has no port, or sets none of loadBalancer, connectionPool, outlierDetection and tls.',
    istio: 'The webhook rejects the object. Each entry overrides the policy for one port of the service, so it needs that port and something to override.',
    fix: 'Write the port and its policy, e.g. `portLevelSettings: [{port: {number: 9080}, loadBalancer: {simple: LEAST_REQUEST}}]`, or delete the entry.',
  },
  TLS_SERVER_NOT_VERIFIED: {
    source: 'istioctl analyze IST0128, IST0129',
    finds: 'A tls with mode SIMPLE or MUTUAL and no caCertificates, in the DestinationRule\'s top-level trafficPolicy or in one of its portLevelSettings (subsets are not looked at, as in Istio). A credentialName counts instead of caCertificates only when the DestinationRule has a workloadSelector.',
    istio: 'Istio accepts it. The proxy opens TLS to the destination but has no CA of this DestinationRule to check the server\'s certificate against: unless the proxy falls back to its default roots (VERIFY_CERTIFICATE_AT_CLIENT), it accepts any certificate, so a server that impersonates the destination is not noticed. The library\'s Subsets has no caCertificates option: with TlsMode.SIMPLE or MUTUAL it gets this warning at synth, as `istioctl analyze` would give it.',
    fix: 'Set the CA that signs the server\'s certificate, e.g. `tls: {mode: SIMPLE, caCertificates: /etc/certs/ca.pem}`; with credentialName, add the workloadSelector of the clients that use it.',
  },

  // Analyzers: what istioctl analyze and the webhook's warnings find, across objects or inside one.
  XO_SUBSET_NOT_FOUND: {
    source: 'istioctl analyze IST0101',
    finds: 'A route or mirror destination naming a subset that no DestinationRule of the checked set defines for that host; one whose wildcard host covers the destination counts. Short hosts are first completed with each object\'s namespace. A subset that a DestinationRule of the set defines, but not the one some callers use, is XO_SUBSET_NOT_VISIBLE.',
    istio: 'Istio accepts both objects and points the route at the cluster `outbound|<port>|<subset>|<host>`, which does not exist: Envoy answers every request routed there with 503 and the response flag NC (no cluster), and a mirror to it copies nothing.',
    fix: 'Add the subset to the host\'s DestinationRule, e.g. `- {name: v3, labels: {version: v3}}`, or route to a subset it defines; apply the DestinationRule before the VirtualService that uses it.',
  },
  XO_SUBSET_NOT_VISIBLE: {
    source: 'library',
    finds: 'A route or mirror destination naming a subset that a DestinationRule of the checked set defines, but not the DestinationRule Istio picks for some callers of the route. For each caller, Istio takes the DestinationRules for the host from the caller\'s own namespace (all of them but those whose exportTo leaves that namespace out), else those the host\'s namespace exports to it, else those the root namespace (istio-system; `check --root-namespace`) exports to it, the most specific host first in each. The callers looked at are the sidecars (a route bound to gateways only has none here: a Gateway selects its proxies by label, in any namespace) of the namespaces the checked set names: those of exportTo, or without exportTo the VirtualService\'s own and those where a DestinationRule for the host lives or is exported to by name. The finding names them, with the DestinationRule they get instead, or none. An object without a namespace is read as in `default`.',
    istio: 'Istio accepts the objects, and `istioctl analyze` looks for the subset among all DestinationRules, whoever can see them, so it reports nothing. Each proxy builds clusters only for the subsets of the DestinationRule it picks: the named callers route to a cluster that does not exist and get 503 with the response flag NC, while the others are served.',
    fix: 'Keep the host\'s DestinationRule in the host\'s namespace without exportTo (or exported to every caller), or in istio-system. A DestinationRule for the same host in a caller\'s namespace replaces it there: give it the same subsets, or remove it.',
  },
  XO_MESH_HOST_CONFLICT: {
    source: 'istioctl analyze IST0109',
    finds: 'Two VirtualServices (different objects) that route the same host on the mesh (no gateways, or `mesh` among them) and are visible together under their exportTo.',
    istio: 'Istio accepts both, but sidecars do not merge VirtualServices: for each host they use the rules of one of them (in practice the one created first) and ignore the other\'s rules for it, so routing changes when an object is recreated.',
    fix: 'Merge the rules into one VirtualService per host, most specific match first; if each serves its own namespace, set `exportTo: ["."]` on both so that no sidecar sees the two together.',
  },
  XO_GATEWAY_HOST_CONFLICT: {
    source: 'library',
    finds: 'Two VirtualServices that route the same host on the same gateway and are visible together under their exportTo.',
    istio: 'Istio accepts both and merges their rules on the gateway, ordered by the VirtualServices\' creation time. A catch-all rule of the older one hides every rule of the newer one, and recreating an object changes the order.',
    fix: 'Merge the rules into one VirtualService per host and gateway, or give each its own host (`api.example.com`, `shop.example.com`); to split one host between teams, use `delegate`.',
  },
  VS_RULE_UNREACHABLE: {
    source: 'webhook warning, IST0130',
    finds: 'An HTTP, TCP or TLS rule that can never be used: it comes after a rule without matches (or, for HTTP, after a match with no conditions but a uri that every path passes: prefix `/` or `""`, regex `.*`, or `{}`; conditions left empty, such as `headers: {}`, do not count), or every one of its matches is taken by an earlier match (see VS_MATCH_SHADOWED; for TCP and TLS, an identical one).',
    istio: 'Istio accepts it with a warning. Envoy tries the rules from the top and takes the first that matches, so this rule never receives a request; Istio does not even send HTTP rules that follow a catch-all to the proxies. Its own warning covers catch-alls and rules whose matches all repeat earlier ones.',
    fix: 'A rule without matches after a catch-all needs a match of its own for the traffic it is meant for, such as `match: [{headers: {x-canary: {exact: "true"}}}]`: moved up as it is, it would take every request. A narrower rule goes above the wider one (`/api/v2` before `/api`); a rule whose matches repeat earlier ones goes. The library\'s CompositeRoute.addRule() rejects all of these with this code (and a catch-all condition, since the route\'s default rule always follows it: write that rule with addDefaultRule()).',
  },
  VS_MATCH_SHADOWED: {
    source: 'webhook warning, IST0131',
    finds: 'A match that an earlier match, of an earlier rule or earlier in the same rule, takes every request of: the same conditions (names aside), or, for HTTP, conditions that hold whenever this match\'s hold, field by field: a uri prefix that begins this one\'s prefix or exact uri, `{}` (present) or a regex such as `.*` before a value, an exact or prefix value within a prefix, a regex tried on an exact value, no condition where this one has one, a header kept out that this one requires with another value. Regexes count only when their meaning is plain (`.*`, `.+`, `abc.*`, `GET|HEAD`).',
    istio: 'Istio accepts it with a warning. The earlier match wins for every request this one would match, so this match never routes anything. Istio\'s own warning finds identical matches and longer uri prefixes after shorter ones with equal other conditions (reading a match without a method as GET); docs/checks.md says where the checker differs.',
    fix: 'Put the narrower match first (`/api/v2` before `/api`, `exact: "true"` before `{}`), or delete the match; a match covered by an earlier match of the same rule changes nothing and can simply go.',
  },
  MIRROR_TO_SERVING_SUBSET: {
    source: 'library',
    finds: 'A mirror, or a mirrors entry, whose destination host and subset is one the same rule routes to: its only destination, or one with a weight above 0.',
    istio: 'Istio accepts it. The serving pods receive a mirrored request twice when they also served it, the original and the copy, which adds to their load and repeats side effects such as writes and payments. The library\'s constructs warn with this code too.',
    fix: 'Mirror to a version the rule does not serve, e.g. `mirror: {host: reviews.prod.svc.cluster.local, subset: v3}` while the route sends to v2, or remove the mirror.',
  },
  SOURCE_MATCH_ON_GATEWAY: {
    source: 'library',
    finds: 'sourceLabels or sourceNamespace in a match that applies to gateways only: an HTTP match without gateways of its own in a VirtualService whose gateways do not include `mesh`, or a TCP or TLS match whose gateways (or, without them, the VirtualService\'s) do not include it. An HTTP match that lists gateways is SOURCE_MATCH_IGNORED instead.',
    istio: 'Istio accepts it. It evaluates sourceLabels and sourceNamespace when it builds a proxy\'s routes, against that proxy: on a gateway, the gateway\'s own pods and namespace, so the condition holds for every request or for none, and never selects callers.',
    fix: 'On a gateway, match on something the request carries, e.g. `headers: {x-client: {exact: partner}}`; keep sourceLabels for sidecar traffic by adding `mesh` to the gateways.',
  },
  RETRY_PER_TRY_TIMEOUT_IGNORED: {
    source: 'library',
    finds: 'A retries.perTryTimeout that is not shorter than the rule\'s timeout, with attempts above 0 and both durations valid.',
    istio: 'Istio accepts it. The route timeout covers all tries together and runs out first, so the per-try timeout never cuts a try short: a hanging first try uses the whole timeout, and no retry follows.',
    fix: 'Make perTryTimeout a fraction of the timeout, e.g. `timeout: 6s` with `retries: {attempts: 2, perTryTimeout: 2s}`.',
  },
  RETRY_BUDGET_EXCEEDS_TIMEOUT: {
    source: 'library',
    finds: 'Retries whose tries (attempts + 1) times perTryTimeout last longer than the rule\'s timeout, while perTryTimeout alone is shorter.',
    istio: 'Istio accepts it. Envoy ends the request at the route timeout whatever retries remain, so the last tries are cut short or never start, and the client gets 504 (upstream request timeout).',
    fix: 'Make (attempts + 1) x perTryTimeout fit in the timeout, e.g. `timeout: 9s` with `attempts: 2` and `perTryTimeout: 3s`: lower attempts or perTryTimeout, or raise the timeout.',
  },
  XO_CONSISTENT_HASH_SPLIT: {
    source: 'library',
    finds: 'A DestinationRule whose loadBalancer uses consistentHash, top level or in a subset\'s own trafficPolicy, for a host that an HTTP rule of a VirtualService splits by weight between two or more of its subsets (weights above 0). A split whose every destination sets a cookie in its responses (the version cookie of StickySplit or a sticky Canary, matched by the rules before it) is not reported: the cookie, not the hash, keeps users on a version. Reported on the hashing load balancer, once per VirtualService; the constructs report it on the Subsets when a CompositeRoute rule splits its subsets.',
    istio: 'Istio accepts it. It writes a weighted rule as Envoy weighted clusters: Envoy draws the subset at random for every request, and only then hashes the key to pick a pod inside the subset drawn. The same session id lands on v1 or v2 in the split\'s proportions on every request; the hash keeps it on one pod of each version (pod affinity), never on one version.',
    fix: 'Keep a user on a version with a version cookie: the library\'s StickySplit (or a Canary with `sticky: true`), or by hand a `Set-Cookie: version=v2` response header on each destination of the split and one rule per version before it matching that cookie. Keep consistentHash for pod affinity alone (caches) and suppress this finding; on a Subsets, call IstioChecker.suppress before the split is added.',
  },
  XO_GATEWAY_BYPASSES_SUBSETS: {
    source: 'istioctl analyze IST0140',
    finds: 'A destination without a subset in an HTTP rule of a gateway route (a VirtualService bound to a gateway other than `mesh`, or an HTTPRoute whose parentRef is a Gateway) for a host that a mesh route splits: a VirtualService applying to the mesh that routes one of its own hosts by subset, or a GAMMA HTTPRoute (parentRef: the host\'s Service) that routes to its version Services (`<service>-<version>`, selector the host\'s plus version labels, in the checked set). A gateway route to one version Service of such a host, and no other version of it, is reported too. Not reported when the host\'s Service has the label `istio.io/ingress-use-waypoint: "true"`. Hosts are compared after resolving short names, where Istio compares them as written.',
    istio: 'Istio accepts both. A gateway applies only the routes bound to it; the mesh route is applied by sidecars (or the waypoint in ambient mode). Ingress requests therefore go from the gateway straight to the service, spread over all of its pods (or to the one version named): the mesh route\'s canary rules and split weights never apply to them, and the canary gets a share by its number of pods.',
    fix: 'Route to the same versions with the same rules and weights in the gateway route too, or write one route for both: a VirtualService bound to the gateway and to `mesh` whose hosts are the external host and the service (e.g. a CompositeRoute with `gateways: [istio-system/public, mesh]`); in ambient mode, label the Service `istio.io/ingress-use-waypoint: "true"` so that ingress goes through its waypoint.',
  },
  XO_GATEWAY_NOT_FOUND: {
    source: 'istioctl analyze IST0101',
    finds: 'An entry of spec.gateways (not `mesh`) that names no Gateway of the checked set, when the set holds at least one networking.istio.io Gateway. Names resolve as Istio resolves them: a short name in the VirtualService\'s namespace, the legacy `name.namespace` by its namespace. A Gateway API (gateway.networking.k8s.io) Gateway of that name counts as defined. A set without Gateways is taken to use Gateways defined elsewhere, and is not checked.',
    istio: 'Istio accepts the VirtualService, but no gateway loads it: its hosts are not routed at that gateway, which answers 404 (NR).',
    fix: 'Fix the reference, as `namespace/name` of the Gateway (e.g. `istio-system/public-gateway`), or add the Gateway to the set.',
  },
  XO_HOST_NOT_IN_GATEWAY: {
    source: 'istioctl analyze IST0132',
    finds: 'An entry of spec.gateways naming a Gateway of the checked set none of whose servers accepts any of the VirtualService\'s hosts: a server host `h` or `*/h` for any namespace, `./h` for the Gateway\'s namespace, `ns/h` for namespace ns, each matching a VirtualService host when equal or when a wildcard covers it. As in Istio, it is reported when no host at all is served.',
    istio: 'Istio accepts it. A gateway routes a request only for hosts its servers accept, so the VirtualService\'s rules never apply at that gateway, which answers 404 (NR) for them.',
    fix: 'Add the hosts to a server of the Gateway, e.g. `hosts: [shop.example.com]` (or `prod/shop.example.com` to admit only VirtualServices of prod), or bind the VirtualService to the Gateway that serves them.',
  },
  SOURCE_MATCH_IGNORED: {
    source: 'library',
    finds: 'sourceLabels or sourceNamespace in an HTTP match that also lists gateways.',
    istio: 'Istio accepts it. When an HTTP match lists gateways, Istio keeps it on those gateways (`mesh` meaning every sidecar) without looking at sourceLabels or sourceNamespace at all, so the match holds for every request of those gateways instead of those of the named callers. (TCP and TLS matches check the gateways and the source together.)',
    fix: 'Remove gateways from the match, so that the VirtualService\'s gateways apply and the source is checked, e.g. `match: [{sourceLabels: {app: qa-tools}}]` in a VirtualService that applies to the mesh.',
  },
  MATCH_GATEWAY_UNBOUND: {
    source: 'library',
    finds: 'An entry of a match\'s gateways (HTTP, TCP or TLS) that is not one of the gateways the VirtualService is bound to (spec.gateways, or `mesh` without them), after resolving short names. Delegate VirtualServices are not checked.',
    istio: 'Istio accepts it. A gateway loads only the VirtualServices bound to it, so a match that names another gateway is never used there; if it names no bound gateway at all, the match never applies anywhere.',
    fix: 'Add the gateway to spec.gateways, or remove it from the match.',
  },
  MATCH_FORGEABLE_ON_GATEWAY: {
    source: 'library',
    finds: 'A header or query parameter condition of an HTTP match that applies to a gateway other than `mesh` (the match\'s gateways, or the VirtualService\'s), in a rule that routes to a subset. Not counted: JWT claims (`@request.auth.claims.*`), pseudo-headers (`:authority`, `:path`, ...), and the cookie header of a rule whose destinations all set a cookie (a sticky split\'s version pin). The constructs make it an error, except for the names a CompositeRoute lists in trustedHeaders or trustedQueryParams.',
    istio: 'Istio accepts it. Requests entering through a gateway carry whatever headers and query parameters the client sent: anyone who guesses `x-canary-user: true` reaches the canary, unless the edge in front of the gateway strips or overwrites the header.',
    fix: 'Route testers on a JWT claim the gateway validates, e.g. `headers: {"@request.auth.claims.groups": {exact: beta}}` with a RequestAuthentication on the gateway; or have the edge strip or overwrite the header and suppress this finding (with the constructs, list it in trustedHeaders with the reason).',
  },
  XO_BACKEND_NOT_FOUND: {
    source: 'Istio Gateway API controller',
    finds: 'A backendRef of an HTTPRoute (kind Service, core group; a rule\'s or a RequestMirror filter\'s) naming a Service that the checked set does not define, when the set defines the route\'s parent Service (a parentRef of group "" and kind Service) or another Service the same route sends to; the set then holds the application\'s Services, and a version Service is missing or misspelt. Also a backendRef port that the defined Service does not have. A set holding none of the route\'s Services is not checked (its Services are deployed elsewhere). The namespace is the backendRef\'s, or the route\'s.',
    istio: 'Istio accepts the route and reports ResolvedRefs False (BackendNotFound) in its status; requests that the split sends to the missing backend fail with 500, and a mirror to it copies nothing. A port the Service does not have leaves Envoy without a cluster for it, with the same effect.',
    fix: 'Add the version Service (the host\'s selector plus the version label, with the host\'s ports), e.g. `reviews-v2` next to `reviews`, or correct the name or port.',
  },
  XO_HTTP_ROUTE_VS_CONFLICT: {
    source: 'Istio Gateway API controller',
    finds: 'A VirtualService that applies to the mesh (no gateways, or `mesh` among them) whose host, after resolving short names, is the host of a Service an HTTPRoute of the set is attached to (a parentRef of group "" and kind Service: GAMMA mesh routing, which waypoints use). Reported on the VirtualService\'s host.',
    istio: 'Istio accepts both. It turns the HTTPRoute into an internal VirtualService for the Service\'s host, and when a sidecar or waypoint gathers the routes of a host it takes Gateway API\'s first (SelectVirtualServices in pilot/pkg/model, read in a version newer than 1.30.3): the HTTPRoute\'s rules apply and the VirtualService\'s are ignored for that host, so its canary weights and matches do nothing.',
    fix: 'Keep one: move the rules into the HTTPRoute (the library\'s routes write either form from the same program), or delete the HTTPRoute and keep the VirtualService.',
  },
  HR_NO_SERVING_BACKEND: {
    source: 'Istio Gateway API controller',
    finds: 'A rule of an HTTPRoute without a RequestRedirect filter whose backendRefs are missing or weigh 0 in all (a backendRef without weight weighs 1, the CRD\'s default).',
    istio: 'The API server accepts it. Gateway API asks for a 500 when no backend has a weight above 0, and Istio writes the rule as a direct response with status 500: every request the rule matches fails. Weights need not sum to 100: Istio passes them to Envoy as ratios, so 95 and 5 or 19 and 1 split alike.',
    fix: 'Give the version that should serve a weight above 0, e.g. `weight: 100` on the stable Service while the canary is at 0, or add the backendRef the rule lacks.',
  },
  HR_BACKEND_KIND_UNSUPPORTED: {
    source: 'Istio Gateway API controller',
    finds: 'A backendRef (of a rule, or of a RequestMirror filter) whose group and kind are not Istio\'s: core Service (the default), multicluster.x-k8s.io ServiceImport, networking.istio.io Hostname, or inference.networking.k8s.io InferencePool (behind a feature flag in 1.30).',
    istio: 'Istio accepts the route and reports ResolvedRefs False (InvalidKind). The backend stays in the split with no destination, so its share of the requests fails with 500; a mirror to it is dropped.',
    fix: 'Reference a Service (group "", kind Service, with a port), e.g. the version Service `reviews-v2`.',
  },
  HR_BACKEND_PORT_MISSING: {
    source: 'Istio Gateway API controller',
    finds: 'A backendRef of kind ServiceImport or Hostname without a port. (A Service without a port is rejected by the CRD\'s own CEL rule, reported as CEL_RULE_VIOLATED.)',
    istio: 'The API server accepts it, but Istio cannot build a destination without a port ("port is required in backendRef") and does not program the route.',
    fix: 'Set `port` to the service port, e.g. `port: 9080`.',
  },
  HR_FILTER_UNSUPPORTED: {
    source: 'Istio Gateway API controller',
    finds: 'A filter whose type Istio 1.30 does not implement: on a rule, other than RequestHeaderModifier, ResponseHeaderModifier, RequestRedirect, RequestMirror, URLRewrite and CORS (so ExtensionRef and ExternalAuth); on a backendRef, other than the two header modifiers.',
    istio: 'The API server accepts it, but Istio\'s conversion stops at the filter ("unsupported filter type") and the HTTPRoute is not programmed: its status says why and none of its rules applies. Newer Istio versions may implement more filters.',
    fix: 'Remove the filter, or move it to the rule (a RequestMirror or URLRewrite on a backendRef), or use an Istio resource for what Gateway API cannot say (an AuthorizationPolicy with a CUSTOM provider for external authorization).',
  },
  HR_SESSION_PERSISTENCE_IGNORED: {
    source: 'Istio Gateway API controller',
    finds: 'A rule of an HTTPRoute with sessionPersistence.',
    istio: 'The API server accepts it (it is part of Gateway API\'s experimental channel), but Istio 1.30 does not implement it: each request is split by weight again, so a user moves between versions during a canary.',
    fix: 'Pin users with a version cookie: a rule per version matching the cookie (a RegularExpression match on the Cookie header) before the split, and a ResponseHeaderModifier on each backendRef of the split that sets it, as the library\'s StickySplit writes.',
  },
};
