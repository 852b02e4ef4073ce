/**
 * cdk8s renders the L2 objects (L1 objects whose spec is a Lazy); the rule engine reads them from their
 * constructs' specs while nothing changes what synth writes, and reuses its findings while an app is
 * unchanged (src/object-manifests.ts). These tests change an app between synths, and use the cdk8s features
 * that change what synth writes: the engine must read that.
 */
import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { CompositeRoute, Destination, istio, StringMatch, Subsets } from '../src';
import { synth } from './util';
import { checkInputOf, isUnpatchedL2Output, readsFromSpec } from '../src/private/object-manifests';
import * as checker from '../src/private/validation/checker';
import { IstioChecker } from '../src/validation/istio-checker';

function reviews(chart: Chart) {
  const subsets = new Subsets(chart, 'subsets', {
    host: 'reviews.prod.svc.cluster.local',
    metadata: { name: 'reviews' },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
  });
  const routes = new CompositeRoute(chart, 'routes', { subsets, metadata: { name: 'reviews' } });
  return { subsets, routes, v1: subsets.subset('v1'), v2: subsets.subset('v2') };
}

const spec = (manifests: any[], kind: string) => manifests.find((m) => m.kind === kind).spec;

describe('an app changed between two synths', () => {
  test('a rule and a subset added after the objects were rendered and checked are written and checked', () => {
    const chart = Testing.chart();
    const { subsets, routes, v1 } = reviews(chart);
    routes.addRule('testers', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(subsets.subset('v2')) });
    expect(subsets.resource.toJson().spec.subsets.map((s: any) => s.name)).toEqual(['v1', 'v2']);
    expect(routes.resource.toJson().spec.http.map((r: any) => r.name)).toEqual(['testers']);
    expect(IstioChecker.findings(chart).filter((f) => f.code === 'XO_SUBSET_NOT_FOUND')).toEqual([]);

    const v3 = subsets.addSubset({ name: 'v3', labels: { version: 'v3' } });
    routes.addDefaultRule('split', { to: Destination.split([{ subset: v1, weight: 90 }, { subset: v3, weight: 10 }]) });
    const second = synth(chart);
    expect(spec(second, 'DestinationRule').subsets.map((s: any) => s.name)).toEqual(['v1', 'v2', 'v3']);
    expect(spec(second, 'VirtualService').http.map((r: any) => r.name)).toEqual(['testers', 'split']);
    expect(spec(second, 'VirtualService').http[1].route).toEqual([
      { destination: { host: 'reviews.prod.svc.cluster.local', subset: 'v1' }, weight: 90 },
      { destination: { host: 'reviews.prod.svc.cluster.local', subset: 'v3' }, weight: 10 },
    ]);
  });

  test('metadata changed after a clean synth is checked again: the second synth fails', () => {
    const chart = Testing.chart();
    const { routes, v1 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    expect(() => synth(chart)).not.toThrow();
    routes.resource.metadata.addAnnotation('internal.istio.io/parents', 'reviews');
    expect(() => synth(chart)).toThrow(/\[test\/routes\/Resource\] OBJECT_ANNOTATION_REJECTED metadata\.annotations\["internal\.istio\.io\/parents"\]/);
  });

  test('a patch added after a clean synth is written and checked by the second synth', () => {
    const chart = Testing.chart();
    const { routes, v1 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    synth(chart);
    expect(readsFromSpec(routes.resource)).toBe(true);
    routes.resource.addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/destination/subset', 'v9'));
    expect(isUnpatchedL2Output(routes.resource)).toBe(false);
    expect(readsFromSpec(routes.resource)).toBe(false);
    expect(() => synth(chart)).toThrow(/\[test\/routes\/Resource\] XO_SUBSET_NOT_FOUND spec\.http\[0\]\.route\[0\]\.destination\.subset: .*has no subset "v9"/);
  });

  test('an app synthesized twice without changes reports the same findings', () => {
    const chart = Testing.chart();
    const { routes, v1 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    const first = IstioChecker.findings(chart);
    synth(chart);
    expect(IstioChecker.findings(chart)).toEqual(first);
  });

  test('cdk8s validates twice per synth: the rules run once, and again only when an object changed', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const { routes, v1 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    const runs = jest.spyOn(checker, 'checkManifests');
    try {
      app.synthYaml();
      expect(runs).toHaveBeenCalledTimes(1);
      app.synthYaml();
      expect(runs).toHaveBeenCalledTimes(1);
      routes.resource.metadata.addLabel('team', 'reviews');
      app.synthYaml();
      expect(runs).toHaveBeenCalledTimes(2);
      // A patched object is read from its manifest, and known to be unchanged from the manifest's text.
      ApiObject.of(routes).addJsonPatch(JsonPatch.add('/metadata/labels/tier', 'web'));
      app.synthYaml();
      expect(runs).toHaveBeenCalledTimes(3);
      app.synthYaml();
      expect(runs).toHaveBeenCalledTimes(3);
    } finally {
      runs.mockRestore();
    }
  });
});

describe('what the rule engine reads: what synth writes', () => {
  test('a JSON patch on the L2 object (the escape hatch) is written and checked', () => {
    const chart = Testing.chart();
    const { subsets, routes, v2 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v2) });
    ApiObject.of(subsets).addJsonPatch(JsonPatch.remove('/spec/subsets/1'));
    expect(subsets.resource.toJson().spec.subsets.map((s: any) => s.name)).toEqual(['v1']);
    expect(checkInputOf(subsets.resource).manifest().spec.subsets.map((s: any) => s.name)).toEqual(['v1']);
    expect(() => synth(chart)).toThrow(/\[test\/routes\/Resource\] XO_SUBSET_NOT_FOUND spec\.http\[0\]\.route\[0\]\.destination\.subset: .*has no subset "v2"/);
  });

  // Rewrites every subset name "v2" to "v2-blue": a resolver may change any value, so it must see them all.
  class RenameSubset implements IResolver {
    constructor(private readonly inDestinationRules = true) {}
    public resolve(context: ResolutionContext): void {
      const last = context.key[context.key.length - 1];
      if (last === 'subset' && context.value === 'v2') context.replaceValue('v2-blue');
      if (this.inDestinationRules && last === 'name' && context.key.includes('subsets') && context.value === 'v2') context.replaceValue('v2-blue');
    }
  }

  test('an app with resolvers of its own: they see the L2 specs, and the engine reads what they wrote', () => {
    const app = Testing.app({ resolvers: [new RenameSubset()] });
    const chart = new Chart(app, 'test');
    const { routes, v2 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v2) });
    expect(isUnpatchedL2Output(routes.resource)).toBe(true);
    expect(readsFromSpec(routes.resource)).toBe(false);
    const manifests = synth(chart);
    expect(spec(manifests, 'DestinationRule').subsets.map((s: any) => s.name)).toEqual(['v1', 'v2-blue']);
    expect(spec(manifests, 'VirtualService').http[0].route[0].destination.subset).toBe('v2-blue');
    expect(checkInputOf(routes.resource).manifest().spec.http[0].route[0].destination.subset).toBe('v2-blue');
  });

  test('a resolver that breaks a reference: the engine reports what synth would write', () => {
    const app = Testing.app({ resolvers: [new RenameSubset(false)] });
    const chart = new Chart(app, 'test');
    const { routes, v2 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v2) });
    expect(() => synth(chart)).toThrow(/\[test\/routes\/Resource\] XO_SUBSET_NOT_FOUND spec\.http\[0\]\.route\[0\]\.destination\.subset: .*has no subset "v2-blue"/);
  });

  test('a resolver added to the app after it was created is seen too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'test');
    const { routes, v2 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v2) });
    expect(readsFromSpec(routes.resource)).toBe(true);
    app.resolvers.unshift(new RenameSubset(false));
    expect(readsFromSpec(routes.resource)).toBe(false);
    expect(() => synth(chart)).toThrow(/XO_SUBSET_NOT_FOUND spec\.http\[0\]\.route\[0\]\.destination\.subset: .*has no subset "v2-blue"/);
  });

  test('CDK8S_DISABLE_SORT is not special: cdk8s writes keys in the order given, the engine reads the same content', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 'subsets', {
      host: 'reviews.prod.svc.cluster.local',
      subsets: [{ name: 'v1', labels: { version: 'v1', app: 'reviews' } }],
    });
    expect(Object.keys(subsets.resource.toJson().spec.subsets[0].labels)).toEqual(['app', 'version']);
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(readsFromSpec(subsets.resource)).toBe(true);
      expect(Object.keys(subsets.resource.toJson().spec.subsets[0].labels)).toEqual(['version', 'app']);
      expect(checkInputOf(subsets.resource).manifest().spec).toEqual(subsets.resource.toJson().spec);
      expect(() => synth(chart)).not.toThrow();
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('toJson returns new objects each time: changing one does not change the next', () => {
    const chart = Testing.chart();
    const { subsets } = reviews(chart);
    const first = subsets.resource.toJson();
    first.spec.subsets[0].labels.version = 'changed';
    first.metadata.name = 'changed';
    expect(subsets.resource.toJson().spec.subsets[0].labels.version).toBe('v1');
    expect(subsets.resource.toJson().metadata.name).toBe('reviews');
  });
});

describe('the L2 objects are L1 objects that cdk8s renders', () => {
  test('an L2 object writes what the L1 class writes for the same spec', () => {
    const chart = Testing.chart();
    const { subsets, routes, v1, v2 } = reviews(chart);
    routes.addDefaultRule('split', { to: Destination.split([{ subset: v1, weight: 90 }, { subset: v2, weight: 10 }]) });
    expect(routes.resource).toBeInstanceOf(istio.VirtualService);
    expect(subsets.resource).toBeInstanceOf(istio.DestinationRule);
    const other = Testing.chart();
    const vs = new istio.VirtualService(other, 'routes', { metadata: { name: routes.resource.name }, spec: routes._toIstio() });
    const dr = new istio.DestinationRule(other, 'subsets', { metadata: { name: 'reviews' }, spec: subsets._toIstio() });
    expect(routes.resource.toJson()).toEqual(vs.toJson());
    expect(JSON.stringify(subsets.resource.toJson())).toBe(JSON.stringify(dr.toJson()));
  });
});

describe('objects that cannot render', () => {
  test('a metadata value that throws: cdk8s\'s message, with the construct path', () => {
    const chart = Testing.chart();
    const { routes, v1 } = reviews(chart);
    routes.addDefaultRule('all', { to: Destination.subset(v1) });
    routes.resource.metadata.addLabel('release', Lazy.any({ produce: () => { throw new Error('no release yet'); } }) as any);
    expect(() => routes.resource.toJson()).toThrow("Failed serializing construct at path 'test/routes/Resource' with name 'reviews': Error: no release yet");
    expect(() => synth(chart)).toThrow(/no release yet/);
  });

  test('a chart outside an App: the engine reads what cdk8s renders', () => {
    const chart = new Chart(undefined as any, 'alone');
    const { subsets } = reviews(chart);
    expect(readsFromSpec(subsets.resource)).toBe(false);
  });
});

test('an App synthesizes the L2 objects', () => {
  const app = new App({ outdir: '/tmp/unused' });
  const chart = new Chart(app, 'test', { namespace: 'prod', labels: { team: 'reviews' } });
  const { routes, v1, v2 } = reviews(chart);
  routes.addDefaultRule('split', { to: Destination.split([{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }]) });
  // test/util.ts synth() compares what the engine read with what synth wrote
  const manifests = synth(chart);
  expect(manifests.map((m) => [m.metadata.namespace, m.metadata.labels])).toEqual([['prod', { team: 'reviews' }], ['prod', { team: 'reviews' }]]);
  expect(app.synthYaml()).toContain('weight: 50');
});
