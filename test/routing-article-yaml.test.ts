/**
 * The canary traffic-shaping article's own YAML (networking.istio.io/v1alpha3, written by hand) explained and
 * simulated, to prove the routing model reads YAML this library did not write. The objects are the
 * project's copies in test/canary-article/ (see its README.md): one per file, in the article's order, the
 * two the article printed in part made whole.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { HOST } from './fixtures';
import { mermaidErrors } from './mermaid-grammar';
import { main } from '../src/cli';
import { RoutingModel } from '../src/routing/routing-model';

const DIR = join(__dirname, 'canary-article');

interface Fixture {
  readonly file: string;
  readonly path: string;
  readonly text: string;
  /** The one Istio object of the file. */
  readonly object: any;
  /** The file's `# completed: ...` header line when the article printed the object only in part. */
  readonly completed?: string;
}

/** The fixture files, in the article's order (their names are numbered); each holds one object. */
function articleFixtures(): Fixture[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort().map((file) => {
    const path = join(DIR, file);
    const text = readFileSync(path, 'utf-8');
    const documents = parseAllDocuments(text);
    if (documents.length !== 1) throw new Error(`${file}: expected one YAML document, found ${documents.length}`);
    const completed = text.split('\n').find((line) => line.startsWith('# completed:'));
    return { file, path, text, object: documents[0].toJS(), completed };
  });
}

const fixtures = articleFixtures();
const fixture = (file: string): Fixture => {
  const found = fixtures.find((f) => f.file === file);
  if (found === undefined) throw new Error(`test/canary-article/${file} is missing`);
  return found;
};
const foundation = fixture('01-foundation-destination-rule.yaml');
const to = (subset: string, probability: number) => ({ host: HOST, subset, probability });

test('the fixtures hold the article\'s eight objects in its order, two of them completed from fragments', () => {
  expect(fixtures.map((f) => f.file)).toEqual([
    '01-foundation-destination-rule.yaml',
    '02-composite-virtual-service.yaml',
    '03-source-labels-virtual-service.yaml',
    '04-mirror-virtual-service.yaml',
    '05-consistent-hash-destination-rule.yaml',
    '06-consistent-hash-split-virtual-service.yaml',
    '07-common-mistake-virtual-service.yaml',
    '08-per-rule-policies-virtual-service.yaml',
  ]);
  expect(fixtures.map((f) => [f.object.apiVersion, f.object.kind, f.object.metadata.name])).toEqual([
    ['networking.istio.io/v1alpha3', 'DestinationRule', 'checkout-service-dr'],
    ['networking.istio.io/v1alpha3', 'VirtualService', 'checkout-service-vs'],
    ['networking.istio.io/v1alpha3', 'VirtualService', 'checkout-service-vs'],
    ['networking.istio.io/v1alpha3', 'VirtualService', 'checkout-service-vs'],
    ['networking.istio.io/v1alpha3', 'DestinationRule', 'checkout-service-dr'],
    ['networking.istio.io/v1alpha3', 'VirtualService', 'checkout-service-vs'],
    ['networking.istio.io/v1alpha3', 'VirtualService', 'checkout-service-vs'],
    ['networking.istio.io/v1alpha3', 'VirtualService', 'checkout-service-vs'],
  ]);
  expect(fixtures.filter((f) => f.completed !== undefined).map((f) => f.file)).toEqual([
    '03-source-labels-virtual-service.yaml', '08-per-rule-policies-virtual-service.yaml',
  ]);
  // All for the article's one host, without a namespace, and each headed by what it is.
  expect(fixtures.map((f) => f.object.spec.host ?? f.object.spec.hosts.join())).toEqual(fixtures.map(() => HOST));
  expect(fixtures.filter((f) => f.object.metadata.namespace !== undefined)).toEqual([]);
  for (const f of fixtures) expect(f.text.startsWith('# The canary traffic-shaping article, ')).toBe(true);
});

describe('pattern 1: the DestinationRule and the composite VirtualService', () => {
  const composite = fixture('02-composite-virtual-service.yaml');
  const model = RoutingModel.fromManifests([foundation.object, composite.object]);

  test('explained', () => {
    const host = model.hosts[0];
    expect(host).toMatchObject({ host: HOST, virtualService: 'checkout-service-vs', destinationRule: 'checkout-service-dr', notes: [] });
    expect(host.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }]);
    expect(model.toText()).toMatchSnapshot('table');
    expect(mermaidErrors(model.toMermaid())).toEqual([]);
    expect(model.toMermaid()).toMatchSnapshot('mermaid');
  });

  test('internal header -> v2; public -> 95/5', () => {
    expect(model.simulate({ headers: { 'x-canary-user': 'true' } })).toMatchObject({ rule: 'internal-canary-route', destinations: [to('v2', 1)] });
    expect(model.simulate({})).toMatchObject({ rule: 'public-traffic-split', destinations: [to('v1', 0.95), to('v2', 0.05)] });
  });

  test('the cdk8s-istio-traffic explain command reads the article\'s YAML files the same way', () => {
    const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(main(['explain', foundation.path, composite.path])).toBe(0);
      expect(log.mock.calls.map((c) => c[0]).join('')).toBe(model.toText());
    } finally {
      log.mockRestore();
    }
  });
});

describe('pattern 1 edge case: the sourceLabels fragment', () => {
  // The article prints one rule and leaves its route as a comment; the fixture completes it with that route
  // to v2, in a VirtualService for the article's host, and no other rule.
  const model = RoutingModel.fromManifests([foundation.object, fixture('03-source-labels-virtual-service.yaml').object]);

  test('explained: the only rule matches qa-tools; nothing catches the rest', () => {
    const host = model.hosts[0];
    expect(host.rules[0].when).toEqual(['source app=qa-tools']);
    expect(host.unmatched).toEqual([]);
    expect(host.notes).toEqual(['no rule matches every request: a request that matches none gets 404 (NR)']);
    expect(model.toText()).toMatchSnapshot('table');
  });

  test('qa-tools source -> v2; any other caller gets 404', () => {
    expect(model.simulate({ sourceLabels: { app: 'qa-tools' } })).toMatchObject({ rule: 'internal-service-canary', destinations: [to('v2', 1)] });
    const other = model.simulate({ sourceLabels: { app: 'storefront' } });
    expect(other.destinations).toEqual([]);
    expect(other.response).toBe('404 (NR): no rule of checkout-service-vs matches');
  });
});

describe('pattern 2: the mirror', () => {
  const model = RoutingModel.fromManifests([foundation.object, fixture('04-mirror-virtual-service.yaml').object]);

  test('explained', () => {
    expect(model.hosts[0].rules[0]).toMatchObject({ matchesEverything: true, mirrors: [{ host: HOST, subset: 'v2', probability: 0.1 }] });
    expect(model.toText()).toMatchSnapshot('table');
    expect(mermaidErrors(model.toMermaid())).toEqual([]);
  });

  test('every request -> v1, mirrored 10% to v2 (the article mirrors writes too)', () => {
    for (const method of ['GET', 'POST']) {
      expect(model.simulate({ method })).toMatchObject({ destinations: [to('v1', 1)], mirrors: [{ host: HOST, subset: 'v2', probability: 0.1 }] });
    }
  });
});

describe('pattern 3A: the article\'s "sticky" consistent hash with a 50/50 split', () => {
  const model = RoutingModel.fromManifests([
    fixture('05-consistent-hash-destination-rule.yaml').object, fixture('06-consistent-hash-split-virtual-service.yaml').object,
  ]);

  test('explained: pod affinity on session-id, and no version stickiness', () => {
    const host = model.hosts[0];
    expect(host.podAffinity).toBe('consistent hash on header session-id');
    expect(host.rules[0].sticky).toBeUndefined();
    expect(model.toText()).toMatchSnapshot('table');
  });

  test('the same session-id is split 50/50 on every request: the hash picks a pod, not a version', () => {
    for (let i = 0; i < 2; i++) {
      expect(model.simulate({ headers: { 'session-id': 'user-42' } }).destinations).toEqual([to('v1', 0.5), to('v2', 0.5)]);
    }
  });
});

describe('pattern 3B: the article\'s "common mistake"', () => {
  const model = RoutingModel.fromManifests([foundation.object, fixture('07-common-mistake-virtual-service.yaml').object]);

  test('explained: the second rule is never used', () => {
    const [first, second] = model.hosts[0].rules;
    expect(first).toMatchObject({ timeout: '30s', retries: { attempts: 3, perTryTimeout: '10s', retryOn: 'connect-failure,refused-stream,503' } });
    expect(second.reachable).toBe(false);
    expect(model.hosts[0].notes).toEqual(['rule #2 is never used: rule #1 before it matches every request']);
    expect(model.toText()).toMatchSnapshot('table');
    expect(mermaidErrors(model.toMermaid())).toEqual([]);
  });

  test('v2 requests get the first rule\'s policies, never the stricter ones', () => {
    const outcome = model.simulate({});
    expect(outcome.rulePosition).toBe(1);
    expect(outcome.destinations).toEqual([to('v1', 0.95), to('v2', 0.05)]);
  });
});

describe('pattern 3B corrected: the per-rule policy fragment', () => {
  // The article prints only the http rules of a VirtualService spec; the fixture puts them in one for the
  // article's host.
  const model = RoutingModel.fromManifests([foundation.object, fixture('08-per-rule-policies-virtual-service.yaml').object]);

  test('explained', () => {
    expect(model.hosts[0].rules.map((r) => [r.name, r.timeout, r.retries?.attempts])).toEqual([
      ['canary-users-strict-policy', '2s', 1],
      ['default-route', '10s', 3],
    ]);
    expect(model.toText()).toMatchSnapshot('table');
  });

  test('beta testers -> v2 under the 2s rule; everyone else -> v1 under the 10s rule', () => {
    expect(model.simulate({ headers: { 'user-group': 'beta-testers' } })).toMatchObject({ rulePosition: 1, destinations: [to('v2', 1)] });
    expect(model.simulate({})).toMatchObject({ rulePosition: 2, destinations: [to('v1', 1)] });
  });
});
