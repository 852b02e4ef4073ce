/**
 * XO_GATEWAY_BYPASSES_SUBSETS (istioctl analyze IST0140): ingress traffic skips the canary. A gateway
 * applies only the routes bound to it; a mesh route that splits a service between versions (a VirtualService
 * by subsets, or a GAMMA HTTPRoute by version Services) is applied by sidecars and waypoints, so a gateway
 * route that sends requests to that service without a subset reaches all of its pods, and one that sends
 * them to one version Service reaches that version alone, whatever the mesh route's rules and weights say.
 */
import type { Checked } from './analyzers';
import { backendKind } from './http-route-checks';
import { q } from './values';
import { appliesToMesh } from './virtual-service-checks';
import { isPlain, list, strings } from '../json-values';
import { parentPlaces, VersionServices } from '../routing/http-route-conversion';
import { expandHost, MESH } from '../routing/names';

/** The mesh route that splits a host, in the words of the finding. */
interface MeshSplit {
  readonly kind: 'VirtualService' | 'HTTPRoute';
  readonly id: string;
}

// Ambient: a Service labelled so sends ingress through its waypoint, which applies the mesh routes.
const INGRESS_USE_WAYPOINT = 'istio.io/ingress-use-waypoint';

/**
 * Reports each HTTP destination of a gateway route (a VirtualService bound to a gateway other than `mesh`,
 * or an HTTPRoute whose parent is a Gateway) that goes to a host a mesh route splits: without a subset, or,
 * through a version Service, to one version alone. A VirtualService splits a host when it applies to the
 * mesh and routes one of its own hosts by subset; an HTTPRoute, when its parent is the host's Service and it
 * routes to a version Service of it. Istio compares the hosts as written; here both are resolved in their
 * namespaces. `objects` holds the HTTPRoutes and Services of the set.
 */
export function checkGatewayBypass(services: Checked[], objects: Checked[] = []): void {
  const versions = new VersionServices(objects.filter((o) => o.kind === 'Service').map((o) => o.manifest));
  const routes = objects.filter((o) => o.kind === 'HTTPRoute');
  const splits = meshSplits(services, routes, versions);
  if (splits.size === 0) return;
  for (const vs of services) {
    const spec = vs.manifest.spec ?? {};
    const gateways = strings(spec.gateways).filter((g) => g !== MESH);
    if (gateways.length === 0) continue;
    list(spec.http).forEach((route, i) => {
      const refs = list(route?.route).map((d, k) => {
        const host = d?.destination?.host;
        if (typeof host !== 'string') return undefined;
        const subset = typeof d.destination.subset === 'string' && d.destination.subset !== '' ? d.destination.subset : undefined;
        return { field: `spec.http[${i}].route[${k}].destination`, written: host, subset, ...targetOfHost(expandHost(host, vs.namespace), versions) };
      });
      reportBypasses(vs, refs, splits, gateways);
    });
  }
  for (const r of routes) {
    const gateways = parentPlaces(r.manifest).gateways;
    if (gateways.length === 0) continue;
    list(r.manifest.spec?.rules).forEach((rule, i) => {
      const refs = list(rule?.backendRefs).map((ref, k) => {
        if (!isBackendService(ref) || ref.weight === 0) return undefined;
        const target = versions.target(ref.name, typeof ref.namespace === 'string' ? ref.namespace : r.namespace);
        return { field: `spec.rules[${i}].backendRefs[${k}]`, written: ref.name, host: target.host, version: target.subset };
      });
      reportBypasses(r, refs, splits, gateways);
    });
  }
}

interface Ref {
  readonly field: string;
  /** The destination as the route writes it. */
  readonly written: string;
  /** The subset a VirtualService destination names. */
  readonly subset?: string;
  /** The host, with a version Service read as the host it is a version of. */
  readonly host: string;
  /** The version, when the destination is a version Service. */
  readonly version?: string;
}

function reportBypasses(route: Checked, refs: (Ref | undefined)[], splits: Map<string, MeshSplit>, gateways: string[]): void {
  const kind = route.kind;
  const at = `gateway ${gateways.map((g) => q(g)).join(', ')} applies only this route`;
  for (const ref of refs) {
    if (ref === undefined || ref.subset !== undefined) continue;
    const split = splits.get(ref.host);
    if (split === undefined) continue;
    const by = `${split.kind} ${split.id} splits ${q(ref.host)} between ${split.kind === 'VirtualService' ? 'subsets for sidecars' : 'version Services in the mesh'}`;
    if (ref.version === undefined) {
      const legacy = split.kind === 'VirtualService' && kind === 'VirtualService';
      route.report.add('XO_GATEWAY_BYPASSES_SUBSETS', ref.field, legacy
        ? `VirtualService ${split.id} routes ${q(ref.written)} by subset for sidecars, but ${at}, which sends to all of its pods whatever the mesh rules say; `
          + 'route to the subsets here too (or bind one VirtualService to the gateway and mesh)'
        : `${by}, but ${at}, which sends to all of its pods whatever the mesh rules say; route to the same versions with the same weights here too`);
      continue;
    }
    // A version Service alone skips the split; several versions are a split of the route's own.
    const others = refs.filter((o) => o !== undefined && o.host === ref.host && o.version !== undefined && o.version !== ref.version);
    if (others.length > 0) continue;
    route.report.add('XO_GATEWAY_BYPASSES_SUBSETS', ref.field,
      `${by}, but ${at}, which sends every request to version Service ${q(ref.written)} alone whatever the mesh rules say; `
      + 'route to the same versions with the same weights here too');
  }
}

/** The hosts a mesh route splits between versions, with the first route that does. */
function meshSplits(services: Checked[], routes: Checked[], versions: VersionServices): Map<string, MeshSplit> {
  const splits = new Map<string, MeshSplit>();
  const add = (host: string, split: MeshSplit) => {
    // A Service that sends ingress through its waypoint gets the mesh routes at the gateway too.
    const service = versions.serviceOfHost(host);
    if (service?.labels[INGRESS_USE_WAYPOINT] === 'true') return;
    if (!splits.has(host)) splits.set(host, split);
  };
  for (const vs of services) {
    const spec = vs.manifest.spec ?? {};
    if (!appliesToMesh(strings(spec.gateways))) continue;
    const own = new Set(strings(spec.hosts).map((h) => expandHost(h, vs.namespace)));
    for (const route of list(spec.http)) {
      for (const d of list(route?.route)) {
        const host = d?.destination?.host;
        if (typeof host !== 'string' || typeof d.destination.subset !== 'string' || d.destination.subset === '') continue;
        const resolved = expandHost(host, vs.namespace);
        // The first split of a host is kept: the later ones need no record.
        if (own.has(resolved) && !splits.has(resolved)) add(resolved, { kind: 'VirtualService', id: `${vs.namespace}/${vs.manifest.metadata?.name ?? ''}` });
      }
    }
  }
  for (const r of routes) {
    const mesh = new Set(parentPlaces(r.manifest).mesh.map((m) => m.host));
    for (const rule of list(r.manifest.spec?.rules)) {
      for (const ref of list(rule?.backendRefs)) {
        if (!isBackendService(ref)) continue;
        const target = versions.target(ref.name, typeof ref.namespace === 'string' ? ref.namespace : r.namespace);
        if (target.subset !== undefined && mesh.has(target.host) && !splits.has(target.host)) add(target.host, { kind: 'HTTPRoute', id: `${r.namespace}/${r.manifest.metadata?.name ?? ''}` });
      }
    }
  }
  return splits;
}

// A VirtualService destination host that is a version Service's FQDN reads as that version of its host.
function targetOfHost(host: string, versions: VersionServices): { host: string; version?: string } {
  const m = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  if (m === null) return { host };
  const target = versions.target(m[1], m[2]);
  return { host: target.host, version: target.subset };
}

function isBackendService(ref: any): boolean {
  return isPlain(ref) && typeof ref.name === 'string' && backendKind(ref) === '/Service';
}
