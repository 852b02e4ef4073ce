/**
 * What `npm pack` would publish: the compiled library, bundled/ (the checker's third-party code, its licences and
 * the CRD schemas), the jsii assembly, README and LICENSE, and nothing else (no node_modules, sources, tests,
 * examples, import tooling, source maps or API.md, which lives in the repository). package.json
 * lists them in `files`, an allow-list, so a stray file in the working folder is never published: the test
 * puts some there while it packs.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..');

function packedFiles(): { files: string[]; size: number } {
  // `npm test` can run before the build on a fresh clone: compile first (bundled/, jsii, comments stripped) so
  // lib/ and .jsii exist as the build leaves them.
  if (!existsSync(join(root, 'lib', 'index.js')) || !existsSync(join(root, '.jsii'))) {
    execFileSync('npx', ['projen', 'compile'], { cwd: root, stdio: 'ignore' });
  }
  const strays = STRAYS.map((f) => join(root, f));
  let out: string;
  try {
    for (const file of strays) writeFileSync(file, 'not for the package\n');
    out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] });
  } finally {
    for (const file of strays) rmSync(file, { force: true });
  }
  const [pack] = JSON.parse(out);
  return { files: pack.files.map((f: { path: string }) => f.path).sort(), size: pack.size };
}

/** Files a contributor might leave in the working folder: notes, a scratch script, a dump in lib/. */
const STRAYS = ['stray-notes.txt', 'stray-scratch.ts', 'lib/stray-dump.json'];

const { files, size } = packedFiles();

const BUNDLED = ['bundled/THIRD-PARTY-NOTICES.txt', 'bundled/cel.js', 'bundled/crd-schemas.json.br', 'bundled/js-yaml.js', 'bundled/rule-docs.json.br'];

test('package.json publishes an allow-list, and stray files in the working folder stay out', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
  expect(manifest.files).toEqual(['lib/**/*.js', 'lib/**/*.d.ts', 'bundled/*.js', 'bundled/*.json.br', 'bundled/THIRD-PARTY-NOTICES.txt', '.jsii']);
  expect(files.filter((f) => STRAYS.includes(f))).toEqual([]);
});

test.each(['.jsii', ...BUNDLED, 'README.md', 'LICENSE', 'package.json', 'lib/index.js', 'lib/index.d.ts', 'lib/cli.js'])(
  'the package contains %s', (file) => {
    expect(files).toContain(file);
  });

test('the JavaScript is one bundle with two doors; the declarations are the public ones only', () => {
  expect(files.filter((f) => f.endsWith('.js') && f.startsWith('lib/'))).toEqual(['lib/cli.js', 'lib/index.js', 'lib/private/library.js']);
  expect(readFileSync(join(root, 'lib', 'index.js'), 'utf-8')).toBe('"use strict";module.exports=require("./private/library.js").library;\n');
  const declarations = files.filter((f) => f.endsWith('.d.ts'));
  expect(declarations.length).toBeGreaterThan(20);
  expect(declarations.filter((f) => f.includes('/private/') || /^lib\/cli[./]/.test(f))).toEqual([]);
  // The rules' documentation is data in bundled/, not code of the bundle.
  expect(readFileSync(join(root, 'lib', 'private', 'library.js'), 'utf-8')).not.toContain('istioctl validate -f');
  // The constructs' `_`-prefixed hooks are @internal: gone from the declarations as from the jsii assembly.
  expect(readFileSync(join(root, 'lib', 'composite-route.d.ts'), 'utf-8')).not.toMatch(/_addRule|private\//);
});

test('the bundle is the whole API: the door exports what src/index.ts exports, L1 submodules included', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const built = require(join(root, 'lib', 'index.js'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const source = require(join(root, 'src', 'index.ts'));
  expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort());
  expect(Object.keys(built.gateway).sort()).toEqual(Object.keys(source.gateway).sort());
  // jsii's runtime type information survives the bundling: host languages learn a returned object's type from it.
  expect(built.CompositeRoute[Symbol.for('jsii.rtti')]).toEqual({ fqn: 'cdk8s-istio-traffic.CompositeRoute', version: expect.any(String) });
});

test('the package holds nothing but the library and its docs', () => {
  const unexpected = files.filter((f) => !/^(lib\/.*\.(js|d\.ts)|\.jsii|README\.md|LICENSE|package\.json)$/.test(f) && !BUNDLED.includes(f));
  expect(unexpected).toEqual([]);
  expect(files.filter((f) => /^(src|test|examples|imports|\.ci|\.projen|coverage|dist)\//.test(f))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

test('compiled modules carry no inline source maps', () => {
  for (const module of ['index.js', 'private/library.js', 'cli.js']) {
    expect(readFileSync(join(root, 'lib', module), 'utf-8')).not.toMatch(/sourceMappingURL=data:/);
  }
});

test('the CLI reads YAML with the bundled js-yaml, so the package depends on no YAML parser', () => {
  const bundle = readFileSync(join(root, 'lib', 'private', 'library.js'), 'utf-8');
  expect(bundle).not.toMatch(/createRequire|require\("(yaml|js-yaml)"\)/);
  expect(bundle).toMatch(/js-yaml\.js/);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
  expect(manifest.bundledDependencies ?? []).toEqual([]);
  expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
});

// Issue 16's budget. What keeps the package within it (BENCHMARKS.md, "Package size"): lib/ as one minified bundle
// with only the public declarations (projenrc/shrink-lib.ts), L1 types without the CRDs' prose, the schemas
// compiled by the library instead of a bundled JSON-schema validator, the data files brotli-compressed, and the
// contributors' part of the README in docs/. The Gateway API HTTPRoute L1 types and output are inside it.
test('the packed tarball stays within the 300 kB budget', () => {
  expect(size).toBeLessThanOrEqual(300_000);
});

test('the bundle carries no comments; the .d.ts files keep the docs', () => {
  const js = readFileSync(join(root, 'lib', 'private', 'library.js'), 'utf-8');
  expect(js).not.toMatch(/\/\*\*|^\s*\/\/ /m);
  expect(readFileSync(join(root, 'lib', 'string-match.d.ts'), 'utf-8')).toContain('/**');
});

test('the compiled CLI checks manifests with the bundled code, as an installed package would', () => {
  const article = join(root, 'test', 'canary-article');
  const run = spawnSync('node', [join(root, 'lib', 'cli.js'), 'check', join(article, '01-foundation-destination-rule.yaml')], { encoding: 'utf-8' });
  expect(run.status).toBe(0);
  expect(run.stdout + run.stderr).toMatch(/1 Istio object checked: 0 errors/);
});

test('a TypeScript user type-checks against the shipped declarations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consumer-'));
  writeFileSync(join(dir, 'app.ts'), [
    `import { CompositeRoute, IstioChecker, StickySplit, Subsets } from '${join(root, 'lib')}';`,
    'export const used: unknown[] = [CompositeRoute, IstioChecker, StickySplit, Subsets];',
  ].join('\n'));
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), [
    '--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'node16', '--moduleResolution', 'node16',
    '--typeRoots', join(root, 'node_modules', '@types'), '--types', 'node', 'app.ts',
  ], { cwd: dir, stdio: 'pipe' });
});
