/**
 * Policies of an HTTP route: header operations, retries, fault injection, mirroring, redirect, direct
 * response, rewrite and CORS, as Istio's webhook checks them.
 */
import { RuleFinding } from './catalog';
import { checkDuration, checkPort } from './common-checks';
import { regexError } from './match-checks';
import { Report, entryPath } from './report';
import { HEADER_TOKEN, headerValueFinding, parseDuration, percentageError, q, utf8Length } from './values';

const AUTHORITY_HEADERS = ['host', ':authority'];

/**
 * Header operations, on a route or one destination. Request `set`/`add` may write the authority (`host`,
 * `:authority`); nothing may write other pseudo-headers, and removals and responses may not touch Host.
 * Returns the authority values the operations set, for the one-authority rule.
 */
export function checkHeaderOperations(r: Report, value: unknown, field: string): string[] {
  const headers = r.obj(value, field);
  if (headers === undefined) return [];
  const authorities: string[] = [];
  for (const side of ['request', 'response']) {
    const ops = r.obj(headers[side], `${field}.${side}`);
    if (ops === undefined) continue;
    for (const op of ['set', 'add']) {
      const at = `${field}.${side}.${op}`;
      for (const [name, headerValue] of r.stringMap(ops[op], at)) {
        checkOperationName(r, name, entryPath(at, name), side === 'request');
        r.addFinding(entryPath(at, name), headerValueFinding(headerValue));
        if (side === 'request' && AUTHORITY_HEADERS.includes(name.toLowerCase())) authorities.push(headerValue);
      }
    }
    r.strings(ops.remove, `${field}.${side}.remove`).forEach((name, i) => checkOperationName(r, name, `${field}.${side}.remove[${i}]`, false));
  }
  return authorities;
}

function checkOperationName(r: Report, name: string, field: string, mayWriteAuthority: boolean): void {
  if (name === '') {
    r.add('HEADER_NAME_INVALID', field, 'the header name is empty; name the header to change');
  } else if (mayWriteAuthority && AUTHORITY_HEADERS.includes(name.toLowerCase())) {
    return;
  } else if (name.toLowerCase() === 'host') {
    r.add('HEADER_NAME_INVALID', field, `${q(name)} cannot be changed here; set the Host header on requests (request.set or request.add) or with rewrite.authority`);
  } else if (name.startsWith(':')) {
    r.add('HEADER_NAME_INVALID', field, `${q(name)} is a pseudo-header, which header operations cannot change; use rewrite for :authority and :path`);
  }
}

// Envoy's x-envoy-retry-on and x-envoy-retry-grpc-on conditions that Istio accepts.
const RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
  'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

// The statuses Go's http.StatusText knows: Istio accepts exactly these as numeric retryOn conditions.
const KNOWN_STATUSES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424,
  425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

// What Istio retries on when a route sets no retryOn (pilot's default retry policy, with status 503).
export const DEFAULT_RETRY_ON = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'];

/**
 * Retries whose retryOn names status codes and no condition (but `retriable-status-codes`, which Istio adds
 * for the codes anyway). Istio reads the codes into Envoy's retriable status codes and keeps only
 * `retriable-status-codes` as the condition, so the default conditions are gone: a request whose connection
 * fails (a pod that went away) is no longer retried. Istio accepts it; the rule of the checker and the
 * L2 constructs, a warning for both. Only with attempts above 0, where the retries apply.
 */
export function retryOnStatusCodesOnlyFinding(retries: { readonly attempts?: unknown; readonly retryOn?: unknown }): RuleFinding | undefined {
  if (typeof retries.attempts !== 'number' || !(retries.attempts > 0) || typeof retries.retryOn !== 'string') return undefined;
  // Split as the webhook splits: a list it rejects (RETRY_ON_INVALID) gets no warning on top.
  const parts = retries.retryOn.split(',');
  const codes = parts.filter(isKnownStatus);
  if (codes.length === 0 || !parts.every((part) => isKnownStatus(part) || part === 'retriable-status-codes')) return undefined;
  return {
    code: 'RETRY_ON_STATUS_CODES_ONLY',
    message: `${q(retries.retryOn)} names status codes only, so Istio retries on them alone and drops its default conditions (${DEFAULT_RETRY_ON.join(', ')}): a failed connection is no longer retried; add the conditions you still want, e.g. "${[...DEFAULT_RETRY_ON, ...codes].join(',')}"`,
  };
}

function isKnownStatus(condition: string): boolean {
  return /^[+-]?\d+$/.test(condition) && KNOWN_STATUSES.has(Number(condition));
}

/** A route's retries (Istio's `validateHTTPRetry`). */
export function checkRetries(r: Report, value: unknown, field: string): void {
  const retries = r.obj(value, field);
  if (retries === undefined) return;
  const attempts = r.int(retries.attempts, `${field}.attempts`) ?? 0;
  if (attempts < 0) r.add('RETRY_ATTEMPTS_NEGATIVE', `${field}.attempts`, `${attempts} is negative; use 0 to turn retries off, or a positive number of retries`);
  const retryOn = r.str(retries.retryOn, `${field}.retryOn`) ?? '';
  const configured = ['perTryTimeout', 'retryOn', 'retryRemoteLocalities'].filter((k) => retries[k] !== undefined && retries[k] !== null && (k !== 'retryOn' || retryOn !== ''));
  if (attempts === 0 && configured.length > 0) {
    r.add('RETRY_POLICY_WHEN_DISABLED', field, `attempts is ${retries.attempts === undefined ? 'not set (0)' : '0'}, which turns retries off, yet ${configured.join(', ')} ${configured.length > 1 ? 'are' : 'is'} set; set attempts, or remove them`);
  }
  checkDuration(r, retries.perTryTimeout, `${field}.perTryTimeout`);
  checkDuration(r, retries.backoff, `${field}.backoff`);
  r.bool(retries.retryRemoteLocalities, `${field}.retryRemoteLocalities`);
  if (retryOn !== '') {
    // Istio splits on ',' without trimming, so "5xx, reset" holds the invalid " reset".
    for (const condition of retryOn.split(',')) {
      if (!isKnownStatus(condition) && !RETRY_ON.has(condition)) {
        r.add('RETRY_ON_INVALID', `${field}.retryOn`, `${q(condition)} is not a retry condition Envoy knows; use e.g. "5xx", "connect-failure", "reset" or a status code, comma-separated without spaces`);
      }
    }
  }
  r.addFinding(`${field}.retryOn`, retryOnStatusCodesOnlyFinding(retries));
}

const GRPC_STATUSES = new Set([
  'OK', 'CANCELLED', 'UNKNOWN', 'INVALID_ARGUMENT', 'DEADLINE_EXCEEDED', 'NOT_FOUND', 'ALREADY_EXISTS', 'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'ABORTED', 'OUT_OF_RANGE', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE',
  'DATA_LOSS', 'UNAUTHENTICATED',
]);

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function checkFaultPercentage(r: Report, value: unknown, field: string): void {
  const percentage = r.obj(value, field);
  if (percentage === undefined) return;
  const v = r.num(percentage.value, `${field}.value`) ?? 0;
  const problem = percentageError(v);
  if (problem !== undefined) r.add('FAULT_PERCENTAGE_INVALID', `${field}.value`, problem);
}

/** Fault injection (Istio's `validateHTTPFaultInjection`). */
export function checkFault(r: Report, value: unknown, field: string): void {
  const fault = r.obj(value, field);
  if (fault === undefined) return;
  const abort = r.obj(fault.abort, `${field}.abort`);
  const delay = r.obj(fault.delay, `${field}.delay`);
  if (abort === undefined && delay === undefined) {
    r.add('FAULT_EMPTY', field, 'the fault has neither abort nor delay; add one, or remove fault');
  }
  if (abort !== undefined) {
    const at = `${field}.abort`;
    checkFaultPercentage(r, abort.percentage, `${at}.percentage`);
    const types = ['httpStatus', 'grpcStatus', 'http2Error'].filter((k) => isSet(abort[k]));
    if (types.length > 1) {
      r.add('FAULT_ABORT_INVALID', at, `the abort sets ${types.join(' and ')}; choose one error type`);
    } else if (types[0] === 'httpStatus') {
      const status = r.int(abort.httpStatus, `${at}.httpStatus`);
      if (status !== undefined && (status < 200 || status > 600)) {
        r.add('FAULT_ABORT_INVALID', `${at}.httpStatus`, `${status} is not a status Istio can inject; use 200 to 599, e.g. 503`);
      }
    } else if (types[0] === 'grpcStatus') {
      const status = r.str(abort.grpcStatus, `${at}.grpcStatus`);
      if (status !== undefined && !GRPC_STATUSES.has(status)) {
        r.add('FAULT_ABORT_INVALID', `${at}.grpcStatus`, `${q(status)} is not a gRPC status name; use one such as "UNAVAILABLE" or "NOT_FOUND"`);
      }
    } else if (types[0] === 'http2Error') {
      r.add('FAULT_ABORT_INVALID', `${at}.http2Error`, 'Istio does not support HTTP/2 abort faults; use httpStatus or grpcStatus');
    } else {
      r.add('FAULT_ABORT_TYPE_MISSING', at, 'the abort has no httpStatus or grpcStatus, so it injects nothing useful; set one');
    }
  }
  if (delay !== undefined) {
    const at = `${field}.delay`;
    checkFaultPercentage(r, delay.percentage, `${at}.percentage`);
    r.int(delay.percent, `${at}.percent`);
    if (isSet(delay.fixedDelay) && isSet(delay.exponentialDelay)) {
      r.add('FAULT_DELAY_INVALID', at, 'the delay sets fixedDelay and exponentialDelay; use fixedDelay alone');
    }
    checkDuration(r, delay.fixedDelay, `${at}.fixedDelay`);
    if (isSet(delay.exponentialDelay)) {
      checkDuration(r, delay.exponentialDelay, `${at}.exponentialDelay`);
      r.add('FAULT_DELAY_INVALID', `${at}.exponentialDelay`, 'Istio does not support exponentialDelay yet; use fixedDelay');
    }
  }
}

/**
 * Mirroring fields: the deprecated mirrorPercent, mirrorPercentage and each mirrors[] percentage (0-100).
 * Destinations are checked with the route's destinations.
 */
export function checkMirrorPercentages(r: Report, http: { [key: string]: any }, field: string): void {
  // The CRD names the deprecated field by its proto name (mirror_percent, as the L1 class writes it); Istio reads
  // either spelling.
  for (const key of ['mirrorPercent', 'mirror_percent'].filter((k) => isSet(http[k]))) {
    const at = `${field}.${key}`;
    const percent = r.int(http[key], at);
    r.add('MIRROR_PERCENT_DEPRECATED', at, `${key} is deprecated; write mirrorPercentage: { value: <0-100> } instead`);
    if (percent !== undefined && (percent > 100 || percent < 0)) r.add('MIRROR_PERCENTAGE_INVALID', at, `${percent} is not a percentage; use 0 to 100`);
  }
  const check = (value: unknown, at: string) => {
    const percentage = r.obj(value, at);
    if (percentage === undefined) return;
    const v = r.num(percentage.value, `${at}.value`) ?? 0;
    if (v < 0 || v > 100) r.add('MIRROR_PERCENTAGE_INVALID', `${at}.value`, `${v} is not a percentage; use a number from 0 to 100`);
  };
  check(http.mirrorPercentage, `${field}.mirrorPercentage`);
  r.list(http.mirrors, `${field}.mirrors`).forEach((mirror, i) => {
    if (mirror !== null && typeof mirror === 'object') check(mirror.percentage, `${field}.mirrors[${i}].percentage`);
  });
}

/** A redirect (Istio's `validateHTTPRedirect`, which reports only its first problem). */
export function checkRedirect(r: Report, value: unknown, field: string): void {
  const redirect = r.obj(value, field);
  if (redirect === undefined) return;
  const uri = r.str(redirect.uri, `${field}.uri`) ?? '';
  const authority = r.str(redirect.authority, `${field}.authority`) ?? '';
  const scheme = r.str(redirect.scheme, `${field}.scheme`) ?? '';
  const code = r.int(redirect.redirectCode, `${field}.redirectCode`) ?? 0;
  const port = r.int(redirect.port, `${field}.port`);
  const derivePort = r.str(redirect.derivePort, `${field}.derivePort`);
  if (port !== undefined && derivePort !== undefined) {
    r.add('REDIRECT_INVALID', field, 'the redirect sets port and derivePort; use one of them');
  } else if (uri === '' && authority === '' && scheme === '' && port === undefined && derivePort === undefined) {
    r.add('REDIRECT_INVALID', field, 'the redirect has no target; set uri, authority, scheme or port');
  } else if (code !== 0 && (code < 300 || code > 399)) {
    r.add('REDIRECT_INVALID', `${field}.redirectCode`, `${code} is not a redirect status; use a 3xx code such as 301 or 302`);
  } else if (scheme !== '' && scheme !== 'http' && scheme !== 'https') {
    r.add('REDIRECT_INVALID', `${field}.scheme`, `${q(scheme)} is not a redirect scheme; use "http" or "https"`);
  } else if (port !== undefined && (port < 0 || port > 65535)) {
    r.add('REDIRECT_INVALID', `${field}.port`, `${port} is not a port number; use 1 to 65535`);
  } else if (derivePort !== undefined && derivePort !== 'FROM_PROTOCOL_DEFAULT' && derivePort !== 'FROM_REQUEST_PORT') {
    r.add('REDIRECT_INVALID', `${field}.derivePort`, `${q(derivePort)} is not a derivePort value; use FROM_PROTOCOL_DEFAULT or FROM_REQUEST_PORT`);
  }
}

const KIB = 1024;

// The decoded size of base64 text (proto bytes in JSON): 3 bytes per 4 characters, less the padding.
function base64Length(text: string): number {
  const chars = text.replace(/[\s=]/g, '').length;
  return Math.floor(chars * 3 / 4);
}

/** A direct response (Istio's `validateHTTPDirectResponse`). */
export function checkDirectResponse(r: Report, value: unknown, field: string): void {
  const response = r.obj(value, field);
  if (response === undefined) return;
  const body = r.obj(response.body, `${field}.body`);
  if (body !== undefined) {
    const text = r.str(body.string, `${field}.body.string`);
    const bytes = r.str(body.bytes, `${field}.body.bytes`);
    const size = text !== undefined ? utf8Length(text) : bytes !== undefined ? base64Length(bytes) : 0;
    if (size > KIB * KIB) {
      r.add('DIRECT_RESPONSE_INVALID', `${field}.body`, `the body is ${size} bytes; Istio accepts at most 1 MiB in a direct response, serve it from a service instead`);
    } else if (size > 100 * KIB) {
      r.add('DIRECT_RESPONSE_BODY_LARGE', `${field}.body`, `the body is ${size} bytes; bodies over 100 KiB slow the control plane, serve it from a service instead`);
    }
  }
  const status = r.int(response.status, `${field}.status`) ?? 0;
  if (status < 200 || status > 600) {
    r.add('DIRECT_RESPONSE_INVALID', `${field}.status`, `${status} is not a status Istio can return; use 200 to 599`);
  }
}

/**
 * A rewrite (Istio's `validateHTTPRewrite`, first problem only), and the one-authority rule
 * (`validateAuthorityRewrite`) over rewrite.authority and the route's request headers.
 */
export function checkRewrite(r: Report, value: unknown, field: string, authorities: string[], headersField: string): void {
  const rewrite = r.obj(value, field);
  const authority = r.str(rewrite?.authority, `${field}.authority`) ?? '';
  let current = authority;
  for (const next of authorities) {
    if (current !== '') {
      r.add('HEADER_AUTHORITY_MULTIPLE', headersField, `the authority is set to ${q(current)} and again to ${q(next)}; set it once, with rewrite.authority or one host header`);
      break;
    }
    current = next;
  }
  if (rewrite === undefined) return;
  const uri = r.str(rewrite.uri, `${field}.uri`) ?? '';
  const regexRewrite = r.obj(rewrite.uriRegexRewrite, `${field}.uriRegexRewrite`);
  if (uri !== '' && regexRewrite !== undefined) {
    r.add('REWRITE_INVALID', field, 'the rewrite sets uri and uriRegexRewrite; use one of them');
  } else if (uri === '' && regexRewrite === undefined && authority === '') {
    r.add('REWRITE_INVALID', field, 'the rewrite changes nothing; set uri, uriRegexRewrite or authority, or remove rewrite');
  } else if (regexRewrite !== undefined) {
    const match = r.str(regexRewrite.match, `${field}.uriRegexRewrite.match`) ?? '';
    const replacement = r.str(regexRewrite.rewrite, `${field}.uriRegexRewrite.rewrite`) ?? '';
    if (match === '' || replacement === '') {
      r.add('REWRITE_INVALID', `${field}.uriRegexRewrite`, 'uriRegexRewrite needs both match and rewrite; set the missing one');
    } else {
      const problem = regexError(match);
      if (problem !== undefined) r.add('REWRITE_INVALID', `${field}.uriRegexRewrite.match`, problem);
    }
  }
}

const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', '*']);

/** A CORS policy (Istio's `validateCORSPolicy`). */
export function checkCors(r: Report, value: unknown, field: string): void {
  const cors = r.obj(value, field);
  if (cors === undefined) return;
  r.list(cors.allowOrigins, `${field}.allowOrigins`).forEach((origin, i) => {
    const at = `${field}.allowOrigins[${i}]`;
    const match = r.obj(origin, at) ?? {};
    const set = ['exact', 'prefix', 'regex'].filter((k) => isSet(match[k]));
    const text = set.length === 1 ? r.str(match[set[0]], `${at}.${set[0]}`) : undefined;
    if (set.length > 1) {
      r.add('CORS_ORIGIN_INVALID', at, `the origin sets ${set.join(' and ')}; use one of exact, prefix and regex`);
    } else if (text === undefined || text === '') {
      r.add('CORS_ORIGIN_INVALID', at, 'the origin is empty; give exact, prefix or regex, e.g. exact: "https://shop.example.com"');
    } else if (set[0] === 'regex') {
      const problem = regexError(text);
      if (problem !== undefined) r.add('CORS_ORIGIN_INVALID', `${at}.regex`, problem);
    }
  });
  r.strings(cors.allowMethods, `${field}.allowMethods`).forEach((method, i) => {
    if (!CORS_METHODS.has(method)) {
      r.add('CORS_METHOD_INVALID', `${field}.allowMethods[${i}]`, `${q(method)} is not a method CORS can allow; use an upper-case method such as "GET" or "POST", or "*"`);
    }
  });
  for (const list of ['allowHeaders', 'exposeHeaders']) {
    r.strings(cors[list], `${field}.${list}`).forEach((name, i) => {
      if (name !== '*' && !HEADER_TOKEN.test(name)) {
        r.add('CORS_HEADER_INVALID', `${field}.${list}[${i}]`, name === '' ? 'the header name is empty; remove the entry or name a header' : `${q(name)} is not a valid header name; use letters, digits and !#$%&'*+-.^_\`|~, or "*"`);
      }
    });
  }
  if (isSet(cors.maxAge)) {
    checkDuration(r, cors.maxAge, `${field}.maxAge`);
    const ns = typeof cors.maxAge === 'string' ? parseDuration(cors.maxAge) : undefined;
    if (ns !== undefined && ns > 0n && ns % 1_000_000_000n !== 0n) {
      r.add('CORS_MAX_AGE_INVALID', `${field}.maxAge`, `${q(cors.maxAge)} has a fraction of a second; browsers cache preflights in whole seconds, use e.g. "24h" or "600s"`);
    }
  }
  r.bool(cors.allowCredentials, `${field}.allowCredentials`);
}

/** A port selector of a destination, when present: its number must be 1-65535. */
export function checkPortSelector(r: Report, value: unknown, field: string): void {
  const port = r.obj(value, field);
  if (port !== undefined) checkPort(r, port.number, `${field}.number`);
}
