/**
 * The routing model and the simulation against Istio's semantics (see istio-semantics.md), on hand-written
 * manifests: first match wins, match entries ORed and their fields ANDed, weights as shares of their sum,
 * mirror percentages, source conditions for sidecar traffic only, full-match RE2 regexes, header names
 * without case, empty StringMatch as "present" (and "absent" in withoutHeaders).
 */

import { CompositeRoute, Destination, StringMatch } from '../src';
import { checkoutVersions } from './fixtures';
import { synth } from './util';
import { RoutingModel } from '../src/routing/routing-model';

const HOST = 'reviews.shop.svc.cluster.local';

interface VirtualServiceOptions {
  readonly gateways?: string[];
  readonly hosts?: string[];
  readonly name?: string;
  readonly namespace?: string;
  readonly apiVersion?: string;
}

function virtualService(http: any[], extra: VirtualServiceOptions = {}): any {
  return {
    apiVersion: extra.apiVersion ?? 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: extra.name ?? 'reviews', namespace: extra.namespace ?? 'shop' },
    spec: { hosts: extra.hosts ?? [HOST], gateways: extra.gateways, http },
  };
}

function destinationRule(subsets: string[], extra: { host?: string; name?: string; namespace?: string; trafficPolicy?: any } = {}): any {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'DestinationRule',
    metadata: { name: extra.name ?? 'reviews', namespace: extra.namespace ?? 'shop' },
    spec: { host: extra.host ?? HOST, trafficPolicy: extra.trafficPolicy, subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
  };
}

const route = (subset: string, weight?: number) => ({ destination: { host: HOST, subset }, weight });
const to = (subset: string, probability: number) => ({ host: HOST, subset, probability });
/** A model of one VirtualService with a matched rule to v2 and a default to v1. */
const withMatch = (match: any[]) => RoutingModel.fromManifests([
  destinationRule(['v1', 'v2']),
  virtualService([{ name: 'canary', match, route: [route('v2')] }, { name: 'rest', route: [route('v1')] }]),
]);
const ruleFor = (model: RoutingModel, request: object) => model.simulate(request).rule;

describe('conditions', () => {
  test('the fields of one entry must all hold; any entry of a rule may', () => {
    const model = withMatch([
      { headers: { 'x-team': { exact: 'qa' } }, uri: { prefix: '/cart' } },
      { method: { exact: 'DELETE' } },
    ]);
    expect(model.hosts[0].rules[0].when).toEqual(['uri starts with "/cart" and header x-team = "qa"', 'method DELETE']);
    expect(ruleFor(model, { headers: { 'x-team': 'qa' }, uri: '/cart/1' })).toBe('canary');
    expect(ruleFor(model, { headers: { 'x-team': 'qa' }, uri: '/catalog' })).toBe('rest');
    expect(ruleFor(model, { uri: '/cart' })).toBe('rest');
    expect(ruleFor(model, { method: 'DELETE' })).toBe('canary');
  });

  test('the first matching rule wins, even when a later one matches too', () => {
    const model = RoutingModel.fromManifests([virtualService([
      { name: 'first', match: [{ uri: { prefix: '/' }, headers: { a: { exact: '1' } } }], route: [route('v1')] },
      { name: 'second', match: [{ headers: { a: { exact: '1' } } }], route: [route('v2')] },
    ])]);
    expect(ruleFor(model, { headers: { a: '1' } })).toBe('first');
  });

  test('regexes match the whole value (RE2 full match), with a leading (?i) flag for any case', () => {
    const model = withMatch([{ headers: { 'user-agent': { regex: '(?i).*mobile.*' } } }, { headers: { 'x-id': { regex: '[0-9]+' } } }]);
    expect(ruleFor(model, { headers: { 'user-agent': 'Some MOBILE browser' } })).toBe('canary');
    expect(ruleFor(model, { headers: { 'x-id': '123' } })).toBe('canary');
    expect(ruleFor(model, { headers: { 'x-id': '123a' } })).toBe('rest');
    expect(model.hosts[0].rules[0].when).toEqual(['header user-agent matches regex "(?i).*mobile.*"', 'header x-id matches regex "[0-9]+"']);
  });

  test('RE2 syntax JavaScript lacks: named groups, POSIX classes, \\z', () => {
    const model = withMatch([{ headers: { 'x-v': { regex: '(?P<major>[[:digit:]]+)\\.x\\z' } } }]);
    expect(ruleFor(model, { headers: { 'x-v': '12.x' } })).toBe('canary');
    expect(ruleFor(model, { headers: { 'x-v': 'a.x' } })).toBe('rest');
  });

  test('a regex the simulation cannot run is an error that names it', () => {
    const model = withMatch([{ headers: { 'x-v': { regex: 'a(?i)b' } } }]);
    expect(() => model.simulate({ headers: { 'x-v': 'ab' } })).toThrow('cannot simulate the regex "a(?i)b": it uses flags that are not at the start of the pattern');
  });

  test('exact and prefix are case-sensitive; header names are not', () => {
    const model = withMatch([{ headers: { 'X-Canary': { prefix: 'yes' } } }]);
    expect(model.hosts[0].rules[0].when).toEqual(['header x-canary starts with "yes"']);
    expect(ruleFor(model, { headers: { 'x-CANARY': 'yes-please' } })).toBe('canary');
    expect(ruleFor(model, { headers: { 'x-canary': 'Yes' } })).toBe('rest');
  });

  test('an empty StringMatch means present in headers and absent in withoutHeaders', () => {
    const present = withMatch([{ headers: { 'x-debug': {} } }]);
    expect(present.hosts[0].rules[0].when).toEqual(['header x-debug present']);
    expect(ruleFor(present, { headers: { 'x-debug': '' } })).toBe('canary');
    expect(ruleFor(present, {})).toBe('rest');
    const absent = withMatch([{ withoutHeaders: { 'x-debug': {} } }]);
    expect(absent.hosts[0].rules[0].when).toEqual(['header x-debug absent']);
    expect(ruleFor(absent, {})).toBe('canary');
    expect(ruleFor(absent, { headers: { 'x-debug': '1' } })).toBe('rest');
  });

  test('withoutHeaders with a value: a missing header counts as empty, so it matches', () => {
    const model = withMatch([{ withoutHeaders: { 'x-env': { exact: 'prod' } } }]);
    expect(model.hosts[0].rules[0].when).toEqual(['header x-env != "prod"']);
    expect(ruleFor(model, {})).toBe('canary');
    expect(ruleFor(model, { headers: { 'x-env': 'staging' } })).toBe('canary');
    expect(ruleFor(model, { headers: { 'x-env': 'prod' } })).toBe('rest');
  });

  test('uri: exact and regex compare the path without the query, prefix the whole path; ignoreUriCase', () => {
    const model = withMatch([
      { uri: { exact: '/cart' } },
      { uri: { regex: '/items/[0-9]+' } },
      { uri: { prefix: '/API' }, ignoreUriCase: true },
    ]);
    expect(model.hosts[0].rules[0].when).toEqual(['uri = "/cart"', 'uri matches regex "/items/[0-9]+"', 'uri starts with "/API" (any case)']);
    expect(ruleFor(model, { uri: '/cart?step=2' })).toBe('canary');
    expect(ruleFor(model, { uri: '/cart/1' })).toBe('rest');
    expect(ruleFor(model, { uri: '/items/7?x=1' })).toBe('canary');
    expect(ruleFor(model, { uri: '/api/v1' })).toBe('canary');
  });

  test('query parameters, authority, scheme, port', () => {
    const model = withMatch([
      { queryParams: { beta: { exact: '1' } } },
      { authority: { prefix: 'beta.' } },
      { scheme: { exact: 'https' }, port: 8443 },
    ]);
    expect(model.hosts[0].rules[0].when).toEqual(['query beta = "1"', 'authority starts with "beta."', 'scheme = "https" and port 8443']);
    expect(ruleFor(model, { uri: '/?beta=1' })).toBe('canary');
    expect(ruleFor(model, { uri: '/?beta=2' })).toBe('rest');
    expect(ruleFor(model, { headers: { host: 'beta.example.com' } })).toBe('canary');
    expect(ruleFor(model, { scheme: 'https', port: 8443 })).toBe('canary');
    // The port is unknown unless the request says it, so a port condition does not match.
    expect(ruleFor(model, { scheme: 'https' })).toBe('rest');
  });

  test('cookies are sent as one cookie header after the cookie header of the request', () => {
    const model = withMatch([{ headers: { cookie: { exact: 'a=1; b=2; c=3' } } }]);
    expect(ruleFor(model, { headers: { cookie: 'a=1' }, cookies: { b: '2', c: '3' } })).toBe('canary');
  });

  test('JWT claim conditions read as claims', () => {
    const model = withMatch([{ headers: { '@request.auth.claims.groups': { exact: 'beta' } } }]);
    expect(model.hosts[0].rules[0].when).toEqual(['claim groups = "beta"']);
    expect(ruleFor(model, { headers: { '@request.auth.claims.groups': 'beta' } })).toBe('canary');
  });
});

describe('sources and gateways', () => {
  test('sourceLabels and sourceNamespace match the calling workload of sidecar traffic', () => {
    const model = withMatch([{ sourceLabels: { app: 'qa-tools' }, sourceNamespace: 'qa' }]);
    expect(model.hosts[0].rules[0].when).toEqual(['source app=qa-tools and source namespace qa']);
    expect(ruleFor(model, { sourceLabels: { app: 'qa-tools' }, sourceNamespace: 'qa' })).toBe('canary');
    expect(ruleFor(model, { sourceLabels: { app: 'qa-tools' } })).toBe('rest');
  });

  test('on a VirtualService bound only to a gateway, source labels never match, and the words say so', () => {
    const model = RoutingModel.fromManifests([virtualService([
      { name: 'qa', match: [{ sourceLabels: { app: 'qa-tools' } }], route: [route('v2')] },
      { name: 'rest', route: [route('v1')] },
    ], { gateways: ['public'], hosts: ['shop.example.com'] })]);
    const host = model.hosts[0];
    expect(host.appliesTo).toEqual(['shop/public']);
    expect(host.rules[0].when).toEqual(['source app=qa-tools (never matches at a gateway)']);
    expect(model.simulate({ gateway: 'shop/public', sourceLabels: { app: 'qa-tools' } }).rule).toBe('rest');
    // Sidecars do not use a gateway-only VirtualService: without one they reach any pod of the host.
    expect(model.simulate({ host: 'shop.example.com' }).destinations).toEqual([{ host: 'shop.example.com', probability: 1 }]);
  });

  test('gateways named in a match entry replace the source checks', () => {
    const model = RoutingModel.fromManifests([virtualService([
      { name: 'edge', match: [{ gateways: ['public'], sourceLabels: { app: 'ignored' } }], route: [route('v2')] },
      { name: 'rest', route: [route('v1')] },
    ], { gateways: ['public', 'mesh'] })]);
    expect(model.hosts[0].rules[0].when).toEqual(['through gateway public']);
    expect(ruleFor(model, { gateway: 'public' })).toBe('edge');
    expect(ruleFor(model, { sourceLabels: { app: 'ignored' } })).toBe('rest');
  });
});

describe('destinations', () => {
  test('weights are shares of their sum; weight 0 is dropped; the note says they do not sum to 100', () => {
    const model = RoutingModel.fromManifests([destinationRule(['v1', 'v2', 'v3']), virtualService([{ name: 'split', route: [route('v1', 1), route('v2', 3), route('v3', 0)] }])]);
    expect(model.simulate({}).destinations).toEqual([to('v1', 0.25), to('v2', 0.75)]);
    expect(model.hosts[0].notes).toEqual(['the weights of rule split sum to 4: each destination gets its weight / 4']);
  });

  test('a single destination takes every request, whatever its weight', () => {
    const model = RoutingModel.fromManifests([destinationRule(['v1']), virtualService([{ route: [route('v1', 30)] }])]);
    expect(model.simulate({})).toMatchObject({ rule: '#1', destinations: [to('v1', 1)] });
  });

  test('the same subset twice in a split is one destination with both shares', () => {
    const model = RoutingModel.fromManifests([destinationRule(['v1', 'v2']), virtualService([{ route: [route('v1', 25), route('v2', 50), route('v1', 25)] }])]);
    expect(model.simulate({}).destinations).toEqual([to('v1', 0.5), to('v2', 0.5)]);
  });

  test('short host names are read in the namespace of the object that writes them', () => {
    const model = RoutingModel.fromManifests([
      destinationRule(['v1'], { host: 'reviews' }),
      virtualService([{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }], { hosts: ['reviews'] }),
    ]);
    expect(model.hosts.map((h) => [h.host, h.destinationRule])).toEqual([[HOST, 'shop/reviews']]);
    expect(model.simulate({ host: HOST }).destinations).toEqual([to('v1', 1)]);
  });

  test('a subset no DestinationRule defines is named in the notes (it serves 503 NC)', () => {
    const model = RoutingModel.fromManifests([destinationRule(['v1']), virtualService([{ route: [route('v1', 90), route('v3', 10)] }])]);
    expect(model.hosts[0].notes).toEqual(['subset v3 is not defined by DestinationRule shop/reviews: requests sent there get 503 (NC)']);
  });

  test('mirror: 100% without a percentage, the old mirrorPercent, none at 0, several with mirrors', () => {
    const mirror = (extra: object) => RoutingModel.fromManifests([virtualService([{ route: [route('v1')], mirror: { host: HOST, subset: 'v2' }, ...extra }])])
      .simulate({}).mirrors.map((m) => m.probability);
    expect(mirror({})).toEqual([1]);
    expect(mirror({ mirrorPercent: 20 })).toEqual([0.2]);
    expect(mirror({ mirrorPercentage: { value: 0 } })).toEqual([]);
    const several = RoutingModel.fromManifests([virtualService([{
      route: [route('v1')],
      mirrors: [{ destination: { host: HOST, subset: 'v2' }, percentage: { value: 0.5 } }, { destination: { host: 'audit.shop.svc.cluster.local' } }],
    }])]);
    expect(several.simulate({}).mirrors).toEqual([{ host: HOST, subset: 'v2', probability: 0.005 }, { host: 'audit.shop.svc.cluster.local', probability: 1 }]);
  });

  test('redirects, fixed responses and faults are said in words', () => {
    const model = RoutingModel.fromManifests([virtualService([
      { name: 'old', match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', redirectCode: 308 } },
      { name: 'gone', match: [{ uri: { prefix: '/gone' } }], directResponse: { status: 410 } },
      { name: 'rest', route: [route('v1')], fault: { abort: { httpStatus: 503, percentage: { value: 10 } }, delay: { fixedDelay: '2s' } } },
    ])]);
    expect(model.simulate({ uri: '/old/x' })).toMatchObject({ destinations: [], response: 'redirect to /new (308)' });
    expect(model.simulate({ uri: '/gone' }).response).toBe('respond 410');
    expect(model.simulate({}).notes).toEqual(['the rule injects faults: delay 2s for 100%, abort with 503 for 10%']);
  });
});

describe('the host as a whole', () => {
  test('no rule matches: 404 (NR), and the model says so before anyone sends a request', () => {
    const model = RoutingModel.fromManifests([destinationRule(['v1']), virtualService([{ name: 'only', match: [{ headers: { a: { exact: '1' } } }], route: [route('v1')] }])]);
    expect(model.hosts[0].unmatched).toEqual([]);
    expect(model.hosts[0].notes).toEqual(['no rule matches every request: a request that matches none gets 404 (NR)']);
    expect(model.simulate({})).toMatchObject({ destinations: [], response: '404 (NR): no rule of shop/reviews matches', summary: '404 (NR): no rule of shop/reviews matches' });
  });

  test('a uri prefix of "/" matches everything, so later rules are never used', () => {
    const model = RoutingModel.fromManifests([virtualService([
      { name: 'all', match: [{ uri: { prefix: '/' } }], route: [route('v1')] },
      { name: 'late', match: [{ headers: { a: { exact: '1' } } }], route: [route('v2')] },
    ])]);
    expect(model.hosts[0].rules.map((r) => [r.matchesEverything, r.reachable])).toEqual([[true, true], [false, false]]);
    expect(ruleFor(model, { headers: { a: '1' } })).toBe('all');
  });

  test('two VirtualServices for one host where both apply: a note, and the outcome says which one it followed', () => {
    const model = RoutingModel.fromManifests([
      destinationRule(['v1', 'v2']),
      virtualService([{ route: [route('v1')] }], { name: 'b' }),
      virtualService([{ route: [route('v2')] }], { name: 'a' }),
    ]);
    expect(model.hosts.map((h) => h.notes)).toEqual([
      ['VirtualServices shop/a and shop/b both route this host for sidecars: Istio uses only one of them; merge them into one'],
      ['VirtualServices shop/a and shop/b both route this host for sidecars: Istio uses only one of them; merge them into one'],
    ]);
    const outcome = model.simulate({});
    expect(outcome.virtualService).toBe('shop/a');
    expect(outcome.notes).toEqual([`2 VirtualServices route ${HOST} for sidecars (shop/a, shop/b): Istio uses only one; this outcome follows shop/a`]);
  });

  test('an exact host wins over a wildcard one', () => {
    const model = RoutingModel.fromManifests([
      virtualService([{ route: [{ destination: { host: 'wild.shop.svc.cluster.local' } }] }], { hosts: ['*.example.com'], name: 'wild', gateways: ['public'] }),
      virtualService([{ route: [route('v1')] }], { hosts: ['shop.example.com'], name: 'exact', gateways: ['public'] }),
    ]);
    expect(model.simulate({ host: 'shop.example.com', gateway: 'public' }).virtualService).toBe('shop/exact');
    expect(model.simulate({ host: 'other.example.com', gateway: 'public' }).virtualService).toBe('shop/wild');
  });

  test('any API version, any file order: the same routing', () => {
    const a = [destinationRule(['v1', 'v2']), virtualService([{ route: [route('v1', 50), route('v2', 50)] }], { apiVersion: 'networking.istio.io/v1alpha3' })];
    expect(RoutingModel.fromManifests([...a].reverse()).toText()).toBe(RoutingModel.fromManifests(a).toText());
    expect(RoutingModel.fromManifests(a).toMermaid()).toBe(RoutingModel.fromManifests(a).toMermaid());
  });

  test('objects other than VirtualServices and DestinationRules are ignored', () => {
    const model = RoutingModel.fromManifests([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' } }, null, 'text', destinationRule(['v1'])]);
    expect(model.hosts.map((h) => h.host)).toEqual([HOST]);
  });

  test('a request for an unknown host, or without a host when several are routed, is an error', () => {
    const model = RoutingModel.fromManifests([virtualService([{ route: [route('v1')] }]), destinationRule(['v1'], { host: 'other.shop.svc.cluster.local' })]);
    expect(() => model.simulate({ host: 'nope.shop.svc.cluster.local' }))
      .toThrow(`no VirtualService or DestinationRule for host "nope.shop.svc.cluster.local"; the hosts are other.shop.svc.cluster.local, ${HOST}`);
    expect(() => model.simulate({})).toThrow(/the request names no host and the routing has several: .*; set the request's host/);
    expect(() => RoutingModel.fromManifests([]).simulate({})).toThrow('the request names no host and the routing has none; set the request\'s host');
  });

  test.each([
    [{ httpHeaderName: 'Session-Id' }, 'consistent hash on header session-id'],
    [{ httpCookie: { name: 'affinity', ttl: '0s' } }, 'consistent hash on cookie affinity (set by Envoy, ttl 0s)'],
    [{ httpCookie: { name: 'affinity' } }, 'consistent hash on cookie affinity'],
    [{ useSourceIp: true }, 'consistent hash on the source IP'],
    [{ httpQueryParameterName: 'user' }, 'consistent hash on query parameter user'],
    [{ maglev: {} }, 'consistent hash'],
  ])('pod affinity of a consistent hash on %j', (consistentHash, words) => {
    const model = RoutingModel.fromManifests([destinationRule(['v1'], { trafficPolicy: { loadBalancer: { consistentHash } } })]);
    expect(model.hosts[0].podAffinity).toBe(words);
  });

  test('several DestinationRules for one host, tcp routes and delegation are pointed out', () => {
    const model = RoutingModel.fromManifests([
      destinationRule(['v1'], { name: 'a' }),
      destinationRule(['v2'], { name: 'b' }),
      { ...virtualService([{ name: 'api', delegate: { name: 'api-routes' } }]), spec: { hosts: [HOST], http: [{ name: 'api', delegate: { name: 'api-routes' } }], tcp: [] } },
    ]);
    expect(model.hosts[0].rules[0].response).toBe('delegated to VirtualService shop/api-routes (not expanded here)');
    expect(model.hosts[0].notes).toEqual([
      'the tcp and tls routes of this VirtualService are not shown',
      'several DestinationRules configure this host (shop/a, shop/b): keep one per host; only the first is shown',
    ]);
  });

  test('a version cookie\'s lifetime, in the largest whole unit', () => {
    const sticky = (setCookie: string) => RoutingModel.fromManifests([virtualService([{
      route: [{ ...route('v1', 50), headers: { response: { set: { 'Set-Cookie': setCookie } } } }, route('v2', 50)],
    }])]).hosts[0].rules[0].sticky;
    expect(sticky('version=v1; Max-Age=90')).toBe('sets version for 90s, not renewed');
    expect(sticky('version=v1; Max-Age=120; Path=/')).toBe('sets version for 2m, not renewed');
    expect(sticky('version=v1')).toBe('sets version');
  });

  test('a version cookie that its pins send again slides: the table says it is renewed', () => {
    const setCookie = (value: string) => ({ headers: { response: { add: { 'set-cookie': `version=${value}; Max-Age=43200` } } } });
    const pin = (value: string) => ({ match: [{ headers: { cookie: { regex: `^(.*;\\s*)?version=${value}(;.*)?$` } } }], route: [{ ...route(value), ...setCookie(value) }] });
    const model = RoutingModel.fromManifests([virtualService([pin('v1'), pin('v2'), { route: [{ ...route('v1', 50), ...setCookie('v1') }, { ...route('v2', 50), ...setCookie('v2') }] }])]);
    expect(model.hosts[0].rules.map((r) => r.sticky)).toEqual(['pins version=v1, renews it', 'pins version=v2, renews it', 'sets version for 12h, renewed by its pins']);
    expect(model.simulate({ cookies: { version: 'v2' } }).destinations).toEqual([{ host: HOST, subset: 'v2', probability: 1, setsCookie: 'version=v2' }]);
  });

  test('a pin whose answer expires the cookie (Max-Age=0) ends it', () => {
    const expire = { headers: { response: { add: { 'set-cookie': 'version=; Max-Age=0; Path=/' } } } };
    const model = RoutingModel.fromManifests([virtualService([
      { match: [{ headers: { cookie: { regex: '^(.*;\\s*)?version=v1(;.*)?$' } } }], route: [{ ...route('v2'), ...expire }] },
      { route: [route('v2')] },
    ])]);
    expect(model.hosts[0].rules.map((r) => r.sticky)).toEqual(['expires version=v1', undefined]);
    expect(model.simulate({ cookies: { version: 'v1' } }).destinations).toEqual([{ host: HOST, subset: 'v2', probability: 1, expiresCookie: 'version' }]);
  });

  test('fromChart reads what the chart synthesizes', () => {
    const { chart, subsets, v1, v2 } = checkoutVersions();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addRule('canary', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(v2) });
    routes.addDefaultRule('rest', { to: Destination.subset(v1) });
    expect(RoutingModel.fromChart(chart).toText()).toBe(RoutingModel.fromManifests(synth(chart)).toText());
  });
});
