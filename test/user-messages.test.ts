/**
 * What users read in errors and warnings: durations written as people write them, and the field of each
 * problem named as the user wrote it in the props of the construct they created.
 */
import { ApiObject, App, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Canary, CanaryAnalysis, CanaryDashboard, CanaryProps, CanaryStage, CompositeRoute, Destination, IstioChecker, Mirror, MirrorMethods, RoutingModel,
  StickySplit, StringMatch, Subsets, Warnings,
} from '../src';
import { checkoutVersions, FORWARDED } from './fixtures';
import { CheckoutChart } from '../examples/checkout/checkout';
import { durationText } from '../src/private/errors';

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
    [1500.5, '1500.5ms'],
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

/**
 * Each construct names the field of a problem as the user wrote it in its props (or the arguments of the
 * method they called), at the path of the construct they created: not the route a preset builds inside
 * itself, nor the internal options a preset passes to its rules.
 */
describe('the field of an error or a warning is the prop path the user wrote', () => {
  const HOST = 'checkout-service.prod.svc.cluster.local';
  // A warning: Envoy ignores a per-try timeout that is not below the rule's timeout.
  const slowRetries = { timeout: Duration.seconds(1), retries: { attempts: 2, perTryTimeout: Duration.seconds(1) } };
  const errorOf = (build: () => void): string => {
    try {
      build();
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('no error');
  };
  const at = (message: string) => message.slice(0, message.indexOf(': ', message.indexOf(': ') + 2));
  const warningAt = (chart: Construct) => Warnings.of(chart).map((w) => /^\[([^\]]*)\] [A-Z_]+ ([^:]*):/.exec(w)?.slice(1).join(': '));

  describe('CompositeRoute', () => {
    test('error: rules["canary"].match[0].headers["X-User"]', () => {
      const { chart, subsets, v2 } = checkoutVersions();
      const routes = new CompositeRoute(chart, 'routes', { subsets });
      expect(at(errorOf(() => routes.addRule('canary', { match: [{ headers: { 'X-User': StringMatch.exact('a') } }], to: Destination.subset(v2) }))))
        .toBe('test/routes: rules["canary"].match[0].headers["X-User"]');
    });

    test('error: defaultRule["public"].to[1].weight', () => {
      const { chart, subsets, v1, v2 } = checkoutVersions();
      const routes = new CompositeRoute(chart, 'routes', { subsets });
      expect(at(errorOf(() => routes.addDefaultRule('public', { to: Destination.split([{ subset: v1, weight: 50 }, { subset: v2, weight: 50.5 }]) }))))
        .toBe('test/routes: defaultRule["public"].to[1].weight');
    });

    test('warning: rules["slow"].retries.perTryTimeout', () => {
      const { chart, subsets, v2 } = checkoutVersions();
      new CompositeRoute(chart, 'routes', { subsets }).addRule('slow', { match: [{ uri: StringMatch.prefix('/slow') }], to: Destination.subset(v2), ...slowRetries });
      expect(warningAt(chart)).toEqual(['test/routes: rules["slow"].retries.perTryTimeout']);
    });
  });

  describe('Mirror', () => {
    test('error: targets[0].percentage', () => {
      const { chart, v1, v2 } = checkoutVersions();
      expect(at(errorOf(() => new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2, percentage: 101 }] })))).toBe('test/mirror: targets[0].percentage');
    });

    test('error: hosts[0], of the route it makes from its props', () => {
      const { chart, v1, v2 } = checkoutVersions();
      expect(at(errorOf(() => new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2 }], hosts: ['Shop'] })))).toBe('test/mirror: hosts[0]');
    });

    test('warning: targets[0]', () => {
      const { chart, v1 } = checkoutVersions();
      new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v1 }] });
      expect(warningAt(chart)).toEqual(['test/mirror: targets[0]']);
    });
  });

  describe('StickySplit', () => {
    const cookie = { forwardedBy: FORWARDED };

    test('error: split[1].weight', () => {
      const { chart, v1, v2 } = checkoutVersions();
      expect(at(errorOf(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50.5 }], cookie }))))
        .toBe('test/sticky: split[1].weight');
    });

    test('error: split[1].headers.request.set["X-V"], found while writing the pin of v2', () => {
      const { chart, v1, v2 } = checkoutVersions();
      const headers = { request: { set: { 'X-V': '2' } } };
      expect(at(errorOf(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50, headers }], cookie }))))
        .toBe('test/sticky: split[1].headers.request.set["X-V"]');
    });

    test('warning: retries.perTryTimeout, once for the pins and the split', () => {
      const { chart, v1, v2 } = checkoutVersions();
      new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], cookie, ...slowRetries });
      expect(warningAt(chart)).toEqual(['test/sticky: retries.perTryTimeout']);
    });

    test('error: gateways, or route, when the cookie cannot reach the browsers; cookie.forwardedBy[0].reason', () => {
      const { chart, subsets, v1, v2 } = checkoutVersions();
      const split = [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }];
      expect(at(errorOf(() => new StickySplit(chart, 'own', { split })))).toBe('test/own: gateways');
      const route = new CompositeRoute(chart, 'routes', { subsets });
      expect(at(errorOf(() => new StickySplit(chart, 'given', { route, split })))).toBe('test/given: route');
      expect(at(errorOf(() => new StickySplit(chart, 'why', { split, cookie: { forwardedBy: [{ caller: 'storefront', reason: ' ' }] } }))))
        .toBe('test/why: cookie.forwardedBy[0].reason');
    });
  });

  describe('Canary', () => {
    const canary = (props: Partial<CanaryProps>) => {
      const { chart, v1, v2 } = checkoutVersions();
      new Canary(chart, 'cart', { stable: v1, canary: v2, stage: CanaryStage.percent(5), testers: [{ headers: { 'x-user': StringMatch.exact('qa') } }], ...props });
      return chart;
    };

    test.each<[string, Partial<CanaryProps>]>([
      ['stage', { stage: CanaryStage.percent(150) }],
      ['testers[0].headers["X-User"]', { testers: [{ headers: { 'X-User': StringMatch.exact('qa') } }] }],
      ['mirrorMethods', { stage: CanaryStage.shadow(10), mirrorMethods: MirrorMethods.only([]) }],
      ['cookie.maxAge', { sticky: true, cookie: { maxAge: Duration.millis(500), forwardedBy: FORWARDED } }],
      ['gateways', { sticky: true }],
      ['cookie.forwardedBy[0].caller', { sticky: true, cookie: { forwardedBy: [{ caller: '', reason: 'it proxies the browsers' }] } }],
      ['timeout', { timeout: Duration.millis(0.5) }],
      ['hosts[0]', { hosts: ['Shop'] }],
      ['analysis.thresholds.latencyFactor', { analysis: { thresholds: { latencyFactor: 0.5 } } }],
      ['dashboard.title', { dashboard: { title: ' ' } }],
    ])('error: %s', (field, props) => {
      expect(at(errorOf(() => canary(props)))).toBe(`test/cart: ${field}`);
    });

    test('warning: retries.perTryTimeout, for the testers\' rule and the public one alike', () => {
      expect(warningAt(canary({ ...slowRetries, sticky: true, cookie: { forwardedBy: FORWARDED } }))).toEqual(['test/cart: retries.perTryTimeout']);
    });
  });

  describe('Subsets', () => {
    test('error: subsets["v1"].labels', () => {
      const chart = Testing.chart();
      expect(at(errorOf(() => new Subsets(chart, 'subsets', { host: HOST, subsets: [{ name: 'v1', labels: {} }] })))).toBe('test/subsets: subsets["v1"].labels');
    });

    test('error: versions["v1"] of Subsets.fromWorkloads, at the path of the Subsets it makes', () => {
      const chart = Testing.chart();
      const service = new ApiObject(chart, 'service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout' }, spec: { selector: { app: 'checkout' } } });
      expect(at(errorOf(() => Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v1: chart } })))).toBe('test/subsets: versions["v1"]');
    });
  });

  test('CanaryAnalysis and CanaryDashboard', () => {
    const { chart, v1, v2 } = checkoutVersions();
    expect(at(errorOf(() => new CanaryAnalysis(chart, 'analysis', { stable: v1, canary: v2, thresholds: { latencyFactor: 0.5 } }))))
      .toBe('test/analysis: thresholds.latencyFactor');
    const analysis = new CanaryAnalysis(chart, 'analysis2', { stable: v1, canary: v2 });
    expect(at(errorOf(() => new CanaryDashboard(chart, 'dashboard', { analysis, title: '' })))).toBe('test/dashboard: title');
    expect(at(errorOf(() => new CanaryDashboard(chart, 'dashboard2', { analysis, metadata: { labels: { team: 'a b' } } })))).toBe('test/dashboard2: metadata.labels');
  });
});

test('a value of the wrong type is shown cut short: it can be a whole object', () => {
  const big = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, 'x'.repeat(20)]));
  const found = IstioChecker.check([{ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'a' }, spec: { hosts: big } }])
    .find((f) => f.code === 'SPEC_TYPE_INVALID');
  expect(found?.message).toMatch(/^expected a list, found \{"key0":"x{20}","key1":"…; fix the type of the field$/);
});

describe('explain fits in 120 columns', () => {
  const WIDTH = 120;
  const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));
  // The columns of a table are where its header puts its separators; no line of the table moves them.
  const misaligned = (text: string) => {
    const bars = (line: string) => [...line.matchAll(/ \| /g)].map((m) => m.index);
    return text.split('\n\n').flatMap((host) => {
      const lines = host.split('\n');
      const header = lines.findIndex((l) => l.startsWith('  # |'));
      if (header < 0) return [];
      const columns = bars(lines[header]);
      return lines.slice(header + 2).filter((l) => /^ {2}(\d+ |  )\|/.test(l))
        .filter((l) => bars(l).some((at, i) => at !== columns[i]));
    });
  };

  test('the example app\'s routing, its table rows wrapped within their columns', () => {
    const text = RoutingModel.fromChart(new CheckoutChart(new App(), 'checkout')).toText();
    expect(widest(text)).toBeLessThanOrEqual(WIDTH);
    expect(misaligned(text)).toEqual([]);
    // A wrapped cell goes on below, indented, in its own column.
    expect(text).toContain('  1 | internal-canary-route   | header x-canary-user =  |');
    expect(text).toMatch(/\n {4}\| {25}\| {3}"true" +\|/);
  });

  test('a host with long names: cells, facts and notes wrap, and long words are cut after "-" or "."', () => {
    const host = 'recommendations-personalization-service.storefront-experiments-eu-west.svc.cluster.local';
    const other = 'recommendations-personalization-fallback.storefront-experiments-eu-west.svc.cluster.local';
    const namespace = 'storefront-experiments-eu-west';
    const manifests = [
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'DestinationRule',
        metadata: { name: 'recommendations-personalization-service-destination-rule', namespace },
        spec: { host, subsets: ['stable-2024-11', 'canary-2024-12'].map((name) => ({ name, labels: { version: name, track: name.split('-')[0] } })) },
      },
      {
        apiVersion: 'networking.istio.io/v1',
        kind: 'VirtualService',
        metadata: { name: 'recommendations-personalization-service-virtual-service', namespace },
        spec: {
          hosts: [host],
          gateways: ['mesh', 'istio-system/storefront-public-gateway'],
          http: [
            {
              name: 'internal-testers-of-the-new-ranking-model',
              match: [{ headers: { 'x-storefront-experiment-cohort': { regex: '^(ranking-v2|ranking-v2-shadow)$' } } }, { sourceLabels: { app: 'storefront-qa-automation' } }],
              route: [{ destination: { host, subset: 'canary-2024-12' } }],
              timeout: '2500ms',
              retries: { attempts: 3, perTryTimeout: '750ms', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes,503' },
            },
            {
              name: 'public-weighted-rollout-of-the-new-ranking-model',
              route: [
                { destination: { host, subset: 'stable-2024-11' }, weight: 90 },
                { destination: { host, subset: 'canary-2024-12' }, weight: 5 },
                { destination: { host: other, subset: 'v1' }, weight: 5 },
              ],
              mirror: { host: other, subset: 'shadow' },
              mirrorPercentage: { value: 12.5 },
              timeout: '10s',
            },
          ],
        },
      },
    ];
    const text = RoutingModel.fromManifests(manifests).toText();
    expect(widest(text)).toBeLessThanOrEqual(WIDTH);
    expect(misaligned(text)).toEqual([]);
    expect(text).toContain(`\n  otherwise: stable-2024-11 90%, canary-2024-12 5%, v1 of\n             ${other} 5%\n`);
    expect(text).toMatch(/\| +recommendations-\s*\|/);
  });
});
