export * from './canary';
export * from './canary-analysis';
export * from './canary-dashboard';
export * from './canary-stage';
export * from './client-tls';
export * from './composite-route';
export * from './connection-pool';
export * from './destination';
export * from './fault-injection';
export * from './header-operations';
export * from './http-method';
export * from './load-balancer';
export * from './mirror';
export * from './mirroring';
export * from './outlier-detection';
export * from './preset-route';
export * from './retries';
export * from './route-match';
export * from './rule';
export * from './sticky-split';
export * from './string-match';
export * from './subsets';
export * from './routing/host-routing';
export * from './routing/routing-model';
export * from './routing/routing-outcome';
export * from './routing/simulated-request';
export * from './routing/subset-share';
export * from './traffic-policy';
export * from './validation/engine';
export * from './validation/finding';
export * from './validation/synth';
export { Warnings } from './warnings';
export * from './workload-subsets';

/** The L1 classes generated from Istio's CRDs, for escape hatches (`Node.of(x).defaultChild`). */
export * as istio from './imports/istio-networking.istio.io';

/** The L1 class generated from the Prometheus Operator's PrometheusRule CRD, for escape hatches. */
export * as prometheus from './imports/prometheus-monitoring.coreos.com';
