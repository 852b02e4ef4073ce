/**
 * One measured run of the check benchmark in a fresh process, over the YAML files under a directory:
 * - `js-yaml`: read each file and parse it with js-yaml's plain `loadAll`, the floor the issue measures against;
 * - `check`: the `check` command as users run it (the built package's bundle, output captured), reading included;
 * - `layers`: the same command from the sources (src/, unbundled, so that each layer's module exports can be
 *   wrapped), with the time of each layer recorded (see `timeLayers`).
 * Module loading is outside the measured time; what the command loads on first use (the bundles, the compiled
 * schemas) is inside, as users pay it. Prints {cpuMs, wallMs, objects, findings, exit, layers} as JSON.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';

const src = join(__dirname, '..', 'src');
const [mode, dir] = process.argv.slice(2);

/** CPU time of this process (all its threads, the garbage collector's included), in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * Wraps module exports so that the CPU time spent in them is added to a layer. Time is exclusive: while a
 * wrapped function of another layer runs inside, the outer layer's clock stops, so the layers add up.
 */
function timeLayers(): { [layer: string]: number } {
  const totals: { [layer: string]: number } = {};
  const stack: { layer: string; since: number }[] = [];
  const wrap = (module: any, name: string, layer: string) => {
    const fn = module[name];
    module[name] = function (this: unknown, ...args: unknown[]) {
      const now = cpuMs();
      const outer = stack[stack.length - 1];
      if (outer) totals[outer.layer] = (totals[outer.layer] ?? 0) + now - outer.since;
      stack.push({ layer, since: now });
      try {
        return fn.apply(this, args);
      } finally {
        const end = cpuMs();
        const own = stack.pop()!;
        totals[layer] = (totals[layer] ?? 0) + end - own.since;
        if (outer) outer.since = end;
      }
    };
  };
  /* eslint-disable @typescript-eslint/no-require-imports */
  wrap(require(join(src, 'cli', 'manifests')), 'loadManifests', 'reading');
  // What checkManifests spends outside the other layers: Istio's webhook rules, object by object.
  wrap(require(join(src, 'private', 'validation', 'checker')), 'checkManifests', 'webhook');
  wrap(require(join(src, 'private', 'validation', 'analyzers')), 'analyze', 'analyzers');
  // The API server's layer (the CRD schema and its CEL rules): every function those modules export that the
  // checker calls.
  for (const file of ['schema-check', 'cel-rules']) {
    totals.apiServer = 0;
    const module = require(join(src, 'private', 'validation', `${file}.ts`));
    for (const name of Object.keys(module)) if (typeof module[name] === 'function') wrap(module, name, 'apiServer');
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  return totals;
}

function yamlFiles(path: string): string[] {
  return readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => e.isDirectory() ? yamlFiles(join(path, e.name)) : /\.ya?ml$/.test(e.name) ? [join(path, e.name)] : []);
}

function main(): void {
  let measured: () => { objects: number; findings: number; exit: number };
  let layers: { [layer: string]: number } | undefined;
  if (mode === 'js-yaml') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jsYaml = require(join(__dirname, '..', 'bundled', 'js-yaml.js'));
    measured = () => {
      const objects = yamlFiles(dir).flatMap((file) => jsYaml.loadAll(readFileSync(file, 'utf-8')));
      return { objects: objects.length, findings: 0, exit: 0 };
    };
  } else {
    if (mode === 'layers') layers = timeLayers();
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { cliMain } = mode === 'layers' ? { cliMain: undefined } : require(join(__dirname, '..', 'lib', 'private', 'library.js'));
    const check: (args: string[]) => number = cliMain === undefined ? require(join(src, 'cli', 'check')).check : (args) => cliMain(['check', ...args]);
    /* eslint-enable @typescript-eslint/no-require-imports */
    measured = () => {
      const out: string[] = [];
      const log = console.log;
      const error = console.error;
      console.log = (line: string) => out.push(line);
      console.error = (line: string) => out.push(line);
      try {
        const exit = check(['--format', 'json', dir]);
        const findings = JSON.parse(out[0]).length;
        const objects = Number(/^(\d+) Istio objects? checked/m.exec(out.join('\n'))?.[1]);
        return { objects, findings, exit };
      } finally {
        console.log = log;
        console.error = error;
      }
    };
  }
  const cpu = cpuMs();
  const wall = performance.now();
  const result = measured();
  console.log(JSON.stringify({ cpuMs: cpuMs() - cpu, wallMs: performance.now() - wall, ...result, layers }));
}

main();
