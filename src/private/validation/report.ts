import { Code, RuleFinding, RULES } from './catalog';
import { q, shown } from './values';
import { Finding } from '../../validation/finding';

/** The object a report is about. */
export interface ObjectRef {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly index: number;
}

/**
 * Collects the findings of one object, and reads its fields defensively: a raw manifest can hold anything,
 * so a field of the wrong type is reported (SPEC_TYPE_INVALID) and treated as absent rather than crashing.
 */
export class Report {
  constructor(public readonly object: ObjectRef, private readonly out: Finding[]) {}

  /** Records a finding; its severity comes from the rule catalog. */
  public add(code: Code, field: string, message: string): void {
    const { kind, namespace, name, index } = this.object;
    this.out.push({ severity: RULES[code][0], code, kind, namespace, name, field, message, index });
  }

  /** Records what a shared rule predicate found at `field`, if anything. */
  public addFinding(field: string, finding: RuleFinding | undefined): void {
    if (finding !== undefined) this.add(finding.code, field, finding.message);
  }

  /** A string field, or undefined when absent or of another type. */
  public str(value: unknown, field: string): string | undefined {
    if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
    return this.typeError(field, 'a string', value);
  }

  /** An integer field, or undefined. */
  public int(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null || (typeof value === 'number' && Number.isInteger(value))) return value ?? undefined;
    return this.typeError(field, 'an integer', value);
  }

  /** A number field, or undefined. */
  public num(value: unknown, field: string): number | undefined {
    if (value === undefined || value === null || (typeof value === 'number' && Number.isFinite(value))) return value ?? undefined;
    return this.typeError(field, 'a number', value);
  }

  /** A boolean field, or undefined. */
  public bool(value: unknown, field: string): boolean | undefined {
    if (value === undefined || value === null || typeof value === 'boolean') return value ?? undefined;
    return this.typeError(field, 'true or false', value);
  }

  /** An object (mapping) field, or undefined. */
  public obj(value: unknown, field: string): { [key: string]: any } | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as { [key: string]: any };
    return this.typeError(field, 'a mapping', value);
  }

  /** A list field, or [] when absent or of another type. Entries may be null: callers decide. */
  public list(value: unknown, field: string): any[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.typeError(field, 'a list', value);
    return [];
  }

  /** A list of strings; entries of another type are reported and dropped. */
  public strings(value: unknown, field: string): string[] {
    const out: string[] = [];
    // Field paths are built only for entries that are reported: this runs for every list of every object.
    this.list(value, field).forEach((entry, i) => {
      if (typeof entry === 'string') out.push(entry);
      else this.str(entry, `${field}[${i}]`);
    });
    return out;
  }

  /** A map of strings (labels, headers to set); entries of another type are reported and dropped. */
  public stringMap(value: unknown, field: string): [string, string][] {
    const map = this.obj(value, field);
    if (map === undefined) return [];
    const out: [string, string][] = [];
    for (const [key, v] of Object.entries(map)) {
      if (typeof v === 'string') out.push([key, v]);
      else this.str(v, entryPath(field, key));
    }
    return out;
  }

  private typeError(field: string, expected: string, value: unknown): undefined {
    this.add('SPEC_TYPE_INVALID', field, `expected ${expected}, found ${shown(value)}; fix the type of the field`);
    return undefined;
  }
}

/** The path of a map entry, e.g. `spec.http[0].match[0].headers["x-canary"]`. */
export function entryPath(field: string, key: string): string {
  return `${field}[${q(key)}]`;
}
