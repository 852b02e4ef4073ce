import { Duration, Testing } from 'cdk8s';
import { HashKey, LoadBalancer, Subsets, TlsMode } from '../src';
import { checkoutSubsets, HOST } from './fixtures';
import { synth } from './util';
import { synthYaml } from './yaml-snapshot';
import { DestinationRule } from '../src/imports/istio-networking.istio.io';

// LoadBalancer, HashAlgorithm and HashKey have their own tests (test/load-balancer.test.ts, hash-key.test.ts).

/** checkout-service with v1 and v2, in a fresh test chart. */
function versions() {
  const chart = Testing.chart();
  return { chart, subsets: checkoutSubsets(chart) };
}

describe('Subsets', () => {
  test('writes the article\'s foundation DestinationRule', () => {
    const { chart } = versions();
    const [dr] = synth(chart);
    expect(dr.apiVersion).toBe('networking.istio.io/v1');
    expect(dr.kind).toBe('DestinationRule');
    // The article's spec, field by field.
    expect(dr.spec).toEqual({
      host: HOST,
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('the DestinationRule is the default child', () => {
    const { subsets } = versions();
    expect(subsets.node.defaultChild).toBeInstanceOf(DestinationRule);
    expect(subsets.node.defaultChild).toBe(subsets.resource);
  });

  test('subset() returns a typed handle', () => {
    const { subsets } = versions();
    const v2 = subsets.subset('v2');
    expect(v2.name).toBe('v2');
    expect(v2.host).toBe(HOST);
    expect(v2.labels).toEqual({ version: 'v2' });
    expect(v2.subsets).toBe(subsets);
    expect(subsets.subsetNames).toEqual(['v1', 'v2']);
  });

  test('subsets added later reach the manifest', () => {
    const { chart, subsets } = versions();
    const v3 = subsets.addSubset({ name: 'v3', labels: { version: 'v3' } });
    expect(v3.name).toBe('v3');
    expect(synth(chart)[0].spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3']);
  });

  test('host and subset traffic policies', () => {
    const chart = Testing.chart();
    new Subsets(chart, 'subsets', {
      host: HOST,
      trafficPolicy: {
        loadBalancer: LoadBalancer.consistentHash(HashKey.httpHeader('session-id')),
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: Duration.millis(250) },
          http: { http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 1, maxRetries: 3, idleTimeout: Duration.seconds(30) },
        },
        outlierDetection: {
          consecutive5xxErrors: 5,
          consecutiveGatewayErrors: 3,
          interval: Duration.seconds(10),
          baseEjectionTime: Duration.seconds(30),
          maxEjectionPercent: 50,
          minHealthPercent: 20,
        },
        tls: { mode: TlsMode.ISTIO_MUTUAL },
      },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: LoadBalancer.roundRobin() } },
      ],
    });
    const spec = synth(chart)[0].spec;
    expect(spec.trafficPolicy).toEqual({
      loadBalancer: { consistentHash: { httpHeaderName: 'session-id' } },
      connectionPool: {
        tcp: { maxConnections: 100, connectTimeout: '250ms' },
        http: { http1MaxPendingRequests: 10, http2MaxRequests: 100, maxRequestsPerConnection: 1, maxRetries: 3, idleTimeout: '30s' },
      },
      outlierDetection: {
        consecutive5xxErrors: 5,
        consecutiveGatewayErrors: 3,
        interval: '10s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 50,
        minHealthPercent: 20,
      },
      tls: { mode: 'ISTIO_MUTUAL' },
    });
    expect(spec.subsets[1].trafficPolicy).toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' } });
  });

  test('metadata is passed through', () => {
    const chart = Testing.chart();
    new Subsets(chart, 's', { host: HOST, metadata: { name: 'checkout-service-dr', namespace: 'prod' }, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(synth(chart)[0].metadata).toEqual({ name: 'checkout-service-dr', namespace: 'prod' });
  });
});

describe('Subsets errors', () => {
  const one = [{ name: 'v1', labels: { version: 'v1' } }];

  test('an unknown subset name throws with the known names', () => {
    const { subsets } = versions();
    expect(() => subsets.subset('v3')).toThrow(/test\/subsets: subset: no subset named "v3" .*\(defined: "v1", "v2"\); add it with addSubset\(\)/);
  });

  test.each([
    ['Checkout.prod.svc.cluster.local', /is not a valid host name/],
    ['checkout-service', /short name "checkout-service" .*"checkout-service.<namespace>.svc.cluster.local"/],
    ['', /is not a valid host name/],
  ])('host %j is rejected', (host, message) => {
    expect(() => new Subsets(Testing.chart(), 's', { host, subsets: one })).toThrow(message);
  });

  test('a wildcard host is accepted', () => {
    const chart = Testing.chart();
    new Subsets(chart, 's', { host: '*.prod.svc.cluster.local', subsets: one });
    expect(synth(chart)[0].spec.host).toBe('*.prod.svc.cluster.local');
  });

  test('a duplicate subset name throws', () => {
    const { subsets } = versions();
    expect(() => subsets.addSubset({ name: 'v2', labels: { version: 'v2b' } })).toThrow(/test\/subsets: subsets\["v2"\]\.name: subset "v2" is defined twice; give each subset its own name/);
  });

  test('an invalid subset name throws', () => {
    expect(() => new Subsets(Testing.chart(), 's', { host: HOST, subsets: [{ name: 'V_1', labels: { version: 'v1' } }] }))
      .toThrow(/subsets\["V_1"\].name: "V_1" is not a valid name/);
  });

  test('a subset without labels throws', () => {
    expect(() => new Subsets(Testing.chart(), 's', { host: HOST, subsets: [{ name: 'v1', labels: {} }] }))
      .toThrow(/subset "v1" has no labels, so it would select every pod/);
  });

  test('two subsets with the same labels throw', () => {
    const { subsets } = versions();
    expect(() => subsets.addSubset({ name: 'canary', labels: { version: 'v2' } }))
      .toThrow(/subsets "v2" and "canary" select the same pods \(version=v2\)/);
  });

  test.each([
    [{ 'bad key!': 'x' }, /"bad key!" is not a valid label key/],
    [{ version: 'not valid!' }, /label "version" has the invalid value "not valid!"/],
  ])('invalid labels %j throw', (labels, message) => {
    expect(() => new Subsets(Testing.chart(), 's', { host: HOST, subsets: [{ name: 'v1', labels }] })).toThrow(message);
  });

  test('a DestinationRule without subsets fails synth', () => {
    const chart = Testing.chart();
    new Subsets(chart, 's', { host: HOST });
    expect(() => synth(chart)).toThrow(/\[test\/s\] DestinationRule for "checkout-service.prod.svc.cluster.local" has no subsets/);
  });

  test.each([
    ['an empty connection pool', { connectionPool: {} }, /trafficPolicy.connectionPool: the connection pool is empty/],
    ['a negative connection limit', { connectionPool: { tcp: { maxConnections: -1 } } }, /trafficPolicy.connectionPool.tcp.maxConnections: -1 is out of range/],
    ['a connect timeout under 1ms', { connectionPool: { tcp: { connectTimeout: Duration.millis(0) } } }, /connectTimeout: 0ms is too short; Istio needs a duration of at least 1ms/],
    ['a fractional millisecond', { outlierDetection: { interval: Duration.millis(1.5) } }, /interval: 1\.5ms is not a whole number of milliseconds/],
    ['an ejection percent over 100', { outlierDetection: { maxEjectionPercent: 150 } }, /maxEjectionPercent: 150 is out of range; use a whole number from 0 to 100/],
    ['a credential with ISTIO_MUTUAL', { tls: { mode: TlsMode.ISTIO_MUTUAL, credentialName: 'c' } }, /tls.credentialName: a credential is only used with TlsMode.SIMPLE or TlsMode.MUTUAL/],
  ])('%s throws', (_name, trafficPolicy, message) => {
    expect(() => new Subsets(Testing.chart(), 's', { host: HOST, trafficPolicy, subsets: one })).toThrow(message);
  });

  test('a bad subset policy names the subset', () => {
    expect(() => new Subsets(Testing.chart(), 's', {
      host: HOST,
      subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { connectionPool: {} } }],
    })).toThrow(/test\/s: subsets\["v1"\]\.trafficPolicy\.connectionPool: the connection pool is empty; set tcp or http limits/);
  });
});
