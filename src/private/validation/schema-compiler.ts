/**
 * Compiles a rewritten CRD schema (structural-schema.ts `toJsonSchema`: JSON Schema draft 4, the keywords the
 * CRDs use) into plain checking closures, once per schema. An interpreter walks the schema's keywords for every
 * object; here each node's keywords become a short list of closures and its properties a Map, so checking a valid
 * object is one walk of the object with no allocation (issue 16: this layer was the bottleneck of `check`).
 *
 * A check runs in one of two modes: without `out` it answers whether the value is valid and stops at the first
 * problem (the fast path, and how the alternatives of oneOf, anyOf and not are tried); with `out` it records every
 * problem, in the order a draft-4 validator that reports all errors finds them, at the field paths the checker
 * prints. Only a value that fails the fast path is checked again to report.
 *
 * A keyword the CRDs do not use (uniqueItems, tuple items, formats other than the two below) is
 * refused when compiling, so a new schema that needs one fails loudly in the tests instead of passing unchecked.
 */
import { entryPath } from './report';
import { BYTE_FORMAT, isBase64, isDateTime } from './structural-schema';

/** A problem with a value: the keyword it breaks, the schema node that holds the keyword, the field and the value. */
export interface Violation {
  /** A validation keyword (`type`, `enum`, `required`, `oneOf`, `minimum`...), or `false` for a field the schema does not define. */
  readonly keyword: string;
  /** The node of the rewritten schema that holds the keyword (for `false`, the object's node, whose properties are the known fields). */
  readonly node: any;
  /** The field, in the checker's form (`spec.http[0].route`, `...headers["x-canary"]`). */
  readonly field: string;
  /** The value at the field. */
  readonly value: unknown;
  /** For `false`: the name of the unknown field. */
  readonly key?: string;
}

/** Checks a value; without `out` it answers validity only, with `out` it records every violation there. */
export type Check = (value: any, field: string, out: Violation[] | undefined) => boolean;

const KNOWN = new Set(['type', 'enum', 'required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength',
  'pattern', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'format', 'oneOf', 'anyOf', 'allOf', 'not', 'items', 'properties',
  'additionalProperties']);

const FORMATS: { readonly [format: string]: (value: string) => boolean } = { [BYTE_FORMAT]: isBase64, 'date-time': isDateTime };

/** The checking function of a rewritten schema. */
export function compileSchema(schema: any): Check {
  return compileNode(schema, true);
}

/**
 * `reported` is false under oneOf, anyOf and not, whose alternatives are only tried: what fails inside them is
 * reported as the combinator's own violation. allOf's parts are reported as the node's own.
 */
function compileNode(schema: any, reported: boolean): Check {
  if (schema === true || (schema !== null && typeof schema === 'object' && Object.keys(schema).length === 0)) return () => true;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) throw new Error(`schema compiler: not a schema: ${JSON.stringify(schema)}`);
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`schema compiler: unsupported keyword(s) ${unknown.join(', ')}`);

  // In the order a draft-4 validator reports: the node's own keywords, then those of the value's JSON type.
  const checks: Check[] = [];
  if (schema.type !== undefined) checks.push(typeCheck(schema));
  if (schema.enum !== undefined) checks.push(enumCheck(schema));
  if (schema.not !== undefined) {
    const not = compileNode(schema.not, false);
    checks.push((v, field, out) => !not(v, '', undefined) || fail(out, 'not', schema, field, v));
  }
  if (schema.anyOf !== undefined) {
    const alternatives: Check[] = schema.anyOf.map((s: any) => compileNode(s, false));
    checks.push((v, field, out) => alternatives.some((alt) => alt(v, '', undefined)) || fail(out, 'anyOf', schema, field, v));
  }
  if (schema.allOf !== undefined) {
    // Their violations are at this node's value, so their parts must not descend into fields (none of the CRDs' do).
    if (schema.allOf.some((s: any) => s.properties !== undefined || s.items !== undefined || s.additionalProperties !== undefined)) {
      throw new Error('schema compiler: allOf parts with properties, items or additionalProperties are not supported');
    }
    const parts: Check[] = schema.allOf.map((s: any) => compileNode(s, reported));
    checks.push(all(parts));
  }
  if (schema.oneOf !== undefined) {
    const alternatives: Check[] = schema.oneOf.map((s: any) => compileNode(s, false));
    checks.push((v, field, out) => {
      let matches = 0;
      for (const alt of alternatives) if (alt(v, '', undefined)) matches++;
      return matches === 1 || fail(out, 'oneOf', schema, field, v);
    });
  }
  const object = objectChecks(schema, reported);
  const array = arrayChecks(schema, reported);
  const number = numberChecks(schema);
  const string = stringChecks(schema);
  if (object !== undefined || array !== undefined || number !== undefined || string !== undefined) {
    checks.push((v, field, out) => {
      const byType = typeof v === 'string' ? string : typeof v === 'number' ? number
        : v === null || typeof v !== 'object' ? undefined : Array.isArray(v) ? array : object;
      return byType === undefined || byType(v, field, out);
    });
  }
  return all(checks);
}

/** Runs every check; without `out`, stops at the first that fails. */
function all(checks: Check[]): Check {
  if (checks.length === 1) return checks[0];
  return (v, field, out) => {
    let valid = true;
    for (const check of checks) {
      if (!check(v, field, out)) {
        if (out === undefined) return false;
        valid = false;
      }
    }
    return valid;
  };
}

/** Records a violation (when reporting) and answers false. */
function fail(out: Violation[] | undefined, keyword: string, node: any, field: string, value: unknown, key?: string): false {
  out?.push(key === undefined ? { keyword, node, field, value } : { keyword, node, field, value, key });
  return false;
}

const IS_TYPE: { readonly [type: string]: (v: any) => boolean } = {
  string: (v) => typeof v === 'string',
  integer: (v) => typeof v === 'number' && v % 1 === 0,
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  null: (v) => v === null,
};

function typeCheck(schema: any): Check {
  const tests = (Array.isArray(schema.type) ? schema.type : [schema.type]).map((t: string) => {
    if (IS_TYPE[t] === undefined) throw new Error(`schema compiler: unknown type ${t}`);
    return IS_TYPE[t];
  });
  const is = tests.length === 1 ? tests[0] : (v: any) => tests.some((t: (x: any) => boolean) => t(v));
  return (v, field, out) => is(v) || fail(out, 'type', schema, field, v);
}

function enumCheck(schema: any): Check {
  // The CRDs' enumerations are of scalars: a mapping or a list is never one of them.
  if (schema.enum.some((e: unknown) => e !== null && typeof e === 'object')) throw new Error('schema compiler: enum values must be scalars');
  const values = new Set(schema.enum);
  return (v, field, out) => ((v === null || typeof v !== 'object') && values.has(v)) || fail(out, 'enum', schema, field, v);
}

function objectChecks(schema: any, reported: boolean): Check | undefined {
  const checks: Check[] = [];
  const required: string[] | undefined = schema.required;
  if (required !== undefined && required.length > 0) {
    // One violation names every missing field (schema-check.ts lists them).
    checks.push((v, field, out) => required.every((name) => hasOwn(v, name)) || fail(out, 'required', schema, field, v));
  }
  if (schema.minProperties !== undefined) {
    checks.push((v, field, out) => Object.keys(v).length >= schema.minProperties || fail(out, 'minProperties', schema, field, v));
  }
  if (schema.maxProperties !== undefined) {
    checks.push((v, field, out) => Object.keys(v).length <= schema.maxProperties || fail(out, 'maxProperties', schema, field, v));
  }
  // The object's own keywords; the checks of its fields follow.
  const ownChecks = [...checks];
  const properties = new Map<string, Check>();
  for (const name of Object.keys(schema.properties ?? {})) properties.set(name, compileNode(schema.properties[name], reported));
  if (properties.size > 0) {
    const entries = [...properties];
    checks.push((v, field, out) => {
      let valid = true;
      // In the schema's order, as the validator this replaces reported them.
      for (const [name, check] of entries) {
        if (!hasOwn(v, name)) continue;
        if (!check(v[name], out === undefined ? '' : field === '' ? name : `${field}.${name}`, out)) {
          if (out === undefined) return false;
          valid = false;
        }
      }
      return valid;
    });
  }
  const extra = schema.additionalProperties;
  const closed = extra === false;
  const entry = extra !== undefined && extra !== true && extra !== false ? compileNode(extra, reported) : undefined;
  if (closed) {
    if (!reported) throw new Error('schema compiler: additionalProperties: false under oneOf, anyOf or not is not supported');
    checks.push((v, field, out) => {
      let valid = true;
      for (const key in v) {
        if (properties.has(key)) continue;
        if (out === undefined) return false;
        valid = fail(out, 'false', schema, field === '' ? key : `${field}.${key}`, v[key], key);
      }
      return valid;
    });
  } else if (entry !== undefined) {
    checks.push((v, field, out) => {
      let valid = true;
      for (const key in v) {
        if (properties.has(key)) continue;
        if (!entry(v[key], out === undefined ? '' : entryPath(field, key), out)) {
          if (out === undefined) return false;
          valid = false;
        }
      }
      return valid;
    });
  }
  if (checks.length === 0) return undefined;
  const reporting = all(checks);
  const own = all(ownChecks);
  // The fast path looks at the fields the value has, once each, rather than at every property the schema
  // defines (dozens, where a value sets a few) and then again at the value's keys for the unknown ones.
  return (v, field, out) => {
    if (out !== undefined) return reporting(v, field, out);
    if (!own(v, field, undefined)) return false;
    for (const key in v) {
      const check = properties.get(key) ?? entry;
      if (check === undefined ? closed : !check(v[key], '', undefined)) return false;
    }
    return true;
  };
}

function arrayChecks(schema: any, reported: boolean): Check | undefined {
  const checks: Check[] = [];
  if (schema.maxItems !== undefined) checks.push((v, field, out) => v.length <= schema.maxItems || fail(out, 'maxItems', schema, field, v));
  if (schema.minItems !== undefined) checks.push((v, field, out) => v.length >= schema.minItems || fail(out, 'minItems', schema, field, v));
  if (schema.items !== undefined) {
    if (Array.isArray(schema.items)) throw new Error('schema compiler: tuple items are not supported');
    const item = compileNode(schema.items, reported);
    checks.push((v, field, out) => {
      let valid = true;
      for (let i = 0; i < v.length; i++) {
        if (!item(v[i], out === undefined ? '' : `${field}[${i}]`, out)) {
          if (out === undefined) return false;
          valid = false;
        }
      }
      return valid;
    });
  }
  return checks.length === 0 ? undefined : all(checks);
}

function numberChecks(schema: any): Check | undefined {
  const checks: Check[] = [];
  // Draft 4: exclusiveMinimum and exclusiveMaximum are booleans that make the bound exclusive.
  const { minimum, maximum } = schema;
  if (minimum !== undefined) {
    const exclusive = schema.exclusiveMinimum === true;
    checks.push((v, field, out) => (exclusive ? v > minimum : v >= minimum) || fail(out, 'minimum', schema, field, v));
  }
  if (maximum !== undefined) {
    const exclusive = schema.exclusiveMaximum === true;
    checks.push((v, field, out) => (exclusive ? v < maximum : v <= maximum) || fail(out, 'maximum', schema, field, v));
  }
  if (schema.multipleOf !== undefined) {
    const divisor = schema.multipleOf;
    checks.push((v, field, out) => isMultipleOf(v, divisor) || fail(out, 'multipleOf', schema, field, v));
  }
  return checks.length === 0 ? undefined : all(checks);
}

/** Whether `value` is a whole multiple of `divisor`, exactly as written in decimal (0.3 is a multiple of 0.1). */
function isMultipleOf(value: number, divisor: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(divisor) || divisor <= 0) return false;
  if (Number.isInteger(value) && Number.isInteger(divisor) && Number.isSafeInteger(value)) return value % divisor === 0;
  const [a, aExp] = asDecimal(value);
  const [b, bExp] = asDecimal(divisor);
  // Bring both to the smaller exponent, then compare as integers.
  const scale = (n: bigint, by: number) => n * 10n ** BigInt(by);
  return aExp >= bExp ? scale(a, aExp - bExp) % b === 0n : a % scale(b, bExp - aExp) === 0n;
}

/** A number as an integer and a power of ten, from its shortest decimal form (`1.5e-7` is [15n, -8]). */
function asDecimal(n: number): [bigint, number] {
  const [mantissa, exponent = '0'] = Math.abs(n).toString().split('e');
  const point = mantissa.indexOf('.');
  const fraction = point === -1 ? 0 : mantissa.length - point - 1;
  return [BigInt(mantissa.replace('.', '')), Number(exponent) - fraction];
}

function stringChecks(schema: any): Check | undefined {
  const checks: Check[] = [];
  const { minLength, maxLength } = schema;
  // Lengths count code points (a surrogate pair is one character), as JSON Schema does.
  if (minLength !== undefined) {
    checks.push((v, field, out) => (v.length >= minLength && codePoints(v) >= minLength) || fail(out, 'minLength', schema, field, v));
  }
  if (maxLength !== undefined) {
    checks.push((v, field, out) => (v.length <= maxLength || codePoints(v) <= maxLength) || fail(out, 'maxLength', schema, field, v));
  }
  if (schema.pattern !== undefined) {
    const pattern = regExpOf(schema.pattern);
    checks.push((v, field, out) => pattern.test(v) || fail(out, 'pattern', schema, field, v));
  }
  if (schema.format !== undefined) {
    const format = FORMATS[schema.format];
    if (format === undefined) throw new Error(`schema compiler: unsupported format ${schema.format}`);
    checks.push((v, field, out) => format(v) || fail(out, 'format', schema, field, v));
  }
  return checks.length === 0 ? undefined : all(checks);
}

// Go's regexp (the API server's) takes flags inline; JavaScript only as RegExp flags. PrometheusRule's
// `^(?i)(abort|warn)?$` is the one pattern of the CRDs that needs this.
const LEADING_FLAG = /^(\^?)\(\?i\)/;

function regExpOf(pattern: string): RegExp {
  const flag = LEADING_FLAG.exec(pattern);
  return flag === null ? new RegExp(pattern, 'u') : new RegExp(flag[1] + pattern.slice(flag[0].length), 'iu');
}

function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

function codePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      count--;
      i++;
    }
  }
  return count;
}
