import { Duration } from 'cdk8s';

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

