/** HTTP match conditions (Istio's `validateHTTPRouteMatchRequest`) and string matches. */
import { RuleFinding } from './catalog';
import { checkGatewayNames, checkLabels, checkPort } from './common-checks';
import { MAX_REGEX_BYTES, re2SyntaxError } from './re2';
import { Report, entryPath } from './report';
import { HEADER_TOKEN, isDnsLabel, isJwtClaim, isPseudoHeader, q, utf8Length } from './values';

/** Why a regex cannot be used by Istio, or undefined. */
export function regexError(pattern: string): string | undefined {
  if (utf8Length(pattern) > MAX_REGEX_BYTES) {
    return `the regex is longer than ${MAX_REGEX_BYTES} bytes, the longest Istio accepts; simplify it`;
  }
  const problem = re2SyntaxError(pattern);
  return problem && `${q(pattern)} ${problem}`;
}

/**
 * A StringMatch: at most one of exact, prefix and regex (the CRD schema's oneOf); a non-empty prefix except
 * on `uri`, where Envoy accepts an empty one; a non-empty RE2 regex. `{}` is accepted: it means "present".
 */
export function checkStringMatch(r: Report, value: unknown, field: string, allowEmptyPrefix = false): void {
  const match = r.obj(value, field);
  if (match === undefined) return;
  const set = ['exact', 'prefix', 'regex'].filter((kind) => match[kind] !== undefined && match[kind] !== null);
  if (set.length > 1) {
    r.add('MATCH_STRING_MULTIPLE', field, `the match sets ${set.join(' and ')}; use exactly one of exact, prefix and regex (or {} for "present")`);
    return;
  }
  if (set.length === 0) return;
  const kind = set[0];
  const text = r.str(match[kind], `${field}.${kind}`);
  if (text === undefined) return;
  if (kind === 'prefix' && text === '' && !allowEmptyPrefix) {
    r.add('MATCH_PREFIX_EMPTY', `${field}.prefix`, 'the prefix is empty; use {} to match any value, or give a prefix');
  } else if (kind === 'regex') {
    if (text === '') {
      r.add('MATCH_REGEX_EMPTY', `${field}.regex`, 'the regex is empty; use {} to match any value, or give a pattern');
    } else {
      const problem = regexError(text);
      if (problem !== undefined) r.add('MATCH_REGEX_INVALID', `${field}.regex`, problem);
    }
  }
}

/**
 * A header name in a match's headers or withoutHeaders: an HTTP token, a pseudo-header or a JWT claim
 * (MATCH_HEADER_NAME_INVALID, an error everywhere), in lower case (MATCH_HEADER_NAME_UPPERCASE: Istio
 * accepts upper case, so the checker warns; the constructs reject it, see `RouteMatch.headers`).
 */
export function matchHeaderNameFinding(name: string): RuleFinding | undefined {
  if (name === '') {
    return { code: 'MATCH_HEADER_NAME_INVALID', message: 'the header name is empty; name the header to match' };
  }
  if (!isJwtClaim(name) && !isPseudoHeader(name) && !HEADER_TOKEN.test(name)) {
    return { code: 'MATCH_HEADER_NAME_INVALID', message: `${q(name)} is not a valid header name; use letters, digits and !#$%&'*+-.^_\`|~` };
  }
  if (!isJwtClaim(name) && /[A-Z]/.test(name)) {
    return { code: 'MATCH_HEADER_NAME_UPPERCASE', message: `header names are case-insensitive and Envoy lowercases them; write ${q(name.toLowerCase())} so the YAML reads as what is matched` };
  }
  return undefined;
}

// Fields of a match entry that never narrow it: labels of the entry, and a flag that changes how uri compares.
const NOT_CONDITIONS = new Set(['name', 'statPrefix', 'ignoreUriCase', 'uri']);

/**
 * Whether an HTTP match entry holds for every request: it sets no condition but a uri that every path
 * passes (a prefix of "/" or "", the regex ".*", or `{}`), whatever ignoreUriCase says. A condition whose
 * value is empty (`headers: {}`, `method: {}`, `port: 0`, `gateways: []`) does not narrow the entry.
 * A rule with such an entry takes every request, so no rule after it is used (VS_RULE_UNREACHABLE). The
 * one predicate for the checker's reachability analysis, the constructs (`RouteMatch`) and the routing
 * model.
 */
export function matchesEveryRequest(entry: unknown): boolean {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return entry === null || entry === undefined;
  const match = entry as { [key: string]: unknown };
  for (const [key, value] of Object.entries(match)) {
    if (!NOT_CONDITIONS.has(key) && !isEmptyCondition(value)) return false;
  }
  return anyPath(match.uri);
}

function isEmptyCondition(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  // A string match with no comparison (`{}`) holds for any value that is there: every request has a method.
  if (typeof value === 'object') return Object.values(value).every((v) => v === undefined || v === null);
  return false;
}

function anyPath(uri: unknown): boolean {
  if (uri === undefined || uri === null) return true;
  if (typeof uri !== 'object' || Array.isArray(uri)) return false;
  const set = Object.entries(uri).filter(([, v]) => v !== undefined && v !== null);
  if (set.length === 0) return true;
  if (set.length > 1) return false;
  const [kind, value] = set[0];
  return (kind === 'prefix' && (value === '/' || value === '')) || (kind === 'regex' && value === '.*');
}

/**
 * VS_RULE_UNREACHABLE, as the constructs see it while a rule is added: a match entry that holds for every
 * request (`matchesEveryRequest`), so the rules after it, at least the route's default, are never used.
 */
export function catchAllFinding(entry: unknown): RuleFinding | undefined {
  if (!matchesEveryRequest(entry)) return undefined;
  return {
    code: 'VS_RULE_UNREACHABLE',
    message: 'this condition matches every request, hiding the rules after it; make the rule the default with addDefaultRule(), or narrow the condition',
  };
}

/** One entry of an HTTP route's `match`. */
export function checkHttpMatch(r: Report, match: { [key: string]: any }, field: string): void {
  r.str(match.name, `${field}.name`);
  const headers = r.obj(match.headers, `${field}.headers`) ?? {};
  for (const [name, value] of Object.entries(headers)) {
    const at = entryPath(`${field}.headers`, name);
    r.addFinding(at, matchHeaderNameFinding(name));
    if (value === null) {
      r.add('MATCH_HEADER_NULL', at, `header ${q(name)} has no match; use {} to require the header, or give exact, prefix or regex`);
    } else {
      checkStringMatch(r, value, at);
    }
  }
  const without = r.obj(match.withoutHeaders, `${field}.withoutHeaders`) ?? {};
  for (const [name, value] of Object.entries(without)) {
    const at = entryPath(`${field}.withoutHeaders`, name);
    r.addFinding(at, matchHeaderNameFinding(name));
    // `regex: "*"` is not RE2: Istio reads it as "the header is absent".
    if (value !== null && !(typeof value === 'object' && value.regex === '*')) checkStringMatch(r, value, at);
  }
  checkStringMatch(r, match.uri, `${field}.uri`, true);
  for (const part of ['scheme', 'method', 'authority']) checkStringMatch(r, match[part], `${field}.${part}`);
  const params = r.obj(match.queryParams, `${field}.queryParams`) ?? {};
  for (const [name, value] of Object.entries(params)) checkStringMatch(r, value, entryPath(`${field}.queryParams`, name));
  const port = r.int(match.port, `${field}.port`);
  if (port !== undefined && port !== 0) checkPort(r, port, `${field}.port`);
  checkLabels(r, match.sourceLabels, `${field}.sourceLabels`);
  checkGatewayNames(r, r.strings(match.gateways, `${field}.gateways`), `${field}.gateways`);
  const sourceNamespace = r.str(match.sourceNamespace, `${field}.sourceNamespace`);
  if (sourceNamespace !== undefined && sourceNamespace !== '' && !isDnsLabel(sourceNamespace)) {
    r.add('MATCH_SOURCE_NAMESPACE_INVALID', `${field}.sourceNamespace`, `${q(sourceNamespace)} is not a namespace name; use a DNS label such as "qa"`);
  }
  r.bool(match.ignoreUriCase, `${field}.ignoreUriCase`);
}
