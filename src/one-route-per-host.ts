import { IConstruct } from 'constructs';

/**
 * The VirtualServices of an app by host and gateway. Istio uses one VirtualService per host (and gateway):
 * a second one for the same host is ignored or merged unpredictably, so two routes for one host are a
 * synth error. Routes register when they are created; the check is a map lookup, not a scan of the app.
 */
const routesByRoot = new WeakMap<IConstruct, Map<string, IConstruct[]>>();

/** Records that `route` writes a VirtualService for these hosts and gateways. */
export function registerRoute(route: IConstruct, hosts: string[], gateways: string[]): void {
  const root = route.node.root;
  let routes = routesByRoot.get(root);
  if (routes === undefined) {
    routes = new Map();
    routesByRoot.set(root, routes);
  }
  for (const key of keys(hosts, gateways)) {
    const list = routes.get(key) ?? [];
    list.push(route);
    routes.set(key, list);
  }
}

/** The errors of `route`: one for each host and gateway another route also claims. */
export function conflictsOf(route: IConstruct, hosts: string[], gateways: string[]): string[] {
  const routes = routesByRoot.get(route.node.root);
  const errors: string[] = [];
  for (const key of keys(hosts, gateways)) {
    const others = (routes?.get(key) ?? []).filter((other) => other !== route);
    if (others.length > 0) {
      const [host, gateway] = key.split('\n');
      errors.push(`host "${host}" on gateway "${gateway}" is also routed by ${others.map((o) => o.node.path).join(', ')}; `
        + 'Istio uses only one VirtualService per host, so put all the rules for this host in one CompositeRoute');
    }
  }
  return errors;
}

function keys(hosts: string[], gateways: string[]): string[] {
  return hosts.flatMap((host) => gateways.map((gateway) => `${host}\n${gateway}`));
}
