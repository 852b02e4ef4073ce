/**
 * The public surface is the API and nothing else: src/index.ts exports the documented classes, enums and the
 * two L1 submodules (interfaces have no runtime name). A helper (a render function, a check) that leaks into
 * the index would show here, and in every binding jsii generates.
 */
import * as library from '../src';

/** The runtime names of the public API, sorted: what `require('cdk8s-istio-traffic')` holds. */
const PUBLIC_API = [
  'Canary',
  'CanaryAnalysis',
  'CanaryDashboard',
  'CanaryStage',
  'CompositeRoute',
  'Destination',
  'HashAlgorithm',
  'HashKey',
  'HttpMethod',
  'IstioChecker',
  'LoadBalancer',
  'Mirror',
  'MirrorMethods',
  'RetryOn',
  'RoutingModel',
  'SameSite',
  'Severity',
  'StickySplit',
  'StringMatch',
  'Subset',
  'Subsets',
  'TlsMode',
  'Warnings',
  'istio',
  'prometheus',
];

/** The L1 submodules, the only exports whose names are not those of a class or an enum. */
const SUBMODULES = ['istio', 'prometheus'];

const exported = library as unknown as { [name: string]: unknown };

test('src/index.ts exports exactly the public API', () => {
  expect(Object.keys(exported).sort()).toEqual(PUBLIC_API);
});

test('every export is a class, an enum or an L1 submodule, never a helper function', () => {
  for (const name of Object.keys(exported)) {
    const value = exported[name];
    if (SUBMODULES.includes(name)) {
      expect({ name, type: typeof value }).toEqual({ name, type: 'object' });
    } else if (typeof value === 'function') {
      // A class compiles to `class X ...`; a helper (renderRule, presetRoute, routeMatchToIstio) to a function.
      expect({ name, isClass: /^class\b/.test(Function.prototype.toString.call(value)) }).toEqual({ name, isClass: true });
    } else {
      // A TypeScript enum: an object of its members.
      expect({ name, type: typeof value }).toEqual({ name, type: 'object' });
    }
    expect(name).not.toMatch(/ToIstio$|^render|^check|^preset|^warn|^subsetsOf|^methods?(Of|Match)$|^markReported$|^wasReported$/);
    expect(SUBMODULES.includes(name) || /^[A-Z]/.test(name)).toBe(true);
  }
});
