import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from './private/errors';

// Istio accepts a numeric retryOn entry only if Go's net/http has a name for the status.
const KNOWN_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423,
  424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

/**
 * A condition under which Envoy retries a request (`retryOn`).
 *
 * The static members are all the conditions Istio 1.30's webhook accepts (it rejects any other name), and
 * `RetryOn.statusCode()` retries a specific HTTP status. A `retryOn` replaces Istio's default conditions
 * (connect-failure, refused-stream, unavailable, cancelled and retriable-status-codes with 503): list the
 * ones you still want next to your own.
 */
export class RetryOn {
  /** Any 5xx response, and connection failures. */
  public static readonly FIVE_XX = new RetryOn('5xx');
  /** 502, 503 or 504 responses. */
  public static readonly GATEWAY_ERROR = new RetryOn('gateway-error');
  /** No response at all (disconnect, reset, read timeout). */
  public static readonly RESET = new RetryOn('reset');
  /** A reset before the request was sent. */
  public static readonly RESET_BEFORE_REQUEST = new RetryOn('reset-before-request');
  /** The connection to the upstream failed. */
  public static readonly CONNECT_FAILURE = new RetryOn('connect-failure');
  /** The upstream sent `x-envoy-ratelimited`. */
  public static readonly ENVOY_RATELIMITED = new RetryOn('envoy-ratelimited');
  /** A 409 response. */
  public static readonly RETRIABLE_4XX = new RetryOn('retriable-4xx');
  /** The upstream reset the stream with REFUSED_STREAM. */
  public static readonly REFUSED_STREAM = new RetryOn('refused-stream');
  /**
   * The statuses listed with `RetryOn.statusCode()` in the same `retryOn`, and those the request names in its
   * `x-envoy-retriable-status-codes` header. Istio adds this condition itself when the list holds a status
   * code. Without one it retries only on the header's statuses: not on 503, as Istio's default policy does.
   */
  public static readonly RETRIABLE_STATUS_CODES = new RetryOn('retriable-status-codes');
  /** A response header listed in the request's `x-envoy-retriable-header-names`. */
  public static readonly RETRIABLE_HEADERS = new RetryOn('retriable-headers');
  /** An HTTP/3 connection failure after connecting. */
  public static readonly HTTP3_POST_CONNECT_FAILURE = new RetryOn('http3-post-connect-failure');
  /** gRPC status CANCELLED. */
  public static readonly GRPC_CANCELLED = new RetryOn('cancelled');
  /** gRPC status DEADLINE_EXCEEDED. */
  public static readonly GRPC_DEADLINE_EXCEEDED = new RetryOn('deadline-exceeded');
  /** gRPC status INTERNAL. */
  public static readonly GRPC_INTERNAL = new RetryOn('internal');
  /** gRPC status RESOURCE_EXHAUSTED. */
  public static readonly GRPC_RESOURCE_EXHAUSTED = new RetryOn('resource-exhausted');
  /** gRPC status UNAVAILABLE. */
  public static readonly GRPC_UNAVAILABLE = new RetryOn('unavailable');

  /**
   * Retry on one HTTP status code, e.g. 503 (Istio adds `retriable-status-codes` for it). A `retryOn` of
   * status codes alone retries on those statuses only, not on connection failures as Istio's default does
   * (warning RETRY_ON_STATUS_CODES_ONLY): list `RetryOn.CONNECT_FAILURE` and the others you want with it.
   * @param code a registered HTTP status code
   */
  public static statusCode(code: number): RetryOn {
    return new RetryOn(String(code));
  }

  private constructor(
    /** The condition as it appears in `retryOn`. */
    public readonly value: string,
  ) {}

  /** @internal */
  public _check(scope: IConstruct, field: string): void {
    if (/^\d+$/.test(this.value) && !KNOWN_STATUS_CODES.has(Number(this.value))) {
      fail(scope, field, `${this.value} is not an HTTP status code Istio knows; use a registered status such as 503`);
    }
  }
}

/** How Envoy retries a failed request on a rule. */
export interface Retries {
  /** Number of retries after the first try; 0 turns retries off (Istio's default policy retries twice). */
  readonly attempts: number;

  /**
   * Timeout of each try. Keep it below the rule's `timeout`: Envoy ignores a per-try timeout that is not
   * (warning RETRY_PER_TRY_TIMEOUT_IGNORED), and tries that do not fit in the timeout are cut short
   * (warning RETRY_BUDGET_EXCEEDS_TIMEOUT). Istio accepts both, and so does the route: you may mean a
   * budget that cuts the last retry short.
   * @default - the rule's timeout
   */
  readonly perTryTimeout?: Duration;

  /**
   * When to retry. The list replaces Istio's default conditions, so name every condition you want: status
   * codes alone drop connect-failure and the others (warning RETRY_ON_STATUS_CODES_ONLY).
   * @default - Istio's default: connect-failure, refused-stream, unavailable, cancelled, and retriable-status-codes with 503
   */
  readonly retryOn?: RetryOn[];

  /**
   * Whether each retry skips the priority levels already tried. Istio adds Envoy's `previous_priorities`
   * retry priority for it, and nothing else: it changes where retries go only when the endpoints have
   * several priorities, which Istio's locality failover gives them (locality load balancing with outlier
   * detection in the DestinationRule). It neither turns locality load balancing on nor, by itself, sends
   * retries to other localities.
   * @default false - retries use the same priorities as first tries
   */
  readonly retryRemoteLocalities?: boolean;
}

