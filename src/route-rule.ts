import { Duration } from 'cdk8s';
import { Destination } from './destination';
import { FaultInjection } from './fault-injection';
import { HeaderOperations } from './header-operations';
import { Mirroring } from './mirror-policy';
import { Retries } from './retries';
import { RouteMatch } from './route-match';

/**
 * Policies of a rule. They apply to every request the rule matches, whichever destination of a split it
 * goes to: Istio has no per-destination timeout or retry policy. To give the canary stricter policies,
 * isolate its traffic in a rule of its own (by header or source) and set them there.
 */
export interface RulePolicies {
  /**
   * Timeout of the whole request, retries included.
   * @default - no timeout (Istio disables Envoy's 15s default)
   */
  readonly timeout?: Duration;

  /**
   * Retry policy.
   * @default - Istio's default policy: 2 retries on connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes
   */
  readonly retries?: Retries;

  /**
   * Header changes for every request of the rule and its responses.
   * @default - none
   */
  readonly headers?: HeaderOperations;

  /**
   * Fault injection.
   * @default - none
   */
  readonly fault?: FaultInjection;
}

/** The default rule: where requests that match no other rule go. */
export interface DefaultRuleOptions extends RulePolicies {
  /** Where the rule sends requests. */
  readonly to: Destination;

  /**
   * Shadow copies of the rule's requests to other subsets.
   * @default - no mirroring
   */
  readonly mirror?: Mirroring;
}

/** A rule that applies to the requests its conditions match. */
export interface RuleOptions extends DefaultRuleOptions {
  /** Match conditions: the rule applies when any of them holds; the fields of one condition must all hold. */
  readonly match: RouteMatch[];
}

