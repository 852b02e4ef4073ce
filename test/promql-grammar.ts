/**
 * Parses PromQL with Prometheus' own grammar for JavaScript (@prometheus-io/lezer-promql, the parser behind
 * the Prometheus UI's editor), so that every test run checks the syntax of the PromQL the library writes,
 * whether promtool is installed or not (promtool.ts runs the fuller checks where it is).
 * The Lezer parser never gives up: it recovers from a syntax error by putting an error node (⚠) in the tree,
 * so an expression parses cleanly when its tree holds no error node.
 * The grammar takes any backslash sequence inside a string, where Prometheus' own lexer accepts only Go's
 * escapes; as the library escapes regular expressions inside PromQL strings, the escapes are checked too.
 */
/** The part of Lezer's parser used here (an `LRParser` of @lezer/lr, a peer dependency not declared here). */
interface PromqlParser {
  parse(input: string): { iterate(spec: { enter(node: SyntaxNode): void }): void };
}

interface SyntaxNode {
  readonly name: string;
  readonly type: { readonly isError: boolean };
  readonly from: number;
  readonly to: number;
}

// The package is an ES module that also ships CommonJS, but its types are only the ES module's, which
// TypeScript does not let this CommonJS file import; so it is required, and typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: PromqlParser };

/** Characters of context shown on each side of an error. */
const CONTEXT = 24;

/** 1-based line and column of an offset in `text`. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** The text around `from`..`to` on one line, the error part between ⟦ and ⟧. */
function around(text: string, from: number, to: number): string {
  const flat = (s: string) => s.replace(/\n/g, '⏎');
  const start = Math.max(0, from - CONTEXT);
  const end = Math.min(text.length, to + CONTEXT);
  return `${start > 0 ? '…' : ''}${flat(text.slice(start, from))}⟦${flat(text.slice(from, to))}⟧${flat(text.slice(to, end))}${end < text.length ? '…' : ''}`;
}

/**
 * Every syntax error in `expr`, as `line:column` with what is wrong and the text around it; empty when
 * `expr` is one valid PromQL expression.
 */
export function promqlErrors(expr: string): string[] {
  if (expr.trim() === '') return ['1:1: an empty expression'];
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === 'StringLiteral') errors.push(...escapeErrors(expr, node.from, node.to));
      if (!node.type.isError) return;
      const what = node.from === node.to
        ? (node.from >= expr.trimEnd().length ? 'the expression ends too soon' : 'something is missing here')
        : `unexpected ${JSON.stringify(expr.slice(node.from, node.to))}`;
      errors.push(`${position(expr, node.from)}: ${what}: ${around(expr, node.from, node.to)}`);
    },
  });
  return errors;
}

/**
 * Escapes Prometheus' lexer rejects in the string literal at `from`..`to`: in "..." and '...' a backslash
 * starts one of Go's escapes (\a \b \f \n \r \t \v \\ the quote, \x and two hex digits, three octal
 * digits, \u and four hex digits, \U and eight); `...` takes none.
 */
function escapeErrors(expr: string, from: number, to: number): string[] {
  const quote = expr[from];
  if (quote === '`') return [];
  const body = expr.slice(from + 1, to - 1);
  const valid = new RegExp(`^\\\\(?:[abfnrtv\\\\${quote}]|x[0-9a-fA-F]{2}|[0-7]{3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})`);
  const errors: string[] = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue;
    const escape = valid.exec(body.slice(i));
    const at = from + 1 + i;
    if (escape === null) {
      errors.push(`${position(expr, at)}: an escape Prometheus does not know: ${around(expr, at, Math.min(at + 2, to - 1))}`);
      i += 1;
    } else {
      i += escape[0].length - 1;
    }
  }
  return errors;
}

/** One PromQL expression in synthesized manifests, and where it is. */
export interface PromqlSource {
  readonly where: string;
  readonly expr: string;
}

/**
 * The PromQL in synthesized manifests: the `expr` of every rule (recording or alerting) of every
 * PrometheusRule, and of every panel target of every Grafana dashboard held in a ConfigMap.
 */
export function promqlOf(manifests: any[]): PromqlSource[] {
  const found: PromqlSource[] = [];
  for (const m of manifests) {
    const name = `${m.kind} ${m.metadata?.name}`;
    if (m.kind === 'PrometheusRule') {
      for (const group of m.spec?.groups ?? []) {
        for (const rule of group.rules ?? []) {
          found.push({ where: `${name}, group ${group.name}, ${rule.record !== undefined ? `record ${rule.record}` : `alert ${rule.alert}`}`, expr: String(rule.expr) });
        }
      }
    }
    if (m.kind === 'ConfigMap') {
      for (const [key, value] of Object.entries<string>(m.data ?? {})) {
        let dashboard: any;
        try {
          dashboard = JSON.parse(value);
        } catch {
          continue;
        }
        for (const panel of dashboard?.panels ?? []) {
          for (const target of panel.targets ?? []) {
            found.push({ where: `${name}, ${key}, panel "${panel.title}", target ${target.refId}`, expr: target.expr });
          }
        }
      }
    }
  }
  return found;
}

/** `where: error` for every syntax error in the PromQL of `manifests`; empty when all of it parses. */
export function promqlReport(manifests: any[]): string[] {
  return promqlOf(manifests).flatMap(({ where, expr }) => promqlErrors(expr).map((error) => `${where}: ${error}`));
}
