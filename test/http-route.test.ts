/**
 * Routes written as Gateway API HTTPRoutes (RouteOutput.meshHttpRoute / gatewayHttpRoute) over version
 * Services: the article's patterns that an HTTPRoute can express, each snapshotted with assertions on the
 * fields that matter and checked against the committed HTTPRoute schema (v1.5.1, experimental); one error
 * test per feature an HTTPRoute cannot express.
 */
import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  Canary, CanaryStage, CompositeRoute, Destination, HttpMethod, Mirror, MirrorMethods, RetryOn, RouteOutput,
  StickySplit, StringMatch, Subsets, SubsetsProps,
} from '../src';
import { FORWARDED, HOST, VERSION_COOKIE } from './fixtures';
import { gatewaySchemaErrors } from './gateway-schema';
import { istioSchemaErrors } from './istio-schema';
import { synth as synthChecked } from './util';
import { synthYaml } from './yaml-snapshot';
import { HttpRoute } from '../src/imports/gateway-gateway.networking.k8s.io';
import { toJson_VirtualServiceSpecHttp, toJson_VirtualServiceSpecHttpMatch, toJson_VirtualServiceSpecHttpRoute, toJson_VirtualServiceSpecHttpRetries } from '../src/imports/istio-networking.istio.io';
import {
  toHttpRoute, TRANSLATED_DESTINATION_KEYS, TRANSLATED_MATCH_KEYS, TRANSLATED_RETRY_KEYS, TRANSLATED_RULE_KEYS,
  UNSUPPORTED_MATCH_KEYS, UNSUPPORTED_RETRY_KEYS, UNSUPPORTED_RULE_KEYS,
} from '../src/private/render/http-route';
import { ruleSite } from '../src/private/render/route-rule';
import { IstioChecker } from '../src/validation/istio-checker';

const VERSION_SERVICES = { selector: { app: 'checkout' }, ports: [{ port: 8080, name: 'http' }] };
const PUBLIC_GATEWAY = RouteOutput.gatewayHttpRoute({ name: 'public', namespace: 'istio-ingress' });

/** checkout-service's v1 and v2 with version Services, in a fresh chart. */
function versions(props: Partial<SubsetsProps> = {}) {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', {
    host: HOST,
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    versionServices: VERSION_SERVICES,
    ...props,
  });
  return { chart, subsets, v1: subsets.subset('v1'), v2: subsets.subset('v2') };
}

/**
 * The chart's manifests (test/util's `synth`), and the API server would take them: the checker's layer of CRD
 * schema, CEL rules and types finds nothing in any HTTPRoute these tests write.
 */
function synth(chart: Chart): any[] {
  const manifests = synthChecked(chart);
  if (manifests.some((m) => m.kind === 'HTTPRoute')) {
    const apiServer = IstioChecker.check(manifests).filter((f) => f.code.startsWith('SCHEMA_') || f.code === 'CEL_RULE_VIOLATED' || f.code === 'SPEC_TYPE_INVALID');
    expect(apiServer.map((f) => `${f.code} ${f.path} ${f.field}: ${f.message}`)).toEqual([]);
  }
  return manifests;
}

/** The one HTTPRoute of a chart, after checking every manifest against its schema. */
function httpRoute(chart: Chart): any {
  const manifests = synth(chart);
  expect(manifests.flatMap((m) => [...gatewaySchemaErrors(m), ...istioSchemaErrors(m)])).toEqual([]);
  const routes = manifests.filter((m) => m.kind === 'HTTPRoute');
  expect(routes).toHaveLength(1);
  expect(manifests.filter((m) => m.kind === 'VirtualService')).toEqual([]);
  return routes[0];
}

const backend = (version: string, weight?: number) => ({ name: `checkout-service-${version}`, port: 8080, ...weight === undefined ? {} : { weight } });
const MESH_PARENT = { group: '', kind: 'Service', name: 'checkout-service', namespace: 'prod' };

describe('versions as Services', () => {
  test('one Service per subset: the host\'s selector plus the version labels, the same ports, in the host\'s namespace', () => {
    const { chart, subsets, v2 } = versions();
    expect(v2.serviceName).toBe('checkout-service-v2');
    expect(subsets.versionServices.map((s) => s.name)).toEqual(['checkout-service-v1', 'checkout-service-v2']);
    const services = synth(chart).filter((m) => m.kind === 'Service');
    expect(services).toEqual(['v1', 'v2'].map((v) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `checkout-service-${v}`, namespace: 'prod' },
      spec: { selector: { app: 'checkout', version: v }, ports: [{ port: 8080, name: 'http' }] },
    })));
  });

  test('without versionServices there are no Services and no service names', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 'subsets', { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(subsets.subset('v1').serviceName).toBeUndefined();
    expect(synth(chart).filter((m) => m.kind === 'Service')).toEqual([]);
  });

  test('Subsets.fromWorkloads takes the selector and ports from the cdk8s-plus Service', () => {
    const chart = Testing.chart();
    const deployment = (id: string, version: string) =>
      new kplus.Deployment(chart, id, { podMetadata: { labels: { app: 'checkout', version } }, containers: [{ image: `checkout:${version}`, portNumber: 8080 }] });
    const service = new kplus.Service(chart, 'service', { metadata: { name: 'checkout-service', namespace: 'prod' }, ports: [{ port: 80, targetPort: 8080 }] });
    service.selectLabel('app', 'checkout');
    const subsets = Subsets.fromWorkloads(chart, 'subsets', { service, versions: { v1: deployment('stable', 'v1'), v2: deployment('canary', 'v2') }, versionServices: true });
    const written = synth(chart).filter((m) => m.kind === 'Service' && m.metadata.name !== 'checkout-service');
    expect(written.map((s) => [s.metadata.name, s.spec.selector, s.spec.ports])).toEqual([
      ['checkout-service-v1', { app: 'checkout', version: 'v1' }, [{ port: 80, targetPort: 8080 }]],
      ['checkout-service-v2', { app: 'checkout', version: 'v2' }, [{ port: 80, targetPort: 8080 }]],
    ]);
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    routes.addDefaultRule('all', { to: Destination.subset(subsets.subset('v2')) });
    expect(httpRoute(chart).spec.rules[0].backendRefs).toEqual([{ name: 'checkout-service-v2', port: 80 }]);
  });

  test('errors: a host that is no Service, an empty selector, no ports, a Service name too long', () => {
    const chart = Testing.chart();
    const make = (id: string, props: Partial<SubsetsProps>) => () => new Subsets(chart, id, { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }], versionServices: VERSION_SERVICES, ...props });
    expect(make('a', { host: 'checkout.example.com' })).toThrow('test/a: host: "checkout.example.com" is not the name of a Kubernetes Service (<name>.<namespace>.svc.<domain>)');
    expect(make('b', { versionServices: { selector: {}, ports: VERSION_SERVICES.ports } })).toThrow('test/b: versionServices.selector: the selector is empty');
    expect(make('c', { versionServices: { selector: { app: 'checkout' }, ports: [] } })).toThrow('test/c: versionServices.ports: there are no ports');
    expect(make('d', { subsets: [{ name: 'a-very-long-subset-name-for-the-release-of-this-month', labels: { version: 'v9' } }] }))
      .toThrow('test/d: subsets["a-very-long-subset-name-for-the-release-of-this-month"].name: the version Service name');
  });
});

describe('the article\'s patterns on HTTPRoute', () => {
  test('testers by header, then 95/5 (mesh, GAMMA parentRef)', () => {
    const { chart, subsets, v1, v2 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    routes.addRule('internal-canary-route', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(v2) });
    routes.addDefaultRule('public-traffic-split', { to: Destination.split([{ subset: v1, weight: 95 }, { subset: v2, weight: 5 }]) });
    const route = httpRoute(chart);
    expect(routes.httpRoute).toBeInstanceOf(HttpRoute);
    expect(routes.node.defaultChild).toBe(routes.httpRoute);
    expect(route.spec.parentRefs).toEqual([MESH_PARENT]);
    expect(route.spec.hostnames).toBeUndefined();
    expect(route.spec.rules).toEqual([
      { name: 'internal-canary-route', matches: [{ headers: [{ name: 'x-canary-user', type: 'Exact', value: 'true' }] }], backendRefs: [backend('v2')] },
      { name: 'public-traffic-split', backendRefs: [backend('v1', 95), backend('v2', 5)] },
    ]);
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('10% mirror: the safe methods, one match each, with a RequestMirror filter of percent 10', () => {
    const { chart, v1, v2 } = versions();
    new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2, percentage: 10 }], ruleName: 'shadow', output: RouteOutput.meshHttpRoute() });
    const [mirrored, plain] = httpRoute(chart).spec.rules;
    expect(mirrored).toEqual({
      name: 'shadow-mirrored',
      matches: ['GET', 'HEAD', 'OPTIONS'].map((method) => ({ method })),
      filters: [{ type: 'RequestMirror', requestMirror: { backendRef: backend('v2'), percent: 10 } }],
      backendRefs: [backend('v1', 100)],
    });
    expect(plain).toEqual({ name: 'shadow', backendRefs: [backend('v1', 100)] });
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('a fractional mirror percentage is a fraction; several targets are several RequestMirror filters', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 'subsets', {
      host: HOST,
      versionServices: VERSION_SERVICES,
      subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
    });
    new Mirror(chart, 'mirror', {
      primary: subsets.subset('v1'),
      targets: [{ subset: subsets.subset('v2'), percentage: 2.5 }, { subset: subsets.subset('v3') }],
      methods: MirrorMethods.only([HttpMethod.GET]),
      output: RouteOutput.meshHttpRoute(),
    });
    const [mirrored] = httpRoute(chart).spec.rules;
    expect(mirrored.matches).toEqual([{ method: 'GET' }]);
    expect(mirrored.filters).toEqual([
      { type: 'RequestMirror', requestMirror: { backendRef: backend('v2'), fraction: { numerator: 25, denominator: 1000 } } },
      { type: 'RequestMirror', requestMirror: { backendRef: backend('v3') } },
    ]);
  });

  test('sticky 50/50 on a Gateway: cookie pins as Cookie regex matches, Set-Cookie as a backendRef filter', () => {
    const { chart, v1, v2 } = versions();
    new StickySplit(chart, 'sticky', {
      split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }],
      hosts: ['shop.example.com'],
      output: PUBLIC_GATEWAY,
    });
    const route = httpRoute(chart);
    expect(route.spec.parentRefs).toEqual([{ name: 'public', namespace: 'istio-ingress' }]);
    expect(route.spec.hostnames).toEqual(['shop.example.com']);
    const [pin1, pin2, split] = route.spec.rules;
    expect(pin1).toEqual({
      name: 'sticky-split-v1',
      matches: [{ headers: [{ name: 'cookie', type: 'RegularExpression', value: `^(.*;\\s*)?checkout-service-version=${VERSION_COOKIE.v1.replace('.', '\\.')}(;.*)?$` }] }],
      // The route lives where it is applied (the test's chart names no namespace); the version Services in prod.
      backendRefs: [{ ...backend('v1'), namespace: 'prod' }],
    });
    expect(pin2.backendRefs).toEqual([{ ...backend('v2'), namespace: 'prod' }]);
    const setCookie = (v: 'v1' | 'v2') => [{
      type: 'ResponseHeaderModifier',
      responseHeaderModifier: { add: [{ name: 'set-cookie', value: `checkout-service-version=${VERSION_COOKIE[v]}; Max-Age=86400; Path=/; HttpOnly; Secure; SameSite=Lax` }] },
    }];
    expect(split).toEqual({
      name: 'sticky-split',
      backendRefs: [{ ...backend('v1', 50), namespace: 'prod', filters: setCookie('v1') }, { ...backend('v2', 50), namespace: 'prod', filters: setCookie('v2') }],
    });
    // Istio 1.30 does not implement sessionPersistence: the pins do the work.
    expect(JSON.stringify(route)).not.toContain('sessionPersistence');
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('per-rule timeout and retries: timeouts.request, timeouts.backendRequest, retry with codes', () => {
    const { chart, subsets, v1, v2 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    routes.addRule('checkout-api', {
      match: [{ uri: StringMatch.prefix('/api/checkout'), methods: [HttpMethod.POST] }],
      to: Destination.subset(v2),
      timeout: Duration.seconds(2),
      retries: {
        attempts: 3,
        perTryTimeout: Duration.millis(500),
        retryOn: [
          RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.GRPC_UNAVAILABLE, RetryOn.GRPC_CANCELLED,
          RetryOn.statusCode(502), RetryOn.statusCode(503),
        ],
      },
      headers: { request: { set: { 'x-route': 'api' } }, response: { remove: ['x-internal'] } },
    });
    routes.addDefaultRule('default', { to: Destination.subset(v1), timeout: Duration.minutes(90), retries: { attempts: 2 } });
    const [api, fallback] = httpRoute(chart).spec.rules;
    expect(api).toEqual({
      name: 'checkout-api',
      matches: [{ path: { type: 'PathPrefix', value: '/api/checkout' }, method: 'POST' }],
      filters: [
        { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: 'api' }] } },
        { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['x-internal'] } },
      ],
      backendRefs: [backend('v2')],
      timeouts: { request: '2s', backendRequest: '500ms' },
      retry: { attempts: 3, codes: [502, 503] },
    });
    // Istio's default conditions are the connection failures and 503, which an HTTPRoute retry with code 503 is.
    expect(fallback).toEqual({ name: 'default', backendRefs: [backend('v1')], timeouts: { request: '1h30m' }, retry: { attempts: 2, codes: [503] } });
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('Canary on a mesh HTTPRoute: testers, then 5% to the canary', () => {
    const { chart, v1, v2 } = versions();
    const canary = new Canary(chart, 'canary', {
      stable: v1,
      canary: v2,
      stage: CanaryStage.percent(5),
      monitoring: false,
      testers: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
      output: RouteOutput.meshHttpRoute(),
    });
    expect(canary.node.defaultChild).toBe(canary.route.httpRoute);
    const route = httpRoute(chart);
    expect(route.spec.parentRefs).toEqual([MESH_PARENT]);
    expect(route.spec.rules).toEqual([
      { name: 'testers', matches: [{ headers: [{ name: 'x-canary-user', type: 'Exact', value: 'true' }] }], backendRefs: [backend('v2')] },
      { name: 'public', backendRefs: [backend('v1', 95), backend('v2', 5)] },
    ]);
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('Canary shadow with testers: the testers\' rule also matches with each mirrored method, so the mirrored copy does not take their requests', () => {
    const { chart, v1, v2 } = versions();
    new Canary(chart, 'canary', {
      stable: v1,
      canary: v2,
      stage: CanaryStage.shadow(10),
      monitoring: false,
      testers: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
      output: RouteOutput.meshHttpRoute(),
    });
    const [testers, copy, rest] = httpRoute(chart).spec.rules;
    const header = [{ name: 'x-canary-user', type: 'Exact', value: 'true' }];
    expect(testers.matches).toEqual([{ headers: header }, ...['GET', 'HEAD', 'OPTIONS'].map((method) => ({ headers: header, method }))]);
    expect(copy.matches).toEqual(['GET', 'HEAD', 'OPTIONS'].map((method) => ({ method })));
    expect(rest.name).toBe('public');
  });

  test('header and query matches: prefix and present become regexes; exact and regex paths', () => {
    const { chart, subsets, v1, v2 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    routes.addRule('exact', { match: [{ uri: StringMatch.exact('/health') }], to: Destination.subset(v2) });
    routes.addRule('beta', {
      match: [{ headers: { 'x-plan': StringMatch.prefix('beta.'), 'x-user': StringMatch.present() }, queryParams: { preview: StringMatch.regex('yes|1') } }],
      to: Destination.subset(v2),
    });
    routes.addDefaultRule('rest', { to: Destination.subset(v1) });
    const [exact, beta] = httpRoute(chart).spec.rules;
    expect(exact.matches).toEqual([{ path: { type: 'Exact', value: '/health' } }]);
    expect(beta.matches).toEqual([{
      headers: [{ name: 'x-plan', type: 'RegularExpression', value: 'beta\\..*' }, { name: 'x-user', type: 'RegularExpression', value: '.*' }],
      queryParams: [{ name: 'preview', type: 'RegularExpression', value: 'yes|1' }],
    }]);
  });

  test('the schema check reads the committed HTTPRoute schema: a VirtualService-style duration fails it', () => {
    const manifest = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'x' }, spec: { rules: [{ timeouts: { request: '1.5s' } }] } };
    expect(gatewaySchemaErrors(manifest)).toEqual(['HTTPRoute x: /spec/rules/0/timeouts/request must match pattern "^([0-9]{1,5}(h|m|s|ms)){1,4}$"']);
  });

  test('traffic policies follow to the version Services: one DestinationRule each, the subset\'s fields over the host\'s', () => {
    const { chart, subsets, v1 } = versions({
      trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 100 } }, outlierDetection: { consecutive5xxErrors: 5 } },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 10 } } } },
      ],
    });
    // None while only VirtualServices route to the subsets.
    expect(synth(chart).filter((m) => m.kind === 'DestinationRule')).toHaveLength(1);
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    subsets.addSubset({ name: 'v3', labels: { version: 'v3' } });
    httpRoute(chart);
    const rules = synth(chart).filter((m) => m.kind === 'DestinationRule' && m.spec.host !== HOST);
    const policy = (pending: number) => ({
      connectionPool: { http: { http1MaxPendingRequests: pending } },
      outlierDetection: { consecutive5xxErrors: 5 },
    });
    expect(rules.map((r) => [r.metadata, r.spec])).toEqual([
      [{ name: 'checkout-service-v1', namespace: 'prod' }, { host: 'checkout-service-v1.prod.svc.cluster.local', trafficPolicy: policy(100) }],
      [{ name: 'checkout-service-v2', namespace: 'prod' }, { host: 'checkout-service-v2.prod.svc.cluster.local', trafficPolicy: policy(10) }],
      [{ name: 'checkout-service-v3', namespace: 'prod' }, { host: 'checkout-service-v3.prod.svc.cluster.local', trafficPolicy: policy(100) }],
    ]);
  });

  test('the VirtualService output stays the default, and writes no HTTPRoute', () => {
    const { chart, subsets, v1 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    expect(routes.output.kind).toBe('VirtualService');
    expect(routes.httpRoute).toBeUndefined();
    expect(synth(chart).map((m) => m.kind)).toEqual(['Service', 'Service', 'DestinationRule', 'VirtualService']);
  });
});

describe('nothing is dropped: every key of an Istio HTTP rule is translated or an error', () => {
  // The keys the generated type has, read from its toJson function.
  const keysOf = (toJson: (x: any) => any) => {
    const seen: string[] = [];
    toJson(new Proxy({}, { get: (_, key) => { if (typeof key === 'string') seen.push(key); return undefined; } }));
    return seen.sort();
  };

  test('the lists cover the generated types exactly', () => {
    expect(keysOf(toJson_VirtualServiceSpecHttp)).toEqual([...TRANSLATED_RULE_KEYS, ...Object.keys(UNSUPPORTED_RULE_KEYS)].sort());
    expect(keysOf(toJson_VirtualServiceSpecHttpMatch)).toEqual([...TRANSLATED_MATCH_KEYS, ...Object.keys(UNSUPPORTED_MATCH_KEYS)].sort());
    expect(keysOf(toJson_VirtualServiceSpecHttpRoute)).toEqual([...TRANSLATED_DESTINATION_KEYS].sort());
    expect(keysOf(toJson_VirtualServiceSpecHttpRetries)).toEqual([...TRANSLATED_RETRY_KEYS, ...Object.keys(UNSUPPORTED_RETRY_KEYS)].sort());
  });

  test.each(Object.keys(UNSUPPORTED_RETRY_KEYS))('retries key %s is an error naming the field and the alternative', (key) => {
    expect(translate({ retries: { attempts: 2, [key]: true } })).toThrow(`test/subsets: rule.retries.${key}: ${UNSUPPORTED_RETRY_KEYS[key]}; use RouteOutput.virtualService() for this route`);
  });

  test('a retry backoff is the HTTPRoute retry\'s backoff, in Gateway API\'s duration form', () => {
    const { subsets } = versions();
    const [rule] = toHttpRoute({ site: ruleSite(subsets, 'rule'), subsets }, [{ route: [{ destination: { host: HOST, subset: 'v1' } }], retries: { attempts: 3, backoff: '0.25s' } }]);
    expect(rule.retry).toEqual({ attempts: 3, backoff: '250ms', codes: [503] });
  });

  const translate = (rule: any) => {
    const { subsets } = versions();
    return () => toHttpRoute({ site: ruleSite(subsets, 'rule'), subsets }, [{ route: [{ destination: { host: HOST, subset: 'v1' } }], ...rule }]);
  };

  test.each(Object.keys(UNSUPPORTED_RULE_KEYS))('rule key %s is an error naming the alternative', (key) => {
    expect(translate({ [key]: {} })).toThrow(`${UNSUPPORTED_RULE_KEYS[key]}; use RouteOutput.virtualService() for this route`);
  });

  test.each(Object.keys(UNSUPPORTED_MATCH_KEYS))('match key %s is an error naming the field and the alternative', (key) => {
    expect(translate({ match: [{ [key]: 'x' }] })).toThrow(`test/subsets: rule.match[0].${key}: ${UNSUPPORTED_MATCH_KEYS[key]}; use RouteOutput.virtualService() for this route`);
  });

  test('a destination outside the subsets is an error', () => {
    expect(translate({ route: [{ destination: { host: 'other.prod.svc.cluster.local' } }] })).toThrow('rule.to[0]: a destination other than a subset of "checkout-service.prod.svc.cluster.local" cannot be expressed');
  });
});

describe('what an HTTPRoute cannot express is a construct error naming the field and the Istio-API alternative', () => {
  const mesh = () => {
    const { chart, subsets, v1, v2 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    return { chart, subsets, routes, v1, v2 };
  };
  const ALT = 'use RouteOutput.virtualService() for this route';

  test('sourceLabels (a Canary\'s QA workload as testers)', () => {
    const { chart, v1, v2 } = versions();
    expect(() => new Canary(chart, 'canary', {
      stable: v1,
      canary: v2,
      stage: CanaryStage.percent(5),
      monitoring: false,
      testers: [{ sourceLabels: { app: 'qa-runner' } }],
      output: RouteOutput.meshHttpRoute(),
    })).toThrow(`test/canary: testers[0].sourceLabels: sourceLabels cannot be expressed on an HTTPRoute (Gateway API matches requests, not their senders); ${ALT}`);
  });

  test('sourceNamespace, withoutHeaders, ignoreUriCase, port', () => {
    const { routes, v2 } = mesh();
    expect(() => routes.addRule('a', { match: [{ sourceNamespace: 'qa' }], to: Destination.subset(v2) })).toThrow('test/routes: rules["a"].match[0].sourceNamespace: sourceNamespace cannot be expressed on an HTTPRoute');
    expect(() => routes.addRule('b', { match: [{ withoutHeaders: { 'x-a': StringMatch.present() }, headers: { 'x-b': StringMatch.exact('1') } }], to: Destination.subset(v2) }))
      .toThrow('test/routes: rules["b"].match[0].withoutHeaders: withoutHeaders cannot be expressed on an HTTPRoute (Gateway API has no negated match)');
    expect(() => routes.addRule('c', { match: [{ uri: StringMatch.prefix('/a'), ignoreUriCase: true }], to: Destination.subset(v2) })).toThrow('test/routes: rules["c"].match[0].ignoreUriCase: ignoreUriCase cannot be expressed on an HTTPRoute; use a (?i) regex uri');
    expect(() => routes.addRule('d', { match: [{ port: 8080 }], to: Destination.subset(v2) })).toThrow('test/routes: rules["d"].match[0].port: port cannot be expressed in an HTTPRoute match');
  });

  test('fault injection', () => {
    const { routes, v1 } = mesh();
    expect(() => routes.addDefaultRule('all', { to: Destination.subset(v1), fault: { abort: { httpStatus: 503, percentage: 1 } } }))
      .toThrow(`test/routes: defaultRule["all"].fault: fault injection cannot be expressed on an HTTPRoute (Gateway API has no fault filter); ${ALT}`);
  });

  test('retry conditions other than connection failures and status codes, and retryRemoteLocalities', () => {
    const { routes, v1 } = mesh();
    expect(() => routes.addDefaultRule('all', { to: Destination.subset(v1), retries: { attempts: 2, retryOn: [RetryOn.FIVE_XX] } }))
      .toThrow('test/routes: defaultRule["all"].retries.retryOn: the retry condition "5xx" cannot be expressed on an HTTPRoute, whose retries in Istio 1.30 are on connect-failure, refused-stream, unavailable, cancelled and the status codes listed; list status codes (RetryOn.statusCode(503))');
    expect(() => routes.addDefaultRule('all', { to: Destination.subset(v1), retries: { attempts: 2, retryRemoteLocalities: true } }))
      .toThrow('test/routes: defaultRule["all"].retries.retryRemoteLocalities: retryRemoteLocalities cannot be expressed on an HTTPRoute');
  });

  test('a per-try timeout longer than the timeout, which an HTTPRoute rejects', () => {
    const { routes, v1 } = mesh();
    expect(() => routes.addDefaultRule('all', { to: Destination.subset(v1), timeout: Duration.seconds(1), retries: { attempts: 2, perTryTimeout: Duration.seconds(2) } }))
      .toThrow('test/routes: defaultRule["all"].retries.perTryTimeout: the per-try timeout 2s is longer than the rule\'s timeout 1s');
  });

  test('a later rule that an HTTPRoute would try first', () => {
    const { routes, v1, v2 } = mesh();
    routes.addRule('testers', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(v2) });
    expect(() => routes.addRule('api', { match: [{ uri: StringMatch.prefix('/api') }], to: Destination.subset(v1) }))
      .toThrow(`test/routes: rules["api"].match: on an HTTPRoute, Istio tries rule "api" before rule "testers", whatever their order (an exact or longer path, a method, more headers or query parameters come first), so it would take requests that rule "testers" takes here; give rule "testers" conditions that rank as high, or ${ALT}`);
  });

  test('a regex path, which Istio tries after every prefix, even the default\'s "/"', () => {
    const { routes, v1, v2 } = mesh();
    routes.addRule('versioned', { match: [{ uri: StringMatch.regex('/v[0-9]+/.*') }], to: Destination.subset(v2) });
    expect(() => routes.addDefaultRule('rest', { to: Destination.subset(v1) }))
      .toThrow('test/routes: defaultRule["rest"].match: on an HTTPRoute, Istio tries rule "rest" before rule "versioned"');
  });

  test('more than 16 rules', () => {
    const { routes, v2 } = mesh();
    for (let i = 0; i < 16; i++) routes.addRule(`r${i}`, { match: [{ headers: { [`x-r${i}`]: StringMatch.exact('1') } }], to: Destination.subset(v2) });
    expect(() => routes.addRule('r16', { match: [{ headers: { 'x-r16': StringMatch.exact('1') } }], to: Destination.subset(v2) }))
      .toThrow('test/routes: rules["r16"]: the route would have 17 HTTPRoute rules, and an HTTPRoute holds at most 16');
  });

  test('subsets without version Services, or a host that is no Service', () => {
    const chart = Testing.chart();
    const plain = new Subsets(chart, 'plain', { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(() => new CompositeRoute(chart, 'a', { subsets: plain, output: RouteOutput.meshHttpRoute() }))
      .toThrow(`test/a: output: an HTTPRoute routes to Services, and test/plain writes no version Services; set versionServices on it (Subsets.fromWorkloads: versionServices: true), or ${ALT}`);
    const external = new Subsets(chart, 'external', { host: 'checkout.example.com', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(() => new CompositeRoute(chart, 'c', { subsets: external, output: RouteOutput.meshHttpRoute() }))
      .toThrow('test/c: subsets: "checkout.example.com" is not the name of a Kubernetes Service');
  });

  test('a mesh HTTPRoute lives in its Service\'s namespace: another one would make it a consumer route', () => {
    const { chart, subsets, v1 } = versions();
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    const route = httpRoute(chart);
    expect(route.metadata.namespace).toBe('prod');
    // Route and version Services share the namespace: the backendRefs name none.
    expect(route.spec.rules[0].backendRefs).toEqual([backend('v1')]);
    expect(() => new CompositeRoute(chart, 'elsewhere', { subsets, output: RouteOutput.meshHttpRoute(), metadata: { namespace: 'shop' } }))
      .toThrow('test/elsewhere: metadata.namespace: a mesh HTTPRoute in namespace "shop" would route only the clients in "shop" (a GAMMA consumer route), not every client of "checkout-service.prod.svc.cluster.local"; write it in the Service\'s namespace "prod"');
    const other = new Chart(Testing.app(), 'other', { namespace: 'shop' });
    const otherSubsets = new Subsets(other, 'subsets', { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }], versionServices: VERSION_SERVICES });
    expect(() => new CompositeRoute(other, 'routes', { subsets: otherSubsets, output: RouteOutput.meshHttpRoute() })).toThrow('other/routes: output: a mesh HTTPRoute in namespace "shop"');
  });

  test('a Gateway route in the version Services\' namespace names them plainly; elsewhere with their namespace', () => {
    const { chart, subsets, v1 } = versions();
    const here = new CompositeRoute(chart, 'here', { subsets, hosts: ['shop.example.com'], output: PUBLIC_GATEWAY, metadata: { namespace: 'prod' } });
    here.addDefaultRule('all', { to: Destination.subset(v1) });
    expect(here.httpRoute!.toJson().spec.rules[0].backendRefs).toEqual([backend('v1')]);
    const there = new CompositeRoute(chart, 'there', { subsets, hosts: ['shop.example.com'], output: PUBLIC_GATEWAY, metadata: { namespace: 'istio-ingress' } });
    there.addDefaultRule('all', { to: Destination.subset(v1) });
    expect(there.httpRoute!.toJson().spec.rules[0].backendRefs).toEqual([{ ...backend('v1'), namespace: 'prod' }]);
    synth(chart);
  });

  test('gateways with an HTTPRoute output; other hosts on a mesh HTTPRoute; output beside route on a preset', () => {
    const { chart, subsets, v1, v2 } = versions();
    expect(() => new CompositeRoute(chart, 'a', { subsets, gateways: ['istio-system/public'], output: PUBLIC_GATEWAY }))
      .toThrow('test/a: gateways: an HTTPRoute is bound by its output, not by gateways; use RouteOutput.gatewayHttpRoute({ name, namespace }) for a Gateway');
    expect(() => new CompositeRoute(chart, 'b', { subsets, hosts: ['shop.example.com'], output: RouteOutput.meshHttpRoute() }))
      .toThrow('test/b: hosts: a mesh HTTPRoute applies to its parent, the Service of "checkout-service.prod.svc.cluster.local", so "shop.example.com" cannot be routed by it');
    const route = new CompositeRoute(chart, 'c', { subsets });
    expect(() => new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2 }], route, output: RouteOutput.meshHttpRoute() }))
      .toThrow('test/mirror: output: the preset adds its rules to test/c, whose hosts, gateways, metadata and output apply; set them on that CompositeRoute instead');
  });

  test('several ports without a port on the output; the VirtualService of an HTTPRoute output', () => {
    const { chart, subsets, v1 } = versions({ versionServices: { selector: { app: 'checkout' }, ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'grpc' }] } });
    const routes = new CompositeRoute(chart, 'routes', { subsets, output: RouteOutput.meshHttpRoute() });
    expect(() => routes.addDefaultRule('all', { to: Destination.subset(v1) }))
      .toThrow('test/routes: defaultRule["all"].to[0]: the version Services of test/subsets have 2 ports, and a backendRef names one; give the output a port');
    expect(() => routes.resource).toThrow('test/routes: resource: the route writes an HTTPRoute (output), not a VirtualService; use httpRoute');
    routes.node.tryRemoveChild('Resource');
    chart.node.tryRemoveChild('routes');
    const ported = new CompositeRoute(chart, 'ported', { subsets, output: RouteOutput.meshHttpRoute({ port: 9090 }) });
    ported.addDefaultRule('all', { to: Destination.subset(v1) });
    const route = synth(chart).find((m) => m.kind === 'HTTPRoute' && m.metadata.name.includes('ported'));
    expect(route.spec.parentRefs).toEqual([{ ...MESH_PARENT, port: 9090 }]);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'checkout-service-v1', port: 9090 }]);
  });

  test('a sticky split on a mesh HTTPRoute needs the cookie\'s forwarders, as on sidecars', () => {
    const { chart, v1, v2 } = versions();
    expect(() => new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], output: RouteOutput.meshHttpRoute() }))
      .toThrow(/^test\/sticky: output: the route applies to sidecars only.*attach the route to the Gateway the users come through \(RouteOutput\.gatewayHttpRoute\(\{ name, namespace \}\)\)/);
    chart.node.tryRemoveChild('sticky');
    new StickySplit(chart, 'ok', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], output: RouteOutput.meshHttpRoute(), cookie: { forwardedBy: FORWARDED } });
    expect(httpRoute(chart).spec.rules).toHaveLength(3);
  });
});

void ApiObject;
