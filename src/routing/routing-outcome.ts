import { MirrorShare, SubsetShare } from './subset-share';

/** Where a simulated request goes. */
export interface RoutingOutcome {
  /** The host the request was addressed to. */
  readonly host: string;

  /**
   * The VirtualService that routed it, as `namespace/name`.
   * @default - no VirtualService applies: the request goes to any pod of the host, or gets 404 at a gateway
   */
  readonly virtualService?: string;

  /**
   * The rule that matched: its name, or `#<position>` for a rule without a name.
   * @default - no rule matched
   */
  readonly rule?: string;

  /**
   * Position of the matching rule in the VirtualService, from 1.
   * @default - no rule matched
   */
  readonly rulePosition?: number;

  /** Where the request goes, with the chance of each destination; empty when it is answered without forwarding. */
  readonly destinations: SubsetShare[];

  /** Where copies of the request go. */
  readonly mirrors: MirrorShare[];

  /**
   * The answer when the request is not forwarded: 404 (NR) when no rule matches, a redirect, a fixed response.
   * @default - the request is forwarded to `destinations`
   */
  readonly response?: string;

  /** Things that make the outcome uncertain or surprising, e.g. a second VirtualService for the host. */
  readonly notes: string[];

  /** The outcome in one line. */
  readonly summary: string;
}
