/** A share of a rule's requests and where it goes. */
export interface SubsetShare {
  /** The destination host, fully qualified when the manifest's namespace is known. */
  readonly host: string;

  /**
   * The subset of the host.
   * @default - no subset: any pod of the host
   */
  readonly subset?: string;

  /**
   * The destination port.
   * @default - the port the request was sent to
   */
  readonly port?: number;

  /** Chance that a request of the rule goes here, from 0 to 1 (a weight divided by the sum of the weights). */
  readonly probability: number;

  /**
   * The cookie the response sets, as `name=value` (a sticky split's version cookie, on assignment).
   * @default - the response sets no cookie
   */
  readonly setsCookie?: string;

  /**
   * The name of the cookie the response expires (`Max-Age=0`): a sticky split's version cookie, where the
   * public is no longer split, so that its pin ends.
   * @default - the response expires no cookie
   */
  readonly expiresCookie?: string;
}

/** Copies of a rule's requests sent to another destination, whose responses are dropped. */
export interface MirrorShare {
  /** The host that receives the copies. */
  readonly host: string;

  /**
   * The subset that receives the copies.
   * @default - no subset: any pod of the host
   */
  readonly subset?: string;

  /**
   * The port that receives the copies.
   * @default - the port the request was sent to
   */
  readonly port?: number;

  /** Chance that a request of the rule is copied here, from 0 to 1. */
  readonly probability: number;
}
