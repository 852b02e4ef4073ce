/**
 * Shadowed rules and matches (VS_RULE_UNREACHABLE, VS_MATCH_SHADOWED): `reachabilityFindings` is the one
 * predicate the checker (Istio's severity, warnings) and CompositeRoute (the L2 profile, errors) call on a
 * VirtualService's rules, so they cannot disagree on what is shadowed or on the words.
 *
 * A match is shadowed when a match before it, of an earlier rule or earlier in the same rule, matches every
 * request it matches (`covers`). The test is sound rather than complete: it answers yes only when it can
 * prove it from the conditions, field by field (an AND across fields), and an earlier match must cover a
 * later one on its own (a later match covered only by several earlier ones together is not found).
 */
import { RuleFinding } from './catalog';
import { matchesEveryRequest } from './match-checks';
import { canonical, q } from './values';
import { isPlain } from '../json-values';
import { re2FullMatch } from '../routing/re2-match';

type Obj = { readonly [key: string]: any };

/** What the reachability analysis found, at a rule (`match` undefined) or at one of its matches. */
export interface ReachabilityFinding {
  /** The rule's position in the list. */
  readonly rule: number;
  /** The match's position in the rule's `match`, or undefined for the rule as a whole. */
  readonly match?: number;
  readonly finding: RuleFinding;
}

/**
 * The rules of `kind` (`http`, `tcp` or `tls`) that can never match, and their matches that are never used:
 * the rules after a catch-all (a rule without matches, or for HTTP a match that `matchesEveryRequest`), a
 * match that an earlier one covers (for TCP and TLS, as in Istio, only an identical one), and a rule all of
 * whose matches are. Only rules from position `from` on are reported; the ones before are still compared.
 */
export function reachabilityFindings(routes: readonly unknown[], kind: string, from: number = 0): ReachabilityFinding[] {
  const out: ReachabilityFinding[] = [];
  const seen: Entry[] = [];
  // The first match of each canonical text, so that identical matches are a lookup. Filled on the first
  // comparison: most lists have a single match, whose canonical text is never needed.
  const identical = new Map<string, Entry>();
  let indexed = 0;
  const index = () => {
    for (; indexed < seen.length; indexed++) {
      const key = keyOf(seen[indexed]);
      if (!identical.has(key)) identical.set(key, seen[indexed]);
    }
  };
  let catchAll: number | undefined;
  routes.forEach((route, i) => {
    if (!isPlain(route)) return;
    const matches = Array.isArray(route.match) ? route.match : [];
    if (catchAll !== undefined) {
      if (i >= from) out.push({ rule: i, finding: afterCatchAll(routes, i, catchAll, matches.length > 0) });
      return;
    }
    const takers: Shadow[] = [];
    const shadowed: ReachabilityFinding[] = [];
    matches.forEach((match, j) => {
      if (!isPlain(match)) return;
      const entry: Entry = { match, rule: i, j };
      // With no match before it, nothing can shadow it.
      if (i >= from && seen.length > 0) {
        index();
        const by = identical.get(keyOf(entry)) ?? (kind === 'http' ? seen.find((e) => covers(e.match, match)) : undefined);
        if (by !== undefined) {
          const shadow = { entry, by, same: keyOf(by) === keyOf(entry) || (kind === 'http' && covers(match, by.match)) };
          takers.push(shadow);
          shadowed.push({ rule: i, match: j, finding: matchShadowed(routes, shadow) });
        }
      }
      seen.push(entry);
    });
    // The rule first: when all its matches are taken, that is the news.
    if (matches.length > 0 && takers.length === matches.length) out.push({ rule: i, finding: ruleShadowed(routes, i, takers) });
    out.push(...shadowed);
    if (matches.length === 0 || (kind === 'http' && matches.some((m: unknown) => isPlain(m) && matchesEveryRequest(m)))) catchAll = i;
  });
  return out;
}

interface Entry {
  readonly match: Obj;
  readonly rule: number;
  readonly j: number;
  /** The canonical text of the match without its name, once keyOf has computed it. */
  key?: string;
}

function keyOf(entry: Entry): string {
  return entry.key ??= canonical({ ...entry.match, name: undefined });
}

interface Shadow {
  readonly entry: Entry;
  readonly by: Entry;
  /** Whether both match the same requests (identical, or each covers the other). */
  readonly same: boolean;
}

// A rule or match by its name, or by its position from 1 without one (`rule #1`), as explain numbers rules.
function ruleName(route: any, i: number): string {
  return typeof route?.name === 'string' && route.name !== '' ? q(route.name) : `#${i + 1}`;
}

function ruleLabel(routes: readonly unknown[], i: number): string {
  return `rule ${ruleName(routes[i], i)}`;
}

function matchLabel(entry: Entry): string {
  const name = entry.match.name;
  return typeof name === 'string' && name !== '' ? `match ${q(name)}` : `match #${entry.j + 1}`;
}

function afterCatchAll(routes: readonly unknown[], i: number, catchAll: number, hasMatches: boolean): RuleFinding {
  const label = ruleLabel(routes, i);
  const by = ruleLabel(routes, catchAll);
  return {
    code: 'VS_RULE_UNREACHABLE',
    message: hasMatches
      ? `${label} can never match: ${by} before it matches every request; move it above that rule, or remove it`
      // Moving a rule without matches up would hand it every request (the article's "common mistake").
      : `${label} can never match: ${by} before it matches every request, and it has no match of its own (above ${by} it would take every request instead); `
        + 'give it a match for the requests it should take, such as a header, or remove it',
  };
}

function matchShadowed(routes: readonly unknown[], { entry, by, same }: Shadow): RuleFinding {
  const label = ruleLabel(routes, entry.rule);
  const what = `${matchLabel(entry)} of ${label} is never used`;
  if (by.rule === entry.rule) {
    // Both matches lead to the same rule, so the later one changes nothing.
    return {
      code: 'VS_MATCH_SHADOWED',
      message: `${what}: ${matchLabel(by)} of the same rule ${same ? 'matches the same requests' : 'matches every request it matches'}; remove it`,
    };
  }
  const byLabel = ruleLabel(routes, by.rule);
  return {
    code: 'VS_MATCH_SHADOWED',
    message: same
      ? `${what}: ${matchLabel(by)} of ${byLabel} before it matches the same requests; remove it`
      : `${what}: ${matchLabel(by)} of ${byLabel} before it matches every request it matches; move ${label} above ${byLabel} (narrower matches first), or remove the match`,
  };
}

function ruleShadowed(routes: readonly unknown[], i: number, takers: Shadow[]): RuleFinding {
  const label = ruleLabel(routes, i);
  const others = takers.filter((t) => t.by.rule !== i);
  const rules = [...new Set(others.map((t) => t.by.rule))].sort((a, b) => a - b);
  const names = rules.map((r) => ruleName(routes[r], r));
  const by = names.length === 1 ? `rule ${names[0]}` : `rules ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const one = names.length === 1;
  // Moving a rule above rules that match the same requests would only shadow those instead.
  return {
    code: 'VS_RULE_UNREACHABLE',
    message: others.every((t) => t.same)
      ? `${label} can never match: ${by} before it already ${one ? 'matches' : 'match'} the same requests; remove it or change its conditions`
      : `${label} can never match: ${by} before it already ${one ? 'matches' : 'match'} every request it matches; move it above ${one ? 'that rule' : 'them'} (narrower rules first), or remove it`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Subsumption of HTTP matches.

const FIELDS = new Set(['uri', 'ignoreUriCase', 'scheme', 'method', 'authority', 'headers', 'withoutHeaders', 'queryParams',
  'port', 'sourceLabels', 'sourceNamespace', 'gateways', 'name', 'statPrefix']);

/**
 * Whether every request HTTP match `later` matches is matched by `earlier` too. A match whose fields do not
 * have Istio's types (which the webhook rejects anyway) covers only a match identical to it.
 */
export function covers(earlier: Obj, later: Obj): boolean {
  if (matchesEveryRequest(earlier)) return true;
  if (!wellFormed(earlier) || !wellFormed(later)) return canonical({ ...earlier, name: undefined }) === canonical({ ...later, name: undefined });
  return uriCovers(earlier, later)
    // Every request has a method, a scheme and an authority, so `{}` there is no condition.
    && ['method', 'scheme', 'authority'].every((key) => earlier[key] === undefined || isPresent(earlier[key])
      || (later[key] !== undefined && stringCovers(earlier[key], later[key], false)))
    && entriesCover(earlier.headers, later.headers, (name) => name.toLowerCase(), (name) => name.startsWith('@'))
    // Query parameter values may hold a decoded newline, which `.` does not match.
    && entriesCover(earlier.queryParams, later.queryParams, (name) => name, () => true)
    && Object.entries(earlier.withoutHeaders ?? {}).every(([name, m]) => absenceImplied(name, m as StringMatch, later))
    && (earlier.port === undefined || earlier.port === 0 || earlier.port === later.port)
    && sourceCovers(earlier, later);
}

function wellFormed(match: Obj): boolean {
  for (const [key, value] of Object.entries(match)) {
    if (value === undefined) continue;
    if (!FIELDS.has(key)) return false;
    const ok = ['uri', 'scheme', 'method', 'authority'].includes(key) ? isStringMatch(value)
      : ['headers', 'withoutHeaders', 'queryParams'].includes(key) ? isPlain(value) && Object.values(value).every(isStringMatch)
        : key === 'sourceLabels' ? isPlain(value) && Object.values(value).every((v) => typeof v === 'string')
          : key === 'gateways' ? Array.isArray(value) && value.every((v) => typeof v === 'string')
            : key === 'port' ? typeof value === 'number'
              : key === 'ignoreUriCase' ? typeof value === 'boolean'
                : typeof value === 'string';
    if (!ok) return false;
  }
  return true;
}

function isStringMatch(value: unknown): boolean {
  if (!isPlain(value)) return false;
  const set = ['exact', 'prefix', 'regex'].filter((k) => value[k] !== undefined && value[k] !== null);
  return set.length <= 1 && set.every((k) => typeof value[k] === 'string');
}

/** A well-formed StringMatch: `{}` means the value is there, whatever it is. */
interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

// Istio reads the regex `*` as "present" too.
function isPresent(m: StringMatch): boolean {
  return m.exact == null && m.prefix == null && (m.regex == null || m.regex === '*');
}

/**
 * Whether every value `b` accepts, `a` accepts. `newlines`: whether the values may hold a newline, which a
 * regex's `.` does not match without the `s` flag.
 */
function stringCovers(a: StringMatch, b: StringMatch, newlines: boolean): boolean {
  if (isPresent(a)) return true;
  if (isPresent(b)) return universal(a, newlines);
  if (a.regex != null && a.regex === b.regex) return true;
  const forms = literalForms(b);
  if (forms === undefined) {
    // A regex without a literal form: only `.+` is known, and only `.+` (or anything) covers it.
    const shapeA = a.regex != null ? regexShape(a.regex) : undefined;
    const shapeB = b.regex != null ? regexShape(b.regex) : undefined;
    return universal(a, newlines) || (shapeA?.kind === 'nonEmpty' && shapeB?.kind === 'nonEmpty' && (shapeA.dotAll || !shapeB.dotAll));
  }
  return forms.every((form) => literalCovers(a, form, newlines));
}

/** Whether `a` accepts every value that starts with `form.prefix`, or equals `form.exact`. */
function literalCovers(a: StringMatch, form: Literal, newlines: boolean): boolean {
  if (a.exact != null) return form.exact === a.exact;
  if (a.prefix != null) return (form.exact ?? form.prefix!).startsWith(a.prefix);
  const shape = regexShape(a.regex!);
  const anyTail = shape !== undefined && (!newlines || shape.dotAll);
  if (anyTail && shape.kind === 'any') return true;
  if (anyTail && shape.kind === 'nonEmpty') return (form.exact ?? form.prefix!) !== '';
  if (anyTail && shape.kind === 'prefix' && (form.exact ?? form.prefix!).startsWith(shape.value)) return true;
  return form.exact !== undefined && fullMatch(a.regex!, form.exact);
}

/** Whether a StringMatch accepts every value. */
function universal(a: StringMatch, newlines: boolean): boolean {
  if (isPresent(a)) return true;
  const shape = a.regex != null ? regexShape(a.regex) : undefined;
  return shape?.kind === 'any' && (!newlines || shape.dotAll);
}

/** One exact value or one prefix. */
interface Literal {
  readonly exact?: string;
  readonly prefix?: string;
}

/**
 * The values a StringMatch accepts as a union of exact values and prefixes, or a superset of them (a regex
 * `abc.*` is read as the prefix `abc`, although `.` stops at a newline); undefined when it is not one.
 */
function literalForms(m: StringMatch): Literal[] | undefined {
  if (m.exact != null) return [{ exact: m.exact }];
  if (m.prefix != null) return [{ prefix: m.prefix }];
  if (m.regex == null) return undefined;
  const shape = regexShape(m.regex);
  if (shape?.kind === 'oneOf') return shape.values.map((exact) => ({ exact }));
  if (shape?.kind === 'prefix') return [{ prefix: shape.value }];
  return undefined;
}

type RegexShape =
  | { readonly kind: 'any' | 'nonEmpty'; readonly dotAll: boolean }
  | { readonly kind: 'prefix'; readonly value: string; readonly dotAll: boolean }
  | { readonly kind: 'oneOf'; readonly values: string[]; readonly dotAll: boolean };

/**
 * What a regex provably matches, for the few forms that say it plainly: `.*` (anything), `.+` (anything
 * non-empty), a literal followed by `.*` (a prefix), and literals or alternatives of literals (`GET|HEAD`,
 * `(v1|v2)`). `^` and `$` are allowed at the ends (Envoy matches the whole value anyway), and a leading
 * `(?s)` lets `.` match newlines. Any other regex has no shape: only an exact value can be tried on it.
 */
function regexShape(pattern: string): RegexShape | undefined {
  let body = pattern;
  const dotAll = body.startsWith('(?s)');
  if (dotAll) body = body.slice(4);
  if (body.startsWith('^')) body = body.slice(1);
  if (body.endsWith('$') && !escaped(body, body.length - 1)) body = body.slice(0, -1);
  if (body === '.*') return { kind: 'any', dotAll };
  if (body === '.+') return { kind: 'nonEmpty', dotAll };
  if (body.endsWith('.*') && !escaped(body, body.length - 2)) {
    const value = literal(body.slice(0, -2));
    if (value !== undefined) return { kind: 'prefix', value, dotAll };
  }
  const group = /^\((?:\?:)?(.*)\)$/.exec(body);
  const values = (group ? group[1] : body).split('|').map(literal);
  return values.every((v): v is string => v !== undefined) ? { kind: 'oneOf', values, dotAll } : undefined;
}

const META = new Set([...'.*+?()[]{}|^$\\']);

// A regex made of plain characters and escaped punctuation, as the text it matches.
function literal(source: string): string | undefined {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || /[0-9A-Za-z]/.test(next)) return undefined;
      out += next;
      i++;
    } else if (META.has(c)) {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

function fullMatch(pattern: string, value: string): boolean {
  try {
    return re2FullMatch(pattern, value);
  } catch {
    return false;
  }
}

/**
 * The uri: an exact or regex uri is compared with the path without the query string, a prefix with the whole
 * `:path`; ignoreUriCase makes exact and prefix (not regex) compare in any (ASCII) case.
 */
function uriCovers(earlier: Obj, later: Obj): boolean {
  if (matchesEveryRequest({ uri: earlier.uri })) return true;
  const a: StringMatch = earlier.uri;
  let b: StringMatch | undefined = later.uri;
  if (b === undefined || isPresent(b)) return false;
  // A prefix with a `?` ends the path there, which is what an exact or regex uri sees.
  if (a.prefix == null && b.prefix != null && b.prefix.includes('?')) b = { exact: b.prefix.slice(0, b.prefix.indexOf('?')) };
  const anyCase = (m: StringMatch, flag: boolean) => (m.exact ?? m.prefix) != null && (flag || !/[A-Za-z]/.test((m.exact ?? m.prefix)!));
  const laterAnyCase = (b.exact ?? b.prefix) != null && later.ignoreUriCase === true && /[A-Za-z]/.test((b.exact ?? b.prefix)!);
  if (!anyCase(a, earlier.ignoreUriCase === true)) return !laterAnyCase && stringCovers(a, b, false);
  const forms = literalForms(b);
  const lower = (s: string | undefined) => s?.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const folded = { exact: lower(a.exact), prefix: lower(a.prefix) };
  return forms !== undefined && forms.every((f) => literalCovers(folded, { exact: lower(f.exact), prefix: lower(f.prefix) }, false));
}

/**
 * Headers or query parameters: each condition of `a` needs a condition on the same name in `b` that it
 * covers (a header match requires the header, so one `b` does not name is not covered).
 */
function entriesCover(a: Obj | undefined, b: Obj | undefined, key: (name: string) => string, newlines: (name: string) => boolean): boolean {
  const later = Object.entries(b ?? {});
  return Object.entries(a ?? {}).every(([name, m]) => later.some(([n, other]) => key(n) === key(name) && stringCovers(m, other, newlines(name))));
}

/**
 * Whether match `b` implies `a`'s withoutHeaders condition on `name`: the header absent (`{}`), or its value
 * (empty when the header is missing, as Istio inverts the matcher) not accepted by `m`.
 */
function absenceImplied(name: string, m: StringMatch, b: Obj): boolean {
  const lower = name.toLowerCase();
  const same = (map: Obj | undefined) => Object.entries(map ?? {}).filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v as StringMatch);
  // b keeps the header out, or keeps out every value m accepts.
  const kept = same(b.withoutHeaders).some((n) => isPresent(n) ? isPresent(m) || !acceptsSurely(m, '') : !isPresent(m) && stringCovers(n, m, false));
  // b requires a value m does not accept.
  return kept || (!isPresent(m) && same(b.headers).some((n) => disjoint(n, m)));
}

// Whether no value is accepted by both (false when unsure).
function disjoint(a: StringMatch, b: StringMatch): boolean {
  if (a.exact != null) return !acceptsSurely(b, a.exact);
  if (b.exact != null) return !acceptsSurely(a, b.exact);
  if (a.prefix != null && b.prefix != null) return !a.prefix.startsWith(b.prefix) && !b.prefix.startsWith(a.prefix);
  return false;
}

// Whether `m` may accept `value`: a regex counts as accepting unless it provably does not.
function acceptsSurely(m: StringMatch, value: string): boolean {
  if (isPresent(m)) return true;
  if (m.exact != null) return value === m.exact;
  if (m.prefix != null) return value.startsWith(m.prefix);
  try {
    return re2FullMatch(m.regex!, value);
  } catch {
    return true;
  }
}

/**
 * Gateways and the source: gateways named in a match replace its sourceLabels and sourceNamespace (Istio
 * ignores those then), and are compared as written.
 */
function sourceCovers(a: Obj, b: Obj): boolean {
  const gatewaysA: string[] = a.gateways ?? [];
  const gatewaysB: string[] = b.gateways ?? [];
  if (gatewaysA.length > 0) return gatewaysB.length > 0 && gatewaysB.every((g) => gatewaysA.includes(g));
  const labels = Object.entries(a.sourceLabels ?? {});
  const namespace = a.sourceNamespace === '' ? undefined : a.sourceNamespace;
  if (labels.length === 0 && namespace === undefined) return true;
  if (gatewaysB.length > 0) return false;
  return labels.every(([k, v]) => b.sourceLabels?.[k] === v) && (namespace === undefined || b.sourceNamespace === namespace);
}

