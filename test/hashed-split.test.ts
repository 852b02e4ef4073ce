/**
 * The article's headline mistake (XO_CONSISTENT_HASH_SPLIT): consistent hashing in the DestinationRule taken
 * for version stickiness of a weighted split. One predicate answers for the checker (the article's own YAML)
 * and the constructs (a CompositeRoute split over hashing Subsets); a split pinned by a version cookie
 * (StickySplit, a sticky Canary) is not this mistake.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import {
  Canary, CanaryStage, CompositeRoute, Destination, HashKey, IstioChecker, LoadBalancer, Severity, StickySplit, StringMatch, Subsets, Warnings,
} from '../src';
import { checkoutSubsets, FORWARDED, HOST } from './fixtures';
import { synth } from './util';
import { main } from '../src/cli';

const ARTICLE = join(__dirname, 'canary-article');
const HASH = { loadBalancer: LoadBalancer.consistentHash(HashKey.httpHeader('session-id')) };
const hashFindings = (manifests: any[]) => IstioChecker.check(manifests).filter((f) => f.code === 'XO_CONSISTENT_HASH_SPLIT');

function article(file: string): any {
  return parseAllDocuments(readFileSync(join(ARTICLE, file), 'utf-8'))[0].toJS();
}

function cli(...args: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
  try {
    return { code: main(args), out, err };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('the checker', () => {
  test('the article\'s consistent-hash DestinationRule with its 50/50 split: a warning on the hash that points to StickySplit', () => {
    const findings = hashFindings([article('05-consistent-hash-destination-rule.yaml'), article('06-consistent-hash-split-virtual-service.yaml')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: Severity.WARNING,
      kind: 'DestinationRule',
      name: 'checkout-service-dr',
      field: 'spec.trafficPolicy.loadBalancer.consistentHash',
      index: 0,
    });
    expect(findings[0].message).toBe('rule #1 of VirtualService default/checkout-service-vs splits "checkout-service.prod.svc.cluster.local" between subsets "v1" and "v2", '
      + 'and Envoy draws the subset at random for every request: this hash on header "session-id" only keeps a key on one pod of the subset drawn, not on one version; '
      + 'to keep users on a version use StickySplit (a version cookie), or, for pod affinity alone, keep the hash and suppress XO_CONSISTENT_HASH_SPLIT');
  });

  test('`check` on the article\'s two files reports the stickiness warning (no longer "0 warnings")', () => {
    const { code, out, err } = cli('check', join(ARTICLE, '05-consistent-hash-destination-rule.yaml'), join(ARTICLE, '06-consistent-hash-split-virtual-service.yaml'));
    expect(code).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^WARNING XO_CONSISTENT_HASH_SPLIT DestinationRule default\/checkout-service-dr spec\.trafficPolicy\.loadBalancer\.consistentHash: .*StickySplit/)]);
    expect(err[0]).toBe('2 Istio objects checked: 0 errors, 1 warning, 0 info');
  });

  test('the article\'s foundation DestinationRule (no hash) with the same split is fine', () => {
    expect(hashFindings([article('01-foundation-destination-rule.yaml'), article('06-consistent-hash-split-virtual-service.yaml')])).toEqual([]);
  });

  const dr = (spec: any) => ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'checkout', namespace: 'prod' }, spec: { host: HOST, ...spec } });
  const vs = (http: any[], name = 'checkout') => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'prod' }, spec: { hosts: [HOST], http } });
  const subsets = [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }];
  const hash = { loadBalancer: { consistentHash: { httpCookie: { name: 'session', ttl: '0s' } } } };
  const to = (subset: string, weight?: number, headers?: any) => ({ destination: { host: HOST, subset }, weight, headers });
  const cookie = (v: string) => ({ response: { add: { 'set-cookie': `checkout-version=${v}` } } });

  test.each<[string, any, any[], string[]]>([
    ['a top-level hash', { trafficPolicy: hash, subsets }, [{ route: [to('v1', 90), to('v2', 10)] }], ['spec.trafficPolicy.loadBalancer.consistentHash']],
    ['a hash in one subset\'s policy', { subsets: [subsets[0], { ...subsets[1], trafficPolicy: hash }] }, [{ route: [to('v1', 90), to('v2', 10)] }],
      ['spec.subsets[1].trafficPolicy.loadBalancer.consistentHash']],
    ['a top-level hash that both subsets replace', { trafficPolicy: hash, subsets: subsets.map((s) => ({ ...s, trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } } })) },
      [{ route: [to('v1', 90), to('v2', 10)] }], []],
    ['a split with a weight of 0 (one version drawn)', { trafficPolicy: hash, subsets }, [{ route: [to('v1', 100), to('v2', 0)] }], []],
    ['a single destination', { trafficPolicy: hash, subsets }, [{ route: [to('v2')] }], []],
    ['a split pinned by a version cookie', { trafficPolicy: hash, subsets }, [{ route: [to('v1', 50, cookie('v1')), to('v2', 50, cookie('v2'))] }], []],
    ['a split where one version sets no cookie', { trafficPolicy: hash, subsets }, [{ route: [to('v1', 50, cookie('v1')), to('v2', 50)] }],
      ['spec.trafficPolicy.loadBalancer.consistentHash']],
  ])('%s', (_name, spec, http, fields) => {
    const findings = hashFindings([dr(spec), vs(http)]);
    expect(findings.map((f) => [f.kind, f.field])).toEqual(fields.map((field) => ['DestinationRule', field]));
  });

  test('a wildcard DestinationRule host and a short destination host in the VirtualService\'s namespace count', () => {
    const wildcard = { ...dr({ trafficPolicy: hash, subsets }), spec: { host: '*.prod.svc.cluster.local', trafficPolicy: hash, subsets } };
    const short = vs([{ name: 'split', route: [{ destination: { host: 'checkout-service', subset: 'v1' }, weight: 50 }, { destination: { host: 'checkout-service', subset: 'v2' }, weight: 50 }] }]);
    expect(hashFindings([wildcard, short]).map((f) => f.message)).toEqual([expect.stringMatching(/^rule "split" of VirtualService prod\/checkout splits/)]);
  });

  test('reported once per VirtualService, naming its first splitting rule', () => {
    const findings = hashFindings([dr({ trafficPolicy: hash, subsets }), vs([
      { name: 'a', match: [{ uri: { prefix: '/a' } }], route: [to('v1', 50), to('v2', 50)] },
      { name: 'b', route: [to('v1', 50), to('v2', 50)] },
    ]), { ...vs([{ route: [to('v1', 10), to('v2', 90)] }], 'other'), spec: { hosts: ['other.prod.svc.cluster.local'], http: [{ route: [to('v1', 10), to('v2', 90)] }] } }]);
    expect(findings.map((f) => f.message.split(' splits ')[0])).toEqual(['rule "a" of VirtualService prod/checkout', 'rule #1 of VirtualService prod/other']);
  });
});

describe('the constructs', () => {
  test('a CompositeRoute split over hashing Subsets: a warning on the Subsets\' load balancer, from the same rule', () => {
    const chart = Testing.chart();
    const subsets = checkoutSubsets(chart, ['v1', 'v2'], HASH);
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('public', { to: Destination.split([{ subset: subsets.subset('v1'), weight: 50 }, { subset: subsets.subset('v2'), weight: 50 }]) });
    const warnings = Warnings.of(chart);
    expect(warnings).toEqual([
      '[test/subsets] XO_CONSISTENT_HASH_SPLIT trafficPolicy.loadBalancer: rule "public" of test/routes splits "checkout-service.prod.svc.cluster.local" between subsets "v1" and "v2", '
      + 'and Envoy draws the subset at random for every request: this hash on header "session-id" only keeps a key on one pod of the subset drawn, not on one version; '
      + 'to keep users on a version use StickySplit (a version cookie), or, for pod affinity alone, keep the hash and suppress XO_CONSISTENT_HASH_SPLIT',
    ]);
    // The checker at synth finds the same on the DestinationRule and leaves it to the construct's warning.
    const manifests = synth(chart);
    expect(hashFindings(manifests).map((f) => f.field)).toEqual(['spec.trafficPolicy.loadBalancer.consistentHash']);
    expect(IstioChecker.findings(chart).filter((f) => f.code === 'XO_CONSISTENT_HASH_SPLIT')).toEqual([]);
  });

  test('hashing for pod affinity alone: a suppression on the Subsets silences the construct and the checker alike', () => {
    const chart = Testing.chart();
    const subsets = checkoutSubsets(chart, ['v1', 'v2'], HASH);
    IstioChecker.suppress(subsets, 'XO_CONSISTENT_HASH_SPLIT', 'the hash keeps each user\'s cache warm on one pod; the split is not meant to be sticky');
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addDefaultRule('public', { to: Destination.split([{ subset: subsets.subset('v1'), weight: 50 }, { subset: subsets.subset('v2'), weight: 50 }]) });
    expect(Warnings.of(chart)).toEqual([]);
    expect(IstioChecker.findings(chart).filter((f) => f.code === 'XO_CONSISTENT_HASH_SPLIT')).toEqual([]);
  });

  test('a subset\'s own hash is reported at that subset', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 'subsets', {
      host: HOST,
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' }, trafficPolicy: HASH }],
    });
    const routes = new CompositeRoute(chart, 'routes', { subsets });
    routes.addRule('beta', { match: [{ headers: { 'x-beta': StringMatch.exact('1') } }], to: Destination.split([{ subset: subsets.subset('v1'), weight: 50 }, { subset: subsets.subset('v2'), weight: 50 }]) });
    routes.addDefaultRule('stable', { to: Destination.subset(subsets.subset('v1')) });
    expect(Warnings.of(chart)).toEqual([expect.stringMatching(/^\[test\/subsets\] XO_CONSISTENT_HASH_SPLIT subsets\["v2"\]\.trafficPolicy\.loadBalancer: rule "beta" of test\/routes splits/)]);
  });

  test('StickySplit over hashing Subsets: no warning (the version cookie keeps users on a version)', () => {
    const chart = Testing.chart();
    const subsets = checkoutSubsets(chart, ['v1', 'v2'], HASH);
    new StickySplit(chart, 'sticky', { split: [{ subset: subsets.subset('v1'), weight: 50 }, { subset: subsets.subset('v2'), weight: 50 }], cookie: { forwardedBy: FORWARDED } });
    expect(Warnings.of(chart)).toEqual([]);
    expect(hashFindings(synth(chart))).toEqual([]);
  });

  test('a sticky Canary over hashing Subsets: no warning; without sticky, the warning', () => {
    const rollout = (sticky: boolean) => {
      const chart = Testing.chart();
      const subsets = checkoutSubsets(chart, ['v1', 'v2'], HASH);
      new Canary(chart, 'rollout', { stable: subsets.subset('v1'), canary: subsets.subset('v2'), stage: CanaryStage.percent(10), sticky, cookie: sticky ? { forwardedBy: FORWARDED } : undefined });
      return Warnings.of(chart).filter((w) => w.includes('XO_CONSISTENT_HASH_SPLIT'));
    };
    expect(rollout(true)).toEqual([]);
    expect(rollout(false)).toEqual([expect.stringMatching(/^\[test\/subsets\] XO_CONSISTENT_HASH_SPLIT trafficPolicy\.loadBalancer: rule "public" of test\/rollout/)]);
  });

  test('one subset and no split: no warning (pod affinity is what the hash gives)', () => {
    const chart = Testing.chart();
    const subsets = checkoutSubsets(chart, ['v1', 'v2'], HASH);
    new CompositeRoute(chart, 'routes', { subsets }).addDefaultRule('stable', { to: Destination.subset(subsets.subset('v1')) });
    expect(Warnings.of(chart)).toEqual([]);
  });
});
