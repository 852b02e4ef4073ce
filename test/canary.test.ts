import { Duration, Testing, Yaml } from 'cdk8s';
import { CART_HOST, FORWARDED, httpRules, VERSION_COOKIE } from './fixtures';
import { promqlOf, promqlReport } from './promql-grammar';
import { checkRules, promtoolTest } from './promtool';
import { routingOf, routingText } from './routing-snapshot';
import { synth } from './util';
import { Canary, CanaryProps } from '../src/canary';
import { CanaryStage } from '../src/canary-stage';
import { CompositeRoute } from '../src/composite-route';
import { Destination } from '../src/destination';
import { VirtualService } from '../src/imports/istio-networking.istio.io';
import { MirrorMethods } from '../src/mirror-policy';
import { RoutingModel } from '../src/routing/routing-model';
import { RoutingOutcome } from '../src/routing/routing-outcome';
import { StringMatch } from '../src/string-match';
import { Subsets } from '../src/subsets';

const TESTERS = [{ headers: { 'x-canary-user': StringMatch.exact('true') } }, { sourceLabels: { app: 'qa-tools' } }];
const dest = (subset: string) => ({ host: CART_HOST, subset });
/** `test` where promtool runs, `test.skip` where it is missing (and not required); see promtool.ts. */
const withPromtool = promtoolTest();

/** cart-service with stable v1 and canary v2, rolled out by one Canary at `stage`. */
function rollout(stage: CanaryStage, props: Partial<CanaryProps> = {}) {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', {
    host: CART_HOST,
    metadata: { name: 'cart-service-dr' },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
  });
  const canary = new Canary(chart, 'cart', {
    stable: subsets.subset('v1'), canary: subsets.subset('v2'), testers: TESTERS, metadata: { name: 'cart-service-vs' }, stage, ...props,
  });
  return { chart, subsets, canary, manifests: synth(chart) };
}

const kind = (manifests: any[], k: string) => manifests.filter((m) => m.kind === k);

const { v1: V1, v2: V2 } = VERSION_COOKIE;

/** A user's requests to a host: what each was answered with, and the cookies the browser holds after them. */
interface Browsing {
  readonly outcomes: RoutingOutcome[];
  /** The subset that answered each request. */
  readonly served: string[];
  readonly cookies: { [name: string]: string };
}

/**
 * Every way `count` requests of users holding `cookies` can go under `routing`: each destination a request
 * may reach is a path of its own, and its answer sets or expires cookies as the browser would.
 */
function browse(routing: RoutingModel, cookies: { [name: string]: string }[], count: number): Browsing[] {
  let paths: Browsing[] = cookies.map((c) => ({ outcomes: [], served: [], cookies: c }));
  for (let i = 0; i < count; i++) {
    paths = paths.flatMap((path) => {
      const outcome = routing.simulate({ cookies: path.cookies });
      return outcome.destinations.map((d) => {
        const jar = { ...path.cookies };
        if (d.expiresCookie !== undefined) delete jar[d.expiresCookie];
        if (d.setsCookie !== undefined) jar[d.setsCookie.slice(0, d.setsCookie.indexOf('='))] = d.setsCookie.slice(d.setsCookie.indexOf('=') + 1);
        return { outcomes: [...path.outcomes, outcome], served: [...path.served, d.subset!], cookies: jar };
      });
    });
  }
  return paths;
}

/** What a stage writes for review: the Istio objects and the PrometheusRule (the dashboard does not change). */
function stageYaml(manifests: any[]): string {
  return Yaml.stringify(...manifests.filter((m) => m.kind !== 'ConfigMap'));
}

const STAGES: [string, () => CanaryStage][] = [
  ['internalOnly()', () => CanaryStage.internalOnly()],
  ['shadow(10)', () => CanaryStage.shadow(10)],
  ['percent(5)', () => CanaryStage.percent(5)],
  ['promoted()', () => CanaryStage.promoted()],
];

describe('Canary', () => {
  describe.each(STAGES)('at %s', (name, stage) => {
    test('YAML and routing table snapshots', () => {
      const { chart, manifests, canary } = rollout(stage());
      expect(canary.stage.name).toBe(name);
      expect(stageYaml(manifests)).toMatchSnapshot('yaml');
      expect(routingText(chart)).toMatchSnapshot('routing');
    });

    test('one DestinationRule, one VirtualService, the PrometheusRule and the dashboard', () => {
      const { manifests } = rollout(stage());
      expect(manifests.map((m) => m.kind)).toEqual(['DestinationRule', 'VirtualService', 'PrometheusRule', 'ConfigMap']);
    });

    test('every recording rule, alert and dashboard query parses with Prometheus\' grammar', () => {
      const { manifests } = rollout(stage());
      const sources = promqlOf(manifests);
      expect(sources.filter((source) => source.where.startsWith('ConfigMap '))).toHaveLength(9);
      expect(sources.length).toBeGreaterThanOrEqual(9 + 5);
      expect(promqlReport(manifests)).toEqual([]);
    });

    withPromtool('promtool check rules accepts the PrometheusRule', () => {
      const { manifests } = rollout(stage());
      expect(checkRules(kind(manifests, 'PrometheusRule')[0].spec)).toMatch(/SUCCESS/);
    });
  });

  test('internalOnly(): testers to the canary, everyone else to stable', () => {
    const { chart } = rollout(CanaryStage.internalOnly());
    expect(httpRules(chart)).toEqual([
      { name: 'testers', match: [{ headers: { 'x-canary-user': { exact: 'true' } } }, { sourceLabels: { app: 'qa-tools' } }], route: [{ destination: dest('v2') }] },
      { name: 'public', route: [{ destination: dest('v1') }] },
    ]);
    const routing = routingOf(chart);
    expect(routing.simulate({ sourceLabels: { app: 'qa-tools' } }).destinations).toEqual([{ ...dest('v2'), probability: 1 }]);
    expect(routing.simulate({}).destinations).toEqual([{ ...dest('v1'), probability: 1 }]);
  });

  test('shadow(10): everyone else to stable, 10% of their reads copied to the canary', () => {
    const { chart } = rollout(CanaryStage.shadow(10));
    const [testers, mirrored, plain] = httpRules(chart);
    expect(testers.name).toBe('testers');
    expect(mirrored).toEqual({
      name: 'public-mirrored',
      match: [{ method: { regex: 'GET|HEAD|OPTIONS' } }],
      route: [{ destination: dest('v1'), weight: 100 }],
      mirror: dest('v2'),
      mirrorPercentage: { value: 10 },
    });
    expect(plain).toEqual({ name: 'public', route: [{ destination: dest('v1'), weight: 100 }] });
    const routing = routingOf(chart);
    expect(routing.simulate({ method: 'GET' }).mirrors).toEqual([{ ...dest('v2'), probability: 0.1 }]);
    expect(routing.simulate({ method: 'POST' }).mirrors).toEqual([]);
  });

  test('shadow with mirrorMethods: all() copies every method in one rule', () => {
    const { chart } = rollout(CanaryStage.shadow(2.5), { mirrorMethods: MirrorMethods.all() });
    expect(httpRules(chart).map((r) => [r.name, r.mirrorPercentage])).toEqual([['testers', undefined], ['public', { value: 2.5 }]]);
  });

  test('percent(5): a 95/5 split after the testers', () => {
    const { chart } = rollout(CanaryStage.percent(5));
    expect(httpRules(chart)[1]).toEqual({ name: 'public', route: [{ destination: dest('v1'), weight: 95 }, { destination: dest('v2'), weight: 5 }] });
    expect(routingOf(chart).simulate({}).destinations).toEqual([{ ...dest('v1'), probability: 0.95 }, { ...dest('v2'), probability: 0.05 }]);
  });

  test('percent with sticky: version cookie pins before the split, and only the split sets it', () => {
    const { chart } = rollout(CanaryStage.percent(25), { sticky: true, cookie: { name: 'cart-version', maxAge: Duration.hours(2), forwardedBy: FORWARDED } });
    const rules = httpRules(chart);
    expect(rules.map((r) => r.name)).toEqual(['testers', 'public-v1', 'public-v2', 'public']);
    expect(rules[1]).toEqual({ name: 'public-v1', match: [{ headers: { cookie: { regex: `^(.*;\\s*)?cart-version=${V1.replace('.', '\\.')}(;.*)?$` } } }], route: [{ destination: dest('v1') }] });
    expect(rules[2].route).toEqual([{ destination: dest('v2') }]);
    expect(rules[3].route.map((r: any) => [r.destination.subset, r.weight, r.headers.response.add['set-cookie']])).toEqual([
      ['v1', 75, `cart-version=${V1}; Max-Age=7200; Path=/; HttpOnly; Secure; SameSite=Lax`],
      ['v2', 25, `cart-version=${V2}; Max-Age=7200; Path=/; HttpOnly; Secure; SameSite=Lax`],
    ]);
    const routing = routingOf(chart);
    expect(routing.simulate({ cookies: { 'cart-version': V2 } }).destinations).toEqual([{ ...dest('v2'), probability: 1 }]);
    expect(routing.hosts[0].rules.map((r) => r.sticky)).toEqual([undefined, `pins cart-version=${V1}`, `pins cart-version=${V2}`, 'sets cart-version for 2h, not renewed']);
  });

  describe.each(STAGES.filter(([name]) => name !== 'percent(5)'))('sticky at %s, which does not split', (name, stage) => {
    const { chart } = rollout(stage(), { sticky: true, cookie: { forwardedBy: FORWARDED } });
    const rules = httpRules(chart);
    const expire = 'cart-service-version=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax';

    test('routing table snapshot', () => {
      expect(routingText(chart)).toMatchSnapshot();
    });

    test('sets no cookie, and expires each version\'s cookie where the stage sends everyone', () => {
      const publicRules = rules.filter((r) => r.name !== 'testers');
      const ending = publicRules.filter((r) => r.match?.some((m: any) => m.headers?.cookie !== undefined));
      expect(ending.map((r) => r.name)).toEqual(name === 'shadow(10)'
        ? ['public-v1-mirrored', 'public-v1', 'public-v2-mirrored', 'public-v2']
        : ['public-v1', 'public-v2']);
      const everyone = publicRules[publicRules.length - 1];
      expect(everyone.name).toBe('public');
      expect(JSON.stringify(everyone)).not.toContain('set-cookie');
      for (const rule of ending) {
        expect(rule.route).toEqual(everyone.route.map((r: any) => ({ ...r, headers: { response: { add: { 'set-cookie': expire } } } })));
      }
      // Both versions' users: the answer comes from where the stage sends everyone, and ends the pin.
      const routing = routingOf(chart);
      for (const value of [V1, V2]) {
        const outcome = routing.simulate({ cookies: { 'cart-service-version': value } });
        expect(outcome.destinations).toEqual([{ ...dest(name === 'promoted()' ? 'v2' : 'v1'), probability: 1, expiresCookie: 'cart-service-version' }]);
        expect(outcome.mirrors).toEqual(routing.simulate({}).mirrors);
      }
    });
  });

  test('a rollback ends the pins: after percent(25), internalOnly() and percent(5), no user is still pinned by the first stage', () => {
    const props = { sticky: true, cookie: { forwardedBy: FORWARDED } };
    const [first, rollback, next] = [CanaryStage.percent(25), CanaryStage.internalOnly(), CanaryStage.percent(5)]
      .map((stage) => routingOf(rollout(stage, props).chart));
    const name = 'cart-service-version';
    // The users the first stage assigns, one per version; their next request there is pinned.
    const users = browse(first, [{}], 1);
    expect(users.map((u) => [u.served[0], Object.keys(u.cookies)])).toEqual([['v1', [name]], ['v2', [name]]]);
    for (const user of users) {
      expect(first.simulate({ cookies: user.cookies }).rule).toBe(`public-${user.served[0]}`);
    }
    // While the public is not split, the first request of each is answered by v1 and expires the cookie.
    const afterRollback = browse(rollback, users.map((u) => u.cookies), 2);
    for (const path of afterRollback) {
      expect(path.outcomes.map((o) => [o.rule, o.destinations.map((d) => d.subset)])).toEqual([[expect.stringMatching(/^public-v[12]$/), ['v1']], ['public', ['v1']]]);
      expect(path.cookies).toEqual({});
    }
    // The next split assigns them afresh, at its own weight: nobody's first request there is a pin.
    const again = browse(next, afterRollback.map((p) => p.cookies), 2);
    for (const path of again) {
      expect(path.outcomes[0].rule).toBe('public');
      expect(path.outcomes[0].destinations.map((d) => [d.subset, d.probability])).toEqual([['v1', 0.95], ['v2', 0.05]]);
      expect(path.outcomes[1].rule).toBe(`public-${path.served[0]}`);
    }
  });

  test('promoted(): everyone to the canary, and no testers rule', () => {
    const { chart } = rollout(CanaryStage.promoted());
    expect(httpRules(chart)).toEqual([{ name: 'public', route: [{ destination: dest('v2') }] }]);
  });

  test('moving the stage changes the routing and the no-traffic alert, nothing else', () => {
    const before = rollout(CanaryStage.internalOnly()).manifests;
    const after = rollout(CanaryStage.percent(5)).manifests;
    for (const k of ['DestinationRule', 'ConfigMap']) expect(kind(after, k)).toEqual(kind(before, k));
    const [vsBefore, vsAfter] = [kind(before, 'VirtualService')[0], kind(after, 'VirtualService')[0]];
    expect(vsAfter.metadata).toEqual(vsBefore.metadata);
    expect(vsAfter.spec.http).not.toEqual(vsBefore.spec.http);
    const rules = (manifests: any[]) => kind(manifests, 'PrometheusRule')[0].spec.groups[0].rules;
    expect(rules(after).filter((r: any) => r.alert !== 'CanaryNoTraffic')).toEqual(rules(before));
    expect(rules(after).map((r: any) => r.alert).filter(Boolean)).toEqual(['CanaryHigh5xxRatio', 'CanaryHighLatency', 'CanaryNoTraffic']);
    expect(rules(after).find((r: any) => r.alert === 'CanaryNoTraffic').expr).toContain('* 0.05 * 300 >= 10');
  });

  test('the no-traffic alert follows the canary\'s weight', () => {
    const alerts = (stage: CanaryStage) => rollout(stage).canary.analysis!.alertNames;
    expect(alerts(CanaryStage.internalOnly())).not.toContain('CanaryNoTraffic');
    expect(alerts(CanaryStage.shadow(10))).not.toContain('CanaryNoTraffic');
    expect(alerts(CanaryStage.percent(50))).toContain('CanaryNoTraffic');
    expect(alerts(CanaryStage.promoted())).toContain('CanaryNoTraffic');
  });

  test('rule policies apply to every rule', () => {
    const { chart } = rollout(CanaryStage.percent(5), { timeout: Duration.seconds(3), retries: { attempts: 1, perTryTimeout: Duration.seconds(1) } });
    for (const rule of httpRules(chart)) {
      expect([rule.timeout, rule.retries]).toEqual(['3s', { attempts: 1, perTryTimeout: '1s' }]);
    }
  });

  test('analysis and dashboard options reach their objects; monitoring can be turned off', () => {
    const { manifests, canary } = rollout(CanaryStage.percent(5), {
      analysis: { thresholds: { latencyFactor: 2 }, metadata: { name: 'cart-canary-rules' } },
      dashboard: { metadata: { name: 'cart-canary-dashboard', namespace: 'monitoring' } },
    });
    expect(kind(manifests, 'PrometheusRule')[0].metadata.name).toBe('cart-canary-rules');
    expect(kind(manifests, 'PrometheusRule')[0].spec.groups[0].rules.find((r: any) => r.alert === 'CanaryHighLatency').expr).toContain('\n2 * ');
    expect(kind(manifests, 'ConfigMap')[0].metadata).toMatchObject({ name: 'cart-canary-dashboard', namespace: 'monitoring' });
    expect(canary.dashboard!.resource.kind).toBe('ConfigMap');
    expect(promqlReport(manifests)).toEqual([]);

    const off = rollout(CanaryStage.percent(5), { monitoring: false });
    expect(off.manifests.map((m) => m.kind)).toEqual(['DestinationRule', 'VirtualService']);
    expect([off.canary.analysis, off.canary.dashboard]).toEqual([undefined, undefined]);
  });

  test('the VirtualService is the default child', () => {
    const { canary } = rollout(CanaryStage.percent(5));
    expect(canary.node.defaultChild).toBeInstanceOf(VirtualService);
    expect(canary.node.defaultChild).toBe(canary.route.resource);
  });

  test('adds its rules to an existing route, after the rules it has', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 'subsets', { host: CART_HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
    const route = new CompositeRoute(chart, 'route', { subsets });
    route.addRule('legacy-api', { match: [{ uri: StringMatch.prefix('/v0/') }], to: Destination.subset(subsets.subset('v1')) });
    const canary = new Canary(chart, 'cart', { route, stable: subsets.subset('v1'), canary: subsets.subset('v2'), testers: TESTERS, stage: CanaryStage.percent(5) });
    expect(canary.route).toBe(route);
    expect(httpRules(chart).map((r) => r.name)).toEqual(['legacy-api', 'testers', 'public']);
  });

  describe('errors', () => {
    test.each([
      ['percent(0)', () => CanaryStage.percent(0), /test\/cart: stage: percent\(0\) is not a split; use CanaryStage\.internalOnly\(\), which says what it means/],
      ['percent(100)', () => CanaryStage.percent(100), /test\/cart: stage: percent\(100\) is not a split; use CanaryStage\.promoted\(\)/],
      ['percent(150)', () => CanaryStage.percent(150), /test\/cart: stage: 150 is out of range; use a whole number from 1 to 99/],
      ['percent(2.5)', () => CanaryStage.percent(2.5), /test\/cart: stage: 2\.5 is out of range; use a whole number from 1 to 99/],
      ['shadow(0)', () => CanaryStage.shadow(0), /test\/cart: stage: shadow\(0\) copies nothing; use CanaryStage\.internalOnly\(\), or a percentage above 0/],
      ['shadow(101)', () => CanaryStage.shadow(101), /test\/cart: stage: 101 is not a percentage; use a number from 0 to 100/],
    ])('stage %s', (_name, stage, message) => {
      expect(() => rollout(stage())).toThrow(message);
    });

    test('internalOnly() without testers', () => {
      expect(() => rollout(CanaryStage.internalOnly(), { testers: [] }))
        .toThrow(/test\/cart: testers: CanaryStage\.internalOnly\(\) sends only the testers to the canary, but there are none; name them/);
      expect(httpRules(rollout(CanaryStage.percent(5), { testers: undefined }).chart).map((r) => r.name)).toEqual(['public']);
    });

    test('sticky on a route that only sidecars use, without callers that forward the cookie', () => {
      expect(() => rollout(CanaryStage.internalOnly(), { sticky: true }))
        .toThrow(/^test\/cart: gateways: the route applies to sidecars only, so the version cookie is set on the responses to the calling workload, .*; bind the route to the gateway the users come through \(gateways\), or name the callers that forward both headers, each with a reason, in cookie\.forwardedBy$/);
      // Bound to a gateway as well, the cookie reaches the browsers.
      expect(httpRules(rollout(CanaryStage.percent(5), { sticky: true, gateways: ['istio-system/public', 'mesh'], testers: [TESTERS[1]] }).chart)
        .map((r) => r.name)).toEqual(['testers', 'public-v1', 'public-v2', 'public']);
    });

    test('a cookie without sticky', () => {
      expect(() => rollout(CanaryStage.percent(5), { cookie: { name: 'v' } }))
        .toThrow(/test\/cart: cookie: the version cookie is only used by a sticky split; set sticky: true or remove cookie/);
    });

    test('subsets of two hosts, or one subset twice', () => {
      const chart = Testing.chart();
      const a = new Subsets(chart, 'a', { host: CART_HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
      const b = new Subsets(chart, 'b', { host: 'other.prod.svc.cluster.local', subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
      expect(() => new Canary(chart, 'x', { stable: a.subset('v1'), canary: b.subset('v2'), stage: CanaryStage.percent(5) }))
        .toThrow(/test\/x: canary: subset "v2" is of "other\.prod\.svc\.cluster\.local" \(test\/b\), not of the stable "cart-service\.prod\.svc\.cluster\.local"; roll out a subset of that host/);
      expect(() => new Canary(chart, 'y', { stable: a.subset('v1'), canary: a.subset('v1'), stage: CanaryStage.percent(5) }))
        .toThrow(/test\/y: canary: subset "v1" is both the stable version and the canary/);
    });

    test('header testers on a gateway route need a trusted header (the route\'s own check)', () => {
      expect(() => rollout(CanaryStage.percent(5), { gateways: ['istio-system/public'], testers: [TESTERS[0]] }))
        .toThrow(/test\/cart: testers\[0\]\.headers\["x-canary-user"\]: any client can set this header on requests through gateway "istio-system\/public" .*\(MATCH_FORGEABLE_ON_GATEWAY\)$/);
    });
  });
});
