/**
 * `cdk8s-istio-traffic rules [CODE]`: the checker's rules offline, as `istioctl analyze --list-analyzers`
 * lists analyzers; with a code, that rule's documentation, as ESLint documents each rule.
 */
import { runCommand, UsageError } from './usage';
import { ruleDocumentation } from '../private/bundled';
import { q } from '../private/errors';
import { Code, RULES } from '../private/validation/catalog';
import { editDistance } from '../private/validation/nearest-name';

const USAGE = `usage: cdk8s-istio-traffic rules [--format text|json] [CODE]

Without CODE, lists every rule of the checker (the codes \`check\` and synth report), by family, with its
severity and what it finds. With CODE (in any case), prints that rule's documentation: whose behaviour its
severity follows, exactly what it finds, what Istio and Envoy do with such an object, and the fix.

options:
  --format FORMAT   text (default) or json

examples:
  cdk8s-istio-traffic rules
  cdk8s-istio-traffic rules XO_SUBSET_NOT_FOUND

exit status: 0 when the rules were shown, 2 on an unknown code or a usage error`;

const WIDTH = 100;
const EXAMPLE: Code = 'XO_SUBSET_NOT_FOUND';

/** Runs the command; returns the exit code. */
export function rules(args: string[]): number {
  return runCommand('rules', USAGE, args, parseArgs, run);
}

function run(options: Options): number {
  const { format, wanted } = options;
  if (wanted === undefined) {
    console.log(format === 'json' ? JSON.stringify(catalog(), undefined, 2) : listText());
    return 0;
  }
  const code = codeOf(wanted);
  if (code === undefined) {
    const near = closestCodes(wanted);
    const names = near.length === 1 ? near[0] : `${near.slice(0, -1).join(', ')} or ${near[near.length - 1]}`;
    console.error(`cdk8s-istio-traffic rules: no rule has the code ${q(wanted)}; did you mean ${names}? List them all with: cdk8s-istio-traffic rules`);
    return 2;
  }
  console.log(format === 'json' ? JSON.stringify(entry(code, true), undefined, 2) : pageText(code));
  return 0;
}

interface Options {
  readonly format: 'text' | 'json';
  /** The code asked for, as typed. */
  readonly wanted?: string;
}

function parseArgs(args: string[]): Options {
  let format = 'text';
  const codes: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const option = /^--format(?:=(.*))?$/.exec(arg);
    if (option) {
      format = option[1] ?? args[++i] ?? '';
      if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format ${q(format)}; use text or json`);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${q(arg)}`);
    } else {
      codes.push(arg);
    }
  }
  if (codes.length > 1) throw new UsageError(`name one rule code at most, not ${codes.length}`);
  return { format: format === 'json' ? 'json' : 'text', wanted: codes[0] };
}

const CODES = Object.keys(RULES) as Code[];

/** The code a user typed, in any case, or undefined. */
function codeOf(text: string): Code | undefined {
  return CODES.find((code) => code === text.toUpperCase());
}

/** One rule as JSON: the catalog entry, and with `full` its documentation. */
function entry(code: Code, full: boolean): object {
  const [severity, family, summary] = RULES[code];
  const { source, finds, istio, fix } = ruleDocumentation().docs[code];
  return full ? { code, severity, family, source, summary, finds, istio, fix } : { code, severity, family, source, summary };
}

function catalog(): object[] {
  return CODES.map((code) => entry(code, false));
}

/** Every rule, one line each under its family, in catalog order. */
function listText(): string {
  const codeWidth = Math.max(...CODES.map((code) => code.length));
  const severityWidth = Math.max(...CODES.map((code) => RULES[code][0].length));
  const lines: string[] = [];
  let family: string | undefined;
  for (const code of CODES) {
    const [severity, group, summary] = RULES[code];
    if (group !== family) {
      if (family !== undefined) lines.push('');
      lines.push(`${group}:`);
      family = group;
    }
    lines.push(`  ${code.padEnd(codeWidth)}  ${severity.padEnd(severityWidth)}  ${summary}`);
  }
  lines.push('', `${CODES.length} rules. Show one with: cdk8s-istio-traffic rules CODE (e.g. cdk8s-istio-traffic rules ${EXAMPLE})`);
  return lines.join('\n');
}

/** One rule's page. */
function pageText(code: Code): string {
  const [severity, family, summary] = RULES[code];
  const doc = ruleDocumentation().docs[code];
  return [
    code,
    ...wrap(summary, '', ''),
    '',
    `severity  ${severity}`,
    `family    ${family}`,
    `source    ${doc.source}`,
    ...wrap(ruleDocumentation().sources[doc.source], '          ', '          '),
    '',
    'What it finds',
    ...wrap(doc.finds, '  ', '  '),
    '',
    'What Istio does',
    ...wrap(doc.istio, '  ', '  '),
    '',
    'Fix',
    ...wrap(doc.fix, '  ', '  '),
  ].join('\n');
}

/** Words wrapped to WIDTH columns, the first line after `first`, the others after `rest`. */
function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/)) {
    const start = line === first || line === rest;
    if (!start && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line = start ? line + word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * The codes closest to what the user typed: those a few typos away, else those sharing the most words
 * (`WEIGHT` finds the weight rules), else the nearest by edit distance.
 */
export function closestCodes(text: string): Code[] {
  const wanted = text.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const words = new Set(wanted.split('_').filter((w) => w !== ''));
  const scored = CODES.map((code) => ({
    code,
    distance: editDistance(wanted, code),
    shared: code.split('_').filter((w) => words.has(w)).length,
  }));
  const nearest = Math.min(...scored.map((s) => s.distance));
  if (nearest <= Math.max(2, Math.floor(wanted.length / 4))) {
    return scored.filter((s) => s.distance === nearest).map((s) => s.code);
  }
  const most = Math.max(...scored.map((s) => s.shared));
  const candidates = most > 0 ? scored.filter((s) => s.shared === most) : scored.filter((s) => s.distance === nearest);
  return candidates.sort((a, b) => a.distance - b.distance).slice(0, 4).map((s) => s.code);
}
