import { Chart, Testing } from 'cdk8s';
import { CompositeRoute, CompositeRouteProps, CookieForwarder, Subsets, TrafficPolicy } from '../src';
import { synth } from './util';

/** The service of the canary traffic-shaping article (test/canary-article/) and of examples/checkout. */
export const HOST = 'checkout-service.prod.svc.cluster.local';

/** The service the Canary tests roll out (test/canary*.test.ts); their snapshots name it. */
export const CART_HOST = 'cart-service.prod.svc.cluster.local';

/**
 * The statement a sticky split on a route that only sidecars use needs (`cookie.forwardedBy`): the caller
 * that carries the version cookie between the browsers and checkout-service.
 */
export const FORWARDED: CookieForwarder[] = [{ caller: 'storefront', reason: 'the storefront passes the browser\'s Cookie header on and returns Set-Cookie unchanged' }];

/** The version cookie values of the subsets labelled `version: vN`: the subset name and a hash of its labels. */
export const VERSION_COOKIE = { v1: 'v1.0887a0', v2: 'v2.0887a1', v3: 'v3.0887a2' };

/**
 * checkout-service's DestinationRule in `chart`, construct id `subsets`: one subset per version, labelled
 * `version: <name>`, with an optional policy for the whole host.
 */
export function checkoutSubsets(chart: Chart, versions: string[] = ['v1', 'v2'], trafficPolicy?: TrafficPolicy): Subsets {
  return new Subsets(chart, 'subsets', { host: HOST, trafficPolicy, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) });
}

/** checkout-service with three versions, v1 to v3, labelled `version: vN`, in a fresh test chart. */
export function checkoutVersions() {
  const chart = Testing.chart();
  const subsets = checkoutSubsets(chart, ['v1', 'v2', 'v3']);
  return { chart, subsets, v1: subsets.subset('v1'), v2: subsets.subset('v2'), v3: subsets.subset('v3') };
}

/** checkout-service with v1 and v2 and a CompositeRoute without rules (id `routes`) over them, in a fresh test chart. */
export function checkoutRoute(props: Omit<CompositeRouteProps, 'subsets'> = {}) {
  const chart = Testing.chart();
  const subsets = checkoutSubsets(chart);
  const routes = new CompositeRoute(chart, 'routes', { subsets, ...props });
  return { chart, subsets, routes, v1: subsets.subset('v1'), v2: subsets.subset('v2') };
}

/** The `http` rules of the one VirtualService a chart writes. */
export function httpRules(chart: Chart): any[] {
  return only(chart, 'VirtualService').spec.http;
}

/** The `spec` of the one DestinationRule a chart writes. */
export function destinationRuleSpec(chart: Chart): any {
  return only(chart, 'DestinationRule').spec;
}

function only(chart: Chart, kind: string): any {
  const found = synth(chart).filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}
