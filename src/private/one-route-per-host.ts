/**
 * One VirtualService per host and place: the rule, written once, that the checker (XO_MESH_HOST_CONFLICT,
 * XO_GATEWAY_HOST_CONFLICT), the routing model (its conflict notes) and, through the checker at synth, the
 * L2 constructs apply. Sidecars use only one VirtualService per host; a gateway merges the rules of all of
 * them in creation order. Either way, two VirtualServices that claim one host where both apply make
 * routing depend on history.
 */
import { expandHost, MESH, placesOf } from './routing/names';

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
}

type Visibility = '*' | Set<string | undefined>;

/**
 * Every host of every VirtualService that another one (a different object, visible together with it under
 * their `exportTo`) claims at the same place, after expanding short host and gateway names. Wildcard hosts
 * are compared as written, not matched against each other. Linear in the number of claims: they are
 * grouped by place and host.
 */
export function hostConflicts(services: RouteClaimant[]): HostConflict[] {
  const claims = new Map<string, { index: number; hostIndex: number; scope: Visibility }[]>();
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
  const conflicts: HostConflict[] = [];
  for (const [key, same] of claims) {
    if (same.length < 2) continue;
    const [place, host] = key.split('\n');
    for (const claim of same) {
      const others = same.filter((o) => o.index !== claim.index && id(o.index) !== id(claim.index) && visibleTogether(o.scope, claim.scope));
      if (others.length === 0) continue;
      conflicts.push({ index: claim.index, hostIndex: claim.hostIndex, host, place, others: [...new Set(others.map((o) => o.index))] });
    }
  }
  return conflicts;
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

function isPlain(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}
