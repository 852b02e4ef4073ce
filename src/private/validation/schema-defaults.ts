/**
 * Structural defaulting, as the Kubernetes API server applies a CRD schema's `default`s when it decodes an
 * object, before it validates it: CEL rules see the defaulted value (Gateway API's rules read `self.kind` and
 * `self.group` of a backendRef that does not set them, and `self.matches` of a rule without matches).
 */
import { isPlain } from '../json-values';

/**
 * `value` with the defaults of `schema` filled in: in an object, each property that is missing (or null where
 * the schema does not allow null) gets a copy of its default; then every property, list item and map value is
 * defaulted in turn, the filled-in ones included. A new value; `value` is left as it is, and a value without
 * defaults to fill is returned unchanged.
 */
export function withDefaults(schema: any, value: unknown): unknown {
  if (!isPlain(schema) || !hasDefaults(schema)) return value;
  if (Array.isArray(value)) {
    if (!isPlain(schema.items)) return value;
    const items = value.map((item) => withDefaults(schema.items, item));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (!isPlain(value)) return value;
  const properties = isPlain(schema.properties) ? schema.properties : {};
  const values = isPlain(schema.additionalProperties) ? schema.additionalProperties : undefined;
  let out: { [key: string]: unknown } | undefined;
  const set = (key: string, v: unknown) => {
    out ??= { ...value };
    out[key] = v;
  };
  for (const [key, child] of Object.entries<any>(properties)) {
    if (!isPlain(child) || child.default === undefined) continue;
    const current = value[key];
    if (current === undefined || (current === null && child.nullable !== true)) set(key, JSON.parse(JSON.stringify(child.default)));
  }
  for (const [key, item] of Object.entries(out ?? value)) {
    const child = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : values;
    if (child === undefined || item === null || typeof item !== 'object') continue;
    const defaulted = withDefaults(child, item);
    if (defaulted !== item) set(key, defaulted);
  }
  return out ?? value;
}

// Whether a schema sets a default anywhere below it, by schema object: most schemas (Istio's) set none, and
// their objects are then not walked at all.
const withAny = new WeakMap<object, boolean>();

function hasDefaults(schema: any): boolean {
  if (!isPlain(schema)) return false;
  let found = withAny.get(schema);
  if (found === undefined) {
    const children = [schema.items, schema.additionalProperties, ...Object.values(isPlain(schema.properties) ? schema.properties : {})];
    found = schema.default !== undefined || children.some(hasDefaults);
    withAny.set(schema, found);
  }
  return found;
}
