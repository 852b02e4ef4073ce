/**
 * Construct-level equivalence of the two outputs (issue 17, point 5): one program, run once with
 * RouteOutput.virtualService() and once with an HTTPRoute output, gives the same routing table (but for the
 * lines that name the objects) and the same simulated answers. Where Istio treats the two forms differently,
 * the difference is asserted on its own, not hidden.
 */
import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import {
  Canary, CanaryStage, CompositeRoute, Destination, HttpMethod, Mirror, MirrorMethods, RetryOn, RouteOutput, StickySplit, StringMatch, Subsets,
} from '../src';
import { FORWARDED, HOST, VERSION_COOKIE } from './fixtures';
import { routingOnly, tableOnly } from './routing-forms';
import { synth } from './util';
import { HostRouting } from '../src/routing/host-routing';
import { RoutingModel } from '../src/routing/routing-model';
import { SimulatedRequest } from '../src/routing/simulated-request';
import { IstioChecker } from '../src/validation/istio-checker';

const VERSION_SERVICES = { selector: { app: 'checkout' }, ports: [{ port: 8080, name: 'http' }] };
const COOKIE = 'checkout-service-version';
const TESTERS = [{ headers: { 'x-canary-user': StringMatch.exact('true') } }];
const GATEWAY = 'istio-ingress/public';
const EDGE_HOST = 'shop.example.com';
/** The retry conditions an HTTPRoute retry always has in Istio 1.30 (conversion.go). */
const CONNECTION_FAILURES = [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.GRPC_UNAVAILABLE, RetryOn.GRPC_CANCELLED];
const TRUSTED = [{ name: 'x-canary-user', reason: 'the edge proxy overwrites it from the staff login' }];

/**
 * checkout-service's v1, v2 and v3 with version Services, in a fresh chart, with the host's own Service
 * (which the application writes, and from which the model knows the version Services for versions of it).
 */
function versions() {
  const chart = Testing.chart();
  new ApiObject(chart, 'service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'checkout-service', namespace: 'prod' },
    spec: VERSION_SERVICES,
  });
  const subsets = new Subsets(chart, 'subsets', {
    host: HOST,
    subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    versionServices: VERSION_SERVICES,
  });
  return { chart, subsets, v1: subsets.subset('v1'), v2: subsets.subset('v2'), v3: subsets.subset('v3') };
}

/** A program: what a user writes, with the output the only thing that changes. */
type Program = (output: RouteOutput) => Chart;

/**
 * The programs whose HTTPRoute form Istio reads as more rules than the VirtualService form: it makes one rule
 * of each match (conversion.go), and the methods of a mirror are one match each. Their answers are the same,
 * their tables are not: asserted below, row by row.
 */
const ONE_RULE_PER_MATCH = ['Mirror 10%', 'Canary shadow(10) with testers'];

const PROGRAMS: { [name: string]: Program } = {
  'testers by header, then 95/5': (output) => {
    const { chart, subsets, v1, v2 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output });
    routes.addRule('internal-canary-route', { match: TESTERS, to: Destination.subset(v2) });
    routes.addDefaultRule('public-traffic-split', { to: Destination.split([{ subset: v1, weight: 95 }, { subset: v2, weight: 5 }]) });
    return chart;
  },
  'Mirror 10%': (output) => {
    const { chart, v1, v2 } = versions();
    new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2, percentage: 10 }], ruleName: 'shadow', output });
    return chart;
  },
  'StickySplit 50/50': (output) => {
    const { chart, v1, v2 } = versions();
    new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], cookie: { forwardedBy: FORWARDED }, output });
    return chart;
  },
  'per-rule timeout and retries': (output) => {
    const { chart, subsets, v1, v2 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output });
    routes.addRule('checkout-api', {
      match: [{ uri: StringMatch.exact('/api/checkout'), methods: [HttpMethod.POST] }],
      to: Destination.subset(v2),
      // Spelt 1s500ms on the HTTPRoute (Gateway API durations have no fractions): the same duration to Istio.
      timeout: Duration.millis(1500),
      retries: {
        attempts: 2,
        perTryTimeout: Duration.millis(500),
        retryOn: [...CONNECTION_FAILURES, RetryOn.statusCode(502), RetryOn.statusCode(503)],
      },
    });
    routes.addDefaultRule('default', {
      to: Destination.subset(v1),
      timeout: Duration.minutes(90),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(3), retryOn: [...CONNECTION_FAILURES, RetryOn.statusCode(503)] },
    });
    return chart;
  },
  'Canary percent(5) with testers': (output) => {
    const { chart, v1, v2 } = versions();
    new Canary(chart, 'canary', { stable: v1, canary: v2, stage: CanaryStage.percent(5), monitoring: false, testers: TESTERS, output });
    return chart;
  },
  'Canary shadow(10) with testers': (output) => {
    const { chart, v1, v2 } = versions();
    new Canary(chart, 'canary', { stable: v1, canary: v2, stage: CanaryStage.shadow(10), monitoring: false, testers: TESTERS, output });
    return chart;
  },
  'testers, sticky split and mirror on one route': (output) => {
    const { chart, subsets, v1, v2, v3 } = versions();
    const route = new CompositeRoute(chart, 'routes', { subsets, output });
    route.addRule('internal-canary-route', { match: TESTERS, to: Destination.subset(v2) });
    new StickySplit(chart, 'sticky', {
      route,
      split: [{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }],
      cookie: { forwardedBy: FORWARDED },
      mirror: { targets: [{ subset: v3, percentage: 10 }], methods: MirrorMethods.all() },
      timeout: Duration.seconds(10),
    });
    return chart;
  },
};

const REQUESTS: SimulatedRequest[] = [
  {},
  { headers: { 'x-canary-user': 'true' } },
  { headers: { 'X-Canary-User': 'true' }, method: 'POST' },
  { headers: { 'x-canary-user': 'false' } },
  ...['GET', 'HEAD', 'OPTIONS', 'POST', 'DELETE'].map((method) => ({ method })),
  { method: 'POST', uri: '/api/checkout' },
  { method: 'POST', uri: '/api/checkout/confirm' },
  { method: 'POST', uri: '/api/checkout?step=2' },
  { method: 'GET', uri: '/api/checkout' },
  { method: 'POST', uri: '/cart?step=2' },
  { uri: '/?preview=1' },
  { cookies: { [COOKIE]: VERSION_COOKIE.v1 } },
  { cookies: { [COOKIE]: VERSION_COOKIE.v2 } },
  { cookies: { session: 'abc', [COOKIE]: VERSION_COOKIE.v2 } },
  { cookies: { [COOKIE]: 'v2' } },
  { cookies: { [COOKIE]: VERSION_COOKIE.v3 } },
  { headers: { 'x-canary-user': 'true' }, cookies: { [COOKIE]: VERSION_COOKIE.v1 } },
  { method: 'HEAD', cookies: { [COOKIE]: VERSION_COOKIE.v1 } },
];

// The outcome without the object that answered (named in the summary too).
const answer = (model: RoutingModel, request: SimulatedRequest) => {
  const { virtualService, summary, ...rest } = model.simulate(request);
  return rest;
};
// For ONE_RULE_PER_MATCH, the rule's position too: the HTTPRoute form has more rules.
const answerAnywhere = (model: RoutingModel, request: SimulatedRequest) => {
  const { rulePosition, ...rest } = answer(model, request);
  return rest;
};

const forms = (program: Program, http: RouteOutput = RouteOutput.meshHttpRoute()) => {
  const vsChart = program(RouteOutput.virtualService());
  const httpChart = program(http);
  return { vsChart, httpChart, vs: RoutingModel.fromChart(vsChart), http: RoutingModel.fromChart(httpChart) };
};

describe.each(Object.keys(PROGRAMS))('%s: the same program with a VirtualService and with a mesh HTTPRoute', (name) => {
  const { vsChart, httpChart, vs, http } = forms(PROGRAMS[name]);

  test('each writes its own kind of route', () => {
    expect(synth(vsChart).map((m) => m.kind)).toContain('VirtualService');
    expect(synth(vsChart).map((m) => m.kind)).not.toContain('HTTPRoute');
    expect(synth(httpChart).map((m) => m.kind)).toContain('HTTPRoute');
    expect(synth(httpChart).map((m) => m.kind)).not.toContain('VirtualService');
  });

  const perMatch = ONE_RULE_PER_MATCH.includes(name);

  if (!perMatch) {
    test('same rules, shares, mirrors, policies and stickiness', () => {
      expect(http.hosts.map(routingOnly)).toEqual(vs.hosts.map(routingOnly));
    });

    test('same table, but for the lines that name the objects', () => {
      expect(tableOnly(http.toText())).not.toContain('HTTPRoute');
      expect(tableOnly(http.toText())).toEqual(tableOnly(vs.toText()));
    });
  }

  test.each(REQUESTS.map((r) => [JSON.stringify(r), r]))('same answer to %s', (_request, request) => {
    expect((perMatch ? answerAnywhere : answer)(http, request)).toEqual((perMatch ? answerAnywhere : answer)(vs, request));
  });
});

describe('the answers that matter, the same in both forms', () => {
  test('timeouts: the HTTPRoute\'s 1s500ms and 1h30m read as the VirtualService\'s 1500ms and 5400s, and moving to the HTTPRoute changes no timeout', () => {
    const { httpChart, vs, http } = forms(PROGRAMS['per-rule timeout and retries']);
    const written = (chart: Chart) => synth(chart).find((m) => m.kind === 'HTTPRoute').spec.rules.map((r: any) => r.timeouts);
    expect(written(httpChart)).toEqual([{ request: '1s500ms', backendRequest: '500ms' }, { request: '1h30m', backendRequest: '3s' }]);
    for (const model of [vs, http]) expect(model.hosts[0].rules.map((r) => [r.timeout, r.retries?.perTryTimeout])).toEqual([['1500ms', '500ms'], ['5400s', '3s']]);
    expect(RoutingModel.diff(vs, http).hosts[0].changes.filter((c) => c.includes('timeout'))).toEqual([]);
  });

  const both = (name: string) => {
    const { vs, http } = forms(PROGRAMS[name]);
    return [vs, http];
  };

  test('testers go to v2, everyone else 95/5', () => {
    for (const model of both('testers by header, then 95/5')) {
      expect(model.simulate({ headers: { 'x-canary-user': 'true' } })).toMatchObject({ rule: 'internal-canary-route', destinations: [{ subset: 'v2', probability: 1 }] });
      expect(model.simulate({}).destinations.map((d) => [d.subset, d.probability])).toEqual([['v1', 0.95], ['v2', 0.05]]);
    }
  });

  test('the mirror copies 10% of the safe methods to v2, and nothing else', () => {
    for (const model of both('Mirror 10%')) {
      expect(model.simulate({ method: 'GET' }).mirrors).toEqual([{ host: HOST, subset: 'v2', probability: 0.1 }]);
      expect(model.simulate({ method: 'POST' }).mirrors).toEqual([]);
    }
  });

  test('the sticky split pins each cookie value and sets the cookie on the split only', () => {
    for (const model of both('StickySplit 50/50')) {
      expect(model.simulate({ cookies: { [COOKIE]: VERSION_COOKIE.v2 } }).destinations).toEqual([{ host: HOST, subset: 'v2', probability: 1 }]);
      expect(model.simulate({}).destinations.map((d) => [d.subset, d.probability, d.setsCookie])).toEqual([
        ['v1', 0.5, `${COOKIE}=${VERSION_COOKIE.v1}`],
        ['v2', 0.5, `${COOKIE}=${VERSION_COOKIE.v2}`],
      ]);
    }
  });

  test('the Canary shadow stage copies 10% of the safe methods to the canary, but not the testers\' requests', () => {
    for (const model of both('Canary shadow(10) with testers')) {
      expect(model.simulate({ method: 'GET' })).toMatchObject({ destinations: [{ subset: 'v1', probability: 1 }], mirrors: [{ subset: 'v2', probability: 0.1 }] });
      expect(model.simulate({ method: 'GET', headers: { 'x-canary-user': 'true' } })).toMatchObject({ destinations: [{ subset: 'v2', probability: 1 }], mirrors: [] });
    }
  });

  test('the composition: testers first; pinned and split requests copy 10% to v3', () => {
    for (const model of both('testers, sticky split and mirror on one route')) {
      expect(model.simulate({ headers: { 'x-canary-user': 'true' } }).mirrors).toEqual([]);
      expect(model.simulate({ cookies: { [COOKIE]: VERSION_COOKIE.v1 } })).toMatchObject({ destinations: [{ subset: 'v1', probability: 1 }], mirrors: [{ subset: 'v3', probability: 0.1 }] });
      expect(model.simulate({}).mirrors).toEqual([{ host: HOST, subset: 'v3', probability: 0.1 }]);
    }
  });
});

describe('on a Gateway: a VirtualService bound to it and an HTTPRoute attached to it', () => {
  const program = (output: RouteOutput, trustedHeaders = TRUSTED) => {
    const { chart, subsets, v1, v2 } = versions();
    const gateways = output.isHttpRoute ? undefined : [GATEWAY];
    const routes = new CompositeRoute(chart, 'routes', { subsets, hosts: [EDGE_HOST], gateways, output, trustedHeaders, metadata: { namespace: 'prod' } });
    routes.addRule('internal-canary-route', { match: TESTERS, to: Destination.subset(v2) });
    routes.addDefaultRule('public-traffic-split', { to: Destination.split([{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }]) });
    return chart;
  };
  const edge = RouteOutput.gatewayHttpRoute({ name: 'public', namespace: 'istio-ingress' });
  const { vs, http } = forms(program, edge);

  test('a header anyone can set is the same error in both forms', () => {
    const message = 'test/routes: rules["internal-canary-route"].match[0].headers["x-canary-user"]: any client can set this header on requests through gateway "istio-ingress/public" to reach subset "v2"';
    expect(() => program(RouteOutput.virtualService(), [])).toThrow(message);
    expect(() => program(edge, [])).toThrow(message);
  });

  test('same rules and table, at the same gateway', () => {
    expect(http.hosts.map(routingOnly)).toEqual(vs.hosts.map(routingOnly));
    expect(http.hosts.map((h) => [h.host, h.appliesTo])).toEqual([[HOST, []], [EDGE_HOST, [GATEWAY]]]);
    expect(tableOnly(http.toText())).toEqual(tableOnly(vs.toText()));
  });

  test.each(REQUESTS.map((r) => [JSON.stringify(r), r]))('same answer at the gateway to %s', (_request, request) => {
    const at = { ...request, host: EDGE_HOST, gateway: GATEWAY };
    expect(answer(http, at)).toEqual(answer(vs, at));
    expect(answer(http, at).destinations.length).toBeGreaterThan(0);
  });
});

describe('where Istio treats the two forms differently', () => {
  test('a prefix: a VirtualService prefix "/api" matches "/apix"; the HTTPRoute\'s PathPrefix matches whole segments only', () => {
    const program = (output: RouteOutput) => {
      const { chart, subsets, v1, v2 } = versions();
      const routes = new CompositeRoute(chart, 'routes', { subsets, output });
      routes.addRule('api', { match: [{ uri: StringMatch.prefix('/api') }], to: Destination.subset(v2) });
      routes.addDefaultRule('rest', { to: Destination.subset(v1) });
      return chart;
    };
    const { vs, http } = forms(program);
    expect(['/api', '/api/', '/api/cart?x=1', '/apix', '/api-v2'].map((uri) => [uri, vs.simulate({ uri }).rule, http.simulate({ uri }).rule])).toEqual([
      ['/api', 'api', 'api'],
      ['/api/', 'api', 'api'],
      ['/api/cart?x=1', 'api', 'api'],
      ['/apix', 'api', 'rest'],
      ['/api-v2', 'api', 'rest'],
    ]);
    expect(vs.hosts[0].rules[0].when).toEqual(['uri starts with "/api"']);
    expect(http.hosts[0].rules[0].when).toEqual(['uri "/api" or under "/api/"']);
  });

  test.each(ONE_RULE_PER_MATCH)('%s: Istio makes one rule of each match of the HTTPRoute; each does what the VirtualService rule does', (name) => {
    const { vs, http } = forms(PROGRAMS[name]);
    const [vsHost, httpHost] = [vs.hosts[0], http.hosts[0]];
    const rows = (h: HostRouting) => h.rules.map((r) => [r.name, r.when.join(' | ')]);
    expect(rows(vsHost)).toEqual(name === 'Mirror 10%'
      ? [['shadow-mirrored', 'method GET, HEAD or OPTIONS'], ['shadow', '']]
      : [['testers', 'header x-canary-user = "true"'], ['public-mirrored', 'method GET, HEAD or OPTIONS'], ['public', '']]);
    expect(rows(httpHost)).toEqual(name === 'Mirror 10%'
      ? [['shadow-mirrored', 'method GET'], ['shadow-mirrored', 'method HEAD'], ['shadow-mirrored', 'method OPTIONS'], ['shadow', '']]
      : [
        // The testers' rule matches with each mirrored method too, so that the copying rules, which rank higher
        // by their method, do not take the testers' GETs.
        ...['GET', 'HEAD', 'OPTIONS'].map((m) => ['testers', `method ${m} and header x-canary-user = "true"`]),
        ...['GET', 'HEAD', 'OPTIONS'].map((m) => ['public-mirrored', `method ${m}`]),
        ['testers', 'header x-canary-user = "true"'],
        ['public', ''],
      ]);
    // Every row does what the VirtualService's rule of that name does.
    const what = (r: HostRouting['rules'][number]) => ({ ...r, position: undefined, when: undefined });
    for (const rule of httpHost.rules) expect(what(rule)).toEqual(what(vsHost.rules.find((r) => r.name === rule.name)!));
  });

  test('rules without a name: "#<position>" in the VirtualService form, "<namespace>.<route>.<index>" as Istio names HTTPRoute rules', () => {
    const program = (output: RouteOutput) => {
      const { chart, v1, v2 } = versions();
      new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2, percentage: 10 }], methods: MirrorMethods.only([HttpMethod.GET]), output });
      return chart;
    };
    const { vs, http } = forms(program);
    const route = http.hosts[0].httpRoutes![0].replace('/', '.');
    expect(vs.hosts[0].rules.map((r) => r.name)).toEqual([undefined, undefined]);
    expect(['GET', 'POST'].map((method) => vs.simulate({ method }).rule)).toEqual(['#1', '#2']);
    expect(['GET', 'POST'].map((method) => http.simulate({ method }).rule)).toEqual([`${route}.0`, `${route}.1`]);
    expect(answerAnywhere(http, { method: 'GET' })).toEqual({ ...answerAnywhere(vs, { method: 'GET' }), rule: `${route}.0` });
  });

  const retrying = (retryOn?: RetryOn[]) => (output: RouteOutput) => {
    const { chart, subsets, v1 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output });
    routes.addDefaultRule('all', { to: Destination.subset(v1), retries: { attempts: 2, retryOn } });
    return chart;
  };

  test('retries on status codes only: the HTTPRoute\'s retries also retry the connection failures', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {}); // RETRY_ON_STATUS_CODES_ONLY, on the VirtualService
    try {
      const { vs, http } = forms(retrying([RetryOn.statusCode(503)]));
      expect(vs.hosts[0].rules[0].retries).toEqual({ attempts: 2, retryOn: '503' });
      expect(http.hosts[0].rules[0].retries).toEqual({ attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503' });
    } finally {
      warn.mockRestore();
    }
  });

  test('retries without conditions: Istio\'s default conditions, which the HTTPRoute form spells out', () => {
    const { vs, http } = forms(retrying());
    expect(vs.hosts[0].rules[0].retries).toEqual({ attempts: 2 });
    expect(vs.toText()).toContain('| no timeout / 2 retries |');
    expect(http.hosts[0].rules[0].retries).toEqual({ attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,503' });
  });
});

/** The API server's findings (CRD schema, CEL rules, types) of the checker on a chart's manifests. */
export function apiServerLayer(manifests: any[]): string[] {
  return IstioChecker.check(manifests)
    .filter((f) => f.code.startsWith('SCHEMA_') || f.code === 'CEL_RULE_VIOLATED' || f.code === 'SPEC_TYPE_INVALID')
    .map((f) => `${f.code} ${f.field}: ${f.message}`);
}

test('every HTTPRoute these programs write passes the API server\'s layer of the checker (schema, CEL, types)', () => {
  const outputs = [RouteOutput.meshHttpRoute(), RouteOutput.meshHttpRoute({ port: 8080 })];
  const charts = Object.values(PROGRAMS).flatMap((program) => outputs.map((output) => program(output)));
  const routes = charts.map((chart) => synth(chart)).filter((m) => m.some((o: any) => o.kind === 'HTTPRoute'));
  expect(routes).toHaveLength(charts.length);
  for (const manifests of routes) expect(apiServerLayer(manifests)).toEqual([]);
  // The layer does read HTTPRoutes: a duration the schema's pattern refuses is found.
  const broken = routes[0].map((m: any) => m.kind === 'HTTPRoute' ? { ...m, spec: { ...m.spec, rules: [{ ...m.spec.rules[0], timeouts: { request: '1.5s' } }] } } : m);
  expect(apiServerLayer(broken)).toEqual([expect.stringMatching(/^SCHEMA_VALUE_INVALID spec\.rules\[0\]\.timeouts\.request: /)]);
});
