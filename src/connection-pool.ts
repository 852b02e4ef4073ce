import { Duration } from 'cdk8s';

/** TCP limits towards the pods of a subset (per sidecar). */
export interface TcpConnectionPool {
  /**
   * Maximum number of connections to the destination.
   * @default - 2^32-1 (no practical limit)
   */
  readonly maxConnections?: number;

  /**
   * TCP connect timeout.
   * @default Duration.seconds(10)
   */
  readonly connectTimeout?: Duration;

  /**
   * Close a connection that has had no active requests for this long.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;

  /**
   * Maximum lifetime of a connection.
   * @default - unlimited
   */
  readonly maxConnectionDuration?: Duration;
}

/** HTTP limits towards the pods of a subset (per sidecar). */
export interface HttpConnectionPool {
  /**
   * Maximum number of requests queued while waiting for a connection.
   * @default 1024
   */
  readonly http1MaxPendingRequests?: number;

  /**
   * Maximum number of active requests to the destination.
   * @default 1024
   */
  readonly http2MaxRequests?: number;

  /**
   * Maximum number of requests per connection; 1 disables keep-alive.
   * @default - unlimited
   */
  readonly maxRequestsPerConnection?: number;

  /**
   * Maximum number of retries outstanding to the destination at once.
   * @default - 2^32-1 (no practical limit)
   */
  readonly maxRetries?: number;

  /**
   * Close an upstream connection that has had no active requests for this long.
   * @default Duration.hours(1)
   */
  readonly idleTimeout?: Duration;
}

/** Connection limits (circuit breaking) for a subset or a whole host. */
export interface ConnectionPool {
  /**
   * TCP settings.
   * @default - Istio's defaults
   */
  readonly tcp?: TcpConnectionPool;

  /**
   * HTTP settings.
   * @default - Istio's defaults
   */
  readonly http?: HttpConnectionPool;
}

