/**
 * The checker's API-server layer (src/private/validation/schema-check.ts): what the Kubernetes API server rejects
 * against the CRD schema and its CEL rules, found offline, in `check` and at synth, before Istio's webhook rules,
 * each problem reported once.
 */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { CompositeRoute, Destination, istio, Subsets } from '../src';
import { main } from '../src/cli';
import { crdSchemas } from '../src/private/bundled';
import { checkManifests } from '../src/private/validation/checker';
import { nearestName } from '../src/private/validation/nearest-name';
import { apiServerFindings, checkAgainst } from '../src/private/validation/schema-check';
import { decoded, isBase64, toJsonSchema } from '../src/private/validation/structural-schema';
import { IstioChecker } from '../src/validation/istio-checker';

const HOST = 'checkout.prod.svc.cluster.local';

function vs(spec: any, apiVersion = 'networking.istio.io/v1'): any {
  return { apiVersion, kind: 'VirtualService', metadata: { name: 'checkout', namespace: 'prod' }, spec: { hosts: [HOST], ...spec } };
}

function dr(spec: any, apiVersion = 'networking.istio.io/v1'): any {
  return { apiVersion, kind: 'DestinationRule', metadata: { name: 'checkout', namespace: 'prod' }, spec: { host: HOST, ...spec } };
}

const route = (extra: any = {}) => ({ route: [{ destination: { host: HOST } }], ...extra });

/** The findings of one object, as `CODE field: message`. */
function found(manifest: any): string[] {
  return IstioChecker.check([manifest]).map((f) => `${f.code} ${f.field}: ${f.message}`);
}

function codes(manifest: any): string[] {
  return IstioChecker.check([manifest]).map((f) => `${f.code} ${f.field}`);
}

/** Runs `check` on YAML text; returns the exit code and stdout. */
function check(yaml: string): { code: number; out: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'api-server-')), 'objects.yaml');
  writeFileSync(file, yaml);
  const out: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  const err = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    return { code: main(['check', file]), out: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('the example of issue 16, in check', () => {
  const example = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: checkout, namespace: prod}
spec:
  hosts: [checkout.prod.svc.cluster.local]
  http:
  - name: r
    mirror_percent: 10
    route:
    - destination: {host: checkout.prod.svc.cluster.local}
      weight: "100"
`;

  test('the string weight is reported as the schema sees it; mirror_percent is a field of Istio 1.30\'s schema', () => {
    // The CRD lists mirror_percent (the proto name of the deprecated mirrorPercent) next to mirrorPercent, so
    // the API server accepts it: the premise does not hold for the imported CRDs.
    const http = crdSchemas()['networking.istio.io/v1/VirtualService'].properties.spec.properties.http.items.properties;
    expect(Object.keys(http)).toEqual(expect.arrayContaining(['mirror_percent', 'mirrorPercent', 'mirrorPercentage']));
    const { code, out } = check(example);
    expect(code).toBe(1);
    // What it does get is Istio's deprecation warning, as mirrorPercent would.
    expect(out.split('\n')).toEqual([
      'WARNING MIRROR_PERCENT_DEPRECATED VirtualService prod/checkout spec.http[0].mirror_percent: mirror_percent is deprecated; write mirrorPercentage: { value: <0-100> } instead',
      'ERROR SPEC_TYPE_INVALID VirtualService prod/checkout spec.http[0].route[0].weight: expected an integer, found "100"; write 100 without quotes',
    ]);
  });

  test('a field the schema does not define is reported with the nearest known name, and the string weight too', () => {
    const { code, out } = check(example.replace('mirror_percent: 10', 'mirror_percentage: {value: 10}'));
    expect(code).toBe(1);
    expect(out.split('\n')).toEqual([
      'ERROR SCHEMA_UNKNOWN_FIELD VirtualService prod/checkout spec.http[0].mirror_percentage: unknown field "mirror_percentage": the schema does not '
      + 'define it, and kubectl apply rejects the object; did you mean "mirrorPercentage"?',
      'ERROR SPEC_TYPE_INVALID VirtualService prod/checkout spec.http[0].route[0].weight: expected an integer, found "100"; write 100 without quotes',
    ]);
  });
});

describe('the schema, read as the API server reads a structural schema', () => {
  test('unknown fields, at any depth and in any served version, with a suggestion or the fields there', () => {
    expect(found({ ...vs({ http: [route({ mirror_percentage: { value: 5 } })] }), extra: 1 })).toEqual([
      'SCHEMA_UNKNOWN_FIELD extra: unknown field "extra": the schema does not define it, and kubectl apply rejects the object; '
      + 'remove it (the fields here are apiVersion, kind, metadata, spec, status)',
      'SCHEMA_UNKNOWN_FIELD spec.http[0].mirror_percentage: unknown field "mirror_percentage": the schema does not define it, and kubectl apply '
      + 'rejects the object; did you mean "mirrorPercentage"?',
    ]);
    const headers = { http: [route({ match: [{ headers: { 'x-canary': { exat: 'a' } } }] })] };
    for (const version of ['v1', 'v1beta1', 'v1alpha3']) {
      expect(codes(vs(headers, `networking.istio.io/${version}`))).toEqual(['SCHEMA_UNKNOWN_FIELD spec.http[0].match[0].headers["x-canary"].exat']);
      expect(found(dr({ trafficPolicy: { loadBalancer: { simpel: 'RANDOM' } } }, `networking.istio.io/${version}`))[0])
        .toMatch(/^SCHEMA_UNKNOWN_FIELD spec\.trafficPolicy\.loadBalancer\.simpel: .*; did you mean "simple"\?$/);
    }
  });

  test('status keeps unknown fields (x-kubernetes-preserve-unknown-fields) and checks the ones it defines', () => {
    expect(codes({ ...vs({ http: [route()] }), status: { anything: [1], observedGeneration: '5' } })).toEqual([]);
    expect(found({ ...vs({ http: [route()] }), status: { observedGeneration: true, conditions: [{ lastTransitionTime: 'yesterday' }] } })).toEqual([
      'SCHEMA_VALUE_INVALID status.conditions[0].lastTransitionTime: "yesterday" is not a date-time value; write it as RFC 3339 does, e.g. "2025-01-31T12:00:00Z"',
      'SPEC_TYPE_INVALID status.observedGeneration: expected an integer or a string, found true; quote it: "true"',
    ]);
  });

  test('wrong types, with the fix', () => {
    expect(found(vs({ http: [route({ timeout: 5, retries: { attempts: 1.5 }, corsPolicy: { allowCredentials: 'yes' } }), null] }))).toEqual([
      'SPEC_TYPE_INVALID spec.http[0].corsPolicy.allowCredentials: expected true or false or null, found "yes"; write true or false or null',
      'SPEC_TYPE_INVALID spec.http[0].retries.attempts: expected an integer, found 1.5; write a whole number',
      'SPEC_TYPE_INVALID spec.http[0].timeout: expected a string, found 5; quote it: "5"',
      'SPEC_TYPE_INVALID spec.http[1]: expected a mapping, found null; write a mapping',
    ]);
    expect(found({ ...vs({}), spec: ['a'] })).toEqual(['SPEC_TYPE_INVALID spec: expected a mapping, found ["a"]; write a mapping']);
  });

  test('a null the API server drops is no finding, and a nullable field keeps its null', () => {
    expect(codes(vs({ http: [route({ timeout: null, headers: null, corsPolicy: { allowOrigins: [{ exact: 'https://a.example' }], allowCredentials: null } })] })))
      .toEqual([]);
    expect(decoded({ timeout: null, corsPolicy: { allowCredentials: null }, x: null }, {
      properties: { timeout: { type: 'string' }, corsPolicy: { properties: { allowCredentials: { type: 'boolean', nullable: true } } } },
    })).toEqual({ corsPolicy: { allowCredentials: null }, x: null });
  });

  test('enumerations, required fields and one-of alternatives', () => {
    expect(found(dr({ trafficPolicy: { tls: { mode: 'mutual' }, loadBalancer: { simple: 'RANDOM', consistentHash: { useSourceIp: true, httpHeaderName: 'x' } } } })))
      .toEqual([
        'SCHEMA_ONE_OF spec.trafficPolicy.loadBalancer: sets "simple" and "consistentHash", of which the schema allows one; keep one of "simple", "consistentHash"',
        'SCHEMA_ONE_OF spec.trafficPolicy.loadBalancer.consistentHash: sets "httpHeaderName" and "useSourceIp", of which the schema allows one; '
        + 'keep one of "httpHeaderName", "httpCookie", "useSourceIp", "httpQueryParameterName"',
        'SCHEMA_ENUM_INVALID spec.trafficPolicy.tls.mode: "mutual" is not a value of this field; use one of "DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"',
      ]);
    expect(found({ ...dr({}), spec: { subsets: [{ labels: { version: 'v1' } }] } })).toEqual([
      'SCHEMA_REQUIRED_MISSING spec.host: the required field "host" is missing; set it',
      'SCHEMA_REQUIRED_MISSING spec.subsets[0].name: the required field "name" is missing; set it',
    ]);
  });

  test('ranges: int32 fields, uint32 ports, label lengths; base64 bytes as Go decodes them', () => {
    expect(found(vs({ http: [{ route: [{ destination: { host: HOST, port: { number: 2 ** 32 } }, weight: 2 ** 31 }] }] }))).toEqual([
      'SCHEMA_VALUE_INVALID spec.http[0].route[0].destination.port.number: 4294967296 is out of range; use a value from 0 to 4294967295',
      'SCHEMA_VALUE_INVALID spec.http[0].route[0].weight: 2147483648 is out of range (a 32-bit integer); use a value from -2147483648 to 2147483647',
    ]);
    expect(found(dr({ workloadSelector: { matchLabels: { app: 'x'.repeat(64) } } }))[0])
      .toMatch(/^SCHEMA_VALUE_INVALID spec\.workloadSelector\.matchLabels\["app"\]: "x+… is longer than 63 characters; shorten it$/);
    const body = (bytes: string) => vs({ http: [{ directResponse: { status: 200, body: { bytes } } }] });
    expect(codes(body('aGVs\nbG8=\n'))).toEqual([]);
    expect(found(body('aGVsbG8'))).toEqual([
      'SCHEMA_VALUE_INVALID spec.http[0].directResponse.body.bytes: "aGVsbG8" is not base64; encode the bytes in standard base64, with "=" padding',
    ]);
    expect([isBase64('YWJj'), isBase64('YWI='), isBase64('YW=='), isBase64('Y==='), isBase64('YW'), isBase64('YW=a')]).toEqual([true, true, true, false, false, false]);
  });

  test('a value the API server rejects is reported once: the webhook rules\' findings on it, or inside it, are left out', () => {
    const manifest = vs({
      http: [
        route({ match: [{ uri: { exact: '/a', prefix: '/b' } }], timeout: 7 }),
        { match: [{ uri: { prefix: '/c' } }], route: [{ weight: 100 }] },
        route({ retries: { attempts: -1 } }),
      ],
    });
    expect(checkManifests([manifest], { apiServer: false }).map((f) => `${f.code} ${f.field}`)).toEqual([
      'MATCH_STRING_MULTIPLE spec.http[0].match[0].uri',
      'DURATION_INVALID spec.http[0].timeout',
      'VS_DESTINATION_MISSING spec.http[1].route[0]',
      'RETRY_ATTEMPTS_NEGATIVE spec.http[2].retries.attempts',
    ]);
    expect(codes(manifest)).toEqual([
      'SCHEMA_ONE_OF spec.http[0].match[0].uri',
      'SPEC_TYPE_INVALID spec.http[0].timeout',
      'SCHEMA_REQUIRED_MISSING spec.http[1].route[0].destination',
      // The schema allows a negative int32: Istio's webhook reports it.
      'RETRY_ATTEMPTS_NEGATIVE spec.http[2].retries.attempts',
    ]);
  });

  test('an apiVersion without a schema gets no finding of this layer; values that are not JSON never throw', () => {
    expect(apiServerFindings({ ...vs({ bogus: 1 }), apiVersion: 'networking.istio.io/v1alpha1' })).toEqual([]);
    // As JSON.stringify writes them: undefined and functions dropped (null in a list), a Date as its ISO text.
    const odd = vs({ http: [route({ timeout: undefined, name: () => 1, match: [{ uri: { exact: new Date(0) } }] }), undefined], exportTo: [NaN] });
    expect(apiServerFindings(odd).map((f) => `${f.finding.code} ${f.field}`)).toEqual(['SPEC_TYPE_INVALID spec.exportTo[0]', 'SPEC_TYPE_INVALID spec.http[1]']);
    expect(() => IstioChecker.check([odd])).not.toThrow();
    const keys = vs({ http: [route({ corsPolicy: { allowOrigins: [null] }, headers: JSON.parse('{"__proto__": 1, "x\\ud800/%23~": 2}') })] });
    expect(apiServerFindings(keys).map((f) => `${f.finding.code} ${f.field}`)).toEqual([
      'SPEC_TYPE_INVALID spec.http[0].corsPolicy.allowOrigins[0]',
      'SCHEMA_UNKNOWN_FIELD spec.http[0].headers.__proto__',
      'SCHEMA_UNKNOWN_FIELD spec.http[0].headers.x\ufffd/%23~',
    ]);
  });

  test('what other schemas can say: patterns, lengths, sizes, other combinations', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            code: { type: 'string', pattern: '^[A-Z]+$', minLength: 2 },
            list: { type: 'array', items: { type: 'integer', multipleOf: 5 }, minItems: 2, maxItems: 3 },
            map: { type: 'object', additionalProperties: { type: 'string' }, minProperties: 1, maxProperties: 1 },
            either: { type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ required: ['a'] }] },
            never: { type: 'object', not: { required: ['a'] }, properties: { a: { type: 'string' } } },
            pick: { type: 'object', properties: { a: { type: 'integer' } }, oneOf: [{ properties: { a: { minimum: 1 } } }, { properties: { a: { maximum: 9 } } }] },
          },
        },
      },
    };
    const at = (spec: any) => checkAgainst(schema, { spec }).map((f) => `${f.finding.code} ${f.field}: ${f.finding.message}`);
    expect(at({ code: 'a', list: [1, 2, 3, 4], map: {}, either: {}, never: { a: 'x' }, pick: { a: 5 } })).toEqual([
      'SCHEMA_VALUE_INVALID spec.code: "a" is shorter than 2 characters; lengthen it',
      'SCHEMA_VALUE_INVALID spec.code: "a" does not match the pattern "^[A-Z]+$"; change it to match',
      'SCHEMA_VALUE_INVALID spec.list: more than 3 entries; remove entries',
      'SCHEMA_VALUE_INVALID spec.list[0]: 1 breaks the schema\'s multipleOf 5; change the value',
      'SCHEMA_VALUE_INVALID spec.list[1]: 2 breaks the schema\'s multipleOf 5; change the value',
      'SCHEMA_VALUE_INVALID spec.list[2]: 3 breaks the schema\'s multipleOf 5; change the value',
      'SCHEMA_VALUE_INVALID spec.list[3]: 4 breaks the schema\'s multipleOf 5; change the value',
      'SCHEMA_VALUE_INVALID spec.map: fewer than 1 entries; add entries',
      'SCHEMA_ONE_OF spec.either: the value breaks the schema\'s anyOf; change it to one the schema allows',
      'SCHEMA_ONE_OF spec.never: the value breaks the schema\'s not; change it to one the schema allows',
      'SCHEMA_ONE_OF spec.pick: the value matches none or several of the alternatives of the schema\'s oneOf; change it to match exactly one',
    ]);
    expect(at({ code: 'AB', list: [5], map: { a: 'x', b: 'y' }, either: { a: 'x' }, pick: { a: 10 } })).toEqual([
      'SCHEMA_VALUE_INVALID spec.list: fewer than 2 entries; add entries',
      'SCHEMA_VALUE_INVALID spec.map: more than 1 entries; remove entries',
    ]);
  });

  test('the nearest name: case, "_" and "-" do not count, and edits up to a third of the name', () => {
    expect(nearestName('mirror_percentage', ['mirror', 'mirrorPercentage'])).toBe('mirrorPercentage');
    expect(nearestName('weigth', ['weight', 'headers'])).toBe('weight');
    expect(nearestName('destinaton', ['destination'])).toBe('destination');
    expect(nearestName('timeouts', ['timeout', 'retries'])).toBe('timeout');
    expect(nearestName('foo', ['timeout', 'retries'])).toBeUndefined();
  });

  test('each schema is rewritten and compiled once per process, shared by the versions that serve it', () => {
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const structural = require('../src/private/validation/structural-schema');
      const spy = jest.spyOn(structural, 'toJsonSchema');
      const { checkManifests: fresh } = require('../src/private/validation/checker');
      /* eslint-enable @typescript-eslint/no-require-imports */
      for (let i = 0; i < 20; i++) {
        fresh(['v1', 'v1beta1', 'v1alpha3'].flatMap((v) => [vs({ http: [route()] }, `networking.istio.io/${v}`), dr({}, `networking.istio.io/${v}`)]));
      }
      // One call per kind; the rewrite recurses inside the call.
      expect(spy.mock.calls.filter((args) => args.length === 1)).toHaveLength(2);
    });
  });

  test('the rewritten schema: unknown fields closed, int-or-string, nullable, int32 range, byte format', () => {
    expect(toJsonSchema({
      type: 'object',
      properties: {
        a: { type: 'integer', format: 'int32', minimum: 0 },
        b: { 'x-kubernetes-int-or-string': true },
        c: { type: 'boolean', nullable: true },
        d: { type: 'string', format: 'byte' },
        e: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true, 'properties': { f: { type: 'string', format: 'double' } } },
        g: { type: 'object', oneOf: [{ required: ['h'] }], properties: { h: { type: 'string' } } },
      },
    })).toEqual({
      type: 'object',
      properties: {
        apiVersion: {},
        kind: {},
        metadata: {},
        a: { type: 'integer', minimum: 0, maximum: 2 ** 31 - 1 },
        b: { type: ['integer', 'string'] },
        c: { type: ['boolean', 'null'] },
        d: { type: 'string', format: 'k8s-byte' },
        e: { type: 'object', properties: { f: { type: 'string' } } },
        g: { type: 'object', oneOf: [{ required: ['h'] }], properties: { h: { type: 'string' } }, additionalProperties: false },
      },
      additionalProperties: false,
    });
  });
});

describe('at synth, under the construct path', () => {
  test('an L1 object given a wrong type by a JSON patch fails synth', () => {
    const chart = Testing.chart();
    const vsL1 = new istio.VirtualService(chart, 'checkout', {
      metadata: { name: 'checkout' },
      spec: { hosts: [HOST], http: [{ route: [{ destination: { host: HOST }, weight: 100 }] }] },
    });
    IstioChecker.enable(chart);
    vsL1.addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/weight', '100'));
    expect(() => Testing.synth(chart)).toThrow(/\[test\/checkout\] SPEC_TYPE_INVALID spec\.http\[0\]\.route\[0\]\.weight: expected an integer, found "100"/);
  });

  test('a misspelt field of an object included from YAML (an ApiObject) fails synth; an L1 class drops unknown fields itself', () => {
    const chart = Testing.chart();
    const spec = { hosts: [HOST], http: [{ mirror_percentage: { value: 5 }, route: [{ destination: { host: HOST } }] }] };
    new ApiObject(chart, 'included', { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'included' }, spec } as any);
    const l1 = new istio.VirtualService(chart, 'l1', { metadata: { name: 'l1' }, spec: { hosts: ['l1.prod.svc.cluster.local'], http: [route()] } });
    l1.addJsonPatch(JsonPatch.add('/spec/http/0/mirror_percentage', { value: 5 }));
    IstioChecker.enable(chart);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/included\] SCHEMA_UNKNOWN_FIELD spec\.http\[0\]\.mirror_percentage: .*did you mean "mirrorPercentage"\?/);
    // cdk8s import's toJson keeps only the fields of the schema, so the patched field never reaches the YAML.
    expect(l1.toJson().spec.http[0]).not.toHaveProperty('mirror_percentage');
    expect(IstioChecker.findings(chart).map((f) => f.path)).toEqual(['test/included']);
  });

  test('an L1 DestinationRule with a value outside an enumeration fails synth', () => {
    const chart = Testing.chart();
    new istio.DestinationRule(chart, 'rule', {
      metadata: { name: 'rule' },
      spec: { host: HOST, trafficPolicy: { loadBalancer: { simple: 'round_robin' as istio.DestinationRuleSpecTrafficPolicyLoadBalancerSimple } } },
    });
    IstioChecker.enable(chart);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/rule\] SCHEMA_ENUM_INVALID spec\.trafficPolicy\.loadBalancer\.simple: "round_robin" is not a value/);
  });

  test('L2 objects patched into something the schema rejects fail synth', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 'subsets', { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('default', { to: Destination.subset(subsets.subset('v1')) });
    ApiObject.of(subsets).addJsonPatch(JsonPatch.add('/spec/trafficPolicy', { loadBalancer: { simple: 'round_robin' } }));
    ApiObject.of(routes).addJsonPatch(JsonPatch.add('/spec/http/0/retries', { attempts: 2 ** 31 }));
    expect(() => Testing.synth(chart)).toThrow(/\[test\/subsets\/Resource\] SCHEMA_ENUM_INVALID spec\.trafficPolicy\.loadBalancer\.simple: "round_robin" is not a value/);
    expect(() => Testing.synth(chart)).toThrow(/\[test\/routes\/Resource\] SCHEMA_VALUE_INVALID spec\.http\[0\]\.retries\.attempts: 2147483648 is out of range \(a 32-bit integer\)/);
  });
});

describe('the CEL rules: each violation is a finding with the rule\'s message', () => {
  test('a violation becomes CEL_RULE_VIOLATED at its field, and the webhook\'s finding there is left out', () => {
    jest.isolateModules(() => {
      jest.doMock('../src/private/validation/cel-rules', () => ({
        celViolations: (_schema: any, value: any, path: string) => (value?.spec?.http?.[0]?.timeout === '500us' && path === ''
          ? [{ path: 'spec.http[0].timeout', message: 'must be a valid duration greater than 1ms', rule: "duration(self) >= duration('1ms')" },
            { path: 'spec.http[0].retries', message: 'the checker cannot evaluate this rule', rule: 'x', unsupported: true }]
          : []),
      }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { checkManifests: fresh } = require('../src/private/validation/checker');
      const manifest = vs({ http: [route({ timeout: '500us' })] });
      expect(fresh([manifest], { apiServer: false }).map((f: any) => f.code)).toEqual(['DURATION_INVALID']);
      expect(fresh([manifest]).map((f: any) => `${f.code} ${f.field}: ${f.message}`)).toEqual([
        'CEL_RULE_VIOLATED spec.http[0].timeout: must be a valid duration greater than 1ms; the CRD\'s CEL rule `duration(self) >= duration(\'1ms\')` rejects the value',
      ]);
    });
  });

  // These run the CRDs' own rules.
  const families: [string, any, string, string][] = [
    ['every duration is at least 1ms', vs({ http: [route({ timeout: '500us' })] }), 'spec.http[0].timeout', 'must be a valid duration greater than 1ms'],
    ['a duration of a DestinationRule too', dr({ trafficPolicy: { connectionPool: { tcp: { connectTimeout: '0s' } } } }),
      'spec.trafficPolicy.connectionPool.tcp.connectTimeout', 'must be a valid duration greater than 1ms'],
    ['no wildcard in a workload selector\'s label key', dr({ workloadSelector: { matchLabels: { 'app*': 'web' } } }), 'spec.workloadSelector.matchLabels',
      'wildcard not allowed in label key match'],
    ['no empty workload selector label key', dr({ workloadSelector: { matchLabels: { '': 'web' } } }), 'spec.workloadSelector.matchLabels',
      'key must not be empty'],
    ['no wildcard in a workload selector\'s label value', dr({ workloadSelector: { matchLabels: { app: 'web*' } } }), 'spec.workloadSelector.matchLabels["app"]',
      'wildcard not allowed in label value match'],
  ];

  describe('with the CRDs\' rules', () => {
    test.each(families)('%s: in check', (_name, manifest, field, message) => {
      expect(found(manifest)).toEqual([expect.stringMatching(new RegExp(`^CEL_RULE_VIOLATED ${escape(field)}: ${escape(message)}; the CRD's CEL rule \``))]);
    });

    test.each(families)('%s: at synth, in an L1 object', (_name, manifest, field, message) => {
      const chart = Testing.chart();
      const Kind = manifest.kind === 'VirtualService' ? istio.VirtualService : istio.DestinationRule;
      new Kind(chart, 'object', { metadata: { name: 'object' }, spec: manifest.spec });
      IstioChecker.enable(chart);
      expect(() => Testing.synth(chart)).toThrow(new RegExp(`\\[test/object\\] CEL_RULE_VIOLATED ${escape(field)}: ${escape(message)}`));
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('metadata is the API server\'s ObjectMeta whatever the CRD says: an HTTPRoute\'s and a PrometheusRule\'s name are no unknown fields', () => {
  // Their CRDs say `metadata: {type: object}`, which a closed reading would turn into "no field allowed".
  const metadata = { name: 'checkout', namespace: 'prod', labels: { app: 'checkout' } };
  expect(apiServerFindings({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata, spec: {} })).toEqual([]);
  expect(apiServerFindings({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata, spec: {} })).toEqual([]);
  expect(apiServerFindings({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata, spec: { hostnames: 5 } }).map((f) => f.field))
    .toEqual(['spec.hostnames']);
});

test('decoding copies nothing that needs no change, and copies from the first change on', () => {
  const schema = crdSchemas()['networking.istio.io/v1/VirtualService'];
  const clean = vs({ http: [route({ timeout: '5s' })] });
  expect(decoded(clean, schema)).toBe(clean);
  const withNull = vs({ http: [route({ timeout: null })] });
  const out: any = decoded(withNull, schema);
  expect(out).not.toBe(withNull);
  expect(out.spec.http[0]).toEqual({ route: [{ destination: { host: HOST } }] });
  // What did not change is shared, not copied.
  expect(out.metadata).toBe(withNull.metadata);
  expect(out.spec.http[0].route).toBe(withNull.spec.http[0].route);
  expect(withNull.spec.http[0].timeout).toBeNull();
});
