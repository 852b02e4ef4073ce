/** Runs once after the suite: removes the run's temporary directory (see test/global-setup.ts). */
import { rmSync } from 'fs';

export default function globalTeardown(): void {
  const dir = process.env.CDK8S_ISTIO_TRAFFIC_TEST_TMPDIR;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}
