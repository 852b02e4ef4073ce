/**
 * One rule, one predicate: the constructs (strict L2 profile), the checker (Istio's profile) and the routing
 * model answer from the same functions, so they agree on what a rule finds and differ at most in severity,
 * the constructs being the stricter. Example tests per rule.
 */
import { Chart, Testing } from 'cdk8s';
import { CompositeRoute, Destination, HttpMethod, IstioChecks, Mirror, MirrorMethods, RouteMatch, StringMatch, Subsets, Warnings } from '../src';
import { RoutingModel } from '../src/routing/routing-model';
import { IstioChecker } from '../src/validation/engine';
import { Finding, Severity } from '../src/validation/finding';

const HOST = 'checkout.prod.svc.cluster.local';
const NAMESPACE = 'prod';

function subsetsIn(chart: Chart, host = HOST, names = ['v1', 'v2']): Subsets {
  return new Subsets(chart, 'subsets', {
    host,
    metadata: { name: 'checkout', namespace: NAMESPACE },
    subsets: names.map((name) => ({ name, labels: { version: name } })),
  });
}

function setup() {
  const chart = Testing.chart();
  const subsets = subsetsIn(chart);
  const routes = new CompositeRoute(chart, 'routes', { subsets, metadata: { name: 'checkout', namespace: NAMESPACE } });
  return { chart, subsets, routes, v1: subsets.subset('v1'), v2: subsets.subset('v2') };
}

/** A hand-written VirtualService for the checker and the routing model, and the DestinationRule it needs. */
function manifests(http: any[], hosts = [HOST]): any[] {
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'checkout', namespace: NAMESPACE },
      spec: { host: HOST, subsets: ['v1', 'v2'].map((name) => ({ name, labels: { version: name } })) },
    },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'checkout', namespace: NAMESPACE }, spec: { hosts, http } },
  ];
}

const to = (subset: string) => [{ destination: { host: HOST, subset } }];
const codesOf = (findings: Finding[], code: string) => findings.filter((f) => f.code === code);

describe('one predicate per rule', () => {
  describe('header value syntax (HEADER_VALUE_INVALID, an error for both)', () => {
    test.each([
      ['t=%START_TIME(%s.%3f)%', true],
      ['%REQ(x-user)%', true],
      ['%FILTER_STATE(["a","b"])%', true],
      ['100%%', true],
      ['tab\there', true],
      ['10%', false],
      ['%HOSTNAME', false],
      ['%F([a])%', false],
      ['line\nbreak', false],
    ])('%j: the construct accepts it exactly when the checker does', (value, valid) => {
      const checker = IstioChecker.check(manifests([{ headers: { request: { set: { 'x-v': value } } }, route: to('v1') }]));
      expect(codesOf(checker, 'HEADER_VALUE_INVALID').map((f) => [f.severity, f.field])).toEqual(valid ? [] : [[Severity.ERROR, 'spec.http[0].headers.request.set["x-v"]']]);

      const { routes, v1 } = setup();
      const add = () => routes.addDefaultRule('all', { to: Destination.subset(v1), headers: { request: { set: { 'x-v': value } } } });
      if (valid) {
        expect(add).not.toThrow();
      } else {
        expect(add).toThrow(`test/routes: defaultRule["all"].headers.request.set["x-v"]: ${codesOf(checker, 'HEADER_VALUE_INVALID')[0].message} (HEADER_VALUE_INVALID)`);
      }
    });
  });

  describe('catch-all match (VS_RULE_UNREACHABLE: an error for the constructs, a warning from the checker)', () => {
    test.each<[string, RouteMatch, any, boolean]>([
      ['no condition', {}, {}, true],
      ['uri prefix "/"', { uri: StringMatch.prefix('/') }, { uri: { prefix: '/' } }, true],
      ['uri regex ".*"', { uri: StringMatch.regex('.*') }, { uri: { regex: '.*' } }, true],
      ['uri present', { uri: StringMatch.present() }, { uri: {} }, true],
      ['uri prefix "/" in any case', { uri: StringMatch.prefix('/'), ignoreUriCase: true }, { uri: { prefix: '/' }, ignoreUriCase: true }, true],
      ['an empty header map', { headers: {} }, { headers: {} }, true],
      ['uri regex ".+"', { uri: StringMatch.regex('.+') }, { uri: { regex: '.+' } }, false],
      ['uri regex "/.*"', { uri: StringMatch.regex('/.*') }, { uri: { regex: '/.*' } }, false],
      ['uri prefix "/" and a method', { uri: StringMatch.prefix('/'), methods: [HttpMethod.GET] }, { uri: { prefix: '/' }, method: { exact: 'GET' } }, false],
      ['a header absent', { withoutHeaders: { 'x-canary': StringMatch.present() } }, { withoutHeaders: { 'x-canary': {} } }, false],
    ])('%s: construct, checker and routing model agree', (_name, condition, yaml, catchAll) => {
      const http = [{ name: 'first', match: [yaml], route: to('v2') }, { name: 'rest', route: to('v1') }];
      const checker = IstioChecker.check(manifests(http));
      expect(codesOf(checker, 'VS_RULE_UNREACHABLE').map((f) => [f.severity, f.field])).toEqual(catchAll ? [[Severity.WARNING, 'spec.http[1]']] : []);

      const model = RoutingModel.fromManifests(manifests(http));
      expect(model.hosts[0].rules.map((r) => [r.matchesEverything, r.reachable])).toEqual([[catchAll, true], [true, !catchAll]]);

      const { routes, v2 } = setup();
      const add = () => routes.addRule('first', { match: [condition], to: Destination.subset(v2) });
      if (catchAll) {
        expect(add).toThrow('test/routes: rules["first"].match[0]: this condition matches every request, so later rules could never be reached; make this the default rule with addDefaultRule(), or narrow the condition (VS_RULE_UNREACHABLE)');
      } else {
        expect(add).not.toThrow();
      }
    });
  });

  describe('upper-case header name (MATCH_HEADER_NAME_UPPERCASE: an error for the constructs, a warning from the checker)', () => {
    test.each(['headers', 'withoutHeaders'] as const)('in %s', (kind) => {
      const checker = IstioChecker.check(manifests([{ match: [{ [kind]: { 'X-Canary': { exact: 'on' } } }], route: to('v2') }, { route: to('v1') }]));
      const [finding, ...more] = codesOf(checker, 'MATCH_HEADER_NAME_UPPERCASE');
      expect(more).toEqual([]);
      expect(finding).toMatchObject({ severity: Severity.WARNING, field: `spec.http[0].match[0].${kind}["X-Canary"]` });

      const { routes, v2 } = setup();
      expect(() => routes.addRule('canary', { match: [{ [kind]: { 'X-Canary': StringMatch.exact('on') } }], to: Destination.subset(v2) }))
        .toThrow(`test/routes: rules["canary"].match[0].${kind}["X-Canary"]: ${finding.message} (MATCH_HEADER_NAME_UPPERCASE)`);
    });
  });

  describe('mirror onto a destination of the split (MIRROR_TO_SERVING_SUBSET: a warning for both)', () => {
    // The warnings are printed at synth; the tests read them from Warnings.of().
    beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => {}));
    afterEach(() => jest.restoreAllMocks());

    test('a 10% mirror to v2 within a 95/5 split: one warning from the construct, none repeated at synth', () => {
      const { chart, routes, v1, v2 } = setup();
      const split = Destination.split([{ subset: v1, weight: 95 }, { subset: v2, weight: 5 }]);
      expect(() => routes.addDefaultRule('split', { to: split, mirror: { targets: [{ subset: v2, percentage: 10 }], methods: MirrorMethods.all() } })).not.toThrow();

      const checker = IstioChecker.check(Testing.synth(chart));
      const [finding, ...more] = codesOf(checker, 'MIRROR_TO_SERVING_SUBSET');
      expect(more).toEqual([]);
      expect(finding).toMatchObject({ severity: Severity.WARNING, field: 'spec.http[0].mirror' });
      expect(Warnings.of(chart)).toEqual([`[test/routes] defaultRule["split"].mirror.targets[0]: ${finding.message} (MIRROR_TO_SERVING_SUBSET)`]);
      // The checker leaves the construct's own output to the construct's warning.
      expect(codesOf(IstioChecks.findings(chart), 'MIRROR_TO_SERVING_SUBSET')).toEqual([]);
    });

    test('a mirror to a subset the split gives no weight is no finding for either', () => {
      const { chart, routes, v1, v2 } = setup();
      routes.addDefaultRule('split', { to: Destination.split([{ subset: v1, weight: 100 }, { subset: v2, weight: 0 }]), mirror: { targets: [{ subset: v2, percentage: 10 }] } });
      expect(codesOf(IstioChecker.check(Testing.synth(chart)), 'MIRROR_TO_SERVING_SUBSET')).toEqual([]);
      expect(Warnings.of(chart)).toEqual([]);
    });

    test('the Mirror preset onto its own primary warns with the same code', () => {
      const chart = Testing.chart();
      const v1 = subsetsIn(chart).subset('v1');
      new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v1, percentage: 10 }] });
      expect(Warnings.of(chart)).toEqual([expect.stringMatching(/^\[test\/mirror\] props\.mirror\.targets\[0\]: the mirror copies requests to subset "v1" of .* \(MIRROR_TO_SERVING_SUBSET\)$/)]);
      expect(codesOf(IstioChecker.check(Testing.synth(chart)), 'MIRROR_TO_SERVING_SUBSET')).toHaveLength(1);
    });
  });

  describe('short host name (HOST_SHORT_NAME: an error for the constructs, an info from the checker)', () => {
    test('as the host of Subsets (a DestinationRule)', () => {
      const [dr] = manifests([]);
      const checker = IstioChecker.check([{ ...dr, spec: { ...dr.spec, host: 'checkout' } }]);
      const [finding, ...more] = codesOf(checker, 'HOST_SHORT_NAME');
      expect(more).toEqual([]);
      expect(finding).toMatchObject({ severity: Severity.INFO, field: 'spec.host' });
      expect(() => subsetsIn(Testing.chart(), 'checkout')).toThrow(`test/subsets: host: ${finding.message} (HOST_SHORT_NAME)`);
    });

    test('as a host of CompositeRoute (a VirtualService)', () => {
      const checker = IstioChecker.check(manifests([{ route: to('v1') }], ['checkout']));
      const [finding, ...more] = codesOf(checker, 'HOST_SHORT_NAME');
      expect(more).toEqual([]);
      expect(finding).toMatchObject({ severity: Severity.INFO, field: 'spec.hosts[0]' });
      const chart = Testing.chart();
      expect(() => new CompositeRoute(chart, 'routes', { subsets: subsetsIn(chart), hosts: ['checkout'] })).toThrow(`test/routes: hosts[0]: ${finding.message} (HOST_SHORT_NAME)`);
    });
  });
});
