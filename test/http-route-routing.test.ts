/**
 * The routing model reads Gateway API HTTPRoutes as Istio converts them into VirtualService rules
 * (conversion.go): the article's patterns written as HTTPRoutes to version Services give the same rules,
 * table and simulated answers as the same patterns written as a VirtualService and a DestinationRule.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { routingOnly, tableOnly } from './routing-forms';
import { RoutingModel } from '../src/routing/routing-model';
import { SimulatedRequest } from '../src/routing/simulated-request';

const DIR = join(__dirname, 'http-route');
const HOST = 'checkout.prod.svc.cluster.local';

function load(...files: string[]): any[] {
  return files.flatMap((f) => parseAllDocuments(readFileSync(join(DIR, f), 'utf8')).map((d) => d.toJSON()).filter((m) => m !== null));
}

const httpRouteForm = (pattern: string, ...more: any[]) => RoutingModel.fromManifests([...load('services.yaml', `${pattern}-http-route.yaml`), ...more]);
const virtualServiceForm = (pattern: string) => RoutingModel.fromManifests(load('destination-rule.yaml', `${pattern}-virtual-service.yaml`));

const REQUESTS: SimulatedRequest[] = [
  {},
  { headers: { 'x-canary-user': 'true' } },
  { headers: { 'x-canary-user': 'false' } },
  { headers: { 'user-group': 'beta-testers' } },
  { cookies: { 'checkout-version': 'v1' } },
  { cookies: { 'checkout-version': 'v2' } },
  { cookies: { 'session': 'abc', 'checkout-version': 'v2' } },
  { cookies: { 'checkout-version': 'v3' } },
  { method: 'POST', uri: '/cart?step=2' },
  { headers: { 'x-canary-user': 'true' }, cookies: { 'checkout-version': 'v1' } },
];


describe.each(['testers', 'mirror', 'sticky', 'policies', 'composite'])('the %s pattern, as HTTPRoute and as VirtualService', (pattern) => {
  const http = httpRouteForm(pattern);
  const vs = virtualServiceForm(pattern);

  test('same rules, shares, mirrors, policies, stickiness and notes', () => {
    expect(http.hosts.map(routingOnly)).toEqual(vs.hosts.map(routingOnly));
  });

  test('same table, but for the lines that name the objects', () => {
    expect(tableOnly(http.toText())).not.toContain('HTTPRoute');
    expect(tableOnly(http.toText())).toEqual(tableOnly(vs.toText()));
    expect(http.toText()).toContain('  HTTPRoute prod/checkout, for sidecars in the mesh\n'
      + '  version Services: v1 = prod/checkout-v1 (version=v1), v2 = prod/checkout-v2 (version=v2), v3 = prod/checkout-v3\n    (version=v3)\n');
    expect(vs.toText()).toContain('  VirtualService prod/checkout, for sidecars in the mesh\n  DestinationRule prod/checkout: subsets v1 (version=v1), v2 (version=v2), v3 (version=v3)\n');
  });

  test.each(REQUESTS.map((r) => [JSON.stringify(r), r]))('same answer to %s', (_name, request) => {
    expect(http.simulate(request)).toEqual(vs.simulate(request));
  });
});

describe('the fields that matter, in the HTTPRoute form', () => {
  test('testers by header go to v2, everyone else 95/5', () => {
    const [host] = httpRouteForm('testers').hosts;
    expect(host).toMatchObject({ host: HOST, httpRoutes: ['prod/checkout'], appliesTo: ['mesh'] });
    expect(host.rules.map((r) => [r.name, r.when, r.destinations])).toEqual([
      ['testers', ['header x-canary-user = "true"'], [{ host: HOST, subset: 'v2', probability: 1 }]],
      ['public', [], [{ host: HOST, subset: 'v1', probability: 0.95 }, { host: HOST, subset: 'v2', probability: 0.05 }]],
    ]);
  });

  test('10% mirror, from percent or from fraction', () => {
    expect(httpRouteForm('mirror').hosts[0].rules[0].mirrors).toEqual([{ host: HOST, subset: 'v2', probability: 0.1 }]);
    const fraction = load('services.yaml', 'mirror-http-route.yaml');
    fraction.find((m) => m.kind === 'HTTPRoute').spec.rules[0].filters[0].requestMirror = { backendRef: { name: 'checkout-v2', port: 8080 }, fraction: { numerator: 1, denominator: 20 } };
    expect(RoutingModel.fromManifests(fraction).simulate({}).mirrors).toEqual([{ host: HOST, subset: 'v2', probability: 0.05 }]);
  });

  test('sticky 50/50: the pins sort before the split; the backendRefs set the cookie', () => {
    const model = httpRouteForm('sticky');
    expect(model.hosts[0].rules.map((r) => [r.name, r.sticky])).toEqual([
      ['pin-v1', 'pins checkout-version=v1'],
      ['pin-v2', 'pins checkout-version=v2'],
      ['split', 'sets checkout-version for 1d, not renewed'],
    ]);
    expect(model.hosts[0].rules[2].destinations.map((d) => d.setsCookie)).toEqual(['checkout-version=v1', 'checkout-version=v2']);
    expect(model.simulate({ cookies: { 'checkout-version': 'v2' } })).toMatchObject({ rule: 'pin-v2', destinations: [{ host: HOST, subset: 'v2', probability: 1 }] });
  });

  test('the composition: testers first, the pins and the split copy 10% to v3 (percent or fraction) within 10s', () => {
    const rules = httpRouteForm('composite').hosts[0].rules;
    expect(rules.map((r) => [r.name, r.mirrors, r.timeout, r.sticky])).toEqual([
      ['internal-canary-route', [], undefined, undefined],
      ...['v1', 'v2'].map((v) => [`sticky-split-${v}`, [{ host: HOST, subset: 'v3', probability: 0.1 }], '10s', `pins checkout-version=${v}`]),
      ['sticky-split', [{ host: HOST, subset: 'v3', probability: 0.1 }], '10s', 'sets checkout-version for 1d, not renewed'],
    ]);
  });

  test('per-rule timeout and retries: request is the timeout, backendRequest the per-try timeout', () => {
    expect(httpRouteForm('policies').hosts[0].rules.map((r) => [r.timeout, r.retries])).toEqual([
      ['2s', { attempts: 1, perTryTimeout: '1s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled' }],
      ['10s', { attempts: 3, perTryTimeout: '3s', retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503' }],
    ]);
  });
});

/** An HTTPRoute in prod with these rules, on the checkout Service unless `spec` says otherwise. */
function httpRoute(rules: any[], spec: any = {}, name = 'checkout'): any {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'prod' },
    spec: { parentRefs: [{ group: '', kind: 'Service', name: 'checkout' }], ...spec, rules },
  };
}
const SERVICES = load('services.yaml');
const ref = (name: string, weight?: number) => ({ name, port: 8080, weight });
const model = (...objects: any[]) => RoutingModel.fromManifests([...SERVICES, ...objects]);

describe('what Istio does with an HTTPRoute', () => {
  test('rules are tried by Gateway API precedence, not as written: a header match before the catch-all', () => {
    const m = model(httpRoute([
      { name: 'public', backendRefs: [ref('checkout-v1')] },
      { name: 'testers', matches: [{ headers: [{ name: 'x-canary-user', value: 'true' }] }], backendRefs: [ref('checkout-v2')] },
    ]));
    expect(m.hosts[0].rules.map((r) => [r.position, r.name, r.reachable])).toEqual([[1, 'testers', true], [2, 'public', true]]);
    expect(m.simulate({ headers: { 'x-canary-user': 'true' } }).rule).toBe('testers');
  });

  test('exact paths before prefixes, longer prefixes first; a rule with two matches becomes two rules', () => {
    const m = model(httpRoute([
      { name: 'api', matches: [{ path: { type: 'PathPrefix', value: '/api/' } }, { path: { type: 'Exact', value: '/health' } }], backendRefs: [ref('checkout-v1')] },
      { name: 'api-v2', matches: [{ path: { type: 'PathPrefix', value: '/api/v2' } }], backendRefs: [ref('checkout-v2')] },
    ]));
    expect(m.hosts[0].rules.map((r) => [r.name, r.when])).toEqual([
      ['api', ['uri = "/health"']],
      ['api-v2', ['uri "/api/v2" or under "/api/v2/"']],
      ['api', ['uri "/api" or under "/api/"']],
    ]);
  });

  test('a PathPrefix matches whole segments: /cart and /cart/1, not /carts', () => {
    const m = model(httpRoute([
      { name: 'cart', matches: [{ path: { type: 'PathPrefix', value: '/cart' } }], backendRefs: [ref('checkout-v2')] },
      { name: 'rest', backendRefs: [ref('checkout-v1')] },
    ]));
    expect(['/cart', '/cart/1', '/cart?step=2', '/carts'].map((uri) => m.simulate({ uri }).rule)).toEqual(['cart', 'cart', 'cart', 'rest']);
  });

  test('methods, query parameters and regex headers', () => {
    const m = model(httpRoute([{
      name: 'beta',
      matches: [{ method: 'POST', queryParams: [{ name: 'beta', value: '1' }], headers: [{ type: 'RegularExpression', name: 'x-team', value: 'qa|dev' }] }],
      backendRefs: [ref('checkout-v2')],
    }, { name: 'rest', backendRefs: [ref('checkout-v1')] }]));
    expect(m.hosts[0].rules[0].when).toEqual(['method POST and header x-team matches regex "qa|dev" and query beta = "1"']);
    expect(m.simulate({ method: 'POST', uri: '/?beta=1', headers: { 'x-team': 'dev' } }).rule).toBe('beta');
    expect(m.simulate({ method: 'GET', uri: '/?beta=1', headers: { 'x-team': 'dev' } }).rule).toBe('rest');
  });

  test('an unnamed rule is named namespace.route.index; weights default to 1', () => {
    const m = model(httpRoute([{ backendRefs: [{ name: 'checkout-v1', port: 8080 }, { name: 'checkout-v2', port: 8080 }] }]));
    expect(m.simulate({})).toMatchObject({ rule: 'prod.checkout.0', destinations: [{ subset: 'v1', probability: 0.5 }, { subset: 'v2', probability: 0.5 }] });
  });

  test('a rule whose weights are all 0 answers 500', () => {
    const m = model(httpRoute([{ name: 'off', backendRefs: [ref('checkout-v1', 0)] }]));
    expect(m.simulate({})).toMatchObject({ rule: 'off', destinations: [], response: 'respond 500' });
  });

  test('backendRequest without retry is the rule\'s timeout; retry without attempts retries twice', () => {
    const m = model(httpRoute([{ name: 'r', backendRefs: [ref('checkout-v1')], timeouts: { request: '10s', backendRequest: '2s' } }, { name: 's', matches: [{ method: 'GET' }], backendRefs: [ref('checkout-v1')], retry: { codes: [502] } }]));
    expect(m.hosts[0].rules.map((r) => [r.name, r.timeout, r.retries])).toEqual([
      ['s', undefined, { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,502' }],
      ['r', '2s', undefined],
    ]);
  });

  test('Gateway API durations read as the same durations in Istio\'s spelling: 1s500ms is 1500ms, 1h30m is 5400s', () => {
    const m = model(httpRoute([{ name: 'r', backendRefs: [ref('checkout-v1')], timeouts: { request: '1h30m', backendRequest: '1s500ms' }, retry: { attempts: 1 } }]));
    expect(m.hosts[0].rules.map((r) => [r.timeout, r.retries?.perTryTimeout])).toEqual([['5400s', '1500ms']]);
  });

  test('a parentRef to one port of the Service routes only requests to that port', () => {
    const m = model(httpRoute([{ name: 'web', backendRefs: [ref('checkout-v2')] }], { parentRefs: [{ group: '', kind: 'Service', name: 'checkout', port: 8080 }] }));
    expect(m.hosts[0].rules[0].when).toEqual(['port 8080']);
    expect(m.simulate({ port: 8080 }).rule).toBe('web');
    expect(m.simulate({ port: 9090 }).response).toBe('404 (NR): no rule of prod/checkout matches');
  });

  test('a backendRef to a Service that is no version of another is a host of its own, with its port when the set does not have it', () => {
    const m = model(httpRoute([{ name: 'r', backendRefs: [ref('payments', 90), ref('checkout', 10)] }]));
    expect(m.simulate({}).destinations).toEqual([
      { host: 'payments.prod.svc.cluster.local', port: 8080, probability: 0.9 },
      { host: HOST, probability: 0.1 },
    ]);
  });

  test('on a Gateway: the hostnames are routed at that gateway, to the versions of the Service', () => {
    const m = model(httpRoute([{ name: 'edge', backendRefs: [ref('checkout-v1', 90), ref('checkout-v2', 10)] }],
      { parentRefs: [{ name: 'public', namespace: 'istio-system' }], hostnames: ['shop.example.com'] }, 'shop-edge'));
    expect(m.hosts[0]).toMatchObject({ host: 'shop.example.com', appliesTo: ['istio-system/public'], httpRoutes: ['prod/shop-edge'] });
    expect(m.simulate({ host: 'shop.example.com', gateway: 'istio-system/public' }).summary)
      .toBe(`rule edge (#1) of prod/shop-edge: v1 of ${HOST} 90%, v2 of ${HOST} 10%`);
    expect(m.simulate({ host: 'shop.example.com', gateway: 'istio-system/other' }).response).toContain('404 (NR)');
  });

  test('two HTTPRoutes of one Service are merged, oldest first, into one set of rules', () => {
    const older = { ...httpRoute([{ name: 'public', backendRefs: [ref('checkout-v1')] }], {}, 'b-public'), metadata: { name: 'b-public', namespace: 'prod', creationTimestamp: '2026-01-01T00:00:00Z' } };
    const newer = { ...httpRoute([{ name: 'testers', matches: [{ headers: [{ name: 'x-canary-user', value: 'true' }] }], backendRefs: [ref('checkout-v2')] }], {}, 'a-testers'), metadata: { name: 'a-testers', namespace: 'prod', creationTimestamp: '2026-02-01T00:00:00Z' } };
    const m = model(newer, older);
    expect(m.hosts).toHaveLength(1);
    expect(m.hosts[0]).toMatchObject({ virtualService: 'prod/b-public', httpRoutes: ['prod/b-public', 'prod/a-testers'] });
    expect(m.hosts[0].rules.map((r) => r.name)).toEqual(['testers', 'public']);
    expect(m.toText()).toContain('  HTTPRoutes prod/b-public, prod/a-testers, for sidecars in the mesh\n');
  });

  test('request and response header changes are kept for the diff; a change of them is a routing change', () => {
    const withHeader = (value: string) => model(httpRoute([{
      name: 'r',
      filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-Canary', value }] } }],
      backendRefs: [ref('checkout-v1')],
    }]));
    const diff = RoutingModel.diff(withHeader('no'), withHeader('yes'));
    expect(diff.changed).toBe(true);
    expect(diff.hosts[0].changes.join('\n')).toContain('x-canary');
  });

  test('the diff of a split moved on the HTTPRoute reads as the VirtualService form\'s', () => {
    const split = (v1: number, v2: number) => model(httpRoute([{ name: 'public', backendRefs: [ref('checkout-v1', v1), ref('checkout-v2', v2)] }]));
    const diff = RoutingModel.diff(split(95, 5), split(75, 25));
    expect(diff.hosts.map((h) => [h.host, h.summary])).toEqual([[HOST, 'typical request, rule public (#1): v1 95% → 75%, v2 5% → 25%']]);
    const vsSplit = (v1: number, v2: number) => RoutingModel.fromManifests([...load('destination-rule.yaml'), {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'checkout', namespace: 'prod' },
      spec: { hosts: [HOST], http: [{ name: 'public', route: [{ destination: { host: HOST, subset: 'v1' }, weight: v1 }, { destination: { host: HOST, subset: 'v2' }, weight: v2 }] }] },
    }]);
    expect(diff.toJson()).toEqual(RoutingModel.diff(vsSplit(95, 5), vsSplit(75, 25)).toJson());
  });

  test('moving a canary from a VirtualService to an HTTPRoute: the diff names the move, and the traffic does not move', () => {
    const diff = RoutingModel.diff(virtualServiceForm('testers'), httpRouteForm('testers'));
    expect(diff.hosts.map((h) => [h.host, h.summary, h.typicalBefore, h.typicalAfter])).toEqual([[
      HOST, 'typical request unchanged: v1 95%, v2 5%',
      [{ host: HOST, subset: 'v1', probability: 0.95 }, { host: HOST, subset: 'v2', probability: 0.05 }],
      [{ host: HOST, subset: 'v1', probability: 0.95 }, { host: HOST, subset: 'v2', probability: 0.05 }],
    ]]);
    expect(diff.hosts[0].changes).toEqual(['routed by VirtualService prod/checkout → HTTPRoute prod/checkout', 'DestinationRule prod/checkout → none']);
  });

  test('an HTTPRoute and a VirtualService for one host: the model says Istio uses only one', () => {
    const m = RoutingModel.fromManifests([...SERVICES, ...load('destination-rule.yaml', 'testers-virtual-service.yaml'), httpRoute([{ name: 'r', backendRefs: [ref('checkout-v1')] }], {}, 'checkout-gamma')]);
    expect(m.hosts.map((h) => h.notes)).toEqual([0, 1].map(() => [
      'HTTPRoute prod/checkout-gamma and VirtualService prod/checkout both route this host for sidecars: Istio uses only one of them; merge them into one',
    ]));
  });

  test('sessionPersistence, which Istio does not implement, is a note: it keeps no user on a version', () => {
    const m = model(httpRoute([{ name: 'split', backendRefs: [ref('checkout-v1'), ref('checkout-v2')], sessionPersistence: { type: 'Cookie', sessionName: 'v' } }]));
    expect(m.hosts[0].notes).toEqual(['rule split of HTTPRoute prod/checkout sets sessionPersistence, which Istio does not implement: it keeps no user on a backend; use a version cookie (pins and Set-Cookie)']);
    expect(m.simulate({ cookies: { v: 'x' } }).destinations.map((d) => d.probability)).toEqual([0.5, 0.5]);
  });

  test('an HTTPRoute with a filter Istio does not implement routes nothing, and the model says so', () => {
    const m = model(httpRoute([{ name: 'ext', filters: [{ type: 'ExtensionRef', extensionRef: { group: 'example.com', kind: 'Auth', name: 'a' } }], backendRefs: [ref('checkout-v2')] }]));
    expect(m.hosts[0].notes).toEqual(['Istio rejects HTTPRoute prod/checkout (rule ext: filter "ExtensionRef" is not supported by Istio): none of its rules apply, requests go to any pod of the host']);
    expect(m.simulate({}).destinations).toEqual([{ host: HOST, probability: 1 }]);
  });
});
