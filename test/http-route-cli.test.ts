/**
 * `explain` and `diff` on hand-written HTTPRoute files (test/http-route/), run in-process through the CLI's
 * dispatcher: they read HTTPRoutes and the Services they send to as the routing model does.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { runCli } from './cli-run';
import { RoutingModel } from '../src/routing/routing-model';

const FIXTURES = join(__dirname, 'http-route');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'http-route-cli-'));
  for (const side of ['before', 'after']) mkdirSync(join(dir, side));
  copyFileSync(join(FIXTURES, 'services.yaml'), join(dir, 'before', 'services.yaml'));
  copyFileSync(join(FIXTURES, 'services.yaml'), join(dir, 'after', 'services.yaml'));
  copyFileSync(join(FIXTURES, 'sticky-http-route.yaml'), join(dir, 'before', 'route.yaml'));
  // After: the sticky split moves from 50/50 to 80/20.
  const after = readFileSync(join(FIXTURES, 'sticky-http-route.yaml'), 'utf8').replace(/weight: 50\n(\s+filters:[\s\S]*?v1;)/, 'weight: 80\n$1')
    .replace(/weight: 50\n(\s+filters:[\s\S]*?v2;)/, 'weight: 20\n$1');
  writeFileSync(join(dir, 'after', 'route.yaml'), after);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const modelOf = (side: string) => RoutingModel.fromManifests(['services.yaml', 'route.yaml']
  .flatMap((f) => parseAllDocuments(readFileSync(join(dir, side, f), 'utf8')).map((d) => d.toJSON())));

const run = runCli;

test('explain: the table of an HTTPRoute, and where a request with a version cookie goes', () => {
  const table = run('explain', join(dir, 'before'));
  expect(table).toEqual({ code: 0, out: modelOf('before').toText(), err: '' });
  expect(table.out).toContain('HTTPRoute prod/checkout, for sidecars in the mesh');
  expect(table.out).toMatch(/3 \| split +\| anything else +\| v1 50%, v2 50% +\|.*\| sets checkout-version\n/);
  const request = run('explain', join(dir, 'before'), '--request', 'cookie:checkout-version=v2');
  expect(request.code).toBe(0);
  expect(request.out).toContain('rule:    pin-v2 (#2) of HTTPRoute prod/checkout\ngoes to: v2\n');
});

test('diff: a split moved on an HTTPRoute is a routing change, exit 1', () => {
  const result = run('diff', join(dir, 'before'), join(dir, 'after'));
  expect(result).toEqual({ code: 1, out: RoutingModel.diff(modelOf('before'), modelOf('after')).toText(), err: '' });
  expect(result.out).toContain('checkout.prod.svc.cluster.local: typical request, rule split (#3): v1 50% → 80%, v2 50% → 20%');
});
