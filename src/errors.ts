import { IConstruct } from 'constructs';

/**
 * Throws the library's construction-time error: `<construct path>: <field>: <message>`.
 *
 * Validation errors raised at synth (through `Node.addValidation`) need no prefix: cdk8s already
 * prints them as `[<construct path>] <message>`.
 */
export function fail(scope: IConstruct, field: string, message: string): never {
  throw new Error(`${scope.node.path}: ${field}: ${message}`);
}

/** Quotes a user value for an error message. */
export function q(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
