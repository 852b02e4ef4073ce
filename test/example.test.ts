import { Testing } from 'cdk8s';
import { CheckoutChart } from '../examples/checkout/checkout';

describe('examples/checkout', () => {
  test('writes the DestinationRule for checkout-service with subsets v1 and v2', () => {
    const app = Testing.app();
    const chart = new CheckoutChart(app, 'checkout');
    const manifests = Testing.synth(chart);
    const dr = manifests.find((m) => m.kind === 'DestinationRule');
    expect(dr.metadata).toEqual({ name: 'checkout-service-dr', namespace: 'prod' });
    expect(dr.spec.host).toBe('checkout-service.prod.svc.cluster.local');
    expect(dr.spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    expect(manifests).toMatchSnapshot();
  });
});
