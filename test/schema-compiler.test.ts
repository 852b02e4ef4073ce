/**
 * The schema compiler (src/private/validation/schema-compiler.ts) against the validator it replaced,
 * @cfworker/json-schema (a dev dependency kept as the oracle): for random objects of every imported kind, valid
 * ones drawn from the schema and random mutations of them, both accept and reject the same objects, and the
 * compiler reports the same violations (keyword, field, schema node) in the same order as the oracle's errors
 * read the way the checker read them.
 */
import { ValidationResult, Validator } from '@cfworker/json-schema';
import * as fc from 'fast-check';
import { compactSchemas } from '../projenrc/bundle';
import { entryPath } from '../src/private/validation/report';
import { compileSchema, Violation } from '../src/private/validation/schema-compiler';
import { BYTE_FORMAT, decoded, isBase64, isDateTime, schemaOfField, toJsonSchema } from '../src/private/validation/structural-schema';

const RUNS = 300;
const { schemas } = compactSchemas();
const KINDS = Object.keys(schemas);

interface Oracle {
  readonly rewritten: any;
  readonly validator: Validator;
}

function oracle(crdSchema: any): Oracle {
  const rewritten = toJsonSchema(crdSchema);
  // The oracle reads patterns as JavaScript does: Go's inline (?i) is spelt out for it, case by case.
  const forOracle = JSON.parse(JSON.stringify(rewritten), (key, value) => key === 'pattern' && value === '^(?i)(abort|warn)?$'
    ? '^(?:[aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$' : value);
  return { rewritten, validator: new Validator(forOracle, '4', false) };
}

// The oracle's formats: the API server's `byte`, registered as the checker registered it.
beforeAll(() => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@cfworker/json-schema').format[BYTE_FORMAT] = isBase64;
});

/** The oracle's errors as violations: its own errors (not those inside a oneOf, anyOf or not), at the checker's field paths. */
function oracleViolations(result: ValidationResult, value: unknown, schema: any): string[] {
  const out: string[] = [];
  for (const error of result.errors) {
    if (error.keyword !== 'false' && !isOwn(error.keywordLocation, error.keyword)) continue;
    const { field, node } = locate(error.instanceLocation, value, schema);
    const line = error.keyword === 'false' ? `false ${field} ${JSON.stringify(Object.keys(node?.properties ?? {}))}`
      : `${error.keyword} ${field} ${pointer(schema, nodeAt(schema, error.keywordLocation))}`;
    // The oracle reports each missing required field; the compiler once per object (the checker lists them all).
    if (error.keyword === 'required' && out.includes(line)) continue;
    out.push(line);
  }
  return out;
}

function compiledViolations(violations: Violation[], schema: any): string[] {
  return violations.map((v) => v.keyword === 'false' ? `false ${v.field} ${JSON.stringify(Object.keys(v.node?.properties ?? {}))}`
    : `${v.keyword} ${v.field} ${pointer(schema, v.node)}`);
}

function isOwn(keywordLocation: string, keyword: string): boolean {
  if (['properties', 'items', 'additionalProperties', 'allOf'].includes(keyword)) return false;
  const segments = keywordLocation.split('/').slice(1);
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] === 'properties') i++;
    else if (['oneOf', 'anyOf', 'not'].includes(segments[i])) return false;
  }
  return true;
}

function segmentsOf(p: string): string[] {
  return p.split('/').slice(1).map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function nodeAt(schema: any, keywordLocation: string): any {
  return segmentsOf(keywordLocation).slice(0, -1).reduce((node, segment) => node?.[segment], schema);
}

const pointers = new WeakMap<object, Map<unknown, string>>();

/** Where a node sits in the schema, found by identity (so two equal nodes at different places differ). */
function pointer(schema: any, node: any): string {
  let index = pointers.get(schema);
  if (index === undefined) {
    const built = new Map<unknown, string>();
    const visit = (at: any, path: string) => {
      if (at === null || typeof at !== 'object' || built.has(at)) return;
      built.set(at, path || '/');
      for (const [k, child] of Object.entries(at)) visit(child, `${path}/${k}`);
    };
    visit(schema, '');
    pointers.set(schema, built);
    index = built;
  }
  return index.get(node) ?? '?';
}

function locate(instanceLocation: string, value: any, schema: any): { field: string; node: any } {
  let field = '';
  let node = schema;
  let parent = schema;
  for (const segment of segmentsOf(instanceLocation)) {
    parent = node;
    if (Array.isArray(value)) {
      field += `[${segment}]`;
      node = node?.items;
    } else {
      const isEntry = node?.properties?.[segment] === undefined && typeof node?.additionalProperties === 'object';
      field = isEntry ? entryPath(field, segment) : field === '' ? segment : `${field}.${segment}`;
      node = schemaOfField(node, segment);
    }
    value = value?.[segment];
  }
  return { field, node: parent };
}

/** Draws a value of `arb` inside fc.gen(). */
function pick<T>(g: fc.GeneratorValue, arb: fc.Arbitrary<T>): T {
  return g(() => arb);
}

const patterns = new Map<string, fc.Arbitrary<string>>();

/** A string for `schema`: mostly one it allows (its enum, its pattern, its format), sometimes any. */
function drawString(g: fc.GeneratorValue, schema: any): string {
  if (schema.enum !== undefined && pick(g, fc.integer({ min: 0, max: 9 })) > 0) return pick(g, fc.constantFrom(...schema.enum));
  // At the length bounds in characters that take two UTF-16 units each, now and then.
  const bound = schema.maxLength ?? schema.minLength;
  if (bound !== undefined && bound < 300 && pick(g, fc.integer({ min: 0, max: 9 })) === 0) return '\u{1F600}'.repeat(bound + pick(g, fc.integer({ min: -1, max: 1 })));
  if (schema.format === 'date-time') return pick(g, fc.constantFrom('2025-01-31T12:00:00Z', '2024-02-29T23:59:60Z', '2025-01-31T23:59:60+01:00', '2025-13-01T00:00:00Z', 'yesterday'));
  if (schema.format === 'byte') return pick(g, fc.constantFrom('aGVsbG8=', 'aGVsbG8', '', 'a b='));
  if (schema.pattern !== undefined && pick(g, fc.integer({ min: 0, max: 9 })) > 0) {
    let arb = patterns.get(schema.pattern);
    if (arb === undefined) {
      try {
        arb = fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 64));
      } catch {
        arb = fc.string({ maxLength: 8 });
      }
      patterns.set(schema.pattern, arb);
    }
    return pick(g, arb);
  }
  return pick(g, fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 12, 12), unit: 'binary' }));
}

/** A value of `schema` (the CRD's, not rewritten), within its bounds most of the time, `depth` levels deep at most. */
function draw(g: fc.GeneratorValue, schema: any, depth: number): unknown {
  if (schema === undefined || depth > 8) return pick(g, fc.constantFrom('x', 1, true, null));
  if (schema['x-kubernetes-int-or-string'] === true) return pick(g, fc.oneof(fc.integer({ min: -5, max: 500 }), fc.constantFrom('10%', '80', 'x')));
  switch (schema.type) {
    case 'string':
      return drawString(g, schema);
    case 'integer': {
      const min = schema.minimum ?? (schema.format === 'int32' ? -(2 ** 31) : -1000);
      const max = schema.maximum ?? (schema.format === 'int32' ? 2 ** 31 - 1 : 100000);
      return pick(g, fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }), fc.constantFrom(min - 1, max + 1)));
    }
    case 'number':
      return pick(g, fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constantFrom(0, 100, 0.5)));
    case 'boolean':
      return pick(g, fc.boolean());
    case 'array': {
      const n = pick(g, fc.integer({ min: schema.minItems ?? 0, max: Math.min(schema.maxItems ?? 3, 3) }));
      return Array.from({ length: n }, () => draw(g, schema.items, depth + 1));
    }
    default: {
      const out: { [key: string]: unknown } = {};
      const names = Object.keys(schema.properties ?? {});
      // A oneOf's alternatives (`required: [x]`, here or in allOf) often, so that objects set none, one or two of them.
      const alternatives = JSON.stringify([schema.oneOf, schema.allOf]);
      for (const name of names) {
        const odds = alternatives.includes(JSON.stringify([name])) ? 1 : 3;
        if ((schema.required ?? []).includes(name) || pick(g, fc.integer({ min: 0, max: odds })) === 0) {
          out[name] = draw(g, schema.properties[name], depth + 1);
        }
      }
      if (typeof schema.additionalProperties === 'object') {
        for (const key of pick(g, fc.uniqueArray(fc.constantFrom('a', 'x-canary', 'b.c', 'd/e'), { maxLength: 2 }))) out[key] = draw(g, schema.additionalProperties, depth + 1);
      }
      return out;
    }
  }
}

/** Every path to a value inside `value`. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...at, i]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...at, k]))];
  return here;
}

const ODD_VALUES = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, '', 0, -1, 2 ** 31, 1.5, '5', 'true', [], {}, { exact: 'a', prefix: 'b' }));

/** The object with one random change: a value replaced, a field added (known elsewhere, misspelt or new) or removed. */
function mutate(g: fc.GeneratorValue, object: any): any {
  const copy = JSON.parse(JSON.stringify(object));
  const all = paths(copy).filter((p) => p.length > 0);
  for (let n = pick(g, fc.integer({ min: 1, max: 3 })); n > 0 && all.length > 0; n--) {
    const path = pick(g, fc.constantFrom(...all));
    const parent = path.slice(0, -1).reduce((v: any, k) => v?.[k], copy);
    if (parent === null || typeof parent !== 'object') continue;
    const last = path[path.length - 1];
    const change = pick(g, fc.constantFrom('replace', 'add', 'remove'));
    if (change === 'replace') parent[last] = pick(g, ODD_VALUES);
    else if (change === 'remove' && !Array.isArray(parent)) delete parent[last];
    else if (!Array.isArray(parent)) parent[pick(g, fc.constantFrom(`${String(last)}s`, String(last).toUpperCase(), 'name', 'weight', 'value', 'extra'))] = pick(g, ODD_VALUES);
  }
  return copy;
}

describe.each(KINDS)('%s: the compiled check and @cfworker/json-schema agree', (kind) => {
  const crdSchema = schemas[kind] as any;
  const { rewritten, validator } = oracle(crdSchema);
  const check = compileSchema(rewritten);
  const [group, version, name] = [kind.split('/').slice(0, -2).join('/'), kind.split('/').slice(-2)[0], kind.split('/').pop()];
  const objectOf = fc.gen().map((g) => ({
    apiVersion: `${group}/${version}`,
    kind: name,
    metadata: { name: 'checkout', namespace: 'prod' },
    ...(draw(g, crdSchema, 0) as object),
  }));

  const agree = (object: unknown) => {
    const value = decoded(object, crdSchema);
    const expected = validator.validate(value);
    const fast = check(value, '', undefined);
    const violations: Violation[] = [];
    const reported = check(value, '', violations);
    expect({ valid: fast, violations: compiledViolations(violations, rewritten) })
      .toEqual({ valid: expected.valid, violations: oracleViolations(expected, value, rewritten) });
    expect(reported).toBe(fast);
    return expected.valid;
  };

  test('on objects drawn from the schema, most of them valid', () => {
    let valid = 0;
    fc.assert(fc.property(objectOf, (object) => {
      if (agree(object)) valid++;
    }), { numRuns: RUNS, endOnFailure: true });
    // The draw must reach valid objects, or the mutations below would start from nothing worth mutating.
    expect(valid).toBeGreaterThan(RUNS / 10);
  });

  test('on random mutations of them', () => {
    let invalid = 0;
    fc.assert(fc.property(fc.gen().chain((g) => objectOf.map((o) => mutate(g, o))), (object) => {
      if (!agree(object)) invalid++;
    }), { numRuns: RUNS, endOnFailure: true });
    expect(invalid).toBeGreaterThan(RUNS / 4);
  });
});

test('every imported kind is compared, the newly imported HTTPRoute among them', () => {
  expect(KINDS).toEqual(expect.arrayContaining(['gateway.networking.k8s.io/v1/HTTPRoute', 'networking.istio.io/v1/VirtualService',
    'networking.istio.io/v1/DestinationRule', 'monitoring.coreos.com/v1/PrometheusRule']));
});

test('date-time: RFC 3339 with an offset, dates and times in range, a leap second only at 23:59 UTC', () => {
  for (const good of ['2025-01-31T12:00:00Z', '2025-01-31t12:00:00.123z', '2025-01-31 12:00:00+02:00', '2024-02-29T00:00:00Z', '2016-12-31T23:59:60Z',
    '2017-01-01T00:59:60+01:00']) {
    expect({ good, ok: isDateTime(good) }).toEqual({ good, ok: true });
  }
  for (const bad of ['2025-01-31T12:00:00', '2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-31T24:00:00Z', '2025-01-31T12:00:60Z',
    '2025-01-31T12:00:00+24:00', '2025-1-31T12:00:00Z', '2025-01-31TT12:00:00Z', '']) {
    expect({ bad, ok: isDateTime(bad) }).toEqual({ bad, ok: false });
  }
});

test('a keyword the shipped schemas do not use is refused when compiling, not ignored', () => {
  expect(() => compileSchema({ type: 'array', uniqueItems: true })).toThrow(/unsupported keyword\(s\) uniqueItems/);
  expect(() => compileSchema({ type: 'string', format: 'email' })).toThrow(/unsupported format email/);
  expect(() => compileSchema({ oneOf: [{ additionalProperties: false }] })).toThrow(/additionalProperties: false under oneOf/);
});

test('lengths count characters, a surrogate pair as one', () => {
  const check = compileSchema({ type: 'string', minLength: 2, maxLength: 2 });
  expect(check('😀😀', '', undefined)).toBe(true);
  expect(check('😀', '', undefined)).toBe(false);
  expect(check('😀😀😀', '', undefined)).toBe(false);
});
