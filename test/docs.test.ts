/**
 * The docs cannot drift from the code. Every ```ts block of README.md and docs/*.md is a complete program:
 * it is type-checked against the library's source (imported as 'cdk8s-istio-traffic'), run, and the Istio
 * objects (and PrometheusRules, and Gateway API HTTPRoutes) it writes are checked against their CRDs' schemas.
 * In the guides (docs/*.md), the ```yaml block that follows a program must be exactly those objects as the
 * program writes them, with the version Services its HTTPRoutes send to; `npm run docs:update` rewrites those
 * blocks. Other objects (a dashboard's ConfigMap, cdk8s-plus workloads) are not shown.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Yaml } from 'cdk8s';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { RoutingModel } from '../src';
import { gatewaySchemaErrors } from './gateway-schema';
import { istioSchemaErrors } from './istio-schema';
import { prometheusSchemaErrors } from './prometheus-schema';
import { TRANSLATED_DESTINATION_KEYS, TRANSLATED_MATCH_KEYS, TRANSLATED_RETRY_KEYS, TRANSLATED_RULE_KEYS, UNSUPPORTED_MATCH_KEYS, UNSUPPORTED_RETRY_KEYS, UNSUPPORTED_RULE_KEYS } from '../src/private/render/http-route';

const root = join(__dirname, '..');
const update = process.env.UPDATE_DOCS === '1';
const documents = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

interface Program {
  readonly file: string;
  readonly index: number;
  readonly code: string;
  /** Where the ```yaml block after the program starts and ends in the document. */
  readonly yaml?: { readonly start: number; readonly end: number };
  /** Where the ```text block after that (the routing table) starts and ends. */
  readonly text?: { readonly start: number; readonly end: number };
}

/** The ts blocks of a document, each with the span of the ```yaml block that follows it, if any. */
function programsOf(file: string): Program[] {
  const text = readFileSync(join(root, file), 'utf-8');
  const blocks = [...text.matchAll(/```(ts|yaml|text)\n([\s\S]*?)```/g)];
  const span = (block: RegExpMatchArray | undefined, kind: string) => block?.[1] === kind
    ? { start: block.index! + `\`\`\`${kind}\n`.length, end: block.index! + block[0].length - 3 }
    : undefined;
  return blocks.flatMap((block, i) => {
    if (block[1] !== 'ts') return [];
    const yaml = span(blocks[i + 1], 'yaml');
    return [{ file, index: i, code: block[2], yaml, text: yaml && span(blocks[i + 2], 'text') }];
  });
}

const programs = documents.flatMap(programsOf);

const options: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  esModuleInterop: true,
  paths: { 'cdk8s-istio-traffic': [join(root, 'src/index.ts')] },
  types: [],
};

/** Runs a program with cdk8s writing to a temporary directory; returns the objects it wrote. */
function run(code: string): any[] {
  const outdir = mkdtempSync(join(tmpdir(), 'docs-'));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    // The program imports the package by name; give it the source, and everything else as usual.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const requireFor = (id: string) => require(id === 'cdk8s-istio-traffic' ? '../src' : id);
    new Function('require', 'exports', js)(requireFor, {});
    return readdirSync(outdir).sort().flatMap((f) => parseAllDocuments(readFileSync(join(outdir, f), 'utf-8')).map((d) => d.toJS()));
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
    rmSync(outdir, { recursive: true, force: true });
  }
}

test('README and every guide have programs', () => {
  expect(programs.filter((p) => p.file === 'README.md').length).toBeGreaterThanOrEqual(5);
  for (const guide of documents.filter((d) => d !== 'README.md')) {
    expect(programs.filter((p) => p.file === guide && p.yaml).length).toBeGreaterThanOrEqual(1);
  }
});

test('every program type-checks', () => {
  const files = new Map(programs.map((p) => [join(root, `${p.file.replace(/[/.]/g, '-')}-${p.index}.ts`), p.code]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (file, version, ...rest) => files.has(file)
    ? ts.createSourceFile(file, files.get(file)!, version)
    : getSourceFile(file, version, ...rest);
  const fileExists = host.fileExists;
  host.fileExists = (file) => files.has(file) || fileExists(file);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = ts.getPreEmitDiagnostics(program).map((d) =>
    `${d.file?.fileName.replace(root + '/', '') ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(errors).toEqual([]);
});

const updates = new Map<string, string>();

describe.each(programs.map((p) => [`${p.file} block ${p.index}`, p] as const))('%s', (_name, p) => {
  test('runs and writes valid Istio objects that the document shows', () => {
    const objects = run(p.code);
    const istio = objects.filter((o) => /\.istio\.io\//.test(o.apiVersion));
    expect(istio.length).toBeGreaterThan(0);
    for (const object of istio) {
      expect(object.apiVersion).toBe('networking.istio.io/v1');
      expect(istioSchemaErrors(object)).toEqual([]);
    }
    const rules = objects.filter((o) => o.apiVersion?.startsWith('monitoring.coreos.com/'));
    for (const object of rules) expect(prometheusSchemaErrors(object)).toEqual([]);
    const routes = objects.filter((o) => /^gateway\.networking\.k8s\.io\//.test(o.apiVersion));
    for (const object of routes) expect(gatewaySchemaErrors(object)).toEqual([]);
    // The version Services are what the routes send to: shown with them, so the reader sees both ends.
    const backends = new Set(routes.flatMap((r) => (r.spec?.rules ?? []).flatMap((rule: any) => [
      ...(rule.backendRefs ?? []),
      ...(rule.filters ?? []).flatMap((f: any) => f.requestMirror ? [f.requestMirror.backendRef] : []),
    ]).map((ref: any) => `${ref.namespace ?? r.metadata?.namespace}/${ref.name}`)));
    const services = objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Service' && backends.has(`${o.metadata?.namespace}/${o.metadata?.name}`));
    const shows = (kind: 'yaml' | 'text', expected: string) => {
      if (p[kind] === undefined) return;
      const text = updates.get(p.file) ?? readFileSync(join(root, p.file), 'utf-8');
      if (update) {
        // An earlier block of the same file may have been rewritten to another length: find this one again.
        const span = programsOf(p.file).find((q) => q.index === p.index)![kind]!;
        updates.set(p.file, text.slice(0, span.start) + expected + text.slice(span.end));
        writeFileSync(join(root, p.file), updates.get(p.file)!);
        return;
      }
      if (text.slice(p[kind]!.start, p[kind]!.end) !== expected) {
        throw new Error(`${p.file}: the ${kind} block after program ${p.index} is not what the program writes; run \`npm run docs:update\` or paste:\n${expected}`);
      }
    };
    const shown = [istio, rules, routes, services];
    shows('yaml', Yaml.stringify(...objects.filter((o) => shown.some((kind) => kind.includes(o)))));
    // The routing table a reviewer reads, as `cdk8s-istio-traffic explain` prints it.
    // All Services, so that a backendRef to a version Service reads as that version of its host's Service.
    const table = RoutingModel.fromManifests([...istio, ...routes, ...objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Service')]).toText();
    shows('text', table.endsWith('\n') ? table : `${table}\n`);
  });
});

test('docs/gateway-api.md\'s translation table has a row for every field of an Istio HTTP rule, match and destination the translator knows', () => {
  const doc = readFileSync(join(root, 'docs/gateway-api.md'), 'utf-8');
  const table = /^\| VirtualService field \|[\s\S]*?\n\n/m.exec(doc);
  expect(table).not.toBeNull();
  // The fields a row names in its first cell: `timeout`, `match[].uri.prefix`, `route[].weight`, ...
  const fields = table![0].split('\n').flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]));
  const covered = (path: string) => fields.some((f) => f === path || f.startsWith(`${path}.`) || f.startsWith(`${path}[`));
  const expected = [
    ...[...TRANSLATED_RULE_KEYS, ...Object.keys(UNSUPPORTED_RULE_KEYS)],
    ...[...TRANSLATED_MATCH_KEYS, ...Object.keys(UNSUPPORTED_MATCH_KEYS)].map((k) => `match[].${k}`),
    ...TRANSLATED_DESTINATION_KEYS.map((k) => `route[].${k}`),
    ...[...TRANSLATED_RETRY_KEYS, ...Object.keys(UNSUPPORTED_RETRY_KEYS)].map((k) => `retries.${k}`),
  ];
  expect(expected.filter((path) => !covered(path))).toEqual([]);
});
