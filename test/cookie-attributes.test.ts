/**
 * The attributes of a hash cookie (`consistentHash.httpCookie.attributes`), as Istio 1.30's webhook checks
 * them: each needs a name, and no name twice. The L2 API writes no attributes (`HashCookieOptions`), so the
 * rule is the checker's; its predicate is `cookieAttributeFindings`.
 */
import { checkManifests } from '../src/private/validation/checker';
import { cookieAttributeFindings } from '../src/private/validation/traffic-policy-checks';
import { IstioChecker } from '../src/validation/istio-checker';

function withAttributes(attributes: unknown, at: 'top' | 'subset' | 'port' = 'top'): any {
  const loadBalancer = { consistentHash: { httpCookie: { name: 'session', ttl: '3600s', attributes } } };
  const spec: any = { host: 'cart.shop.svc.cluster.local' };
  if (at === 'top') spec.trafficPolicy = { loadBalancer };
  if (at === 'subset') spec.subsets = [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { loadBalancer } }];
  if (at === 'port') spec.trafficPolicy = { portLevelSettings: [{ port: { number: 80 }, loadBalancer }] };
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'cart', namespace: 'shop' }, spec };
}

const findings = (manifest: any) => IstioChecker.check([manifest]).map((f) => `${f.severity} ${f.code} ${f.field}: ${f.message}`);

test('attributes with names of their own are valid', () => {
  expect(findings(withAttributes([{ name: 'SameSite', value: 'Lax' }, { name: 'Secure' }, { name: 'Partitioned' }]))).toEqual([]);
  expect(findings(withAttributes([]))).toEqual([]);
});

test('an attribute without a name, or with an empty one, is an error', () => {
  const at = 'spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes';
  const manifest = withAttributes([{ name: '' }, { value: 'x' }, null]);
  // Istio's webhook rule alone names all three.
  expect(checkManifests([manifest], { apiServer: false }).map((f) => `${f.severity} ${f.code} ${f.field}: ${f.message}`)).toEqual([
    `error LB_INVALID ${at}[0].name: the cookie attribute has no name; name it, e.g. "SameSite", or remove it`,
    `error LB_INVALID ${at}[1].name: the cookie attribute has no name; name it, e.g. "SameSite", or remove it`,
    `error LB_INVALID ${at}[2].name: the cookie attribute has no name; name it, e.g. "SameSite", or remove it`,
  ]);
  // The whole check reports once what the API server rejects first (a missing required name, a null entry).
  expect(findings(manifest)).toEqual([
    `error LB_INVALID ${at}[0].name: the cookie attribute has no name; name it, e.g. "SameSite", or remove it`,
    `error SCHEMA_REQUIRED_MISSING ${at}[1].name: the required field "name" is missing; set it`,
    `error SPEC_TYPE_INVALID ${at}[2]: expected a mapping, found null; write a mapping`,
  ]);
});

test('a name given twice is an error on the second, in every traffic policy', () => {
  const twice = [{ name: 'SameSite', value: 'Lax' }, { name: 'Secure' }, { name: 'SameSite', value: 'Strict' }];
  expect(findings(withAttributes(twice))).toEqual([
    'error LB_INVALID spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[2].name: the cookie attribute "SameSite" is set twice; keep one',
  ]);
  expect(findings(withAttributes(twice, 'subset')).map((f) => f.split(':')[0])).toEqual([
    'error LB_INVALID spec.subsets[0].trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[2].name',
  ]);
  expect(findings(withAttributes(twice, 'port')).map((f) => f.split(':')[0])).toEqual([
    'error LB_INVALID spec.trafficPolicy.portLevelSettings[0].loadBalancer.consistentHash.httpCookie.attributes[2].name',
  ]);
});

test('a name of the wrong type is a type error only', () => {
  expect(findings(withAttributes([{ name: 7 }])).map((f) => f.split(':')[0])).toEqual([
    'error SPEC_TYPE_INVALID spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.attributes[0].name',
  ]);
});

test('the predicate: positions and findings, names compared as written, undefined skipped', () => {
  expect(cookieAttributeFindings(['a', 'A', '', 'a', undefined])).toEqual([
    { index: 2, finding: { code: 'LB_INVALID', message: 'the cookie attribute has no name; name it, e.g. "SameSite", or remove it' } },
    { index: 3, finding: { code: 'LB_INVALID', message: 'the cookie attribute "a" is set twice; keep one' } },
  ]);
});
