/**
 * The CRDs' CEL rules (src/private/validation/cel-rules.ts). Every rule of the imported kinds is found here by a
 * walk of its own over the schemas, and run on values that must pass and values that must fail: generated from
 * the rule's family where one fits, written by hand otherwise. Each outcome is what Kubernetes (cel-go) gives,
 * and each is also computed with @bufbuild/cel, which is tested against the CEL specification's conformance
 * suite: the two evaluators must agree, apart from a committed list of known differences.
 */
import { celEnv, CelValue, isCelError, parse, plan } from '@bufbuild/cel';
import { crdSchemas } from '../src/private/bundled';
import { celFieldName, celRuleOutcome, celRules, celValue, celViolations } from '../src/private/validation/cel-rules';
import { withDefaults } from '../src/private/validation/schema-defaults';
import { parseDuration } from '../src/private/validation/values';

const HTTP_ROUTE = 'gateway.networking.k8s.io/v1/HTTPRoute';
const KINDS = ['networking.istio.io/v1/VirtualService', 'networking.istio.io/v1/DestinationRule', HTTP_ROUTE];

/** How the walk went from the kind's root to a rule's node. */
type Step = { readonly property: string } | 'items' | 'values';

interface FoundRule {
  readonly kind: string;
  readonly schemaPath: string;
  readonly steps: Step[];
  readonly node: any;
  readonly rule: string;
  readonly message: string;
}

/** Every x-kubernetes-validations rule, wherever it sits in the schema: this walk follows every keyword. */
function findRules(kind: string, node: any, steps: Step[] = [], path = ''): FoundRule[] {
  if (node === null || typeof node !== 'object') return [];
  if (Array.isArray(node)) return node.flatMap((n, i) => findRules(kind, n, steps, `${path}[${i}]`));
  const out: FoundRule[] = (node['x-kubernetes-validations'] ?? []).map((r: any) => ({ kind, schemaPath: path, steps, node, rule: r.rule, message: r.message }));
  for (const [key, child] of Object.entries(node)) {
    if (key === 'x-kubernetes-validations') continue;
    if (key === 'properties') {
      for (const [name, p] of Object.entries(child as object)) {
        out.push(...findRules(kind, p, [...steps, { property: name }], path === '' ? name : `${path}.${name}`));
      }
    } else if (key === 'items') {
      out.push(...findRules(kind, child, [...steps, 'items'], `${path}[]`));
    } else if (key === 'additionalProperties') {
      out.push(...findRules(kind, child, [...steps, 'values'], `${path}{}`));
    } else {
      out.push(...findRules(kind, child, steps, `${path}/${key}`));
    }
  }
  return out;
}

const RULES = KINDS.flatMap((kind) => findRules(kind, crdSchemas()[kind]));
/** Gateway API v1.5.1's HTTPRoute has 106 rules, of 57 distinct expressions. */
const EXPRESSIONS_OF_HTTP_ROUTE = 57;

/** What Kubernetes makes of a value: the rule holds, it does not, or it fails to evaluate (also reported). */
type Outcome = 'pass' | 'fail' | 'error';

interface Example {
  readonly value: unknown;
  readonly expect: Outcome;
}

const examples = (expect: Outcome, values: unknown[]): Example[] => values.map((value) => ({ value, expect }));

/**
 * Rule families: a pattern of rule text, and the examples it generates from the rule's own constants.
 * Duration outcomes are Go's time.ParseDuration (cel-go's duration()): `0` is a duration, `μs` (Greek mu) a
 * unit as well as `µs` (micro sign), and nothing past 2^63-1ns parses.
 */
const FAMILIES: { readonly name: string; readonly pattern: RegExp; readonly generate: (m: RegExpExecArray) => Example[] }[] = [
  {
    name: 'duration at least a bound',
    pattern: /^duration\(self\) >= duration\('([^']+)'\)$/,
    generate: ([, bound]) => {
      const ns = parseDuration(bound)!;
      return [
        ...examples('pass', [bound, `+${bound}`, `${ns}ns`, `${ns + 1n}ns`, `${bound}0s`, `0h${bound}`, '2562047h', `${ns / 1000n + 500n}μs`, `${ns / 1000n}µs`]),
        ...examples('fail', [`${ns - 1n}ns`, '0', '0s', '-0', `-${bound}`, '-2562047h']),
        ...examples('error', ['', '1', '00', '1d', 'ms', '.s', '1 s', ' 1s', '1h-1m', '1e3s', '2562048h', '9223372036854775808ns']),
      ];
    },
  },
  {
    name: 'map keys without a substring',
    pattern: /^self\.all\((\w+), !\1\.contains\("([^"]+)"\)\)$/,
    generate: ([, , text]) => [
      ...examples('pass', [{ app: 'checkout' }, {}, { 'app.kubernetes.io/name': 'x' }, { app: text }]),
      ...examples('fail', [{ [`a${text}`]: 'x' }, { app: 'x', [text]: 'y' }]),
    ],
  },
  {
    name: 'map keys not empty',
    pattern: /^self\.all\((\w+), \1\.size\(\) != 0\)$/,
    generate: () => [
      ...examples('pass', [{ app: 'checkout' }, {}, { ' ': 'x' }]),
      ...examples('fail', [{ '': 'x' }, { 'app': 'x', '': 'y' }]),
    ],
  },
  // Gateway API: a filter's type and its field go together.
  {
    name: 'filter field only with its type',
    pattern: /^!\(has\(self\.(\w+)\) && self\.type != '(\w+)'\)$/,
    generate: ([, field, type]) => [
      ...examples('pass', [{ type, [field]: {} }, { type: otherFilter(type) }]),
      ...examples('fail', [{ type: otherFilter(type), [field]: {} }]),
    ],
  },
  {
    name: 'filter type needs its field',
    pattern: /^!\(!has\(self\.(\w+)\) && self\.type == '(\w+)'\)$/,
    generate: ([, field, type]) => [
      ...examples('pass', [{ type, [field]: {} }, { type: otherFilter(type) }]),
      ...examples('fail', [{ type }]),
    ],
  },
  {
    name: 'filter not repeated',
    pattern: /^self\.filter\(f, f\.type == '(\w+)'\)\.size\(\) <= 1$/,
    generate: ([, type]) => [
      ...examples('pass', [[], [{ type }], [{ type }, { type: otherFilter(type) }]]),
      ...examples('fail', [[{ type }, { type }], [{ type }, { type: otherFilter(type) }, { type }]]),
    ],
  },
  {
    name: 'a value of one field requires another',
    pattern: /^self\.(\w+) == '(\w+)' \? has\(self\.(\w+)\) : true$/,
    generate: ([, key, value, field]) => [
      ...examples('pass', [{ [key]: value, [field]: fieldValue(key) }, { [key]: 'Other' }]),
      ...examples('fail', [{ [key]: value }]),
    ],
  },
  {
    name: 'a field requires a value of another',
    pattern: /^has\(self\.(\w+)\) \? self\.(\w+) == '(\w+)' : true$/,
    generate: ([, field, key, value]) => [
      ...examples('pass', [{ [key]: value, [field]: fieldValue(key) }, { [key]: value }, { [key]: 'Other' }]),
      ...examples('fail', [{ [key]: 'Other', [field]: fieldValue(key) }]),
    ],
  },
  {
    name: 'a wildcard alone in a list',
    pattern: /^!\('\*' in self && self\.size\(\) > 1\)$/,
    generate: () => [
      ...examples('pass', [[], ['*'], ['GET', 'POST']]),
      ...examples('fail', [['*', 'GET'], ['GET', '*']]),
    ],
  },
  {
    name: 'Service reference with a port',
    pattern: /^\(size\(self\.group\) == 0 && self\.kind == 'Service'\) \? has\(self\.port\) : true$/,
    generate: () => [
      ...examples('pass', [{ name: 'reviews-v2', port: 9080 }, { name: 'reviews', group: 'multicluster.x-k8s.io', kind: 'ServiceImport' }, { name: 'a', group: 'networking.istio.io', kind: 'Hostname' }]),
      ...examples('fail', [{ name: 'reviews-v2' }, { name: 'reviews-v2', group: '', kind: 'Service' }]),
    ],
  },
  {
    name: 'an Exact or PathPrefix path',
    pattern: /^\(self\.type in \['Exact','PathPrefix'\]\) \? (.+) : true$/,
    generate: ([, condition]) => {
      const bad = badPath(condition);
      return [
        ...examples('pass', [{ type: 'PathPrefix', value: '/' }, { type: 'Exact', value: '/reviews/v2' }, { type: 'RegularExpression', value: bad }]),
        ...examples('fail', [{ type: 'Exact', value: bad }, { type: 'PathPrefix', value: bad }]),
      ];
    },
  },
  {
    name: 'string without a substring',
    pattern: /^!self\.contains\("([^"]+)"\)$/,
    generate: ([, text]) => [
      ...examples('pass', ['checkout', '']),
      ...examples('fail', [text, `v${text}`, `${text}v`]),
    ],
  },
];

/** The value of the field that goes with a `type` (a path modifier's path) or a `protocol` (an auth service's settings). */
function fieldValue(key: string): unknown {
  return key === 'type' ? '/v2' : {};
}

/** A filter type other than `type`. */
function otherFilter(type: string): string {
  return type === 'RequestHeaderModifier' ? 'URLRewrite' : 'RequestHeaderModifier';
}

/** A path that breaks one of Gateway API's conditions on Exact and PathPrefix paths. */
function badPath(condition: string): string {
  const contains = /^!self\.value\.contains\('([^']+)'\)$/.exec(condition);
  if (contains) return `/a${contains[1]}b`;
  const ends = /^!self\.value\.endsWith\('([^']+)'\)$/.exec(condition);
  if (ends) return `/a${ends[1]}`;
  if (condition === "self.value.startsWith('/')") return 'reviews';
  if (condition.startsWith('self.value.matches(')) return '/a b';
  throw new Error(`no bad path for ${condition}`);
}

const PREFIX_MATCH = { path: { type: 'PathPrefix', value: '/api' } };
const EXACT_MATCH = { path: { type: 'Exact', value: '/api' } };
const BACKEND = { name: 'reviews-v1', port: 9080 };
const replacePrefix = (filter: string) => ({ type: filter === 'requestRedirect' ? 'RequestRedirect' : 'URLRewrite', [filter]: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } });
/** Examples of the rules that a ReplacePrefixMatch needs exactly one PathPrefix match, on the rule's filters or a backend's. */
function replacePrefixExamples(filter: string, onBackend: boolean): Example[] {
  const rule = (matches: unknown[] | undefined) => {
    const withFilter = onBackend ? { backendRefs: [{ ...BACKEND, filters: [replacePrefix(filter)] }] } : { filters: [replacePrefix(filter)] };
    return matches === undefined ? withFilter : { matches, ...withFilter };
  };
  return [
    ...examples('pass', [rule([PREFIX_MATCH]), rule(undefined), { matches: [EXACT_MATCH, PREFIX_MATCH], backendRefs: [BACKEND] }]),
    ...examples('fail', [rule([EXACT_MATCH]), rule([PREFIX_MATCH, PREFIX_MATCH]), rule([])]),
  ];
}
const redirectWithPrefix = "self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))";
const rewriteWithPrefix = redirectWithPrefix.replace(/requestRedirect/g, 'urlRewrite');
const onlyIfOnePrefix = "((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true";
const onBackend = (inner: string) => `(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.${inner.replace('self.filters', 'filters')}) )) ? ${onlyIfOnePrefix}`;
const match = { path: { type: 'PathPrefix', value: '/' } };
const GW_PARENT_UNIQUE = "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__)) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '') && (!has(p1.port) || p1.port == 0) == (!has(p2.port) || p2.port == 0)): true))";
const GW_PARENT_ONCE = "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || ( has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName)) && (((!has(p1.port) || p1.port == 0) && (!has(p2.port) || p2.port == 0)) || (has(p1.port) && has(p2.port) && p1.port == p2.port))))";
const GW_TOTAL_MATCHES = `${Array.from({ length: 16 }, (_, i) => `(self.size() > ${i} ? self[${i}].matches.size() : 0)`).join(' + ')} <= 128`;
const rulesWith = (counts: number[]) => counts.map((n) => ({ matches: Array.from({ length: n }, () => match) }));

/** Gateway API's rules that no family generates, by hand. */
const GATEWAY_BY_HAND: { readonly [rule: string]: Example[] } = {
  [GW_PARENT_UNIQUE]: [
    ...examples('pass', [[{ name: 'gw' }], [{ name: 'gw', sectionName: 'http' }, { name: 'gw', sectionName: 'https' }], [{ name: 'gw', namespace: 'a' }, { name: 'gw', namespace: 'b' }],
      [{ name: 'reviews', group: '', kind: 'Service', port: 9080 }, { name: 'reviews', group: '', kind: 'Service', port: 9090 }]]),
    ...examples('fail', [[{ name: 'gw' }, { name: 'gw', sectionName: 'http' }], [{ name: 'gw', namespace: 'a', port: 80 }, { name: 'gw', namespace: 'a' }]]),
  ],
  [GW_PARENT_ONCE]: [
    ...examples('pass', [[{ name: 'gw' }], [{ name: 'gw' }, { name: 'gw', namespace: 'other' }], [{ name: 'gw', sectionName: 'a' }, { name: 'gw', sectionName: 'b' }]]),
    ...examples('fail', [[{ name: 'gw' }, { name: 'gw' }], [{ name: 'gw', namespace: 'a', sectionName: 's' }, { name: 'gw', namespace: 'a', sectionName: 's' }]]),
  ],
  [GW_TOTAL_MATCHES]: [
    ...examples('pass', [[], rulesWith([1]), rulesWith([64, 64]), rulesWith([8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8])]),
    ...examples('fail', [rulesWith([64, 65]), rulesWith([43, 43, 43])]),
  ],
  'self.all(l1, !has(l1.name) || self.exists_one(l2, has(l2.name) && l1.name == l2.name))': [
    ...examples('pass', [[], [{ name: 'testers' }, { name: 'split' }, {}], [{}, {}]]),
    ...examples('fail', [[{ name: 'split' }, { name: 'split' }]]),
  ],
  '(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true': [
    ...examples('pass', [{ backendRefs: [BACKEND] }, { filters: [{ type: 'RequestRedirect', requestRedirect: {} }] }, { backendRefs: [], filters: [{ type: 'RequestRedirect', requestRedirect: {} }] }]),
    ...examples('fail', [{ backendRefs: [BACKEND], filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'example.com' } }] }]),
  ],
  [`(has(self.filters) && ${redirectWithPrefix}) ? ${onlyIfOnePrefix}`]: replacePrefixExamples('requestRedirect', false),
  [`(has(self.filters) && ${rewriteWithPrefix}) ? ${onlyIfOnePrefix}`]: replacePrefixExamples('urlRewrite', false),
  [onBackend(redirectWithPrefix)]: replacePrefixExamples('requestRedirect', true),
  [onBackend(rewriteWithPrefix)]: replacePrefixExamples('urlRewrite', true),
  "!(self.exists(f, f.type == 'RequestRedirect') && self.exists(f, f.type == 'URLRewrite'))": [
    ...examples('pass', [[], [{ type: 'RequestRedirect' }], [{ type: 'URLRewrite' }, { type: 'RequestHeaderModifier' }]]),
    ...examples('fail', [[{ type: 'RequestRedirect' }, { type: 'URLRewrite' }]]),
  ],
  '!(has(self.percent) && has(self.fraction))': [
    ...examples('pass', [{ backendRef: BACKEND }, { backendRef: BACKEND, percent: 10 }, { backendRef: BACKEND, fraction: { numerator: 1 } }]),
    ...examples('fail', [{ backendRef: BACKEND, percent: 10, fraction: { numerator: 1, denominator: 10 } }]),
  ],
  'self.numerator <= self.denominator': [
    // The denominator defaults to 100.
    ...examples('pass', [{ numerator: 10 }, { numerator: 100 }, { numerator: 3, denominator: 3 }]),
    ...examples('fail', [{ numerator: 101 }, { numerator: 2, denominator: 1 }]),
  ],
  "self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'": [
    ...examples('pass', [{ type: 'Exact', value: '/' }, { type: 'PathPrefix', value: '/' }, { type: 'RegularExpression', value: '/v[0-9]+' }, {}]),
    ...examples('fail', [{ type: 'Prefix', value: '/' }]),
  ],
  "!has(self.cookieConfig) || !has(self.cookieConfig.lifetimeType) || self.cookieConfig.lifetimeType != 'Permanent' || has(self.absoluteTimeout)": [
    ...examples('pass', [{}, { cookieConfig: {} }, { cookieConfig: { lifetimeType: 'Session' } }, { cookieConfig: { lifetimeType: 'Permanent' }, absoluteTimeout: '12h' }]),
    ...examples('fail', [{ cookieConfig: { lifetimeType: 'Permanent' } }]),
  ],
  "!has(self.cookieConfig) || self.type == 'Cookie'": [
    // The type defaults to Cookie.
    ...examples('pass', [{}, { cookieConfig: {} }, { type: 'Header' }]),
    ...examples('fail', [{ type: 'Header', cookieConfig: {} }]),
  ],
  "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))": [
    ...examples('pass', [{}, { request: '10s' }, { request: '10s', backendRequest: '2s' }, { request: '0s', backendRequest: '1h' }, { request: '1s', backendRequest: '1000ms' }]),
    ...examples('fail', [{ request: '1s', backendRequest: '2s' }, { request: '500ms', backendRequest: '1s' }]),
    ...examples('error', [{ request: '1d', backendRequest: '1s' }]),
  ],
};

/** Examples written by hand, keyed by rule text: for rules no family generates, and for cases a family misses. */
const BY_HAND: { readonly [rule: string]: Example[] } = {
  // Kubernetes counts a label key's size in code points: a one-character key is not empty, whatever its bytes.
  'self.all(key, key.size() != 0)': examples('pass', [{ é: 'x' }, { '\u{1F600}': 'x' }]),
  'duration(self) >= duration(\'1ms\')': [
    ...examples('pass', ['1.5s', '1h2m3s', '.5s', '5.s', '1000us', '0.001s']),
    ...examples('fail', ['999us', '999999ns', '0.0009s', '-1h']),
  ],
};

/** Rules the checker cannot run: none today. A new one must be added here, knowingly. */
const UNRUNNABLE: { schemaPath: string; rule: string; problem: string }[] = [];

/**
 * The examples on which @bufbuild/cel's duration() gives another outcome than cel-go's (Go's time.ParseDuration),
 * with Buf's outcome. Buf follows the CEL specification, which names `µs` (micro sign) only, where Go also reads
 * `μs` (Greek mu); and Buf reads an empty string as a zero duration, where Go rejects it.
 */
const BUF_DIFFERS: { readonly [rule: string]: { readonly [value: string]: Outcome } } = {
  "duration(self) >= duration('1ms')": { '1500μs': 'error', '': 'fail' },
};

function examplesOf(rule: string): Example[] {
  const generated = FAMILIES.flatMap((f) => {
    const m = f.pattern.exec(rule);
    return m === null ? [] : f.generate(m);
  });
  return [...generated, ...(BY_HAND[rule] ?? []), ...(GATEWAY_BY_HAND[rule] ?? [])];
}

function outcome(result: boolean | { readonly error: string }): Outcome {
  return result === true ? 'pass' : result === false ? 'fail' : 'error';
}

const bufPrograms = new Map<string, ReturnType<typeof plan>>();

function bufOutcome(rule: string, self: unknown): Outcome {
  let program = bufPrograms.get(rule);
  if (program === undefined) bufPrograms.set(rule, program = plan(celEnv(), parse(rule)));
  const result = program({ self: self as CelValue });
  return isCelError(result) ? 'error' : result === true ? 'pass' : 'fail';
}

/** A minimal manifest with `value` at the rule's node, and that node's field path. */
function objectAt(steps: Step[], value: unknown): { object: unknown; path: string } {
  let object = value;
  for (const step of [...steps].reverse()) object = step === 'items' ? [object] : step === 'values' ? { app: object } : { [step.property]: object };
  const path = steps.reduce<string>((p, step) =>
    step === 'items' ? `${p}[0]` : step === 'values' ? `${p}["app"]` : p === '' ? step.property : `${p}.${step.property}`, '');
  return { object, path };
}

describe('the rules of the imported kinds', () => {
  test('the walk finds them all, and the checker runs every one', () => {
    const counts = { rules: RULES.length, expressions: new Set(RULES.map((r) => r.rule)).size };
    expect(counts).toEqual({ rules: 45 + 106, expressions: 4 + EXPRESSIONS_OF_HTTP_ROUTE });
    for (const kind of KINDS) {
      const planned = celRules(crdSchemas()[kind]).map((r) => [r.schemaPath, r.rule]);
      expect(planned.sort()).toEqual(RULES.filter((r) => r.kind === kind).map((r) => [r.schemaPath, r.rule]).sort());
    }
    const unrunnable = KINDS.flatMap((kind) => celRules(crdSchemas()[kind]).filter((r) => r.problem !== undefined));
    expect(unrunnable).toEqual(UNRUNNABLE);
  });

  test('every rule has examples that pass and examples that fail', () => {
    const without = RULES.filter((r) => {
      const outcomes = examplesOf(r.rule).map((e) => e.expect);
      return !outcomes.includes('pass') || !outcomes.includes('fail');
    });
    expect(without.map((r) => `${r.kind} ${r.schemaPath}: ${r.rule}`)).toEqual([]);
  });

  // `!self.contains("*")` reads as string.contains: it sits on the values of matchLabels (additionalProperties), so
  // `self` is one label value. On the map itself it would not compile: CEL maps have no contains().
  test('the wildcard rule on label values applies to each value, a string', () => {
    const rule = RULES.find((r) => r.rule === '!self.contains("*")')!;
    expect(rule.schemaPath).toBe('spec.workloadSelector.matchLabels{}');
    expect(rule.node.type).toBe('string');
  });

  test.each(RULES.map((r) => [`${r.kind.split('/')[2]} ${r.schemaPath}`, r]))('%s: Kubernetes, the checker and Buf agree', (_, r) => {
    const found = r as FoundRule;
    const schema = crdSchemas()[found.kind];
    const differs = BUF_DIFFERS[found.rule] ?? {};
    const known = (value: unknown) => typeof value === 'string' && differs[value] !== undefined;
    const rows = examplesOf(found.rule).map(({ value, expect: expected }) => {
      const ours = outcome(celRuleOutcome(found.node, found.rule, value));
      // Kubernetes defaults the value before the rule sees it (a backendRef's kind, a mirror's denominator).
      const buf = bufOutcome(found.rule, celValue(found.node, withDefaults(found.node, value)));
      return { value, kubernetes: expected, checker: ours, buf: known(value) ? `${buf} (differs)` : buf };
    });
    expect(rows).toEqual(rows.map((row) => ({
      ...row,
      checker: row.kubernetes,
      buf: known(row.value) ? `${differs[row.value as string]} (differs)` : row.kubernetes,
    })));

    // The same through celViolations on a whole manifest: the field's path, and the CRD's message.
    for (const { value, expect: expected } of examplesOf(found.rule)) {
      const { object, path } = objectAt(found.steps, value);
      // The same rule may sit on an enclosing node too (a backendRef holding a mirror's backendRef): only this node's count.
      const violations = celViolations(schema, object, '').filter((v) => v.rule === found.rule && v.path.startsWith(path));
      if (expected === 'pass') expect({ value, violations }).toEqual({ value, violations: [] });
      if (expected === 'fail') expect({ value, violations }).toEqual({ value, violations: [{ path, rule: found.rule, message: found.message }] });
      if (expected === 'error') {
        expect({ value, violations }).toEqual({ value, violations: [{ path, rule: found.rule, message: expect.stringMatching(/ evaluating rule: /) }] });
        expect(violations[0].message.endsWith(` evaluating rule: ${found.message}`)).toBe(true);
      }
    }
  });

  test('every known difference of Buf is an example of its rule', () => {
    const unused = Object.entries(BUF_DIFFERS).flatMap(([rule, values]) => {
      const used = new Set(examplesOf(rule).map((e) => e.value));
      return Object.keys(values).filter((v) => !used.has(v) || !RULES.some((r) => r.rule === rule)).map((v) => `${rule}: ${v}`);
    });
    expect(unused).toEqual([]);
  });
});

describe('whole manifests', () => {
  const vs = crdSchemas()['networking.istio.io/v1/VirtualService'];
  const dr = crdSchemas()['networking.istio.io/v1/DestinationRule'];

  test('a corsPolicy.maxAge under 1ms is one violation, at its field, with the CRD\'s message', () => {
    const manifest = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'checkout' },
      spec: { hosts: ['checkout'], http: [{ route: [{ destination: { host: 'checkout' } }], timeout: '2s' }, { corsPolicy: { maxAge: '500us' } }] },
    };
    expect(celViolations(vs, manifest, '')).toEqual([
      { path: 'spec.http[1].corsPolicy.maxAge', rule: "duration(self) >= duration('1ms')", message: 'must be a valid duration greater than 1ms' },
    ]);
  });

  test('a duration that does not parse fails to evaluate, as kubectl reports it', () => {
    expect(celViolations(vs, { spec: { http: [{ timeout: '1d' }] } }, '')).toEqual([{
      path: 'spec.http[0].timeout',
      rule: "duration(self) >= duration('1ms')",
      message: "type conversion error from 'string' to 'google.protobuf.Duration' evaluating rule: must be a valid duration greater than 1ms",
    }]);
  });

  test('a "*" in a workloadSelector label value is one violation, at the label', () => {
    const manifest = { spec: { host: 'checkout', workloadSelector: { matchLabels: { app: '*', version: 'v1' } } } };
    expect(celViolations(dr, manifest, '')).toEqual([
      { path: 'spec.workloadSelector.matchLabels["app"]', rule: '!self.contains("*")', message: 'wildcard not allowed in label value match' },
    ]);
  });

  test('a "*" in a workloadSelector label key is one violation, at matchLabels', () => {
    const manifest = { spec: { host: 'checkout', workloadSelector: { matchLabels: { 'app*': 'checkout' } } } };
    expect(celViolations(dr, manifest, '')).toEqual([
      { path: 'spec.workloadSelector.matchLabels', rule: 'self.all(key, !key.contains("*"))', message: 'wildcard not allowed in label key match' },
    ]);
  });

  test('the path argument prefixes every path', () => {
    expect(celViolations(vs, { spec: { http: [{ timeout: '0s' }] } }, 'items[3]').map((v) => v.path)).toEqual(['items[3].spec.http[0].timeout']);
  });

  test('a correct DestinationRule, with every duration field set, has none', () => {
    const pool = { tcp: { connectTimeout: '1s', maxConnectionDuration: '1h', tcpKeepalive: { interval: '75s', time: '2h' } }, http: { idleTimeout: '5m' } };
    const policy = {
      connectionPool: pool,
      loadBalancer: { simple: 'LEAST_REQUEST', warmup: { duration: '30s' }, warmupDurationSecs: '30s' },
      outlierDetection: { interval: '10s', baseEjectionTime: '30s' },
      portLevelSettings: [{ port: { number: 8080 }, connectionPool: pool }],
    };
    const manifest = { spec: { host: 'checkout', trafficPolicy: policy, subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: policy }], workloadSelector: { matchLabels: { app: 'gateway' } } } };
    expect(celViolations(dr, manifest, '')).toEqual([]);
  });

  test('values of the wrong type, and nulls, are left to the schema layer', () => {
    expect(celViolations(vs, { spec: { http: [{ timeout: 5 }, { timeout: null }, 'x', { corsPolicy: [] }] } }, '')).toEqual([]);
    expect(celViolations(vs, { spec: { http: { timeout: '0s' } } }, '')).toEqual([]);
    expect(celViolations(dr, { spec: { workloadSelector: { matchLabels: { 'a*': 5 } } } }, '')).toEqual([]);
    expect(celViolations(vs, 'not a manifest', '')).toEqual([]);
  });
});

/** A one-kind schema with rules on spec, for the parts of Kubernetes' behaviour the imported CRDs do not use. */
function schemaWith(rules: object[], spec: object = {}): any {
  return {
    type: 'object',
    properties: {
      spec: {
        'type': 'object',
        'x-kubernetes-validations': rules,
        'properties': {
          port: { type: 'integer' },
          min: { type: 'integer' },
          max: { type: 'integer' },
          ratio: { type: 'number' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          ...spec,
        },
      },
    },
  };
}

describe('Kubernetes\' rules for messages, paths and errors', () => {
  test('integers are CEL ints, numbers doubles, and objects maps whose fields has() sees', () => {
    const schema = schemaWith([{ rule: 'self.port == 8080 && self.ratio > 0.5 && has(self.labels) && !has(self.min)', message: 'no' }]);
    expect(celViolations(schema, { spec: { port: 8080, ratio: 1, labels: {} } }, '')).toEqual([]);
    expect(celViolations(schema, { spec: { port: 8080, ratio: 1, labels: {}, min: 1 } }, '')).toEqual([{ path: 'spec', rule: expect.any(String), message: 'no' }]);
  });

  test('fields the schema does not know are pruned; nulls it does not allow are dropped', () => {
    const schema = schemaWith([{ rule: '!has(self.extra) && !has(self.port) && self.size() == 1', message: 'no' }]);
    expect(celViolations(schema, { spec: { extra: 1, port: null, min: 1 } }, '')).toEqual([]);
  });

  test('lists, int-or-string and schemaless values convert as Kubernetes decodes them', () => {
    const schema = schemaWith([
      { rule: 'self.ports.all(p, p > 0) && self.tags.size() == 2', message: 'lists' },
      { rule: 'self.any.n == 1 && self.any.l[0].k == 2 && self.any.f == 1.5 && self.any.s == "x"', message: 'schemaless' },
    ], {
      ports: { type: 'array', items: { type: 'integer' } },
      tags: { type: 'array', items: { type: 'string', nullable: true } },
      any: { 'x-kubernetes-preserve-unknown-fields': true },
      target: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-validations': [{ rule: 'type(self) == string', message: 'a name' }] },
    });
    const spec = { ports: [1, 2], tags: ['a', null], any: { n: 1, l: [{ k: 2 }], f: 1.5, s: 'x' }, target: 'http' };
    expect(celViolations(schema, { spec }, '')).toEqual([]);
    expect(celViolations(schema, { spec: { ...spec, target: 8080 } }, '')).toEqual([{ path: 'spec.target', rule: 'type(self) == string', message: 'a name' }]);
    expect(celViolations(schema, { spec: { ...spec, ports: [0] } }, '').map((v) => v.message)).toEqual(['lists']);
    // A value of the wrong type anywhere under a node keeps its rules from running: the schema layer reports it.
    expect(celViolations(schema, { spec: { ...spec, ports: ['a'] } }, '')).toEqual([]);
    expect(celViolations(schema, { spec: { ...spec, ports: [null] } }, '')).toEqual([]);
    expect(celViolations(schema, { spec: { ...spec, target: 1.5 } }, '')).toEqual([]);
  });

  test('a messageExpression makes the message', () => {
    const schema = schemaWith([{ rule: 'self.port <= 1024', messageExpression: '"port " + string(self.port) + " is not privileged"' }]);
    expect(celViolations(schema, { spec: { port: 8080 } }, '')).toEqual([{ path: 'spec', rule: 'self.port <= 1024', message: 'port 8080 is not privileged' }]);
  });

  test.each([
    ['is empty', '"  "'],
    ['has a line break', '"a\\nb"'],
    ['fails', 'string(self.missing)'],
  ])('a messageExpression that %s gives way to the message, or to Kubernetes\' default', (_, expression) => {
    const withMessage = schemaWith([{ rule: 'self.port <= 1024', messageExpression: expression, message: ' too high ' }]);
    expect(celViolations(withMessage, { spec: { port: 8080 } }, '')[0].message).toBe('too high');
    const without = schemaWith([{ rule: 'self.port <= 1024', messageExpression: expression }]);
    expect(celViolations(without, { spec: { port: 8080 } }, '')[0].message).toBe('failed rule: self.port <= 1024');
  });

  test('a messageExpression longer than 5 KiB gives way to the message', () => {
    const long = schemaWith([{ rule: 'self.port <= 1024', messageExpression: `"${'x'.repeat(5 * 1024 + 1)}"`, message: 'm' }]);
    expect(celViolations(long, { spec: { port: 8080 } }, '')[0].message).toBe('m');
    const limit = schemaWith([{ rule: 'self.port <= 1024', messageExpression: `"${'x'.repeat(5 * 1024)}"`, message: 'm' }]);
    expect(celViolations(limit, { spec: { port: 8080 } }, '')[0].message).toHaveLength(5 * 1024);
  });

  test('a fieldPath moves the report to the field it names: a property, or a map key', () => {
    const schema = schemaWith([
      { rule: 'self.min <= self.max', fieldPath: '.max', message: 'max below min' },
      { rule: "!('x' in self.labels)", fieldPath: ".labels['x']", message: 'no x' },
    ]);
    expect(celViolations(schema, { spec: { min: 2, max: 1, labels: { x: '1' } } }, '')).toEqual([
      { path: 'spec.max', rule: 'self.min <= self.max', message: 'max below min' },
      { path: 'spec.labels["x"]', rule: "!('x' in self.labels)", message: 'no x' },
    ]);
  });

  test('a rule that fails to evaluate is reported at its node, with the evaluator\'s error', () => {
    const schema = schemaWith([{ rule: 'self.port > 0', fieldPath: '.port' }]);
    expect(celViolations(schema, { spec: {} }, '')).toEqual([{ path: 'spec', rule: 'self.port > 0', message: expect.stringMatching(/key.*port.* evaluating rule: self\.port > 0$/i) }]);
  });

  test('duration() reads Go durations inside any expression', () => {
    const schema = schemaWith([{ rule: "duration(self.wait) + duration('1s') > duration('1.5s')", message: 'short' }], { wait: { type: 'string' } });
    expect(celViolations(schema, { spec: { wait: '0' } }, '')).toEqual([{ path: 'spec', rule: expect.any(String), message: 'short' }]);
    expect(celViolations(schema, { spec: { wait: '600μs' } }, '')).toEqual([{ path: 'spec', rule: expect.any(String), message: 'short' }]);
    expect(celViolations(schema, { spec: { wait: '1h' } }, '')).toEqual([]);
  });

  test('rules the checker cannot run are listed, and reported as unsupported, never skipped silently', () => {
    const schema = schemaWith([
      { rule: 'isURL(self.url)', message: 'not a URL' },
      { rule: 'self.port > 0', fieldPath: '.nope' },
      { rule: 'self.port > 0', fieldPath: '.port.x' },
      { rule: 'self.port == oldSelf.port', optionalOldSelf: true },
      { rule: 'true', messageExpression: 'self.port.nope()' },
    ], { url: { type: 'string' } });
    const problems = celRules(schema).map((r) => [r.schemaPath, r.problem]);
    expect(problems).toEqual([
      ['spec', expect.stringMatching(/^does not compile: found no matching overload for 'isURL\(/)],
      ['spec', 'has a fieldPath (.nope) that names no field of its schema'],
      ['spec', 'has a fieldPath (.port.x) that names no field of its schema'],
      ['spec', 'uses oldSelf with optionalOldSelf, which the checker does not support'],
      ['spec', expect.stringMatching(/^has a messageExpression that does not compile: /)],
    ]);
    const violations = celViolations(schema, { spec: { url: 'x', port: 1 } }, '');
    expect(violations.map((v) => [v.path, v.unsupported])).toEqual([['spec', true], ['spec', true], ['spec', true], ['spec', true], ['spec', true]]);
    expect(violations[0].message).toMatch(/^the checker cannot evaluate this rule: it does not compile/);
  });

  // Kubernetes gives CEL such strings as bytes, timestamps or durations: a rule on them, or on an object holding them.
  test.each([['byte', 'bytes'], ['date', 'timestamp'], ['date-time', 'timestamp'], ['duration', 'duration']])('a rule over a string of format %s is listed and unsupported', (format, type) => {
    const when = { 'type': 'string', format, 'x-kubernetes-validations': [{ rule: 'self != ""' }] };
    const schema = schemaWith([{ rule: 'has(self.when)' }], { when });
    const problem = `applies to a string of format "${format}", which Kubernetes gives CEL as a ${type}; the checker does not`;
    expect(celRules(schema).map((r) => [r.schemaPath, r.problem])).toEqual([['spec', problem], ['spec.when', problem]]);
    expect(celViolations(schema, { spec: { when: 'x' } }, '').map((v) => [v.path, v.unsupported])).toEqual([['spec', true], ['spec.when', true]]);
  });

  test('a transition rule is listed, and skipped as Kubernetes skips it on create', () => {
    const schema = schemaWith([{ rule: 'self.port == oldSelf.port', message: 'immutable' }]);
    expect(celRules(schema)).toEqual([{ schemaPath: 'spec', rule: 'self.port == oldSelf.port', problem: expect.stringMatching(/^is a transition rule/) }]);
    expect(celViolations(schema, { spec: { port: 1 } }, '')).toEqual([]);
  });

  test('a rule under allOf, anyOf or oneOf is listed as out of the walk\'s reach', () => {
    const schema = schemaWith([], { mode: { type: 'string', allOf: [{ 'x-kubernetes-validations': [{ rule: 'self != ""' }] }] } });
    expect(celRules(schema)).toEqual([{ schemaPath: 'spec.mode/allOf[0]', rule: 'self != ""', problem: expect.stringMatching(/where the checker does not look/) }]);
  });

  test('a rule must be a bool, a messageExpression a string; a dyn rule that is not true is broken', () => {
    expect(celRules(schemaWith([{ rule: '1 + 1' }]))[0].problem).toBe('has type int, not bool');
    expect(celRules(schemaWith([{ rule: 'self.port >' }]))[0].problem).toMatch(/^does not parse: /);
    expect(celRules(schemaWith([{ rule: 'true', messageExpression: '1' }]))[0].problem).toBe('has a messageExpression that has type int, not string');
    const dyn = schemaWith([{ rule: 'self.port' }]);
    expect(celRules(dyn)[0].problem).toBeUndefined();
    expect(celViolations(dyn, { spec: { port: 1 } }, '')).toEqual([{ path: 'spec', rule: 'self.port', message: 'failed rule: self.port' }]);
  });
});

describe('speed', () => {
  test('schemas and programs compile once per process, never per object', () => {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const bundled = require('../src/private/bundled') as typeof import('../src/private/bundled');
      const rules = require('../src/private/validation/cel-rules') as typeof import('../src/private/validation/cel-rules');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const parsing = jest.spyOn(bundled.celLibrary().Environment.prototype, 'parse');
      const dr = bundled.crdSchemas()['networking.istio.io/v1/DestinationRule'];
      const manifest = (maxAge: string) => ({ spec: { trafficPolicy: { outlierDetection: { interval: maxAge } }, workloadSelector: { matchLabels: { app: 'a' } } } });
      expect(rules.celViolations(dr, manifest('0s'), '')).toHaveLength(1);
      // 4 distinct expressions, the duration rule again with Go's duration(), and the program that makes durations.
      expect(parsing).toHaveBeenCalledTimes(6);
      parsing.mockClear();
      for (let i = 0; i < 50; i++) rules.celViolations(dr, manifest(`${i}ms`), '');
      expect(parsing).not.toHaveBeenCalled();
    });
  });
});

describe('what Gateway API\'s rules need from the API server', () => {
  const route = crdSchemas()[HTTP_ROUTE];

  test('property names that are CEL reserved words, or hold "__", ".", "-" or "/", are escaped as Kubernetes escapes them', () => {
    expect(['namespace', 'in', 'name', 'a__b', 'x.y', 'max-age', 'a/b'].map(celFieldName))
      .toEqual(['__namespace__', '__in__', 'name', 'a__underscores__b', 'x__dot__y', 'max__dash__age', 'a__slash__b']);
    const schema = schemaWith([{ rule: "self.__namespace__ == 'shop' && self.labels['max-age'] == '1'", message: 'no' }], { namespace: { type: 'string' } });
    // Map keys (additionalProperties) are not escaped; properties are.
    expect(celViolations(schema, { spec: { namespace: 'shop', labels: { 'max-age': '1' } } }, '')).toEqual([]);
    expect(celViolations(schema, { spec: { namespace: 'web', labels: { 'max-age': '1' } } }, '')).toHaveLength(1);
  });

  test('has() on any expression: the operand is evaluated, and an index out of range fails as in cel-go', () => {
    const schema = schemaWith([{ rule: 'has(self.items[0].port)', message: 'no port' }], { items: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } } });
    expect(celRules(schema)[0].problem).toBeUndefined();
    expect(celViolations(schema, { spec: { items: [{ port: 1 }] } }, '')).toEqual([]);
    expect(celViolations(schema, { spec: { items: [{}] } }, '')).toEqual([{ path: 'spec', rule: 'has(self.items[0].port)', message: 'no port' }]);
    expect(celViolations(schema, { spec: { items: [] } }, '')[0].message).toMatch(/ evaluating rule: no port$/);
  });

  test('the schema\'s defaults are filled in before the rules run, without changing the object', () => {
    const object = { spec: { rules: [{ backendRefs: [{ name: 'reviews-v2', port: 9080 }] }] } };
    const copy = JSON.parse(JSON.stringify(object));
    expect(withDefaults(route, object)).toEqual({
      spec: {
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: 'reviews-v2', port: 9080, group: '', kind: 'Service', weight: 1 }],
        }],
      },
    });
    expect(object).toEqual(copy);
    // A rule without matches gets the default one, a PathPrefix "/": a ReplacePrefixMatch rewrite is then valid.
    const rewrite = { spec: { rules: [{ filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } }], backendRefs: [{ name: 'reviews-v2', port: 9080 }] }] } };
    expect(celViolations(route, rewrite, '')).toEqual([]);
    // Istio's schemas set no default: their objects are returned as they are.
    const vs = { spec: { http: [{ timeout: '1s' }] } };
    expect(withDefaults(crdSchemas()['networking.istio.io/v1/VirtualService'], vs)).toBe(vs);
  });

  test('a backendRef to a Service without a port: one violation, at the backendRef, with the CRD\'s message', () => {
    const manifest = { spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews' }], rules: [{ backendRefs: [{ name: 'reviews-v1', port: 9080, weight: 95 }, { name: 'reviews-v2', weight: 5 }] }] } };
    expect(celViolations(route, manifest, '')).toEqual([
      { path: 'spec.rules[0].backendRefs[1]', rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true", message: 'Must have port for Service reference' },
    ]);
  });
});
