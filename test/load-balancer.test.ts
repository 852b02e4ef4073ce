/** LoadBalancer and its HashAlgorithm: what each writes in a DestinationRule's `trafficPolicy.loadBalancer`. */
import { Testing } from 'cdk8s';
import { HashAlgorithm, HashKey, LoadBalancer } from '../src';
import { checkoutSubsets, destinationRuleSpec } from './fixtures';

/** The `loadBalancer` checkout-service's DestinationRule writes with `loadBalancer` for the whole host. */
function rendered(loadBalancer: LoadBalancer) {
  const chart = Testing.chart();
  checkoutSubsets(chart, ['v1'], { loadBalancer });
  return destinationRuleSpec(chart).trafficPolicy.loadBalancer;
}

describe('LoadBalancer', () => {
  test.each([
    ['roundRobin', LoadBalancer.roundRobin(), { simple: 'ROUND_ROBIN' }],
    ['leastRequest', LoadBalancer.leastRequest(), { simple: 'LEAST_REQUEST' }],
    ['random', LoadBalancer.random(), { simple: 'RANDOM' }],
    ['passthrough', LoadBalancer.passthrough(), { simple: 'PASSTHROUGH' }],
    ['consistentHash on Envoy\'s default ring', LoadBalancer.consistentHash(HashKey.sourceIp()), { consistentHash: { useSourceIp: true } }],
    ['consistentHash on a ring', LoadBalancer.consistentHash(HashKey.sourceIp(), { algorithm: HashAlgorithm.ringHash(2048) }),
      { consistentHash: { useSourceIp: true, ringHash: { minimumRingSize: 2048 } } }],
    ['consistentHash on a ring of the default size', LoadBalancer.consistentHash(HashKey.sourceIp(), { algorithm: HashAlgorithm.ringHash() }),
      { consistentHash: { useSourceIp: true, ringHash: {} } }],
    ['consistentHash with maglev', LoadBalancer.consistentHash(HashKey.queryParameter('user'), { algorithm: HashAlgorithm.maglev(65537) }),
      { consistentHash: { httpQueryParameterName: 'user', maglev: { tableSize: 65537 } } }],
    // Istio's webhook rejects a Maglev without a table size, so Envoy's default is written out.
    ['consistentHash with maglev and no size', LoadBalancer.consistentHash(HashKey.sourceIp(), { algorithm: HashAlgorithm.maglev() }),
      { consistentHash: { useSourceIp: true, maglev: { tableSize: 65537 } } }],
    // Envoy's (and Istio's) prime test counts 1 as prime, so both accept it; so does the construct.
    ['consistentHash with a maglev table of 1', LoadBalancer.consistentHash(HashKey.sourceIp(), { algorithm: HashAlgorithm.maglev(1) }),
      { consistentHash: { useSourceIp: true, maglev: { tableSize: 1 } } }],
  ])('%s', (_name, loadBalancer, expected) => {
    expect(rendered(loadBalancer)).toEqual(expected);
  });
});

describe('LoadBalancer errors', () => {
  const FIELD = 'test/subsets: trafficPolicy.loadBalancer.algorithm: ';

  test.each([
    ['a maglev table size that is not prime', HashAlgorithm.maglev(1000), /1000 is not a prime number/],
    ['a maglev table size Istio rejects', HashAlgorithm.maglev(5000011), /5000011 is too large; use a prime below 5000011.*\(LB_INVALID\)/],
    ['a maglev table size under 1', HashAlgorithm.maglev(0), /0 is out of range/],
    ['a ring size of 0', HashAlgorithm.ringHash(0), /0 is out of range/],
    ['a fractional ring size', HashAlgorithm.ringHash(1.5), /1.5 is out of range/],
  ])('%s', (_name, algorithm, message) => {
    const build = () => checkoutSubsets(Testing.chart(), ['v1'], { loadBalancer: LoadBalancer.consistentHash(HashKey.sourceIp(), { algorithm }) });
    expect(build).toThrow(FIELD);
    expect(build).toThrow(message);
  });
});
