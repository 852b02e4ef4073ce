/**
 * RoutingModel.diff on two-sided fixtures: one fixture per kind of change the issue lists, each asserting
 * the line a reviewer reads, plus the formats (text, Markdown with valid Mermaid, JSON).
 */
import { mermaidErrors } from './mermaid-grammar';
import { RoutingModel } from '../src/routing/routing-model';

const HOST = 'shop.prod.svc.cluster.local';
const AUTHOR = 'shop';

/** A VirtualService `shop` for the host, with the given http rules. */
function vs(http: any[], spec: any = {}): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: AUTHOR, namespace: 'prod' }, spec: { hosts: [HOST], http, ...spec } };
}

/** A DestinationRule `shop` for the host with subsets v1 and v2 (labels version=<name>) unless given. */
function dr(spec: any = {}): any {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: AUTHOR, namespace: 'prod' },
    spec: { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }], ...spec },
  };
}

const to = (subset: string, weight?: number, extra: any = {}) => ({
  destination: { host: HOST, subset }, ...(weight === undefined ? {} : { weight }), ...extra,
});
const split = (v1: number, v2: number, extra: any = {}) => ({ name: 'public', route: [to('v1', v1), to('v2', v2)], ...extra });
const testers = { name: 'testers', match: [{ headers: { 'x-tester': { exact: 'yes' } } }], route: [to('v2')] };

function diff(before: any[], after: any[]) {
  return RoutingModel.diff(RoutingModel.fromManifests(before), RoutingModel.fromManifests(after));
}

/** The host's change lines; fails when the host did not change. */
function changes(before: any[], after: any[]): string[] {
  const result = diff(before, after);
  expect(result.hosts.map((h) => h.host)).toEqual([HOST]);
  return result.hosts[0].changes;
}

describe('a host whose routing did not change prints nothing', () => {
  test('same manifests, different order', () => {
    const result = diff([dr(), vs([testers, split(90, 10)])], [vs([testers, split(90, 10)]), dr()]);
    expect(result.changed).toBe(false);
    expect(result.hosts).toEqual([]);
    expect(result.toText()).toBe('routing unchanged\n');
    expect(result.toJson()).toEqual({ changed: false, hosts: [], otherAlerts: [] });
  });

  test('only the unchanged host of two is left out', () => {
    const other = { ...vs([{ route: [{ destination: { host: 'other' } }] }], { hosts: ['other'] }), metadata: { name: 'other', namespace: 'prod' } };
    const result = diff([dr(), vs([split(90, 10)]), other], [dr(), vs([split(80, 20)]), other]);
    expect(result.hosts.map((h) => h.host)).toEqual([HOST]);
  });
});

describe('shares: per rule and for a typical request', () => {
  test('a split moves: one summary line with the typical request\'s shares, naming the rule', () => {
    const result = diff([dr(), vs([testers, split(95, 5)])], [dr(), vs([testers, split(75, 25)])]);
    expect(result.changed).toBe(true);
    const [host] = result.hosts;
    expect(host.status).toBe('changed');
    expect(host.summary).toBe('typical request, rule public (#2): v1 95% → 75%, v2 5% → 25%');
    // The rule's own line would repeat the summary.
    expect(host.changes).toEqual([]);
    expect(host.typicalBefore.map((d) => [d.subset, d.probability])).toEqual([['v1', 0.95], ['v2', 0.05]]);
    expect(host.typicalAfter.map((d) => [d.subset, d.probability])).toEqual([['v1', 0.75], ['v2', 0.25]]);
    expect(result.toText()).toBe(`${HOST}: typical request, rule public (#2): v1 95% → 75%, v2 5% → 25%\n`);
  });

  test('a rule a typical request does not take gets its own line; the typical request is unchanged', () => {
    const before = [dr(), vs([{ ...testers, route: [to('v1', 50), to('v2', 50)] }, split(90, 10)])];
    const after = [dr(), vs([{ ...testers, route: [to('v2')] }, split(90, 10)])];
    const [host] = diff(before, after).hosts;
    expect(host.summary).toBe('typical request unchanged: v1 90%, v2 10%');
    expect(host.changes).toEqual(['rule testers (#1): v1 50% → 0%, v2 50% → 100%']);
  });

  test('a destination of another host is named with its host', () => {
    const after = [dr(), vs([{ name: 'public', route: [to('v1', 90), { destination: { host: 'legacy.prod.svc.cluster.local' }, weight: 10 }] }])];
    expect(diff([dr(), vs([split(90, 10)])], after).hosts[0].summary)
      .toBe('typical request, rule public (#1): v1 90%, v2 10% → 0%, legacy.prod.svc.cluster.local 0% → 10%');
  });
});

describe('rules', () => {
  test('added and removed, with what they do', () => {
    expect(changes([dr(), vs([split(90, 10)])], [dr(), vs([testers, split(90, 10)])]))
      .toEqual(['rule testers (#1) added (header x-tester = "yes" → v2)']);
    expect(changes([dr(), vs([testers, split(90, 10)])], [dr(), vs([split(90, 10)])]))
      .toEqual(['rule testers (#1) removed (header x-tester = "yes" → v2)']);
  });

  test('reordered: only rules whose order among the others changed are moved', () => {
    const qa = { name: 'qa', match: [{ headers: { 'x-qa': { exact: '1' } } }], route: [to('v2')] };
    expect(changes([dr(), vs([testers, qa, split(90, 10)])], [dr(), vs([qa, testers, split(90, 10)])]))
      .toEqual(['rule qa (#1): moved from #2 to #1']);
  });

  test('a rule that became unreachable, and one reachable again', () => {
    const everything = { name: 'all', route: [to('v1')] };
    expect(changes([dr(), vs([testers, everything])], [dr(), vs([everything, testers])])).toEqual([
      'rule all (#1): moved from #2 to #1',
      'rule testers (#2): now unreachable, an earlier rule matches every request',
    ]);
    expect(changes([dr(), vs([everything, testers])], [dr(), vs([testers, everything])])).toContain('rule testers (#1): reachable again');
  });

  test('unnamed rules are paired by their conditions', () => {
    const unnamed = { match: [{ uri: { prefix: '/api' } }], route: [to('v1')] };
    expect(changes([dr(), vs([unnamed, split(90, 10)])], [dr(), vs([{ ...unnamed, timeout: '3s' }, split(90, 10)])]))
      .toEqual(['rule #1: timeout none → 3s']);
  });

  test('changed conditions of a named rule', () => {
    const after = { ...testers, match: [{ headers: { 'x-tester': { exact: 'true' } } }] };
    expect(changes([dr(), vs([testers, split(90, 10)])], [dr(), vs([after, split(90, 10)])]))
      .toEqual(['rule testers (#1): when header x-tester = "yes" → header x-tester = "true"']);
  });
});

describe('mirrors', () => {
  test('a mirror percentage changes: the typical request\'s copies and the rule\'s', () => {
    const mirrored = (p: number) => ({ name: 'public', route: [to('v1')], mirror: { host: HOST, subset: 'v2' }, mirrorPercentage: { value: p } });
    const [host] = diff([dr(), vs([mirrored(10)])], [dr(), vs([mirrored(50)])]).hosts;
    expect(host.summary).toBe('typical request: v1; copies to v2 10% → 50%');
    expect(host.changes).toEqual(['rule public (#1): mirror v2 10% → 50%']);
  });

  test('mirrors (the list form) added', () => {
    const after = { name: 'public', route: [to('v1')], mirrors: [{ destination: { host: HOST, subset: 'v2' }, percentage: { value: 5 } }] };
    expect(changes([dr(), vs([{ name: 'public', route: [to('v1')] }])], [dr(), vs([after])])).toEqual(['rule public (#1): mirror v2 0% → 5%']);
  });
});

describe('policies of a rule', () => {
  const base = split(90, 10);
  test.each([
    ['timeout', { timeout: '2s' }, { timeout: '5s' }, 'rule public (#1): timeout 2s → 5s'],
    ['retries', {}, { retries: { attempts: 3, perTryTimeout: '1s' } }, 'rule public (#1): retries default → 3 attempts, 1s per try'],
    ['retries off', { retries: { attempts: 3 } }, { retries: { attempts: 0 } }, 'rule public (#1): retries 3 attempts → 0 attempts'],
    ['fault', {}, { fault: { abort: { httpStatus: 503, percentage: { value: 1 } } } }, 'rule public (#1): fault none → abort with 503 for 1%'],
    ['rule headers', { headers: { request: { set: { 'x-env': 'a' } } } }, { headers: { request: { set: { 'x-env': 'b' } } } }, 'rule public (#1): headers: request set.x-env a → b'],
  ])('%s', (_, before, after, line) => {
    expect(changes([dr(), vs([{ ...base, ...before }])], [dr(), vs([{ ...base, ...after }])])).toEqual([line]);
  });

  test('header operations of one destination', () => {
    const after = { name: 'public', route: [to('v1', 90), to('v2', 10, { headers: { response: { add: { 'x-version': 'canary' } } } })] };
    expect(changes([dr(), vs([split(90, 10)])], [dr(), vs([after])])).toEqual(['rule public (#1): headers: to v2: response add.x-version set to canary']);
  });
});

describe('subsets and the DestinationRule', () => {
  test('a subset added and one removed', () => {
    const after = dr({ subsets: [{ name: 'v2', labels: { version: 'v2' } }, { name: 'v3', labels: { version: 'v3' } }] });
    expect(changes([dr(), vs([split(90, 10)])], [after, vs([split(90, 10)])])).toEqual(['subset v3 added (version=v3)', 'subset v1 removed (version=v1)']);
  });

  test('changed labels re-select pods', () => {
    const after = dr({ subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2', track: 'canary' } }] });
    expect(changes([dr(), vs([split(90, 10)])], [after, vs([split(90, 10)])]))
      .toEqual(['subset v2 labels version=v2 → version=v2,track=canary: it now selects other pods']);
  });

  test('traffic policy of the host and of a subset', () => {
    const before = dr({ trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 100 } } } });
    const after = dr({
      trafficPolicy: { connectionPool: { http: { http1MaxPendingRequests: 200 } }, tls: { mode: 'ISTIO_MUTUAL' } },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } } }],
    });
    expect(changes([before, vs([split(90, 10)])], [after, vs([split(90, 10)])])).toEqual([
      'traffic policy: connectionPool.http.http1MaxPendingRequests 100 → 200',
      'traffic policy: tls.mode set to ISTIO_MUTUAL',
      'traffic policy of subset v2: loadBalancer.simple set to LEAST_REQUEST',
    ]);
  });

  test('pod affinity (consistent hash)', () => {
    const after = dr({ trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'session' } } } });
    expect(changes([dr(), vs([split(90, 10)])], [after, vs([split(90, 10)])])).toEqual([
      'pod affinity: none → consistent hash on header session',
      'traffic policy: loadBalancer.consistentHash.httpHeaderName set to session',
    ]);
  });
});

describe('hosts that appear or disappear', () => {
  test('a new host and a removed one', () => {
    const result = diff([dr(), vs([split(90, 10)])], []);
    expect(result.hosts).toEqual([expect.objectContaining({ host: HOST, status: 'removed', summary: 'host removed: a typical request went to v1 90%, v2 10%' })]);
    const added = diff([], [dr(), vs([split(90, 10)])]);
    expect(added.hosts).toEqual([expect.objectContaining({
      host: HOST, status: 'added', summary: 'new host: a typical request goes to v1 90%, v2 10%', changes: ['new host, routed by VirtualService prod/shop'],
    })]);
  });

  test('a VirtualService added for a host only a DestinationRule named', () => {
    const [host] = diff([dr()], [dr(), vs([split(90, 10)])]).hosts;
    expect(host.summary).toBe('typical request, rule public (#1): any pod 100% → 0%, v1 0% → 90%, v2 0% → 10%');
    expect(host.changes).toEqual(['VirtualService none → prod/shop', 'applies to nothing → mesh', 'rule public (#1) added (every request → v1 90%, v2 10%)']);
  });

  test('a gateway-only VirtualService: its typical request comes through the gateway', () => {
    const gw = (p: number) => vs([split(100 - p, p)], { gateways: ['istio-system/public'] });
    expect(diff([dr(), gw(5)], [dr(), gw(25)]).hosts[0].summary).toBe('typical request, rule public (#1): v1 95% → 75%, v2 5% → 25%');
  });
});

describe('version cookies and the users they pin', () => {
  // A sticky split as StickySplit writes it: a pin rule per version, then the split that sets the cookie.
  const cookie = (subset: string) => ({ response: { add: { 'set-cookie': `shop-version=${subset}; Max-Age=3600` } } });
  const pin = (subset: string, value = subset) => ({
    name: `public-${subset}`,
    match: [{ headers: { cookie: { regex: `^(.*;\\s*)?shop-version=${value}(;.*)?$` } } }],
    route: [to(subset)],
  });
  const sticky = (v1: number, v2: number) => ({ name: 'public', route: [to('v1', v1, { headers: cookie('v1') }), to('v2', v2, { headers: cookie('v2') })] });

  test('the split moves: pinned users are kept', () => {
    const [host] = diff([dr(), vs([pin('v1'), pin('v2'), sticky(95, 5)])], [dr(), vs([pin('v1'), pin('v2'), sticky(75, 25)])]).hosts;
    expect(host.summary).toBe('typical request, rule public (#3): v1 95% → 75%, v2 5% → 25%');
    expect(host.changes).toEqual(['users pinned by cookie: shop-version=v1 kept on v1; shop-version=v2 kept on v2']);
  });

  test('stickiness removed with a promotion: users of v1 re-pinned to v2', () => {
    const changed = changes([dr(), vs([pin('v1'), pin('v2'), sticky(75, 25)])], [dr(), vs([{ name: 'public', route: [to('v2')] }])]);
    expect(changed).toContain('rule public (#1): sticky sets shop-version for 1h, not renewed → none');
    expect(changed).toContain('users pinned by cookie: shop-version=v1 re-pinned from v1 to v2; shop-version=v2 kept on v2');
  });

  test('pin rules removed but the split stays: pinned users are unpinned', () => {
    const changed = changes([dr(), vs([pin('v1'), pin('v2'), sticky(75, 25)])], [dr(), vs([sticky(75, 25)])]);
    expect(changed).toContain('users pinned by cookie: shop-version=v1 unpinned from v1: now v1 75%, v2 25%; shop-version=v2 unpinned from v2: now v1 75%, v2 25%');
  });

  test('the cookie a split sets changes value (a new release\'s cookie)', () => {
    const renamed = { name: 'public', route: [to('v1', 95, { headers: cookie('v1') }), to('v2', 5, { headers: { response: { add: { 'set-cookie': 'shop-version=v2-r2; Max-Age=3600' } } } })] };
    const changed = changes([dr(), vs([pin('v1'), pin('v2'), sticky(95, 5)])], [dr(), vs([pin('v1'), pin('v2', 'v2-r2'), renamed])]);
    expect(changed).toEqual([
      'rule public-v2 (#2): when cookie shop-version = "v2" → cookie shop-version = "v2-r2"',
      'rule public-v2 (#2): sticky pins shop-version=v2 → pins shop-version=v2-r2',
      'rule public (#3): cookie set for v2 shop-version=v2 → shop-version=v2-r2',
      'users pinned by cookie: shop-version=v1 kept on v1; shop-version=v2 unpinned from v2: now v1 95%, v2 5%',
    ]);
  });
});

describe('alerts', () => {
  const alerts = (rules: any[]) => ({
    apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'shop-canary', namespace: 'prod' }, spec: { groups: [{ name: 'g', rules }] },
  });
  const noTraffic = (w: number) => ({ alert: 'CanaryNoTraffic', expr: `rate(x{destination_service="${HOST}"}[5m]) * ${w / 100} > 1`, for: '5m' });
  const errors = { alert: 'CanaryHigh5xxRatio', expr: `errors{destination_service="${HOST}"} > 0.01`, for: '5m' };

  test('alerts of a changed host go with it; alerts of no changed host are listed apart', () => {
    const other = { alert: 'Other', expr: 'up == 0' };
    const result = diff([dr(), vs([split(95, 5)]), alerts([errors, noTraffic(5), other])], [dr(), vs([split(75, 25)]), alerts([noTraffic(25), { ...other, for: '1m' }])]);
    expect(result.hosts[0].alerts).toEqual(['alert CanaryNoTraffic (prod/shop-canary) changed: expr', 'alert CanaryHigh5xxRatio (prod/shop-canary) removed']);
    expect(result.otherAlerts).toEqual(['alert Other (prod/shop-canary) changed: for']);
    expect(result.toText()).toBe([
      `${HOST}: typical request, rule public (#1): v1 95% → 75%, v2 5% → 25%`,
      '  alert CanaryNoTraffic (prod/shop-canary) changed: expr',
      '  alert CanaryHigh5xxRatio (prod/shop-canary) removed',
      'other alerts:',
      '  alert Other (prod/shop-canary) changed: for',
      '',
    ].join('\n'));
  });

  test('alert changes alone do not make the routing changed', () => {
    const result = diff([dr(), vs([split(95, 5)]), alerts([noTraffic(5)])], [dr(), vs([split(95, 5)]), alerts([])]);
    expect(result.changed).toBe(false);
    expect(result.otherAlerts).toEqual(['alert CanaryNoTraffic (prod/shop-canary) removed']);
  });
});

describe('formats', () => {
  const before = [dr(), vs([testers, split(95, 5)])];
  const after = [dr(), vs([split(75, 25, { timeout: '2s' })])];

  test('Markdown: a table per host, escaped, and Mermaid for changed hosts only when asked', () => {
    const result = diff(before, after);
    const md = result.toMarkdown();
    expect(md).toContain(`### ${HOST} (changed)`);
    expect(md).toContain('| typical request | v1 95%, v2 5% | v1 75%, v2 25% |');
    expect(md).toContain('| rule testers (#1) removed (header x-tester = "yes" → v2) | | |');
    expect(md).not.toContain('```mermaid');
    const withDiagram = result.toMarkdown({ mermaid: true, title: 'Routing of PR #7' });
    expect(withDiagram.startsWith('## Routing of PR #7\n')).toBe(true);
    const diagrams = [...withDiagram.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(diagrams).toHaveLength(1);
    expect(mermaidErrors(diagrams[0])).toEqual([]);
    expect(withDiagram).toMatchSnapshot();
  });

  test('Markdown of an unchanged routing says so', () => {
    expect(diff(before, before).toMarkdown()).toBe('## Routing changes\n\nThe routing is unchanged.\n');
  });

  test('JSON for tools: the same facts, round-trippable', () => {
    const json = diff(before, after).toJson();
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.changed).toBe(true);
    expect(json.hosts[0]).toEqual({
      host: HOST,
      status: 'changed',
      summary: 'typical request, rule public (#1): v1 95% → 75%, v2 5% → 25%',
      changes: ['rule testers (#1) removed (header x-tester = "yes" → v2)', 'rule public (#1): timeout none → 2s'],
      typicalBefore: [expect.objectContaining({ subset: 'v1', probability: 0.95 }), expect.objectContaining({ subset: 'v2', probability: 0.05 })],
      typicalAfter: [expect.objectContaining({ subset: 'v1', probability: 0.75 }), expect.objectContaining({ subset: 'v2', probability: 0.25 })],
      alerts: [],
    });
  });
});
