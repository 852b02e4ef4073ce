import { Duration } from 'cdk8s';
import { CompositeRoute, Destination, HttpMethod, RetryOn, StringMatch, Subsets, Warnings } from '../src';
import { checkoutRoute, HOST, httpRules } from './fixtures';
import { synth } from './util';
import { synthYaml } from './yaml-snapshot';
import { VirtualService } from '../src/imports/istio-networking.istio.io';

// StringMatch, Destination and RetryOn have their own tests (test/string-match.test.ts, destination.test.ts,
// retry-on.test.ts); these are the route's: rule order, policies, hosts and gateways, what it rejects.

describe('CompositeRoute', () => {
  test('the VirtualService is the default child', () => {
    const { routes } = checkoutRoute();
    expect(routes.node.defaultChild).toBeInstanceOf(VirtualService);
    expect(routes.node.defaultChild).toBe(routes.resource);
  });

  test('rules are written in order, the default last, with every match field', () => {
    const { chart, routes, v1, v2 } = checkoutRoute();
    routes.addRule('testers', {
      match: [
        {
          headers: { 'x-canary-user': StringMatch.exact('true'), 'x-team': StringMatch.prefix('qa-') },
          withoutHeaders: { 'x-opt-out': StringMatch.present() },
          uri: StringMatch.regex('(?i)/api/.*'),
          ignoreUriCase: true,
          methods: [HttpMethod.GET, HttpMethod.POST],
          queryParams: { canary: StringMatch.exact('1') },
          port: 8080,
        },
        { sourceLabels: { app: 'qa-tools' }, sourceNamespace: 'qa' },
      ],
      to: Destination.subset(v2),
    });
    routes.addRule('presence', { match: [{ headers: { 'x-debug': StringMatch.present() }, methods: [HttpMethod.custom('PURGE')] }], to: Destination.subset(v2) });
    routes.addDefaultRule('public', { to: Destination.split([{ subset: v1, weight: 95 }, { subset: v2, weight: 5 }]) });
    expect(routes.ruleNames).toEqual(['testers', 'presence', 'public']);
    const rules = httpRules(chart);
    expect(rules[0].match).toEqual([
      {
        headers: { 'x-canary-user': { exact: 'true' }, 'x-team': { prefix: 'qa-' } },
        withoutHeaders: { 'x-opt-out': {} },
        uri: { regex: '(?i)/api/.*' },
        ignoreUriCase: true,
        method: { regex: 'GET|POST' },
        queryParams: { canary: { exact: '1' } },
        port: 8080,
      },
      { sourceLabels: { app: 'qa-tools' }, sourceNamespace: 'qa' },
    ]);
    expect(rules[1].match).toEqual([{ headers: { 'x-debug': {} }, method: { exact: 'PURGE' } }]);
    expect(rules[2]).toEqual({
      name: 'public',
      route: [
        { destination: { host: HOST, subset: 'v1' }, weight: 95 },
        { destination: { host: HOST, subset: 'v2' }, weight: 5 },
      ],
    });
    expect(synthYaml(chart)).toMatchSnapshot();
  });

  test('rule policies: timeout, retries, headers, fault', () => {
    const { chart, routes, v1, v2 } = checkoutRoute();
    routes.addRule('canary', {
      match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
      to: Destination.subset(v2, { headers: { request: { set: { 'x-version': 'v2' } } } }),
      timeout: Duration.millis(1500),
      retries: {
        attempts: 2,
        perTryTimeout: Duration.millis(500),
        retryOn: [RetryOn.FIVE_XX, RetryOn.GRPC_UNAVAILABLE, RetryOn.RESET],
        retryRemoteLocalities: true,
      },
      headers: { request: { set: { 'x-canary': 'true' }, remove: ['x-internal'] }, response: { add: { 'x-served-by': 'canary' } } },
      fault: { delay: { fixedDelay: Duration.seconds(2), percentage: 0.5 }, abort: { httpStatus: 503, percentage: 1 } },
    });
    routes.addDefaultRule('stable', { to: Destination.subset(v1), retries: { attempts: 0 } });
    const [canary, stable] = httpRules(chart);
    expect(canary).toEqual({
      name: 'canary',
      match: [{ headers: { 'x-canary-user': { exact: 'true' } } }],
      route: [{ destination: { host: HOST, subset: 'v2' }, headers: { request: { set: { 'x-version': 'v2' } } } }],
      timeout: '1500ms',
      retries: { attempts: 2, perTryTimeout: '500ms', retryOn: '5xx,unavailable,reset', retryRemoteLocalities: true },
      headers: { request: { set: { 'x-canary': 'true' }, remove: ['x-internal'] }, response: { add: { 'x-served-by': 'canary' } } },
      fault: { delay: { fixedDelay: '2s', percentage: { value: 0.5 } }, abort: { httpStatus: 503, percentage: { value: 1 } } },
    });
    expect(stable.retries).toEqual({ attempts: 0 });
  });

  test('header values may use Envoy variables and an escaped percent', () => {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('all', {
      to: Destination.subset(v1),
      headers: { request: { set: { 'x-client': '%DOWNSTREAM_REMOTE_ADDRESS%', 'x-discount': '10%%', 'x-id': '%REQ(x-request-id)%' }, add: { host: 'checkout.internal' } } },
    });
    expect(httpRules(chart)[0].headers.request.set).toEqual({ 'x-client': '%DOWNSTREAM_REMOTE_ADDRESS%', 'x-discount': '10%%', 'x-id': '%REQ(x-request-id)%' });
  });

  test('hosts and gateways', () => {
    const { chart, routes, v1 } = checkoutRoute({ hosts: ['shop.example.com'], gateways: ['istio-system/public', 'mesh'] });
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    const vs = synth(chart).find((m) => m.kind === 'VirtualService');
    expect(vs.spec.hosts).toEqual(['shop.example.com']);
    expect(vs.spec.gateways).toEqual(['istio-system/public', 'mesh']);
    expect(routes.appliesToMesh).toBe(true);
  });

  test('synthesizing twice gives identical output', () => {
    const build = () => {
      const { chart, routes, v1, v2 } = checkoutRoute();
      routes.addRule('a', { match: [{ headers: { 'x-b': StringMatch.exact('1'), 'x-a': StringMatch.exact('2') } }], to: Destination.subset(v2) });
      routes.addDefaultRule('d', { to: Destination.split([{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }]) });
      return JSON.stringify(synth(chart));
    };
    expect(build()).toBe(build());
  });
});

describe('CompositeRoute errors', () => {
  const canary = { headers: { 'x-canary-user': StringMatch.exact('true') } };

  test('a subset of another host', () => {
    const { chart, routes } = checkoutRoute();
    const other = new Subsets(chart, 'payments', { host: 'payments.prod.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    expect(() => routes.addDefaultRule('d', { to: Destination.subset(other.subset('v1')) }))
      .toThrow('test/routes: defaultRule["d"].to: subset "v1" is of "payments.prod.svc.cluster.local" (test/payments), not of this route\'s "checkout-service.prod.svc.cluster.local"; use a subset of test/subsets');
  });

  test('a duplicate rule name', () => {
    const { routes, v2 } = checkoutRoute();
    routes.addRule('canary', { match: [canary], to: Destination.subset(v2) });
    expect(() => routes.addRule('canary', { match: [{ headers: { 'x-other': StringMatch.exact('1') } }], to: Destination.subset(v2) }))
      .toThrow(/test\/routes: rules\["canary"\]: the route already has a rule named "canary"; give each rule its own name/);
  });

  test('a rule after the default', () => {
    const { routes, v1, v2 } = checkoutRoute();
    routes.addDefaultRule('public', { to: Destination.subset(v1) });
    expect(() => routes.addRule('canary', { match: [canary], to: Destination.subset(v2) }))
      .toThrow(/^test\/routes: rules\["canary"\]: rule "canary" comes after the default \(rule "public"\), .* so it would never match; add it before the default$/);
  });

  test('a matched rule without conditions', () => {
    const { routes, v2 } = checkoutRoute();
    expect(() => routes.addRule('canary', { match: [], to: Destination.subset(v2) })).toThrow(/rule "canary" has no match conditions, so it matches every request; make it the default with addDefaultRule\(\)/);
  });

  test.each([
    ['an empty condition', {}],
    ['a uri prefix of "/"', { uri: StringMatch.prefix('/') }],
  ])('a catch-all condition: %s', (_name, condition) => {
    const { routes, v2 } = checkoutRoute();
    expect(() => routes.addRule('canary', { match: [condition], to: Destination.subset(v2) })).toThrow(/match\[0\]: this condition matches every request, hiding the rules after it; .*addDefaultRule\(\)/);
  });

  test('a rule shadowed by an identical earlier rule', () => {
    const { routes, v1, v2 } = checkoutRoute();
    routes.addRule('first', { match: [canary], to: Destination.subset(v2) });
    expect(() => routes.addRule('second', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(v1) }))
      .toThrow('test/routes: rules["second"].match: rule "second" can never match: rule "first" before it already matches the same requests; remove it or change its conditions');
  });

  test.each([
    ['X-Canary-User', /headers\["X-Canary-User"\]: .*write "x-canary-user".*\(MATCH_HEADER_NAME_UPPERCASE\)$/],
    ['x canary', /headers\["x canary"\]: "x canary" is not a valid header name.*\(MATCH_HEADER_NAME_INVALID\)$/],
    [':authority', /":authority" is not a valid header name here/],
    // A claim is taken on gateway-only routes (test/gateway-routes.test.ts); this route applies to the mesh.
    ['@request.auth.claims.group', /headers\["@request.auth.claims.group"\]: routing on a JWT claim works on gateways only.*\(VS_JWT_CLAIM_NOT_ON_GATEWAY\)$/],
  ])('header name %j', (name, message) => {
    const { routes, v2 } = checkoutRoute();
    expect(() => routes.addRule('r', { match: [{ headers: { [name]: StringMatch.exact('1') } }], to: Destination.subset(v2) })).toThrow(message);
  });

  test.each([
    ['a duration under 1ms', { timeout: Duration.millis(0) }, /timeout: 0ms is too short; Istio needs a duration of at least 1ms/],
    ['a fractional millisecond', { timeout: Duration.millis(2.5) }, /timeout: 2\.5ms is not a whole number of milliseconds/],
    ['negative attempts', { retries: { attempts: -1 } }, /retries.attempts: -1 is out of range/],
    ['retry options with 0 attempts', { retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } }, /retries: attempts is 0, so retries are off/],
    ['retryRemoteLocalities with 0 attempts', { retries: { attempts: 0, retryRemoteLocalities: true } }, /retries: attempts is 0, so retries are off/],
    ['a fault percentage under Istio\'s resolution', { fault: { abort: { httpStatus: 503, percentage: 0.00001 } } }, /fault.abort.percentage: 0.00001 is below 0.0001, the smallest share Istio can inject/],
    ['a control character in a header value', { headers: { request: { set: { 'x-a': 'line\nbreak' } } } }, /headers\.request\.set\["x-a"\]: header value "line\\nbreak" contains control characters.*\(HEADER_VALUE_INVALID\)/],
    ['a stray percent in a header value', { headers: { response: { add: { 'x-discount': '10%' } } } }, /headers\.response\.add\["x-discount"\]: header value "10%" is not a valid Envoy header format.*write a literal % as %%.*\(HEADER_VALUE_INVALID\)/],
    ['removing Host', { headers: { request: { remove: ['host'] } } }, /headers.request: the Host header cannot be removed; Istio rejects it/],
    ['setting Host on a response', { headers: { response: { set: { host: 'x' } } } }, /headers.response: the Host header cannot be changed in a response/],
    ['a per-try timeout under 1ms', { retries: { attempts: 1, perTryTimeout: Duration.millis(0) } }, /retries.perTryTimeout: 0ms is too short/],
    ['an empty fault', { fault: {} }, /fault: the fault is empty/],
    ['an abort status out of range', { fault: { abort: { httpStatus: 99 } } }, /fault.abort.httpStatus: 99 is out of range; use a whole number from 200 to 599/],
    ['a fault percentage over 100', { fault: { delay: { fixedDelay: Duration.seconds(1), percentage: 101 } } }, /fault.delay.percentage: 101 is not a percentage; use a number from 0 to 100/],
    ['a delay under 1ms', { fault: { delay: { fixedDelay: Duration.millis(0) } } }, /fault.delay.fixedDelay: 0ms is too short/],
    ['an upper-case header operation', { headers: { request: { set: { 'X-Canary': 'true' } } } }, /headers\.request\.set\["X-Canary"\]: "X-Canary" is not a valid header name/],
    ['a header in two operations', { headers: { response: { set: { 'x-a': '1' }, remove: ['x-a'] } } }, /headers\.response\.remove\[0\]: header "x-a" is also in set/],
  ])('%s', (_name, policies, message) => {
    const { routes, v2 } = checkoutRoute();
    expect(() => routes.addRule('r', { match: [canary], to: Destination.subset(v2), ...policies })).toThrow(message);
  });

  test.each([
    ['ignoreUriCase without uri', { ignoreUriCase: true, headers: canary.headers }, /ignoreUriCase has no effect without a uri condition/],
    ['no methods', { methods: [] }, /methods: the list is empty and would match no request/],
    ['a port out of range', { port: 70000 }, /match\[0\].port: 70000 is out of range; use a whole number from 1 to 65535/],
    ['invalid source labels', { sourceLabels: { app: 'qa tools' } }, /label "app" has the invalid value "qa tools"/],
    ['an invalid source namespace', { sourceNamespace: 'QA_tools' }, /match\[0\].sourceNamespace: "QA_tools" is not a valid name/],
  ])('match with %s', (_name, condition, message) => {
    const { routes, v2 } = checkoutRoute();
    expect(() => routes.addRule('r', { match: [condition], to: Destination.subset(v2) })).toThrow(message);
  });

  test('an invalid rule name', () => {
    const { routes, v2 } = checkoutRoute();
    expect(() => routes.addRule('Canary Route', { match: [canary], to: Destination.subset(v2) })).toThrow(/rules\["Canary Route"\]: "Canary Route" is not a valid name/);
  });

  test('sourceLabels on a route bound to gateways only', () => {
    const { routes, v2 } = checkoutRoute({ hosts: ['shop.example.com'], gateways: ['istio-system/public'] });
    expect(routes.appliesToMesh).toBe(false);
    expect(() => routes.addRule('qa', { match: [{ sourceLabels: { app: 'qa-tools' } }], to: Destination.subset(v2) }))
      .toThrow(/^test\/routes: rules\["qa"\]\.match\[0\]\.sourceLabels: sourceLabels never matches on gateways "istio-system\/public" .*; add "mesh" to gateways/);
  });

  test.each([
    [{ hosts: [] }, /hosts: the list is empty/],
    [{ hosts: ['Shop.example.com'] }, /hosts\[0\]: "Shop.example.com" is not a valid host name/],
    [{ hosts: ['shop.example.com', 'shop.example.com'] }, /hosts: "shop.example.com" is listed twice/],
    [{ gateways: ['bad/gateway/ref'] }, /gateways\[0\]: "bad\/gateway\/ref" is not a gateway reference; use "mesh", "name" or "namespace\/name"/],
  ])('props %j', (props, message) => {
    expect(() => checkoutRoute(props)).toThrow(message);
  });

  test('a route without a default rule fails synth', () => {
    const { chart, routes, v2 } = checkoutRoute();
    routes.addRule('canary', { match: [canary], to: Destination.subset(v2) });
    expect(() => synth(chart)).toThrow(/\[test\/routes\] the route has no default rule.*404.*addDefaultRule\(\)/);
  });

  test('two routes for one host fail synth, naming both', () => {
    const { chart, subsets, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('a', { to: Destination.subset(v1) });
    const second = new CompositeRoute(chart, 'second', { subsets });
    second.addDefaultRule('b', { to: Destination.subset(v1) });
    // The host and resource names have no regex characters but dots, which match themselves too.
    expect(() => synth(chart)).toThrow(
      `[test/routes/Resource] XO_MESH_HOST_CONFLICT spec.hosts[0]: VirtualService default/${second.resource.name} also routes "checkout-service.prod.svc.cluster.local" for sidecars, which use only one; merge their rules into one`);
    expect(() => synth(chart)).toThrow(`[test/second/Resource] XO_MESH_HOST_CONFLICT spec.hosts[0]: VirtualService default/${routes.resource.name} also routes`);
  });

  test('routes for one host on different gateways are fine', () => {
    const { chart, subsets, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('a', { to: Destination.subset(v1) });
    const edge = new CompositeRoute(chart, 'edge', { subsets, gateways: ['istio-system/public'] });
    edge.addDefaultRule('b', { to: Destination.subset(v1) });
    expect(synth(chart).filter((m) => m.kind === 'VirtualService')).toHaveLength(2);
  });
});

describe('CompositeRoute warnings', () => {
  const canary = { headers: { 'x-canary-user': StringMatch.exact('true') } };

  test('a per-try timeout that is not below the timeout', () => {
    const { chart, routes, v1, v2 } = checkoutRoute();
    routes.addRule('canary', { match: [canary], to: Destination.subset(v2), timeout: Duration.seconds(2), retries: { attempts: 2, perTryTimeout: Duration.seconds(2) } });
    routes.addDefaultRule('stable', { to: Destination.subset(v1) });
    expect(Warnings.of(chart)).toEqual([
      expect.stringMatching(/^\[test\/routes\] RETRY_PER_TRY_TIMEOUT_IGNORED rules\["canary"\]\.retries\.perTryTimeout: 2s is not below the timeout of 2s.*make it shorter/),
    ]);
    const printed = jest.spyOn(console, 'warn').mockImplementation(() => {});
    synth(chart);
    expect(printed).toHaveBeenCalledWith(`Warning: ${Warnings.of(chart)[0]}`);
    printed.mockRestore();
  });

  test('retries that cannot fit in the timeout', () => {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('stable', { to: Destination.subset(v1), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(3) } });
    expect(Warnings.of(chart)).toEqual([
      expect.stringMatching(/^\[test\/routes\] RETRY_BUDGET_EXCEEDS_TIMEOUT defaultRule\["stable"\]\.retries: 4 tries of up to 3s can take longer than the timeout of 10s.*lower attempts or perTryTimeout/),
    ]);
  });

  test('retries that fit, or no timeout, give no warning', () => {
    const { chart, routes, v1, v2 } = checkoutRoute();
    routes.addRule('canary', { match: [canary], to: Destination.subset(v2), timeout: Duration.seconds(2), retries: { attempts: 1, perTryTimeout: Duration.seconds(1) } });
    routes.addDefaultRule('stable', { to: Destination.subset(v1), retries: { attempts: 3, perTryTimeout: Duration.seconds(3) } });
    expect(Warnings.of(chart)).toEqual([]);
  });
});
