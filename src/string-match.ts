import { IConstruct } from 'constructs';
import { fail } from './private/errors';
import { checkRe2 } from './private/render/string-match';

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

