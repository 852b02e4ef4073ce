/**
 * The CRDs' CEL rules (`x-kubernetes-validations`), run the way the Kubernetes API server runs them when an
 * object is created: each rule with `self` bound to the value of its schema node, converted to CEL types by the
 * schema; a rule that is not true is reported with its `message` (or `messageExpression`, or Kubernetes' default
 * "failed rule: ..."), at its node's field or at its `fieldPath`; a rule that fails to evaluate is reported
 * with Kubernetes' "<error> evaluating rule: <message>".
 *
 * A schema is planned once per process (a WeakMap on the schema object): its rules are compiled, and the walk
 * of an object visits only the parts of the schema that lead to a rule.
 */
import { compileCel, CelProgram, firstLine, TRANSITION_RULE } from './cel-program';
import { entryPath } from './report';
import { withDefaults } from './schema-defaults';
import { utf8Length } from './values';
import { isPlain } from '../json-values';

/** A rule that an object breaks (or that could not be run on it). */
export interface CelViolation {
  /** The field, in the checker's form: `spec.http[0].corsPolicy.maxAge`, `spec.workloadSelector.matchLabels["app"]`. */
  readonly path: string;
  /** What Kubernetes would say about the field. */
  readonly message: string;
  /** The rule's CEL expression. */
  readonly rule: string;
  /** Set when the checker cannot evaluate the rule (see celRules): a gap of the checker, not a fault of the object. */
  readonly unsupported?: boolean;
}

/** A rule of a schema, where it sits, and why the checker cannot run it, if it cannot. */
export interface CelRuleInfo {
  /** The rule's node: `spec.http[].timeout` (`[]` a list's items, `{}` a map's values, `/allOf[0]` and such off the walk). */
  readonly schemaPath: string;
  readonly rule: string;
  readonly problem?: string;
}

/** One entry of `x-kubernetes-validations`. */
interface RuleSpec {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf?: boolean;
}

interface PlannedRule {
  readonly spec: RuleSpec;
  readonly program?: CelProgram;
  readonly messageProgram?: CelProgram;
  readonly problem?: string;
  /** Where a false result is reported, relative to the node, in the checker's form (`.spec.port`, `["key"]`), or ''. */
  readonly at: string;
  /** Outcomes by scalar `self` (see outcomeFor). */
  readonly outcomes: Map<unknown, Outcome>;
}

/** What one run of a rule found: nothing (PASSED), or the message and whether it is at the rule's fieldPath. */
type Outcome = typeof PASSED | { readonly message: string; readonly atFieldPath: boolean };

const PASSED: unique symbol = Symbol('passed');
// Outcomes kept per rule: manifests repeat a few scalar values ("10s", "3s") many times. Bounded, as values are user input.
const MAX_OUTCOMES = 1024;

interface PlanNode {
  readonly schema: any;
  readonly rules: PlannedRule[];
  readonly properties: [string, PlanNode][];
  readonly items?: PlanNode;
  readonly values?: PlanNode;
}

interface Plan {
  readonly root?: PlanNode;
  readonly rules: CelRuleInfo[];
}

/** celValue's answer for a value that does not have its schema's type (the schema layer reports it). */
export const MISMATCH: unique symbol = Symbol('mismatch');

// Kubernetes' limit on the length of a messageExpression's result (MaxEvaluatedMessageExpressionSizeBytes).
const MAX_MESSAGE_BYTES = 5 * 1024;
// String formats that Kubernetes hands to CEL as another type than string.
const TYPED_FORMATS: { readonly [format: string]: string } = { 'byte': 'bytes', 'date': 'timestamp', 'date-time': 'timestamp', 'duration': 'duration' };

const plans = new WeakMap<object, Plan>();

/**
 * What the CEL rules of `schema` (a kind's OpenAPI schema) find in `value` (an object of that kind). `path` is
 * the object's own field path, '' for a whole manifest. Values of the wrong type are skipped, with what lies
 * under them: the schema layer reports those.
 */
export function celViolations(schema: any, value: unknown, path: string): CelViolation[] {
  const out: CelViolation[] = [];
  const root = plan(schema).root;
  // Kubernetes fills in the schema's defaults before it runs the rules.
  if (root !== undefined) walk(root, withDefaults(schema, value), path, out);
  return out;
}

/** Every rule of `schema`, in schema order, with the reason the checker cannot run it, if any. */
export function celRules(schema: any): CelRuleInfo[] {
  return plan(schema).rules;
}

/**
 * One rule on one value of its node's schema, as celViolations runs it: true, false, or the evaluator's error.
 * For tests that compare evaluators; the rule must be one the checker can run.
 */
export function celRuleOutcome(nodeSchema: any, rule: string, value: unknown): boolean | { readonly error: string } {
  const compiled = compileCel(rule, celType(nodeSchema), 'bool');
  if ('problem' in compiled) throw new Error(`the rule ${rule} ${compiled.problem}`);
  try {
    return compiled.program(celValue(nodeSchema, withDefaults(nodeSchema, value))) === true;
  } catch (e) {
    return { error: firstLine((e as Error).message) };
  }
}

function plan(schema: any): Plan {
  let p = plans.get(schema);
  if (p === undefined) {
    const rules: CelRuleInfo[] = [];
    const reached = new Set<object>();
    const root = planNode(schema, '', rules, reached);
    rules.push(...offWalk(schema, '', reached));
    p = { root, rules };
    plans.set(schema, p);
  }
  return p;
}

function planNode(schema: any, schemaPath: string, infos: CelRuleInfo[], reached: Set<object>): PlanNode | undefined {
  if (!isPlain(schema)) return undefined;
  reached.add(schema);
  const rules = ruleSpecs(schema).map((spec) => {
    const planned = planRule(schema, spec);
    infos.push({ schemaPath, rule: spec.rule, ...(planned.problem !== undefined ? { problem: planned.problem } : {}) });
    return planned;
  });
  const properties: [string, PlanNode][] = [];
  for (const [name, child] of Object.entries(isPlain(schema.properties) ? schema.properties : {})) {
    const node = planNode(child, join(schemaPath, name), infos, reached);
    if (node !== undefined) properties.push([name, node]);
  }
  const items = planNode(schema.items, `${schemaPath}[]`, infos, reached);
  const values = planNode(schema.additionalProperties, `${schemaPath}{}`, infos, reached);
  if (rules.length === 0 && properties.length === 0 && items === undefined && values === undefined) return undefined;
  return { schema, rules, properties, items, values };
}

function ruleSpecs(schema: any): RuleSpec[] {
  const list = schema['x-kubernetes-validations'];
  return Array.isArray(list) ? list : [];
}

function planRule(schema: any, spec: RuleSpec): PlannedRule {
  const failed = (problem: string): PlannedRule => ({ spec, problem, at: '', outcomes: new Map() });
  const format = typedFormat(schema);
  if (format !== undefined) return failed(`applies to a string of format "${format}", which Kubernetes gives CEL as a ${TYPED_FORMATS[format]}; the checker does not`);
  const type = celType(schema);
  const compiled = compileCel(spec.rule, type, 'bool');
  if ('problem' in compiled) {
    return failed(compiled.problem === TRANSITION_RULE && spec.optionalOldSelf ? 'uses oldSelf with optionalOldSelf, which the checker does not support' : compiled.problem);
  }
  let messageProgram: CelProgram | undefined;
  if (spec.messageExpression !== undefined) {
    const message = compileCel(spec.messageExpression, type, 'string');
    if ('problem' in message) return failed(`has a messageExpression that ${message.problem}`);
    messageProgram = message.program;
  }
  const at = spec.fieldPath === undefined ? '' : fieldPathSuffix(spec.fieldPath, schema);
  if (at === undefined) return failed(`has a fieldPath (${spec.fieldPath}) that names no field of its schema`);
  return { spec, program: compiled.program, messageProgram, at, outcomes: new Map() };
}

/** Rules the walk never reaches (under allOf, anyOf, oneOf, not): listed, so none goes unnoticed. */
function offWalk(node: unknown, path: string, reached: Set<object>): CelRuleInfo[] {
  if (!isPlain(node)) return [];
  const out: CelRuleInfo[] = reached.has(node) ? [] : ruleSpecs(node).map((spec) => ({
    schemaPath: path,
    rule: spec.rule,
    problem: 'sits where the checker does not look for rules (it follows properties, items and additionalProperties)',
  }));
  for (const [key, child] of Object.entries(node)) {
    if (key === 'x-kubernetes-validations') continue;
    if (key === 'properties' && isPlain(child)) {
      for (const [name, property] of Object.entries(child)) out.push(...offWalk(property, join(path, name), reached));
    } else if (key === 'items') {
      out.push(...offWalk(child, `${path}[]`, reached));
    } else if (key === 'additionalProperties') {
      out.push(...offWalk(child, `${path}{}`, reached));
    } else if (Array.isArray(child)) {
      child.forEach((c, i) => out.push(...offWalk(c, `${path}/${key}[${i}]`, reached)));
    } else {
      out.push(...offWalk(child, `${path}/${key}`, reached));
    }
  }
  return out;
}

function walk(node: PlanNode, value: unknown, path: string, out: CelViolation[]): void {
  // Kubernetes runs no rule on a null value; a value of another type is the schema layer's to report.
  if (value === null || value === undefined || !hasType(node.schema, value)) return;
  if (node.rules.length > 0) {
    const self = celValue(node.schema, value);
    if (self !== MISMATCH) for (const rule of node.rules) run(rule, self, path, out);
  }
  if (node.items !== undefined && Array.isArray(value)) {
    value.forEach((item, i) => walk(node.items!, item, `${path}[${i}]`, out));
  }
  if (!isPlain(value)) return;
  for (const [name, child] of node.properties) {
    if (Object.prototype.hasOwnProperty.call(value, name)) walk(child, value[name], join(path, name), out);
  }
  if (node.values !== undefined) {
    for (const [key, item] of Object.entries(value)) walk(node.values, item, entryPath(path, key), out);
  }
}

function run(rule: PlannedRule, self: unknown, path: string, out: CelViolation[]): void {
  const { spec } = rule;
  if (rule.program === undefined) {
    // A transition rule is skipped, as Kubernetes skips it on create; celRules lists it.
    if (rule.problem !== TRANSITION_RULE) out.push({ path, rule: spec.rule, message: `the checker cannot evaluate this rule: it ${rule.problem}`, unsupported: true });
    return;
  }
  const outcome = outcomeFor(rule, self);
  if (outcome === PASSED) return;
  out.push({ path: outcome.atFieldPath ? joinSuffix(path, rule.at) : path, rule: spec.rule, message: outcome.message });
}

/**
 * The rule's outcome on `self`. CEL has no side effects, so on a scalar (a string, int, double or bool, which is
 * `self` itself) the outcome is computed once per value; maps and lists are evaluated each time.
 */
function outcomeFor(rule: PlannedRule, self: unknown): Outcome {
  const scalar = self === null || typeof self !== 'object';
  let outcome = scalar ? rule.outcomes.get(self) : undefined;
  if (outcome === undefined) {
    outcome = evaluate(rule, self);
    if (scalar) {
      if (rule.outcomes.size >= MAX_OUTCOMES) rule.outcomes.clear();
      rule.outcomes.set(self, outcome);
    }
  }
  return outcome;
}

function evaluate(rule: PlannedRule, self: unknown): Outcome {
  let result: unknown;
  try {
    result = rule.program!(self);
  } catch (e) {
    return { message: `${firstLine((e as Error).message)} evaluating rule: ${ruleErrorString(rule.spec)}`, atFieldPath: false };
  }
  return result === true ? PASSED : { message: messageOf(rule, self), atFieldPath: true };
}

/** The messageExpression's value when it makes a usable message (Kubernetes' conditions), else the message or the default. */
function messageOf(rule: PlannedRule, self: unknown): string {
  if (rule.messageProgram !== undefined) {
    try {
      const text = rule.messageProgram(self);
      if (typeof text === 'string') {
        const trimmed = text.trim();
        if (trimmed !== '' && !trimmed.includes('\n') && utf8Length(trimmed) <= MAX_MESSAGE_BYTES) return trimmed;
      }
    } catch {
      // Kubernetes logs the failure and falls back to the message.
    }
  }
  const message = rule.spec.message ?? '';
  return message === '' ? `failed rule: ${ruleErrorString(rule.spec)}` : message.trim();
}

function ruleErrorString(spec: RuleSpec): string {
  return spec.message ? spec.message.trim() : spec.rule.trim();
}

/**
 * A rule's fieldPath (`.spec.port`, `['a.b']`, relative to the rule's node) in the checker's form, resolved
 * against the schema the way Kubernetes resolves it: a name is a property where the node has properties, a
 * map key where it has additionalProperties. Undefined when it names no field.
 */
function fieldPathSuffix(fieldPath: string, schema: any): string | undefined {
  let suffix = '';
  let node = schema;
  let rest = fieldPath;
  while (rest !== '') {
    const m = /^\.([^.[\]]+)/.exec(rest) ?? /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
    if (m === null || !isPlain(node)) return undefined;
    const name = m[1].replace(/\\(['\\])/g, '$1');
    rest = rest.slice(m[0].length);
    if (isPlain(node.properties)) {
      if (!Object.prototype.hasOwnProperty.call(node.properties, name)) return undefined;
      suffix += `.${name}`;
      node = node.properties[name];
    } else if (isPlain(node.additionalProperties)) {
      suffix = entryPath(suffix, name);
      node = node.additionalProperties;
    } else {
      return undefined;
    }
  }
  return suffix;
}

/** The CEL type Kubernetes declares `self` with at a node of this schema. */
export function celType(schema: any): string {
  if (schema['x-kubernetes-int-or-string']) return 'dyn';
  switch (schema.type) {
    case 'string': return 'string';
    case 'integer': return 'int';
    case 'number': return 'double';
    case 'boolean': return 'bool';
    case 'array': return `list<${isPlain(schema.items) ? celType(schema.items) : 'dyn'}>`;
    case 'object':
      if (isPlain(schema.additionalProperties)) return `map<string, ${celType(schema.additionalProperties)}>`;
      // An object with properties: a map of its fields works for `self.x` and `has(self.x)`.
      return 'map<string, dyn>';
    default: return 'dyn';
  }
}

/** The first string format under a node that Kubernetes converts to another CEL type, if any. */
function typedFormat(schema: any): string | undefined {
  if (!isPlain(schema)) return undefined;
  if (schema.type === 'string' && typeof schema.format === 'string' && TYPED_FORMATS[schema.format] !== undefined) return schema.format;
  const children = [schema.items, schema.additionalProperties, ...Object.values(isPlain(schema.properties) ? schema.properties : {})];
  for (const child of children) {
    const format = typedFormat(child);
    if (format !== undefined) return format;
  }
  return undefined;
}

/**
 * A JSON value as Kubernetes hands it to CEL under this schema: integers become int (BigInt), maps and objects
 * become Maps, fields the schema does not know are pruned, and nulls it does not allow are dropped. MISMATCH when
 * a value somewhere does not have its schema's type.
 */
export function celValue(schema: any, value: unknown): unknown {
  if (schema['x-kubernetes-int-or-string']) return Number.isInteger(value) ? BigInt(value as number) : typeof value === 'string' ? value : MISMATCH;
  switch (schema.type) {
    case 'string': return typeof value === 'string' ? value : MISMATCH;
    case 'integer': return Number.isInteger(value) ? BigInt(value as number) : MISMATCH;
    case 'number': return typeof value === 'number' && Number.isFinite(value) ? value : MISMATCH;
    case 'boolean': return typeof value === 'boolean' ? value : MISMATCH;
    case 'array': return Array.isArray(value) ? listValue(isPlain(schema.items) ? schema.items : {}, value) : MISMATCH;
    case 'object': return isPlain(value) ? mapValue(schema, value) : MISMATCH;
    default: return dynValue(value);
  }
}

function listValue(items: any, list: unknown[]): unknown {
  const out: unknown[] = [];
  for (const item of list) {
    const v = item === null && items.nullable === true ? null : celValue(items, item);
    if (v === MISMATCH) return MISMATCH;
    out.push(v);
  }
  return out;
}

function mapValue(schema: any, object: { [key: string]: unknown }): unknown {
  const out = new Map<string, unknown>();
  const properties = isPlain(schema.properties) ? schema.properties : undefined;
  const values = isPlain(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const keepUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  for (const [key, v] of Object.entries(object)) {
    const isProperty = properties !== undefined && Object.prototype.hasOwnProperty.call(properties, key);
    const child = isProperty ? properties[key] : values;
    if (child === undefined) {
      if (keepUnknown) out.set(key, dynValue(v));
      continue;
    }
    // A property is seen under its escaped name (`namespace` as `__namespace__`); a map key as it is.
    const name = isProperty ? celFieldName(key) : key;
    if (v === null) {
      if (child.nullable === true) out.set(name, null);
      continue;
    }
    const converted = celValue(child, v);
    if (converted === MISMATCH) return MISMATCH;
    out.set(name, converted);
  }
  return out;
}

// CEL's reserved words, which Kubernetes escapes in property names (apiserver/pkg/cel's escaping).
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/**
 * The name a rule uses for a property: Kubernetes escapes a reserved word as `__word__`, and `__`, `.`, `-`
 * and `/` in a name as `__underscores__`, `__dot__`, `__dash__` and `__slash__` (Gateway API's parentRefs rules
 * read `p.__namespace__`).
 */
export function celFieldName(name: string): string {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/__|[.\-/]/.test(name)) return name;
  return name.replace(/__|[.\-/]/g, (m) => (m === '__' ? '__underscores__' : m === '.' ? '__dot__' : m === '-' ? '__dash__' : '__slash__'));
}

/** A value without a schema (x-kubernetes-preserve-unknown-fields), typed as Kubernetes decodes JSON. */
function dynValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(dynValue);
  if (isPlain(value)) return new Map(Object.entries(value).map(([k, v]) => [k, dynValue(v)]));
  return value;
}

/** Whether a value has the node's own type (what lies under it is checked when it is converted). */
function hasType(schema: any, value: unknown): boolean {
  if (schema['x-kubernetes-int-or-string']) return Number.isInteger(value) || typeof value === 'string';
  switch (schema.type) {
    case 'string': return typeof value === 'string';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return isPlain(value);
    default: return true;
  }
}


function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function joinSuffix(path: string, suffix: string): string {
  return path === '' && suffix.startsWith('.') ? suffix.slice(1) : path + suffix;
}
