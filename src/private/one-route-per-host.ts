/**
 * One VirtualService per host and place: the rule, written once, that the checker (XO_MESH_HOST_CONFLICT,
 * XO_GATEWAY_HOST_CONFLICT), the routing model (its conflict notes) and, through the checker at synth, the
 * L2 constructs apply. Sidecars use only one VirtualService per host; a gateway merges the rules of all of
 * them in creation order. Either way, two VirtualServices that claim one host where both apply make
 * routing depend on history.
 */
import { isPlain, list, strings } from './json-values';
import { expandHost, MESH, placesOf } from './routing/names';
import { hostsOverlap } from './validation/values';

/** A VirtualService as the rule reads it. */
export interface RouteClaimant {
  /**
   * The namespace its short host and gateway names are resolved in; undefined keeps them as written (see
   * routing/names.ts).
   */
  readonly namespace?: string;
  /** metadata.name: the same namespace and name twice (one object in two files) is one VirtualService. */
  readonly name: string;
  /** The VirtualService's spec, as written (any shape). */
  readonly spec: any;
}

/** A host a VirtualService claims at a place that another VirtualService claims too. */
export interface HostConflict {
  /** Index of the VirtualService, in the list given to `hostConflicts`. */
  readonly index: number;
  /** Index of the host in its `spec.hosts`. */
  readonly hostIndex: number;
  /** The host, expanded in the VirtualService's namespace. */
  readonly host: string;
  /** `mesh`, or a gateway as `namespace/name`. */
  readonly place: string;
  /** Indices of the other VirtualServices that claim it, in list order. */
  readonly others: number[];
  /** The other hosts, different from `host`, that overlap it (a wildcard covering it, or covered by it). */
  readonly otherHosts: string[];
}

type Visibility = '*' | Set<string | undefined>;

/**
 * Every host of every VirtualService that another one (a different object, visible together with it under
 * their `exportTo`) claims at the same place, after expanding short host and gateway names. Wildcard hosts
 * are compared as written, except on the mesh between a VirtualService exported to some namespaces and one
 * exported to all, where a host of one that overlaps a host of the other conflicts too (istioctl analyze's
 * IST0109 does so). Linear in the number of claims, but for those overlaps: claims are grouped by place and host.
 */
export function hostConflicts(services: RouteClaimant[]): HostConflict[] {
  const claims = new Map<string, Claim[]>();
  services.forEach((vs, index) => {
    const spec = isPlain(vs.spec) ? vs.spec : {};
    const places = placesOf(strings(spec.gateways), vs.namespace);
    const scope = visibility(strings(spec.exportTo), vs.namespace);
    list(spec.hosts).forEach((host, hostIndex) => {
      if (typeof host !== 'string') return;
      for (const place of places) {
        const key = `${place}\n${expandHost(host, vs.namespace)}`;
        const same = claims.get(key);
        if (same === undefined) claims.set(key, [{ index, hostIndex, scope }]);
        else same.push({ index, hostIndex, scope });
      }
    });
  });
  const id = (i: number) => `${services[i].namespace}/${services[i].name}`;
  // One conflict per claim and place, holding every other VirtualService met there.
  const found = new Map<string, HostConflict>();
  const add = (claim: Claim, place: string, host: string, others: Claim[], otherHost: string) => {
    const key = `${claim.index}\n${claim.hostIndex}\n${place}`;
    const entry = found.get(key) ?? { index: claim.index, hostIndex: claim.hostIndex, host, place, others: [], otherHosts: [] };
    found.set(key, entry);
    for (const o of others) if (!entry.others.includes(o.index)) entry.others.push(o.index);
    if (otherHost !== host && !entry.otherHosts.includes(otherHost)) entry.otherHosts.push(otherHost);
  };
  for (const [key, same] of claims) {
    if (same.length < 2) continue;
    const [place, host] = key.split('\n');
    for (const claim of same) {
      const others = same.filter((o) => o.index !== claim.index && id(o.index) !== id(claim.index) && visibleTogether(o.scope, claim.scope));
      if (others.length > 0) add(claim, place, host, others, host);
    }
  }
  // On the mesh, a host exported to some namespaces also meets the overlapping hosts exported to all.
  const mesh = [...claims].filter(([key]) => key.startsWith(`${MESH}\n`)).map(([key, same]) => ({ host: key.slice(MESH.length + 1), same }));
  const everywhere = mesh.flatMap(({ host, same }) => same.filter((c) => c.scope === '*').map((claim) => ({ host, claim })));
  const wildcards = everywhere.filter((e) => e.host.startsWith('*'));
  for (const { host, same } of mesh) {
    // A scoped wildcard host can cover any host exported to all; a scoped exact host only a wildcard one.
    const candidates = host.startsWith('*') ? everywhere : wildcards;
    for (const claim of same.filter((c) => c.scope !== '*')) {
      for (const other of candidates) {
        if (other.host === host || !hostsOverlap(other.host, host) || id(other.claim.index) === id(claim.index)) continue;
        add(claim, MESH, host, [other.claim], other.host);
        add(other.claim, MESH, other.host, [claim], host);
      }
    }
  }
  return [...found.values()];
}

interface Claim {
  readonly index: number;
  readonly hostIndex: number;
  readonly scope: Visibility;
}

/** Whether a conflict is on the mesh (sidecars) rather than on a gateway. */
export function onMesh(conflict: HostConflict): boolean {
  return conflict.place === MESH;
}

// Where a VirtualService is visible: every namespace, or the namespaces its exportTo names ('.' is its own).
function visibility(exportTo: string[], namespace: string | undefined): Visibility {
  if (exportTo.length === 0 || exportTo.includes('*')) return '*';
  return new Set(exportTo.map((e) => e === '.' ? namespace : e));
}

function visibleTogether(a: Visibility, b: Visibility): boolean {
  return a === '*' || b === '*' || [...a].some((ns) => b.has(ns));
}


