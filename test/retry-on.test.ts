/** RetryOn: the conditions as written in a rule's `retries.retryOn`, and the ones Istio rejects. */
import { Destination, RetryOn } from '../src';
import { checkoutRoute, httpRules } from './fixtures';

/** The `retryOn` a default rule retrying once on `retryOn` writes. */
function rendered(retryOn: RetryOn[]): string {
  const { chart, routes, v1 } = checkoutRoute();
  routes.addDefaultRule('d', { to: Destination.subset(v1), retries: { attempts: 1, retryOn } });
  return httpRules(chart)[0].retries.retryOn;
}

/** Adds a default rule named "d" retrying once on `retryOn`; throws what the route rejects. */
function addDefault(retryOn: RetryOn[]) {
  const { routes, v1 } = checkoutRoute();
  routes.addDefaultRule('d', { to: Destination.subset(v1), retries: { attempts: 1, retryOn } });
}

describe('RetryOn', () => {
  test('the named conditions, as Envoy names them, joined in order', () => {
    expect(rendered([
      RetryOn.FIVE_XX, RetryOn.GATEWAY_ERROR, RetryOn.RESET, RetryOn.RESET_BEFORE_REQUEST, RetryOn.CONNECT_FAILURE,
      RetryOn.ENVOY_RATELIMITED, RetryOn.RETRIABLE_4XX, RetryOn.REFUSED_STREAM, RetryOn.RETRIABLE_STATUS_CODES,
      RetryOn.RETRIABLE_HEADERS, RetryOn.HTTP3_POST_CONNECT_FAILURE,
    ])).toBe('5xx,gateway-error,reset,reset-before-request,connect-failure,envoy-ratelimited,retriable-4xx,refused-stream,'
      + 'retriable-status-codes,retriable-headers,http3-post-connect-failure');
  });

  test('the gRPC conditions', () => {
    expect(rendered([
      RetryOn.GRPC_CANCELLED, RetryOn.GRPC_DEADLINE_EXCEEDED, RetryOn.GRPC_INTERNAL, RetryOn.GRPC_RESOURCE_EXHAUSTED, RetryOn.GRPC_UNAVAILABLE,
    ])).toBe('cancelled,deadline-exceeded,internal,resource-exhausted,unavailable');
  });

  test('statusCode: a registered status', () => {
    expect(rendered([RetryOn.statusCode(503), RetryOn.statusCode(429)])).toBe('503,429');
  });

  test('custom: the condition as given', () => {
    expect(rendered([RetryOn.custom('reset'), RetryOn.FIVE_XX])).toBe('reset,5xx');
    expect(RetryOn.custom('reset').value).toBe('reset');
  });
});

describe('RetryOn errors', () => {
  test.each([
    ['a status code out of range', [RetryOn.statusCode(600)], /test\/routes: defaultRule\["d"\]\.retries\.retryOn\[0\]: 600 is not an HTTP status code Istio knows/],
    ['an unregistered status code', [RetryOn.statusCode(599)], /retries\.retryOn\[0\]: 599 is not an HTTP status code Istio knows/],
    ['a bad custom condition', [RetryOn.custom('Bad Value')], /retries\.retryOn\[0\]: "Bad Value" is not a retry condition; use lowercase letters, digits and '-'/],
    ['an empty list', [], /test\/routes: defaultRule\["d"\]\.retries\.retryOn: the list is empty/],
    ['a condition twice', [RetryOn.FIVE_XX, RetryOn.FIVE_XX], /retries\.retryOn: "5xx" is listed twice/],
  ])('%s', (_name, retryOn, message) => {
    expect(() => addDefault(retryOn)).toThrow(message);
  });
});
