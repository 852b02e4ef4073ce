/**
 * Which DestinationRule a proxy uses for a host, as Istio decides it (pilot/pkg/model/push_context.go,
 * `destinationRule` and `setDestinationRules`): the caller's namespace first, then the host's namespace,
 * then the root namespace, the most specific host within each, filtered by `exportTo`. A subset exists for a
 * caller only if the DestinationRule it ends up with defines it; otherwise its requests to the subset get
 * 503 (NC). The checker (XO_SUBSET_NOT_FOUND, XO_SUBSET_NOT_VISIBLE) and the routing model (its subset
 * notes) both read subsets through this file.
 *
 * Objects without a namespace are read as in `default`, where kubectl puts them, by both.
 */
import { domainError, hostsOverlap } from './values';
import { isPlain, list, strings } from '../json-values';
import { expandHost } from '../routing/names';

/** Istio's root namespace unless meshConfig.rootNamespace says otherwise. */
export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

/** The namespace of an object that has none. */
export const NO_NAMESPACE = 'default';

/** A DestinationRule as the lookup reads it. */
export interface RuleEntry {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  /** `spec.host`, expanded in the rule's namespace. */
  readonly host: string;
  readonly exportTo: readonly string[];
  /** Whether it has a workloadSelector (then Istio keeps it in its own namespace). */
  readonly selector: boolean;
  /** The names of its subsets. */
  readonly subsets: readonly string[];
}

/** A DestinationRule's entry, or undefined when its host is not one Istio accepts. */
export function ruleEntry(namespace: string | undefined, name: string, spec: any): RuleEntry | undefined {
  const ns = namespace ?? NO_NAMESPACE;
  const s = isPlain(spec) ? spec : {};
  if (typeof s.host !== 'string' || domainError(s.host, true) !== undefined) return undefined;
  return {
    id: `${ns}/${name}`,
    namespace: ns,
    host: expandHost(s.host, ns),
    exportTo: strings(s.exportTo),
    selector: isPlain(s.workloadSelector),
    subsets: list(s.subsets).map((x) => isPlain(x) ? x.name : undefined).filter((n): n is string => typeof n === 'string'),
  };
}

/** The rules of one index, by host: exact hosts in a map, wildcard hosts scanned (they are few). */
class HostIndex {
  private readonly exact = new Map<string, RuleEntry[]>();
  private readonly wildcard = new Map<string, RuleEntry[]>();

  public add(rule: RuleEntry): void {
    const map = rule.host.startsWith('*') ? this.wildcard : this.exact;
    const same = map.get(rule.host);
    if (same === undefined) map.set(rule.host, [rule]);
    else same.push(rule);
  }

  /**
   * The rules of the most specific host that matches `host` (Istio's `MostSpecificHostMatch`): the same host,
   * else the longest wildcard that covers it. Several rules for one host in one namespace are merged by Istio;
   * all of them are returned, so that a subset any of them defines counts (see `definesFor`).
   */
  public mostSpecific(host: string): RuleEntry[] | undefined {
    const exact = this.exact.get(host);
    if (exact !== undefined) return exact;
    let best: string | undefined;
    for (const pattern of this.wildcard.keys()) {
      if (hostsOverlap(pattern, host) && (best === undefined || pattern.length > best.length)) best = pattern;
    }
    return best === undefined ? undefined : this.wildcard.get(best);
  }

  /** The rules of every host that matches `host`: the same host and every wildcard that covers it. */
  public matching(host: string): RuleEntry[] {
    const out = [...this.exact.get(host) ?? []];
    for (const [pattern, rules] of this.wildcard) if (hostsOverlap(pattern, host)) out.push(...rules);
    return out;
  }
}

/** Every DestinationRule of a checked set, indexed the way Istio's push context indexes them. */
export class DestinationRuleLookup {
  private readonly all = new HostIndex();
  private readonly local = new Map<string, HostIndex>();
  private readonly exported = new Map<string, HostIndex>();
  private readonly rootLocal = new HostIndex();
  private readonly matchingAnywhere = new Map<string, RuleEntry[]>();

  constructor(rules: RuleEntry[], public readonly rootNamespace: string = DEFAULT_ROOT_NAMESPACE) {
    for (const rule of rules) {
      this.all.add(rule);
      // A rule with a workloadSelector is for workloads of its own namespace only.
      const exportTo = rule.selector ? ['.'] : rule.exportTo;
      // Proxies of the rule's own namespace see it unless its exportTo leaves that namespace out.
      if (exportTo.length === 0 || exportTo.some((e) => e === '*' || e === '.' || e === rule.namespace)) {
        indexOf(this.local, rule.namespace).add(rule);
      }
      // No exportTo means the mesh default, `*` unless meshConfig changes it.
      const privateOnly = exportTo.length === 1 && (exportTo[0] === '.' || exportTo[0] === rule.namespace);
      if (!privateOnly) indexOf(this.exported, rule.namespace).add(rule);
      else if (rule.namespace === rootNamespace) this.rootLocal.add(rule);
    }
  }

  /**
   * Every rule for `host` in any namespace (the same host, or a wildcard that covers it), as istioctl analyze
   * reads them. Kept by host (the index does not change, and each destination asks several times); callers
   * only read the list.
   */
  public anywhere(host: string): RuleEntry[] {
    let rules = this.matchingAnywhere.get(host);
    if (rules === undefined) this.matchingAnywhere.set(host, rules = this.all.matching(host));
    return rules;
  }

  /**
   * The rules a proxy in namespace `caller` uses for `host`, or [] when it has none. `hostNamespaces` are the
   * namespaces the host's Service may live in (see `hostNamespaces`).
   */
  public resolve(caller: string, host: string, hostNamespaces: readonly string[]): RuleEntry[] {
    // Istio's root namespace looks only at its private rules first, so that its mesh-wide rules do not hide
    // the rules of the host's own namespace.
    const first = caller === this.rootNamespace ? this.rootLocal : this.local.get(caller);
    const own = first?.mostSpecific(host);
    if (own !== undefined) return own;
    // Where the host's namespace is a guess (several), what any of them exports counts.
    const fromHost = hostNamespaces.flatMap((ns) => this.exportedTo(ns, host, caller));
    return fromHost.length > 0 ? fromHost : this.exportedTo(this.rootNamespace, host, caller);
  }

  /**
   * The namespaces where the Service behind `host` may be: the namespace a Kubernetes host names
   * (`name.namespace.svc.cluster.local`); for another host (a ServiceEntry's), every namespace that holds a
   * rule for it, so that the rules next to the ServiceEntry are never missed.
   */
  public hostNamespaces(host: string): string[] {
    const k8s = kubernetesNamespace(host);
    if (k8s !== undefined) return [k8s];
    return [...new Set(this.anywhere(host).map((r) => r.namespace))];
  }

  private exportedTo(owner: string, host: string, caller: string): RuleEntry[] {
    // The most specific host is chosen before exportTo is read, as Istio does: a more specific rule that is
    // not exported to the caller hides a wider one that is.
    const found = this.exported.get(owner)?.mostSpecific(host) ?? [];
    return found.filter((r) => r.exportTo.length === 0 || r.exportTo.includes('*') || r.exportTo.includes(caller));
  }
}

/** The namespace a Kubernetes service host names (`name.namespace.svc.cluster.local`), or undefined. */
export function kubernetesNamespace(host: string): string | undefined {
  return /^[^.]+\.([^.]+)\.svc\.cluster\.local\.?$/.exec(host)?.[1];
}

function indexOf(map: Map<string, HostIndex>, namespace: string): HostIndex {
  let index = map.get(namespace);
  if (index === undefined) map.set(namespace, index = new HostIndex());
  return index;
}

