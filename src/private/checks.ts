import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { durationText, fail, q, userField } from './errors';
import { Severity } from '../validation/finding';
import { Code, RuleFinding, RULES } from './validation/catalog';
import { HEADER_TOKEN, isDnsLabel, labelError, shortHostFinding } from './validation/values';
import { warn } from './warn';

/**
 * The L2 profile: how the constructs treat what a shared rule predicate finds (src/validation/*.ts, the
 * same predicates the checker and the routing model call), where it differs from Istio's severity in the
 * catalog (src/private/validation/catalog.ts). Each entry is stricter than Istio, and the doc comment of the prop or
 * method that can cause it says why. Every other rule keeps Istio's severity: an error throws, a warning is
 * recorded with `warn`, an info is dropped.
 */
const L2_PROFILE: { readonly [C in Code]?: Severity } = {
  // Destination.split: the weights are the percentages the YAML shows, not ratios.
  VS_WEIGHT_SUM_NOT_100: Severity.ERROR,
  // CompositeRouteProps.hosts: rules two objects merge on one gateway answer in the order they were applied.
  XO_GATEWAY_HOST_CONFLICT: Severity.ERROR,
  // SubsetsProps.host, CompositeRouteProps.hosts: a DestinationRule and a VirtualService of the library may
  // sit in different namespaces, where one short name means two services.
  HOST_SHORT_NAME: Severity.ERROR,
  // RouteMatch.headers and withoutHeaders: the route's own checks (trusted headers on gateways, duplicate
  // conditions) compare names as written.
  MATCH_HEADER_NAME_UPPERCASE: Severity.ERROR,
  // CompositeRoute.addRule: a route always ends with its default rule, which a catch-all condition hides; and
  // a rule or match that earlier ones already take is dead code in the route.
  VS_RULE_UNREACHABLE: Severity.ERROR,
  VS_MATCH_SHADOWED: Severity.ERROR,
  // CompositeRouteProps.trustedHeaders and trustedQueryParams: a canary anyone can opt into from the internet.
  MATCH_FORGEABLE_ON_GATEWAY: Severity.ERROR,
};

/** The severity the constructs give a finding of `code`. */
export function l2Severity(code: Code): Severity {
  return L2_PROFILE[code] ?? RULES[code][0];
}

/** A finding a construct reported, as `collectFindings` returns it. */
export interface ConstructFinding {
  readonly code: Code;
  /** The L2 profile's severity. */
  readonly severity: Severity;
  readonly path: string;
  readonly field: string;
  readonly message: string;
}

let collecting: ConstructFinding[] | undefined;

/**
 * Reports what a shared rule predicate found at `field` of a construct, with the L2 profile's severity: an
 * error throws (`<path>: <field>: <message> (<CODE>)`), a warning is recorded with `warn`. The code lets the
 * user read the rule's page: `cdk8s-istio-traffic rules CODE`.
 */
export function report(scope: IConstruct, field: string, finding: RuleFinding | undefined): void {
  if (finding === undefined) return;
  const severity = l2Severity(finding.code);
  if (collecting !== undefined) {
    const at = userField(scope, field);
    collecting.push({ code: finding.code, severity, path: at.path, field: at.field, message: finding.message });
    return;
  }
  // An error names the code after the fix; a warning reads like the checker's findings, `CODE field: message`.
  if (severity === Severity.ERROR) fail(scope, field, `${finding.message} (${finding.code})`);
  if (severity === Severity.WARNING) warn(scope, field, finding.message, finding.code);
}

/**
 * Runs `build` with every finding `report` receives collected instead of thrown or recorded, and returns
 * them: all the problems of a configuration, not only the first error. For tests that compare the
 * constructs' findings with the checker's.
 */
export function collectFindings(build: () => void): ConstructFinding[] {
  const outer = collecting;
  const found: ConstructFinding[] = [];
  collecting = found;
  try {
    build();
  } finally {
    collecting = outer;
  }
  return found;
}

// The L2 API takes Istio's own value rules (src/private/validation/values.ts) and is stricter where Istio accepts
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

/**
 * Checks a service host name of the object of `kind` a construct writes: a lowercase DNS name, and fully
 * qualified (HOST_SHORT_NAME, an error here) so that it means one service wherever it is used.
 */
export function checkFqdn(scope: IConstruct, field: string, value: string, kind: 'VirtualService' | 'DestinationRule'): void {
  if (!HOSTNAME.test(value) || value.length > 253) {
    fail(scope, field, `${q(value)} is not a valid host name; use a lowercase DNS name such as "checkout-service.prod.svc.cluster.local"`);
  }
  report(scope, field, shortHostFinding(value, kind));
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
    fail(scope, field, `${durationText(duration)} is too short; Istio needs a duration of at least 1ms`);
  }
  if (!Number.isInteger(ms)) {
    fail(scope, field, `${durationText(duration)} is not a whole number of milliseconds; Istio supports millisecond precision only`);
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
