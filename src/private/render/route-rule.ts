import { IConstruct } from 'constructs';
import { faultToIstio } from './fault-injection';
import { headerOperationsToIstio } from './header-operations';
import { mirroringToIstio } from './mirror-policy';
import { retriesToIstio } from './retries';
import { methodsOf, methodMatch, routeMatchToIstio } from './route-match';
import { VirtualServiceSpecHttp, VirtualServiceSpecHttpMatch } from '../../imports/istio-networking.istio.io';
import { Mirroring, MirrorMethods } from '../../mirror-policy';
import { RouteMatch } from '../../route-match';
import { DefaultRuleOptions } from '../../route-rule';
import { Subsets } from '../../subsets';
import { checkDnsLabel, istioDuration, report } from '../checks';
import { fail, joinField, q } from '../errors';
import { mirrorsOntoServing } from '../validation/analyzers';
import { retryOnStatusCodesOnlyFinding } from '../validation/policy-checks';
import { retryBudgetProblem } from '../validation/retry-budget';
import { markReported } from '../warn';

/**
 * Where a rule was written, for its errors and warnings: the construct the user created (which reports
 * them), and `field`, which turns the path of a part of the rule relative to `RuleOptions` (`'name'`,
 * `'match[0].headers["x-user"]'`, `'to[1].weight'`, `'mirror.targets[0]'`, `''` for the whole rule) into
 * the prop path the user wrote: `rules["canary"].match[0]...` on a CompositeRoute, `split[1].weight` on a
 * StickySplit, `targets[0]` on a Mirror.
 */
export interface RuleSite {
  readonly scope: IConstruct;
  readonly field: (part: string) => string;
}

/**
 * A `RuleSite` whose paths are the parts of `RuleOptions` under `base`, except the parts `renames` maps to
 * props of their own (the longest matching part wins: `{ to: 'split' }` makes `to[1].weight`
 * `split[1].weight`; `{ mirror: '' }` makes `mirror.targets[0]` `targets[0]`).
 */
export function ruleSite(scope: IConstruct, base: string, renames: { readonly [part: string]: string } = {}): RuleSite {
  const parts = Object.keys(renames).sort((a, b) => b.length - a.length);
  const at = (part: string, key: string) => part === key || (key !== '' && (part.startsWith(`${key}.`) || part.startsWith(`${key}[`)));
  return {
    scope,
    field: (part) => {
      const key = parts.find((k) => at(part, k));
      return joinField(base, key === undefined ? part : joinField(renames[key], part.slice(key.length)));
    },
  };
}

// The copying rules `renderRule` adds when only some methods are mirrored (see `isMirroredCopy`).
const mirroredCopies = new WeakSet<VirtualServiceSpecHttp>();

/**
 * Whether `rule` is the copying rule `renderRule` adds before a rule whose mirroring is limited to some
 * methods: its conditions are the rule's own narrowed to those methods, so a check of the conditions finds
 * in the rule itself whatever it would find in the copy.
 */
export function isMirroredCopy(rule: VirtualServiceSpecHttp): boolean {
  return mirroredCopies.has(rule);
}

/**
 * A rule as it will be written: `match` undefined for a default. A rule with mirroring limited to some
 * methods becomes two Istio rules: the mirrored copy restricted to those methods, then the rule itself.
 */
export function renderRule(
  site: RuleSite,
  subsets: Subsets,
  name: string | undefined,
  match: RouteMatch[] | undefined,
  options: DefaultRuleOptions,
): VirtualServiceSpecHttp[] {
  const { scope, field } = site;
  if (name !== undefined) checkDnsLabel(scope, field('name'), name);
  const label = name === undefined ? 'the default rule' : `rule ${q(name)}`;
  const used = [
    ...options.to._weights.map((w, i) => ({ subset: w.subset, at: `to${options.to._entry(i)}` })),
    ...(options.mirror?.targets ?? []).map((t, i) => ({ subset: t.subset, at: `mirror.targets[${i}]` })),
  ];
  for (const { subset, at } of used) {
    if (subset.subsets !== subsets) {
      fail(scope, field(at), `subset ${q(subset.name)} is of ${q(subset.host)} (${subset.subsets.node.path}), not of this route's ${q(subsets.host)}; use a subset of ${subsets.node.path}`);
    }
  }
  const conditions = match?.map((m, i) => routeMatchToIstio(scope, field(`match[${i}]`), m));
  const rule: VirtualServiceSpecHttp = {
    name,
    match: conditions,
    route: options.to._toIstio(scope, (part) => field(`to${part}`), name ?? 'default'),
    timeout: options.timeout && istioDuration(scope, field('timeout'), options.timeout),
    retries: options.retries && retriesToIstio(scope, field('retries'), options.retries),
    headers: options.headers && headerOperationsToIstio(scope, field('headers'), options.headers),
    fault: options.fault && faultToIstio(scope, field('fault'), options.fault),
  };
  const http = withMirror(site, label, rule, conditions, options);
  // The rule is checked as rendered, with the checker's own rule (Istio accepts it, and so do the
  // constructs: a warning). The checker at synth finds the same problem in the same words in the rendered
  // rules, and leaves it to this warning (see src/private/validation/synth.ts).
  const budget = retryBudgetProblem(rule);
  if (budget !== undefined) {
    report(scope, field(budget.field), budget);
    http.forEach((r) => markReported(r, budget.code));
  }
  // The same for a retryOn of status codes only, which drops Istio's default conditions.
  const statusCodesOnly = retryOnStatusCodesOnlyFinding(rule.retries ?? {});
  if (statusCodesOnly !== undefined) {
    report(scope, field('retries.retryOn'), statusCodesOnly);
    http.forEach((r) => markReported(r, statusCodesOnly.code));
  }
  return http;
}

function withMirror(site: RuleSite, label: string, rule: VirtualServiceSpecHttp,
  conditions: VirtualServiceSpecHttpMatch[] | undefined, options: DefaultRuleOptions): VirtualServiceSpecHttp[] {
  if (options.mirror === undefined) return [rule];

  const { scope, field } = site;
  const mirror = mirroringToIstio(scope, (part) => field(joinField('mirror', part)), options.mirror);
  const rules = mirroredRules(site, label, rule, mirror, conditions, options.mirror);
  // The hosts are the subsets' host throughout, so the namespace short names would resolve in is moot. The
  // checker at synth finds the same problem with the same predicate, and leaves it to this warning.
  const serving = mirrorsOntoServing({ ...rule, ...mirror }, 'default');
  for (const { target, finding } of serving) {
    report(scope, field(`mirror.targets[${target}]`), finding);
  }
  if (serving.length > 0) rules.filter((r) => r.mirror ?? r.mirrors).forEach((r) => markReported(r, 'MIRROR_TO_SERVING_SUBSET'));
  return rules;
}

// The rule with its mirror: one rule, or, when only some of its methods are mirrored, a copying rule limited
// to those methods and then the rule itself.
function mirroredRules(site: RuleSite, label: string, rule: VirtualServiceSpecHttp, mirror: Partial<VirtualServiceSpecHttp>,
  conditions: VirtualServiceSpecHttpMatch[] | undefined, mirroring: Mirroring): VirtualServiceSpecHttp[] {
  const allowed = (mirroring.methods ?? MirrorMethods.safe())._methods?.map((m) => m.name);
  const all = conditions ?? [{}];
  if (allowed === undefined || all.every((c) => methodsOf(c)?.every((m) => allowed.includes(m)))) {
    return [{ ...rule, ...mirror }];
  }
  const mirrored = all.flatMap((c): VirtualServiceSpecHttpMatch[] => {
    const methods = (methodsOf(c) ?? allowed).filter((m) => allowed.includes(m));
    return methods.length === 0 ? [] : [{ ...c, method: methodMatch(methods) }];
  });
  if (mirrored.length === 0) {
    fail(site.scope, site.field('mirror.methods'), `${label} matches no mirrored method (${allowed.join(', ')}), so nothing would be copied; list its methods in MirrorMethods.only(), or remove mirror`);
  }
  const copy = { ...rule, name: rule.name && `${rule.name}-mirrored`, match: mirrored, ...mirror };
  mirroredCopies.add(copy);
  return [copy, rule];
}
