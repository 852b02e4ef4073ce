import { Testing } from 'cdk8s';
import { synth } from './util';
import { synthYaml } from './yaml-snapshot';
import { CheckoutChart } from '../examples/checkout/checkout';

describe('examples/checkout', () => {
  const chart = new CheckoutChart(Testing.app(), 'checkout');
  const manifests = synth(chart);
  const byName = (name: string) => manifests.find((m) => m.metadata.name === name);

  test('writes the DestinationRule for checkout-service with subsets v1 and v2', () => {
    const dr = byName('checkout-service-dr');
    expect(dr.kind).toBe('DestinationRule');
    expect(dr.metadata.namespace).toBe('prod');
    expect(dr.spec.host).toBe('checkout-service.prod.svc.cluster.local');
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    expect(dr.spec.trafficPolicy.loadBalancer).toEqual({ consistentHash: { httpHeaderName: 'session-id' } });
  });

  test('routes testers first, then pins, then the 95/5 split, in one VirtualService', () => {
    const vs = byName('checkout-service-vs');
    expect(manifests.filter((m) => m.kind === 'VirtualService').map((m) => m.metadata.name)).toEqual(['checkout-service-vs', 'catalog-service-vs', 'pricing-service-vs']);
    expect(vs.spec.http.map((r: any) => r.name)).toEqual([
      'internal-canary-route', 'internal-service-canary', 'public-traffic-split-v1', 'public-traffic-split-v2', 'public-traffic-split',
    ]);
    expect(vs.spec.http[0].timeout).toBe('2s');
    expect(vs.spec.http[4].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 95], ['v2', 5]]);
  });

  test('the sticky split sets the version cookie once: its pins send it to nobody, so it is never refreshed', () => {
    const http = byName('checkout-service-vs').spec.http;
    const host = 'checkout-service.prod.svc.cluster.local';
    expect(http[2].route).toEqual([{ destination: { host, subset: 'v1' } }]);
    expect(http[3].route).toEqual([{ destination: { host, subset: 'v2' } }]);
    expect(http[4].route.map((r: any) => r.headers.response.add['set-cookie'])).toEqual([
      'checkout-version=v1.0887a0; Max-Age=43200; Path=/; HttpOnly; Secure; SameSite=Lax',
      'checkout-version=v2.0887a1; Max-Age=43200; Path=/; HttpOnly; Secure; SameSite=Lax',
    ]);
    expect(JSON.stringify(http.slice(0, 4))).not.toContain('set-cookie');
  });

  test('shadows 10% of catalog reads to v2', () => {
    const http = byName('catalog-service-vs').spec.http;
    expect(http[0].match).toEqual([{ method: { regex: 'GET|HEAD|OPTIONS' } }]);
    expect(http[0].mirror).toEqual({ host: 'catalog-service.prod.svc.cluster.local', subset: 'v2' });
    expect(http[0].mirrorPercentage).toEqual({ value: 10 });
    expect(http[1].mirror).toBeUndefined();
  });

  test('rolls pricing-service out with a Canary at 5%, with its PrometheusRule and dashboard', () => {
    const http = byName('pricing-service-vs').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['testers', 'public']);
    expect(http[0].match).toEqual([{ headers: { 'x-canary-user': { exact: 'true' } } }]);
    expect(http[1].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 95], ['v2', 5]]);
    const rule = byName('pricing-service-canary');
    expect(rule.kind).toBe('PrometheusRule');
    expect(rule.metadata).toEqual({ name: 'pricing-service-canary', namespace: 'prod', labels: { release: 'kube-prometheus-stack' } });
    expect(rule.spec.groups[0].rules.filter((r: any) => r.alert).map((r: any) => r.alert)).toEqual(['CanaryHigh5xxRatio', 'CanaryHighLatency', 'CanaryNoTraffic']);
    const dashboard = byName('pricing-service-canary-dashboard');
    expect(dashboard.kind).toBe('ConfigMap');
    expect(dashboard.metadata.labels).toEqual({ grafana_dashboard: '1' });
  });

  test('inventory-service, in ambient mode: its Canary writes a mesh HTTPRoute on its Service, to one Service per version', () => {
    const route = manifests.find((m) => m.kind === 'HTTPRoute');
    expect(manifests.filter((m) => m.kind === 'HTTPRoute')).toHaveLength(1);
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.metadata).toEqual({ name: 'inventory-service', namespace: 'prod' });
    // GAMMA: the parent is the Service itself, in its own namespace (a producer route, for every caller).
    expect(route.spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'inventory-service', namespace: 'prod' }]);
    expect(route.spec.hostnames).toBeUndefined();
    expect(route.spec.rules.map((r: any) => r.name)).toEqual(['testers', 'public']);
    expect(route.spec.rules[0].matches).toEqual([{ headers: [{ name: 'x-canary-user', type: 'Exact', value: 'true' }] }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'inventory-service-v2', port: 80 }]);
    expect(route.spec.rules[1].backendRefs).toEqual([
      { name: 'inventory-service-v1', port: 80, weight: 80 },
      { name: 'inventory-service-v2', port: 80, weight: 20 },
    ]);
    expect(route.spec.rules.map((r: any) => r.timeouts)).toEqual([{ request: '2s' }, { request: '2s' }]);
    // The backendRefs' Services: the host Service's selector plus each version's labels, the same port.
    for (const version of ['v1', 'v2']) {
      const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === `inventory-service-${version}`);
      expect(service.kind).toBe('Service');
      expect(service.metadata.namespace).toBe('prod');
      expect(service.spec.selector).toEqual({ app: 'inventory-service', version });
      expect(service.spec.ports.map((p: any) => p.port)).toEqual([80]);
    }
    expect(byName('inventory-service').metadata.labels).toEqual({ 'istio.io/use-waypoint': 'waypoint' });
    expect(manifests.some((m) => m.kind === 'VirtualService' && m.metadata.name.startsWith('inventory'))).toBe(false);
  });

  test('snapshot', () => {
    expect(synthYaml(chart)).toMatchSnapshot();
  });
});
