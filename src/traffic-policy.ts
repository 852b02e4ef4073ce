import { ClientTls } from './client-tls';
import { ConnectionPool } from './connection-pool';
import { LoadBalancer } from './load-balancer';
import { OutlierDetection } from './outlier-detection';

/**
 * Policies applied to traffic towards a host or one of its subsets.
 *
 * A subset's policy is merged with the host's one field by field: each field the subset sets replaces
 * the host's field entirely (Istio does not merge inside `connectionPool`), unset fields are inherited.
 */
export interface TrafficPolicy {
  /**
   * How requests are spread over the pods.
   * @default - Istio's default, LEAST_REQUEST
   */
  readonly loadBalancer?: LoadBalancer;

  /**
   * Connection limits (circuit breaking).
   * @default - Istio's defaults
   */
  readonly connectionPool?: ConnectionPool;

  /**
   * Ejection of failing pods.
   * @default - no outlier detection
   */
  readonly outlierDetection?: OutlierDetection;

  /**
   * TLS towards the destination.
   * @default - Istio's automatic mutual TLS where both sides have sidecars
   */
  readonly tls?: ClientTls;
}

