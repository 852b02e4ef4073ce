// The public API, and nothing else: every name below is documented in API.md. Helpers live in src/private/
// and are not exported (test/exported-names.test.ts holds the list).
export { Canary } from './canary';
export type { CanaryProps } from './canary';
export { CanaryAnalysis } from './canary-analysis';
export type { CanaryAnalysisOptions, CanaryAnalysisProps, CanaryThresholds } from './canary-analysis';
export { CanaryDashboard } from './canary-dashboard';
export type { CanaryDashboardOptions, CanaryDashboardProps } from './canary-dashboard';
export { CanaryStage } from './canary-stage';
export { TlsMode } from './client-tls';
export type { ClientTls } from './client-tls';
export { CompositeRoute } from './composite-route';
export type { CompositeRouteProps, TrustedHeader, TrustedQueryParam } from './composite-route';
export type { ConnectionPool, HttpConnectionPool, TcpConnectionPool } from './connection-pool';
export { Destination } from './destination';
export type { SubsetDestinationOptions, WeightedSubset } from './destination';
export type { FaultAbort, FaultDelay, FaultInjection } from './fault-injection';
export type { HeaderOperation, HeaderOperations } from './header-operations';
export { HttpMethod } from './http-method';
export { HashAlgorithm, HashKey, LoadBalancer } from './load-balancer';
export type { ConsistentHashOptions, HashCookieOptions } from './load-balancer';
export { Mirror } from './mirror';
export type { MirrorProps } from './mirror';
export { MirrorMethods } from './mirror-policy';
export type { Mirroring, MirrorTarget } from './mirror-policy';
export type { OutlierDetection } from './outlier-detection';
export type { PresetRouteOptions } from './preset-route';
export { RetryOn } from './retries';
export type { Retries } from './retries';
export type { RouteMatch } from './route-match';
export { RouteOutput } from './route-output';
export type { GatewayHttpRouteOptions, MeshHttpRouteOptions } from './route-output';
export type { DefaultRuleOptions, RuleOptions, RulePolicies } from './route-rule';
export { StickySplit } from './sticky-split';
export type { StickySplitProps } from './sticky-split';
export { StringMatch } from './string-match';
export { Subset, Subsets } from './subsets';
export type { SubsetOptions, SubsetsProps, VersionServicePort, VersionServicesOptions, WorkloadSubsetsProps } from './subsets';
export type { HostRouting, RoutingRule, RuleRetries, SubsetDefinition } from './routing/host-routing';
export { RoutingDiff } from './routing/routing-diff';
export type { HostRoutingChange, RoutingDiffMarkdownOptions } from './routing/routing-diff';
export { RoutingModel } from './routing/routing-model';
export { RoutingSnapshot } from './routing/routing-snapshot';
export type { RoutingSnapshotOptions } from './routing/routing-snapshot';
export type { RoutingOutcome } from './routing/routing-outcome';
export type { SimulatedRequest } from './routing/simulated-request';
export type { MirrorShare, SubsetShare } from './routing/subset-share';
export type { TrafficPolicy } from './traffic-policy';
export { IstioChecker } from './validation/istio-checker';
export type { CheckOptions } from './validation/istio-checker';
export { Severity } from './validation/finding';
export type { CheckRule, Finding } from './validation/finding';
export { SameSite } from './version-cookie';
export type { CookieForwarder, VersionCookie } from './version-cookie';
export { Warnings } from './warnings';

/** The L1 classes generated from Istio's CRDs, for escape hatches (`Node.of(x).defaultChild`). */
export * as istio from './imports/istio-networking.istio.io';

/** The L1 class generated from the Prometheus Operator's PrometheusRule CRD, for escape hatches. */
export * as prometheus from './imports/prometheus-monitoring.coreos.com';

/**
 * The L1 class generated from Gateway API v1.5.1's HTTPRoute CRD (experimental channel, for `retry`), which the
 * routes write when their output is `RouteOutput.meshHttpRoute()` or `RouteOutput.gatewayHttpRoute()`, for escape hatches.
 */
export * as gateway from './imports/gateway-gateway.networking.k8s.io';
