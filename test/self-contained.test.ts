/**
 * A clone with nothing beside it passes `npm ci && npm test`: nothing the build or the tests run reads a path
 * outside the repository, and the suite keeps its temporary files in one folder that it removes at the end
 * (test/global-setup.ts, test/global-teardown.ts).
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join, relative } from 'path';
import { Testing } from 'cdk8s';

const root = join(__dirname, '..');

/** The source and config files of the build, the tests and the tools, below the repository root. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', '__snapshots__', 'dist', '.work'].includes(name)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|json|ya?ml)$/.test(name) || name === 'run' ? [path] : [];
  });
}

test('no code, config or CI script names a path outside the repository', () => {
  const files = ['src', 'test', 'imports', 'projenrc', 'bench', 'examples', '.ci', '.projen'].flatMap((d) => sources(join(root, d)))
    .concat(['.projenrc.ts', 'package.json', 'tsconfig.json'].map((f) => join(root, f)));
  expect(files.length).toBeGreaterThan(100);
  const outside = files.flatMap((file) => readFileSync(file, 'utf-8').split('\n')
    .map((line, i) => ({ at: `${relative(root, file)}:${i + 1}`, line }))
    .filter(({ line }) => /\.\.\/(\.\.\/)*shared\b|['"]\.\.['"],\s*['"]\.\.['"]|['"]shared['"]/.test(line)));
  expect(outside).toEqual([]);
});

test('tests write temporary files into the run\'s own folder, which the teardown removes', () => {
  const runDir = process.env.CDK8S_ISTIO_TRAFFIC_TEST_TMPDIR;
  expect(runDir).toMatch(/cdk8s-istio-traffic-test-/);
  expect(tmpdir()).toBe(runDir);
  expect(dirname(Testing.app().outdir)).toBe(runDir);
});
