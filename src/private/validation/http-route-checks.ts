/**
 * Per-object rules for Gateway API HTTPRoutes, as Istio 1.30's Gateway API controller converts them
 * (pilot/pkg/config/kube/gateway/conversion.go): what it rejects, answers with 500, or ignores. What the API
 * server already rejects (the CRD's schema: 16 rules, 64 matches per rule, 16 header and 16 query parameter
 * matches, 16 backendRefs and filters; its CEL rules: at most 128 matches in all, a port for a Service
 * backendRef, ...) is the API-server layer's, and not repeated here.
 */
import { RuleFinding } from './catalog';
import type { FieldFinding } from './schema-check';
import { q } from './values';
import { isPlain, list } from '../json-values';

/** The backendRef kinds Istio routes to, as `group/kind` (the core group is empty). */
const BACKEND_KINDS = ['/Service', 'multicluster.x-k8s.io/ServiceImport', 'networking.istio.io/Hostname', 'inference.networking.k8s.io/InferencePool'];
// The kinds whose reference Istio cannot use without a port; a Service's is the CRD's CEL rule.
const PORT_REQUIRED = ['multicluster.x-k8s.io/ServiceImport', 'networking.istio.io/Hostname'];
/** The filter types Istio implements on a rule, and on a backendRef. */
const RULE_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'RequestMirror', 'URLRewrite', 'CORS'];
const BACKEND_FILTERS = ['RequestHeaderModifier', 'ResponseHeaderModifier'];

/** A backendRef's `group/kind`, with the CRD's defaults (core group, Service). */
export function backendKind(ref: { [key: string]: any }): string {
  const group = typeof ref.group === 'string' ? ref.group : '';
  const kind = typeof ref.kind === 'string' ? ref.kind : 'Service';
  return `${group}/${kind}`;
}

/** Every backendRef of an HTTPRoute spec with its field: the rules' backendRefs and their mirrors' (rule or backend filters). */
export function backendRefsOf(spec: unknown): { ref: { [key: string]: any }; field: string; mirror: boolean; rule: number }[] {
  const out: { ref: { [key: string]: any }; field: string; mirror: boolean; rule: number }[] = [];
  const mirrors = (filters: unknown, at: string, rule: number) => list(filters).forEach((f, k) => {
    if (isPlain(f) && isPlain(f.requestMirror) && isPlain(f.requestMirror.backendRef)) {
      out.push({ ref: f.requestMirror.backendRef, field: `${at}.filters[${k}].requestMirror.backendRef`, mirror: true, rule });
    }
  });
  list(isPlain(spec) ? spec.rules : undefined).forEach((rule, i) => {
    if (!isPlain(rule)) return;
    list(rule.backendRefs).forEach((ref, j) => {
      if (!isPlain(ref)) return;
      out.push({ ref, field: `spec.rules[${i}].backendRefs[${j}]`, mirror: false, rule: i });
      mirrors(ref.filters, `spec.rules[${i}].backendRefs[${j}]`, i);
    });
    mirrors(rule.filters, `spec.rules[${i}]`, i);
  });
  return out;
}

/** The rules' findings for one HTTPRoute spec. */
export function httpRouteFindings(spec: unknown): FieldFinding[] {
  const out: FieldFinding[] = [];
  const add = (field: string, code: RuleFinding['code'], message: string) => out.push({ field, finding: { code, message } });
  list(isPlain(spec) ? spec.rules : undefined).forEach((rule, i) => {
    if (!isPlain(rule)) return;
    const at = `spec.rules[${i}]`;
    const noTraffic = noTrafficFinding(rule);
    if (noTraffic !== undefined) out.push({ field: list(rule.backendRefs).length > 0 ? `${at}.backendRefs` : at, finding: noTraffic });
    list(rule.filters).forEach((f, k) => {
      const finding = filterFinding(f, RULE_FILTERS, 'a rule');
      if (finding !== undefined) out.push({ field: `${at}.filters[${k}].type`, finding });
    });
    list(rule.backendRefs).forEach((ref, j) => {
      if (!isPlain(ref)) return;
      list(ref.filters).forEach((f, k) => {
        const finding = filterFinding(f, BACKEND_FILTERS, 'a backendRef');
        if (finding !== undefined) out.push({ field: `${at}.backendRefs[${j}].filters[${k}].type`, finding });
      });
    });
    if (isPlain(rule.sessionPersistence)) {
      add(`${at}.sessionPersistence`, 'HR_SESSION_PERSISTENCE_IGNORED',
        'Istio 1.30 does not implement sessionPersistence, so requests are not pinned to a backend; pin users with a version cookie (a cookie match per version and a Set-Cookie response header on each backendRef, as StickySplit writes)');
    }
  });
  for (const { ref, field, mirror } of backendRefsOf(spec)) {
    const kind = backendKind(ref);
    const name = typeof ref.name === 'string' ? ref.name : '';
    if (!BACKEND_KINDS.includes(kind)) {
      add(`${field}.kind`, 'HR_BACKEND_KIND_UNSUPPORTED', `Istio does not route to a backendRef of kind ${q(kind.replace(/^\//, ''))}, so ${mirror
        ? 'the mirror is dropped' : 'its share of the requests fails with 500'}; reference a Service (group "", kind Service), a ServiceImport or an Istio Hostname`);
    } else if (PORT_REQUIRED.includes(kind) && ref.port === undefined) {
      add(field, 'HR_BACKEND_PORT_MISSING', `the ${kind.split('/')[1]} ${q(name)} has no port, which Istio needs to build the destination, so it rejects the route; set port`);
    }
  }
  return out;
}

// Istio answers a rule whose backends weigh nothing in all (none, or all of weight 0) with a 500 direct
// response, unless the rule redirects; the Gateway API specification requires it.
function noTrafficFinding(rule: { [key: string]: any }): RuleFinding | undefined {
  const refs = list(rule.backendRefs);
  if (list(rule.filters).some((f) => isPlain(f) && f.type === 'RequestRedirect')) return undefined;
  // The CRD's default weight is 1; a weight of another type is the schema layer's.
  const total = refs.reduce((sum: number, ref) => sum + (isPlain(ref) && typeof ref.weight === 'number' ? ref.weight : 1), 0);
  if (total !== 0) return undefined;
  return {
    code: 'HR_NO_SERVING_BACKEND',
    message: refs.length === 0
      ? 'the rule has no backendRefs and no redirect, so Istio answers every request it matches with 500; add a backendRef'
      : 'every backendRef has weight 0, so Istio answers every request the rule matches with 500; give the serving version a weight above 0',
  };
}

function filterFinding(filter: unknown, supported: string[], where: string): RuleFinding | undefined {
  if (!isPlain(filter) || typeof filter.type !== 'string' || supported.includes(filter.type)) return undefined;
  return {
    code: 'HR_FILTER_UNSUPPORTED',
    message: `Istio 1.30 does not implement the ${q(filter.type)} filter on ${where}, so it does not program this HTTPRoute at all (its status says "unsupported filter type"); use ${supported.map((s) => q(s)).join(', ')}, or an Istio resource for the rest`,
  };
}
