import { Duration, Testing } from 'cdk8s';
import { CompositeRoute, Destination, SameSite, StickySplit, StringMatch, Subsets } from '../src';
import { compositionChart } from './article-charts';
import { checkoutVersions, FORWARDED, HOST, httpRules, VERSION_COOKIE } from './fixtures';
import { routingOf } from './routing-snapshot';
import { synth } from './util';
import { synthYaml } from './yaml-snapshot';
import { VirtualService } from '../src/imports/istio-networking.istio.io';


const setup = checkoutVersions;

const http = httpRules;

/** What Envoy does with a `cookie` header and one of our pin regexes (RE2 and JS agree on this syntax). */
const pins = (regex: string, cookieHeader: string) => new RegExp(regex).test(cookieHeader);

/** The cookie props of a sticky split on the fixtures' sidecar-only route: its callers forward the cookie. */
const cookie = { forwardedBy: FORWARDED };

const { v1: V1, v2: V2 } = VERSION_COOKIE;

describe('StickySplit', () => {
  test('the VirtualService is the default child', () => {
    const { chart, v1, v2 } = setup();
    const sticky = new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }], cookie });
    expect(sticky.node.defaultChild).toBeInstanceOf(VirtualService);
    expect(sticky.cookieName).toBe('checkout-service-version');
  });

  test('the pin regex matches the cookie among others, and only the exact name and value', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }], cookie });
    const regex = http(chart)[1].match[0].headers.cookie.regex;
    expect(pins(regex, `checkout-service-version=${V2}`)).toBe(true);
    expect(pins(regex, `session=abc; checkout-service-version=${V2}`)).toBe(true);
    expect(pins(regex, `checkout-service-version=${V2}; theme=dark`)).toBe(true);
    expect(pins(regex, `a=1;checkout-service-version=${V2};b=2`)).toBe(true);
    expect(pins(regex, `checkout-service-version=${V1}`)).toBe(false);
    expect(pins(regex, `checkout-service-version=${V2}2`)).toBe(false);
    expect(pins(regex, 'checkout-service-version=v2')).toBe(false);
    expect(pins(regex, `old-checkout-service-version=${V2}`)).toBe(false);
    expect(pins(regex, `xcheckout-service-version=${V2}`)).toBe(false);
  });

  test('cookie options', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', {
      split: [{ subset: v1, weight: 80 }, { subset: v2, weight: 20 }],
      cookie: { name: 'co.version', maxAge: Duration.hours(2), path: '/checkout', httpOnly: false, secure: true, sameSite: SameSite.NONE, forwardedBy: FORWARDED },
      ruleName: 'canary',
    });
    const rules = http(chart);
    expect(rules.map((r: any) => r.name)).toEqual(['canary-v1', 'canary-v2', 'canary']);
    expect(rules[0].match[0].headers.cookie.regex).toBe('^(.*;\\s*)?co\\.version=v1\\.0887a0(;.*)?$');
    expect(rules[2].route[1].headers.response.add['set-cookie']).toBe(`co.version=${V2}; Max-Age=7200; Path=/checkout; Secure; SameSite=None`);
  });

  test('only the split sets the cookie: the pins send it nowhere, so Max-Age counts from the assignment', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }], cookie: { ...cookie, maxAge: Duration.hours(12) } });
    const rules = http(chart);
    expect(rules.map((r: any) => r.name)).toEqual(['sticky-split-v1', 'sticky-split-v2', 'sticky-split']);
    expect(rules[0].route).toEqual([{ destination: { host: HOST, subset: 'v1' } }]);
    expect(rules[1].route).toEqual([{ destination: { host: HOST, subset: 'v2' } }]);
    expect(rules[2].route.map((r: any) => r.headers.response.add['set-cookie'])).toEqual([
      `checkout-service-version=${V1}; Max-Age=43200; Path=/; HttpOnly; Secure; SameSite=Lax`,
      `checkout-service-version=${V2}; Max-Age=43200; Path=/; HttpOnly; Secure; SameSite=Lax`,
    ]);
    // A pinned user's requests never renew the cookie; only a request without a valid pin gets one.
    const model = routingOf(chart);
    for (const value of [V1, V2]) {
      expect(model.simulate({ cookies: { 'checkout-service-version': value } }).destinations.map((d) => d.setsCookie)).toEqual([undefined]);
    }
    expect(model.hosts[0].rules.map((r) => r.sticky)).toEqual([
      `pins checkout-service-version=${V1}`, `pins checkout-service-version=${V2}`, 'sets checkout-service-version for 12h, not renewed',
    ]);
  });

  test('a version at weight 0 is no longer pinned: its cookie falls through to the split and is replaced', () => {
    const { chart, v1, v2, v3 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 0 }, { subset: v2, weight: 70 }, { subset: v3, weight: 30 }], cookie });
    const rules = http(chart);
    expect(rules.map((r: any) => r.name)).toEqual(['sticky-split-v2', 'sticky-split-v3', 'sticky-split']);
    const split = rules[2].route;
    expect(split.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v2', 70], ['v3', 30]]);
    // A v1 cookie matches no pin; the split's response sets the new version's cookie under the same name.
    expect(rules.slice(0, 2).some((r: any) => pins(r.match[0].headers.cookie.regex, `checkout-service-version=${V1}`))).toBe(false);
    expect(split[0].headers.response.add['set-cookie']).toMatch(new RegExp(`^checkout-service-version=${V2.replace('.', '\\.')};`));
  });

  test('one version left: no cookie is set, and every version\'s cookie is expired where the stage sends everyone', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 0 }, { subset: v2, weight: 100 }], cookie });
    const rules = http(chart);
    expect(rules.map((r: any) => r.name)).toEqual(['sticky-split-v1', 'sticky-split-v2', 'sticky-split']);
    const expire = 'checkout-service-version=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Lax';
    for (const [i, value] of [[0, V1], [1, V2]] as const) {
      expect(pins(rules[i].match[0].headers.cookie.regex, `checkout-service-version=${value}`)).toBe(true);
      expect(rules[i].route).toEqual([{ destination: { host: HOST, subset: 'v2' }, weight: 100, headers: { response: { add: { 'set-cookie': expire } } } }]);
    }
    expect(rules[2].route).toEqual([{ destination: { host: HOST, subset: 'v2' }, weight: 100 }]);
    // A user pinned to v1 is answered by v2, and the answer ends the pin; the next request sets nothing.
    const model = routingOf(chart);
    const pinned = model.simulate({ cookies: { 'checkout-service-version': V1 } });
    expect(pinned.destinations).toEqual([{ host: HOST, subset: 'v2', probability: 1, expiresCookie: 'checkout-service-version' }]);
    expect(model.simulate({}).destinations).toEqual([{ host: HOST, subset: 'v2', probability: 1 }]);
    expect(model.hosts[0].rules.map((r) => r.sticky)).toEqual([`expires checkout-service-version=${V1}`, `expires checkout-service-version=${V2}`, undefined]);
  });

  test('the cookie names the release: the next release\'s "canary" does not take the previous canary\'s users', () => {
    const release = (stable: string, canary: string) => {
      const chart = Testing.chart();
      const subsets = new Subsets(chart, 'subsets', {
        host: HOST,
        subsets: [{ name: 'stable', labels: { app: 'checkout', version: stable } }, { name: 'canary', labels: { app: 'checkout', version: canary } }],
      });
      new StickySplit(chart, 'sticky', { split: [{ subset: subsets.subset('stable'), weight: 90 }, { subset: subsets.subset('canary'), weight: 10 }], cookie });
      return routingOf(chart);
    };
    const first = release('1.14.2', '1.15.0');
    const next = release('1.15.0', '1.16.0');
    const canaryCookie = first.simulate({}).destinations.find((d) => d.subset === 'canary')!.setsCookie!;
    expect(canaryCookie).toMatch(/^checkout-service-version=canary\.[0-9a-f]{6}$/);
    const [name, value] = canaryCookie.split('=');
    expect(first.simulate({ cookies: { [name]: value } }).rule).toBe('sticky-split-canary');
    // The previous release's pin matches nothing: the split assigns the user afresh and replaces the cookie.
    const outcome = next.simulate({ cookies: { [name]: value } });
    expect(outcome.rule).toBe('sticky-split');
    expect(outcome.destinations.map((d) => [d.subset, d.probability])).toEqual([['stable', 0.9], ['canary', 0.1]]);
    expect(outcome.destinations.every((d) => d.setsCookie !== undefined && d.setsCookie !== canaryCookie)).toBe(true);
  });

  test('user header changes on a destination are kept next to the cookie, and on its pin', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', {
      split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50, headers: { request: { set: { 'x-canary': 'true' } }, response: { add: { 'x-version': 'v2' } } } }],
      cookie,
    });
    const split = http(chart)[2].route[1];
    expect(split.headers.request).toEqual({ set: { 'x-canary': 'true' } });
    // cdk8s sorts keys, so the YAML is the same whatever order the program used.
    expect(Object.keys(split.headers.response.add)).toEqual(['set-cookie', 'x-version']);
    expect(http(chart)[1].route[0].headers).toEqual({ request: { set: { 'x-canary': 'true' } }, response: { add: { 'x-version': 'v2' } } });
  });

  test('a route bound to a gateway needs no statement about forwarding: the cookie reaches the browser', () => {
    const { chart, v1, v2 } = setup();
    const sticky = new StickySplit(chart, 'sticky', {
      split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], hosts: ['shop.example.com'], gateways: ['istio-system/public'],
    });
    expect(sticky.route.ruleNames).toEqual(['sticky-split-v1', 'sticky-split-v2', 'sticky-split']);
    expect(routingOf(chart).hosts.find((h) => h.host === 'shop.example.com')!.notes).toEqual([]);
  });

  test('on a sidecar-only route, the table notes where the cookie is set', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], cookie });
    expect(routingOf(chart).hosts[0].notes).toEqual([
      'the version cookie checkout-service-version is set on the responses to sidecars, not at a gateway: it reaches users\' browsers, and pins them, only if every caller forwards Cookie and Set-Cookie',
    ]);
  });

  test('composition: header routes, a sticky split and mirroring in one VirtualService', () => {
    const chart = compositionChart();
    const manifests = synth(chart);
    expect(manifests.filter((m) => m.kind === 'VirtualService')).toHaveLength(1);
    const rules = manifests.find((m) => m.kind === 'VirtualService').spec.http;
    expect(rules.map((r: any) => r.name)).toEqual(['internal-canary-route', 'qa-tools', 'sticky-split-v1', 'sticky-split-v2', 'sticky-split']);
    for (const rule of rules.slice(2)) {
      expect(rule.mirror).toEqual({ host: HOST, subset: 'v3' });
      expect(rule.mirrorPercentage).toEqual({ value: 10 });
      expect(rule.timeout).toBe('10s');
    }
    expect(synthYaml(chart)).toMatchSnapshot();
  });
});

describe('StickySplit errors', () => {
  test.each([
    ['an empty split', { split: [] }, 'test/sticky: split: the split is empty; give it at least one subset and weight'],
    ['a bad cookie name', { cookie: { ...cookie, name: 'my cookie' } }, 'test/sticky: cookie.name: "my cookie" is not a valid cookie name; use letters, digits and \'-\', \'_\' or \'.\''],
    ['a max age under a second', { cookie: { ...cookie, maxAge: Duration.millis(500) } }, /cookie\.maxAge: 500ms is not a whole number of seconds/],
    ['a relative path', { cookie: { ...cookie, path: 'checkout' } }, /cookie.path: "checkout" is not a cookie path/],
    ['SameSite=None without Secure', { cookie: { ...cookie, sameSite: SameSite.NONE, secure: false } }, /cookie.sameSite: browsers reject SameSite=None without Secure/],
    ['a forwarding caller without a name', { cookie: { forwardedBy: [{ caller: ' ', reason: 'it proxies' }] } }, 'test/sticky: cookie.forwardedBy[0].caller: name the workload that forwards the version cookie, e.g. "storefront"'],
    ['a forwarding caller without a reason', { cookie: { forwardedBy: [{ caller: 'storefront', reason: '' }] } }, /^test\/sticky: cookie\.forwardedBy\[0\]\.reason: say why "storefront" forwards Cookie and Set-Cookie/],
  ])('%s', (_name, props, message) => {
    const { chart, v1, v2 } = setup();
    expect(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], cookie, ...props })).toThrow(message);
  });

  test('a sidecar-only route, without callers that forward the cookie', () => {
    const { chart, subsets, v1, v2 } = setup();
    const split = [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }];
    expect(() => new StickySplit(chart, 'own', { split })).toThrow('test/own: gateways: the route applies to sidecars only, so the version cookie is set on the '
      + 'responses to the calling workload, not in the users\' browsers, and it pins only if every hop forwards Cookie and Set-Cookie; bind the route to the '
      + 'gateway the users come through (gateways), or name the callers that forward both headers, each with a reason, in cookie.forwardedBy');
    const routes = new CompositeRoute(chart, 'routes', { subsets, gateways: ['mesh'] });
    expect(() => new StickySplit(chart, 'given', { route: routes, split, cookie: { forwardedBy: [] } }))
      .toThrow(/^test\/given: route: the route applies to sidecars only, .*; bind test\/routes to the gateway the users come through, or name the callers that forward both headers, each with a reason, in cookie\.forwardedBy$/);
  });

  test('weights that do not sum to 100', () => {
    const { chart, v1, v2 } = setup();
    expect(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 40 }], cookie }))
      .toThrow(/split: the weights sum to 90; .*summing to 100 \(VS_WEIGHT_SUM_NOT_100\)/);
  });

  test.each([[50, 50], [0, 100]])('a set-cookie header of the user\'s on a destination, at %d/%d', (w1, w2) => {
    const { chart, v1, v2 } = setup();
    expect(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: w1 }, { subset: v2, weight: w2, headers: { response: { add: { 'set-cookie': 'a=b' } } } }], cookie }))
      .toThrow(/split\[1\].headers.response: the sticky split sets the set-cookie response header itself/);
  });

  test('a rule added after the sticky split', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    new StickySplit(chart, 'sticky', { route: routes, split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], cookie });
    expect(() => routes.addRule('late', { match: [{ headers: { 'x-late': StringMatch.exact('1') } }], to: Destination.subset(v2) }))
      .toThrow(/rule "late" comes after the default \(the sticky split test\/sticky\)/);
  });
});
