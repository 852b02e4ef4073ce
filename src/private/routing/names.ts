/**
 * Host and gateway names as Istio resolves them. Short names are relative to the namespace of the object
 * that writes them, so two objects compare names only after both are expanded.
 *
 * These are the only copies of Istio's name resolution in the library: the checker (src/validation), the
 * routing model and the constructs' one-route-per-host rule all call them. A caller that has no namespace
 * for an object (the routing model reading an object without one) passes `undefined`, and short names
 * stay as written; the checker reads such an object as in `default`, where kubectl would put it.
 */
import { isShortHost } from '../validation/values';

/** The gateway name Istio uses for sidecars in the mesh. */
export const MESH = 'mesh';

/**
 * Expands a short host name (`reviews`) to the FQDN Istio reads it as, in the namespace of the object that
 * writes it (Istio's `ResolveShortnameToFQDN`). Kept as written: names with a dot, the wildcard `*`, IP
 * addresses (an IPv6 address has no dot), the empty name, and every name when `namespace` is undefined.
 */
export function expandHost(host: string, namespace: string | undefined): string {
  if (namespace === undefined || !isShortHost(host)) return host;
  return `${host}.${namespace}.svc.cluster.local`;
}

/** Whether a request for `host` is routed by a VirtualService host entry `pattern` (which may be `*.suffix` or `*`). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

/**
 * A gateway reference as the `namespace/name` of the Gateway it binds to (Istio's `resolveGatewayName`):
 * `mesh` stays `mesh`; a short name (`public`) and `./public` are in the namespace of the VirtualService
 * that writes them; the legacy form `name.namespace` (or `name.namespace.svc.cluster.local`) names its
 * namespace after the first dot. With `namespace` undefined, short names stay as written.
 */
export function expandGateway(gateway: string, namespace: string | undefined): string {
  if (gateway === MESH) return gateway;
  const slash = gateway.indexOf('/');
  if (slash >= 0) {
    return gateway.slice(0, slash) === '.' && namespace !== undefined ? `${namespace}/${gateway.slice(slash + 1)}` : gateway;
  }
  const dot = gateway.indexOf('.');
  if (dot >= 0) return `${gateway.slice(dot + 1).split('.')[0]}/${gateway.slice(0, dot)}`;
  return namespace === undefined ? gateway : `${namespace}/${gateway}`;
}

/**
 * Where a VirtualService with these `gateways` applies, each place once and in the order written: `mesh`
 * for sidecars (no gateways, or `mesh` among them) and each gateway as `namespace/name` (`expandGateway`).
 */
export function placesOf(gateways: string[], namespace: string | undefined): string[] {
  return gateways.length === 0 ? [MESH] : [...new Set(gateways.map((g) => expandGateway(g, namespace)))];
}

/**
 * Whether two gateway references name the same gateway. A reference without a namespace (from a request
 * or an object without one) is compared by name only.
 */
export function sameGateway(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.includes('/') && b.includes('/')) return false;
  const name = (g: string) => g.slice(g.indexOf('/') + 1);
  return name(a) === name(b);
}
