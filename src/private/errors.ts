import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Throws the library's construction-time error: `<construct path>: <field>: <message>`, where the field is
 * the prop path as the user wrote it (`targets[0].percentage`, `rules["canary"].match[0]`).
 *
 * Validation errors raised at synth (through `Node.addValidation`) need no prefix: cdk8s already
 * prints them as `[<construct path>] <message>`.
 */
export function fail(scope: IConstruct, field: string, message: string): never {
  const at = userField(scope, field);
  throw new Error(`${at.path}: ${at.field}: ${message}`);
}

/** `fail` for a construct not created yet: `<path of scope>/<id>: <field>: <message>`. */
export function failChild(scope: IConstruct, id: string, field: string, message: string): never {
  throw new Error(`${scope.node.path === '' ? id : `${scope.node.path}/${id}`}: ${field}: ${message}`);
}

/** `parent.child`, `parent[0]` for an index, or `child` alone at the top of the props. */
export function joinField(parent: string, child: string): string {
  const rest = child.startsWith('.') ? child.slice(1) : child;
  if (parent === '') return rest;
  if (rest === '') return parent;
  return rest.startsWith('[') ? `${parent}${rest}` : `${parent}.${rest}`;
}

// Children being built from their parent's props (see `builtFrom`), innermost last.
const building: { readonly parent: IConstruct; readonly id: string; readonly field: (childField: string) => string }[] = [];

/**
 * Builds the child `id` of `parent` from the parent's props, with the problems found while it is built
 * reported as the parent's: at the parent's path, and at the parent's prop that `field` maps the child's
 * field to. A preset's route, made from the preset's `hosts` and `gateways`, says `hosts[0]` of the preset
 * the user wrote, not of a CompositeRoute they never created.
 */
export function builtFrom<T>(parent: IConstruct, id: string, field: (childField: string) => string, build: () => T): T {
  building.push({ parent, id, field });
  try {
    return build();
  } finally {
    building.pop();
  }
}

/** Where a problem at `field` of `scope` is shown: the construct the user created and the prop path they wrote. */
export function userField(scope: IConstruct, field: string): { readonly scope: IConstruct; readonly path: string; readonly field: string } {
  for (let i = building.length - 1; i >= 0; i--) {
    const { parent, id, field: map } = building[i];
    if (scope.node.scope === parent && scope.node.id === id) return userField(parent, map(field));
  }
  return { scope, path: scope.node.path, field };
}

/** Quotes a user value for an error message. */
export function q(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Quotes a value of the wrong type, which can be a whole object, cut to `max` characters. */
export function shown(value: unknown, max: number = 40): string {
  const text = q(value);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A duration for a message, the way people write one: `250ms`, `1.5s`, `2m`, `1h30m` (Go's units, which
 * Istio reads, so `1d` is written `24h`), and `1500.5ms` for one that is not a whole number of milliseconds.
 */
export function durationText(duration: Duration): string {
  return millisText(duration.toMilliseconds({ integral: false }));
}

/** A number of milliseconds as `durationText` writes it; a fraction of a millisecond stays in milliseconds. */
export function millisText(ms: number): string {
  if (ms < 1000 || !Number.isInteger(round(ms))) return `${round(ms)}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = round((ms % 60_000) / 1000);
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 ? `${minutes}m` : ''}${seconds > 0 ? `${seconds}s` : ''}`;
}

// Float noise out of a division (1100 / 1000 is 1.1, but 0.1 + 0.2 is not 0.3).
function round(value: number): number {
  return Number(value.toFixed(6));
}
