/** docs/checks.md documents every rule: its table must list exactly the rules of the code, in order. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Code } from '../src/private/validation/catalog';
import { RULE_DOCS, SOURCES } from '../src/private/validation/catalog-docs';
import { IstioChecker } from '../src/validation/istio-checker';

test('the rule table of docs/checks.md matches the code, rule by rule', () => {
  const text = readFileSync(join(__dirname, '..', 'docs', 'checks.md'), 'utf-8');
  const rows = [...text.matchAll(/^\| `([A-Z0-9_]+)` \| (\w+) \| ([^|]+) \| (.+) \| (.+) \|$/gm)]
    .map((m) => ({ code: m[1], severity: m[2], family: m[3].trim(), summary: m[4].replace(/\\\|/g, '|').trim(), source: m[5].trim() }));
  expect(rows).toEqual(IstioChecker.rules().map(({ code, severity, family, summary }) => ({
    code, severity, family, summary, source: RULE_DOCS[code as Code].source,
  })));
  expect(text).toContain(`${rows.length} rules, by family`);
});

test('docs/checks.md says which source each severity follows, for every rule of the catalog', () => {
  const text = readFileSync(join(__dirname, '..', 'docs', 'checks.md'), 'utf-8');
  // The source table of the Severity paragraph: sources in backticks, then what happens, then severities.
  const section = text.slice(text.indexOf('**Severity.**'), text.indexOf('## At synth'));
  const rows = [...section.matchAll(/^\| (`.+`) \| .+ \| ([a-z, ]+) \|$/gm)].map((m) => ({
    sources: [...m[1].matchAll(/`([^`]+)`/g)].map((s) => s[1]),
    severities: m[2].split(',').map((s) => s.trim()),
  }));
  // Every source of the catalog is in one row, and every rule's severity is one its row allows.
  expect(rows.flatMap((r) => r.sources).sort()).toEqual(Object.keys(SOURCES).sort());
  for (const rule of IstioChecker.rules()) {
    const row = rows.find((r) => r.sources.includes(RULE_DOCS[rule.code as Code].source))!;
    expect([rule.code, row.severities]).toEqual([rule.code, expect.arrayContaining([rule.severity])]);
  }
  // Analyze-level errors are errors of objects Istio's webhook accepts: the old claim is gone.
  expect(text).not.toMatch(/Istio accepts never gets an error/);
  expect(rows.find((r) => r.sources.includes('istioctl analyze IST0101'))!.severities).toEqual(['error']);
});
