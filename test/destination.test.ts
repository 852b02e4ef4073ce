/** Destination: one subset or a weighted split, as written in a rule's `route`, and the splits it rejects. */
import { Destination, IstioChecker, Severity } from '../src';
import { checkoutRoute, HOST, httpRules } from './fixtures';

const dest = (subset: string) => ({ host: HOST, subset });

/** The `route` of a route whose only rule is a default sending requests to `to`. */
function rendered(to: (versions: ReturnType<typeof checkoutRoute>) => Destination) {
  const route = checkoutRoute();
  route.routes.addDefaultRule('d', { to: to(route) });
  return httpRules(route.chart)[0].route;
}

/** Adds a default rule named "d" sending requests to `to`; throws what the route rejects. */
function addDefault(to: (versions: ReturnType<typeof checkoutRoute>) => Destination) {
  const route = checkoutRoute();
  route.routes.addDefaultRule('d', { to: to(route) });
}

describe('Destination', () => {
  test('subset: one destination, without a weight', () => {
    expect(rendered(({ v1 }) => Destination.subset(v1))).toEqual([{ destination: dest('v1') }]);
  });

  test('subset with header changes for that subset', () => {
    expect(rendered(({ v2 }) => Destination.subset(v2, { headers: { request: { set: { 'x-version': 'v2' } } } })))
      .toEqual([{ destination: dest('v2'), headers: { request: { set: { 'x-version': 'v2' } } } }]);
  });

  test('split: the weights in order, header changes per subset', () => {
    expect(rendered(({ v1, v2 }) => Destination.split([{ subset: v1, weight: 95 }, { subset: v2, weight: 5, headers: { response: { add: { 'x-canary': 'true' } } } }])))
      .toEqual([
        { destination: dest('v1'), weight: 95 },
        { destination: dest('v2'), weight: 5, headers: { response: { add: { 'x-canary': 'true' } } } },
      ]);
  });

  test('split of one subset keeps its weight of 100', () => {
    expect(rendered(({ v2 }) => Destination.split([{ subset: v2, weight: 100 }]))).toEqual([{ destination: dest('v2'), weight: 100 }]);
  });

  test('a weight of 0 leaves the destination out', () => {
    expect(rendered(({ v1, v2 }) => Destination.split([{ subset: v1, weight: 100 }, { subset: v2, weight: 0 }]))).toEqual([{ destination: dest('v1'), weight: 100 }]);
  });

  test('subsets lists the subsets that receive requests', () => {
    const { v1, v2 } = checkoutRoute();
    expect(Destination.subset(v2).subsets).toEqual([v2]);
    expect(Destination.split([{ subset: v1, weight: 0 }, { subset: v2, weight: 100 }]).subsets).toEqual([v2]);
  });
});

describe('Destination errors', () => {
  test('weights that do not sum to 100', () => {
    expect(() => addDefault(({ v1, v2 }) => Destination.split([{ subset: v1, weight: 85 }, { subset: v2, weight: 5 }])))
      .toThrow(/test\/routes: defaultRule\["d"\]\.to: the weights sum to 90; .*summing to 100 \(VS_WEIGHT_SUM_NOT_100\)/);
  });

  test('weights that do not sum to 100: the checker\'s finding in the same words, an error here and a warning there', () => {
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'checkout', namespace: 'prod' },
      spec: { hosts: [HOST], http: [{ route: [{ destination: dest('v1'), weight: 60 }, { destination: dest('v2'), weight: 50 }] }] },
    };
    const [finding] = IstioChecker.check([vs]).filter((f) => f.code === 'VS_WEIGHT_SUM_NOT_100');
    expect(finding.severity).toBe(Severity.WARNING);
    expect(() => addDefault(({ v1, v2 }) => Destination.split([{ subset: v1, weight: 60 }, { subset: v2, weight: 50 }])))
      .toThrow(`test/routes: defaultRule["d"].to: ${finding.message} (VS_WEIGHT_SUM_NOT_100)`);
  });

  test('a split of one subset must say 100 too, although Istio ignores a lone weight', () => {
    expect(() => addDefault(({ v1 }) => Destination.split([{ subset: v1, weight: 90 }])))
      .toThrow(/defaultRule\["d"\]\.to: the weights sum to 90; .*\(VS_WEIGHT_SUM_NOT_100\)/);
  });

  test.each([
    [-5, /test\/routes: defaultRule\["d"\]\.to\[1\]\.weight: -5 is out of range; use a whole number from 0 to 100/],
    [2.5, /to\[1\]\.weight: 2.5 is out of range/],
    [105, /to\[1\]\.weight: 105 is out of range/],
  ])('weight %d', (weight, message) => {
    expect(() => addDefault(({ v1, v2 }) => Destination.split([{ subset: v1, weight: 100 }, { subset: v2, weight }]))).toThrow(message);
  });

  test('an empty split', () => {
    expect(() => addDefault(() => Destination.split([]))).toThrow(/test\/routes: defaultRule\["d"\]\.to: the split of rule "d" is empty; give it at least one subset/);
  });

  test('a subset twice in a split', () => {
    expect(() => addDefault(({ v1 }) => Destination.split([{ subset: v1, weight: 50 }, { subset: v1, weight: 50 }])))
      .toThrow(/defaultRule\["d"\]\.to\[1\]: subset "v1" appears twice in the split of rule "d"/);
  });

  test('an invalid header change names the destination', () => {
    expect(() => addDefault(({ v2 }) => Destination.subset(v2, { headers: { request: { set: { 'X-Version': 'v2' } } } })))
      .toThrow(/defaultRule\["d"\]\.to\.headers\.request\.set\["X-Version"\]: "X-Version" is not a valid header name/);
  });
});
