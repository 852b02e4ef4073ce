/**
 * One measured run in a fresh process: builds and synthesizes N services with one variant and prints
 * {ms, validateMs, rssMb, sha} as JSON. Module loading is outside the measured time.
 */
import { createHash } from 'crypto';
import { performance } from 'perf_hooks';
import { l1, l2, raw } from './services';

// The benchmark measures the built package, as users load it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('../lib');

const [variant, countArg] = process.argv.slice(2);
const count = Number(countArg);

function measure(): { ms: number; validateMs?: number; yaml: string } {
  const start = performance.now();
  if (variant === 'raw') {
    const yaml = raw(count);
    return { ms: performance.now() - start, yaml };
  }
  const app = variant === 'l2' ? l2(lib, count) : l1(lib, count);
  // synthYaml() = validate every construct, resolve, dump. Validation is timed on its own as well.
  const validateStart = performance.now();
  const errors = app.node.findAll().flatMap((c) => c.node.validate());
  const validateMs = performance.now() - validateStart;
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const yaml = app.synthYaml();
  // synthYaml validated again; count that pass once, not twice.
  return { ms: performance.now() - start - validateMs, validateMs, yaml };
}

const { ms, validateMs, yaml } = measure();
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ ms, validateMs, rssMb, sha: createHash('sha256').update(yaml).digest('hex') }));
