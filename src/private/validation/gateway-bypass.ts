/**
 * XO_GATEWAY_BYPASSES_SUBSETS (istioctl analyze IST0140): ingress traffic skips the canary. A gateway
 * applies only the VirtualServices bound to it; a mesh VirtualService that splits a service between subsets
 * is applied by sidecars, so a gateway route that sends requests to that service without a subset reaches
 * all of its pods, whatever the mesh route's rules and weights say.
 */
import type { Checked } from './analyzers';
import { q } from './values';
import { appliesToMesh } from './virtual-service-checks';
import { list, strings } from '../json-values';
import { expandHost, MESH } from '../routing/names';

/**
 * Reports each HTTP destination without a subset, of a VirtualService bound to a gateway other than `mesh`,
 * whose host a VirtualService that applies to the mesh routes by subset (a destination with a subset, for
 * one of its own hosts). Istio compares the hosts as written; here both are resolved in their namespaces.
 */
export function checkGatewayBypass(services: Checked[]): void {
  const bySubset = new Map<string, string>();
  for (const vs of services) {
    const spec = vs.manifest.spec ?? {};
    if (!appliesToMesh(strings(spec.gateways))) continue;
    const own = new Set(strings(spec.hosts).map((h) => expandHost(h, vs.namespace)));
    for (const route of list(spec.http)) {
      for (const d of list(route?.route)) {
        const host = d?.destination?.host;
        if (typeof host !== 'string' || typeof d.destination.subset !== 'string' || d.destination.subset === '') continue;
        const resolved = expandHost(host, vs.namespace);
        if (own.has(resolved) && !bySubset.has(resolved)) bySubset.set(resolved, `${vs.namespace}/${vs.manifest.metadata?.name ?? ''}`);
      }
    }
  }
  if (bySubset.size === 0) return;
  for (const vs of services) {
    const spec = vs.manifest.spec ?? {};
    const gateways = strings(spec.gateways).filter((g) => g !== MESH);
    if (gateways.length === 0) continue;
    list(spec.http).forEach((route, i) => {
      list(route?.route).forEach((d, k) => {
        const host = d?.destination?.host;
        if (typeof host !== 'string' || (typeof d.destination.subset === 'string' && d.destination.subset !== '')) return;
        const mesh = bySubset.get(expandHost(host, vs.namespace));
        if (mesh === undefined) return;
        vs.report.add('XO_GATEWAY_BYPASSES_SUBSETS', `spec.http[${i}].route[${k}].destination`,
          `VirtualService ${mesh} routes ${q(host)} by subset for sidecars, but gateway ${gateways.map((g) => q(g)).join(', ')} applies only this route, `
          + 'which sends to all of its pods whatever the mesh rules say; route to the subsets here too (or bind one VirtualService to the gateway and mesh)');
      });
    });
  }
}


