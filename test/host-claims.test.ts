/**
 * Host and gateway names, and the one-route-per-host rule: one function each, which the checker, the
 * routing model and (through the checker at synth) the constructs share.
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { CompositeRoute, Destination, istio, RoutingModel, Subsets } from '../src';
import { synth } from './util';
import { hostConflicts } from '../src/private/one-route-per-host';
import { expandGateway, expandHost, placesOf } from '../src/private/routing/names';
import { Severity } from '../src/validation/finding';
import { IstioChecker } from '../src/validation/istio-checker';

const HOST = 'shop.example.com';

function vs(name: string, namespace: string | undefined, spec: any): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { http: [{ route: [{ destination: { host: 'shop.prod.svc.cluster.local' } }] }], ...spec },
  };
}

function quietly<T>(fn: () => T): { result: T | Error; warnings: string[] } {
  const warnings: string[] = [];
  const spy = jest.spyOn(console, 'warn').mockImplementation((line: string) => warnings.push(line));
  try {
    return { result: fn(), warnings };
  } catch (err) {
    return { result: err as Error, warnings };
  } finally {
    spy.mockRestore();
  }
}

describe('names as Istio resolves them', () => {
  test.each([
    ['reviews', 'shop', 'reviews.shop.svc.cluster.local'],
    ['reviews.shop', 'shop', 'reviews.shop'],
    ['reviews.shop.svc.cluster.local', 'other', 'reviews.shop.svc.cluster.local'],
    ['*', 'shop', '*'],
    ['*.example.com', 'shop', '*.example.com'],
    // An IPv6 address has no dot, and is not a short name: Istio keeps IP addresses as written.
    ['2001:db8::1', 'shop', '2001:db8::1'],
    ['::1', 'shop', '::1'],
    ['10.0.0.1', 'shop', '10.0.0.1'],
    ['', 'shop', ''],
    // Without a namespace (the routing model reading an object without one), names stay as written.
    ['reviews', undefined, 'reviews'],
  ])('host %j in namespace %j is %j', (host, namespace, expected) => {
    expect(expandHost(host, namespace)).toBe(expected);
  });

  test.each([
    ['mesh', 'shop', 'mesh'],
    ['public', 'shop', 'shop/public'],
    ['istio-system/public', 'shop', 'istio-system/public'],
    ['./public', 'shop', 'shop/public'],
    // The legacy forms: the namespace is the label after the first dot.
    ['public.istio-system', 'shop', 'istio-system/public'],
    ['public.istio-system.svc.cluster.local', 'shop', 'istio-system/public'],
    ['public.istio-system', undefined, 'istio-system/public'],
    ['public', undefined, 'public'],
  ])('gateway %j in namespace %j is %j', (gateway, namespace, expected) => {
    expect(expandGateway(gateway, namespace)).toBe(expected);
  });

  test('places: mesh without gateways, each place once, in the order written', () => {
    expect(placesOf([], 'shop')).toEqual(['mesh']);
    expect(placesOf(['public', 'mesh', 'shop/public', 'public.shop'], 'shop')).toEqual(['shop/public', 'mesh']);
  });

  test('the routing model shows the names the checker compares: a legacy gateway name, an IPv6 host', () => {
    const model = RoutingModel.fromManifests([
      vs('legacy', 'shop', { hosts: [HOST], gateways: ['public.istio-system', 'mesh'] }),
      vs('ip', 'shop', { hosts: ['2001:db8::1'] }),
    ]);
    expect(model.hosts.map((h) => [h.host, h.appliesTo])).toEqual([
      ['2001:db8::1', ['mesh']],
      [HOST, ['istio-system/public', 'mesh']],
    ]);
  });
});

describe('one VirtualService per host and place: the checker and the routing model answer alike', () => {
  // Pairs of VirtualServices, and whether they claim one host at one place.
  const cases: [string, any[], boolean][] = [
    ['one host on the mesh, two namespaces', [vs('a', 'x', { hosts: [HOST] }), vs('b', 'y', { hosts: [HOST] })], true],
    ['one host on two gateways', [vs('a', 'x', { hosts: [HOST], gateways: ['istio-system/a'] }), vs('b', 'x', { hosts: [HOST], gateways: ['istio-system/b'] })], false],
    ['a short gateway name and its namespace/name', [vs('a', 'istio-system', { hosts: [HOST], gateways: ['public'] }), vs('b', 'shop', { hosts: [HOST], gateways: ['istio-system/public'] })], true],
    ['one short gateway name in two namespaces', [vs('a', 'x', { hosts: [HOST], gateways: ['public'] }), vs('b', 'y', { hosts: [HOST], gateways: ['public'] })], false],
    ['a legacy gateway name and its namespace/name', [vs('a', 'shop', { hosts: [HOST], gateways: ['istio-system/public'] }), vs('b', 'shop', { hosts: [HOST], gateways: ['public.istio-system'] })], true],
    ['./name and a short name', [vs('a', 'shop', { hosts: [HOST], gateways: ['./public'] }), vs('b', 'shop', { hosts: [HOST], gateways: ['public'] })], true],
    ['a short host and its FQDN', [vs('a', 'shop', { hosts: ['reviews'] }), vs('b', 'other', { hosts: ['reviews.shop.svc.cluster.local'] })], true],
    ['one short host in two namespaces', [vs('a', 'x', { hosts: ['reviews'] }), vs('b', 'y', { hosts: ['reviews'] })], false],
    ['one IPv6 host in two namespaces', [vs('a', 'x', { hosts: ['2001:db8::1'] }), vs('b', 'y', { hosts: ['2001:db8::1'] })], true],
    ['exported to their own namespaces only', [vs('a', 'x', { hosts: [HOST], exportTo: ['.'] }), vs('b', 'y', { hosts: [HOST], exportTo: ['.'] })], false],
    ['exported to a common namespace', [vs('a', 'x', { hosts: [HOST], exportTo: ['.', 'z'] }), vs('b', 'y', { hosts: [HOST], exportTo: ['z'] })], true],
    ['the same object twice (two files)', [vs('a', 'x', { hosts: [HOST] }), vs('a', 'x', { hosts: [HOST] })], false],
    ['mesh and a gateway against mesh', [vs('a', 'x', { hosts: [HOST], gateways: ['mesh', 'istio-system/public'] }), vs('b', 'y', { hosts: [HOST] })], true],
    // Istio 1.30's IST0109 table: a host exported to some namespaces meets every overlapping host exported to all.
    ['a wildcard exported to "." under a wider one exported to all', [vs('a', 'foo', { hosts: ['*.productpage.d'], exportTo: ['.'] }), vs('b', 'bar', { hosts: ['*.d'], exportTo: ['*'] })], true],
    ['an exact host exported to a namespace under a wildcard exported to all', [vs('a', 'foo', { hosts: ['reviews.d'], exportTo: ['foo'] }), vs('b', 'bar', { hosts: ['*.d'] })], true],
    ['a wildcard exported to "." over an exact host exported to all', [vs('a', 'foo', { hosts: ['*.d'], exportTo: ['.'] }), vs('b', 'bar', { hosts: ['reviews.d'] })], true],
    ['overlapping wildcards both exported to all', [vs('a', 'foo', { hosts: ['*.productpage.d'] }), vs('b', 'bar', { hosts: ['*.d'] })], false],
    ['overlapping wildcards each exported to its own namespace', [vs('a', 'foo', { hosts: ['*.productpage.d'], exportTo: ['.'] }), vs('b', 'bar', { hosts: ['*.d'], exportTo: ['.'] })], false],
    ['overlapping wildcards on one gateway', [vs('a', 'foo', { hosts: ['*.productpage.d'], exportTo: ['.'], gateways: ['istio-system/public'] }),
      vs('b', 'bar', { hosts: ['*.d'], gateways: ['istio-system/public'] })], false],
  ];

  test.each(cases)('%s', (_name, manifests, conflict) => {
    const checker = IstioChecker.check(manifests).filter((f) => f.code === 'XO_MESH_HOST_CONFLICT' || f.code === 'XO_GATEWAY_HOST_CONFLICT');
    const routing = RoutingModel.fromManifests(manifests).hosts.filter((h) => h.notes.some((n) => / route this host for /.test(n)));
    expect(checker.map((f) => f.index).sort()).toEqual(conflict ? [0, 1] : []);
    expect(routing).toHaveLength(conflict ? 2 : 0);
  });

  test('the rule says which host and place, and who else claims it', () => {
    const conflicts = hostConflicts([
      { namespace: 'shop', name: 'a', spec: { hosts: ['other.example.com', 'reviews'], gateways: ['mesh', 'public'] } },
      { namespace: 'shop', name: 'b', spec: { hosts: ['reviews.shop.svc.cluster.local'], gateways: ['shop/public'] } },
      { namespace: 'shop', name: 'c', spec: { hosts: ['reviews.shop.svc.cluster.local'] } },
    ]);
    expect(conflicts).toEqual([
      { index: 0, hostIndex: 1, host: 'reviews.shop.svc.cluster.local', place: 'mesh', others: [2], otherHosts: [] },
      { index: 2, hostIndex: 0, host: 'reviews.shop.svc.cluster.local', place: 'mesh', others: [0], otherHosts: [] },
      { index: 0, hostIndex: 1, host: 'reviews.shop.svc.cluster.local', place: 'shop/public', others: [1], otherHosts: [] },
      { index: 1, hostIndex: 0, host: 'reviews.shop.svc.cluster.local', place: 'shop/public', others: [0], otherHosts: [] },
    ]);
  });

  test('an overlap names the other host, and the checker says which host covers which', () => {
    const manifests = [vs('productpage-d', 'foo', { hosts: ['*.productpage.d'], exportTo: ['.'] }), vs('productpage-d', 'bar', { hosts: ['*.d'], exportTo: ['*'] })];
    expect(hostConflicts(manifests.map((m) => ({ namespace: m.metadata.namespace, name: m.metadata.name, spec: m.spec })))).toEqual([
      { index: 0, hostIndex: 0, host: '*.productpage.d', place: 'mesh', others: [1], otherHosts: ['*.d'] },
      { index: 1, hostIndex: 0, host: '*.d', place: 'mesh', others: [0], otherHosts: ['*.productpage.d'] },
    ]);
    expect(IstioChecker.check(manifests).map((f) => `${f.severity} ${f.code} ${f.namespace}/${f.name} ${f.field}: ${f.message}`)).toEqual([
      'error XO_MESH_HOST_CONFLICT foo/productpage-d spec.hosts[0]: VirtualService bar/productpage-d routes "*.d", which overlaps "*.productpage.d", for sidecars that see both, and they use only one of them for the names both cover; merge their rules into one, or make the hosts disjoint',
      'error XO_MESH_HOST_CONFLICT bar/productpage-d spec.hosts[0]: VirtualService foo/productpage-d routes "*.productpage.d", which overlaps "*.d", for sidecars that see both, and they use only one of them for the names both cover; merge their rules into one, or make the hosts disjoint',
    ]);
  });

  test('the routing model\'s note names the VirtualServices and the places', () => {
    const model = RoutingModel.fromManifests([
      vs('a', 'shop', { hosts: [HOST], gateways: ['mesh', 'public.istio-system'] }),
      vs('b', 'shop', { hosts: [HOST], gateways: ['istio-system/public', 'mesh'] }),
    ]);
    expect(model.hosts.map((h) => h.notes.filter((n) => / route this host for /.test(n)))).toEqual([
      ['VirtualServices shop/a and shop/b both route this host for sidecars and gateway istio-system/public: Istio uses only one of them; merge them into one'],
      ['VirtualServices shop/a and shop/b both route this host for gateway istio-system/public and sidecars: Istio uses only one of them; merge them into one'],
    ]);
  });
});

describe('CompositeRoute: one route per host, found by the checker\'s rule', () => {
  function route(chart: Chart, id: string, gateways: string[]) {
    const subsets = new Subsets(chart, `${id}-subsets`, { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const routes = new CompositeRoute(chart, id, { subsets, gateways });
    routes.addDefaultRule('all', { to: Destination.subset(subsets.subset('v1')) });
    return routes;
  }

  test('routes bound to the gateway "public" of two namespaces are bound to two gateways', () => {
    const app = Testing.app();
    route(new Chart(app, 'a', { namespace: 'a' }), 'routes', ['public']);
    route(new Chart(app, 'b', { namespace: 'b' }), 'routes', ['public']);
    const { result } = quietly(() => app.synth());
    expect(result).toBeUndefined();
    expect(IstioChecker.findings(app).filter((f) => f.severity !== Severity.INFO)).toEqual([]);
  });

  test('"public" and "istio-system/public" in istio-system are one gateway: an error for the routes (stricter than Istio)', () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'istio-system' });
    route(chart, 'short', ['public']);
    route(chart, 'full', ['istio-system/public']);
    const { result } = quietly(() => synth(chart));
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/\[edge\/short\/Resource\] XO_GATEWAY_HOST_CONFLICT spec\.hosts\[0\]: VirtualService istio-system\/edge-full-\w+ also routes "shop\.example\.com" on gateway "istio-system\/public"/);
    expect((result as Error).message).toMatch(/\[edge\/full\/Resource\] XO_GATEWAY_HOST_CONFLICT spec\.hosts\[0\]: VirtualService istio-system\/edge-short-\w+ also routes "shop\.example\.com" on gateway "istio-system\/public"/);
    // Istio's profile, for the same objects as YAML: a warning.
    const manifests = chart.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson());
    expect(IstioChecker.check(manifests).filter((f) => f.code === 'XO_GATEWAY_HOST_CONFLICT').map((f) => f.severity)).toEqual([Severity.WARNING, Severity.WARNING]);
  });

  test('against an L1 VirtualService on the gateway, the route\'s side is an error and the L1 side a warning', () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'istio-system' });
    route(chart, 'routes', ['public']);
    new istio.VirtualService(chart, 'legacy', { metadata: { name: 'legacy' }, spec: vs('legacy', undefined, { hosts: [HOST], gateways: ['public'] }).spec });
    const { result, warnings } = quietly(() => synth(chart));
    expect((result as Error).message).toMatch(/\[edge\/routes\/Resource\] XO_GATEWAY_HOST_CONFLICT/);
    expect((result as Error).message).not.toMatch(/edge\/legacy/);
    expect(warnings).toEqual([expect.stringMatching(/^Warning: \[edge\/legacy\] XO_GATEWAY_HOST_CONFLICT spec\.hosts\[0\]: VirtualService istio-system\/edge-routes-\w+ also routes "shop\.example\.com" on gateway "istio-system\/public"/)]);
  });

  test('a conflict the author accepts is suppressed on the route, like any finding', () => {
    const chart = Testing.chart();
    const a = route(chart, 'a', []);
    const b = route(chart, 'b', []);
    IstioChecker.suppress(a, 'XO_MESH_HOST_CONFLICT', 'b is being removed');
    IstioChecker.suppress(b, 'XO_MESH_HOST_CONFLICT', 'b is being removed');
    const { result } = quietly(() => synth(chart));
    expect(result).not.toBeInstanceOf(Error);
  });
});
