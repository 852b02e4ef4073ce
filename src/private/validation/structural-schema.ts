/**
 * The CRDs' schemas are Kubernetes structural schemas (OpenAPI v3 plus `x-kubernetes-*` keywords), which the API
 * server reads differently from plain JSON Schema. This file bridges the two, once per schema and once per object:
 * `toJsonSchema` rewrites a schema so that a JSON Schema reading (schema-compiler.ts's) accepts exactly what the API server accepts,
 * and `decoded` turns a manifest into the value the API server validates.
 */

const INT_RANGES: { readonly [format: string]: readonly [number, number] } = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
};

/** The name `format: byte` gets in the rewritten schema, with its check registered under it (see schema-compiler.ts's FORMATS). */
export const BYTE_FORMAT = 'k8s-byte';

/** What the API server accepts for `format: byte`: Go's base64.StdEncoding, which requires padding and skips line breaks. */
export function isBase64(value: string): boolean {
  const text = value.replace(/[\r\n]/g, '');
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt\s](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * What the checker accepts for `format: date-time`: an RFC 3339 date-time with its offset, the date and time in
 * range, and a leap second (:60) only at 23:59 UTC. (This is the JSON Schema reading the checker has always
 * applied; the API server's own parser is more lenient.)
 */
export function isDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return false;
  const offsetHour = m[8] === undefined ? 0 : Number(m[8]);
  const offsetMinute = m[9] === undefined ? 0 : Number(m[9]);
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return false;
  if (second < 60) return true;
  const sign = m[7] === '-' ? -1 : m[7] === '+' ? 1 : 0;
  const utcMinutes = (((hour * 60 + minute - sign * (offsetHour * 60 + offsetMinute)) % 1440) + 1440) % 1440;
  return utcMinutes === 23 * 60 + 59;
}

// The value validations of OpenAPI v3 that mean the same in JSON Schema draft 4 (exclusiveMinimum is a boolean).
const SAME = ['type', 'enum', 'required', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength',
  'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'format'];

/**
 * The JSON Schema (draft 4) that accepts what the API server accepts for `schema`:
 * - an object with `properties` (or of type object) rejects fields it does not define, as the API server does
 *   under strict field validation (kubectl's default since Kubernetes 1.27), unless
 *   `x-kubernetes-preserve-unknown-fields` is set; the root also knows apiVersion, kind and metadata (the API
 *   server validates metadata on its own, as ObjectMeta);
 * - `x-kubernetes-int-or-string` takes an integer or a string, and `nullable` adds null;
 * - `format` is checked as the API server does: int32 and int64 as ranges, `byte` as base64 (`BYTE_FORMAT`),
 *   `date-time` as such; `double` allows any number, and the CRDs use no other format.
 * Inside oneOf, anyOf, allOf and not (value validations only, in a structural schema) nothing is added.
 */
export function toJsonSchema(schema: any, root = true, structural = true): any {
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const key of SAME) if (schema[key] !== undefined) out[key] = schema[key];
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    if (Array.isArray(schema[key])) out[key] = schema[key].map((s: any) => toJsonSchema(s, false, false));
  }
  if (schema.not !== undefined) out.not = toJsonSchema(schema.not, false, false);
  if (schema.items !== undefined) out.items = toJsonSchema(schema.items, false, structural);
  if (schema.properties !== undefined) {
    out.properties = {};
    for (const [name, child] of Object.entries(schema.properties)) out.properties[name] = toJsonSchema(child, false, structural);
  }
  if (typeof schema.additionalProperties === 'object') out.additionalProperties = toJsonSchema(schema.additionalProperties, false, structural);
  else if (schema.additionalProperties !== undefined) out.additionalProperties = schema.additionalProperties;
  if (!structural) return out;

  if (schema['x-kubernetes-int-or-string'] === true) out.type = ['integer', 'string'];
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const range = out.type === 'integer' || (Array.isArray(out.type) && out.type[0] === 'integer') ? INT_RANGES[schema.format] : undefined;
  if (range !== undefined) {
    out.minimum = Math.max(out.minimum ?? -Infinity, range[0]);
    out.maximum = Math.min(out.maximum ?? Infinity, range[1]);
  }
  if (schema.format === 'byte') out.format = BYTE_FORMAT;
  else if (schema.format !== 'date-time') delete out.format;
  if (root) {
    out.properties = { apiVersion: {}, kind: {}, metadata: {}, ...out.properties };
    // The API server validates metadata as ObjectMeta, whatever the CRD says (HTTPRoute's and PrometheusRule's
    // say `type: object`, which the rewrite would close to every field).
    out.properties.metadata = {};
  }
  const isObject = schema.type === 'object' || schema.properties !== undefined;
  if (isObject && schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * The value the API server validates for `value`, of `schema`: JSON only (what a manifest file can hold), and
 * without the nulls it drops before validating (a null field whose schema is not nullable, in an object or a
 * map; a null list entry stays). Non-JSON values from code become what JSON.stringify writes. A plain object or
 * list that needs none of this is returned itself, not copied.
 */
export function decoded(value: unknown, schema: any): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return decodedList(value, schema?.items);
  if (value === null || typeof value !== 'object') return isAbsent(value) ? null : value;
  return decodedObject(value as { [key: string]: unknown }, schema);
}

// A value that needs no change is returned as it is (what a YAML file yields, nearly always), so that checking it
// allocates nothing; a copy starts at the first change.
function decodedList(list: unknown[], schema: any): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const value = isAbsent(item) ? null : decoded(item, schema);
    if (out === undefined && (value !== item || !(i in list))) out = list.slice(0, i);
    out?.push(value);
  }
  return out ?? list;
}

function decodedObject(value: { [key: string]: unknown }, schema: any): unknown {
  const plain = Object.getPrototypeOf(value) === Object.prototype;
  let out: { [key: string]: unknown } | undefined = plain ? undefined : {};
  // for...in rather than Object.keys: no array for each object checked. Own keys only, in Object.keys' order.
  let i = -1;
  for (const name in value) {
    if (!plain && !Object.prototype.hasOwnProperty.call(value, name)) continue;
    i++;
    const child = value[name];
    // Go's JSON decoder turns a lone UTF-16 surrogate into U+FFFD (and the validator cannot encode one).
    const key = hasSurrogate(name) ? name.replace(LONE_SURROGATE, '\uFFFD') : name;
    const childSchema = schemaOfField(schema, key);
    const dropped = isAbsent(child) || (child === null && childSchema !== undefined && childSchema.nullable !== true);
    const result = dropped ? undefined : decoded(child, childSchema);
    if (out === undefined && (dropped || key !== name || result !== child)) out = copyOf(value, Object.keys(value).slice(0, i));
    // A field named __proto__ is a field like any other in JSON.
    if (out !== undefined && !dropped) Object.defineProperty(out, key, { value: result, enumerable: true, writable: true, configurable: true });
  }
  return out ?? value;
}

// A loop rather than a regular expression: this runs for every field of every object checked.
function hasSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) return true;
  }
  return false;
}

function copyOf(value: { [key: string]: unknown }, names: string[]): { [key: string]: unknown } {
  const out: { [key: string]: unknown } = {};
  for (const name of names) Object.defineProperty(out, name, { value: value[name], enumerable: true, writable: true, configurable: true });
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The schema of field `key` of an object of `schema`: a property, or an entry of a map. */
export function schemaOfField(schema: any, key: string): any {
  const property = schema?.properties?.[key];
  if (property !== undefined) return property;
  return typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}
