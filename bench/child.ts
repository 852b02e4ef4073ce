/**
 * One measured run in a fresh process: builds and synthesizes N services with one variant and prints
 * {ms, validateMs, rssMb, sha} as JSON. Module loading is outside the measured time.
 */
import { createHash } from 'crypto';
import { performance } from 'perf_hooks';
import { Node } from 'constructs';
import { l1, l2, raw } from './services';

// The benchmark measures the built package, as users load it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('../lib');

const [variant, countArg] = process.argv.slice(2);
const count = Number(countArg);

// Validation's share: the time spent in every construct's validations, as synth runs them (cdk8s validates
// an app twice per synth). Measured by wrapping Node.validate, so no extra pass is run.
let validateMs = 0;
const validate = Node.prototype.validate;
Node.prototype.validate = function (this: Node) {
  const start = performance.now();
  try {
    return validate.call(this);
  } finally {
    validateMs += performance.now() - start;
  }
};

function measure(): { ms: number; validateMs?: number; yaml: string } {
  const start = performance.now();
  if (variant === 'raw') {
    const yaml = raw(count);
    return { ms: performance.now() - start, yaml };
  }
  const app = variant === 'l2' ? l2(lib, count) : l1(lib, count, variant === 'l1-checked');
  const yaml = app.synthYaml();
  return { ms: performance.now() - start, validateMs, yaml };
}

const result = measure();
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ ms: result.ms, validateMs: result.validateMs, rssMb, sha: createHash('sha256').update(result.yaml).digest('hex') }));
