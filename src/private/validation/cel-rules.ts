/**
 * PLACEHOLDER until branch wt-cel is merged: that branch writes the real module (the CRDs' CEL rules,
 * x-kubernetes-validations, evaluated with cel-js) with this signature. On a merge conflict, take wt-cel's file.
 */

/** A CEL rule that a value breaks. */
export interface CelViolation {
  readonly path: string;
  readonly message: string;
  readonly rule: string;
  readonly unsupported?: boolean;
}

/** The CEL rules `value` (at field path `path`, '' for a manifest, of `schema`) breaks; none in this placeholder. */
export function celViolations(_schema: any, _value: unknown, _path: string): CelViolation[] {
  return [];
}
