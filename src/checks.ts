import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, q } from './errors';
import { HEADER_TOKEN, isDnsLabel, labelError } from './validation/values';

// The L2 API takes Istio's own value rules (src/validation/values.ts) and is stricter where Istio accepts
// what Kubernetes or Envoy would not read as written: upper case in names, over-long label values.
const isLowerCase = (value: string) => value === value.toLowerCase();
// A DNS name with an optional leading wildcard label; upper case is not allowed in Kubernetes names.
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks a Kubernetes DNS-1123 label (subset names, rule names). */
export function checkDnsLabel(scope: IConstruct, field: string, value: string): void {
  if (!isDnsLabel(value) || !isLowerCase(value)) {
    fail(scope, field, `${q(value)} is not a valid name; use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** Checks a service host name, which must be fully qualified so that it means one service wherever it is used. */
export function checkFqdn(scope: IConstruct, field: string, value: string): void {
  if (!HOSTNAME.test(value) || value.length > 253) {
    fail(scope, field, `${q(value)} is not a valid host name; use a lowercase DNS name such as "checkout-service.prod.svc.cluster.local"`);
  }
  if (!value.includes('.')) {
    fail(scope, field, `${q(value)} is a short name, which Istio resolves in the namespace of each object that uses it; use the fully qualified name, e.g. "${value}.<namespace>.svc.cluster.local"`);
  }
}

/** Checks an HTTP header name used in a match or a header operation. */
export function checkHeaderName(scope: IConstruct, field: string, value: string): void {
  // Istio accepts any RFC 7230 token, upper case included; Envoy lowercases names, so an upper-case name
  // in YAML reads as something it is not.
  if (!HEADER_TOKEN.test(value) || !isLowerCase(value)) {
    const hint = HEADER_TOKEN.test(value) ? `use ${q(value.toLowerCase())}: Envoy lowercases header names` : 'use lowercase letters, digits and !#$%&\'*+-.^_`|~';
    fail(scope, field, `${q(value)} is not a valid header name; ${hint}`);
  }
}

/** Checks Kubernetes labels (subset selectors, sourceLabels). */
export function checkLabels(scope: IConstruct, field: string, labels: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(labels)) {
    const prefix = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
    const error = labelError(key, value)
      // Kubernetes (not Istio) also wants a lowercase prefix and values of at most 63 characters.
      ?? (isLowerCase(prefix) ? undefined : `${q(key)} is not a valid label key; use an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.'`)
      ?? (value.length <= 63 ? undefined : `label ${q(key)} has the invalid value ${q(value)}; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);
    if (error !== undefined) fail(scope, field, error);
  }
}

/** Checks a percentage from 0 to 100 (fractions allowed). */
export function checkPercentage(scope: IConstruct, field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    fail(scope, field, `${value} is not a percentage; use a number from 0 to 100`);
  }
}

/** Checks a whole number within a range. */
export function checkInteger(scope: IConstruct, field: string, value: number, min: number, max: number = 2 ** 31 - 1): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(scope, field, `${value} is out of range; use a whole number from ${min} to ${max}`);
  }
}

/**
 * Renders a duration the way Istio writes it (`10s`, `250ms`), after the checks of Istio's webhook:
 * at least 1ms, and whole milliseconds only.
 */
export function istioDuration(scope: IConstruct, field: string, duration: Duration): string {
  const ms = duration.toMilliseconds({ integral: false });
  if (!(ms >= 1)) {
    fail(scope, field, `${duration.toHumanString()} is too short; Istio needs a duration of at least 1ms`);
  }
  if (!Number.isInteger(ms)) {
    fail(scope, field, `${duration.toHumanString()} is not a whole number of milliseconds; Istio supports millisecond precision only`);
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
