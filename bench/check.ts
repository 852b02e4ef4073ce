/**
 * The check benchmark (issue 16): `cdk8s-istio-traffic check` over the benchmark's services written as YAML
 * (1,000 and 5,000 services, two objects each), against a plain js-yaml `loadAll` of the same files, in one run
 * so both see the same machine. Each number is the median of RUNS runs, each in a fresh process
 * (bench/check-child.ts), after a warm-up run; the variants take turns. Times are CPU time (user + system, all
 * threads): this machine is shared, and wall time there measures the neighbours as much as the code. Prints a
 * Markdown report and writes it into BENCHMARKS.md between the bench-check markers.
 *
 * `npx tsx bench/check.ts` after a compile (the benchmark runs lib/, as the CLI does); `npm run bench` runs it
 * after the synthesis benchmark.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { cpus, tmpdir, totalmem } from 'os';
import { join } from 'path';
import { raw } from './services';

const root = join(__dirname, '..');
const SIZES = [1000, 5000];
const VARIANTS = ['js-yaml', 'check', 'layers'] as const;
const RUNS = 7;
/** The layers the `layers` variant times, in the order of the report. */
const LAYERS: [string, string][] = [
  ['reading', 'reading (js-yaml, lines)'],
  ['apiServer', 'API server layer (schema + CEL)'],
  ['webhook', "Istio's webhook rules"],
  ['analyzers', 'analyzers'],
];

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly objects: number;
  readonly findings: number;
  readonly exit: number;
  readonly layers?: { [layer: string]: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function child(variant: string, dir: string): Sample {
  // The layer timing wraps module exports: ts-node's CommonJS output keeps them writable (tsx's are getters).
  const loader = variant === 'layers' ? ['-r', 'ts-node/register/transpile-only'] : ['--import', 'tsx'];
  const out = execFileSync(process.execPath, [...loader, join(__dirname, 'check-child.ts'), variant, dir], { cwd: root, encoding: 'utf-8' });
  return JSON.parse(out);
}

interface Result {
  readonly services: number;
  readonly objects: number;
  readonly megabytes: number;
  readonly findings: number;
  readonly loadAll: { cpu: number; wall: number };
  readonly check: { cpu: number; wall: number };
  readonly layers: { [layer: string]: number | undefined };
}

function measure(services: number, dir: string): Result {
  const file = join(dir, 'bench.k8s.yaml');
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, raw(services));
  for (const variant of VARIANTS) child(variant, dir); // warm-up: the file cache, tsx's compile cache
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const variant of VARIANTS) samples.get(variant)!.push(child(variant, dir));
  }
  const all = (variant: string) => samples.get(variant)!;
  const checked = [...all('check'), ...all('layers')];
  if (all('js-yaml').some((s) => s.objects !== 2 * services) || checked.some((s) => s.objects !== 2 * services)) {
    throw new Error(`${services} services: a run did not read ${2 * services} objects`);
  }
  if (checked.some((s) => s.exit !== 0 || s.findings !== checked[0].findings)) {
    throw new Error(`${services} services: check found errors, or different findings from run to run`);
  }
  // A layer no run timed (its functions could not be wrapped) stays undefined: "n/a" in the report.
  const layers: { [layer: string]: number | undefined } = {};
  for (const [layer] of LAYERS) {
    const timed = all('layers').flatMap((s) => s.layers?.[layer] === undefined ? [] : [s.layers[layer]]);
    layers[layer] = timed.length === 0 ? undefined : median(timed);
  }
  return {
    services,
    objects: 2 * services,
    megabytes: statSync(file).size / 1e6,
    findings: checked[0].findings,
    loadAll: { cpu: median(all('js-yaml').map((s) => s.cpuMs)), wall: median(all('js-yaml').map((s) => s.wallMs)) },
    check: { cpu: median(all('check').map((s) => s.cpuMs)), wall: median(all('check').map((s) => s.wallMs)) },
    layers,
  };
}

/** Runs the benchmark; returns the report, also written into BENCHMARKS.md. */
export function checkBenchmark(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-check-'));
  let results: Result[];
  try {
    results = SIZES.map((services) => {
      const result = measure(services, join(dir, String(services)));
      process.stderr.write(`check x ${services} services: ${result.check.cpu.toFixed(0)} ms, js-yaml ${result.loadAll.cpu.toFixed(0)} ms\n`);
      return result;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const perObject = (ms: number | undefined, r: Result) => ms === undefined ? 'n/a' : (ms / r.objects).toFixed(3);
  const largest = results[results.length - 1];
  const ratio = largest.check.cpu / largest.loadAll.cpu;
  const worstPerObject = Math.max(...results.map((r) => r.check.cpu / r.objects));
  const verdict = (met: boolean) => met ? 'met' : 'not met';
  const report = [
    `Machine: ${cpus().length} cores (${cpus()[0].model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    `Command: \`npx tsx bench/check.ts\` (after a compile; \`npm run bench\` runs it too). CPU time, median of ${RUNS} runs, each in a fresh process, after a warm-up run; the variants take turns.`,
    '',
    '| services | objects | YAML MB | js-yaml `loadAll` ms | `check` ms | check / loadAll | check wall / loadAll wall | check ms/object | '
      + LAYERS.map(([, name]) => `${name} ms/object`).join(' | ') + ' |',
    `| ${Array.from({ length: 8 + LAYERS.length }, () => '---:').join(' | ')} |`,
    ...results.map((r) => `| ${r.services} | ${r.objects} | ${r.megabytes.toFixed(1)} | ${r.loadAll.cpu.toFixed(0)} | ${r.check.cpu.toFixed(0)} `
      + `| ${(r.check.cpu / r.loadAll.cpu).toFixed(2)} | ${(r.check.wall / r.loadAll.wall).toFixed(2)} | ${perObject(r.check.cpu, r)} | `
      + LAYERS.map(([layer]) => perObject(r.layers[layer], r)).join(' | ') + ' |'),
    '',
    `The layer times come from a separate run that times each layer (its clock adds a little); \`check\` also counts the objects and formats the findings (${largest.findings} here).`,
    '',
    '| target (issue 16) | wanted | measured | |',
    '| --- | ---: | ---: | --- |',
    `| \`check\` / js-yaml \`loadAll\`, ${largest.objects.toLocaleString('en-US')} objects | <= 2 | ${ratio.toFixed(2)} | ${verdict(ratio <= 2)} |`,
    `| whole check, all layers, ms per object (worst size) | < 1 | ${worstPerObject.toFixed(3)} | ${verdict(worstPerObject < 1)} |`,
  ].join('\n');
  console.log(report);
  const file = join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf-8');
  const section = `<!-- bench-check:start -->\n${report}\n<!-- bench-check:end -->`;
  const markers = /<!-- bench-check:start -->[\s\S]*<!-- bench-check:end -->/;
  if (!markers.test(text)) throw new Error('BENCHMARKS.md has no bench-check markers');
  writeFileSync(file, text.replace(markers, section));
  return report;
}

if (require.main === module) checkBenchmark();
