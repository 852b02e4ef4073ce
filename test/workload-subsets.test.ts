import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Destination, StickySplit, Subsets } from '../src';
import { FORWARDED } from './fixtures';
import { synth } from './util';

function workloads(options: { canaryLabels?: { [key: string]: string } } = {}) {
  const chart = Testing.chart();
  const deployment = (id: string, labels: { [key: string]: string }) =>
    new kplus.Deployment(chart, id, { podMetadata: { labels }, containers: [{ image: `checkout:${id}`, portNumber: 8080 }] });
  const stable = deployment('stable', { app: 'checkout', version: 'v1' });
  const canary = deployment('canary', options.canaryLabels ?? { app: 'checkout', version: 'v2' });
  const service = new kplus.Service(chart, 'service', { metadata: { name: 'checkout-service', namespace: 'prod' }, ports: [{ port: 80, targetPort: 8080 }] });
  service.selectLabel('app', 'checkout');
  return { chart, stable, canary, service };
}

describe('Subsets.fromWorkloads (cdk8s-plus)', () => {
  test('host from the Service, labels from each Deployment\'s pod template', () => {
    const { chart, stable, canary, service } = workloads();
    const subsets = Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v2: canary, v1: stable } });
    new StickySplit(chart, 'sticky', { split: [{ subset: subsets.subset('v1'), weight: 90 }, { subset: subsets.subset('v2'), weight: 10 }], cookie: { forwardedBy: FORWARDED } });
    expect(subsets.host).toBe('checkout-service.prod.svc.cluster.local');
    const dr = synth(chart).find((m) => m.kind === 'DestinationRule');
    // Sorted by subset name; the Service's own selector and cdk8s's internal labels are left out.
    expect(dr.spec.subsets).toEqual([
      { name: 'v1', labels: { version: 'v1' } },
      { name: 'v2', labels: { version: 'v2' } },
    ]);
    expect(Destination.subset(subsets.subset('v2')).subsets[0].labels).toEqual({ version: 'v2' });
  });

  test('a plain ApiObject Service and a custom cluster domain', () => {
    const { chart, stable, canary } = workloads();
    const service = new ApiObject(chart, 'raw-service', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout' }, spec: { selector: { app: 'checkout' } },
    });
    const subsets = Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v1: stable, v2: canary }, clusterDomain: 'corp.internal' });
    expect(subsets.host).toBe('checkout.default.svc.corp.internal');
  });

  test('a Deployment the Service does not select', () => {
    const { chart, stable, canary, service } = workloads({ canaryLabels: { app: 'checkout-next', version: 'v2' } });
    expect(() => Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v1: stable, v2: canary } }))
      .toThrow('test/subsets: versions["v2"]: the pods of test/canary are not selected by Service "checkout-service": they lack app=checkout; add the labels to the pod template or fix the selector');
  });

  test('two versions with the same labels', () => {
    const { chart, stable, canary, service } = workloads({ canaryLabels: { app: 'checkout', version: 'v1' } });
    expect(() => Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v1: stable, v2: canary } }))
      .toThrow(/subsets "v1" and "v2" select the same pods \(version=v1\)/);
  });

  test('a version with no label of its own', () => {
    const { chart, stable, canary, service } = workloads({ canaryLabels: { app: 'checkout' } });
    expect(() => Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v1: stable, v2: canary } }))
      .toThrow(/test\/subsets: versions\["v2"\]: the pods of test\/canary have no label besides the Service's selector, so nothing tells this version apart; add a label such as version: 'v2'/);
  });

  test('a Service without a selector', () => {
    const { chart, stable } = workloads();
    const bare = new kplus.Service(chart, 'bare', { ports: [{ port: 80 }] });
    expect(() => Subsets.fromWorkloads(chart, 'subsets', { service: bare, versions: { v1: stable } }))
      .toThrow(/test\/subsets: service: Service ".*" selects no pods; give it a selector/);
  });

  test('a service that is not a Service, and a version that is not a Kubernetes object', () => {
    const { chart, stable, service } = workloads();
    expect(() => Subsets.fromWorkloads(chart, 'subsets', { service: stable, versions: { v1: stable } }))
      .toThrow('test/subsets: service: test/stable is a Deployment, not a Service; pass the Service of the host');
    expect(() => Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v1: chart } }))
      .toThrow('test/subsets: versions["v1"]: test is not a Kubernetes object; pass a cdk8s-plus resource or an ApiObject');
  });
});
