/** Checks at synth: automatic with the L2 constructs, on request for L1-only apps, with suppressions. */
import { ApiObject, App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { CompositeRoute, Destination, istio, StringMatch, Subsets, Warnings } from '../src';
import { synth } from './util';
import { Severity } from '../src/validation/finding';
import { IstioChecker } from '../src/validation/istio-checker';

function reviews(chart: Chart) {
  const subsets = new Subsets(chart, 'subsets', {
    host: 'reviews.prod.svc.cluster.local',
    metadata: { name: 'reviews' },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
  });
  return { subsets, v1: subsets.subset('v1'), v2: subsets.subset('v2') };
}

/** An L1 VirtualService for a host, routing to reviews' subset. */
function l1Route(chart: Chart, id: string, subset: string, extra: any = {}) {
  return new istio.VirtualService(chart, id, {
    metadata: { name: id },
    spec: {
      hosts: [`${id}.prod.svc.cluster.local`],
      http: [{ route: [{ destination: { host: 'reviews.prod.svc.cluster.local', subset } }], ...extra }],
    },
  });
}

function quietly<T>(fn: () => T): { result: T; warnings: string[] } {
  const warnings: string[] = [];
  const spy = jest.spyOn(console, 'warn').mockImplementation((line: string) => warnings.push(line));
  try {
    return { result: fn(), warnings };
  } finally {
    spy.mockRestore();
  }
}

describe('with L2 constructs in the app', () => {
  test('an L1 object routing to a subset the L2 DestinationRule lacks fails synth, under its construct path', () => {
    const chart = Testing.chart();
    reviews(chart);
    l1Route(chart, 'ratings', 'v3');
    expect(() => synth(chart)).toThrow(
      /\[test\/ratings\] XO_SUBSET_NOT_FOUND spec\.http\[0\]\.route\[0\]\.destination\.subset: DestinationRule default\/reviews \("v1", "v2"\) has no subset "v3", so requests to it fail with 503/);
  });

  test('the same object with a defined subset synthesizes', () => {
    const chart = Testing.chart();
    reviews(chart);
    l1Route(chart, 'ratings', 'v2');
    expect(synth(chart).map((m) => m.metadata.name)).toEqual(['reviews', 'ratings']);
  });

  test('the constructs\' own output gets no finding beyond infos', () => {
    const chart = Testing.chart();
    const { subsets, v1, v2 } = reviews(chart);
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addRule('testers', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(v2) });
    routes.addDefaultRule('split', { to: Destination.split([{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }]) });
    const { warnings } = quietly(() => synth(chart));
    expect(warnings).toEqual([]);
    expect(IstioChecker.findings(chart).filter((f) => f.severity !== Severity.INFO)).toEqual([]);
  });

  test('a warning is printed once: the route\'s own retry warning, not the checker\'s copy of it', () => {
    const chart = Testing.chart();
    const { subsets, v1 } = reviews(chart);
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('stable', { to: Destination.subset(v1), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(3) } });
    const { warnings } = quietly(() => synth(chart));
    expect(warnings).toEqual([`Warning: ${Warnings.of(chart)[0]}`]);
    expect(warnings[0]).toMatch(/defaultRule\["stable"\]\.retries: 4 tries/);
  });

  test('in an app with resolvers of its own (rendered by cdk8s), the warning is still printed once', () => {
    const app = Testing.app({ resolvers: [{ resolve: () => undefined }] });
    const chart = new Chart(app, 'test');
    const { subsets, v1 } = reviews(chart);
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('stable', { to: Destination.subset(v1), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(3) } });
    const { warnings } = quietly(() => synth(chart));
    expect(warnings).toEqual([`Warning: ${Warnings.of(chart)[0]}`]);
  });

  test('after an escape hatch changes the route, the checker reports what it sees', () => {
    const chart = Testing.chart();
    const { subsets, v1 } = reviews(chart);
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('stable', { to: Destination.subset(v1) });
    routes.resource.addJsonPatch(JsonPatch.add('/spec/http/0/timeout', '2s'));
    routes.resource.addJsonPatch(JsonPatch.add('/spec/http/0/retries', { attempts: 2, perTryTimeout: '2s' }));
    const { warnings } = quietly(() => synth(chart));
    expect(warnings).toEqual([expect.stringMatching(/^Warning: \[test\/routes\/Resource\] RETRY_PER_TRY_TIMEOUT_IGNORED spec\.http\[0\]\.retries\.perTryTimeout: 2s is not below the timeout of 2s/)]);
  });

  test('two routes for one host: the checker\'s finding, once under each route\'s VirtualService, is the only report', () => {
    const chart = Testing.chart();
    const { subsets, v1 } = reviews(chart);
    new CompositeRoute(chart, 'a', { subsets }).addDefaultRule('a', { to: Destination.subset(v1) });
    new CompositeRoute(chart, 'b', { subsets }).addDefaultRule('b', { to: Destination.subset(v1) });
    let message = '';
    try {
      synth(chart);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n').slice(1).map((line) => line.trim().replace(/VirtualService [^;]+/, 'VirtualService …'))).toEqual([
      '[test/a/Resource] XO_MESH_HOST_CONFLICT spec.hosts[0]: VirtualService …; merge their rules into one',
      '[test/b/Resource] XO_MESH_HOST_CONFLICT spec.hosts[0]: VirtualService …; merge their rules into one',
    ]);
  });

  test('an L1 route for the host of an L2 route is a conflict the checker reports on both', () => {
    const chart = Testing.chart();
    const { subsets, v1 } = reviews(chart);
    new CompositeRoute(chart, 'routes', { subsets }).addDefaultRule('a', { to: Destination.subset(v1) });
    new istio.VirtualService(chart, 'legacy', {
      metadata: { name: 'legacy' },
      spec: { hosts: ['reviews.prod.svc.cluster.local'], http: [{ route: [{ destination: { host: 'reviews.prod.svc.cluster.local' } }] }] },
    });
    expect(() => synth(chart)).toThrow(/\[test\/routes\/Resource\] XO_MESH_HOST_CONFLICT[\s\S]*\[test\/legacy\] XO_MESH_HOST_CONFLICT/);
  });

  test('errors of the webhook\'s rules in an L1 object fail synth; its warnings are printed', () => {
    const chart = Testing.chart();
    reviews(chart);
    l1Route(chart, 'bad', 'v1', { timeout: '0s', retries: { attempts: 1, retryOn: '5xx, reset' } });
    l1Route(chart, 'odd', 'v1', { match: [{ headers: { 'X-User': { exact: 'a' } } }] });
    const { result, warnings } = quietly(() => {
      try {
        synth(chart);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(result).toMatch(/\[test\/bad\] DURATION_INVALID spec\.http\[0\]\.timeout: "0s" is shorter than 1ms/);
    expect(result).toMatch(/\[test\/bad\] RETRY_ON_INVALID spec\.http\[0\]\.retries\.retryOn: " reset"/);
    expect(result).not.toMatch(/test\/odd/);
    expect(warnings).toContain('Warning: [test/odd] MATCH_HEADER_NAME_UPPERCASE spec.http[0].match[0].headers["X-User"]: header names are case-insensitive and Envoy lowercases them; write "x-user" so the YAML reads as what is matched');
  });
});

describe('in an app of L1 objects only', () => {
  function l1App() {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    new istio.DestinationRule(chart, 'dr', { metadata: { name: 'reviews' }, spec: { host: 'reviews.prod.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } });
    l1Route(chart, 'ratings', 'v2');
    return { app, chart };
  }

  test('nothing is checked until IstioChecker.enable()', () => {
    const { chart } = l1App();
    expect(() => synth(chart)).not.toThrow();
  });

  test('IstioChecker.enable() checks every Istio object of the app, once however often it is called', () => {
    const { app, chart } = l1App();
    IstioChecker.enable(app);
    IstioChecker.enable(chart);
    let message = '';
    try {
      synth(chart);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.match(/XO_SUBSET_NOT_FOUND/g)).toHaveLength(1);
  });

  test('app.synth() fails the same way', () => {
    const { app } = l1App();
    IstioChecker.enable(app);
    expect(() => app.synth()).toThrow(/\[test\/ratings\] XO_SUBSET_NOT_FOUND/);
  });

  test('any ApiObject of an Istio group is checked, not only the generated classes', () => {
    const app = new App({ outdir: Testing.app().outdir });
    const chart = new Chart(app, 'raw');
    new ApiObject(chart, 'vs', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'raw' },
      spec: { hosts: ['raw.prod.svc.cluster.local'], http: [{ route: [{ destination: { host: 'raw.prod.svc.cluster.local' }, weight: -5 }] }] },
    } as any);
    IstioChecker.enable(app);
    expect(() => app.synth()).toThrow(/\[raw\/vs\] VS_WEIGHT_NEGATIVE spec\.http\[0\]\.route\[0\]\.weight/);
  });
});

describe('suppressions', () => {
  test('accept one code on one object, with a reason kept as node metadata', () => {
    const chart = Testing.chart();
    reviews(chart);
    const route = l1Route(chart, 'ratings', 'v3');
    IstioChecker.suppress(route, 'XO_SUBSET_NOT_FOUND', 'subset v3 is defined by the platform team\'s DestinationRule');
    expect(() => synth(chart)).not.toThrow();
    expect(route.node.metadata.find((m) => m.type === IstioChecker.SUPPRESSION_METADATA_TYPE)?.data).toEqual({
      code: 'XO_SUBSET_NOT_FOUND', reason: 'subset v3 is defined by the platform team\'s DestinationRule',
    });
  });

  test('apply to the objects below the construct they are set on, and only to their code', () => {
    const chart = Testing.chart();
    reviews(chart);
    const group = new Chart(chart, 'group');
    l1Route(group, 'ratings', 'v3');
    l1Route(group, 'details', 'v1', { timeout: '0s' });
    IstioChecker.suppress(group, 'XO_SUBSET_NOT_FOUND', 'defined elsewhere');
    expect(() => synth(chart)).toThrow(/DURATION_INVALID/);
    expect(IstioChecker.findings(chart).map((f) => `${f.path} ${f.code}`)).toEqual(['test/group/details DURATION_INVALID']);
  });

  test('need a known code and a reason', () => {
    const chart = Testing.chart();
    const route = l1Route(chart, 'ratings', 'v3');
    expect(() => IstioChecker.suppress(route, 'XO_SUBSET_MISSING', 'typo')).toThrow(/"XO_SUBSET_MISSING" is not a rule code/);
    expect(() => IstioChecker.suppress(route, 'XO_SUBSET_NOT_FOUND', '  ')).toThrow(/needs a reason/);
  });
});

describe('warnings print once per synth', () => {
  /**
   * An app of three charts, each with a route whose retries the timeout cuts short (the construct's warning)
   * and an L1 route matching an upper-case header (the checker's warning). cdk8s validates the whole app
   * once for app.synth() and again for each chart it writes: four passes.
   */
  function threeCharts(): App {
    const app = Testing.app();
    for (const name of ['a', 'b', 'c']) {
      const chart = new Chart(app, name, { namespace: name });
      const host = `${name}.${name}.svc.cluster.local`;
      const subsets = new Subsets(chart, 'subsets', { host, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
      new CompositeRoute(chart, 'routes', { subsets })
        .addDefaultRule('stable', { to: Destination.subset(subsets.subset('v1')), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(3) } });
      new istio.VirtualService(chart, 'odd', {
        metadata: { name: 'odd' },
        spec: { hosts: [`odd.${name}.svc.cluster.local`], http: [{ match: [{ headers: { 'X-User': { exact: 'a' } } }], route: [{ destination: { host } }] }] },
      });
    }
    return app;
  }

  const EXPECTED = ['a', 'b', 'c'].flatMap((name) => [
    expect.stringMatching(new RegExp(`^Warning: \\[${name}/routes\\] RETRY_BUDGET_EXCEEDS_TIMEOUT defaultRule\\["stable"\\]\\.retries: 4 tries`)),
    expect.stringMatching(new RegExp(`^Warning: \\[${name}/odd\\] MATCH_HEADER_NAME_UPPERCASE spec\\.http\\[0\\]\\.match\\[0\\]\\.headers\\["X-User"\\]`)),
  ]);

  test('app.synth() of three charts prints each warning once', () => {
    const app = threeCharts();
    const { warnings } = quietly(() => app.synth());
    expect([...warnings].sort()).toEqual([...warnings].sort().filter((w, i, all) => all.indexOf(w) === i));
    expect(warnings).toHaveLength(6);
    expect(warnings).toEqual(expect.arrayContaining(EXPECTED));
  });

  test('app.synthYaml() too', () => {
    const app = threeCharts();
    const { warnings } = quietly(() => app.synthYaml());
    expect(warnings).toHaveLength(6);
    expect(warnings).toEqual(expect.arrayContaining(EXPECTED));
  });

  test('a later synth prints them again', async () => {
    const app = threeCharts();
    expect(quietly(() => app.synthYaml()).warnings).toHaveLength(6);
    await new Promise((resolve) => setImmediate(resolve));
    expect(quietly(() => app.synthYaml()).warnings).toHaveLength(6);
  });
});
