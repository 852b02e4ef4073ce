import { IConstruct } from 'constructs';
import { fail, q } from './errors';

/**
 * How a string in a request (a header, the URI, a query parameter) is compared.
 *
 * `exact` and `prefix` are case-sensitive; for a case-insensitive match use a `(?i)` regex. Regexes use
 * RE2 syntax and must match the whole value.
 */
export class StringMatch {
  /** The value equals `value`. */
  public static exact(value: string): StringMatch {
    return new StringMatch('exact', value);
  }

  /** The value starts with `value`. */
  public static prefix(value: string): StringMatch {
    return new StringMatch('prefix', value);
  }

  /**
   * The whole value matches the RE2 regular expression `pattern`.
   * Pad with `.*` to match part of a value: Envoy anchors regexes at both ends.
   */
  public static regex(pattern: string): StringMatch {
    return new StringMatch('regex', pattern);
  }

  /**
   * The value is there, whatever it is. In `headers` this means "the header is present"; in
   * `withoutHeaders`, "the header is absent".
   */
  public static present(): StringMatch {
    return new StringMatch('present', '');
  }

  private constructor(
    /** @internal */ public readonly _kind: 'exact' | 'prefix' | 'regex' | 'present',
    /** @internal */ public readonly _value: string,
  ) {}

  /** @internal */
  public _toIstio(scope: IConstruct, field: string): { exact?: string; prefix?: string; regex?: string } {
    switch (this._kind) {
      case 'present': return {};
      case 'regex':
        checkRe2(scope, field, this._value);
        return { regex: this._value };
      case 'prefix':
        if (this._value === '') fail(scope, field, 'an empty prefix matches every value; use StringMatch.present() or remove the condition');
        return { prefix: this._value };
      default:
        return { exact: this._value };
    }
  }
}

// RE2 (what Envoy uses) has no lookaround and no backreferences; JavaScript has both, so the
// JavaScript compiler alone would accept patterns Envoy rejects.
const NOT_RE2 = /\(\?<?[=!]|\\[1-9]|\\k</;

/** Checks that a pattern is a regular expression Envoy's RE2 engine accepts. @internal */
export function checkRe2(scope: IConstruct, field: string, pattern: string): void {
  if (pattern === '') {
    fail(scope, field, 'the regex is empty; it matches only empty values. Use StringMatch.present() to match any value');
  }
  if (NOT_RE2.test(pattern)) {
    fail(scope, field, `${q(pattern)} uses lookaround or a backreference, which RE2 (Envoy's regex engine) does not support; rewrite it without them`);
  }
  try {
    // RE2's inline flags, e.g. (?i), are not JavaScript syntax: strip a leading flag group before compiling.
    new RegExp(pattern.replace(/^\(\?[imsU]+\)/, ''), 'u');
  } catch (err) {
    fail(scope, field, `${q(pattern)} is not a valid regular expression (${(err as Error).message.replace(/^Invalid regular expression: /, '')}); fix the pattern`);
  }
}
