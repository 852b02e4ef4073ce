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

  test('snapshot', () => {
    expect(synthYaml(chart)).toMatchSnapshot();
  });
});
