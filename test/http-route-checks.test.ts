/**
 * The checker on Gateway API HTTPRoutes (issue 17, point 4): what the API server rejects (schema and CEL), what
 * Istio's Gateway API controller cannot use (per object), and across objects a backendRef to a version Service
 * the set leaves out and an HTTPRoute and a VirtualService for one host. Fixtures in test/http-route/.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { main } from '../src/cli';
import { HttpRoute } from '../src/imports/gateway-gateway.networking.k8s.io';
import { httpRouteFindings } from '../src/private/validation/http-route-checks';
import { IstioChecker } from '../src/validation/istio-checker';

const FIXTURES = join(__dirname, 'http-route');

function fixture(name: string): any[] {
  return parseAllDocuments(readFileSync(join(FIXTURES, name), 'utf-8')).map((d) => d.toJS());
}

test('the fixtures are what the tests say: the canary routes by header, then 95/5 with a 10% mirror', () => {
  const [, , , canary] = fixture('canary.yaml');
  expect(canary.spec.rules.map((r: any) => r.name)).toEqual(['testers', 'split']);
  expect(canary.spec.rules[0].matches).toEqual([{ headers: [{ name: 'x-tester', value: 'yes' }] }]);
  expect(canary.spec.rules[1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([['reviews-v1', 95], ['reviews-v2', 5]]);
  expect(canary.spec.rules[1].filters[0].requestMirror.percent).toBe(10);
  expect(fixture('mixed.yaml').map((o) => o.kind)).toEqual(['Service', 'Service', 'HTTPRoute', 'VirtualService', 'DestinationRule']);
});

function check(args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
  try {
    return { code: main(['check', ...args]), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** `code field` of each finding. */
function found(manifests: any[]): string[] {
  return IstioChecker.check(manifests).map((f) => `${f.code} ${f.kind} ${f.field}`);
}

const route = (spec: { [key: string]: any }, metadata: object = { name: 'reviews', namespace: 'shop' }, apiVersion = 'gateway.networking.k8s.io/v1') =>
  ({ apiVersion, kind: 'HTTPRoute', metadata, spec });
const service = (name: string, ports: number[] = [9080], namespace = 'shop') =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: name }, ports: ports.map((port) => ({ port })) } });
const GAMMA = { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }] };
const split = (...backends: object[]) => ({ ...GAMMA, rules: [{ backendRefs: backends }] });

describe('check reads HTTPRoutes and Services', () => {
  test('a file mixing Service, HTTPRoute, VirtualService and DestinationRule: each is read, findings on both routing kinds', () => {
    const result = check([join(FIXTURES, 'mixed.yaml')]);
    expect(result.code).toBe(1);
    expect(result.out.map((line) => line.split(':')[0])).toEqual([
      'ERROR XO_BACKEND_NOT_FOUND HTTPRoute shop/reviews spec.rules[0].backendRefs[1].name',
      'INFO HOST_SHORT_NAME VirtualService shop/reviews spec.hosts[0]',
      'ERROR XO_HTTP_ROUTE_VS_CONFLICT VirtualService shop/reviews spec.hosts[0]',
    ]);
    expect(result.out[0]).toContain('no Service shop/reviews-v2 in the checked set, which defines Service shop/reviews, Service shop/reviews-v1');
    expect(result.out[2]).toContain('HTTPRoute shop/reviews also routes "reviews.shop.svc.cluster.local" on the mesh');
    // The Services are read, not counted: the HTTPRoute, the VirtualService and the DestinationRule are.
    expect(result.err[0]).toBe('3 Istio objects checked: 2 errors, 0 warnings, 1 info');
  });

  test('the article\'s canary on Gateway API (testers by header, then 95/5 with a 10% mirror, timeouts and retry), with its version Services: no finding', () => {
    const result = check([join(FIXTURES, 'canary.yaml')]);
    expect(result).toEqual({ code: 0, out: [], err: ['1 Istio object checked: 0 errors, 0 warnings, 0 info'] });
  });

  test('what Istio\'s controller cannot use and what the API server rejects, each once, in `check`', () => {
    const result = check([join(FIXTURES, 'broken.yaml')]);
    expect(result.code).toBe(1);
    expect(result.out.map((line) => line.split(':')[0])).toEqual([
      'ERROR HR_NO_SERVING_BACKEND HTTPRoute default/checkout spec.rules[0].backendRefs',
      'ERROR HR_BACKEND_KIND_UNSUPPORTED HTTPRoute default/checkout spec.rules[1].backendRefs[1].kind',
      'ERROR HR_BACKEND_PORT_MISSING HTTPRoute default/checkout spec.rules[1].backendRefs[2]',
      'WARNING HR_SESSION_PERSISTENCE_IGNORED HTTPRoute default/checkout spec.rules[1].sessionPersistence',
      'ERROR HR_FILTER_UNSUPPORTED HTTPRoute default/checkout spec.rules[2].backendRefs[0].filters[0].type',
      'ERROR HR_FILTER_UNSUPPORTED HTTPRoute default/checkout spec.rules[2].filters[0].type',
      'ERROR CEL_RULE_VIOLATED HTTPRoute default/checkout spec.rules[3].backendRefs[0]',
      'ERROR CEL_RULE_VIOLATED HTTPRoute default/checkout spec.rules[3].matches[0].path',
    ]);
    expect(result.out[6]).toContain('Must have port for Service reference');
    expect(result.out[7]).toContain("value must be an absolute path and start with '/'");
  });

  test('v1beta1 is checked against the same schema as v1; Gateway API Gateways, other routes and other kinds are not counted', () => {
    const beta = route({ rules: [{ backendRefs: [{ name: 'reviews-v1', port: 9080, wieght: 1 }] }] }, { name: 'r' }, 'gateway.networking.k8s.io/v1beta1');
    const findings = IstioChecker.check([beta]);
    expect(findings.map((f) => [f.code, f.field])).toEqual([['SCHEMA_UNKNOWN_FIELD', 'spec.rules[0].backendRefs[0].wieght']]);
    expect(findings[0].message).toContain('did you mean "weight"?');
    const others = [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: {} },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', metadata: { name: 'g' }, spec: { rules: [{}] } },
      { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'HTTPRoute', metadata: { name: 'old' }, spec: { rules: [{}] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'reviews' } },
      service('reviews'),
    ];
    expect(others.filter((o) => IstioChecker.isChecked(o))).toEqual([]);
    expect(IstioChecker.isChecked(beta)).toBe(true);
    expect(IstioChecker.check(others)).toEqual([]);
  });

  test('match limits are the API server\'s: 16 header matches, 128 matches in all; no rule of Istio\'s repeats them', () => {
    const headers = Array.from({ length: 17 }, (_, i) => ({ name: `x-h${i}`, value: 'v' }));
    const many = Array.from({ length: 43 }, () => ({ path: { type: 'PathPrefix', value: '/' } }));
    const findings = IstioChecker.check([route({
      rules: [
        { matches: [{ headers }], backendRefs: [{ name: 'a', port: 80 }] },
        { matches: many, backendRefs: [{ name: 'a', port: 80 }] }, { matches: many, backendRefs: [{ name: 'a', port: 80 }] }, { matches: many, backendRefs: [{ name: 'a', port: 80 }] },
      ],
    })]);
    expect(findings.map((f) => [f.code, f.field, f.message.split(';')[0]])).toEqual([
      ['CEL_RULE_VIOLATED', 'spec.rules', 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128'],
      ['SCHEMA_VALUE_INVALID', 'spec.rules[0].matches[0].headers', 'more than 16 entries'],
    ]);
  });
});

describe('per HTTPRoute: what Istio\'s Gateway API controller does with it', () => {
  test('HR_NO_SERVING_BACKEND: all weights 0, or no backendRefs; a backendRef without weight weighs 1; a redirect needs none', () => {
    const rule = (r: object) => httpRouteFindings({ rules: [r] }).map((f) => [f.finding.code, f.field]);
    expect(rule({ backendRefs: [{ name: 'v1', port: 80, weight: 0 }, { name: 'v2', port: 80, weight: 0 }] })).toEqual([['HR_NO_SERVING_BACKEND', 'spec.rules[0].backendRefs']]);
    expect(rule({ matches: [{ path: { type: 'Exact', value: '/' } }] })).toEqual([['HR_NO_SERVING_BACKEND', 'spec.rules[0]']]);
    expect(rule({ backendRefs: [{ name: 'v1', port: 80, weight: 0 }, { name: 'v2', port: 80 }] })).toEqual([]);
    expect(rule({ backendRefs: [{ name: 'v1', port: 80, weight: 95 }, { name: 'v2', port: 80, weight: 3 }] })).toEqual([]);
    expect(rule({ filters: [{ type: 'RequestRedirect', requestRedirect: { hostname: 'example.com' } }] })).toEqual([]);
    expect(httpRouteFindings({ rules: [{}] })[0].finding.message).toBe('the rule has no backendRefs and no redirect, so Istio answers every request it matches with 500; add a backendRef');
  });

  test('HR_BACKEND_KIND_UNSUPPORTED and HR_BACKEND_PORT_MISSING: the kinds Istio routes to, on backendRefs and mirrors', () => {
    const findings = httpRouteFindings({
      rules: [{
        backendRefs: [
          { name: 'a', port: 80 },
          { name: 'b', group: 'multicluster.x-k8s.io', kind: 'ServiceImport', port: 80 },
          { name: 'c.example.com', group: 'networking.istio.io', kind: 'Hostname' },
          { name: 'd', group: 'example.com', kind: 'Backend', port: 80 },
        ],
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'e', kind: 'ConfigMap', group: '' } } }],
      }],
    });
    expect(findings.map((f) => [f.finding.code, f.field])).toEqual([
      ['HR_BACKEND_PORT_MISSING', 'spec.rules[0].backendRefs[2]'],
      ['HR_BACKEND_KIND_UNSUPPORTED', 'spec.rules[0].backendRefs[3].kind'],
      ['HR_BACKEND_KIND_UNSUPPORTED', 'spec.rules[0].filters[0].requestMirror.backendRef.kind'],
    ]);
    expect(findings[1].finding.message).toMatch(/^Istio does not route to a backendRef of kind "example.com\/Backend", so its share of the requests fails with 500/);
    expect(findings[2].finding.message).toMatch(/of kind "ConfigMap", so the mirror is dropped/);
  });

  test('HR_FILTER_UNSUPPORTED: ExtensionRef and ExternalAuth on a rule, anything but the header modifiers on a backendRef', () => {
    const findings = httpRouteFindings({
      rules: [{
        filters: [{ type: 'CORS', cors: {} }, { type: 'RequestMirror' }, { type: 'ExternalAuth' }],
        backendRefs: [{ name: 'a', port: 80, filters: [{ type: 'ResponseHeaderModifier' }, { type: 'RequestMirror' }] }],
      }],
    });
    expect(findings.map((f) => [f.finding.code, f.field])).toEqual([
      ['HR_FILTER_UNSUPPORTED', 'spec.rules[0].filters[2].type'],
      ['HR_FILTER_UNSUPPORTED', 'spec.rules[0].backendRefs[0].filters[1].type'],
    ]);
    expect(findings[0].finding.message).toMatch(/^Istio 1.30 does not implement the "ExternalAuth" filter on a rule, so it does not program this HTTPRoute at all/);
  });

  test('HR_SESSION_PERSISTENCE_IGNORED: a warning that says to pin with a version cookie', () => {
    const findings = IstioChecker.check([route(split({ name: 'reviews-v1', port: 9080 }))].map((r) => {
      r.spec.rules[0] = { ...r.spec.rules[0], sessionPersistence: { sessionName: 'v', type: 'Cookie' } } as any;
      return r;
    }));
    expect(findings.map((f) => [f.severity, f.code, f.field])).toEqual([['warning', 'HR_SESSION_PERSISTENCE_IGNORED', 'spec.rules[0].sessionPersistence']]);
    expect(findings[0].message).toContain('pin users with a version cookie');
  });
});

describe('an HTTPRoute\'s metadata', () => {
  test('the API server\'s name rule holds for it; Istio\'s annotation rule does not (its webhook never sees HTTPRoutes)', () => {
    const spec = split({ name: 'reviews-v1', port: 9080 });
    const badName = IstioChecker.check([route(spec, { name: 'Reviews_Route', namespace: 'shop' })]);
    expect(badName.map((f) => [f.code, f.field])).toEqual([['OBJECT_NAME_INVALID', 'metadata.name']]);
    const istioAnnotation = IstioChecker.check([route(spec, { name: 'reviews', namespace: 'shop', annotations: { 'istio.io/dry-run': 'true' } })]);
    expect(istioAnnotation).toEqual([]);
  });
});

describe('across objects', () => {
  test('XO_BACKEND_NOT_FOUND: only when the set holds the route\'s parent Service or another of its backends', () => {
    const r = route(split({ name: 'reviews-v1', port: 9080, weight: 95 }, { name: 'reviews-v2', port: 9080, weight: 5 }));
    // Routes alone, or with unrelated Services: the Services are deployed elsewhere.
    expect(found([r])).toEqual([]);
    expect(found([r, service('ratings')])).toEqual([]);
    // The host Service is in the set: its version Services must be too.
    expect(found([r, service('reviews')])).toEqual([
      'XO_BACKEND_NOT_FOUND HTTPRoute spec.rules[0].backendRefs[0].name',
      'XO_BACKEND_NOT_FOUND HTTPRoute spec.rules[0].backendRefs[1].name',
    ]);
    // A sibling version Service is in the set, not the host.
    expect(found([r, service('reviews-v1')])).toEqual(['XO_BACKEND_NOT_FOUND HTTPRoute spec.rules[0].backendRefs[1].name']);
    // The same name in another namespace is another Service.
    expect(found([r, service('reviews'), service('reviews-v1'), service('reviews-v2', [9080], 'web')])).toEqual(['XO_BACKEND_NOT_FOUND HTTPRoute spec.rules[0].backendRefs[1].name']);
    expect(found([r, service('reviews'), service('reviews-v1'), service('reviews-v2')])).toEqual([]);
  });

  test('XO_BACKEND_NOT_FOUND: a backendRef\'s own namespace, a mirror\'s backend, and a port the Service does not have', () => {
    const r = route({
      ...GAMMA,
      rules: [{
        backendRefs: [{ name: 'reviews-v1', port: 9090 }],
        filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'reviews-v2', namespace: 'canary', port: 9080 } } }],
      }],
    });
    const findings = IstioChecker.check([r, service('reviews'), service('reviews-v1'), service('reviews-v2')]);
    expect(findings.map((f) => [f.code, f.field])).toEqual([
      ['XO_BACKEND_NOT_FOUND', 'spec.rules[0].backendRefs[0].port'],
      ['XO_BACKEND_NOT_FOUND', 'spec.rules[0].filters[0].requestMirror.backendRef.name'],
    ]);
    expect(findings[0].message).toBe('Service shop/reviews-v1 has no port 9090 (its ports: 9080), so its share of the requests fails with 500; use one of its ports');
    expect(findings[1].message).toMatch(/^no Service canary\/reviews-v2 in the checked set, .* and the mirror copies nothing;/);
  });

  test('XO_HTTP_ROUTE_VS_CONFLICT: a mesh VirtualService for the host of the HTTPRoute\'s parent Service, by short or full name', () => {
    const r = route(split({ name: 'reviews-v1', port: 9080 }));
    const vs = (namespace: string, host: string, gateways?: string[]) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace },
      spec: { hosts: [host], ...(gateways ? { gateways } : {}), http: [{ route: [{ destination: { host: 'reviews.shop.svc.cluster.local' } }] }] },
    });
    const conflicts = (o: any) => IstioChecker.check([r, o]).filter((f) => f.code === 'XO_HTTP_ROUTE_VS_CONFLICT').map((f) => `${f.namespace}/${f.name} ${f.field}`);
    expect(conflicts(vs('shop', 'reviews'))).toEqual(['shop/reviews spec.hosts[0]']);
    expect(conflicts(vs('web', 'reviews.shop.svc.cluster.local', ['mesh', 'istio-system/public']))).toEqual(['web/reviews spec.hosts[0]']);
    // Another namespace's short name is another Service; a gateway-only VirtualService is not the mesh's.
    expect(conflicts(vs('web', 'reviews'))).toEqual([]);
    expect(conflicts(vs('shop', 'reviews', ['istio-system/public']))).toEqual([]);
    // An HTTPRoute on a Gateway (ingress) is not a mesh route.
    const ingress = route({ parentRefs: [{ name: 'public', namespace: 'istio-ingress' }], hostnames: ['reviews.example.com'], rules: [{ backendRefs: [{ name: 'reviews-v1', port: 9080 }] }] });
    expect(IstioChecker.check([ingress, vs('shop', 'reviews')]).map((f) => f.code)).toEqual(['HOST_SHORT_NAME']);
    const message = IstioChecker.check([r, vs('shop', 'reviews')]).find((f) => f.code === 'XO_HTTP_ROUTE_VS_CONFLICT')!.message;
    expect(message).toBe('HTTPRoute shop/reviews also routes "reviews.shop.svc.cluster.local" on the mesh (parentRef Service shop/reviews); Istio uses the HTTPRoute\'s rules for it and ignores this VirtualService\'s, in sidecars and waypoints alike; keep the routing in one of them');
  });
});

describe('at synth', () => {
  test('the synth-time checker reads the app\'s HTTPRoutes and Services: a version Service left out fails synth, at the route\'s path', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ApiObject(chart, 'reviews-svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'reviews' }, spec: { selector: { app: 'reviews' }, ports: [{ port: 9080 }] } });
    new HttpRoute(chart, 'reviews-route', {
      metadata: { name: 'reviews' },
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'reviews', port: 9080 }], rules: [{ backendRefs: [{ name: 'reviews-v2', port: 9080 }] }] },
    });
    IstioChecker.enable(app);
    expect(IstioChecker.findings(app).map((f) => [f.code, f.path, f.field])).toEqual([['XO_BACKEND_NOT_FOUND', 'shop/reviews-route', 'spec.rules[0].backendRefs[0].name']]);
    expect(() => app.synth()).toThrow(/\[shop\/reviews-route\] XO_BACKEND_NOT_FOUND spec\.rules\[0\]\.backendRefs\[0\]\.name: no Service shop\/reviews-v2/);
  });
});
