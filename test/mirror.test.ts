import { Duration } from 'cdk8s';
import { CompositeRoute, Destination, HttpMethod, Mirror, MirrorMethods, StringMatch, Subsets, Warnings } from '../src';
import { checkoutVersions, HOST, httpRules } from './fixtures';
import { synth } from './util';
import { synthYaml } from './yaml-snapshot';
import { VirtualService } from '../src/imports/istio-networking.istio.io';


const setup = checkoutVersions;

const http = httpRules;
const dest = (subset: string) => ({ host: HOST, subset });

describe('Mirror', () => {
  test('by default only idempotent methods are mirrored', () => {
    const { chart, v1, v2 } = setup();
    new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2, percentage: 10 }], ruleName: 'shadow' });
    expect(http(chart)).toEqual([
      {
        name: 'shadow-mirrored',
        match: [{ method: { regex: 'GET|HEAD|OPTIONS' } }],
        route: [{ destination: dest('v1'), weight: 100 }],
        mirror: dest('v2'),
        mirrorPercentage: { value: 10 },
      },
      { name: 'shadow', route: [{ destination: dest('v1'), weight: 100 }] },
    ]);
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('the VirtualService is the default child', () => {
    const { chart, v1, v2 } = setup();
    const mirror = new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2 }] });
    expect(mirror.node.defaultChild).toBeInstanceOf(VirtualService);
    expect(mirror.node.defaultChild).toBe(mirror.route.resource);
  });

  test('several targets are written as mirrors; a fractional percentage; policies', () => {
    const { chart, v1, v2, v3 } = setup();
    new Mirror(chart, 'mirror', {
      primary: v1,
      targets: [{ subset: v2, percentage: 2.5 }, { subset: v3 }],
      methods: MirrorMethods.only([HttpMethod.GET]),
      timeout: Duration.seconds(5),
    });
    const [mirrored, plain] = http(chart);
    expect(mirrored.match).toEqual([{ method: { exact: 'GET' } }]);
    expect(mirrored.mirrors).toEqual([
      { destination: dest('v2'), percentage: { value: 2.5 } },
      { destination: dest('v3') },
    ]);
    expect(mirrored.mirror).toBeUndefined();
    expect(mirrored.timeout).toBe('5s');
    expect(plain.timeout).toBe('5s');
    expect(plain.mirrors).toBeUndefined();
  });

  test('mirroring on a matched rule restricts its conditions to the mirrored methods', () => {
    const { chart, subsets, v1, v2, v3 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addRule('api', {
      match: [{ uri: StringMatch.prefix('/api') }, { methods: [HttpMethod.GET, HttpMethod.POST], uri: StringMatch.prefix('/cart') }],
      to: Destination.subset(v1),
      mirror: { targets: [{ subset: v3 }] },
    });
    routes.addRule('reads', { match: [{ methods: [HttpMethod.GET], uri: StringMatch.prefix('/catalog') }], to: Destination.subset(v1), mirror: { targets: [{ subset: v3 }] } });
    routes.addDefaultRule('rest', { to: Destination.subset(v1), mirror: { targets: [{ subset: v2 }], methods: MirrorMethods.all() } });
    const rules = http(chart);
    expect(rules.map((r: any) => r.name)).toEqual(['api-mirrored', 'api', 'reads', 'rest']);
    expect(rules[0].match).toEqual([
      { uri: { prefix: '/api' }, method: { regex: 'GET|HEAD|OPTIONS' } },
      { uri: { prefix: '/cart' }, method: { exact: 'GET' } },
    ]);
    expect(rules[1].mirror).toBeUndefined();
    // Every condition of "reads" is already limited to GET: no split needed.
    expect(rules[2].mirror).toEqual(dest('v3'));
    expect(rules[3]).toEqual({ name: 'rest', route: [{ destination: dest('v1') }], mirror: dest('v2') });
  });

  test('joins an existing route as its default', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addRule('canary', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(v2) });
    const mirror = new Mirror(chart, 'mirror', { route: routes, primary: v1, targets: [{ subset: v2, percentage: 5 }], methods: MirrorMethods.all() });
    expect(mirror.route).toBe(routes);
    expect(mirror.node.defaultChild).toBeUndefined();
    expect(synth(chart).filter((m) => m.kind === 'VirtualService')).toHaveLength(1);
    expect(routes.ruleNames).toEqual(['canary', '#2']);
  });
});

describe('Mirror errors', () => {
  test('mirroring onto the subset that serves the request is a warning, as in Istio', () => {
    const { chart, v1 } = setup();
    new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v1 }] });
    expect(Warnings.of(chart)).toEqual(['[test/mirror] MIRROR_TO_SERVING_SUBSET targets[0]: the route already sends to subset "v1" of "checkout-service.prod.svc.cluster.local", so the mirror makes it serve requests twice; mirror to one the route does not send to']);
  });

  test.each([-1, 100.5, Number.NaN])('percentage %d', (percentage) => {
    const { chart, v1, v2 } = setup();
    expect(() => new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2, percentage }] })).toThrow(/test\/mirror: targets\[0\]\.percentage: .* is not a percentage; use a number from 0 to 100/);
  });

  test('no targets', () => {
    const { chart, v1 } = setup();
    expect(() => new Mirror(chart, 'mirror', { primary: v1, targets: [] })).toThrow(/test\/mirror: targets: there are no mirror targets/);
  });

  test('a target twice', () => {
    const { chart, v1, v2 } = setup();
    expect(() => new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2 }, { subset: v2 }] })).toThrow(/subset "v2" is a mirror target twice/);
  });

  test('a rule that only matches methods that are not mirrored', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    expect(() => routes.addRule('writes', { match: [{ methods: [HttpMethod.POST] }], to: Destination.subset(v1), mirror: { targets: [{ subset: v2 }] } }))
      .toThrow(/rules\["writes"\]\.mirror\.methods: rule "writes" matches no mirrored method \(GET, HEAD, OPTIONS\), so nothing would be copied/);
  });

  test('gateways or metadata with an existing route', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    expect(() => new Mirror(chart, 'mirror', { route: routes, gateways: ['gw'], primary: v1, targets: [{ subset: v2 }] }))
      .toThrow(/test\/mirror: gateways: the preset adds its rules to test\/routes.*set them on that CompositeRoute/);
  });

  test('a route of another host', () => {
    const { chart, v1, v2 } = setup();
    const other = new Subsets(chart, 'payments', { host: 'payments.prod.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const routes = new CompositeRoute(chart, 'routes', { subsets: other });
    expect(() => new Mirror(chart, 'mirror', { route: routes, primary: v1, targets: [{ subset: v2 }] }))
      .toThrow(/test\/mirror: route: test\/routes routes to the subsets test\/payments, but this preset uses test\/subsets/);
  });

  test('a second default on the same route', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('stable', { to: Destination.subset(v1) });
    expect(() => new Mirror(chart, 'mirror', { route: routes, primary: v1, targets: [{ subset: v2 }] }))
      .toThrow(/^test\/mirror: route: the route already has a default \(rule "stable"\), so the mirror test\/mirror cannot be one; make one of them a matched rule/);
  });
});
