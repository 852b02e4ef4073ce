/**
 * The seed article's own YAML (networking.istio.io/v1alpha3, written by hand) explained and simulated, to
 * prove the routing model reads YAML this library did not write. The blocks are read from the seed at test
 * time: ../shared/seed/istio-canary-traffic-shaping.txt.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parse } from 'yaml';
import { mermaidErrors } from './mermaid-grammar';
import { main } from '../src/cli';
import { RoutingModel } from '../src/routing/routing-model';

const SEED = join(__dirname, '..', '..', 'shared', 'seed', 'istio-canary-traffic-shaping.txt');
const HOST = 'checkout-service.prod.svc.cluster.local';

interface SeedBlock {
  readonly text: string;
  /** The seed's `# ...` comment when the block is a fragment of a larger object. */
  readonly fragment?: string;
}

/**
 * The YAML blocks of the seed: each follows a line `yaml` and ends at the first blank line; the article
 * indents them by 4 spaces. A block that starts with a `# ...` comment is a fragment.
 */
function seedBlocks(): SeedBlock[] {
  if (!existsSync(SEED)) {
    throw new Error(`the seed article is missing: expected it at ${SEED} (the repository's ../shared/seed/ directory)`);
  }
  const lines = readFileSync(SEED, 'utf-8').split('\n');
  const blocks: SeedBlock[] = [];
  lines.forEach((line, i) => {
    if (line.trim() !== 'yaml') return;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && lines[j].trim() !== ''; j++) body.push(lines[j].replace(/^ {4}/, ''));
    const first = body[0] ?? '';
    blocks.push({ text: body.join('\n'), fragment: first.startsWith('#') ? first : undefined });
  });
  return blocks;
}

const blocks = seedBlocks();
const object = (i: number) => parse(blocks[i].text);
const to = (subset: string, probability: number) => ({ host: HOST, subset, probability });

// The seed's fragments, wrapped into the VirtualService their comments say they belong to.
function wrapped(http: any[]): any {
  return { apiVersion: 'networking.istio.io/v1alpha3', kind: 'VirtualService', metadata: { name: 'checkout-service-vs' }, spec: { hosts: [HOST], http } };
}

test('the seed has the eight YAML blocks these tests explain, two of them fragments', () => {
  expect(blocks).toHaveLength(8);
  expect(blocks.map((b) => b.fragment)).toEqual([
    undefined, undefined, '# ... inside the VirtualService http block', undefined, undefined, undefined, undefined, '# ... VirtualService spec',
  ]);
  expect(blocks.filter((b) => !b.fragment).map((b) => [parse(b.text).apiVersion, parse(b.text).kind])).toEqual([
    ['networking.istio.io/v1alpha3', 'DestinationRule'],
    ['networking.istio.io/v1alpha3', 'VirtualService'],
    ['networking.istio.io/v1alpha3', 'VirtualService'],
    ['networking.istio.io/v1alpha3', 'DestinationRule'],
    ['networking.istio.io/v1alpha3', 'VirtualService'],
    ['networking.istio.io/v1alpha3', 'VirtualService'],
  ]);
});

describe('pattern 1: the DestinationRule and the composite VirtualService', () => {
  const model = RoutingModel.fromManifests([object(0), object(1)]);

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

  test('the cdk8s-istio-traffic explain command reads the seed\'s YAML text the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-'));
    const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      writeFileSync(join(dir, 'checkout.yaml'), `${blocks[0].text}\n---\n${blocks[1].text}\n`);
      expect(main(['explain', dir])).toBe(0);
      expect(log.mock.calls.map((c) => c[0]).join('')).toBe(model.toText());
    } finally {
      log.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pattern 1 edge case: the sourceLabels fragment', () => {
  // The fragment is one rule of an http block whose route the seed leaves as a comment ("# ... route to
  // subset v2"): it is wrapped in a VirtualService for the seed's host, with that route and no other rule.
  const rules = parse(blocks[2].text);
  const model = RoutingModel.fromManifests([object(0), wrapped(rules.map((r: any) => ({ ...r, route: [{ destination: { host: HOST, subset: 'v2' } }] })))]);

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
  const model = RoutingModel.fromManifests([object(0), object(3)]);

  test('explained', () => {
    expect(model.hosts[0].rules[0]).toMatchObject({ matchesEverything: true, mirrors: [{ host: HOST, subset: 'v2', probability: 0.1 }] });
    expect(model.toText()).toMatchSnapshot('table');
    expect(mermaidErrors(model.toMermaid())).toEqual([]);
  });

  test('every request -> v1, mirrored 10% to v2 (the seed mirrors writes too)', () => {
    for (const method of ['GET', 'POST']) {
      expect(model.simulate({ method })).toMatchObject({ destinations: [to('v1', 1)], mirrors: [{ host: HOST, subset: 'v2', probability: 0.1 }] });
    }
  });
});

describe('pattern 3A: the seed\'s "sticky" consistent hash with a 50/50 split', () => {
  const model = RoutingModel.fromManifests([object(4), object(5)]);

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

describe('pattern 3B: the seed\'s "common mistake"', () => {
  const model = RoutingModel.fromManifests([object(0), object(6)]);

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
  // The fragment is the http part of a VirtualService spec ("# ... VirtualService spec"); it is wrapped in
  // one for the seed's host.
  const { http } = parse(blocks[7].text);
  const model = RoutingModel.fromManifests([object(0), wrapped(http)]);

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
