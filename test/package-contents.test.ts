/**
 * What `npm pack` would publish: the compiled library, the jsii assembly, API.md, README and LICENSE, and
 * nothing else (no bundled dependencies, sources, tests, examples, import tooling or source maps). package.json
 * lists them in `files`, an allow-list, so a stray file in the working folder is never published: the test
 * puts some there while it packs.
 */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';

const root = join(__dirname, '..');

function packedFiles(): { files: string[]; size: number } {
  // `npm test` can run before the build on a fresh clone: compile first so lib/ and .jsii exist.
  if (!existsSync(join(root, 'lib', 'index.js')) || !existsSync(join(root, '.jsii'))) {
    execFileSync('npx', ['jsii', '--silence-warnings=reserved-word'], { cwd: root, stdio: 'ignore' });
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

const { files } = packedFiles();

test('package.json publishes an allow-list, and stray files in the working folder stay out', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
  expect(manifest.files).toEqual(['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md']);
  expect(files.filter((f) => STRAYS.includes(f))).toEqual([]);
});

test.each(['.jsii', 'API.md', 'README.md', 'LICENSE', 'package.json', 'lib/index.js', 'lib/index.d.ts', 'lib/cli.js'])(
  'the package contains %s', (file) => {
    expect(files).toContain(file);
  });

test('every compiled module is there with its types', () => {
  const modules = files.filter((f) => f.startsWith('lib/') && f.endsWith('.js'));
  expect(modules.length).toBeGreaterThan(20);
  for (const module of modules) {
    expect(files).toContain(module.replace(/\.js$/, '.d.ts'));
  }
});

test('the package holds nothing but the library and its docs', () => {
  const unexpected = files.filter((f) => !/^(lib\/.*\.(js|d\.ts)|\.jsii|API\.md|README\.md|LICENSE|package\.json)$/.test(f));
  expect(unexpected).toEqual([]);
  expect(files.filter((f) => /^(src|test|examples|imports|\.ci|\.projen|coverage|dist)\//.test(f))).toEqual([]);
  expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

test('compiled modules carry no inline source maps', () => {
  for (const module of ['index.js', 'composite-route.js', 'cli.js']) {
    expect(readFileSync(join(root, 'lib', module), 'utf-8')).not.toMatch(/sourceMappingURL=data:/);
  }
});

test('the CLI\'s YAML parser is the one cdk8s ships, so the package needs no copy of its own', () => {
  const parser = createRequire(require.resolve('cdk8s')).resolve('yaml');
  expect(parser).toContain(join('node_modules', 'cdk8s', 'node_modules', 'yaml'));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8'));
  expect(manifest.bundledDependencies ?? []).toEqual([]);
  expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
});
