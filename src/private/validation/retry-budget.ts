/**
 * The retry budget of an HTTP route: one rule for the checker (src/private/validation/analyzers.ts) and the L2
 * constructs (src/private/render/route-rule.ts), which both read the route as Istio writes it.
 */
import { durationError, durationMs } from './values';
import { isPlain } from '../json-values';

/** What `retryBudgetProblem` finds. */
export interface RetryBudgetProblem {
  readonly code: 'RETRY_PER_TRY_TIMEOUT_IGNORED' | 'RETRY_BUDGET_EXCEEDS_TIMEOUT';
  /** The field, relative to the HTTP route: `retries.perTryTimeout` or `retries`. */
  readonly field: string;
  readonly message: string;
}

/**
 * The retry budget of an HTTP route, as written in a VirtualService (`timeout: 10s`, `retries:
 * {attempts: 3, perTryTimeout: 3s}`). Istio accepts both problems, but Envoy ignores a per-try timeout that
 * is not below the route timeout, and the route timeout cuts off retries that would run past it.
 *
 * The one copy of the rule: the checker reports what it returns with the catalog's severity (a warning, as
 * Istio accepts the route), and the L2 constructs call it on every rule they render, when it is added,
 * and warn the same (the author may mean a budget that cuts the last retry short).
 */
export function retryBudgetProblem(route: { readonly timeout?: unknown; readonly retries?: unknown }): RetryBudgetProblem | undefined {
  const retries = isPlain(route.retries) ? route.retries : {};
  const attempts = retries.attempts;
  if (typeof attempts !== 'number' || !Number.isInteger(attempts) || attempts <= 0) return undefined;
  if (durationError(route.timeout) !== undefined || durationError(retries.perTryTimeout) !== undefined) return undefined;
  const timeout = durationMs(route.timeout)!;
  const perTry = durationMs(retries.perTryTimeout)!;
  if (perTry >= timeout) {
    return {
      code: 'RETRY_PER_TRY_TIMEOUT_IGNORED',
      field: 'retries.perTryTimeout',
      message: `${retries.perTryTimeout} is not below the timeout of ${route.timeout}, so Envoy ignores it and the first try can use the whole timeout; make it shorter than the timeout`,
    };
  }
  if (perTry * (attempts + 1) > timeout) {
    return {
      code: 'RETRY_BUDGET_EXCEEDS_TIMEOUT',
      field: 'retries',
      message: `${attempts + 1} tries of up to ${retries.perTryTimeout} can take longer than the timeout of ${route.timeout}, which cuts the last retries short; lower attempts or perTryTimeout, or raise the timeout`,
    };
  }
  return undefined;
}

