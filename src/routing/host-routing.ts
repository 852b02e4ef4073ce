import { MirrorShare, SubsetShare } from './subset-share';

/** A subset a DestinationRule defines: a name for the pods that carry some labels. */
export interface SubsetDefinition {
  /** The subset's name, as routes refer to it. */
  readonly name: string;

  /** The pod labels that select the subset. */
  readonly labels: { [key: string]: string };

  /**
   * The version Service that stands for the subset on an HTTPRoute, as `namespace/name`: its selector is the
   * host's plus `labels`.
   * @default - a subset of a DestinationRule
   */
  readonly service?: string;
}

/** The retry policy of a rule, as written. */
export interface RuleRetries {
  /** Retries after the first try; 0 means no retries. */
  readonly attempts: number;

  /**
   * Timeout of each try, as Istio writes durations (`1s`).
   * @default - each try may use the rule's whole timeout
   */
  readonly perTryTimeout?: string;

  /**
   * Conditions that trigger a retry, comma-separated.
   * @default - Istio's defaults: connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retryOn?: string;
}

/** One rule of a VirtualService, in words and numbers. */
export interface RoutingRule {
  /** Position in the VirtualService's `http` list, from 1: rules are tried in this order and the first match wins. */
  readonly position: number;

  /**
   * The rule's name.
   * @default - the rule has no name
   */
  readonly name?: string;

  /**
   * The rule's conditions in words, one entry per alternative (any of them matches); the parts of one entry
   * must all hold. Empty when the rule matches every request.
   */
  readonly when: string[];

  /** Whether the rule matches every request, so that no later rule is ever used. */
  readonly matchesEverything: boolean;

  /** False when an earlier rule matches every request, so this one is never used. */
  readonly reachable: boolean;

  /** Where the matched requests go, with their chances; empty when the rule answers by itself (see `response`). */
  readonly destinations: SubsetShare[];

  /**
   * What the rule answers instead of forwarding: a redirect, a fixed response or a delegation.
   * @default - the rule forwards requests to its destinations
   */
  readonly response?: string;

  /** Where copies of the matched requests go. */
  readonly mirrors: MirrorShare[];

  /**
   * Timeout of the whole request, retries included, as written (`2s`).
   * @default - no timeout
   */
  readonly timeout?: string;

  /**
   * The retry policy.
   * @default - Istio's default retry policy (2 retries)
   */
  readonly retries?: RuleRetries;

  /**
   * Injected faults in words.
   * @default - no fault injection
   */
  readonly fault?: string;

  /**
   * Version stickiness in words: the cookie a pinning rule matches (`pins name=value`, with `, renews it`
   * when the pin sends the cookie again), the cookie a split sets (`sets name for 12h, not renewed`), or the
   * cookie a rule expires where the public is not split (`expires name=value`).
   * @default - the rule neither pins, sets nor expires a version cookie
   */
  readonly sticky?: string;
}

/** How one host is routed: by one VirtualService (for sidecars or at gateways), or by default. */
export interface HostRouting {
  /** The host requests are addressed to, short names expanded in the namespace of the object that names them. */
  readonly host: string;

  /**
   * The VirtualService, as `namespace/name`.
   * @default - no VirtualService routes the host: requests go to any of its pods
   */
  readonly virtualService?: string;

  /**
   * The Gateway API HTTPRoutes the routing was read from, as `namespace/name`, oldest first; Istio merges
   * the rules of all HTTPRoutes of one host and place into one VirtualService, which `virtualService` names
   * after the first of them.
   * @default - the routing is a VirtualService's
   */
  readonly httpRoutes?: string[];

  /** Where the VirtualService applies: `mesh` for sidecars and gateway names as `namespace/name`; empty without one. */
  readonly appliesTo: string[];

  /**
   * The DestinationRule of the host, as `namespace/name`.
   * @default - no DestinationRule for the host
   */
  readonly destinationRule?: string;

  /** The subsets the DestinationRule defines; for an HTTPRoute without one, the host's version Services. */
  readonly subsets: SubsetDefinition[];

  /**
   * How the DestinationRule picks a pod inside a subset when it hashes requests, in words. This is pod
   * affinity; it does not keep a user on one version of a weighted split.
   * @default - no consistent hash: pods are balanced request by request
   */
  readonly podAffinity?: string;

  /** The rules in the order they are tried. */
  readonly rules: RoutingRule[];

  /** Where requests go that no conditional rule matches; empty when no rule matches everything (they get 404). */
  readonly unmatched: SubsetShare[];

  /** Things a reviewer should know: conflicts, unknown subsets, rules that are never used. */
  readonly notes: string[];
}
