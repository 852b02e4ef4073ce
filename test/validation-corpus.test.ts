/**
 * The corpus in test/corpus: Istio objects written from Istio's rules, each stating what the checker must
 * report ("expect: valid" or the codes) and which rules it exercises without breaking ("passes:"). Each file
 * is one set, checked by the engine and by the `check` command; both must report exactly the expected codes.
 * Where the API server rejects a value before Istio's webhook sees it, "webhook:" states what the webhook
 * rules alone find (the checker without its API-server layer), so that every webhook rule keeps a failing case.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { main } from '../src/cli';
import { allRules } from '../src/private/validation/catalog';
import { checkManifests } from '../src/private/validation/checker';
import { Severity } from '../src/validation/finding';
import { IstioChecker } from '../src/validation/istio-checker';

interface CorpusObject {
  readonly file: string;
  readonly index: number;
  readonly manifest: any;
  readonly expect: string[];
  readonly passes: string[];
  /** What Istio's webhook rules alone find, where the API server rejects the object first. */
  readonly webhook?: string[];
  /** How the CLI names the object: `Kind namespace/name`. */
  readonly key: string;
}

const dir = join(__dirname, 'corpus');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function codes(comment: string, label: string): string[] | undefined {
  const line = new RegExp(`^\\s*${label}:\\s*(.+)$`, 'm').exec(comment);
  if (line === null) return undefined;
  return line[1].trim() === 'valid' ? [] : line[1].split(',').map((c) => c.trim()).filter((c) => c !== '').sort();
}

function load(file: string): CorpusObject[] {
  const docs = parseAllDocuments(readFileSync(join(dir, file), 'utf-8'));
  return (Array.isArray(docs) ? docs : [docs]).filter((d) => d.contents !== null).map((doc, index) => {
    const comment = [doc.commentBefore, (doc.contents as any)?.commentBefore].filter((c) => c).join('\n');
    const expect = codes(comment, 'expect');
    if (expect === undefined) throw new Error(`${file}: object #${index} has no "expect:" comment`);
    const manifest = doc.toJS();
    const key = `${manifest.kind} ${manifest.metadata?.namespace ?? 'default'}/${manifest.metadata?.name ?? manifest.metadata?.generateName ?? ''}`;
    return { file, index, manifest, expect: [...new Set(expect)], passes: codes(comment, 'passes') ?? [], webhook: codes(comment, 'webhook'), key };
  });
}

const corpus = new Map(files.map((file) => [file, load(file)]));
const all = [...corpus.values()].flat();
const checked = all.filter((o) => IstioChecker.isChecked(o.manifest));

describe('the corpus', () => {
  test('holds at least 150 Istio objects, in every API version, and HTTPRoutes of both served versions', () => {
    expect(checked.length).toBeGreaterThanOrEqual(150);
    expect(new Set(checked.map((o) => o.manifest.apiVersion))).toEqual(new Set([
      'networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3',
      'gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1',
    ]));
  });

  test('every rule has a failing case and a passing case', () => {
    const failing = new Set(all.flatMap((o) => [...o.expect, ...o.webhook ?? []]));
    const passing = new Set(all.flatMap((o) => o.passes));
    const rules = allRules().map((r) => r.code);
    expect(rules.filter((code) => !failing.has(code))).toEqual([]);
    expect(rules.filter((code) => !passing.has(code))).toEqual([]);
    // Codes named in the corpus are rules, and no object both breaks and passes one.
    expect([...failing, ...passing].filter((code) => !rules.includes(code))).toEqual([]);
    expect(all.filter((o) => o.passes.some((code) => o.expect.includes(code))).map((o) => o.key)).toEqual([]);
  });

  test('names each object once per file, so the CLI output can be matched to it', () => {
    for (const objects of corpus.values()) {
      const keys = objects.map((o) => o.key);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    }
  });
});

describe.each(files)('%s', (file) => {
  const objects = corpus.get(file)!;
  const findings = IstioChecker.check(objects.map((o) => o.manifest));

  test.each(objects.map((o) => [o.key, o] as const))('engine: %s', (_key, object) => {
    const found = [...new Set(findings.filter((f) => f.index === object.index).map((f) => f.code))].sort();
    expect(found).toEqual(object.expect);
  });

  const webhookOnly = objects.filter((o) => o.webhook !== undefined);
  const webhookFindings = checkManifests(objects.map((o) => o.manifest), { apiServer: false });
  if (webhookOnly.length > 0) {
    test.each(webhookOnly.map((o) => [o.key, o] as const))('webhook rules alone: %s', (_key, object) => {
      const found = [...new Set(webhookFindings.filter((f) => f.index === object.index).map((f) => f.code))].sort();
      expect(found).toEqual(object.webhook);
    });
  }

  test('check command: the same codes per object, and exit 1 exactly when an error is expected', () => {
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
    const err = jest.spyOn(console, 'error').mockImplementation(() => {});
    const code = main(['check', '--format', 'json', join(dir, file)]);
    log.mockRestore();
    err.mockRestore();
    const reported: any[] = JSON.parse(out.join('\n'));
    for (const object of objects) {
      const found = [...new Set(reported.filter((f) => `${f.kind} ${f.namespace}/${f.name}` === object.key).map((f) => f.code))].sort();
      expect({ object: object.key, codes: found }).toEqual({ object: object.key, codes: object.expect });
    }
    expect(reported.every((f) => f.file === join(dir, file))).toBe(true);
    const errors = reported.filter((f) => f.severity === Severity.ERROR);
    expect(code).toBe(errors.length > 0 ? 1 : 0);
  });
});

test('every message names the fix after a ";" and ends without a period', () => {
  const messages = files.flatMap((file) => IstioChecker.check(corpus.get(file)!.map((o) => o.manifest)).map((f) => f.message));
  expect(messages.length).toBeGreaterThan(150);
  expect(messages.filter((m) => !m.includes('; ') || m.endsWith('.'))).toEqual([]);
});
