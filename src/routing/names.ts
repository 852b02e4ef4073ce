/**
 * Host and gateway names as Istio resolves them. Short names are relative to the namespace of the object
 * that writes them, so two objects compare names only after both are expanded.
 */

/** The gateway name Istio uses for sidecars in the mesh. */
export const MESH = 'mesh';

/**
 * Expands a short host name (`reviews`) to the FQDN Istio reads it as, in the namespace of the object that
 * writes it. Names with a dot, wildcards and names in objects without a namespace are kept as they are.
 */
export function expandHost(host: string, namespace: string | undefined): string {
  if (host.includes('.') || host.includes('*') || namespace === undefined) return host;
  return `${host}.${namespace}.svc.cluster.local`;
}

/** Whether a request for `host` is routed by a VirtualService host entry `pattern` (which may be `*.suffix` or `*`). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

/** A gateway reference as `namespace/name` (short names are in the namespace of the object that writes them). */
export function expandGateway(gateway: string, namespace: string | undefined): string {
  if (gateway === MESH || gateway.includes('/') || namespace === undefined) return gateway;
  return `${namespace}/${gateway}`;
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
