/**
 * `cdk8s-istio-traffic diff`, run in-process through the CLI's dispatcher: two directories, or the same
 * directory at a git ref (a temporary repository, no network), the formats, and the exit codes CI keys on.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Yaml } from 'cdk8s';
import { runCli } from './cli-run';
import { synth } from './util';
import { CheckoutChart } from '../examples/checkout/checkout';
import { CanaryStage } from '../src/canary-stage';
import { main } from '../src/cli';
import { RoutingModel } from '../src/routing/routing-model';

const at = (stage: CanaryStage) => synth(new CheckoutChart(new App(), 'checkout', { pricingStage: stage }));
const before = at(CanaryStage.percent(5));
const after = at(CanaryStage.percent(25));
const expected = RoutingModel.diff(RoutingModel.fromManifests(before), RoutingModel.fromManifests(after));
let dir: string;

function write(path: string, manifests: any[]): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, Yaml.stringify(...manifests));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'diff-cli-'));
  write(join(dir, 'before', 'checkout.k8s.yaml'), before);
  write(join(dir, 'after', 'checkout.k8s.yaml'), after);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCli('diff', ...args);

describe('two directories', () => {
  test('a changed routing: the library\'s text, exit 1', () => {
    const result = run(join(dir, 'before'), join(dir, 'after'));
    expect(result).toEqual({ code: 1, out: expected.toText(), err: '' });
    expect(result.out).toContain('pricing-service.prod.svc.cluster.local: typical request, rule public (#2): v1 95% → 75%, v2 5% → 25%\n');
  });

  test('an unchanged routing: exit 0', () => {
    expect(run(join(dir, 'before'), join(dir, 'before', 'checkout.k8s.yaml'))).toEqual({ code: 0, out: 'routing unchanged\n', err: '' });
  });

  test.each([
    ['markdown', [], () => expected.toMarkdown()],
    ['markdown', ['--mermaid', '--title', 'Routing of this PR'], () => expected.toMarkdown({ mermaid: true, title: 'Routing of this PR' })],
    ['json', [], () => `${JSON.stringify(expected.toJson(), undefined, 2)}\n`],
  ])('--format %s %j', (format, extra, text) => {
    expect(run('--format', format, ...extra, join(dir, 'before'), join(dir, 'after'))).toEqual({ code: 1, out: text(), err: '' });
  });

  test('unreadable input: exit 2', () => {
    const result = run(join(dir, 'before'), join(dir, 'missing'));
    expect(result.code).toBe(2);
    expect(result.err).toContain('missing: no such file or directory');
  });
});

describe('--base-ref: the before side from git', () => {
  let repo: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  let cwd: string;

  beforeAll(() => {
    repo = join(dir, 'repo');
    mkdirSync(repo);
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.com');
    git('config', 'user.name', 'test');
    write(join(repo, 'dist', 'checkout.k8s.yaml'), before);
    writeFileSync(join(repo, 'dist', 'notes.txt'), 'not YAML: ignored\n');
    git('add', 'dist');
    git('commit', '-q', '-m', 'percent(5)');
    write(join(repo, 'dist', 'checkout.k8s.yaml'), after);
    cwd = process.cwd();
    process.chdir(repo);
  });
  afterAll(() => process.chdir(cwd));

  test('the working tree against a commit', () => {
    expect(run('--base-ref', 'main', 'dist')).toEqual({ code: 1, out: expected.toText(), err: '' });
    expect(run('--base-ref=HEAD', 'dist/checkout.k8s.yaml').code).toBe(1);
  });

  test('paths that did not exist at the ref: every host is new', () => {
    mkdirSync(join(repo, 'new'));
    write(join(repo, 'new', 'a.yaml'), before);
    const result = run('--base-ref', 'main', 'new');
    expect(result.code).toBe(1);
    expect(result.out).toContain('pricing-service.prod.svc.cluster.local: new host: a typical request goes to v1 95%, v2 5%');
  });

  test('an unknown ref: exit 2 with git\'s reason', () => {
    const result = run('--base-ref', 'no-such-branch', 'dist');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^cdk8s-istio-traffic diff: git ls-tree failed: fatal: .*no-such-branch/);
  });
});

describe('usage errors exit 2 with the reason and the usage', () => {
  test.each([
    [['only-one'], 'name two files or directories, BEFORE and AFTER (got 1); or use --base-ref REF PATH...'],
    [['a', 'b', 'c'], 'name two files or directories, BEFORE and AFTER (got 3)'],
    [['--base-ref', 'main'], 'with --base-ref, name at least one file or directory'],
    [['--format', 'html', 'a', 'b'], 'unknown format "html"; use text, markdown or json'],
    [['--mermaid', 'a', 'b'], '--mermaid goes with --format markdown'],
    [['--title', 'x', 'a', 'b'], '--title goes with --format markdown'],
    [['--format'], '--format needs a value'],
    [['--color', 'a', 'b'], 'unknown option "--color"'],
  ])('%j', (args, message) => {
    const result = run(...args);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`cdk8s-istio-traffic diff: ${message}`);
    expect(result.err).toContain('usage: cdk8s-istio-traffic diff');
  });

  test('--help, and the dispatcher lists the command', () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('exit status: 0 routing unchanged, 1 routing changed, 2 unreadable input or bad arguments');
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(main(['--help'])).toBe(0);
      expect(log.mock.calls[0][0]).toContain('diff      show what moves in the routing between two manifest sets');
    } finally {
      log.mockRestore();
    }
  });
});
