/** HashKey: what each key writes under a DestinationRule's `loadBalancer.consistentHash`, and the keys it rejects. */
import { Duration, Testing } from 'cdk8s';
import { HashKey, LoadBalancer } from '../src';
import { checkoutSubsets, destinationRuleSpec } from './fixtures';

/** The `consistentHash` checkout-service's DestinationRule writes when it hashes on `key`. */
function rendered(key: HashKey) {
  const chart = Testing.chart();
  checkoutSubsets(chart, ['v1'], { loadBalancer: LoadBalancer.consistentHash(key) });
  return destinationRuleSpec(chart).trafficPolicy.loadBalancer.consistentHash;
}

describe('HashKey', () => {
  test.each([
    ['httpHeader', HashKey.httpHeader('session-id'), { httpHeaderName: 'session-id' }],
    ['httpCookie', HashKey.httpCookie('user'), { httpCookie: { name: 'user' } }],
    ['httpCookie with path and ttl', HashKey.httpCookie('user', { path: '/', ttl: Duration.hours(1) }), { httpCookie: { name: 'user', path: '/', ttl: '3600s' } }],
    ['sourceIp', HashKey.sourceIp(), { useSourceIp: true }],
    ['queryParameter', HashKey.queryParameter('user'), { httpQueryParameterName: 'user' }],
  ])('%s', (_name, key, expected) => {
    expect(rendered(key)).toEqual(expected);
  });
});

describe('HashKey errors', () => {
  test.each([
    ['an upper-case header', HashKey.httpHeader('Session-Id'), /"Session-Id" is not a valid header name; use "session-id"/],
    ['an invalid header name', HashKey.httpHeader('session id'), /"session id" is not a valid header name/],
    ['an empty cookie name', HashKey.httpCookie(''), /the cookie name is empty/],
    ['a cookie ttl under 1ms', HashKey.httpCookie('user', { ttl: Duration.millis(0) }), /0ms is too short/],
    ['an empty query parameter name', HashKey.queryParameter(''), /the query parameter name is empty/],
  ])('%s', (_name, key, message) => {
    const build = () => checkoutSubsets(Testing.chart(), ['v1'], { loadBalancer: LoadBalancer.consistentHash(key) });
    expect(build).toThrow(/^test\/subsets: trafficPolicy\.loadBalancer: /);
    expect(build).toThrow(message);
  });
});
