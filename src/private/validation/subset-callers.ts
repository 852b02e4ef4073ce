/**
 * Which callers of a VirtualService's routes find the subsets those routes name. On the mesh its routes are
 * used by the sidecars of every namespace it is exported to (`exportTo`, every namespace without one), and
 * each sidecar looks up the host's DestinationRule from its own namespace (destination-rule-lookup.ts), so a
 * subset can exist for some callers and be missing for others. Gateways are left out: a Gateway selects its
 * proxies by label, in any namespace, so the namespace they look up from is not in the manifests.
 */
import { RuleFinding } from './catalog';
import { DestinationRuleLookup, kubernetesNamespace, RuleEntry } from './destination-rule-lookup';
import { q } from './values';
import { appliesToMesh } from './virtual-service-checks';
import { isPlain, strings } from '../json-values';

/** The sidecars that use a VirtualService's routes, by namespace. */
export interface Callers {
  /** Whether the sidecars of every namespace use them (exported to all). */
  readonly everyNamespace: boolean;
  /** The namespaces its exportTo names. */
  readonly namespaces: readonly string[];
}

/** The sidecar callers of a VirtualService in `namespace` with this spec: none when it is bound to gateways only. */
export function callersOf(spec: any, namespace: string): Callers {
  const s = isPlain(spec) ? spec : {};
  if (!appliesToMesh(strings(s.gateways))) return { everyNamespace: false, namespaces: [] };
  const exportTo = strings(s.exportTo).map((e) => e === '.' ? namespace : e).filter((e) => e !== '~');
  const everywhere = strings(s.exportTo).length === 0 || exportTo.includes('*');
  return { everyNamespace: everywhere, namespaces: everywhere ? [] : [...new Set(exportTo)].sort() };
}

/** Callers of some namespaces that use the same DestinationRules for a host. */
export interface CallerGroup {
  readonly namespaces: readonly string[];
  /** The DestinationRules these callers use for the host; none when they find none. */
  readonly uses: readonly RuleEntry[];
}

/** The callers that do not find a subset, grouped by the rules they use instead. */
export interface SubsetGap {
  /** The groups of callers without the subset. */
  readonly missing: readonly CallerGroup[];
  /** Whether no caller finds it. */
  readonly everyCaller: boolean;
  /** The rules, anywhere in the set, that define it. */
  readonly definedBy: readonly RuleEntry[];
}

/**
 * Which callers of a VirtualService in `namespace` get no subset `subset` of `host` (expanded), or undefined
 * when all of them find it. A route exported to every namespace has callers the checked set does not know;
 * of those, only the namespaces the set names are looked up: the route's own, and those where a rule for the
 * host lives or is exported to by name. Other namespaces are left out: they find what the host's namespace
 * exports, and a set whose objects have no namespace is often applied there, whatever `default` suggests.
 */
export function subsetGap(lookup: DestinationRuleLookup, callers: Callers, namespace: string, host: string, subset: string): SubsetGap | undefined {
  const rules = lookup.anywhere(host);
  const classes = new Set(callers.namespaces);
  if (callers.everyNamespace) {
    classes.add(namespace);
    for (const rule of rules) {
      classes.add(rule.namespace);
      rule.exportTo.filter((e) => !['.', '*', '~'].includes(e)).forEach((e) => classes.add(e));
    }
  }
  const hostNamespaces = lookup.hostNamespaces(host);
  const groups = new Map<string, { namespaces: string[]; uses: RuleEntry[] }>();
  for (const caller of [...classes].sort()) {
    const uses = lookup.resolve(caller, host, hostNamespaces);
    if (uses.some((r) => r.subsets.includes(subset))) continue;
    const key = uses.map((r) => r.id).join(',');
    const group = groups.get(key) ?? { namespaces: [], uses };
    groups.set(key, group);
    group.namespaces.push(caller);
  }
  if (groups.size === 0) return undefined;
  const missing = [...groups.values()];
  return {
    missing,
    everyCaller: !callers.everyNamespace && missing.reduce((n, g) => n + g.namespaces.length, 0) === classes.size,
    definedBy: rules.filter((r) => r.subsets.includes(subset)),
  };
}

/**
 * XO_SUBSET_NOT_VISIBLE: a subset some DestinationRule of the set defines, that some callers of the route do
 * not get, because the DestinationRule Istio picks for them (by namespace, host and exportTo) is another one,
 * or none. Their requests to it get 503 (NC). `gap` is `subsetGap`'s answer for `host` and `subset`.
 */
export function subsetGapFinding(gap: SubsetGap, lookup: DestinationRuleLookup, host: string, subset: string): RuleFinding {
  const groups = gap.missing.map((g) => {
    const who = `callers in namespace${g.namespaces.length === 1 ? '' : 's'} ${g.namespaces.join(', ')}`;
    return g.uses.length === 0
      ? `${who} find no DestinationRule for ${q(host)}`
      : `${who} use DestinationRule ${g.uses.map((r) => `${r.id} (${r.subsets.map((n) => q(n)).join(', ') || 'no subsets'})`).join(' and ')}`;
  });
  const hostNamespace = kubernetesNamespace(host);
  const order = `a caller's own namespace, then ${hostNamespace === undefined ? '' : `the host's (${hostNamespace}), then `}${lookup.rootNamespace}`;
  const fix = gap.missing.some((g) => g.uses.length > 0)
    ? `add the subset to the DestinationRule they use${hostNamespace === undefined ? '' : `, or keep one DestinationRule for the host, in ${hostNamespace}`}`
    : `keep the host's DestinationRule in ${hostNamespace ?? `${lookup.rootNamespace} or in their namespace`}, exported to them`;
  return {
    code: 'XO_SUBSET_NOT_VISIBLE',
    message: `subset ${q(subset)} is defined only by DestinationRule ${gap.definedBy.map((r) => r.id).join(', ')}, which ${gap.everyCaller ? 'no' : 'not every'} caller of the route uses: ${groups.join('; ')}, so their requests to it fail with 503 (NC, no cluster); Istio reads ${order}, as exportTo allows: ${fix}`,
  };
}

