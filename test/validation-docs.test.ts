/** docs/checks.md documents every rule: its table must list exactly the rules of the code, in order. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Code } from '../src/private/validation/catalog';
import { RULE_DOCS } from '../src/private/validation/catalog-docs';
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
