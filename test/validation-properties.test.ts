/**
 * Property tests: random valid L2 configurations (Subsets, CompositeRoute rules, and a Mirror, StickySplit or
 * plain split as the default) synthesize to objects that the checker (its API-server layer of CRD schema and
 * CEL rules included) and Istio's schema accept, whose splits sum to 100, whose subsets all exist, and that are
 * the same bytes when synthesized twice.
 */
import { ApiObject, Chart, Duration, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { gatewaySchemaErrors } from './gateway-schema';
import { istioSchemaErrors } from './istio-schema';
import {
  CompositeRoute, Destination, HttpMethod, Mirror, MirrorMethods, RetryOn, RouteMatch, RouteOutput, RulePolicies, StickySplit, StringMatch, Subsets,
} from '../src';
import { FORWARDED } from './fixtures';
import { synth } from './util';
import { apiServerFindings } from '../src/private/validation/schema-check';
import { RoutingModel } from '../src/routing/routing-model';
import { SimulatedRequest } from '../src/routing/simulated-request';
import { Severity } from '../src/validation/finding';
import { IstioChecker } from '../src/validation/istio-checker';

const RUNS = 1000;
const HTTP_ROUTE_RUNS = 200;
const NAMES = ['v1', 'v2', 'canary', 'blue'];
const METHODS = [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE];
const RETRY_ON = [RetryOn.FIVE_XX, RetryOn.CONNECT_FAILURE, RetryOn.RESET, RetryOn.GRPC_UNAVAILABLE, RetryOn.statusCode(503)];
const REGEXES = ['^(.*;\\s*)?beta=1(;.*)?$', '(?i)chrome.*', 'v[0-9]+', '[a-z]+-[0-9]{2,4}', '\\Qa.b\\E|c'];
const TOKEN = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
const LABEL = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);
const PERCENT = fc.integer({ min: 0, max: 100_000 }).map((n) => n / 1000);

/** Whole percentages summing to 100 over `n` destinations (some may be 0). */
function weights(n: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n - 1, maxLength: n - 1 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), 100];
    return points.slice(1).map((p, i) => p - points[i]);
  });
}

const stringMatch = fc.oneof(
  TOKEN.map((v) => StringMatch.exact(v)),
  TOKEN.map((v) => StringMatch.prefix(v)),
  fc.constantFrom(...REGEXES).map((v) => StringMatch.regex(v)),
  fc.constant(StringMatch.present()),
);

const policies: fc.Arbitrary<RulePolicies> = fc.record({
  timeout: fc.option(fc.integer({ min: 1, max: 30_000 }).map((ms) => Duration.millis(ms)), { nil: undefined }),
  retries: fc.option(fc.oneof(
    fc.constant({ attempts: 0 }),
    fc.record({
      attempts: fc.integer({ min: 1, max: 4 }),
      perTryTimeout: fc.option(fc.integer({ min: 1, max: 10_000 }).map((ms) => Duration.millis(ms)), { nil: undefined }),
      retryOn: fc.option(fc.subarray(RETRY_ON, { minLength: 1 }), { nil: undefined }),
    }),
  ), { nil: undefined }),
  fault: fc.option(fc.oneof(
    fc.record({ abort: fc.record({ httpStatus: fc.constantFrom(429, 500, 503), percentage: PERCENT }) }),
    fc.record({ delay: fc.record({ fixedDelay: fc.integer({ min: 1, max: 5000 }).map((ms) => Duration.millis(ms)), percentage: PERCENT }) }),
  ), { nil: undefined }),
  headers: fc.option(fc.record({ request: fc.record({ set: fc.dictionary(TOKEN.map((t) => `x-${t}`), TOKEN, { maxKeys: 2 }) }) }), { nil: undefined }),
}, { requiredKeys: [] });

interface RuleConfig {
  readonly match: Omit<RouteMatch, 'headers'> & { readonly extraHeader?: [string, StringMatch] };
  readonly target: number;
  readonly policies: RulePolicies;
}

const rule = (subsets: number): fc.Arbitrary<RuleConfig> => fc.record({
  match: fc.record({
    extraHeader: fc.option(fc.tuple(TOKEN.map((t) => `x-${t}`), stringMatch), { nil: undefined }),
    uri: fc.option(TOKEN.map((t) => StringMatch.prefix(`/${t}`)), { nil: undefined }),
    methods: fc.option(fc.subarray(METHODS, { minLength: 1 }), { nil: undefined }),
    sourceLabels: fc.option(fc.record({ app: LABEL }), { nil: undefined }),
    queryParams: fc.option(fc.dictionary(TOKEN, stringMatch, { minKeys: 1, maxKeys: 2 }), { nil: undefined }),
  }, { requiredKeys: [] }),
  target: fc.nat(subsets - 1),
  policies,
});

type Preset =
  | { readonly kind: 'split'; readonly weights: number[] }
  | { readonly kind: 'sticky'; readonly weights: number[]; readonly maxAgeHours: number }
  | { readonly kind: 'mirror'; readonly primary: number; readonly targets: { subset: number; percentage?: number }[]; readonly methods: 'safe' | 'all' | 'get' };

interface Config {
  readonly subsets: number;
  readonly rules: RuleConfig[];
  readonly preset: Preset;
  readonly presetPolicies: RulePolicies;
}

const config: fc.Arbitrary<Config> = fc.integer({ min: 2, max: NAMES.length }).chain((n) => fc.record({
  subsets: fc.constant(n),
  rules: fc.array(rule(n), { maxLength: 4 }),
  preset: fc.oneof(
    weights(n).map((w): Preset => ({ kind: 'split', weights: w })),
    fc.tuple(weights(n), fc.integer({ min: 1, max: 48 })).map(([w, h]): Preset => ({ kind: 'sticky', weights: w, maxAgeHours: h })),
    fc.nat(n - 1).chain((primary) => fc.record({
      kind: fc.constant('mirror' as const),
      primary: fc.constant(primary),
      targets: fc.subarray([...Array(n).keys()].filter((i) => i !== primary), { minLength: 1 })
        .chain((targets) => fc.tuple(...targets.map((subset) => fc.record({
          subset: fc.constant(subset),
          percentage: fc.option(PERCENT, { nil: undefined }),
        })))),
      methods: fc.constantFrom('safe' as const, 'all' as const, 'get' as const),
    })),
  ),
  presetPolicies: policies,
}));

function build(c: Config, output?: RouteOutput): Chart {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', {
    host: 'checkout.prod.svc.cluster.local',
    metadata: { name: 'checkout', namespace: 'prod' },
    subsets: NAMES.slice(0, c.subsets).map((name) => ({ name, labels: { version: name } })),
    versionServices: output === undefined ? undefined : { selector: { app: 'checkout' }, ports: [{ port: 8080, name: 'http' }] },
  });
  // The host's own Service, which the application writes: the routing model reads the version Services by it.
  if (output !== undefined) new ApiObject(chart, 'service', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'checkout', namespace: 'prod' }, spec: { selector: { app: 'checkout' }, ports: [{ port: 8080 }] } });
  const subset = (i: number) => subsets.subset(NAMES[i]);
  const routes = new CompositeRoute(chart, 'routes', { subsets, output, metadata: { name: 'checkout', namespace: 'prod' } });
  c.rules.forEach((r, i) => {
    const { extraHeader, ...match } = r.match;
    // A header of its own makes every rule reachable, whatever the random conditions are.
    const headers: { [name: string]: StringMatch } = { [`x-rule-${i}`]: StringMatch.exact('on') };
    if (extraHeader !== undefined && !(extraHeader[0] in headers)) headers[extraHeader[0]] = extraHeader[1];
    routes.addRule(`rule-${i}`, { ...r.policies, match: [{ ...match, headers }], to: Destination.subset(subset(r.target)) });
  });
  const p = c.preset;
  if (p.kind === 'split') {
    routes.addDefaultRule('split', { ...c.presetPolicies, to: Destination.split(p.weights.map((weight, i) => ({ subset: subset(i), weight }))) });
  } else if (p.kind === 'sticky') {
    new StickySplit(chart, 'sticky', {
      ...c.presetPolicies,
      route: routes,
      cookie: { maxAge: Duration.hours(p.maxAgeHours), forwardedBy: FORWARDED },
      split: p.weights.map((weight, i) => ({ subset: subset(i), weight })),
    });
  } else {
    new Mirror(chart, 'mirror', {
      ...c.presetPolicies,
      route: routes,
      primary: subset(p.primary),
      targets: p.targets.map((t) => ({ subset: subset(t.subset), percentage: t.percentage })),
      methods: p.methods === 'all' ? MirrorMethods.all() : p.methods === 'get' ? MirrorMethods.only([HttpMethod.GET]) : undefined,
    });
  }
  return chart;
}

function quietSynth(chart: Chart): any[] {
  const spy = jest.spyOn(console, 'warn').mockImplementation(() => {}); // retry budget warnings are expected
  try {
    return synth(chart);
  } finally {
    spy.mockRestore();
  }
}

function destinations(vs: any): { host: string; subset?: string }[] {
  return (vs.spec.http ?? []).flatMap((r: any) => [
    ...(r.route ?? []).map((d: any) => d.destination),
    ...(r.mirror ? [r.mirror] : []),
    ...(r.mirrors ?? []).map((m: any) => m.destination),
  ]);
}

test(`${RUNS} random L2 configurations synthesize to checked, schema-valid, consistent, deterministic YAML`, () => {
  fc.assert(fc.property(config, (c) => {
    const chart = build(c);
    const manifests = quietSynth(chart);

    expect(manifests.flatMap((m) => istioSchemaErrors(m))).toEqual([]);
    // The checker's own API-server layer (CRD schema and CEL rules) agrees: nothing to report.
    expect(manifests.flatMap((m) => apiServerFindings(m))).toEqual([]);
    const findings = IstioChecker.check(manifests);
    expect(findings.filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    // The L2 constructs warn about retry budgets themselves; nothing else they write deserves a warning.
    expect(findings.filter((f) => f.severity === Severity.WARNING && !f.code.startsWith('RETRY_'))).toEqual([]);

    const dr = manifests.find((m) => m.kind === 'DestinationRule');
    const vs = manifests.find((m) => m.kind === 'VirtualService');
    for (const route of vs.spec.http) {
      if (route.route.length > 1) expect(route.route.reduce((sum: number, d: any) => sum + d.weight, 0)).toBe(100);
    }
    const defined = dr.spec.subsets.map((s: any) => s.name);
    for (const d of destinations(vs)) {
      expect(d.host).toBe(dr.spec.host);
      if (d.subset !== undefined) expect(defined).toContain(d.subset);
    }

    const yaml = Yaml.stringify(...manifests);
    expect(Yaml.stringify(...quietSynth(chart))).toBe(yaml);
    expect(Yaml.stringify(...quietSynth(build(c)))).toBe(yaml);
  }), { numRuns: RUNS });
});

// What an HTTPRoute expresses of a configuration: no sourceLabels, no fault, retries on connection failures
// and status codes, a per-try timeout within the timeout (test/http-route.test.ts has the error of each).
const HTTP_ROUTE_RETRY_ON = [RetryOn.CONNECT_FAILURE, RetryOn.GRPC_UNAVAILABLE, RetryOn.statusCode(503)];
function expressible(p: RulePolicies): RulePolicies {
  const retryOn = p.retries?.retryOn?.filter((r) => HTTP_ROUTE_RETRY_ON.includes(r));
  const perTry = p.retries?.perTryTimeout;
  const tooLong = perTry !== undefined && p.timeout !== undefined && perTry.toMilliseconds() > p.timeout.toMilliseconds();
  const retries = p.retries && { ...p.retries, retryOn: retryOn?.length ? retryOn : undefined, perTryTimeout: tooLong ? undefined : perTry };
  return { ...p, fault: undefined, retries };
}
/**
 * Gateway API's precedence of a match (longer path prefix, a method, more headers, more query parameters
 * first), so that the rules are written in the order an HTTPRoute tries them.
 */
function rank(r: RuleConfig): number[] {
  const headers = 1 + (r.match.extraHeader === undefined ? 0 : 1);
  const path = r.match.uri === undefined ? 1 : 2 + r.match.uri._value.length;
  return [path, r.match.methods === undefined ? 0 : 1, headers, Object.keys(r.match.queryParams ?? {}).length];
}
function onHttpRoute(c: Config): Config {
  const rules = c.rules.map((r) => ({ ...r, match: { ...r.match, sourceLabels: undefined }, policies: expressible(r.policies) }));
  const ranked = rules.map((r, i) => ({ r, i, k: rank(r) }))
    .sort((a, b) => a.k.map((x, j) => b.k[j] - x).find((d) => d !== 0) ?? a.i - b.i).map((x) => x.r);
  return { ...c, rules: ranked, presetPolicies: expressible(c.presetPolicies) };
}

test(`${HTTP_ROUTE_RUNS} random L2 configurations that an HTTPRoute expresses: its HTTPRoute passes the schema, CEL and webhook checks, and routes as the VirtualService does`, () => {
  let written = 0;
  fc.assert(fc.property(config, (random) => {
    const c = onHttpRoute(random);
    let chart: Chart;
    try {
      chart = build(c, RouteOutput.meshHttpRoute());
    } catch (e) {
      // A preset's rules (a mirror's methods, ...) that Istio would try before the user's: the constructs refuse them.
      if (/on an HTTPRoute, Istio tries rule/.test((e as Error).message)) return;
      throw e;
    }
    const manifests = quietSynth(chart);
    const route = manifests.find((m) => m.kind === 'HTTPRoute');
    expect(manifests.filter((m) => m.kind === 'VirtualService')).toEqual([]);
    expect(manifests.flatMap((m) => [...gatewaySchemaErrors(m), ...istioSchemaErrors(m)])).toEqual([]);
    expect(apiServerFindings(route)).toEqual([]);
    const findings = IstioChecker.check(manifests);
    expect(findings.filter((f) => f.severity === Severity.ERROR)).toEqual([]);
    expect(findings.filter((f) => f.severity === Severity.WARNING && !f.code.startsWith('RETRY_'))).toEqual([]);
    // The same program with a VirtualService answers every request as the HTTPRoute does (rule names and
    // positions aside: Istio names unnamed HTTPRoute rules its own way, and makes one rule of each match).
    const http = RoutingModel.fromManifests(manifests);
    const vs = RoutingModel.fromManifests(quietSynth(build(c, RouteOutput.virtualService())));
    const every = Object.fromEntries(c.rules.map((_, i) => [`x-rule-${i}`, 'on']));
    const cookies = vs.simulate({}).destinations.flatMap((d) => d.setsCookie === undefined ? [] : [d.setsCookie.split('=')]);
    const requests: SimulatedRequest[] = [
      {}, { method: 'POST' }, { method: 'GET', headers: every }, { method: 'DELETE', headers: every },
      ...c.rules.map((_, i) => ({ method: 'HEAD', headers: { [`x-rule-${i}`]: 'on' } })),
      ...cookies.map(([name, value]) => ({ method: 'GET', cookies: { [name]: value } })),
    ];
    const answer = (model: RoutingModel, request: SimulatedRequest) => {
      const outcome = model.simulate(request);
      return { destinations: outcome.destinations, mirrors: outcome.mirrors, response: outcome.response };
    };
    for (const request of requests) expect(answer(http, request)).toEqual(answer(vs, request));
    written++;
  }), { numRuns: HTTP_ROUTE_RUNS });
  // Most configurations are expressible once ranked; the share guards against a generator that writes none.
  expect(written).toBeGreaterThan(HTTP_ROUTE_RUNS * 0.8);
});

test('the checker never throws, whatever a manifest holds, and reports only known codes', () => {
  const codes = new Set(IstioChecker.rules().map((r) => r.code));
  const anything = fc.anything({ maxDepth: 3, withNullPrototype: false });
  const route = fc.dictionary(fc.constantFrom('match', 'route', 'redirect', 'directResponse', 'delegate', 'rewrite', 'timeout', 'retries',
    'fault', 'mirror', 'mirrors', 'mirrorPercentage', 'mirrorPercent', 'corsPolicy', 'headers', 'name'), anything);
  const spec = fc.record({
    hosts: fc.oneof(anything, fc.array(fc.oneof(TOKEN, anything))),
    gateways: fc.oneof(anything, fc.array(fc.oneof(TOKEN, fc.constant('mesh'), anything))),
    http: fc.oneof(anything, fc.array(fc.oneof(route, anything), { maxLength: 3 })),
    tcp: anything,
    tls: anything,
    exportTo: anything,
    host: fc.oneof(TOKEN, anything),
    subsets: fc.oneof(anything, fc.array(fc.dictionary(fc.constantFrom('name', 'labels', 'trafficPolicy'), anything))),
    trafficPolicy: fc.oneof(anything, fc.dictionary(fc.constantFrom('loadBalancer', 'connectionPool', 'outlierDetection', 'tls', 'portLevelSettings',
      'tunnel', 'proxyProtocol'), anything)),
    workloadSelector: anything,
  }, { requiredKeys: [] });
  const manifest = fc.record({
    apiVersion: fc.constantFrom('networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'),
    kind: fc.constantFrom('VirtualService', 'DestinationRule'),
    metadata: fc.oneof(anything, fc.record({ name: fc.oneof(TOKEN, anything), namespace: fc.oneof(TOKEN, anything), annotations: anything })),
    spec: fc.oneof(anything, spec),
  });
  fc.assert(fc.property(fc.array(manifest, { maxLength: 4 }), (manifests) => {
    for (const finding of IstioChecker.check(manifests)) expect(codes.has(finding.code)).toBe(true);
  }), { numRuns: 500 });
});
