import { IConstruct } from 'constructs';

const WARNING_METADATA_TYPE = 'cdk8s-istio-traffic:warning';

/**
 * Warnings: things Istio accepts that probably do not do what the author meant (a per-try timeout Envoy
 * ignores, retries the timeout cuts short). They are printed when the app synthesizes but do not stop it.
 */
export class Warnings {
  /** The node metadata type the warnings are stored under. */
  public static readonly METADATA_TYPE = WARNING_METADATA_TYPE;

  /**
   * The warnings recorded on a construct and everything below it, as `[path] field: message`.
   */
  public static of(scope: IConstruct): string[] {
    return scope.node.findAll().flatMap((c) => c.node.metadata
      .filter((m) => m.type === WARNING_METADATA_TYPE)
      .map((m) => `[${c.node.path}] ${m.data}`));
  }

  private constructor() {}
}

const printing = new WeakSet<IConstruct>();

/**
 * Records a warning: something Istio accepts that probably does not do what the author meant. It is kept
 * as node metadata (`node.metadata`, type `cdk8s-istio-traffic:warning`) and printed to stderr when the
 * app synthesizes; unlike an error, it does not stop synth.
 * @internal
 */
export function warn(scope: IConstruct, field: string, message: string): void {
  scope.node.addMetadata(WARNING_METADATA_TYPE, `${field}: ${message}`);
  if (!printing.has(scope)) {
    printing.add(scope);
    scope.node.addValidation({
      validate: () => {
        for (const entry of scope.node.metadata.filter((m) => m.type === WARNING_METADATA_TYPE)) {
          console.warn(`Warning: [${scope.node.path}] ${entry.data}`);
        }
        return [];
      },
    });
  }
}
