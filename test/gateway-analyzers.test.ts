/**
 * Gateways and canaries, as the checker sees any YAML: ingress that skips a mesh split (IST0140), the gateways
 * named in a match (route.go ignores sourceLabels there; a gateway the VirtualService is not bound to), header
 * and query canaries on gateway routes, and the Gateways of the checked set (IST0101, IST0132), read by
 * `check` like the other kinds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { IstioChecker, Severity } from '../src';
import { main } from '../src/cli';
import { Finding } from '../src/validation/finding';

const HOST = 'checkout.prod.svc.cluster.local';
const EDGE = 'istio-system/public';

function vs(name: string, spec: any, namespace = 'prod'): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace }, spec };
}

function gateway(name: string, hosts: string[], namespace = 'istio-system', apiVersion = 'networking.istio.io/v1'): any {
  return {
    apiVersion,
    kind: 'Gateway',
    metadata: { name, namespace },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] },
  };
}

const DR = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'checkout', namespace: 'prod' },
  spec: { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
};
const to = (subset?: string, weight?: number) => ({ destination: { host: HOST, subset }, weight });
const MESH_SPLIT = vs('checkout', { hosts: [HOST], http: [{ name: 'public', route: [to('v1', 95), to('v2', 5)] }] });

const only = (findings: Finding[], ...codes: string[]) => findings.filter((f) => codes.includes(f.code))
  .map((f) => [f.severity, f.code, f.name, f.field]);

describe('ingress skips the canary (XO_GATEWAY_BYPASSES_SUBSETS, IST0140)', () => {
  test('a gateway route to the host without a subset, while a mesh VirtualService splits it', () => {
    const edge = vs('shop-edge', { hosts: ['shop.example.com'], gateways: [EDGE], http: [{ route: [to()] }] });
    const findings = IstioChecker.check([DR, MESH_SPLIT, edge]);
    expect(only(findings, 'XO_GATEWAY_BYPASSES_SUBSETS')).toEqual([[Severity.WARNING, 'XO_GATEWAY_BYPASSES_SUBSETS', 'shop-edge', 'spec.http[0].route[0].destination']]);
    expect(findings.find((f) => f.code === 'XO_GATEWAY_BYPASSES_SUBSETS')!.message).toBe(
      'VirtualService prod/checkout routes "checkout.prod.svc.cluster.local" by subset for sidecars, but gateway "istio-system/public" applies only this route, '
      + 'which sends to all of its pods whatever the mesh rules say; route to the subsets here too (or bind one VirtualService to the gateway and mesh)');
  });

  test('a short destination host is resolved in its VirtualService\'s namespace', () => {
    const edge = vs('shop-edge', { hosts: ['shop.example.com'], gateways: [EDGE], http: [{ route: [{ destination: { host: 'checkout' } }] }] });
    expect(only(IstioChecker.check([DR, MESH_SPLIT, edge]), 'XO_GATEWAY_BYPASSES_SUBSETS')).toHaveLength(1);
    const elsewhere = vs('shop-edge', { hosts: ['shop.example.com'], gateways: [EDGE], http: [{ route: [{ destination: { host: 'checkout' } }] }] }, 'web');
    expect(only(IstioChecker.check([DR, MESH_SPLIT, elsewhere]), 'XO_GATEWAY_BYPASSES_SUBSETS')).toEqual([]);
  });

  test.each([
    ['the gateway route uses the subsets', vs('shop-edge', { hosts: ['shop.example.com'], gateways: [EDGE], http: [{ route: [to('v1', 95), to('v2', 5)] }] })],
    ['a mesh-only route without a subset', vs('caller', { hosts: ['caller.prod.svc.cluster.local'], http: [{ route: [to()] }] })],
  ])('not reported: %s', (_name, other) => {
    expect(only(IstioChecker.check([DR, MESH_SPLIT, other]), 'XO_GATEWAY_BYPASSES_SUBSETS')).toEqual([]);
  });

  test('not reported when the VirtualService that uses subsets is bound to gateways only', () => {
    const gatewaySplit = vs('checkout', { hosts: [HOST], gateways: ['istio-system/internal'], http: [{ route: [to('v1', 95), to('v2', 5)] }] });
    const edge = vs('shop-edge', { hosts: ['shop.example.com'], gateways: [EDGE], http: [{ route: [to()] }] });
    expect(only(IstioChecker.check([DR, gatewaySplit, edge]), 'XO_GATEWAY_BYPASSES_SUBSETS')).toEqual([]);
  });
});

describe('gateways named in a match', () => {
  test('sourceLabels and sourceNamespace in an HTTP match that lists gateways are ignored by Istio (SOURCE_MATCH_IGNORED), not "never match"', () => {
    const routes = vs('edge', {
      hosts: ['shop.example.com'],
      gateways: [EDGE, 'mesh'],
      http: [
        { match: [{ gateways: [EDGE], sourceLabels: { app: 'qa-tools' } }], route: [to('v2')] },
        { match: [{ gateways: ['mesh'], sourceNamespace: 'qa' }], route: [to('v2')] },
        { route: [to('v1')] },
      ],
    });
    const findings = IstioChecker.check([DR, routes]);
    expect(only(findings, 'SOURCE_MATCH_IGNORED', 'SOURCE_MATCH_ON_GATEWAY')).toEqual([
      [Severity.WARNING, 'SOURCE_MATCH_IGNORED', 'edge', 'spec.http[0].match[0].sourceLabels'],
      [Severity.WARNING, 'SOURCE_MATCH_IGNORED', 'edge', 'spec.http[1].match[0].sourceNamespace'],
    ]);
    expect(findings.find((f) => f.code === 'SOURCE_MATCH_IGNORED')!.message).toBe('Istio ignores sourceLabels in a match that lists gateways, so this match holds for every request '
      + 'through "istio-system/public"; to select callers, remove the match\'s gateways (the VirtualService\'s own then apply)');
  });

  test('without match gateways, sourceLabels on a gateway-only route still never match (SOURCE_MATCH_ON_GATEWAY), and TCP matches check both', () => {
    const routes = vs('edge', {
      hosts: ['shop.example.com'],
      gateways: [EDGE],
      http: [{ match: [{ sourceLabels: { app: 'qa-tools' } }], route: [to('v2')] }, { route: [to('v1')] }],
      tcp: [{ match: [{ gateways: [EDGE], sourceLabels: { app: 'qa-tools' } }], route: [to('v1')] }],
    });
    expect(only(IstioChecker.check([DR, routes]), 'SOURCE_MATCH_IGNORED', 'SOURCE_MATCH_ON_GATEWAY')).toEqual([
      [Severity.WARNING, 'SOURCE_MATCH_ON_GATEWAY', 'edge', 'spec.http[0].match[0].sourceLabels'],
      [Severity.WARNING, 'SOURCE_MATCH_ON_GATEWAY', 'edge', 'spec.tcp[0].match[0].sourceLabels'],
    ]);
  });

  test('a match gateway the VirtualService is not bound to never applies (MATCH_GATEWAY_UNBOUND)', () => {
    const routes = vs('edge', {
      hosts: ['shop.example.com'],
      gateways: [EDGE],
      http: [
        { match: [{ gateways: ['istio-system/internal', 'public'], uri: { prefix: '/admin' } }], route: [to('v2')] },
        { match: [{ gateways: ['mesh'], uri: { prefix: '/internal' } }], route: [to('v2')] },
        { route: [to('v1')] },
      ],
    });
    const findings = IstioChecker.check([DR, routes]);
    // "public" is prod/public, not istio-system/public; mesh is not bound either.
    expect(only(findings, 'MATCH_GATEWAY_UNBOUND')).toEqual([
      [Severity.WARNING, 'MATCH_GATEWAY_UNBOUND', 'edge', 'spec.http[0].match[0].gateways[0]'],
      [Severity.WARNING, 'MATCH_GATEWAY_UNBOUND', 'edge', 'spec.http[0].match[0].gateways[1]'],
      [Severity.WARNING, 'MATCH_GATEWAY_UNBOUND', 'edge', 'spec.http[1].match[0].gateways[0]'],
    ]);
    expect(findings.find((f) => f.code === 'MATCH_GATEWAY_UNBOUND')!.message).toBe('the VirtualService is bound to "istio-system/public", not to "istio-system/internal", '
      + 'so this match never applies there; add the gateway to spec.gateways, or remove it from the match');
  });

  test('match gateways among the bound ones, short names resolved, and mesh for a VirtualService without gateways, are fine', () => {
    const bound = vs('edge', {
      hosts: ['shop.example.com'],
      gateways: ['public', 'mesh'],
      http: [{ match: [{ gateways: ['prod/public'], uri: { prefix: '/a' } }, { gateways: ['mesh'], uri: { prefix: '/b' } }], route: [to('v2')] }, { route: [to('v1')] }],
    });
    const meshOnly = vs('internal', { hosts: [HOST], http: [{ match: [{ gateways: ['mesh'], uri: { prefix: '/b' } }], route: [to('v2')] }, { route: [to('v1')] }] });
    expect(only(IstioChecker.check([DR, bound, meshOnly]), 'MATCH_GATEWAY_UNBOUND')).toEqual([]);
  });
});

describe('header and query canaries on gateway routes (MATCH_FORGEABLE_ON_GATEWAY)', () => {
  const edge = (http: any[], gateways = [EDGE]) => vs('edge', { hosts: ['shop.example.com'], gateways, http });

  test('a header and a query parameter that send requests through the gateway to a subset: warnings', () => {
    const findings = IstioChecker.check([DR, edge([
      { name: 'testers', match: [{ headers: { 'x-canary-user': { exact: 'true' } } }, { queryParams: { canary: { exact: '1' } } }], route: [to('v2')] },
      { name: 'public', route: [to('v1')] },
    ])]);
    expect(only(findings, 'MATCH_FORGEABLE_ON_GATEWAY')).toEqual([
      [Severity.WARNING, 'MATCH_FORGEABLE_ON_GATEWAY', 'edge', 'spec.http[0].match[0].headers["x-canary-user"]'],
      [Severity.WARNING, 'MATCH_FORGEABLE_ON_GATEWAY', 'edge', 'spec.http[0].match[1].queryParams["canary"]'],
    ]);
    expect(findings.filter((f) => f.code === 'MATCH_FORGEABLE_ON_GATEWAY').map((f) => f.message)).toEqual([
      'any client can set this header on requests through gateway "istio-system/public" to reach subset "v2"; match a JWT claim instead ("@request.auth.claims.<claim>" in headers, '
      + 'which a RequestAuthentication validates), or have the edge strip or overwrite it and suppress this finding',
      'any client can set this query parameter on requests through gateway "istio-system/public" to reach subset "v2"; match a JWT claim instead ("@request.auth.claims.<claim>" in headers, '
      + 'which a RequestAuthentication validates), or have the edge strip or overwrite it and suppress this finding',
    ]);
  });

  test('also when the VirtualService applies to the mesh as well, and for a match that names the gateway', () => {
    const canary = { match: [{ headers: { 'x-canary-user': { exact: 'true' } } }], route: [to('v2')] };
    expect(only(IstioChecker.check([DR, edge([canary, { route: [to('v1')] }], [EDGE, 'mesh'])]), 'MATCH_FORGEABLE_ON_GATEWAY')).toHaveLength(1);
    const named = { match: [{ gateways: [EDGE], headers: { 'x-canary-user': { exact: 'true' } } }], route: [to('v2')] };
    expect(only(IstioChecker.check([DR, edge([named, { route: [to('v1')] }], [EDGE, 'mesh'])]), 'MATCH_FORGEABLE_ON_GATEWAY')).toHaveLength(1);
  });

  test.each<[string, any[], string[]]>([
    ['a mesh-only VirtualService', [{ match: [{ headers: { 'x-canary-user': { exact: 'true' } } }], route: [to('v2')] }, { route: [to('v1')] }], []],
    ['a match limited to mesh', [{ match: [{ gateways: ['mesh'], headers: { 'x-canary-user': { exact: 'true' } } }], route: [to('v2')] }, { route: [to('v1')] }], [EDGE, 'mesh']],
    ['a JWT claim', [{ match: [{ headers: { '@request.auth.claims.groups': { exact: 'beta' } } }], route: [to('v2')] }, { route: [to('v1')] }], [EDGE]],
    ['a pseudo-header', [{ match: [{ headers: { ':authority': { exact: 'beta.example.com' } } }], route: [to('v2')] }, { route: [to('v1')] }], [EDGE]],
    ['a rule that routes to no subset', [{ match: [{ headers: { 'x-api': { exact: 'v2' } } }], route: [{ destination: { host: 'api.prod.svc.cluster.local' } }] }, { route: [to('v1')] }], [EDGE]],
    ['a sticky split\'s version pin', [
      { match: [{ headers: { cookie: { regex: '^(.*;\\s*)?checkout-version=v2(;.*)?$' } } }], route: [{ ...to('v2'), headers: { response: { add: { 'set-cookie': 'checkout-version=v2' } } } }] },
      { route: [{ ...to('v1', 50), headers: { response: { add: { 'set-cookie': 'checkout-version=v1' } } } }, { ...to('v2', 50), headers: { response: { add: { 'set-cookie': 'checkout-version=v2' } } } }] },
    ], [EDGE]],
  ])('not reported: %s', (_name, http, gateways) => {
    const routes = gateways.length === 0 ? vs('internal', { hosts: [HOST], http }) : edge(http, gateways);
    expect(only(IstioChecker.check([DR, routes]), 'MATCH_FORGEABLE_ON_GATEWAY')).toEqual([]);
  });

  test('a cookie condition of the user\'s own, without a version cookie set, is reported', () => {
    const routes = edge([{ match: [{ headers: { cookie: { regex: '.*beta=1.*' } } }], route: [to('v2')] }, { route: [to('v1')] }]);
    expect(only(IstioChecker.check([DR, routes]), 'MATCH_FORGEABLE_ON_GATEWAY')).toHaveLength(1);
  });
});

describe('the Gateways of the checked set', () => {
  const bound = (gateways: string[], hosts = ['shop.example.com'], namespace = 'prod', name = 'shop') =>
    vs(name, { hosts, gateways, http: [{ route: [to('v1')] }] }, namespace);

  test('a VirtualService host that no server of its Gateway covers: IST0132, a warning on the gateway reference', () => {
    const findings = IstioChecker.check([DR, gateway('public', ['shop.example.com', '*.api.example.com']), bound([EDGE], ['blog.example.com'])]);
    expect(only(findings, 'XO_HOST_NOT_IN_GATEWAY', 'XO_GATEWAY_NOT_FOUND')).toEqual([[Severity.WARNING, 'XO_HOST_NOT_IN_GATEWAY', 'shop', 'spec.gateways[0]']]);
    expect(findings.find((f) => f.code === 'XO_HOST_NOT_IN_GATEWAY')!.message).toBe('no server of Gateway istio-system/public accepts "blog.example.com" for a VirtualService in namespace "prod", '
      + 'so the gateway never routes them; add the hosts to a server of the Gateway (or `*/host`), or bind the VirtualService to the Gateway that serves them');
  });

  test.each<[string, string[], string[], string, boolean]>([
    ['an exact server host', ['shop.example.com'], ['shop.example.com'], 'prod', true],
    ['a wildcard server host', ['*.example.com'], ['shop.example.com'], 'prod', true],
    ['a wildcard VirtualService host', ['shop.example.com'], ['*.example.com'], 'prod', true],
    ['one of several VirtualService hosts (as in Istio)', ['shop.example.com'], ['shop.example.com', 'blog.example.com'], 'prod', true],
    ['"*" on the server', ['*'], ['shop.example.com'], 'prod', true],
    ['*/host', ['*/shop.example.com'], ['shop.example.com'], 'prod', true],
    ['ns/host for that namespace', ['prod/shop.example.com'], ['shop.example.com'], 'prod', true],
    ['ns/host for another namespace', ['prod/shop.example.com'], ['shop.example.com'], 'staging', false],
    ['./host for the Gateway\'s namespace', ['./shop.example.com'], ['shop.example.com'], 'istio-system', true],
    ['./host for another namespace', ['./shop.example.com'], ['shop.example.com'], 'prod', false],
    ['a server for another host', ['blog.example.com'], ['shop.example.com'], 'prod', false],
  ])('%s', (_name, served, hosts, namespace, covered) => {
    const findings = IstioChecker.check([DR, gateway('public', served), bound([EDGE], hosts, namespace)]);
    expect(only(findings, 'XO_HOST_NOT_IN_GATEWAY').length).toBe(covered ? 0 : 1);
  });

  test('a referenced Gateway the set does not define, when it defines Gateways: IST0101, an error', () => {
    const findings = IstioChecker.check([DR, gateway('public', ['*']), bound(['istio-system/pubilc', 'mesh'])]);
    expect(only(findings, 'XO_GATEWAY_NOT_FOUND', 'XO_HOST_NOT_IN_GATEWAY')).toEqual([[Severity.ERROR, 'XO_GATEWAY_NOT_FOUND', 'shop', 'spec.gateways[0]']]);
    expect(findings.find((f) => f.code === 'XO_GATEWAY_NOT_FOUND')!.message).toBe('no Gateway istio-system/pubilc is defined here (the set defines istio-system/public), '
      + 'so the VirtualService applies to no gateway of that name; fix the reference, or add the Gateway');
  });

  test.each<[string, any[], string[]]>([
    ['a set without Gateways (they are defined elsewhere)', [], [EDGE]],
    ['a short name, in the VirtualService\'s namespace', [gateway('public', ['*'], 'prod')], ['public']],
    ['./name', [gateway('public', ['*'], 'prod')], ['./public']],
    ['the legacy name.namespace form', [gateway('public', ['*'])], ['public.istio-system']],
    ['a v1alpha3 Gateway', [gateway('public', ['*'], 'istio-system', 'networking.istio.io/v1alpha3')], [EDGE]],
    ['a Gateway API Gateway of that name', [gateway('other', ['*']), { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'partners', namespace: 'prod' }, spec: {} }], ['partners']],
  ])('no finding: %s', (_name, gateways, refs) => {
    const findings = IstioChecker.check([DR, ...gateways, bound(refs)]);
    expect(only(findings, 'XO_GATEWAY_NOT_FOUND', 'XO_HOST_NOT_IN_GATEWAY')).toEqual([]);
  });

  test('a Gateway is checked (its metadata) and counted, and makes no false finding of its own', () => {
    expect(IstioChecker.isChecked(gateway('public', ['*']))).toBe(true);
    expect(IstioChecker.isChecked({ ...gateway('public', ['*']), apiVersion: 'gateway.networking.k8s.io/v1' })).toBe(false);
    expect(IstioChecker.check([gateway('public', ['shop.example.com'])])).toEqual([]);
    expect(only(IstioChecker.check([gateway('Public_GW', ['*'])]), 'OBJECT_NAME_INVALID')).toEqual([[Severity.ERROR, 'OBJECT_NAME_INVALID', 'Public_GW', 'metadata.name']]);
  });

  test('`check` reads Gateway objects from YAML, of every API version, and passes them to the analyzers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateways-'));
    try {
      const yaml = (o: any) => JSON.stringify(o);
      writeFileSync(join(dir, 'gateways.yaml'), [gateway('public', ['shop.example.com'], 'istio-system', 'networking.istio.io/v1beta1'),
        gateway('internal', ['*.internal.example.com'], 'istio-system', 'networking.istio.io/v1alpha3')].map(yaml).join('\n---\n'));
      writeFileSync(join(dir, 'routes.yaml'), [DR, bound([EDGE]), bound(['istio-system/internal'], ['shop.example.com'], 'prod', 'internal'), bound(['istio-system/missing'], ['x.example.com'], 'prod', 'missing')].map(yaml).join('\n---\n'));
      const out: string[] = [];
      const err: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
      const error = jest.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
      const code = main(['check', dir]);
      log.mockRestore();
      error.mockRestore();
      expect(out).toEqual([
        expect.stringMatching(/^WARNING XO_HOST_NOT_IN_GATEWAY VirtualService prod\/internal spec\.gateways\[0\]: no server of Gateway istio-system\/internal accepts "shop.example.com"/),
        expect.stringMatching(/^ERROR XO_GATEWAY_NOT_FOUND VirtualService prod\/missing spec\.gateways\[0\]: no Gateway istio-system\/missing is defined here/),
      ]);
      expect(err[0]).toBe('6 Istio objects checked: 1 error, 1 warning, 0 info');
      expect(code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
