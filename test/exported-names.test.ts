/**
 * The public surface is the API and nothing else: src/index.ts exports the documented classes, enums and the
 * two L1 submodules (interfaces have no runtime name). A helper (a render function, a check) that leaks into
 * the index would show here, and in every binding jsii generates.
 */
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
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
  'RouteOutput',
  'RoutingDiff',
  'RoutingModel',
  'RoutingSnapshot',
  'SameSite',
  'Severity',
  'StickySplit',
  'StringMatch',
  'Subset',
  'Subsets',
  'TlsMode',
  'Warnings',
  'gateway',
  'istio',
  'prometheus',
];

/** The L1 submodules, the only exports whose names are not those of a class or an enum. */
const SUBMODULES = ['gateway', 'istio', 'prometheus'];

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

/**
 * package.json's `exports` map: the main entry, the CLI bin, package.json and the jsii assembly (which jsii's
 * tools read through the package's name), nothing else. Node resolves a
 * package's own name from inside it through that map (self-reference), so this proves what a user's
 * `require('cdk8s-istio-traffic/lib/private/...')` would meet: ERR_PACKAGE_PATH_NOT_EXPORTED.
 */
describe('package.json exports', () => {
  const root = join(__dirname, '..');
  const EXPORTS = {
    '.': { types: './lib/index.d.ts', default: './lib/index.js' },
    './package.json': './package.json',
    './lib/cli.js': './lib/cli.js',
    './.jsii': './.jsii',
  };
  const SPECIFIERS = [
    'cdk8s-istio-traffic/lib/private/errors',
    'cdk8s-istio-traffic/lib/private/render/route-rule.js',
    'cdk8s-istio-traffic/lib/validation/istio-checker',
    'cdk8s-istio-traffic/lib/index.js',
    'cdk8s-istio-traffic/package.json',
  ];
  // Node's own resolver, in a child process: Jest's resolver maps the package's name to its folder (haste)
  // and would ignore the map. Each specifier resolves to a path or fails with an error code.
  const resolved: { [specifier: string]: { path?: string; code?: string } } = JSON.parse(execFileSync(process.execPath, ['-e', `
    const r = require('module').createRequire(${JSON.stringify(join(root, 'package.json'))});
    const out = {};
    for (const s of ${JSON.stringify(SPECIFIERS)}) {
      try { out[s] = { path: r.resolve(s) }; } catch (e) { out[s] = { code: e.code }; }
    }
    console.log(JSON.stringify(out));
  `], { cwd: root, encoding: 'utf-8' }));
  const resolveError = (specifier: string) => resolved[specifier].code;

  test('the map exports the main entry, the CLI bin, package.json and .jsii only', () => {
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf-8')).exports).toEqual(EXPORTS);
  });

  test('deep imports of the helpers are blocked', () => {
    expect(resolveError('cdk8s-istio-traffic/lib/private/errors')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(resolveError('cdk8s-istio-traffic/lib/private/render/route-rule.js')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(resolveError('cdk8s-istio-traffic/lib/validation/istio-checker')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(resolveError('cdk8s-istio-traffic/lib/index.js')).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  test('package.json stays readable through the package name', () => {
    expect(resolved['cdk8s-istio-traffic/package.json']).toEqual({ path: join(root, 'package.json') });
  });
});
