import { IConstruct } from 'constructs';
import { WARNING_METADATA_TYPE } from './private/warn';

/**
 * Warnings: things Istio accepts that probably do not do what the author meant (a per-try timeout Envoy
 * ignores, retries the timeout cuts short). They are printed when the app synthesizes, each once per synth
 * however many charts the app has, but do not stop it.
 * A warning of one of the checker's rules carries its code (`CODE field: message`), and the checker does
 * not report the same problem again.
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

