export * from './client-tls';
export * from './connection-pool';
export * from './load-balancer';
export * from './outlier-detection';
export * from './subsets';
export * from './traffic-policy';

/** The L1 classes generated from Istio's CRDs, for escape hatches (`Node.of(x).defaultChild`). */
export * as istio from './imports/istio-networking.istio.io';
