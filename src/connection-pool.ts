import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger, istioDuration } from './checks';
import { fail } from './errors';
import { DestinationRuleSpecTrafficPolicyConnectionPool } from './imports/istio-networking.istio.io';

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

/** @internal */
export function connectionPoolToIstio(scope: IConstruct, field: string, pool: ConnectionPool): DestinationRuleSpecTrafficPolicyConnectionPool {
  if (pool.tcp === undefined && pool.http === undefined) {
    fail(scope, field, 'the connection pool is empty; set tcp or http limits, or leave connectionPool out');
  }
  const counter = (name: string, value: number | undefined) => {
    if (value !== undefined) checkInteger(scope, `${field}.${name}`, value, 0);
    return value;
  };
  const duration = (name: string, value: Duration | undefined) =>
    value === undefined ? undefined : istioDuration(scope, `${field}.${name}`, value);
  const { tcp, http } = pool;
  return {
    tcp: tcp === undefined ? undefined : {
      maxConnections: counter('tcp.maxConnections', tcp.maxConnections),
      connectTimeout: duration('tcp.connectTimeout', tcp.connectTimeout),
      idleTimeout: duration('tcp.idleTimeout', tcp.idleTimeout),
      maxConnectionDuration: duration('tcp.maxConnectionDuration', tcp.maxConnectionDuration),
    },
    http: http === undefined ? undefined : {
      http1MaxPendingRequests: counter('http.http1MaxPendingRequests', http.http1MaxPendingRequests),
      http2MaxRequests: counter('http.http2MaxRequests', http.http2MaxRequests),
      maxRequestsPerConnection: counter('http.maxRequestsPerConnection', http.maxRequestsPerConnection),
      maxRetries: counter('http.maxRetries', http.maxRetries),
      idleTimeout: duration('http.idleTimeout', http.idleTimeout),
    },
  };
}
