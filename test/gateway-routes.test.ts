
import { CompositeRoute, Destination, IstioChecker, Mirror, StickySplit, StringMatch } from '../src';
import { checkoutVersions, HOST } from './fixtures';
import { synth } from './util';

const EDGE = 'istio-system/public-gateway';
const canaryHeader = { headers: { 'x-canary-user': StringMatch.exact('true') } };

const setup = checkoutVersions;

describe('gateway-bound routes', () => {
  test('external hosts on a gateway, and mesh too', () => {
    const { chart, subsets, v1 } = setup();
    const routes = new CompositeRoute(chart, 'edge', { subsets, hosts: ['shop.example.com', HOST], gateways: [EDGE, 'mesh'] });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    expect(routes.appliesToGateways).toBe(true);
    expect(routes.appliesToMesh).toBe(true);
    const vs = synth(chart).find((m) => m.kind === 'VirtualService');
    expect(vs.spec.hosts).toEqual(['shop.example.com', HOST]);
    expect(vs.spec.gateways).toEqual([EDGE, 'mesh']);
  });

  test('a header-matched canary rule on a gateway is an error', () => {
    const { chart, subsets, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', { subsets, hosts: ['shop.example.com'], gateways: [EDGE] });
    expect(() => routes.addRule('internal-canary-route', { match: [canaryHeader], to: Destination.subset(v2) })).toThrow(
      'test/edge: rules["internal-canary-route"].match[0].headers["x-canary-user"]: any client can set this header on requests through gateway "istio-system/public-gateway" to reach subset "v2"; '
      + 'have the edge strip or overwrite it and list it in trustedHeaders, or match a JWT claim instead ("@request.auth.claims.<claim>" in headers, which a RequestAuthentication validates) (MATCH_FORGEABLE_ON_GATEWAY)');
  });

  test('also when the route is bound to the mesh as well', () => {
    const { chart, subsets, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', { subsets, gateways: [EDGE, 'mesh'] });
    expect(() => routes.addRule('canary', { match: [canaryHeader], to: Destination.subset(v2) })).toThrow(/headers\["x-canary-user"\]: any client can set this header on requests through gateway/);
  });

  // A gateway route matching a header the edge is trusted to overwrite, with the reason on record.
  const trustedEdgeRoute = () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', {
      subsets,
      hosts: ['shop.example.com'],
      gateways: [EDGE],
      trustedHeaders: [{ name: 'x-canary-user', reason: 'the edge load balancer overwrites it from the SSO session' }],
    });
    routes.addRule('canary', { match: [canaryHeader], to: Destination.subset(v2) });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    return chart;
  };

  test('a trusted header, with its reason, may be matched', () => {
    const chart = trustedEdgeRoute();
    expect(synth(chart).find((m) => m.kind === 'VirtualService').spec.http[0].match).toEqual([{ headers: { 'x-canary-user': { exact: 'true' } } }]);
  });

  test('the checker at synth leaves a trusted header to the route: no finding of MATCH_FORGEABLE_ON_GATEWAY', () => {
    const chart = trustedEdgeRoute();
    // The same YAML, hand-written, gets the checker's warning: it cannot know the edge's behaviour.
    expect(IstioChecker.check(synth(chart)).map((f) => f.code)).toContain('MATCH_FORGEABLE_ON_GATEWAY');
    expect(IstioChecker.findings(chart).filter((f) => f.code === 'MATCH_FORGEABLE_ON_GATEWAY')).toEqual([]);
  });

  test('a query parameter canary rule on a gateway is an error too, with the checker\'s code', () => {
    const { chart, subsets, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', { subsets, hosts: ['shop.example.com'], gateways: [EDGE, 'mesh'] });
    expect(() => routes.addRule('canary', { match: [{ queryParams: { canary: StringMatch.exact('1') } }], to: Destination.subset(v2) })).toThrow(
      'test/edge: rules["canary"].match[0].queryParams["canary"]: any client can set this query parameter on requests through gateway "istio-system/public-gateway" to reach subset "v2"; '
      + 'have the edge strip or overwrite it and list it in trustedQueryParams, or match a JWT claim instead ("@request.auth.claims.<claim>" in headers, which a RequestAuthentication validates) (MATCH_FORGEABLE_ON_GATEWAY)');
  });

  test('a trusted query parameter, with its reason, may be matched; a trusted header does not cover a query parameter of that name', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', {
      subsets,
      gateways: [EDGE],
      hosts: ['shop.example.com'],
      trustedHeaders: [{ name: 'beta', reason: 'the edge overwrites it' }],
      trustedQueryParams: [{ name: 'canary', reason: 'the edge proxy removes it from external requests' }],
    });
    routes.addRule('canary', { match: [{ queryParams: { canary: StringMatch.exact('1') } }], to: Destination.subset(v2) });
    expect(() => routes.addRule('beta', { match: [{ queryParams: { beta: StringMatch.exact('1') } }], to: Destination.subset(v2) }))
      .toThrow(/queryParams\["beta"\]: any client can set this query parameter .*\(MATCH_FORGEABLE_ON_GATEWAY\)$/);
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    expect(synth(chart).find((m) => m.kind === 'VirtualService').spec.http[0].match).toEqual([{ queryParams: { canary: { exact: '1' } } }]);
    expect(IstioChecker.findings(chart).filter((f) => f.code === 'MATCH_FORGEABLE_ON_GATEWAY')).toEqual([]);
  });

  test('a trusted query parameter needs a name and a reason', () => {
    const { chart, subsets } = setup();
    expect(() => new CompositeRoute(chart, 'a', { subsets, gateways: [EDGE], trustedQueryParams: [{ name: '', reason: 'edge' }] }))
      .toThrow('test/a: trustedQueryParams[0].name: the name is empty; name the query parameter');
    expect(() => new CompositeRoute(chart, 'b', { subsets, gateways: [EDGE], trustedQueryParams: [{ name: 'canary', reason: '' }] }))
      .toThrow('test/b: trustedQueryParams[0].reason: say why "canary" cannot be forged by clients (e.g. "the edge overwrites it"); an empty reason is not a review trail');
  });

  test('a JWT claim is accepted on a gateway route without trust: a RequestAuthentication validates it', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', { subsets, hosts: ['shop.example.com'], gateways: [EDGE] });
    routes.addRule('staff', { match: [{ headers: { '@request.auth.claims.groups': StringMatch.exact('staff') } }], to: Destination.subset(v2) });
    routes.addRule('not-beta', { match: [{ withoutHeaders: { '@request.auth.claims[beta]': StringMatch.exact('false') }, uri: StringMatch.prefix('/new') }], to: Destination.subset(v2) });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    const http = synth(chart).find((m) => m.kind === 'VirtualService').spec.http;
    expect(http[0].match).toEqual([{ headers: { '@request.auth.claims.groups': { exact: 'staff' } } }]);
    expect(http[1].match[0].withoutHeaders).toEqual({ '@request.auth.claims[beta]': { exact: 'false' } });
    expect(IstioChecker.findings(chart).filter((f) => f.severity !== 'info')).toEqual([]);
  });

  test('a JWT claim on a route that applies to the mesh too is Istio\'s error', () => {
    const { chart, subsets, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', { subsets, hosts: ['shop.example.com'], gateways: [EDGE, 'mesh'] });
    expect(() => routes.addRule('staff', { match: [{ headers: { '@request.auth.claims.groups': StringMatch.exact('staff') } }], to: Destination.subset(v2) })).toThrow(
      'test/edge: rules["staff"].match[0].headers["@request.auth.claims.groups"]: routing on a JWT claim works on gateways only, not on the mesh this VirtualService applies to; '
      + 'drop "mesh" from its gateways, or match on a header (VS_JWT_CLAIM_NOT_ON_GATEWAY)');
  });

  test('header routing on mesh-only routes needs no trust', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'internal', { subsets });
    routes.addRule('canary', { match: [canaryHeader], to: Destination.subset(v2) });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    expect(routes.appliesToGateways).toBe(false);
    expect(synth(chart)).toHaveLength(2);
  });

  test('sticky pins on a gateway are allowed: forging the cookie only picks a version the public already gets', () => {
    const { chart, v1, v2 } = setup();
    const sticky = new StickySplit(chart, 'sticky', {
      hosts: ['shop.example.com'],
      gateways: [EDGE],
      split: [{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }],
    });
    expect(sticky.route.ruleNames).toEqual(['sticky-split-v1', 'sticky-split-v2', 'sticky-split']);
    expect(sticky.route.hosts).toEqual(['shop.example.com']);
  });

  test('but a user rule on the cookie header is guarded like any header', () => {
    const { chart, subsets, v2 } = setup();
    const routes = new CompositeRoute(chart, 'edge', { subsets, gateways: [EDGE] });
    expect(() => routes.addRule('by-cookie', { match: [{ headers: { cookie: StringMatch.regex('.*beta=1.*') } }], to: Destination.subset(v2) }))
      .toThrow(/headers\["cookie"\]: any client can set this header on requests through gateway/);
  });

  test('presets take hosts and gateways for the route they create', () => {
    const { chart, v1, v3 } = setup();
    const mirror = new Mirror(chart, 'shadow', { hosts: ['shop.example.com'], gateways: [EDGE], primary: v1, targets: [{ subset: v3, percentage: 1 }] });
    expect(mirror.route.hosts).toEqual(['shop.example.com']);
    expect(mirror.route.gateways).toEqual([EDGE]);
  });

  test('a trusted header needs a valid name and a reason', () => {
    const { chart, subsets } = setup();
    expect(() => new CompositeRoute(chart, 'a', { subsets, gateways: [EDGE], trustedHeaders: [{ name: 'X-Canary', reason: 'edge' }] }))
      .toThrow(/trustedHeaders\[0\].name: "X-Canary" is not a valid header name/);
    expect(() => new CompositeRoute(chart, 'b', { subsets, gateways: [EDGE], trustedHeaders: [{ name: 'x-canary', reason: ' ' }] }))
      .toThrow('test/b: trustedHeaders[0].reason: say why "x-canary" cannot be forged by clients (e.g. "the edge overwrites it"); an empty reason is not a review trail');
  });

  test('a preset joining a route cannot set its hosts', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    expect(() => new StickySplit(chart, 'sticky', { route: routes, hosts: ['x.example.com'], split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }] }))
      .toThrow('test/sticky: hosts: the preset adds its rules to test/routes, whose hosts, gateways, metadata and output apply; set them on that CompositeRoute instead');
  });
});
