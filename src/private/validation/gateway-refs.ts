/**
 * The Gateways a VirtualService is bound to, when the checked set defines Gateways: a reference to none of
 * them (istioctl analyze IST0101, an error: the route applies nowhere), and a Gateway whose servers cover
 * none of the VirtualService's hosts (IST0132, a warning: that gateway never routes them). A set without
 * Gateways is taken to run with Gateways defined elsewhere (the platform's ingress), so nothing is reported.
 */
import type { Checked } from './analyzers';
import { hostsOverlap, q } from './values';
import { list } from '../json-values';
import { expandGateway, MESH } from '../routing/names';

/**
 * Checks the `spec.gateways` of `services` against the networking.istio.io Gateways of the set. `elsewhere`
 * holds the `namespace/name` of Gateways of other APIs in the set (Kubernetes Gateway API), which a
 * VirtualService may name too: they count as defined, and their listeners are not compared.
 */
export function checkGatewayRefs(services: Checked[], gateways: Checked[], elsewhere: Set<string>): void {
  if (gateways.length === 0) return;
  const byName = new Map(gateways.map((gw) => [`${gw.namespace}/${gw.manifest.metadata?.name}`, gw]));
  for (const vs of services) {
    const spec = vs.manifest.spec ?? {};
    const names: unknown[] = list(spec.gateways);
    const hosts: string[] = list(spec.hosts).filter((h: unknown): h is string => typeof h === 'string');
    names.forEach((name, i) => {
      if (typeof name !== 'string' || name === MESH || name === '') return;
      const ref = expandGateway(name, vs.namespace);
      const field = `spec.gateways[${i}]`;
      const gateway = byName.get(ref);
      if (gateway === undefined) {
        if (elsewhere.has(ref)) return;
        vs.report.add('XO_GATEWAY_NOT_FOUND', field, `no Gateway ${ref} is defined here (${describeSet(byName)}), so the VirtualService applies to no gateway of that name; fix the reference, or add the Gateway`);
        return;
      }
      if (hosts.length > 0 && !hosts.some((host) => serverHosts(gateway, vs.namespace).some((served) => hostsOverlap(served, host)))) {
        vs.report.add('XO_HOST_NOT_IN_GATEWAY', field, `no server of Gateway ${ref} accepts ${hosts.map((h) => q(h)).join(', ')} for a VirtualService in namespace ${q(vs.namespace)}, `
          + 'so the gateway never routes them; add the hosts to a server of the Gateway (or `*/host`), or bind the VirtualService to the Gateway that serves them');
      }
    });
  }
}

/**
 * The hosts a Gateway's servers accept for VirtualServices in `namespace` (Istio's `NamesForNamespace` after
 * `sanitizeServerHostNamespace`): `host` and `*\/host` for any namespace, `./host` for the Gateway's own,
 * `ns/host` for `ns` only.
 */
function serverHosts(gateway: Checked, namespace: string): string[] {
  const servers: unknown[] = Array.isArray(gateway.manifest.spec?.servers) ? gateway.manifest.spec.servers : [];
  return servers.flatMap((server: any) => Array.isArray(server?.hosts) ? server.hosts : [])
    .filter((h: unknown): h is string => typeof h === 'string')
    .flatMap((h: string) => {
      const slash = h.indexOf('/');
      if (slash < 0) return [h];
      const ns = h.slice(0, slash);
      const scope = ns === '.' ? gateway.namespace : ns;
      return scope === '*' || scope === namespace ? [h.slice(slash + 1)] : [];
    });
}

function describeSet(byName: Map<string, Checked>): string {
  const names = [...byName.keys()];
  return names.length <= 3 ? `the set defines ${names.join(', ')}` : `the set defines ${names.length} Gateways`;
}
