/**
 * Property tests: random valid L2 configurations (Subsets, CompositeRoute rules, and a Mirror, StickySplit or
 * plain split as the default) synthesize to objects that the checker and Istio's schema accept, whose splits
 * sum to 100, whose subsets all exist, and that are the same bytes when synthesized twice.
 */
import { Chart, Duration, Testing, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { istioSchemaErrors } from './istio-schema';
import {
  CompositeRoute, Destination, HttpMethod, Mirror, MirrorMethods, RetryOn, RouteMatch, RulePolicies, StickySplit, StringMatch, Subsets,
} from '../src';
import { FORWARDED } from './fixtures';
import { synth } from './util';
import { Severity } from '../src/validation/finding';
import { IstioChecker } from '../src/validation/istio-checker';

const RUNS = 1000;
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

function build(c: Config): Chart {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', {
    host: 'checkout.prod.svc.cluster.local',
    metadata: { name: 'checkout', namespace: 'prod' },
    subsets: NAMES.slice(0, c.subsets).map((name) => ({ name, labels: { version: name } })),
  });
  const subset = (i: number) => subsets.subset(NAMES[i]);
  const routes = new CompositeRoute(chart, 'routes', { subsets, metadata: { name: 'checkout', namespace: 'prod' } });
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
