/**
 * What users read in errors and warnings: durations written as people write them, and the field of each
 * problem named as the user wrote it in the props of the construct they created.
 */
import { Duration } from 'cdk8s';
import { CompositeRoute, Destination, IstioChecker, Mirror, MirrorMethods, RoutingModel, StringMatch } from '../src';
import { checkoutVersions } from './fixtures';
import { durationText } from '../src/errors';

describe('durations in messages', () => {
  test.each([
    [250, '250ms'],
    [0, '0ms'],
    [2.5, '2.5ms'],
    [1500, '1.5s'],
    [10_000, '10s'],
    [120_000, '2m'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [90_500, '1m30.5s'],
    [86_400_000, '24h'],
  ])('%d milliseconds are written %s', (ms, text) => {
    expect(durationText(Duration.millis(ms))).toBe(text);
  });
});

describe('an unnamed rule is #<position>, from 1, in check, explain and the constructs', () => {
  const vs = (http: any[]) => ({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'shop' },
    spec: { hosts: ['reviews.shop.svc.cluster.local'], http },
  });
  const to = (subset: string) => [{ destination: { host: 'reviews.shop.svc.cluster.local', subset } }];
  const manifests = [vs([{ route: to('v1') }, { match: [{ uri: { prefix: '/a' } }], route: to('v2') }])];

  test('the checker', () => {
    const found = IstioChecker.check(manifests).find((f) => f.code === 'VS_RULE_UNREACHABLE');
    expect(found?.message).toMatch(/^rule #2 can never match: rule #1 before it/);
  });

  test('explain: the table, the notes and a simulated request', () => {
    const model = RoutingModel.fromManifests(manifests);
    expect(model.toText()).toMatch(/\n {2}1 \| #1 +\| every request/);
    expect(model.hosts[0].notes).toContain('rule #2 is never used: rule #1 before it matches every request');
    expect(model.simulate({})).toMatchObject({ rule: '#1', summary: 'rule #1 of shop/reviews: v1' });
  });

  test('a CompositeRoute\'s rule names', () => {
    const { chart, subsets, v1, v2 } = checkoutVersions();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addRule('canary', { match: [{ headers: { 'x-canary': StringMatch.exact('1') } }], to: Destination.subset(v2) });
    new Mirror(chart, 'mirror', { route: routes, primary: v1, targets: [{ subset: v2 }], methods: MirrorMethods.all() });
    expect(routes.ruleNames).toEqual(['canary', '#2']);
  });
});
