/**
 * The review workflow of docs/review.md, run: the `run:` steps of its GitHub Actions YAML are executed on
 * two commits of the example app in a temporary git repository (a clone, so `origin/main` exists), with
 * the steps that need the network (npm ci, posting the comment, uploading SARIF) left out but their inputs
 * checked. The comment is snapshotted. The diff blocks of docs/review.md and README.md are regenerated here
 * too (UPDATE_DOCS=1 rewrites them), so the documents show what the code prints.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Validator } from '@cfworker/json-schema';
import { App, Yaml, YamlOutputType } from 'cdk8s';
import * as ts from 'typescript';
import { parse, parseAllDocuments } from 'yaml';
import { mermaidErrors } from './mermaid-grammar';
import { CheckoutChart } from '../examples/checkout/checkout';
import { CanaryStage } from '../src/canary-stage';
import { main } from '../src/cli';
import { RoutingModel } from '../src/routing/routing-model';

const root = join(__dirname, '..');
const update = process.env.UPDATE_DOCS === '1';
const REVIEW = join(root, 'docs', 'review.md');

/** The workflow between the markers of docs/review.md, parsed. */
function workflow(): any {
  const doc = readFileSync(REVIEW, 'utf-8');
  const block = /<!-- workflow:start -->\n```yaml\n([\s\S]*?)```\n<!-- workflow:end -->/.exec(doc);
  if (block === null) throw new Error('docs/review.md has no ```yaml block between <!-- workflow:start --> and <!-- workflow:end -->');
  return parse(block[1]);
}

const STAGES: { [name: string]: CanaryStage } = { 'percent(5)': CanaryStage.percent(5), 'percent(25)': CanaryStage.percent(25) };

/** `npx cdk8s synth` of the fixture: the example app at the stage its stage.txt (its "source") names, into dist/. */
function synthApp(dir: string): void {
  const stage = STAGES[readFileSync(join(dir, 'stage.txt'), 'utf-8').trim()];
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const app = new App({ outdir: join(dir, 'dist'), yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new CheckoutChart(app, 'checkout', { pricingStage: stage });
  app.synth();
}

/** Runs the CLI in-process with stdout to `file`; returns the exit code. */
function cli(args: string[], file: string | undefined): number {
  const out: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => out.push(String(chunk)) > 0);
  const log = jest.spyOn(console, 'log').mockImplementation((...parts: any[]) => out.push(`${parts.join(' ')}\n`));
  const error = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const code = main(args);
    if (file !== undefined) writeFileSync(file, out.join(''));
    return code;
  } finally {
    stdout.mockRestore();
    log.mockRestore();
    error.mockRestore();
  }
}

const CONTEXT: { [expression: string]: string } = {
  '${{ github.base_ref }}': 'main',
  '${{ github.event.pull_request.number }}': '1',
};

/**
 * Runs one line of a `run:` step in `dir`, the way the runner's bash would for the forms the workflow uses;
 * a line of another form fails the test, so the document cannot grow a step the test does not run.
 */
function runLine(line: string, dir: string, log: string[]): void {
  const command = Object.entries(CONTEXT).reduce((text, [expression, value]) => text.split(expression).join(value), line);
  if (command === 'npm ci') {
    log.push(`skipped (network): ${command}`);
    return;
  }
  if (command === 'npx cdk8s synth') {
    synthApp(dir);
    log.push(command);
    return;
  }
  const git = /^git (.+)$/.exec(command);
  if (git) {
    execFileSync('git', git[1].split(' '), { cwd: dir, stdio: 'pipe' });
    log.push(command);
    return;
  }
  const tool = /^npx cdk8s-istio-traffic (.+?)(?: > (\S+))?( \|\| test \$\? -eq 1)?$/.exec(command);
  if (tool) {
    const code = cli(tool[1].split(' '), tool[2] === undefined ? undefined : join(dir, tool[2]));
    const allowed = tool[3] === undefined ? [0] : [0, 1];
    if (!allowed.includes(code)) throw new Error(`${command} exited ${code}`);
    log.push(`${command} (exit ${code})`);
    return;
  }
  const comment = /^gh pr comment \d+ --body-file (\S+)$/.exec(command);
  if (comment) {
    expect(existsSync(join(dir, comment[1]))).toBe(true);
    log.push(`skipped (network): ${command}`);
    return;
  }
  throw new Error(`the workflow test does not know how to run ${JSON.stringify(line)}: teach runLine() in test/review-workflow.test.ts`);
}

describe('the workflow of docs/review.md, on two commits of the example app', () => {
  let dir: string;
  let work: string;
  let cwd: string;
  const steps: string[] = [];
  const git = (cwdir: string, ...args: string[]) => execFileSync('git', args, { cwd: cwdir, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'review-workflow-'));
    // The upstream repository: the app at 5%, with its synthesized output committed.
    const upstream = join(dir, 'upstream');
    mkdirSync(upstream);
    git(upstream, 'init', '-q', '-b', 'main');
    writeFileSync(join(upstream, 'stage.txt'), 'percent(5)\n');
    synthApp(upstream);
    git(upstream, 'add', 'stage.txt', 'dist');
    git(upstream, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'pricing at 5%');
    // The pull request: a clone (origin/main), a branch that moves the stage and commits the new output.
    work = join(dir, 'work');
    git(dir, 'clone', '-q', upstream, work);
    git(work, 'checkout', '-q', '-b', 'pricing-25');
    writeFileSync(join(work, 'stage.txt'), 'percent(25)\n');
    synthApp(work);
    git(work, 'add', 'stage.txt', 'dist');
    git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'pricing at 25%');

    cwd = process.cwd();
    process.chdir(work);
    try {
      for (const step of workflow().jobs.review.steps) {
        if (step.uses !== undefined) continue;
        for (const line of String(step.run).split('\n').map((l) => l.trim()).filter((l) => l !== '')) runLine(line, work, steps);
      }
    } finally {
      process.chdir(cwd);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every run step ran, network steps left out', () => {
    expect(steps).toEqual([
      'skipped (network): npm ci',
      'npx cdk8s synth',
      'git diff --exit-code -- dist/',
      'npx cdk8s-istio-traffic diff --base-ref origin/main --format markdown --mermaid dist/ > routing.md || test $? -eq 1 (exit 1)',
      'skipped (network): gh pr comment 1 --body-file routing.md',
      'npx cdk8s-istio-traffic check --format sarif dist/ > istio.sarif (exit 0)',
    ]);
  });

  test('the comment says what moves, with valid diagrams', () => {
    const comment = readFileSync(join(work, 'routing.md'), 'utf-8');
    expect(comment).toContain('### pricing-service.prod.svc.cluster.local (changed)\n\ntypical request, rule public (#2): v1 95% → 75%, v2 5% → 25%');
    expect(comment).toContain('- alert CanaryNoTraffic (prod/pricing-service-canary) changed: expr, annotations');
    // Only the changed host.
    expect(comment).not.toContain('checkout-service');
    for (const m of comment.matchAll(/```mermaid\n([\s\S]*?)```/g)) expect(mermaidErrors(m[1])).toEqual([]);
    expect(comment).toMatchSnapshot();
  });

  test('the SARIF the upload step reads is there and valid', () => {
    const upload = workflow().jobs.review.steps.find((s: any) => String(s.uses).startsWith('github/codeql-action/upload-sarif'));
    const log = JSON.parse(readFileSync(join(work, upload.with.sarif_file), 'utf-8'));
    const schema = JSON.parse(readFileSync(join(__dirname, 'sarif', 'sarif-2.1.0-subset.schema.json'), 'utf-8'));
    expect(new Validator(schema, '7', false).validate(log).errors).toEqual([]);
  });
});

/** Replaces the block between `start` and `end` of a document, or checks that it is `expected`. */
function showsBlock(file: string, start: string, end: string, expected: string): void {
  const text = readFileSync(file, 'utf-8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file} needs a block between ${start} and ${end}:\n${expected}`);
  const block = `${start}\n${expected}${end}`;
  if (update) {
    writeFileSync(file, text.slice(0, from) + block + text.slice(to + end.length));
    return;
  }
  if (text.slice(from, to + end.length) !== block) throw new Error(`${file}: the block between ${start} and ${end} is out of date; run UPDATE_DOCS=1 npx jest test/review-workflow.test.ts or paste:\n${expected}`);
}

/** The objects docs/review.md's program writes at a stage (its `CanaryStage.percent(25)` replaced). */
function reviewProgram(stage: string): any[] {
  const code = /```ts\n([\s\S]*?)```/.exec(readFileSync(REVIEW, 'utf-8'))![1].replace('CanaryStage.percent(25)', stage);
  const outdir = mkdtempSync(join(tmpdir(), 'review-doc-'));
  const previous = process.env.CDK8S_OUTDIR;
  process.env.CDK8S_OUTDIR = outdir;
  try {
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    new Function('require', 'exports', js)((id: string) => require(id === 'cdk8s-istio-traffic' ? '../src' : id), {});
    return readdirSync(outdir).flatMap((f) => parseAllDocuments(readFileSync(join(outdir, f), 'utf-8')).map((d) => d.toJS()));
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
    rmSync(outdir, { recursive: true, force: true });
  }
}

test('docs/review.md shows the diff its program makes when its stage moves from 5% to 25%', () => {
  const diff = RoutingModel.diff(RoutingModel.fromManifests(reviewProgram('CanaryStage.percent(5)')), RoutingModel.fromManifests(reviewProgram('CanaryStage.percent(25)')));
  expect(diff.changed).toBe(true);
  // A fence without a language: docs.test.ts reads a ```text block right after a program's YAML as its routing table.
  showsBlock(REVIEW, '<!-- diff:review:start -->', '<!-- diff:review:end -->', ['```', '$ cdk8s-istio-traffic diff --base-ref origin/main dist/', diff.toText().trimEnd(), '```', ''].join('\n'));
});

test('README shows the diff of the example app between two stages of its pricing canary', () => {
  const at = (stage: CanaryStage) => RoutingModel.fromChart(new CheckoutChart(new App(), 'checkout', { pricingStage: stage }));
  const diff = RoutingModel.diff(at(CanaryStage.percent(5)), at(CanaryStage.percent(25)));
  expect(diff.hosts.map((h) => h.host)).toEqual(['pricing-service.prod.svc.cluster.local']);
  showsBlock(join(root, 'README.md'), '<!-- diff:checkout:start -->', '<!-- diff:checkout:end -->', [
    '```text',
    '$ cdk8s-istio-traffic diff --base-ref origin/main examples/checkout/dist',
    diff.toText().trimEnd(),
    '```',
    '',
  ].join('\n'));
});

// The fixture's YAML is what the app writes, for the record of what the snapshot compares.
test('the fixture app writes the pricing stage into its VirtualService', () => {
  const dir = mkdtempSync(join(tmpdir(), 'review-fixture-'));
  try {
    writeFileSync(join(dir, 'stage.txt'), 'percent(25)\n');
    synthApp(dir);
    const objects = Yaml.load(join(dir, 'dist', 'checkout.k8s.yaml'));
    const vs = objects.find((o: any) => o.metadata?.name === 'pricing-service-vs');
    expect(vs.spec.http[1].route.map((r: any) => r.weight)).toEqual([75, 25]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
