/**
 * The API server's layer of the checker: what the Kubernetes API server rejects before Istio's webhook sees the
 * object. It validates each object against the OpenAPI schema of its kind and version in the committed schema
 * files (src/imports/*.schemas.json, through bundled/crd-schemas.json), with the API server's reading of
 * structural schemas (structural-schema.ts), then runs the schema's CEL rules (cel-rules.ts). Each schema is
 * rewritten and compiled once per process. An object of an apiVersion without a schema gets no finding here.
 */
import { Code, RuleFinding } from './catalog';
import { celViolations } from './cel-rules';
import { nearestName } from './nearest-name';
import { Check, compileSchema, Violation } from './schema-compiler';
import { BYTE_FORMAT, decoded, toJsonSchema } from './structural-schema';
import { q, shown } from './values';
import { crdSchemas } from '../bundled';

/** A finding of this layer: the rule's finding and the field path it is at. */
export interface FieldFinding {
  readonly field: string;
  readonly finding: RuleFinding;
}

// By schema object: the versions that share a schema (aliases in crd-schemas.json) share its compiled check.
const compiled = new Map<object, Check>();

/** What the API server rejects in `manifest` (an object the checker checks), schema findings first. */
export function apiServerFindings(manifest: any): FieldFinding[] {
  const crdSchema = crdSchemas()[`${manifest.apiVersion}/${manifest.kind}`];
  return crdSchema === undefined ? [] : checkAgainst(crdSchema, manifest);
}

/** What the API server rejects in `manifest` when its kind has the CRD schema `crdSchema`. */
export function checkAgainst(crdSchema: any, manifest: any): FieldFinding[] {
  let check = compiled.get(crdSchema);
  if (check === undefined) {
    check = compileSchema(toJsonSchema(crdSchema));
    compiled.set(crdSchema, check);
  }
  const value: any = decoded(manifest, crdSchema);
  // A valid value is checked once, without recording; an invalid one again, recording every violation.
  let found: FieldFinding[] = [];
  if (!check(value, '', undefined)) {
    const violations: Violation[] = [];
    check(value, '', violations);
    found = schemaFindings(violations);
  }
  // The CEL rules see the value the schema checked; cel-rules.ts skips values of the wrong type. Unlike the API
  // server, they run even when the schema found a wrong type elsewhere, so that one check shows every problem.
  for (const v of celViolations(crdSchema, value, '')) {
    // A rule the checker cannot run is not the object's fault; test/cel-rules.test.ts keeps the shipped CRDs free of them.
    if (v.unsupported === true) continue;
    found.push({ field: v.path, finding: { code: 'CEL_RULE_VIOLATED', message: `${v.message}; the CRD's CEL rule \`${v.rule}\` rejects the value` } });
  }
  return found;
}

function schemaFindings(violations: Violation[]): FieldFinding[] {
  const out: FieldFinding[] = [];
  for (const { keyword, node, field, value, key } of violations) {
    if (keyword === 'false') {
      out.push({ field, finding: unknownField(key!, node) });
    } else if (keyword === 'required') {
      const missing = (node.required as string[]).filter((name) => !Object.prototype.hasOwnProperty.call(value, name));
      for (const name of missing) {
        out.push({ field: `${field}.${name}`, finding: { code: 'SCHEMA_REQUIRED_MISSING', message: `the required field ${q(name)} is missing; set it` } });
      }
    } else {
      out.push({ field, finding: valueFinding(keyword, node, value) });
    }
  }
  // A value of the wrong type is not validated further by the API server: one finding for it, none under it.
  const mistyped = out.filter((f) => f.finding.code === 'SPEC_TYPE_INVALID').map((f) => f.field);
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = `${f.field}\n${f.finding.code}\n${f.finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return f.finding.code === 'SPEC_TYPE_INVALID' || !mistyped.some((field) => isAtOrUnder(f.field, field));
  });
}

/**
 * Whether a finding of another layer at `field` is about what the API server already rejected (`found`): the
 * value of a field it reported or a value inside it, or the object that lacks a required field (a webhook rule
 * says "the route has no destination" at the route).
 */
export function alreadyReported(found: readonly FieldFinding[], field: string): boolean {
  return found.some((f) => isAtOrUnder(field, f.field)
    || (f.finding.code === 'SCHEMA_REQUIRED_MISSING' && field === f.field.slice(0, f.field.lastIndexOf('.'))));
}

/** Whether `field` is the field path `ancestor` or a path inside it. */
function isAtOrUnder(field: string, ancestor: string): boolean {
  return field === ancestor || (field.startsWith(ancestor) && (field[ancestor.length] === '.' || field[ancestor.length] === '['));
}

function valueFinding(keyword: string, node: any, value: unknown): RuleFinding {
  const v = shown(value);
  const finding = (code: Code, message: string) => ({ code, message });
  switch (keyword) {
    case 'type':
      return finding('SPEC_TYPE_INVALID', typeMessage(node.type, value));
    case 'enum':
      return finding('SCHEMA_ENUM_INVALID', `${v} is not a value of this field; use one of ${(node.enum as unknown[]).map((e) => q(e)).join(', ')}`);
    case 'oneOf': {
      const alternatives = (node.oneOf as any[]).map((s) => s.required).filter((r) => Array.isArray(r) && r.length === 1).map((r) => r[0]);
      const set = value !== null && typeof value === 'object' ? alternatives.filter((name) => Object.prototype.hasOwnProperty.call(value, name)) : [];
      if (set.length > 1) {
        return finding('SCHEMA_ONE_OF', `sets ${set.map((s) => q(s)).join(' and ')}, of which the schema allows one; keep one of ${alternatives.map((s) => q(s)).join(', ')}`);
      }
      return finding('SCHEMA_ONE_OF', 'the value matches none or several of the alternatives of the schema\'s oneOf; change it to match exactly one');
    }
    case 'anyOf':
    case 'not':
      return finding('SCHEMA_ONE_OF', `the value breaks the schema's ${keyword}; change it to one the schema allows`);
    case 'minimum':
    case 'maximum': {
      const range = [node.minimum, node.maximum].map((n) => (n === undefined ? undefined : Math.abs(n) >= 2 ** 53 ? n.toExponential() : n));
      const fit = node.minimum === -(2 ** 31) && node.maximum === 2 ** 31 - 1 ? ' (a 32-bit integer)' : '';
      const allowed = range[1] === undefined ? `${range[0]} or more` : range[0] === undefined ? `at most ${range[1]}` : `from ${range[0]} to ${range[1]}`;
      return finding('SCHEMA_VALUE_INVALID', `${v} is out of range${fit}; use a value ${allowed}`);
    }
    case 'pattern':
      return finding('SCHEMA_VALUE_INVALID', `${v} does not match the pattern ${q(node.pattern)}; change it to match`);
    case 'format':
      return node.format === BYTE_FORMAT
        ? finding('SCHEMA_VALUE_INVALID', `${v} is not base64; encode the bytes in standard base64, with "=" padding`)
        : finding('SCHEMA_VALUE_INVALID', `${v} is not a ${node.format} value; write it as RFC 3339 does, e.g. "2025-01-31T12:00:00Z"`);
    case 'maxLength':
      return finding('SCHEMA_VALUE_INVALID', `${v} is longer than ${node.maxLength} characters; shorten it`);
    case 'minLength':
      return finding('SCHEMA_VALUE_INVALID', `${v} is shorter than ${node.minLength} characters; lengthen it`);
    case 'maxItems':
    case 'maxProperties':
      return finding('SCHEMA_VALUE_INVALID', `more than ${node[keyword]} entries; remove entries`);
    case 'minItems':
    case 'minProperties':
      return finding('SCHEMA_VALUE_INVALID', `fewer than ${node[keyword]} entries; add entries`);
    default:
      return finding('SCHEMA_VALUE_INVALID', `${v} breaks the schema's ${keyword} ${q(node[keyword])}; change the value`);
  }
}

const TYPE_NAMES: { readonly [type: string]: string } = {
  integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false', object: 'a mapping', array: 'a list', null: 'null',
};

function typeMessage(type: string | string[], value: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  const expected = types.map((t) => TYPE_NAMES[t]).join(' or ');
  const numeric = types.includes('integer') || types.includes('number');
  let fix = `write ${expected}`;
  if (numeric && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) fix = `write ${value.trim()} without quotes`;
  else if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) fix = `quote it: "${value}"`;
  else if (types.includes('integer') && typeof value === 'number') fix = 'write a whole number';
  return `expected ${expected}, found ${shown(value)}; ${fix}`;
}

function unknownField(key: string, parent: any): RuleFinding {
  const known = Object.keys(parent?.properties ?? {});
  const suggestion = nearestName(key, known);
  const fix = suggestion !== undefined ? `did you mean ${q(suggestion)}?` : `remove it (the fields here are ${known.join(', ')})`;
  return { code: 'SCHEMA_UNKNOWN_FIELD', message: `unknown field ${q(key)}: the schema does not define it, and kubectl apply rejects the object; ${fix}` };
}
