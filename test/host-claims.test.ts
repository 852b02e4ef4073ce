/**
 * Host and gateway names, and the one-route-per-host rule: one function each, which the checker, the
 * routing model and (through the checker at synth) the constructs share.
 */
import { RoutingModel } from '../src';
import { expandGateway, expandHost, placesOf } from '../src/routing/names';

const HOST = 'shop.example.com';

function vs(name: string, namespace: string | undefined, spec: any): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    spec: { http: [{ route: [{ destination: { host: 'shop.prod.svc.cluster.local' } }] }], ...spec },
  };
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
