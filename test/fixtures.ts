import { Chart, Testing } from 'cdk8s';
import { Subsets } from '../src';

/** The service of the canary traffic-shaping article (test/canary-article/). */
export const HOST = 'checkout-service.prod.svc.cluster.local';

/** checkout-service with three versions, v1 to v3, labelled `version: vN`, in a fresh test chart. */
export function checkoutVersions() {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', {
    host: HOST,
    subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
  });
  return { chart, subsets, v1: subsets.subset('v1'), v2: subsets.subset('v2'), v3: subsets.subset('v3') };
}

/** The `http` rules of the one VirtualService a chart writes. */
export function httpRules(chart: Chart): any[] {
  const routes = Testing.synth(chart).filter((m) => m.kind === 'VirtualService');
  if (routes.length !== 1) throw new Error(`expected one VirtualService, found ${routes.length}`);
  return routes[0].spec.http;
}
