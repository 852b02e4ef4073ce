import { Duration } from 'cdk8s';
import { CompositeRoute, Destination, SameSite, StickySplit, StringMatch } from '../src';
import { compositionChart } from './article-charts';
import { checkoutVersions, HOST, httpRules } from './fixtures';
import { synth } from './util';
import { synthYaml } from './yaml-snapshot';
import { VirtualService } from '../src/imports/istio-networking.istio.io';


const setup = checkoutVersions;

const http = httpRules;

/** What Envoy does with a `cookie` header and one of our pin regexes (RE2 and JS agree on this syntax). */
const pins = (regex: string, cookieHeader: string) => new RegExp(regex).test(cookieHeader);

describe('StickySplit', () => {
  test('the VirtualService is the default child', () => {
    const { chart, v1, v2 } = setup();
    const sticky = new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }] });
    expect(sticky.node.defaultChild).toBeInstanceOf(VirtualService);
    expect(sticky.cookieName).toBe('checkout-service-version');
  });

  test('the pin regex matches the cookie among others, and only the exact name and value', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }] });
    const regex = http(chart)[1].match[0].headers.cookie.regex;
    expect(pins(regex, 'checkout-service-version=v2')).toBe(true);
    expect(pins(regex, 'session=abc; checkout-service-version=v2')).toBe(true);
    expect(pins(regex, 'checkout-service-version=v2; theme=dark')).toBe(true);
    expect(pins(regex, 'a=1;checkout-service-version=v2;b=2')).toBe(true);
    expect(pins(regex, 'checkout-service-version=v1')).toBe(false);
    expect(pins(regex, 'checkout-service-version=v22')).toBe(false);
    expect(pins(regex, 'old-checkout-service-version=v2')).toBe(false);
    expect(pins(regex, 'xcheckout-service-version=v2')).toBe(false);
  });

  test('cookie options', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', {
      split: [{ subset: v1, weight: 80 }, { subset: v2, weight: 20 }],
      cookie: { name: 'co.version', maxAge: Duration.hours(2), path: '/checkout', httpOnly: false, secure: true, sameSite: SameSite.NONE },
      ruleName: 'canary',
    });
    const rules = http(chart);
    expect(rules.map((r: any) => r.name)).toEqual(['canary-v1', 'canary-v2', 'canary']);
    expect(rules[0].match[0].headers.cookie.regex).toBe('^(.*;\\s*)?co\\.version=v1(;.*)?$');
    expect(rules[2].route[1].headers.response.add['set-cookie']).toBe('co.version=v2; Max-Age=7200; Path=/checkout; Secure; SameSite=None');
  });

  test('a version at weight 0 is no longer pinned: its cookie falls through to the split and is replaced', () => {
    const { chart, v1, v2, v3 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 0 }, { subset: v2, weight: 70 }, { subset: v3, weight: 30 }] });
    const rules = http(chart);
    expect(rules.map((r: any) => r.name)).toEqual(['sticky-split-v2', 'sticky-split-v3', 'sticky-split']);
    const split = rules[2].route;
    expect(split.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v2', 70], ['v3', 30]]);
    // A v1 cookie matches no pin; the split's response sets the new version's cookie under the same name.
    expect(rules.slice(0, 2).some((r: any) => pins(r.match[0].headers.cookie.regex, 'checkout-service-version=v1'))).toBe(false);
    expect(split[0].headers.response.add['set-cookie']).toMatch(/^checkout-service-version=v2;/);
  });

  test('promoted to one version: no pins, everyone gets it and its cookie', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 0 }, { subset: v2, weight: 100 }] });
    const rules = http(chart);
    expect(rules).toHaveLength(1);
    expect(rules[0].route).toEqual([{
      destination: { host: HOST, subset: 'v2' },
      weight: 100,
      headers: { response: { add: { 'set-cookie': 'checkout-service-version=v2; Max-Age=86400; Path=/; HttpOnly; Secure; SameSite=Lax' } } },
    }]);
  });

  test('user header changes on a destination are kept next to the cookie', () => {
    const { chart, v1, v2 } = setup();
    new StickySplit(chart, 'sticky', {
      split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50, headers: { request: { set: { 'x-canary': 'true' } }, response: { add: { 'x-version': 'v2' } } } }],
    });
    const split = http(chart)[2].route[1];
    expect(split.headers.request).toEqual({ set: { 'x-canary': 'true' } });
    // cdk8s sorts keys, so the YAML is the same whatever order the program used.
    expect(Object.keys(split.headers.response.add)).toEqual(['set-cookie', 'x-version']);
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
    ['a bad cookie name', { cookie: { name: 'my cookie' } }, 'test/sticky: cookie.name: "my cookie" is not a valid cookie name; use letters, digits and \'-\', \'_\' or \'.\''],
    ['a max age under a second', { cookie: { maxAge: Duration.millis(500) } }, /cookie\.maxAge: 500ms is not a whole number of seconds/],
    ['a relative path', { cookie: { path: 'checkout' } }, /cookie.path: "checkout" is not a cookie path/],
    ['SameSite=None without Secure', { cookie: { sameSite: SameSite.NONE, secure: false } }, /cookie.sameSite: browsers reject SameSite=None without Secure/],
  ])('%s', (_name, props, message) => {
    const { chart, v1, v2 } = setup();
    expect(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], ...props })).toThrow(message);
  });

  test('weights that do not sum to 100', () => {
    const { chart, v1, v2 } = setup();
    expect(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 40 }] }))
      .toThrow(/split: the weights sum to 90; .*summing to 100 \(VS_WEIGHT_SUM_NOT_100\)/);
  });

  test('a set-cookie header of the user\'s on a destination', () => {
    const { chart, v1, v2 } = setup();
    expect(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50, headers: { response: { add: { 'set-cookie': 'a=b' } } } }, { subset: v2, weight: 50 }] }))
      .toThrow(/split\[0\].headers.response: the sticky split sets the set-cookie response header itself/);
  });

  test('a rule added after the sticky split', () => {
    const { chart, subsets, v1, v2 } = setup();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    new StickySplit(chart, 'sticky', { route: routes, split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }] });
    expect(() => routes.addRule('late', { match: [{ headers: { 'x-late': StringMatch.exact('1') } }], to: Destination.subset(v2) }))
      .toThrow(/rule "late" comes after the default \(the sticky split test\/sticky\)/);
  });
});
