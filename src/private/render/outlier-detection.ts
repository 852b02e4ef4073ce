import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DestinationRuleSpecTrafficPolicyOutlierDetection } from '../../imports/istio-networking.istio.io';
import { OutlierDetection } from '../../outlier-detection';
import { checkInteger, istioDuration } from '../checks';

export function outlierDetectionToIstio(scope: IConstruct, field: string, od: OutlierDetection): DestinationRuleSpecTrafficPolicyOutlierDetection {
  const count = (name: string, value: number | undefined) => {
    if (value !== undefined) checkInteger(scope, `${field}.${name}`, value, 0);
    return value;
  };
  const percent = (name: string, value: number | undefined) => {
    if (value !== undefined) checkInteger(scope, `${field}.${name}`, value, 0, 100);
    return value;
  };
  const duration = (name: string, value: Duration | undefined) =>
    value === undefined ? undefined : istioDuration(scope, `${field}.${name}`, value);
  return {
    consecutive5XxErrors: count('consecutive5xxErrors', od.consecutive5xxErrors),
    consecutiveGatewayErrors: count('consecutiveGatewayErrors', od.consecutiveGatewayErrors),
    interval: duration('interval', od.interval),
    baseEjectionTime: duration('baseEjectionTime', od.baseEjectionTime),
    maxEjectionPercent: percent('maxEjectionPercent', od.maxEjectionPercent),
    minHealthPercent: percent('minHealthPercent', od.minHealthPercent),
  };
}
