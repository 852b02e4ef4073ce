import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger, istioDuration } from './checks';
import { DestinationRuleSpecTrafficPolicyOutlierDetection } from './imports/istio-networking.istio.io';

/** Ejects pods that keep failing from the load-balancing pool for a while. */
export interface OutlierDetection {
  /**
   * Consecutive 5xx responses (and connection errors) before a pod is ejected; 0 turns the check off.
   * @default 5
   */
  readonly consecutive5xxErrors?: number;

  /**
   * Consecutive 502, 503 and 504 responses (and connection errors) before a pod is ejected; 0 turns it off.
   * @default - off
   */
  readonly consecutiveGatewayErrors?: number;

  /**
   * Time between ejection sweeps.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;

  /**
   * Minimum ejection time; it grows with each ejection of the same pod.
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;

  /**
   * Maximum share of the pods that can be ejected at once, 0-100.
   * @default 10
   */
  readonly maxEjectionPercent?: number;

  /**
   * Outlier detection stays off while fewer than this share of pods are healthy, 0-100.
   * @default 0
   */
  readonly minHealthPercent?: number;
}

/** @internal */
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
