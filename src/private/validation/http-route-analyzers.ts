/**
 * Rules across HTTPRoutes, Services and VirtualServices of a checked set: a backendRef to a Service the set
 * leaves out while it holds the route's other Services (XO_BACKEND_NOT_FOUND), and an HTTPRoute and a
 * VirtualService routing one Service on the mesh (XO_HTTP_ROUTE_VS_CONFLICT).
 */
import type { Checked } from './analyzers';
import { backendKind, backendRefsOf } from './http-route-checks';
import { q } from './values';
import { appliesToMesh } from './virtual-service-checks';
import { isPlain, list, strings } from '../json-values';
import { serviceHost } from '../routing/http-route-conversion';
import { expandHost } from '../routing/names';

/** `namespace/name` of an object reference, in `namespace` unless it names its own. */
function refKey(ref: { [key: string]: any }, namespace: string): string {
  return `${typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : namespace}/${ref.name}`;
}

/** The `namespace/name` of the Services an HTTPRoute is attached to (GAMMA: parentRefs of group "" and kind Service). */
function parentServices(route: Checked): string[] {
  const spec = isPlain(route.manifest.spec) ? route.manifest.spec : {};
  return list(spec.parentRefs)
    .filter((p) => isPlain(p) && p.group === '' && p.kind === 'Service' && typeof p.name === 'string')
    .map((p) => refKey(p, route.namespace));
}

/** The rules over `routes` (HTTPRoutes), `services` (core Services) and `virtualServices` of one checked set. */
export function checkHttpRoutes(routes: Checked[], services: Checked[], virtualServices: Checked[]): void {
  const ports = new Map<string, number[]>();
  for (const s of services) {
    const spec = isPlain(s.manifest.spec) ? s.manifest.spec : {};
    ports.set(`${s.namespace}/${s.manifest.metadata?.name}`, list(spec.ports).filter(isPlain).map((p) => p.port).filter((p) => typeof p === 'number'));
  }
  for (const route of routes) {
    checkBackends(route, ports);
    checkVirtualServices(route, virtualServices);
  }
}

/**
 * XO_BACKEND_NOT_FOUND. A Service backendRef names a Service that the set does not define, while the set
 * defines the route's parent Service or another Service the route sends to: the set then holds this
 * application's Services, and the missing one is a version Service left out or misspelt. A set without
 * any of the route's Services is taken to be routes only, and is not checked. A port the defined Service
 * does not have is reported too.
 */
function checkBackends(route: Checked, ports: Map<string, number[]>): void {
  const backends = backendRefsOf(route.manifest.spec).filter(({ ref }) => backendKind(ref) === '/Service' && typeof ref.name === 'string');
  const keys = [...parentServices(route), ...backends.map(({ ref }) => refKey(ref, route.namespace))];
  const known = keys.filter((k) => ports.has(k));
  if (known.length === 0) return;
  for (const { ref, field, mirror } of backends) {
    const key = refKey(ref, route.namespace);
    const servicePorts = ports.get(key);
    const effect = mirror ? 'the mirror copies nothing' : 'its share of the requests fails with 500';
    if (servicePorts === undefined) {
      route.report.add('XO_BACKEND_NOT_FOUND', `${field}.name`, `no Service ${key} in the checked set, which defines ${[...new Set(known)].map((k) => `Service ${k}`).join(', ')}: Istio marks the backend unresolved (BackendNotFound) and ${effect}; add the version Service (the host's selector plus the version label, with the same ports) or fix the name`);
    } else if (typeof ref.port === 'number' && servicePorts.length > 0 && !servicePorts.includes(ref.port)) {
      route.report.add('XO_BACKEND_NOT_FOUND', `${field}.port`, `Service ${key} has no port ${ref.port} (its ports: ${servicePorts.join(', ')}), so ${effect}; use one of its ports`);
    }
  }
}

/**
 * XO_HTTP_ROUTE_VS_CONFLICT. An HTTPRoute attached to a Service (GAMMA) and a VirtualService applying to the
 * mesh with that Service's host. Istio turns the HTTPRoute into a VirtualService of its own for the host, and
 * when a proxy picks the routes of a host it takes those of Gateway API first (pilot/pkg/model's
 * SelectVirtualServices), so sidecars and waypoints follow the HTTPRoute and ignore the VirtualService.
 */
function checkVirtualServices(route: Checked, virtualServices: Checked[]): void {
  const hosts = new Map(parentServices(route).map((key) => {
    const [namespace, name] = key.split('/');
    return [serviceHost(name, namespace), key];
  }));
  if (hosts.size === 0) return;
  const routeName = `${route.namespace}/${route.manifest.metadata?.name}`;
  for (const vs of virtualServices) {
    const spec = isPlain(vs.manifest.spec) ? vs.manifest.spec : {};
    if (!appliesToMesh(strings(spec.gateways))) continue;
    strings(spec.hosts).forEach((host, i) => {
      const fqdn = expandHost(host, vs.namespace);
      if (!hosts.has(fqdn)) return;
      vs.report.add('XO_HTTP_ROUTE_VS_CONFLICT', `spec.hosts[${i}]`, `HTTPRoute ${routeName} also routes ${q(fqdn)} on the mesh (parentRef Service ${hosts.get(fqdn)}); Istio uses the HTTPRoute's rules for it and ignores this VirtualService's, in sidecars and waypoints alike; keep the routing in one of them`);
    });
  }
}
