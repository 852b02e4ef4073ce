/**
 * XO_GATEWAY_BYPASSES_SUBSETS across the two APIs: a gateway route (a VirtualService bound to a gateway, or
 * an HTTPRoute whose parent is a Gateway) that sends to a host a mesh route splits (a VirtualService by
 * subsets, or a GAMMA HTTPRoute by version Services), straight to the host Service or to one version
 * Service alone.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { IstioChecker, Severity } from '../src';
import { Finding } from '../src/validation/finding';

const HOST = 'checkout.prod.svc.cluster.local';
const load = (file: string) => parseAllDocuments(readFileSync(join(__dirname, 'http-route', file), 'utf8')).map((d) => d.toJSON());
const SERVICES = load('services.yaml');
const MESH_HTTP_ROUTE = load('testers-http-route.yaml');
const MESH_VS = [...load('destination-rule.yaml'), ...load('testers-virtual-service.yaml')];

function edgeRoute(backendRefs: any[]): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'shop-edge', namespace: 'prod' },
    spec: { parentRefs: [{ name: 'public', namespace: 'istio-system' }], hostnames: ['shop.example.com'], rules: [{ backendRefs }] },
  };
}
const edgeVirtualService = (destination: any) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'shop-edge', namespace: 'prod' },
  spec: { hosts: ['shop.example.com'], gateways: ['istio-system/public'], http: [{ route: [{ destination }] }] },
});
const ref = (name: string, weight?: number) => ({ name, port: 8080, weight });
const bypasses = (findings: Finding[]) => findings.filter((f) => f.code === 'XO_GATEWAY_BYPASSES_SUBSETS')
  .map((f) => [f.severity, f.kind, f.name, f.field, f.message]);

describe('a gateway HTTPRoute while a mesh route splits the host', () => {
  test('straight to the host Service, while a GAMMA HTTPRoute splits it between version Services', () => {
    expect(bypasses(IstioChecker.check([...SERVICES, ...MESH_HTTP_ROUTE, edgeRoute([ref('checkout')])]))).toEqual([[
      Severity.WARNING, 'HTTPRoute', 'shop-edge', 'spec.rules[0].backendRefs[0]',
      `HTTPRoute prod/checkout splits "${HOST}" between version Services in the mesh, but gateway "istio-system/public" applies only this route, `
      + 'which sends to all of its pods whatever the mesh rules say; route to the same versions with the same weights here too',
    ]]);
  });

  test('to one version Service alone', () => {
    const found = bypasses(IstioChecker.check([...SERVICES, ...MESH_HTTP_ROUTE, edgeRoute([ref('checkout-v1')])]));
    expect(found.map((f) => f.slice(0, 4))).toEqual([[Severity.WARNING, 'HTTPRoute', 'shop-edge', 'spec.rules[0].backendRefs[0]']]);
    expect(found[0][4]).toContain('sends every request to version Service "checkout-v1" alone');
  });

  test('straight to the host Service, while a VirtualService splits it by subset', () => {
    const found = bypasses(IstioChecker.check([...SERVICES, ...MESH_VS, edgeRoute([ref('checkout')])]));
    expect(found.map((f) => f.slice(0, 4))).toEqual([[Severity.WARNING, 'HTTPRoute', 'shop-edge', 'spec.rules[0].backendRefs[0]']]);
    expect(found[0][4]).toMatch(/^VirtualService prod\/checkout splits "checkout.prod.svc.cluster.local" between subsets for sidecars, but gateway/);
  });

  test('a gateway VirtualService to the host, or to one version Service, while a GAMMA HTTPRoute splits it', () => {
    for (const host of [HOST, 'checkout-v2.prod.svc.cluster.local']) {
      const found = bypasses(IstioChecker.check([...SERVICES, ...MESH_HTTP_ROUTE, edgeVirtualService({ host })]));
      expect(found.map((f) => f.slice(0, 4))).toEqual([[Severity.WARNING, 'VirtualService', 'shop-edge', 'spec.http[0].route[0].destination']]);
      expect(found[0][4]).toMatch(/^HTTPRoute prod\/checkout splits/);
    }
  });

  test.each([
    ['the gateway route splits between the versions too', [...SERVICES, ...MESH_HTTP_ROUTE, edgeRoute([ref('checkout-v1', 95), ref('checkout-v2', 5)])]],
    ['no mesh route splits the host', [...SERVICES, edgeRoute([ref('checkout')])]],
    ['the Services are not in the set, so no version is known', [...MESH_HTTP_ROUTE, edgeRoute([ref('checkout')])]],
    ['the Service sends ingress through its waypoint (ambient), which applies the mesh route', [
      { ...SERVICES[0], metadata: { ...SERVICES[0].metadata, labels: { 'istio.io/ingress-use-waypoint': 'true' } } },
      ...SERVICES.slice(1), ...MESH_HTTP_ROUTE, edgeRoute([ref('checkout')]),
    ]],
  ])('not reported: %s', (_name, manifests) => {
    expect(bypasses(IstioChecker.check(manifests as any[]))).toEqual([]);
  });
});
