/**
 * Subsets as each caller resolves them (Istio's push context): the DestinationRule of the caller's namespace,
 * else the one the host's namespace exports to it, else the root namespace's; the most specific host first,
 * then exportTo. The checker (XO_SUBSET_NOT_VISIBLE) and the routing model share the lookup.
 */
import { main } from '../src/cli';
import { RoutingModel } from '../src/routing/routing-model';
import { IstioChecker } from '../src/validation/istio-checker';

const REVIEWS = 'reviews.shop.svc.cluster.local';

function dr(name: string, namespace: string | undefined, spec: any): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name, ...(namespace === undefined ? {} : { namespace }) }, spec };
}

function route(name: string, namespace: string | undefined, subset: string, extra: any = {}, host = REVIEWS): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { hosts: [`${name}.example.com`], http: [{ route: [{ destination: { host, subset } }] }], ...extra },
  };
}

const subsets = (...names: string[]) => names.map((n) => ({ name: n, labels: { version: n } }));

/** The subset findings, as `severity CODE namespace/name: message`. */
function subsetFindings(manifests: any[], rootNamespace?: string): string[] {
  return IstioChecker.check(manifests, { rootNamespace })
    .filter((f) => f.code.startsWith('XO_SUBSET'))
    .map((f) => `${f.severity} ${f.code} ${f.namespace}/${f.name}: ${f.message}`);
}

describe('the DestinationRule each caller uses', () => {
  test('one exported only to "." defines no subset for callers in other namespaces', () => {
    const shopOnly = dr('reviews', 'shop', { host: REVIEWS, exportTo: ['.'], subsets: subsets('v1', 'v2') });
    expect(subsetFindings([shopOnly, route('canary', 'frontend', 'v2')])).toEqual([
      'warning XO_SUBSET_NOT_VISIBLE frontend/canary: subset "v2" is defined only by DestinationRule shop/reviews, which not every caller of the route uses: '
      + 'callers in namespace frontend find no DestinationRule for "reviews.shop.svc.cluster.local", so their requests to it fail with 503 (NC, no cluster); '
      + 'Istio reads a caller\'s own namespace, then the host\'s (shop), then istio-system, as exportTo allows: keep the host\'s DestinationRule in shop, exported to them',
    ]);
    // The finding sits on the destination's subset field (the path, not the function that builds it).
    expect(IstioChecker.check([shopOnly, route('canary', 'frontend', 'v2')]).filter((f) => f.code === 'XO_SUBSET_NOT_VISIBLE').map((f) => f.field))
      .toEqual(['spec.http[0].route[0].destination.subset']);
    // Used in shop only, where the DestinationRule is seen.
    expect(subsetFindings([shopOnly, route('canary', 'shop', 'v2', { exportTo: ['.'] })])).toEqual([]);
    // Exported to frontend by name, it serves frontend's callers too.
    expect(subsetFindings([{ ...shopOnly, spec: { ...shopOnly.spec, exportTo: ['.', 'frontend'] } }, route('canary', 'frontend', 'v2')])).toEqual([]);
  });

  test('one in the caller\'s namespace replaces the host\'s, for that namespace only', () => {
    const manifests = [
      dr('reviews', 'shop', { host: REVIEWS, subsets: subsets('v1', 'v2') }),
      dr('reviews-client', 'team-a', { host: REVIEWS, trafficPolicy: { connectionPool: { tcp: { maxConnections: 10 } } } }),
      route('canary', 'shop', 'v2'),
    ];
    expect(subsetFindings(manifests)).toEqual([
      'warning XO_SUBSET_NOT_VISIBLE shop/canary: subset "v2" is defined only by DestinationRule shop/reviews, which not every caller of the route uses: '
      + 'callers in namespace team-a use DestinationRule team-a/reviews-client (no subsets), so their requests to it fail with 503 (NC, no cluster); '
      + 'Istio reads a caller\'s own namespace, then the host\'s (shop), then istio-system, as exportTo allows: add the subset to the DestinationRule they use, '
      + 'or keep one DestinationRule for the host, in shop',
    ]);
    // A route team-a does not use is not concerned.
    expect(subsetFindings([...manifests.slice(0, 2), route('canary', 'shop', 'v2', { exportTo: ['.', 'frontend'] })])).toEqual([]);
  });

  test('the most specific host first: a wildcard of the caller\'s namespace before the host\'s own rule, an exact host before a wildcard', () => {
    const host = dr('reviews', 'shop', { host: REVIEWS, subsets: subsets('v1', 'v2') });
    const wildcardInTeamA = dr('all-shop', 'team-a', { host: '*.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    expect(subsetFindings([host, wildcardInTeamA, route('canary', 'shop', 'v2')])).toEqual([
      expect.stringContaining('callers in namespace team-a use DestinationRule team-a/all-shop (no subsets)'),
    ]);
    // In shop itself the exact host wins over shop's own wildcard.
    const wildcardInShop = dr('all-shop', 'shop', { host: '*.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
    expect(subsetFindings([host, wildcardInShop, route('canary', 'shop', 'v2')])).toEqual([]);
  });

  test('the most specific host is chosen before exportTo: a narrower rule not exported to a caller hides a wider one that is', () => {
    const manifests = [
      dr('reviews', 'shop', { host: REVIEWS, exportTo: ['team-x'], subsets: subsets('v1') }),
      dr('all-shop', 'shop', { host: '*.shop.svc.cluster.local', subsets: subsets('v2') }),
      route('canary', 'frontend', 'v2'),
    ];
    const [finding, ...rest] = subsetFindings(manifests);
    expect(rest).toEqual([]);
    expect(finding).toContain('callers in namespace frontend find no DestinationRule for "reviews.shop.svc.cluster.local"');
    expect(finding).toContain('callers in namespace team-x use DestinationRule shop/reviews ("v1")');
    // shop's own sidecars are left out of the exact rule's exportTo, so they take the wildcard, which has v2.
    expect(finding).not.toContain('namespace shop');
  });

  test('the root namespace\'s rules serve callers without their own; rootNamespace (check --root-namespace) says which namespace that is', () => {
    const manifests = [
      dr('reviews', 'mesh-config', { host: REVIEWS, subsets: subsets('v1') }),
      route('stable', 'frontend', 'v1', { exportTo: ['.', 'team-c'] }),
    ];
    expect(subsetFindings(manifests, 'mesh-config')).toEqual([]);
    expect(subsetFindings(manifests)).toEqual([
      'warning XO_SUBSET_NOT_VISIBLE frontend/stable: subset "v1" is defined only by DestinationRule mesh-config/reviews, which no caller of the route uses: '
      + 'callers in namespaces frontend, team-c find no DestinationRule for "reviews.shop.svc.cluster.local", so their requests to it fail with 503 (NC, no cluster); '
      + 'Istio reads a caller\'s own namespace, then the host\'s (shop), then istio-system, as exportTo allows: keep the host\'s DestinationRule in shop, exported to them',
    ]);
    // The root namespace's private rules count for its own callers only.
    const privateRoot = [dr('reviews', 'istio-system', { host: REVIEWS, exportTo: ['.'], subsets: subsets('v1') })];
    expect(subsetFindings([...privateRoot, route('stable', 'istio-system', 'v1', { exportTo: ['.'] })])).toEqual([]);
    expect(subsetFindings([...privateRoot, route('stable', 'frontend', 'v1', { exportTo: ['.'] })])).toHaveLength(1);
  });

  test('a route bound to gateways only is not resolved per caller: a Gateway\'s proxies may run in any namespace', () => {
    const shopOnly = dr('reviews', 'shop', { host: REVIEWS, exportTo: ['.'], subsets: subsets('v1') });
    expect(subsetFindings([shopOnly, route('edge', 'frontend', 'v1', { gateways: ['istio-system/public'] })])).toEqual([]);
    expect(subsetFindings([shopOnly, route('edge', 'frontend', 'v1', { gateways: ['istio-system/public', 'mesh'] })])).toHaveLength(1);
  });

  test('a host outside the cluster domain: the rules exported by any namespace that has one for it count', () => {
    const external = dr('payments', 'payments', { host: 'api.payments.example', subsets: subsets('blue') });
    expect(subsetFindings([external, route('checkout', 'shop', 'blue', {}, 'api.payments.example')])).toEqual([]);
  });

  test('a subset no DestinationRule defines keeps its error and its message', () => {
    expect(subsetFindings([dr('reviews', 'shop', { host: REVIEWS, subsets: subsets('v1') }), route('canary', 'frontend', 'v3')])).toEqual([
      'error XO_SUBSET_NOT_FOUND frontend/canary: DestinationRule shop/reviews ("v1") has no subset "v3", so requests to it fail with 503 (NC, no cluster); fix the name or add the subset',
    ]);
  });

  test('an invalid rootNamespace is refused, by the API and the CLI', () => {
    expect(() => IstioChecker.check([], { rootNamespace: 'Istio_System' })).toThrow(
      'IstioChecker.check: rootNamespace "Istio_System" is not a namespace name; use a lowercase DNS label such as "istio-system"');
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(main(['check', '--root-namespace', 'Istio_System', 'x.yaml'])).toBe(2);
      expect(error.mock.calls[0][0]).toMatch(/^cdk8s-istio-traffic check: --root-namespace "Istio_System" is not a namespace name; use a lowercase DNS label such as istio-system/);
    } finally {
      error.mockRestore();
    }
  });
});

describe('the routing model resolves subsets with the same lookup', () => {
  test('it notes the callers that get 503 (NC)', () => {
    const model = RoutingModel.fromManifests([
      dr('reviews', 'shop', { host: REVIEWS, exportTo: ['.'], subsets: subsets('v1', 'v2') }),
      { ...route('canary', 'frontend', 'v2'), spec: { hosts: [REVIEWS], http: [{ route: [{ destination: { host: REVIEWS, subset: 'v2' } }] }] } },
    ]);
    expect(model.hosts.find((h) => h.virtualService === 'frontend/canary')!.notes).toEqual([
      'subset v2 of reviews.shop.svc.cluster.local is defined by DestinationRule shop/reviews, but callers in frontend find no DestinationRule for it: their requests sent there get 503 (NC)',
    ]);
  });

  test('objects without a namespace are in default, for the routing model as for the checker', () => {
    // Before, the routing model compared the short host "reviews" of the DestinationRule with the
    // VirtualService's "reviews.default.svc.cluster.local" and noted the subset missing, while the checker
    // found it.
    const manifests = [dr('reviews', undefined, { host: 'reviews', subsets: subsets('v1') }), route('stable', 'default', 'v1', {}, 'reviews')];
    expect(subsetFindings(manifests)).toEqual([]);
    expect(RoutingModel.fromManifests(manifests).hosts.flatMap((h) => h.notes).filter((n) => /503/.test(n))).toEqual([]);
  });
});
