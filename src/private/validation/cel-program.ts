/**
 * CEL programs as the Kubernetes API server compiles a CRD's `x-kubernetes-validations`: `self` is declared with
 * the CEL type of its schema node, and the functions behave as cel-go's do. Each (type, expression) pair is
 * compiled once per process, however many objects are checked.
 *
 * The evaluator is @marcbachmann/cel-js (loaded from bundled/). Where it differs from cel-go on what the CRDs
 * of this package use, the difference is corrected here:
 * - `duration(string)`: cel-go parses with Go's `time.ParseDuration`, which accepts `0` and `μs` (Greek mu) and
 *   rejects `ms` without a number and durations past 2^63-1ns; cel-js's own parser does not. cel-js cannot
 *   replace a built-in overload, so each one-argument `duration(x)` call is rewritten to `_k8s_duration(x)`,
 *   which parses the Go way and returns cel-js's duration of the exact nanoseconds (or fails with cel-go's error).
 * - `has(e.f)`: cel-go takes any expression `e` (Gateway API's rules test `has(self.matches[0].path)`); cel-js
 *   only a chain of fields from a variable. Any other `has(e.f)` is rewritten to `_k8s_has(e, "f")`, which
 *   evaluates `e` (failing as cel-go does, e.g. on an index out of range) and tells whether the map has `f`.
 */
import type { ASTNode } from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import { parseDuration } from './values';
import { celLibrary } from '../bundled';

type Environment = InstanceType<ReturnType<typeof celLibrary>['Environment']>;

/** A compiled CEL program: run it with `self` bound; it throws when the evaluation fails. */
export type CelProgram = (self: unknown) => unknown;

/** A compiled program, or why the expression cannot be run. */
export type Compiled = { readonly program: CelProgram } | { readonly problem: string };

/** The problem of a rule that refers to `oldSelf`: Kubernetes runs it on updates only, and so never for a new object. */
export const TRANSITION_RULE = 'is a transition rule (it uses oldSelf), which Kubernetes runs only when an object is updated';

const GO_DURATION = '_k8s_duration';
const HAS_FIELD = '_k8s_has';
// cel-go's words when a string does not convert (kubectl shows them, followed by "evaluating rule: ...").
const DURATION_ERROR = "type conversion error from 'string' to 'google.protobuf.Duration'";

const environments = new Map<string, Environment>();
const programs = new Map<string, Compiled>();
// Durations already read: manifests repeat a few values ("1s", "30s") many times. Bounded, as values are user input.
const durations = new Map<string, unknown>();
const MAX_DURATIONS = 1024;
let exactDuration: ((context: { ns: string }) => unknown) | undefined;

/** The environment in which `self` has the CEL type `selfType` (e.g. `string`, `map<string, string>`). */
function environment(selfType: string): Environment {
  let env = environments.get(selfType);
  if (env === undefined) {
    // The API server's CEL allows mixed-type list and map literals and the optional-types syntax.
    env = new (celLibrary().Environment)({ homogeneousAggregateLiterals: false, enableOptionalTypes: true })
      .registerVariable('self', selfType)
      .registerFunction(`${GO_DURATION}(string): google.protobuf.Duration`, goDuration)
      .registerFunction(`${HAS_FIELD}(dyn, string): bool`, hasField);
    environments.set(selfType, env);
  }
  return env;
}

/** A duration string as cel-go reads it, as cel-js's duration value (made by cel-js from the exact nanoseconds). */
function goDuration(text: string): unknown {
  let duration = durations.get(text);
  if (duration === undefined) {
    const ns = parseDuration(text);
    if (ns === undefined) throw new Error(DURATION_ERROR);
    exactDuration ??= new (celLibrary().Environment)().registerVariable('ns', 'string').parse('duration(ns)');
    duration = exactDuration({ ns: `${ns}ns` });
    if (durations.size >= MAX_DURATIONS) durations.clear();
    durations.set(text, duration);
  }
  return duration;
}

/** `has(e.f)` on the value of `e`: a map (what objects become, see cel-rules.ts) has the field or not. */
function hasField(value: unknown, field: string): boolean {
  if (value instanceof Map) return value.has(field);
  throw new Error(`invalid type for field selection: ${field}`);
}

/**
 * Compiles `expression` with `self` of type `selfType`; `result` is the type it must have (`bool` for a rule,
 * `string` for a messageExpression). Cached: the same text of the same type compiles once.
 */
export function compileCel(expression: string, selfType: string, result: 'bool' | 'string'): Compiled {
  const key = `${selfType}\n${result}\n${expression}`;
  let compiled = programs.get(key);
  if (compiled === undefined) {
    compiled = compile(expression, selfType, result);
    programs.set(key, compiled);
  }
  return compiled;
}

function compile(expression: string, selfType: string, result: string): Compiled {
  try {
    const env = environment(selfType);
    let parsed = env.parse(expression);
    // The API server runs a transition rule only when an object is updated; the checker sees new objects.
    if (refersTo(parsed.ast, 'oldSelf')) return { problem: TRANSITION_RULE };
    const rewritten = withGoDurations(withFieldTests(parsed.ast));
    if (rewritten !== parsed.ast) parsed = env.parse(celLibrary().serialize(rewritten));
    const checked = parsed.check();
    if (!checked.valid) return { problem: `does not compile: ${firstLine(checked.error?.message)}` };
    // A dyn expression may still yield the right type; the API server's checker accepts it too.
    if (checked.type !== result && checked.type !== 'dyn') return { problem: `has type ${checked.type}, not ${result}` };
    return { program: (self) => parsed({ self }) };
  } catch (e) {
    return { problem: `does not parse: ${firstLine((e as Error).message)}` };
  }
}

function refersTo(node: unknown, name: string): boolean {
  if (Array.isArray(node)) return node.some((n) => refersTo(n, name));
  if (node === null || typeof node !== 'object' || !('op' in node)) return false;
  const { op, args } = node as ASTNode;
  return op === 'id' ? args === name : refersTo(args, name);
}

/**
 * The tree with each one-argument call of `name` replaced by `replace(call, argument)` where that returns a node
 * (undefined keeps the call); the same tree, object for object, where nothing is replaced.
 */
function withCalls(node: ASTNode, name: string, replace: (call: ASTNode, argument: ASTNode) => ASTNode | undefined): ASTNode {
  const rewrite = (n: unknown): unknown => {
    if (Array.isArray(n)) {
      const out = n.map(rewrite);
      return out.some((x, i) => x !== n[i]) ? out : n;
    }
    if (n === null || typeof n !== 'object' || !('op' in n)) return n;
    const { op, args } = n as ASTNode;
    const inner = rewrite(args) as ASTNode['args'];
    const call = (inner === args ? n : { ...n, args: inner }) as ASTNode;
    if (op !== 'call') return call;
    const [callee, callArgs] = inner as [string, ASTNode[]];
    return callee === name && callArgs.length === 1 ? replace(call, callArgs[0]) ?? call : call;
  };
  return rewrite(node) as ASTNode;
}

/** The tree with every one-argument `duration(x)` call turned into `_k8s_duration(x)`. */
function withGoDurations(node: ASTNode): ASTNode {
  return withCalls(node, 'duration', (call, argument) => ({ ...call, args: [GO_DURATION, [argument]] }) as ASTNode);
}

/** The tree with each `has(e.f)` whose `e` is not a chain of fields from a variable turned into `_k8s_has(e, "f")`. */
function withFieldTests(node: ASTNode): ASTNode {
  return withCalls(node, 'has', (call, selection) => {
    if (selection.op !== '.' || isFieldChain(selection)) return undefined;
    const [operand, field] = selection.args as [ASTNode, string];
    return { ...call, args: [HAS_FIELD, [operand, { ...selection, op: 'value', args: field }]] } as ASTNode;
  });
}

// `a.b.c`: what cel-js's has() accepts.
function isFieldChain(node: ASTNode): boolean {
  let at: ASTNode = node;
  while (at.op === '.' || at.op === '.?') at = (at.args as [ASTNode, string])[0];
  return at.op === 'id';
}

/** The first line of an evaluator's message (cel-js appends the expression with a caret on the next lines). */
export function firstLine(message: string | undefined): string {
  return (message ?? 'unknown error').split('\n')[0];
}
