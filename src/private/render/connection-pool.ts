import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ConnectionPool } from '../../connection-pool';
import { DestinationRuleSpecTrafficPolicyConnectionPool } from '../../imports/istio-networking.istio.io';
import { checkInteger, istioDuration } from '../checks';
import { fail } from '../errors';

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
