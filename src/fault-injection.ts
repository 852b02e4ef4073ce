import { Duration } from 'cdk8s';

/** Delays a share of requests before they are forwarded. */
export interface FaultDelay {
  /** How long to delay. */
  readonly fixedDelay: Duration;

  /**
   * Share of requests delayed, 0-100 (fractions allowed).
   * @default 100
   */
  readonly percentage?: number;
}

/** Answers a share of requests with an error instead of forwarding them. */
export interface FaultAbort {
  /** HTTP status returned, 200-599. */
  readonly httpStatus: number;

  /**
   * Share of requests aborted, 0-100 (fractions allowed).
   * @default 100
   */
  readonly percentage?: number;
}

/** Fault injection on a rule, to test how callers cope with a slow or failing version. */
export interface FaultInjection {
  /**
   * Delay injected before forwarding.
   * @default - no delay
   */
  readonly delay?: FaultDelay;

  /**
   * Error returned instead of forwarding.
   * @default - no abort
   */
  readonly abort?: FaultAbort;
}

