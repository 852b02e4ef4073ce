/**
 * `npm run bench`: the cost of synthesizing N services with the L2 constructs, against the same manifests
 * written with the L1 classes (plain, and with the rule engine the L2 constructs turn on) and as plain
 * objects dumped to YAML. Every number is the median of 7 runs, each in a fresh process, after one warm-up
 * run. Prints a Markdown report, with issue 6's targets against what was measured, and writes it into
 * BENCHMARKS.md. The projen task compiles first: the benchmark loads the built package (lib/). Then it runs the
 * check benchmark (bench/check.ts); `--check-only` runs that alone.
 */
import { execFileSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { cpus, totalmem } from 'os';
import { join } from 'path';
import { checkBenchmark } from './check';

const root = join(__dirname, '..');
const SIZES = [100, 1000, 5000];
const VARIANTS = ['l2', 'l1', 'l1-checked', 'raw'] as const;
const RUNS = 7;

interface Sample { readonly ms: number; readonly validateMs?: number; readonly rssMb: number; readonly sha: string }

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function child(variant: string, count: number): Sample {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'child.ts'), variant, String(count)], { cwd: root, encoding: 'utf-8' });
  return JSON.parse(out);
}

type Result = { ms: number; validateMs?: number; rssMb: number; sha: string };

/**
 * Every variant at one size. The runs take turns (l2, l1, ..., then l2 again), so that a slow spell of the
 * machine falls on all variants alike rather than on one variant's whole series.
 */
function measureSize(count: number): Map<string, Result> {
  for (const variant of VARIANTS) child(variant, count); // warm-up: file cache, tsx's compile cache
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const variant of VARIANTS) samples.get(variant)!.push(child(variant, count));
  }
  return new Map(VARIANTS.map((variant) => {
    const runs = samples.get(variant)!;
    if (new Set(runs.map((s) => s.sha)).size !== 1) throw new Error(`${variant} x ${count}: runs wrote different YAML`);
    return [variant, {
      ms: median(runs.map((s) => s.ms)),
      validateMs: runs[0].validateMs === undefined ? undefined : median(runs.map((s) => s.validateMs!)),
      rssMb: median(runs.map((s) => s.rssMb)),
      sha: runs[0].sha,
    }];
  }));
}

function timeCommand(file: string, args: string[], cwd: string, runs: number): number {
  const times = Array.from({ length: runs }, () => {
    const start = process.hrtime.bigint();
    execFileSync(file, args, { cwd, stdio: 'ignore' });
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  return median(times);
}

function requireMs(): number {
  const script = 'const s=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-s)/1e6))';
  const times = Array.from({ length: RUNS + 1 }, () => Number(execFileSync(process.execPath, ['-e', script, join(root, 'lib', 'index.js')], { encoding: 'utf-8' })));
  return median(times.slice(1));
}

function main() {
  // `tsx bench/run.ts --check-only`: only the check benchmark (bench/check.ts), a minute instead of several.
  if (process.argv.includes('--check-only')) {
    checkBenchmark();
    return;
  }
  const rows: string[] = [];
  const results = new Map<string, Result>();
  for (const count of SIZES) {
    for (const [variant, result] of measureSize(count)) {
      results.set(`${variant}/${count}`, result);
      process.stderr.write(`${variant} x ${count}: ${result.ms.toFixed(0)} ms\n`);
    }
    const [l2, l1, checked, raw] = VARIANTS.map((v) => results.get(`${v}/${count}`)!);
    if (new Set([l2.sha, l1.sha, checked.sha, raw.sha]).size !== 1) {
      throw new Error(`${count} services: the variants wrote different YAML; the comparison would not be fair`);
    }
    const perService = (r: { ms: number }) => (r.ms / count).toFixed(3);
    rows.push(`| ${count} | ${perService(l2)} | ${perService(l1)} | ${perService(checked)} | ${perService(raw)} `
      + `| ${ratio(l2, l1)} | ${((l2.ms - l2.validateMs!) / l1.ms).toFixed(2)} | ${ratio(l2, checked)} | ${ratio(l2, raw)} `
      + `| ${((l2.validateMs! / l2.ms) * 100).toFixed(1)}% | ${l2.rssMb.toFixed(0)} / ${l1.rssMb.toFixed(0)} / ${checked.rssMb.toFixed(0)} / ${raw.rssMb.toFixed(0)} |`);
  }
  const scaling = results.get('l2/5000')!.ms / results.get('l2/1000')!.ms;
  const load = requireMs();
  const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }))[0];
  const example = timeCommand('npx', ['cdk8s', 'synth', '--no-check-upgrade'], join(root, 'examples', 'checkout'), 3);

  const worst = (of: (count: number) => number) => Math.max(...SIZES.map(of));
  const byCount = (a: string, b: string) => (count: number) => results.get(`${a}/${count}`)!.ms / results.get(`${b}/${count}`)!.ms;
  const targets: [string, string, number, number][] = [
    ['L2 / L1, rule engine included (worst size)', '<= 1.3', worst(byCount('l2', 'l1')), 1.3],
    ['L2 / raw YAML (worst size)', '<= 3', worst(byCount('l2', 'raw')), 3],
    ['L2 time, 5,000 / 1,000 services', '<= 5.5', scaling, 5.5],
    ['`require()` of the package, ms', '<= 150', load, 150],
    ['packed tarball, kB', '<= 300', pack.size / 1000, 300],
  ];

  const report = [
    `Machine: ${cpus().length} cores (${cpus()[0].model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    `Command: \`npm run bench\` (compiles, then runs bench/run.ts). Each number is the median of ${RUNS} runs, each in a fresh process, after a warm-up run; the variants take turns.`,
    '',
    '| services | L2 ms/service | L1 ms/service | L1 + rule engine ms/service | raw ms/service | L2/L1 | L2 without validation / L1 | L2 / (L1 + rule engine) | L2/raw | validation share of L2 | peak RSS MB (L2 / L1 / L1 + engine / raw) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `- L2 time for 5,000 services / 1,000 services: ${scaling.toFixed(2)} (linear = 5)`,
    `- \`require()\` of the built package in a fresh process: ${load.toFixed(1)} ms`,
    `- packed tarball: ${(pack.size / 1000).toFixed(1)} kB (${pack.entryCount} files, ${(pack.unpackedSize / 1000).toFixed(0)} kB unpacked)`,
    `- \`cdk8s synth\` of examples/checkout (wall time, median of 3): ${example.toFixed(0)} ms`,
    '',
    '| target (issue 6) | wanted | measured | |',
    '| --- | ---: | ---: | --- |',
    ...targets.map(([name, wanted, value, limit]) => `| ${name} | ${wanted} | ${value.toFixed(2)} | ${value <= limit ? 'met' : 'not met'} |`),
  ].join('\n');
  console.log(report);

  const file = join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf-8');
  writeFileSync(file, text.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${report}\n<!-- bench:end -->`));
  checkBenchmark();
}

function ratio(a: { ms: number }, b: { ms: number }): string {
  return (a.ms / b.ms).toFixed(2);
}

main();
