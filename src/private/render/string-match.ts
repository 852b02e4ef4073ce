import { IConstruct } from 'constructs';
import { fail, q } from '../errors';
import { re2SyntaxError } from '../validation/re2';

/** Checks that a pattern is a regular expression Envoy's RE2 engine accepts. */
export function checkRe2(scope: IConstruct, field: string, pattern: string): void {
  if (pattern === '') {
    fail(scope, field, 'the regex is empty; it matches only empty values. Use StringMatch.present() to match any value');
  }
  // One RE2 parser for the constructs and the checker (src/private/validation/re2.ts): JavaScript's RegExp accepts
  // lookaround and backreferences, which RE2 rejects, and rejects RE2 syntax such as \z or (?i:...).
  const problem = re2SyntaxError(pattern);
  if (problem !== undefined) fail(scope, field, `${q(pattern)} ${problem}`);
}
