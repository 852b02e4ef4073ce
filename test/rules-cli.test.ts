/**
 * `cdk8s-istio-traffic rules [CODE]`, in-process through the CLI's dispatcher: the catalog offline, each
 * rule's page, suggestions for unknown codes, and the documentation data behind them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../src/cli';
import { Code } from '../src/private/validation/catalog';
import { RULE_DOCS, RuleSource, SOURCES } from '../src/private/validation/catalog-docs';
import { IstioChecker } from '../src/validation/istio-checker';

const catalog = IstioChecker.rules();
const codes = catalog.map((r) => r.code as Code);

/** Runs the CLI; returns its exit code and what it printed on stdout and stderr. */
function cli(...argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: any[]) => out.push(parts.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...parts: any[]) => err.push(parts.join(' ')));
  try {
    return { code: main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** The text under a heading of a rule page, up to the next blank line, as one line. */
function section(page: string, heading: string): string {
  const lines = page.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return '';
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim()).join(' ');
}

describe('rules: the list', () => {
  const { code, out, err } = cli('rules');
  const lines = out.split('\n');
  const rows = lines.flatMap((line) => {
    const m = /^ {2}([A-Z0-9_]+) +(error|warning|info) +(\S.*)$/.exec(line);
    return m ? [{ code: m[1], severity: m[2], summary: m[3], column: line.indexOf(m[3], m[1].length + 2 + m[2].length) }] : [];
  });

  test('lists every rule of the catalog once, in catalog order, with its severity and summary; exit 0', () => {
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(rows).toHaveLength(116);
    expect(rows.map(({ code: c, severity, summary }) => ({ code: c, severity, summary })))
      .toEqual(catalog.map(({ code: c, severity, summary }) => ({ code: c, severity, summary })));
  });

  test('aligns the columns and groups the rows under their family, as the catalog orders them', () => {
    expect(new Set(rows.map((r) => r.column)).size).toBe(1);
    const families = [...new Set(catalog.map((r) => r.family))];
    expect(lines.filter((l) => /^\S.*:$/.test(l))).toEqual(families.map((f) => `${f}:`));
    let family = '';
    for (const line of lines) {
      if (/^\S.*:$/.test(line)) family = line.slice(0, -1);
      const row = /^ {2}([A-Z0-9_]+) /.exec(line);
      if (row) expect([row[1], family]).toEqual([row[1], catalog.find((r) => r.code === row[1])!.family]);
    }
  });

  test('ends with how to see one rule', () => {
    expect(lines[lines.length - 1]).toMatch(/^116 rules\. Show one with: cdk8s-istio-traffic rules CODE/);
  });

  test('--format json prints the catalog with each rule\'s source', () => {
    const result = cli('rules', '--format', 'json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual(catalog.map(({ code: c, severity, family, summary }) => ({
      code: c, severity, family, source: RULE_DOCS[c as Code].source, summary,
    })));
    expect(cli('rules', '--format=json').out).toBe(result.out);
  });
});

describe('rules CODE: one rule\'s page', () => {
  test.each(codes)('%s: severity, family, source and its meaning, what it finds, what Istio does, the fix', (c) => {
    const rule = catalog.find((r) => r.code === c)!;
    const doc = RULE_DOCS[c];
    const { code, out, err } = cli('rules', c);
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.split('\n');
    expect(lines[0]).toBe(c);
    expect(lines.slice(1, lines.indexOf('')).join(' ')).toBe(rule.summary);
    expect(lines).toContain(`severity  ${rule.severity}`);
    expect(lines).toContain(`family    ${rule.family}`);
    expect(lines).toContain(`source    ${doc.source}`);
    expect(out.replace(/\s+/g, ' ')).toContain(SOURCES[doc.source]);
    expect(section(out, 'What it finds')).toBe(doc.finds);
    expect(section(out, 'What Istio does')).toBe(doc.istio);
    expect(section(out, 'Fix')).toBe(doc.fix);
    // Wrapped to 100 columns, except a single word too long for a line.
    expect(lines.filter((l) => l.length > 100 && l.trim().includes(' '))).toEqual([]);
  });

  test('the code may be written in lower case', () => {
    const lower = cli('rules', 'vs_weight_sum_not_100');
    expect(lower.code).toBe(0);
    expect(lower.out).toBe(cli('rules', 'VS_WEIGHT_SUM_NOT_100').out);
    expect(lower.out.split('\n')[0]).toBe('VS_WEIGHT_SUM_NOT_100');
  });

  test('--format json prints the rule with its documentation', () => {
    const result = cli('rules', '--format', 'json', 'xo_subset_not_found');
    expect(result.code).toBe(0);
    const { finds, istio, fix } = RULE_DOCS.XO_SUBSET_NOT_FOUND;
    expect(JSON.parse(result.out)).toEqual({
      code: 'XO_SUBSET_NOT_FOUND',
      severity: 'error',
      family: 'analyzers',
      source: 'istioctl analyze IST0101',
      summary: catalog.find((r) => r.code === 'XO_SUBSET_NOT_FOUND')!.summary,
      finds,
      istio,
      fix,
    });
  });

  test.each([
    ['VS_WEIGHT_SUM_NOT_10', ['VS_WEIGHT_SUM_NOT_100']],
    ['vs-weight-zero', ['VS_WEIGHT_ZERO']],
    ['SUBSET_NOT_FOUND', ['XO_SUBSET_NOT_FOUND']],
    ['weight', ['VS_WEIGHT_NEGATIVE', 'VS_WEIGHT_TOTAL_ZERO', 'VS_WEIGHT_SUM_NOT_100', 'VS_WEIGHT_ZERO']],
    ['retry timeout', ['RETRY_PER_TRY_TIMEOUT_IGNORED', 'RETRY_BUDGET_EXCEEDS_TIMEOUT']],
  ])('an unknown code %j exits 2 and names the closest codes', (typed, expected) => {
    const result = cli('rules', typed);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    const named = /did you mean (.*)\?/.exec(result.err)?.[1].split(/, | or /);
    expect(result.err).toMatch(new RegExp(`^cdk8s-istio-traffic rules: no rule has the code "${typed}"`));
    expect(named?.sort()).toEqual([...expected].sort());
  });

  test('an unrelated word still gets a suggestion', () => {
    const result = cli('rules', 'NOPE');
    expect(result.code).toBe(2);
    const named = /did you mean (.*)\?/.exec(result.err)?.[1].split(/, | or /) ?? [];
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect(codes).toContain(name);
  });
});

describe('usage', () => {
  test('rules --help prints the usage and exits 0', () => {
    const result = cli('rules', '--help');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^usage: cdk8s-istio-traffic rules \[--format text\|json\] \[CODE\]/);
    expect(result.out).toMatch(/exit status: 0 when the rules were shown, 2 on an unknown code/);
  });

  test.each([
    [['VS_WEIGHT_ZERO', 'VS_WEIGHT_NEGATIVE'], /name one rule code at most, not 2/],
    [['--format', 'yaml'], /unknown format "yaml"; use text or json/],
    [['--format'], /unknown format ""/],
    [['--all'], /unknown option "--all"/],
  ])('bad arguments %j exit 2 with the usage', (args, message) => {
    const result = cli('rules', ...args);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/usage: cdk8s-istio-traffic rules/);
  });

  test('the command is listed in the CLI usage', () => {
    expect(cli('--help').out).toMatch(/^ {2}rules {5}list the checks, or explain one/m);
  });

  test('check --help points at the rules command, not at a file', () => {
    const result = cli('check', '--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('`cdk8s-istio-traffic rules CODE` explains one');
    expect(result.out).not.toContain('docs/checks.md');
  });
});

describe('check names the rules command for what it found', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rules-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const DR = (subsets: string) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews.shop.svc.cluster.local
  subsets: ${subsets}
`;

  test('one code: a runnable command, whose page exists', () => {
    const file = join(dir, 'one.yaml');
    writeFileSync(file, DR('[{name: v1}]'));
    const result = cli('check', file);
    expect(result.out).toMatch(/^WARNING DR_SUBSET_NO_LABELS /);
    expect(result.err.split('\n')).toEqual(['1 Istio object checked: 0 errors, 1 warning, 0 info', 'see: cdk8s-istio-traffic rules DR_SUBSET_NO_LABELS']);
    expect(cli('rules', 'DR_SUBSET_NO_LABELS').code).toBe(0);
  });

  test('several codes: errors first, each once', () => {
    const file = join(dir, 'several.yaml');
    writeFileSync(file, DR('[{name: v1}, {name: v1, labels: {version: v1}}, {name: v2}]'));
    const result = cli('check', file);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')[1]).toBe('see: cdk8s-istio-traffic rules CODE, for CODE in DR_SUBSET_DUPLICATE, DR_SUBSET_NO_LABELS');
  });

  test('no line without findings, nor with --format json', () => {
    const clean = join(dir, 'clean.yaml');
    writeFileSync(clean, DR('[{name: v1, labels: {version: v1}}]'));
    expect(cli('check', clean).err).toBe('1 Istio object checked: 0 errors, 0 warnings, 0 info');
    const file = join(dir, 'json.yaml');
    writeFileSync(file, DR('[{name: v1}]'));
    expect(cli('check', '--format', 'json', file).err).toBe('1 Istio object checked: 0 errors, 1 warning, 0 info');
  });
});

describe('the documentation data', () => {
  const docs = Object.entries(RULE_DOCS) as [Code, (typeof RULE_DOCS)[Code]][];

  test('documents exactly the rules of the catalog, in its order', () => {
    expect(docs.map(([c]) => c)).toEqual(codes);
  });

  test('no text is empty, each is a sentence, and none repeats another rule\'s text or any rule\'s fix', () => {
    const fixes = docs.map(([, d]) => d.fix);
    for (const [c, doc] of docs) {
      for (const field of ['finds', 'istio', 'fix'] as const) {
        const text = doc[field];
        expect([c, field, text.trim().length > 20]).toEqual([c, field, true]);
        expect([c, field, /[.)]$/.test(text)]).toEqual([c, field, true]);
        expect([c, field, docs.filter(([other, d]) => other !== c && d[field] === text).map(([other]) => other)]).toEqual([c, field, []]);
      }
      expect([c, fixes.filter((fix) => fix === doc.finds || fix === doc.istio)]).toEqual([c, []]);
    }
    expect(new Set(fixes).size).toBe(codes.length);
  });

  test('what Istio does agrees with the source: rejected objects are errors, accepted ones say so', () => {
    const rejecting: RuleSource[] = ['webhook', 'CRD schema', 'CRD schema (oneOf)', 'Kubernetes API server'];
    for (const rule of catalog) {
      const doc = RULE_DOCS[rule.code as Code];
      const rejected = rejecting.includes(doc.source);
      expect([rule.code, rejected ? rule.severity : 'accepted']).toEqual([rule.code, rejected ? 'error' : 'accepted']);
      expect([rule.code, (rejected ? /\b(rejects|rejected|refuses)\b/ : /\baccepts\b/).test(doc.istio)]).toEqual([rule.code, true]);
      if (doc.source === 'webhook warning') expect([rule.code, rule.severity]).toEqual([rule.code, 'warning']);
    }
  });

  test('every source is explained', () => {
    for (const [source, meaning] of Object.entries(SOURCES)) expect([source, meaning.length > 40]).toEqual([source, true]);
    expect(new Set(docs.map(([, d]) => d.source))).toEqual(new Set(Object.keys(SOURCES)));
  });
});
