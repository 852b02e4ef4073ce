/**
 * The YAML schema the CLI reads manifests with: YAML 1.2's core schema, exactly as the spec writes it (and as the
 * `yaml` package, which read manifests before, resolves it), for js-yaml. js-yaml's own CORE_SCHEMA differs on a
 * few plain scalars: it reads signed hex and octal (`-0x1F`) and `0b101` as numbers, `+.5`, `-.5` and `1e400` as
 * strings. Explicit tags outside the core schema (`!foo`, `!!binary`, `!!set`, `!!timestamp`) keep their value as
 * written, a string, list or mapping, rather than fail the file.
 */
import type * as JsYaml from 'js-yaml';
import { jsYamlLibrary } from '../private/bundled';

const TAG = 'tag:yaml.org,2002:';

// The plain scalars of the core schema (YAML 1.2.2, 10.3.2). Anything else plain is a string.
const NULL = /^(?:~|null|Null|NULL|)$/;
const BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const DECIMAL = /^[-+]?[0-9]+$/;
const OCTAL = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INFINITY = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;

// A scalar that can be a number starts with a digit, a sign or a dot; most plain scalars (names, hosts) do not,
// and skip the regular expressions.
function numeric(data: string): boolean {
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

// Every null of the core schema is empty or starts with `~`, `n` or `N`; every bool with `t`, `T`, `f` or `F`:
// the other plain scalars (nearly all of them) skip the regular expressions.
function maybeNull(data: string): boolean {
  const c = data.charCodeAt(0);
  return data === '' || c === 0x7e || c === 0x6e || c === 0x4e;
}

function maybeBool(data: string): boolean {
  const c = data.charCodeAt(0);
  return c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46;
}

function int(data: string): number {
  if (data.startsWith('0o')) return parseInt(data.slice(2), 8);
  if (data.startsWith('0x')) return parseInt(data.slice(2), 16);
  return parseInt(data, 10);
}

function float(data: string): number {
  if (NAN.test(data)) return NaN;
  if (INFINITY.test(data)) return data.startsWith('-') ? -Infinity : Infinity;
  return parseFloat(data);
}

let schema: JsYaml.Schema | undefined;

/** The schema, built on first use (js-yaml is loaded then). */
export function manifestSchema(): JsYaml.Schema {
  if (schema) return schema;
  const { FAILSAFE_SCHEMA, Type } = jsYamlLibrary();
  const scalar = (name: string, resolve: (data: string) => boolean, construct: (data: string) => unknown) =>
    new Type(TAG + name, { kind: 'scalar', resolve: (data) => data !== null && resolve(data), construct });
  // A tag no type claims: the prefix '' matches every tag, and the value stays as written.
  const asWritten = (kind: 'scalar' | 'sequence' | 'mapping') => new Type('', { kind, multi: true });
  return schema = FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar('null', (data) => maybeNull(data) && NULL.test(data), () => null),
      scalar('bool', (data) => maybeBool(data) && BOOL.test(data), (data) => data[0] === 't' || data[0] === 'T'),
      scalar('int', (data) => numeric(data) && (DECIMAL.test(data) || OCTAL.test(data) || HEX.test(data)), int),
      scalar('float', (data) => numeric(data) && (FLOAT.test(data) || INFINITY.test(data) || NAN.test(data)), float),
    ],
    explicit: [asWritten('scalar'), asWritten('sequence'), asWritten('mapping')],
  });
}
