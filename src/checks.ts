import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, q } from './errors';

// Kubernetes DNS-1123 label: what Istio requires of subset names and what a rule name should be.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// A DNS name with an optional leading wildcard label; upper case is not allowed in Kubernetes names.
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Istio accepts any RFC 7230 token as a header name, upper case included; Envoy lowercases names, so an
// upper-case name in YAML reads as something it is not. We accept the lowercase tokens.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~a-z0-9]+$/;
// Kubernetes label key (optional DNS prefix, then a name) and value.
const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks a Kubernetes DNS-1123 label (subset names, rule names). */
export function checkDnsLabel(scope: IConstruct, field: string, value: string): void {
  if (value.length > 63 || !DNS1123_LABEL.test(value)) {
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
  if (!HEADER_NAME.test(value)) {
    const hint = HEADER_NAME.test(value.toLowerCase()) ? `use ${q(value.toLowerCase())}: Envoy lowercases header names` : 'use lowercase letters, digits and !#$%&\'*+-.^_`|~';
    fail(scope, field, `${q(value)} is not a valid header name; ${hint}`);
  }
}

/** Checks Kubernetes labels (subset selectors, sourceLabels). */
export function checkLabels(scope: IConstruct, field: string, labels: { [key: string]: string }): void {
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    const keyOk = name.length <= 63 && LABEL_NAME.test(name) && (prefix === undefined || (prefix.length <= 253 && LABEL_PREFIX.test(prefix)));
    if (!keyOk) {
      fail(scope, field, `${q(key)} is not a valid label key; use an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.'`);
    }
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
      fail(scope, field, `label ${q(key)} has the invalid value ${q(value)}; use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);
    }
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
