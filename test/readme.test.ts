/**
 * Every ```ts block of README.md is a complete program: it is type-checked against the library's source
 * (imported as 'cdk8s-istio-traffic'), run, and its YAML read back, so the README cannot drift from the code.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { istioSchemaErrors } from './istio-schema';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf-8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({ name: `readme-snippet-${i + 1}.ts`, code: m[1] }));

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

test('README has a snippet per pattern', () => {
  expect(snippets.length).toBeGreaterThanOrEqual(5);
});

test('every README snippet type-checks', () => {
  const files = new Map(snippets.map((s) => [join(root, s.name), s.code]));
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

describe.each(snippets)('$name', ({ code }) => {
  test('runs and writes Istio YAML', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'readme-'));
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    try {
      const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      // The snippet imports the package by name; give it the source, and everything else as usual.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const requireFor = (id: string) => require(id === 'cdk8s-istio-traffic' ? '../src' : id);
      new Function('require', 'exports', js)(requireFor, {});
      const docs = readdirSync(outdir).flatMap((f) => parseAllDocuments(readFileSync(join(outdir, f), 'utf-8')).map((d) => d.toJS()));
      expect(docs.length).toBeGreaterThan(0);
      for (const doc of docs) {
        expect(doc.apiVersion).toBe('networking.istio.io/v1');
        expect(['DestinationRule', 'VirtualService']).toContain(doc.kind);
        expect(istioSchemaErrors(doc)).toEqual([]);
      }
    } finally {
      process.env.CDK8S_OUTDIR = previous;
      if (previous === undefined) delete process.env.CDK8S_OUTDIR;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
