/**
 * Reading plain JSON (a manifest as YAML or cdk8s gives it) without trusting its shape: a field that is not what
 * the code expects reads as absent. The checker reports wrong types itself; these only keep its readers safe.
 */

/** Whether `value` is a JSON object (not null, not a list). */
export function isPlain(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value` if it is a list, else an empty one. */
export function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** The strings of `value` if it is a list, else none. */
export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

/** Orders strings by code unit, as Go's string comparison does (not by locale). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
