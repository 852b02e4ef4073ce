import { Duration } from 'cdk8s';
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

/**
 * A duration for a message, the way people write one: `250ms`, `1.5s`, `2m`, `1h30m` (Go's units, which
 * Istio reads, so `1d` is written `24h`).
 */
export function durationText(duration: Duration): string {
  return millisText(duration.toMilliseconds({ integral: false }));
}

/** A number of milliseconds as `durationText` writes it. */
export function millisText(ms: number): string {
  if (ms < 1000) return `${round(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = round((ms % 60_000) / 1000);
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds > 0 ? `${seconds}s` : ''}`;
}

// Float noise out of a division (1100 / 1000 is 1.1, but 0.1 + 0.2 is not 0.3).
function round(value: number): number {
  return Number(value.toFixed(6));
}
