/**
 * Envoy evaluates Istio regexes with RE2, and a regex must match the whole value. The simulation runs them
 * with JavaScript's engine, so the RE2 syntax Istio configs use is translated first (a leading flag group
 * such as `(?i)`, `(?P<name>...)`, POSIX classes, `\A`, `\z`, `\Q...\E`) and the result anchored at both ends.
 */

// POSIX classes as JavaScript class ranges, for use inside brackets.
const POSIX: { [name: string]: string } = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

const compiled = new Map<string, RegExp>();

/** Whether `value` as a whole matches the RE2 `pattern`, as Envoy's `safe_regex` decides. */
export function re2FullMatch(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = toJavaScript(pattern);
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

function toJavaScript(pattern: string): RegExp {
  let body = pattern;
  let flags = '';
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    if (leading[1].includes('U')) throw unsupported(pattern, 'the U (ungreedy) flag');
    flags = [...new Set(leading[1])].join('');
    body = body.slice(leading[0].length);
  }
  if (/\(\?[-imsU]*[:)]/.test(body)) throw unsupported(pattern, 'flags that are not at the start of the pattern');
  body = body
    .replace(/\\Q([\s\S]*?)(\\E|$)/g, (_m, literal: string) => literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, negated: string, name: string) => {
      if (POSIX[name] === undefined) return m;
      if (negated) throw unsupported(pattern, `the negated class [:^${name}:]`);
      return POSIX[name];
    })
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  // Unicode mode reads \p{...} classes as RE2 does, but rejects escapes of punctuation that RE2 allows
  // (such as \-); try it first and fall back to the lenient mode.
  for (const mode of ['u', '']) {
    try {
      return new RegExp(`^(?:${body})$`, flags + mode);
    } catch {
      // try the next mode
    }
  }
  throw new Error(`cannot simulate the regex ${JSON.stringify(pattern)}: it is not a regular expression JavaScript can run`);
}

function unsupported(pattern: string, what: string): Error {
  return new Error(`cannot simulate the regex ${JSON.stringify(pattern)}: it uses ${what}, which the simulation does not support`);
}
