/**
 * `check --format sarif`: a SARIF 2.1.0 log that validates against a schema of the SARIF subset we emit
 * (test/sarif/sarif-2.1.0-subset.schema.json, written from the specification; no maintained npm package
 * ships the official schema), each finding at its file and line, each rule documented by code.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Validator } from '@cfworker/json-schema';
import { main } from '../src/cli';
import { RULES } from '../src/private/validation/catalog';
import { RULE_DOCS } from '../src/private/validation/catalog-docs';

const SCHEMA = JSON.parse(readFileSync(join(__dirname, 'sarif', 'sarif-2.1.0-subset.schema.json'), 'utf-8'));
let dir: string;
let cwd: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sarif-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

// Three documents: a clean DestinationRule (line 1), a VirtualService with an error and a warning (line 8),
// and one with an info finding (line 19).
const YAML = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews.shop.svc.cluster.local
  subsets: [{name: v1, labels: {version: v1}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ratings, namespace: shop}
spec:
  hosts: [ratings.shop.svc.cluster.local]
  http:
  - timeout: 1500us
    route:
    - {destination: {host: reviews.shop.svc.cluster.local, subset: v1}, weight: 60}
    - {destination: {host: reviews.shop.svc.cluster.local, subset: v1}, weight: 30}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: short, namespace: shop}
spec:
  hosts: [short]
  http:
  - route:
    - destination: {host: reviews.shop.svc.cluster.local, subset: v1}
`;

function sarif(...args: string[]): { code: number; log: any } {
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = main(['check', '--format', 'sarif', ...args]);
    return { code, log: JSON.parse(out.join('\n')) };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('check --format sarif', () => {
  beforeAll(() => writeFileSync(join(dir, 'routes.yaml'), YAML));

  test('validates against the SARIF 2.1.0 schema (the subset emitted)', () => {
    const validator = new Validator(SCHEMA, '7', false);
    const { log } = sarif('routes.yaml');
    const result = validator.validate(log);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    // The schema is not vacuous: a misspelt property or a bad level fails.
    expect(validator.validate({ ...log, runs: [{ ...log.runs[0], results: [{ message: { text: 'x' }, level: 'info' }] }] }).valid).toBe(false);
    expect(validator.validate({ ...log, version: '2.0.0' }).valid).toBe(false);
    expect(validator.validate({ ...log, runs: [{ ...log.runs[0], tool: { driver: { name: 'x', rule: [] } } }] }).valid).toBe(false);
  });

  test('each finding at its file (relative, as given) and the line where its object starts; exit status as with text', () => {
    const { code, log } = sarif('routes.yaml');
    expect(code).toBe(1);
    const results = log.runs[0].results;
    const where = (r: any) => {
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      return [r.ruleId, r.level, artifactLocation.uri, region.startLine];
    };
    expect(results.map(where)).toEqual([
      ['VS_WEIGHT_SUM_NOT_100', 'warning', 'routes.yaml', 8],
      ['DURATION_INVALID', 'error', 'routes.yaml', 8],
      ['HOST_SHORT_NAME', 'note', 'routes.yaml', 19],
    ]);
    expect(results[1].message.text).toBe('VirtualService shop/ratings spec.http[0].timeout: "1500us" is not a whole number of milliseconds; Istio supports millisecond precision only');
    expect(results[1].locations[0].logicalLocations).toEqual([{ fullyQualifiedName: 'VirtualService/shop/ratings/spec.http[0].timeout', kind: 'object' }]);
  });

  test('each rule documented by its code: summary, what it finds, what Istio does, the fix, the default level', () => {
    const { log } = sarif('routes.yaml');
    const { rules } = log.runs[0].tool.driver;
    const results = log.runs[0].results;
    expect(rules.map((r: any) => r.id)).toEqual([...new Set(results.map((r: any) => r.ruleId))]);
    for (const r of results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    const rule = rules.find((r: any) => r.id === 'DURATION_INVALID');
    expect(rule.shortDescription.text).toBe(RULES.DURATION_INVALID[2]);
    expect(rule.fullDescription.text).toBe(RULE_DOCS.DURATION_INVALID.finds);
    expect(rule.help.text).toContain(RULE_DOCS.DURATION_INVALID.fix);
    expect(rule.defaultConfiguration).toEqual({ level: 'error' });
    expect(rule.helpUri).toMatch(/docs\/checks\.md#rules$/);
  });

  test('a clean set: an empty results list, still valid', () => {
    writeFileSync(join(dir, 'clean.yaml'), YAML.split('---')[0]);
    const { code, log } = sarif('clean.yaml');
    expect(code).toBe(0);
    expect(log.runs[0].results).toEqual([]);
    expect(new Validator(SCHEMA, '7', false).validate(log).valid).toBe(true);
  });

  test('files found under a directory: relative URIs with forward slashes, special characters percent-encoded', () => {
    mkdirSync(join(dir, 'dist', 'my app'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'my app', 'routes #1.yaml'), YAML);
    const { log } = sarif('dist');
    const uris = [...new Set(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri))];
    expect(uris).toEqual(['dist/my%20app/routes%20%231.yaml']);
  });
});
