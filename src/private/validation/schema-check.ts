/**
 * The API server's layer of the checker: what the Kubernetes API server rejects before Istio's webhook sees the
 * object. It validates each object against the OpenAPI schema of its kind and version in the committed schema
 * files (src/imports/*.schemas.json, through bundled/crd-schemas.json), with the API server's reading of
 * structural schemas (structural-schema.ts), then runs the schema's CEL rules (cel-rules.ts). Each schema is
 * rewritten and compiled once per process. An object of an apiVersion without a schema gets no finding here.
 */
import type { OutputUnit, Validator } from '@cfworker/json-schema';
import { Code, RuleFinding } from './catalog';
import { celViolations } from './cel-rules';
import { nearestName } from './nearest-name';
import { entryPath } from './report';
import { BYTE_FORMAT, decoded, isBase64, schemaOfField, toJsonSchema } from './structural-schema';
import { q, shown } from './values';
import { crdSchemas, jsonSchemaLibrary } from '../bundled';

/** A finding of this layer: the rule's finding and the field path it is at. */
export interface FieldFinding {
  readonly field: string;
  readonly finding: RuleFinding;
}

interface Compiled {
  readonly schema: any;
  readonly validator: Validator;
}

// By schema object: the versions that share a schema (aliases in crd-schemas.json) share its validator.
const compiled = new Map<object, Compiled>();

/** What the API server rejects in `manifest` (an object the checker checks), schema findings first. */
export function apiServerFindings(manifest: any): FieldFinding[] {
  const crdSchema = crdSchemas()[`${manifest.apiVersion}/${manifest.kind}`];
  return crdSchema === undefined ? [] : checkAgainst(crdSchema, manifest);
}

/** What the API server rejects in `manifest` when its kind has the CRD schema `crdSchema`. */
export function checkAgainst(crdSchema: any, manifest: any): FieldFinding[] {
  let entry = compiled.get(crdSchema);
  if (entry === undefined) {
    const library = jsonSchemaLibrary();
    library.format[BYTE_FORMAT] = isBase64;
    const schema = toJsonSchema(crdSchema);
    // Draft 4 is OpenAPI v3.0's dialect (boolean exclusiveMinimum); every error, not only the first.
    entry = { schema, validator: new library.Validator(schema, '4', false) };
    compiled.set(crdSchema, entry);
  }
  const value: any = decoded(manifest, crdSchema);
  const found = schemaFindings(entry.validator.validate(value).errors, value, entry.schema);
  // The CEL rules see the value the schema checked; cel-rules.ts skips values of the wrong type. Unlike the API
  // server, they run even when the schema found a wrong type elsewhere, so that one check shows every problem.
  for (const v of celViolations(crdSchema, value, '')) {
    // A rule the checker cannot run is not the object's fault; test/cel-rules.test.ts keeps the shipped CRDs free of them.
    if (v.unsupported === true) continue;
    found.push({ field: v.path, finding: { code: 'CEL_RULE_VIOLATED', message: `${v.message}; the CRD's CEL rule \`${v.rule}\` rejects the value` } });
  }
  return found;
}

function schemaFindings(errors: OutputUnit[], value: unknown, schema: any): FieldFinding[] {
  const out: FieldFinding[] = [];
  for (const error of errors) {
    // The value of a field the schema does not define is validated against `false`.
    if (error.keyword === 'false') {
      const at = locate(error.instanceLocation, value, schema);
      out.push({ field: at.field, finding: unknownField(at.key, at.parent) });
      continue;
    }
    if (!isOwnError(error)) continue;
    const node = nodeAt(schema, error.keywordLocation);
    const at = locate(error.instanceLocation, value, schema);
    if (error.keyword === 'required') {
      const missing = (node.required as string[]).filter((name) => !Object.prototype.hasOwnProperty.call(at.value, name));
      for (const name of missing) {
        out.push({ field: `${at.field}.${name}`, finding: { code: 'SCHEMA_REQUIRED_MISSING', message: `the required field ${q(name)} is missing; set it` } });
      }
      continue;
    }
    const finding = valueFinding(error.keyword, node, at.value);
    if (finding !== undefined) out.push({ field: at.field, finding });
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
export function isAtOrUnder(field: string, ancestor: string): boolean {
  return field === ancestor || (field.startsWith(ancestor) && (field[ancestor.length] === '.' || field[ancestor.length] === '['));
}

// The error of a keyword itself, not the wrappers the validator adds (properties, items, allOf) nor what it
// found inside an alternative of oneOf, anyOf or not (the alternative failing is what the keyword reports).
function isOwnError(error: OutputUnit): boolean {
  if (['properties', 'items', 'additionalProperties', 'allOf'].includes(error.keyword)) return false;
  const segments = error.keywordLocation.split('/').slice(1);
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] === 'properties') i++;
    else if (['oneOf', 'anyOf', 'not'].includes(segments[i])) return false;
  }
  return true;
}

function valueFinding(keyword: string, node: any, value: unknown): RuleFinding | undefined {
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

// A JSON pointer's segments, as the validator writes them (URI-encoded, `~0` and `~1` escaped).
function segmentsOf(pointer: string): string[] {
  return pointer.split('/').slice(1).map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
}

function nodeAt(schema: any, keywordLocation: string): any {
  return segmentsOf(keywordLocation).slice(0, -1).reduce((node, segment) => node?.[segment], schema);
}

/**
 * The field path of an instance location in the form of the other findings (`spec.http[0].route`,
 * `...headers["x-canary"]` for a map entry), with the value there, its key and the schema of its parent.
 */
function locate(instanceLocation: string, value: any, schema: any): { field: string; value: any; key: string; parent: any } {
  let field = '';
  let node = schema;
  let parent = schema;
  let key = '';
  for (const segment of segmentsOf(instanceLocation)) {
    parent = node;
    key = segment;
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
  return { field, value, key, parent };
}
