import { IConstruct } from 'constructs';
import { userField } from './errors';

export const WARNING_METADATA_TYPE = 'cdk8s-istio-traffic:warning';

const printing = new WeakSet<IConstruct>();

/**
 * Records a warning: something Istio accepts that probably does not do what the author meant. It is kept
 * as node metadata (`node.metadata`, type `cdk8s-istio-traffic:warning`) and printed to stderr once when the
 * app synthesizes (`printWarning`); unlike an error, it does not stop synth. A warning of one of the checker's rules carries
 * its code, and reads like the checker's findings: `CODE field: message`.
 */
export function warn(construct: IConstruct, prop: string, message: string, code?: string): void {
  const { scope, field } = userField(construct, prop);
  const data = `${code === undefined ? '' : `${code} `}${field}: ${message}`;
  // Rules rendered from one set of props (a sticky split's pins and split) find the same problem once each.
  if (scope.node.metadata.some((m) => m.type === WARNING_METADATA_TYPE && m.data === data)) return;
  scope.node.addMetadata(WARNING_METADATA_TYPE, data);
  if (!printing.has(scope)) {
    printing.add(scope);
    scope.node.addValidation({
      validate: () => {
        for (const entry of scope.node.metadata.filter((m) => m.type === WARNING_METADATA_TYPE)) {
          printWarning(scope, `Warning: [${scope.node.path}] ${entry.data}`);
        }
        return [];
      },
    });
  }
}

// The warning lines printed by the current synth, per app. cdk8s validates the whole app once for
// app.synth() (or synthYaml) and again for every chart it writes (Chart.toJson), all in one synchronous run:
// the set is dropped when that run ends, so the next synth prints its warnings again.
const printed = new WeakMap<IConstruct, Set<string>>();

/**
 * Prints a warning line to stderr, unless the current synth of `scope`'s app has already printed it: each
 * warning once per synth, however many charts the app has.
 */
export function printWarning(scope: IConstruct, line: string): void {
  const root = scope.node.root;
  let lines = printed.get(root);
  if (lines === undefined) {
    lines = new Set();
    printed.set(root, lines);
    queueMicrotask(() => printed.delete(root));
  }
  if (lines.has(line)) return;
  lines.add(line);
  console.warn(line);
}

// What the constructs reported about the parts of the specs they render (the rules of a route), by code.
const reported = new WeakMap<object, Set<string>>();

/**
 * Records that a construct reported the checker's rule `code` about `part`, a piece of the spec it renders
 * (an HTTP rule), so that the checker at synth does not report it a second time.
 */
export function markReported(part: object, code: string): void {
  const codes = reported.get(part);
  if (codes === undefined) reported.set(part, new Set([code]));
  else codes.add(code);
}

/** Whether a construct reported the checker's rule `code` about `part` (see `markReported`). */
export function wasReported(part: object, code: string): boolean {
  return reported.get(part)?.has(code) ?? false;
}
