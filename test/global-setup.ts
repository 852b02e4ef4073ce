/**
 * Runs once before the suite. It builds bundled/ (projenrc/bundle.ts; quick, and a no-op when nothing changed), so
 * that `npx jest` alone runs the checker's third-party code as the package ships it. Then it says whether promtool's tests run (one line when they are skipped;
 * a failure when promtool is required and missing, see test/promtool.ts). Then the run gets a temporary
 * directory of its own: `Testing.app()` makes a `cdk8s.outdir.*` folder per chart, and tests and the tools
 * they start write scratch files. Every worker inherits TMPDIR, so all of it lands in one folder that
 * test/global-teardown.ts removes.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { reportPromtool } from './promtool';
import { buildBundles } from '../projenrc/bundle';

export default function globalSetup(): void {
  buildBundles();
  reportPromtool();
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-istio-traffic-test-'));
  process.env.CDK8S_ISTIO_TRAFFIC_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}
