/**
 * RE2 syntax, as Istio's webhook (Go's regexp/syntax with Perl flags) and Envoy (RE2) read it.
 *
 * JavaScript's RegExp is the wrong judge both ways: it accepts lookaround and backreferences, which RE2
 * rejects, and rejects RE2 syntax such as `\z`, `(?i:...)`, `(?P<name>...)`, `\Q...\E` or `^*`. So this is
 * a small parser that follows Go's, and only answers "is this valid, and if not why".
 */

/** The longest regex Istio accepts, in bytes (it approximates Envoy's program size limit by length). */
export const MAX_REGEX_BYTES = 1024;

// The largest repeat count, and the largest product of nested counted repeats, Go accepts.
const MAX_REPEAT = 1000;

const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);

class Re2Error extends Error {}

type Item = { kind: 'atom'; weight: number } | { kind: 'paren'; name?: string } | { kind: 'bar' };

/**
 * Why `pattern` is not a valid RE2 regular expression, or undefined when it is. The reason is a lowercase
 * phrase that can follow the quoted pattern: `uses lookaround or a backreference, ...` or
 * `is not a valid regular expression (...); fix the pattern`.
 */
export function re2SyntaxError(pattern: string): string | undefined {
  try {
    new Re2Parser(Array.from(pattern)).parse();
    return undefined;
  } catch (err) {
    if (err instanceof Re2Error) return err.message;
    throw err;
  }
}

function invalid(reason: string): Re2Error {
  return new Re2Error(`is not a valid regular expression (${reason}); fix the pattern`);
}

function unsupported(what: string): Re2Error {
  return new Re2Error(`uses ${what}, which RE2 (Envoy's regex engine) does not support; rewrite it without them`);
}

class Re2Parser {
  private pos = 0;
  private readonly stack: Item[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly chars: string[]) {}

  public parse(): void {
    // The text of the previous repetition operator: Perl syntax forbids stacking them (a**).
    let lastRepeat = false;
    while (!this.done()) {
      let repeat = false;
      const c = this.peek();
      if (c === '(') {
        this.group();
      } else if (c === '|') {
        this.pos++;
        this.collapseAlternative();
        this.stack.push({ kind: 'bar' });
      } else if (c === ')') {
        this.pos++;
        this.closeGroup();
      } else if (c === '[') {
        this.charClass();
        this.atom();
      } else if (c === '*' || c === '+' || c === '?') {
        this.pos++;
        this.repeat(c, lastRepeat, 0);
        repeat = true;
      } else if (c === '{') {
        const counted = this.countedRepeat();
        if (counted === undefined) {
          // A brace that does not start {n}, {n,} or {n,m} is a literal.
          this.pos++;
          this.atom();
        } else {
          this.repeat(counted.text, lastRepeat, counted.max === 0 ? 0 : counted.max < 0 ? counted.min : counted.max);
          repeat = true;
        }
      } else if (c === '\\') {
        this.topLevelEscape();
      } else {
        this.pos++;
        this.atom();
      }
      lastRepeat = repeat;
    }
    this.collapseAlternative();
    if (this.stack.some((item) => item.kind === 'paren')) throw invalid('missing closing )');
  }

  private done(): boolean {
    return this.pos >= this.chars.length;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private next(): string {
    const c = this.chars[this.pos++];
    if (c === undefined) throw invalid('the pattern ends in the middle of an expression');
    return c;
  }

  private atom(weight = 1): void {
    this.stack.push({ kind: 'atom', weight });
  }

  // A repetition applies to the atom before it; `weight` is the count of a counted repeat (0 otherwise),
  // so that nested counts like (a{100}){100} can be bounded as Go does.
  private repeat(op: string, lastRepeat: boolean, count: number): void {
    if (this.peek() === '?') this.pos++; // non-greedy
    if (lastRepeat) throw invalid(`invalid nested repetition operator ${op}`);
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || top.kind !== 'atom') throw invalid(`missing argument to repetition operator ${op}`);
    if (count > 0) {
      const weight = count * top.weight;
      if (weight > MAX_REPEAT) throw invalid(`invalid repeat count ${op}: nested repeats over ${MAX_REPEAT}`);
      top.weight = weight;
    } else if (/^\{/.test(op)) {
      top.weight = 0; // x{0} matches the empty string only; Go does not look inside it
    }
  }

  private countedRepeat(): { text: string; min: number; max: number } | undefined {
    const rest = this.chars.slice(this.pos).join('');
    const m = /^\{(\d+)(,(\d*))?\}/.exec(rest);
    if (m === null) return undefined;
    // Go reads leading zeros as "not a repeat", so the brace is a literal.
    if (/^0\d/.test(m[1]) || (m[3] !== undefined && /^0\d/.test(m[3]))) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) throw invalid(`invalid repeat count ${m[0]}`);
    this.pos += Array.from(m[0]).length;
    return { text: m[0], min, max };
  }

  private group(): void {
    this.pos++; // (
    if (this.peek() !== '?') {
      this.stack.push({ kind: 'paren' });
      return;
    }
    this.pos++; // ?
    const c = this.peek();
    if (c === '=' || c === '!' || (c === '<' && (this.peek(1) === '=' || this.peek(1) === '!'))) {
      throw unsupported('lookaround or a backreference');
    }
    if (c === '<' || (c === 'P' && this.peek(1) === '<')) {
      this.pos += c === 'P' ? 2 : 1;
      const end = this.chars.indexOf('>', this.pos);
      if (end < 0) throw invalid('invalid named capture: missing >');
      const name = this.chars.slice(this.pos, end).join('');
      if (!/^[\p{L}\p{N}_]+$/u.test(name)) throw invalid(`invalid named capture ${JSON.stringify(name)}`);
      // Go accepts a repeated name but Envoy's RE2 rejects it, so the route could never load.
      if (this.names.has(name)) throw invalid(`duplicate capture group name ${JSON.stringify(name)}`);
      this.names.add(name);
      this.pos = end + 1;
      this.stack.push({ kind: 'paren', name });
      return;
    }
    // Flags (?imsU-imsU) alone, or opening a non-capturing group (?flags:...).
    let negated = false;
    let sawFlag = false;
    for (;;) {
      const f = this.next();
      if ('imsU'.includes(f)) {
        sawFlag = true;
      } else if (f === '-' && !negated) {
        negated = true;
        sawFlag = false;
      } else if ((f === ':' || f === ')') && (!negated || sawFlag)) {
        if (f === ':') this.stack.push({ kind: 'paren' });
        return;
      } else {
        throw invalid('invalid or unsupported Perl syntax after (?');
      }
    }
  }

  // Replaces the atoms since the last | or ( with one atom, as Go concatenates them.
  private collapseAlternative(): void {
    let weight = -1;
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1];
      if (top.kind !== 'atom') break;
      weight = Math.max(weight, top.weight);
      this.stack.pop();
    }
    if (weight >= 0) this.stack.push({ kind: 'atom', weight });
  }

  private closeGroup(): void {
    let weight = 1;
    for (;;) {
      this.collapseAlternative();
      const top = this.stack.pop();
      if (top === undefined) throw invalid('unexpected )');
      if (top.kind === 'paren') break;
      if (top.kind === 'atom') weight = Math.max(weight, top.weight);
    }
    this.atom(weight);
  }

  private topLevelEscape(): void {
    const c = this.peek(1);
    if (c === 'A' || c === 'z' || c === 'b' || c === 'B') {
      this.pos += 2;
      this.atom();
      return;
    }
    if (c === 'C') throw invalid('invalid escape sequence \\C');
    if (c === 'Q') {
      // \Q...\E: everything in between is literal; \E may be missing.
      this.pos += 2;
      while (!this.done() && !(this.peek() === '\\' && this.peek(1) === 'E')) {
        this.pos++;
        this.atom();
      }
      if (!this.done()) this.pos += 2;
      return;
    }
    if (this.unicodeClass() || this.perlClass()) {
      this.atom();
      return;
    }
    this.escape();
    this.atom();
  }

  private unicodeClass(): boolean {
    const c = this.peek(1);
    if (this.peek() !== '\\' || (c !== 'p' && c !== 'P')) return false;
    this.pos += 2;
    let name: string;
    if (this.peek() === '{') {
      const end = this.chars.indexOf('}', this.pos);
      if (end < 0) throw invalid('invalid character class range: missing } after \\p{');
      name = this.chars.slice(this.pos + 1, end).join('');
      this.pos = end + 1;
    } else {
      name = this.next();
    }
    if (!isUnicodeClass(name.replace(/^\^/, ''))) throw invalid(`unknown Unicode class ${JSON.stringify(name)}`);
    return true;
  }

  private perlClass(): boolean {
    if (this.peek() !== '\\' || !'dDsSwW'.includes(this.peek(1) ?? '_')) return false;
    this.pos += 2;
    return true;
  }

  /** One escaped character: returns its code point. */
  private escape(): number {
    this.pos++; // backslash
    if (this.done()) throw invalid('trailing backslash at end of expression');
    const c = this.next();
    if (/^[1-7]$/.test(c) && !/^[0-7]$/.test(this.peek() ?? '')) throw unsupported('lookaround or a backreference');
    if (c === '8' || c === '9' || c === 'k') throw unsupported('lookaround or a backreference');
    if (/^[0-7]$/.test(c)) {
      let value = Number(c);
      for (let i = 1; i < 3 && /^[0-7]$/.test(this.peek() ?? ''); i++) value = value * 8 + Number(this.next());
      return value;
    }
    if (c === 'x') {
      if (this.peek() === '{') {
        this.pos++;
        let hex = '';
        while (this.peek() !== '}') {
          const h = this.next();
          if (!/^[0-9A-Fa-f]$/.test(h)) throw invalid('invalid escape sequence \\x{...}');
          hex += h;
        }
        this.pos++;
        if (hex === '' || parseInt(hex, 16) > 0x10ffff) throw invalid('invalid escape sequence \\x{...}');
        return parseInt(hex, 16);
      }
      const hex = this.next() + this.next();
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw invalid(`invalid escape sequence \\x${hex}`);
      return parseInt(hex, 16);
    }
    const simple: { [c: string]: number } = { a: 7, f: 12, t: 9, n: 10, r: 13, v: 11 };
    if (simple[c] !== undefined) return simple[c];
    // Any escaped ASCII punctuation is itself.
    if (c.length === 1 && c.charCodeAt(0) < 0x80 && !/[A-Za-z0-9]/.test(c)) return c.charCodeAt(0);
    throw invalid(`invalid escape sequence \\${c}`);
  }

  private charClass(): void {
    this.pos++; // [
    if (this.peek() === '^') this.pos++;
    let first = true; // ] is a literal as the first character
    for (;;) {
      if (this.done()) throw invalid('missing closing ]');
      if (this.peek() === ']' && !first) {
        this.pos++;
        return;
      }
      first = false;
      if (this.peek() === '[' && this.peek(1) === ':' && this.posixClass()) continue;
      if (this.unicodeClass() || this.perlClass()) continue;
      const lo = this.classChar();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const hi = this.classChar();
        if (hi < lo) throw invalid('invalid character class range');
      }
    }
  }

  private posixClass(): boolean {
    const rest = this.chars.slice(this.pos).join('');
    const end = rest.indexOf(':]', 2);
    if (end < 0) return false;
    const name = rest.slice(2, end);
    if (!POSIX_CLASSES.has(name.replace(/^\^/, ''))) throw invalid(`invalid character class range [:${name}:]`);
    this.pos += Array.from(rest.slice(0, end + 2)).length;
    return true;
  }

  private classChar(): number {
    if (this.done()) throw invalid('missing closing ]');
    if (this.peek() === '\\') return this.escape();
    return this.next().codePointAt(0)!;
  }
}

// Go knows the Unicode general categories and scripts by name. JavaScript knows the same sets (and some
// aliases Go does not), so asking it can only err towards accepting.
function isUnicodeClass(name: string): boolean {
  if (name === 'Any') return true;
  if (!/^[A-Za-z_]+$/.test(name)) return false;
  for (const pattern of [`\\p{${name}}`, `\\p{Script=${name}}`]) {
    try {
      new RegExp(pattern, 'u');
      return true;
    } catch {
      // not this kind of class
    }
  }
  return false;
}
