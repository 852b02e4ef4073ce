/** RetryOn: the conditions as written in a rule's `retries.retryOn`, the ones Istio rejects, and what Istio does with them. */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';
import { Destination, IstioChecker, RetryOn, Severity, Warnings } from '../src';
import { checkoutRoute, httpRules } from './fixtures';
import { synth } from './util';

/** The `retryOn` a default rule retrying once on `retryOn` writes. */
function rendered(retryOn: RetryOn[]): string {
  const { chart, routes, v1 } = checkoutRoute();
  routes.addDefaultRule('d', { to: Destination.subset(v1), retries: { attempts: 1, retryOn } });
  return httpRules(chart)[0].retries.retryOn;
}

/** Adds a default rule named "d" retrying once on `retryOn`; throws what the route rejects. */
function addDefault(retryOn: RetryOn[]) {
  const { routes, v1 } = checkoutRoute();
  routes.addDefaultRule('d', { to: Destination.subset(v1), retries: { attempts: 1, retryOn } });
}

describe('RetryOn', () => {
  test('the named conditions, as Envoy names them, joined in order', () => {
    expect(rendered([
      RetryOn.FIVE_XX, RetryOn.GATEWAY_ERROR, RetryOn.RESET, RetryOn.RESET_BEFORE_REQUEST, RetryOn.CONNECT_FAILURE,
      RetryOn.ENVOY_RATELIMITED, RetryOn.RETRIABLE_4XX, RetryOn.REFUSED_STREAM, RetryOn.RETRIABLE_STATUS_CODES,
      RetryOn.RETRIABLE_HEADERS, RetryOn.HTTP3_POST_CONNECT_FAILURE,
    ])).toBe('5xx,gateway-error,reset,reset-before-request,connect-failure,envoy-ratelimited,retriable-4xx,refused-stream,'
      + 'retriable-status-codes,retriable-headers,http3-post-connect-failure');
  });

  test('the gRPC conditions', () => {
    expect(rendered([
      RetryOn.GRPC_CANCELLED, RetryOn.GRPC_DEADLINE_EXCEEDED, RetryOn.GRPC_INTERNAL, RetryOn.GRPC_RESOURCE_EXHAUSTED, RetryOn.GRPC_UNAVAILABLE,
    ])).toBe('cancelled,deadline-exceeded,internal,resource-exhausted,unavailable');
  });

  test('statusCode: a registered status', () => {
    expect(rendered([RetryOn.CONNECT_FAILURE, RetryOn.statusCode(503), RetryOn.statusCode(429)])).toBe('connect-failure,503,429');
  });

  test('the class offers exactly the conditions Istio\'s webhook accepts, and no way to write another', () => {
    // Istio 1.30's supportedRetryOnPolicies (pkg/config/validation): it rejects any other name.
    const webhook = [
      '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'retriable-4xx', 'refused-stream',
      'retriable-status-codes', 'retriable-headers', 'envoy-ratelimited', 'http3-post-connect-failure',
      'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
    ];
    const members = Object.values(RetryOn).filter((v): v is RetryOn => v instanceof RetryOn).map((v) => v.value);
    expect(members.sort()).toEqual([...webhook].sort());
    expect(Object.getOwnPropertyNames(RetryOn).filter((name) => typeof (RetryOn as any)[name] === 'function')).toEqual(['statusCode']);
  });
});

describe('a retryOn of status codes only (RETRY_ON_STATUS_CODES_ONLY)', () => {
  // The warnings are printed at synth; the tests read them from Warnings.of().
  beforeEach(() => jest.spyOn(console, 'warn').mockImplementation(() => {}));
  afterEach(() => jest.restoreAllMocks());

  test('warns on the prop, with the fix: Istio\'s default conditions are gone', () => {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('d', { to: Destination.subset(v1), retries: { attempts: 2, retryOn: [RetryOn.statusCode(503), RetryOn.statusCode(429)] } });
    expect(Warnings.of(chart)).toEqual([
      '[test/routes] RETRY_ON_STATUS_CODES_ONLY defaultRule["d"].retries.retryOn: "503,429" names status codes only, so Istio retries on them alone and drops its default conditions (connect-failure, refused-stream, unavailable, cancelled): a failed connection is no longer retried; add the conditions you still want, e.g. "connect-failure,refused-stream,unavailable,cancelled,503,429"',
    ]);
    // The checker finds the same on the YAML, as a warning, and leaves the construct's output to its warning.
    const [finding, ...more] = IstioChecker.check(synth(chart)).filter((f) => f.code === 'RETRY_ON_STATUS_CODES_ONLY');
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ severity: Severity.WARNING, field: 'spec.http[0].retries.retryOn' });
    expect(Warnings.of(chart)[0]).toContain(finding.message);
    expect(IstioChecker.findings(chart).filter((f) => f.code === 'RETRY_ON_STATUS_CODES_ONLY')).toEqual([]);
  });

  test('with retriable-status-codes, which Istio adds for the codes anyway, it is the same policy and the same warning', () => {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('d', { to: Destination.subset(v1), retries: { attempts: 1, retryOn: [RetryOn.RETRIABLE_STATUS_CODES, RetryOn.statusCode(503)] } });
    expect(Warnings.of(chart)).toEqual([expect.stringMatching(/^\[test\/routes\] RETRY_ON_STATUS_CODES_ONLY defaultRule\["d"\]\.retries\.retryOn: "retriable-status-codes,503" names status codes only/)]);
  });

  test.each([
    ['a code next to a condition', [RetryOn.CONNECT_FAILURE, RetryOn.statusCode(503)]],
    ['conditions only', [RetryOn.FIVE_XX]],
    ['retriable-status-codes alone (the statuses of the request\'s header)', [RetryOn.RETRIABLE_STATUS_CODES]],
  ])('no warning for %s', (_name, retryOn) => {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('d', { to: Destination.subset(v1), retries: { attempts: 2, retryOn } });
    expect(Warnings.of(chart)).toEqual([]);
    expect(IstioChecker.check(synth(chart)).filter((f) => f.code === 'RETRY_ON_STATUS_CODES_ONLY')).toEqual([]);
  });

  test('the checker on hand-written YAML: only where the retries apply, and not on a list the webhook rejects', () => {
    const vs = (retries: any) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'r', namespace: 'shop' },
      spec: { hosts: ['r.shop.svc.cluster.local'], http: [{ retries, route: [{ destination: { host: 'r.shop.svc.cluster.local' } }] }] },
    });
    const codes = (retries: any) => IstioChecker.check([vs(retries)]).map((f) => f.code);
    expect(codes({ attempts: 3, retryOn: '503' })).toEqual(['RETRY_ON_STATUS_CODES_ONLY']);
    expect(codes({ attempts: 0, retryOn: '503' })).toEqual(['RETRY_POLICY_WHEN_DISABLED']);
    expect(codes({ attempts: 3, retryOn: '503, 429' })).toEqual(['RETRY_ON_INVALID']);
    expect(codes({ attempts: 3, retryOn: 'gateway-error,503' })).toEqual([]);
  });
});

describe('RetryOn errors', () => {
  test.each([
    ['a status code out of range', [RetryOn.statusCode(600)], /test\/routes: defaultRule\["d"\]\.retries\.retryOn\[0\]: 600 is not an HTTP status code Istio knows/],
    ['an unregistered status code', [RetryOn.statusCode(599)], /retries\.retryOn\[0\]: 599 is not an HTTP status code Istio knows/],
    ['an empty list', [], /test\/routes: defaultRule\["d"\]\.retries\.retryOn: the list is empty/],
    ['a condition twice', [RetryOn.FIVE_XX, RetryOn.FIVE_XX], /retries\.retryOn: "5xx" is listed twice/],
  ])('%s', (_name, retryOn, message) => {
    expect(() => addDefault(retryOn)).toThrow(message);
  });
});

describe('the docs say what Istio does with the retries (pilot\'s route/retry/retry.go)', () => {
  /** The doc comment of a member of src/retries.ts, by name, as one line. */
  function docOf(member: string): string {
    const file = join(__dirname, '..', 'src', 'retries.ts');
    const source = ts.createSourceFile(file, readFileSync(file, 'utf-8'), ts.ScriptTarget.Latest, true);
    let text: string | undefined;
    const visit = (node: ts.Node) => {
      if ((ts.isPropertyDeclaration(node) || ts.isPropertySignature(node)) && node.name.getText(source) === member) {
        text = ts.getJSDocCommentsAndTags(node).map((doc) => doc.getText(source)).join(' ');
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (text === undefined) throw new Error(`no member ${member} in src/retries.ts`);
    return text.replace(/\s*\n\s*\*\s*/g, ' ');
  }

  test('RETRIABLE_STATUS_CODES: the codes listed in retryOn (Istio adds the condition for them), and alone not 503', () => {
    const doc = docOf('RETRIABLE_STATUS_CODES');
    expect(doc).toMatch(/RetryOn\.statusCode\(\)/);
    expect(doc).toMatch(/Istio adds this condition itself/);
    expect(doc).toMatch(/not on 503/);
  });

  test('retryRemoteLocalities: only Envoy\'s previous_priorities retry priority, off by default', () => {
    const doc = docOf('retryRemoteLocalities');
    expect(doc).toMatch(/`previous_priorities` retry priority for it, and nothing else/);
    expect(doc).toMatch(/@default false/);
    expect(doc).not.toMatch(/Envoy's default/);
  });

  test('retryOn: the list replaces Istio\'s default conditions', () => {
    expect(docOf('retryOn')).toMatch(/replaces Istio's default conditions.*RETRY_ON_STATUS_CODES_ONLY/);
  });
});
