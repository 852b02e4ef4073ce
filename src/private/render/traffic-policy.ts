import { IConstruct } from 'constructs';
import { clientTlsToIstio } from './client-tls';
import { connectionPoolToIstio } from './connection-pool';
import { outlierDetectionToIstio } from './outlier-detection';
import { DestinationRuleSpecTrafficPolicy } from '../../imports/istio-networking.istio.io';
import { TrafficPolicy } from '../../traffic-policy';

export function trafficPolicyToIstio(scope: IConstruct, field: string, policy: TrafficPolicy): DestinationRuleSpecTrafficPolicy {
  return {
    loadBalancer: policy.loadBalancer?._toIstio(scope, `${field}.loadBalancer`),
    connectionPool: policy.connectionPool && connectionPoolToIstio(scope, `${field}.connectionPool`, policy.connectionPool),
    outlierDetection: policy.outlierDetection && outlierDetectionToIstio(scope, `${field}.outlierDetection`, policy.outlierDetection),
    tls: policy.tls && clientTlsToIstio(scope, `${field}.tls`, policy.tls),
  };
}
