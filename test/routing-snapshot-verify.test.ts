/** RoutingSnapshot.verify: a test helper that fails with the routing diff when a chart's routing changed. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Testing } from 'cdk8s';
import { CheckoutChart } from '../examples/checkout/checkout';
import { CanaryStage } from '../src/canary-stage';
import { RoutingSnapshot } from '../src/routing/routing-snapshot';

let dir: string;
const env = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'routing-snapshot-'));
  delete process.env.CI;
  delete process.env.UPDATE_ROUTING_SNAPSHOTS;
});
afterEach(() => {
  process.env = { ...env };
  rmSync(dir, { recursive: true, force: true });
});

const chart = (stage = CanaryStage.percent(5)) => new CheckoutChart(new App(), 'checkout', { pricingStage: stage });

test('the first run writes the routing objects only; an unchanged routing passes', () => {
  const file = join(dir, '__snapshots__', 'checkout.routing.yaml');
  RoutingSnapshot.verify(chart(), file);
  const text = readFileSync(file, 'utf-8');
  expect(text).toContain('kind: VirtualService');
  expect(text).toContain('kind: PrometheusRule');
  expect(text).not.toContain('kind: Deployment');
  expect(() => RoutingSnapshot.verify(chart(), file)).not.toThrow();
});

test('a changed routing fails with the diff in words, and how to accept it', () => {
  const file = join(dir, 'checkout.routing.yaml');
  RoutingSnapshot.verify(chart(), file);
  expect(() => RoutingSnapshot.verify(chart(CanaryStage.percent(25)), file)).toThrow([
    `the routing differs from the snapshot ${file}:`,
    'pricing-service.prod.svc.cluster.local: typical request, rule public (#2): v1 95% → 75%, v2 5% → 25%',
    '  alert CanaryNoTraffic (prod/pricing-service-canary) changed: expr, annotations',
    'If the change is intended, run the tests with UPDATE_ROUTING_SNAPSHOTS=1 and commit the snapshot.',
  ].join('\n'));
});

test('updating accepts the change: by option or by UPDATE_ROUTING_SNAPSHOTS', () => {
  const file = join(dir, 'checkout.routing.yaml');
  RoutingSnapshot.verify(chart(), file);
  RoutingSnapshot.verify(chart(CanaryStage.percent(25)), file, { update: true });
  expect(() => RoutingSnapshot.verify(chart(CanaryStage.percent(25)), file)).not.toThrow();
  process.env.UPDATE_ROUTING_SNAPSHOTS = '1';
  RoutingSnapshot.verify(chart(CanaryStage.promoted()), file);
  delete process.env.UPDATE_ROUTING_SNAPSHOTS;
  expect(() => RoutingSnapshot.verify(chart(CanaryStage.promoted()), file)).not.toThrow();
});

test('under CI a missing snapshot fails instead of being written', () => {
  process.env.CI = 'true';
  const file = join(dir, 'missing.routing.yaml');
  expect(() => RoutingSnapshot.verify(chart(), file)).toThrow(`no routing snapshot at ${file}: run the tests outside CI (or with UPDATE_ROUTING_SNAPSHOTS=1) to write it, and commit it`);
  expect(existsSync(file)).toBe(false);
});

test('verifyManifests takes synthesized objects', () => {
  const file = join(dir, 'x.routing.yaml');
  const manifests = Testing.synth(chart());
  RoutingSnapshot.verifyManifests(manifests, file);
  expect(() => RoutingSnapshot.verifyManifests(manifests.filter((m) => m.kind !== 'VirtualService'), file)).toThrow(/host removed|typical request/);
});
