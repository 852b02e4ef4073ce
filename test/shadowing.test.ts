/**
 * Shadowed rules and matches (VS_RULE_UNREACHABLE, VS_MATCH_SHADOWED), from the checker's side: the advice for
 * the canary article's broken example, Istio 1.30's own test table for overlapping matches (IST0131) and
 * where the checker differs from it, and a property that the subsumption test is sound against the routing
 * model's evaluation of a match. The constructs' side is in rule-agreement.test.ts.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import * as fc from 'fast-check';
import { parse } from 'yaml';
import { IstioChecker, Severity } from '../src';
import { entryMatches, RequestView } from '../src/private/routing/conditions';
import { covers } from '../src/private/validation/shadowing';

const HOST = 'orders.shop.svc.cluster.local';

function vs(name: string, http: any[]): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop' }, spec: { hosts: [HOST], http } };
}

const route = [{ destination: { host: HOST } }];
const reachability = (manifests: any[]) => IstioChecker.check(manifests)
  .filter((f) => f.code === 'VS_RULE_UNREACHABLE' || f.code === 'VS_MATCH_SHADOWED')
  .map((f) => [f.name, f.code, f.field]);

describe('advice that fits: the canary article\'s "common mistake"', () => {
  const fixture = (file: string) => parse(readFileSync(join(__dirname, 'canary-article', file), 'utf-8'));
  const found = IstioChecker.check([fixture('01-foundation-destination-rule.yaml'), fixture('07-common-mistake-virtual-service.yaml')])
    .filter((f) => f.code === 'VS_RULE_UNREACHABLE');

  test('the second rule, without a match after one without a match, is told to get a match of its own', () => {
    expect(found.map((f) => [f.severity, f.field])).toEqual([[Severity.WARNING, 'spec.http[1]']]);
    // Moving it up would send every request to v2: the advice is a match for the traffic it is meant for.
    expect(found[0].message).toBe('rule #2 can never match: rule #1 before it matches every request, and it has no match of its own '
      + '(above rule #1 it would take every request instead); give it a match for the requests it should take, such as a header, or remove it');
    expect(found[0].message).not.toMatch(/\bmove\b/);
  });

  test('a rule with matches after a catch-all is still told to move up', () => {
    const [finding] = IstioChecker.check([vs('late', [{ route }, { match: [{ uri: { prefix: '/api' } }], route }])]).filter((f) => f.code === 'VS_RULE_UNREACHABLE');
    expect(finding.message).toBe('rule #2 can never match: rule #1 before it matches every request; move it above that rule, or remove it');
  });

  test('a rule whose matches earlier rules repeat is told to go, one that is narrower to move up', () => {
    const vsFindings = (manifest: any) => IstioChecker.check([manifest]).filter((f) => f.code.startsWith('VS_'));
    const same = vsFindings(vs('same', [{ match: [{ uri: { prefix: '/api' } }], route }, { match: [{ uri: { prefix: '/api' } }], route }]));
    expect(same[0].message).toBe('rule #2 can never match: rule #1 before it already matches the same requests; remove it or change its conditions');
    expect(same[1].message).toBe('match #1 of rule #2 is never used: match #1 of rule #1 before it matches the same requests; remove it');
    const narrower = vsFindings(vs('narrower', [
      { match: [{ uri: { prefix: '/api' } }], route },
      { match: [{ headers: { 'x-beta': {} } }], route },
      { name: 'v2', match: [{ uri: { prefix: '/api/v2' } }, { headers: { 'x-beta': { exact: 'on' } } }], route },
    ]));
    expect(narrower[0].message).toBe('rule "v2" can never match: rules #1 and #2 before it already match every request it matches; '
      + 'move it above them (narrower rules first), or remove it');
    expect(narrower[1].message).toBe('match #1 of rule "v2" is never used: match #1 of rule #1 before it matches every request it matches; '
      + 'move rule "v2" above rule #1 (narrower matches first), or remove the match');
  });
});

/**
 * Istio 1.30's analyzer test for overlapping matches (pkg/config/analysis/analyzers/analyzers_test.go, case
 * "dupmatches", testdata/virtualservice_overlappingmatches.yaml), rewritten here: the same shapes of match,
 * with the objects Istio reports IST0131 for, and the checker's answer for each.
 */
describe('Istio\'s test table for overlapping matches (IST0131)', () => {
  const prefix = (p: string, method?: string) => ({ uri: { prefix: p }, method: method && { exact: method } });

  test.each<[string, any[], string[][], string]>([
    ['a match without a method, then one with GET on a longer prefix, in one rule',
      [{ name: 'products', match: [prefix('/api/v1/item'), prefix('/api/v1/items', 'GET')], route }],
      [['VS_MATCH_SHADOWED', 'spec.http[0].match[1]']], 'IST0131: a match without a method counts as GET there'],
    ['GET on a prefix, then GET on a longer prefix, in one rule',
      [{ name: 'products', match: [prefix('/api/v1/item', 'GET'), prefix('/api/v1/items', 'GET')], route }],
      [['VS_MATCH_SHADOWED', 'spec.http[0].match[1]']], 'IST0131'],
    ['GET on a prefix, then GET on a longer prefix, in two rules',
      [{ name: 'item', match: [prefix('/api/v1/item', 'GET')], route }, { name: 'items', match: [prefix('/api/v1/items', 'GET')], route }],
      [['VS_RULE_UNREACHABLE', 'spec.http[1]'], ['VS_MATCH_SHADOWED', 'spec.http[1].match[0]']], 'IST0131 only: the checker also says the rule is unreachable'],
    ['a shorter prefix with GET, then longer ones with GET and with POST',
      [{ name: 'it', match: [prefix('/api/v1/it', 'GET')], route }, { name: 'items', match: [prefix('/api/v1/item', 'GET'), prefix('/api/v1/items', 'POST')], route }],
      [['VS_MATCH_SHADOWED', 'spec.http[1].match[0]']], 'IST0131 for the GET match'],
    ['a uri prefix "/", then exact "/" with GET, in one rule',
      [{ name: 'root', match: [prefix('/'), { uri: { exact: '/' }, method: { exact: 'GET' } }], route }],
      [['VS_MATCH_SHADOWED', 'spec.http[0].match[1]']], 'nothing: Istio compares prefix uris only, the checker an exact uri within a prefix too'],
  ])('%s', (_name, http, expected) => {
    expect(reachability([vs('table', http)])).toEqual(expected.map(([code, field]) => ['table', code, field]));
  });

  // Istio reads a match without a method as GET (exact "GET"): right when the earlier match has no method, but
  // it also makes a GET match cover a later match of any method, and misses a POST match under one without.
  test('where "no method" is not GET: the checker follows the requests', () => {
    expect(reachability([vs('get-first', [{ match: [prefix('/api', 'GET')], route }, { match: [prefix('/api/v2')], route }])])).toEqual([]);
    expect(reachability([vs('any-first', [{ match: [prefix('/api')], route }, { match: [prefix('/api/v2', 'POST')], route }])]))
      .toEqual([['any-first', 'VS_RULE_UNREACHABLE', 'spec.http[1]'], ['any-first', 'VS_MATCH_SHADOWED', 'spec.http[1].match[0]']]);
  });
});

describe('covers: an earlier match that takes every request of a later one', () => {
  test.each<[string, any, any, boolean]>([
    ['the same conditions', { headers: { 'x-a': { exact: 'on' } } }, { headers: { 'x-a': { exact: 'on' } } }, true],
    ['fewer conditions', { headers: { 'x-a': { exact: 'on' } } }, { headers: { 'x-a': { exact: 'on' } }, port: 8080 }, true],
    ['present before a value', { headers: { 'x-a': {} } }, { headers: { 'x-a': { prefix: 'o' } } }, true],
    ['header names in any case', { headers: { 'X-A': {} } }, { headers: { 'x-a': { exact: 'on' } } }, true],
    ['a value before present', { headers: { 'x-a': { exact: 'on' } } }, { headers: { 'x-a': {} } }, false],
    ['a prefix before a longer one', { queryParams: { q: { prefix: 'a' } } }, { queryParams: { q: { prefix: 'ab' } } }, true],
    ['a regex tried on an exact value', { headers: { 'x-a': { regex: 'v[0-9]+' } } }, { headers: { 'x-a': { exact: 'v12' } } }, true],
    ['a regex that does not match the value', { headers: { 'x-a': { regex: 'v[0-9]+' } } }, { headers: { 'x-a': { exact: 'v1x' } } }, false],
    ['".*" before present', { headers: { 'x-a': { regex: '.*' } } }, { headers: { 'x-a': {} } }, true],
    ['"^.*$" before a prefix', { headers: { 'x-a': { regex: '^.*$' } } }, { headers: { 'x-a': { prefix: 'o' } } }, true],
    ['".+" before present (which allows an empty value)', { headers: { 'x-a': { regex: '.+' } } }, { headers: { 'x-a': {} } }, false],
    ['".+" before a prefix', { headers: { 'x-a': { regex: '.+' } } }, { headers: { 'x-a': { prefix: 'o' } } }, true],
    ['".*" on a query parameter, whose decoded value may hold a newline', { queryParams: { q: { regex: '.*' } } }, { queryParams: { q: {} } }, false],
    ['a regex prefix before a longer prefix', { uri: { regex: '/api/.*' } }, { uri: { prefix: '/api/v2' } }, true],
    ['a prefix before a regex with that prefix', { uri: { prefix: '/api' } }, { uri: { regex: '/api/v[0-9]+' } }, false],
    ['a prefix before a literal regex', { uri: { prefix: '/api' } }, { uri: { regex: '/api/(v1|v2)' } }, false],
    ['a prefix before literal alternatives', { uri: { prefix: '/api' } }, { uri: { regex: '(/api/v1|/api/v2)' } }, true],
    ['a prefix before an exact uri', { uri: { prefix: '/api' } }, { uri: { exact: '/api/v2' } }, true],
    ['an exact uri before a prefix with a query', { uri: { exact: '/api' } }, { uri: { prefix: '/api?x=1' } }, true],
    ['a prefix in any case before one in its case', { uri: { prefix: '/API' }, ignoreUriCase: true }, { uri: { prefix: '/api/v2' } }, true],
    ['a prefix in its case before one in any case', { uri: { prefix: '/api' } }, { uri: { prefix: '/api/v2' }, ignoreUriCase: true }, false],
    ['a prefix without letters before one in any case', { uri: { prefix: '/1' } }, { uri: { prefix: '/1/v2' }, ignoreUriCase: true }, true],
    ['methods as literal alternatives', { method: { regex: 'GET|HEAD' } }, { method: { exact: 'HEAD' } }, true],
    ['fewer methods first', { method: { exact: 'GET' } }, { method: { regex: 'GET|HEAD' } }, false],
    ['a method before none', { method: { exact: 'GET' } }, {}, false],
    ['method present (every request has one)', { method: {} }, {}, true],
    ['a header kept out, then required to hold another value', { withoutHeaders: { 'x-a': { exact: 'off' } } }, { headers: { 'x-a': { exact: 'on' } } }, true],
    ['a header kept out, then absent', { withoutHeaders: { 'x-a': { exact: 'off' } } }, { withoutHeaders: { 'x-a': {} } }, true],
    ['an empty value kept out, then absent (read as empty)', { withoutHeaders: { 'x-a': { exact: '' } } }, { withoutHeaders: { 'x-a': {} } }, false],
    ['absent, then a value kept out', { withoutHeaders: { 'x-a': {} } }, { withoutHeaders: { 'x-a': { exact: 'on' } } }, false],
    ['source labels, then more of them', { sourceLabels: { app: 'a' } }, { sourceLabels: { app: 'a', v: '1' } }, true],
    ['source labels, then gateways (which replace them)', { sourceLabels: { app: 'a' } }, { sourceLabels: { app: 'a' }, gateways: ['mesh'] }, false],
    ['gateways, then fewer of them', { gateways: ['mesh', 'gw'] }, { gateways: ['gw'] }, true],
    ['a field of the wrong type', { headers: { 'x-a': 'on' } }, { headers: { 'x-a': 'on' }, port: 80 }, false],
  ])('%s', (_name, earlier, later, expected) => {
    expect(covers(earlier, later)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Soundness: whenever `covers` says yes, every request the later match holds for, the earlier one holds for,
// as the routing model evaluates matches (Istio's semantics, test/routing-model.test.ts).

const stringMatches = (values: string[], regexes: string[]) => fc.oneof(
  fc.constant({}),
  fc.constantFrom(...values).map((exact) => ({ exact })),
  fc.constantFrom(...values.filter((v) => v !== '')).map((p) => ({ prefix: p.slice(0, Math.max(1, p.length - 1)) })),
  fc.constantFrom(...regexes).map((regex) => ({ regex })),
);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const PATHS = ['/', '/api', '/api/v2', '/api/v2/x', '/API/V2/x', '/web', '/api/v2?x=1', '/api?v2'];
const VALUES = ['', 'on', 'off', 'o', 'v12', 'a\nb'];

const matches = fc.record({
  uri: optional(stringMatches(PATHS.map((p) => p.split('?')[0]), ['/api/.*', '.*', '.+', '(/api|/web)', '/api/v[0-9]+'])),
  ignoreUriCase: optional(fc.boolean()),
  method: optional(stringMatches(['GET', 'POST', 'HEAD'], ['GET|HEAD', '.*', 'P.*'])),
  headers: optional(fc.dictionary(fc.constantFrom('x-a', 'X-A', 'x-b'), stringMatches(VALUES, ['.*', '.+', 'o.*', 'v[0-9]+']), { maxKeys: 2 })),
  withoutHeaders: optional(fc.dictionary(fc.constantFrom('x-a', 'x-b'), stringMatches(VALUES, ['.*', 'o.*']), { maxKeys: 1 })),
  queryParams: optional(fc.dictionary(fc.constant('q'), stringMatches(VALUES, ['.*', '(?s).*', '.+']), { maxKeys: 1 })),
  port: optional(fc.constantFrom(80, 8080)),
  sourceLabels: optional(fc.constantFrom({ app: 'a' }, { app: 'a', v: '1' })),
  sourceNamespace: optional(fc.constantFrom('qa', 'prod')),
  gateways: optional(fc.constantFrom(['mesh'], ['gw'], ['mesh', 'gw'])),
}, { requiredKeys: [] });

const requests = fc.record({
  pathAndQuery: fc.constantFrom(...PATHS),
  method: fc.constantFrom('GET', 'POST', 'HEAD'),
  headers: fc.dictionary(fc.constantFrom('x-a', 'x-b'), fc.constantFrom(...VALUES), { maxKeys: 2 }),
  query: optional(fc.constantFrom(...VALUES)),
  port: optional(fc.constantFrom(80, 8080)),
  gateway: fc.constantFrom('mesh', 'shop/gw'),
  sourceLabels: fc.constantFrom<{ [key: string]: string }>({}, { app: 'a' }, { app: 'a', v: '1' }),
  sourceNamespace: optional(fc.constantFrom('qa', 'prod')),
});

function view(r: typeof requests extends fc.Arbitrary<infer T> ? T : never): RequestView {
  return {
    path: r.pathAndQuery.split('?')[0],
    pathAndQuery: r.pathAndQuery,
    method: r.method,
    authority: HOST,
    scheme: 'http',
    port: r.port,
    gateway: r.gateway,
    sourceLabels: r.sourceLabels,
    sourceNamespace: r.sourceNamespace,
    header: (name) => r.headers[name],
    queryParam: (name) => name === 'q' ? r.query : undefined,
  };
}

test('covers is sound: the earlier match holds for every request the later one holds for', () => {
  // Pairs where covers says yes, and of them those where the later match holds for a request of the sample.
  let covered = 0;
  let exercised = 0;
  // A later match is often the earlier one with more or other conditions, so that `covers` says yes often.
  const pairs = fc.tuple(matches, matches, fc.boolean()).map(([a, extra, merge]) => [a, merge ? { ...a, ...extra } : extra] as const);
  fc.assert(fc.property(pairs, fc.array(requests, { minLength: 30, maxLength: 30 }), ([earlier, later], sample) => {
    if (!covers(earlier, later)) return;
    covered++;
    const held = sample.filter((r) => entryMatches(later, view(r), 'shop'));
    if (held.length > 0) exercised++;
    for (const r of held) expect([earlier, later, r, entryMatches(earlier, view(r), 'shop')]).toEqual([earlier, later, r, true]);
  }), { numRuns: 5000, seed: 13 });
  expect([covered > 300, exercised > 100]).toEqual([true, true]);
});
