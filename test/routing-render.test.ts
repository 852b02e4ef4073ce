/**
 * The three renderings of the routing: the text table, Markdown for pull requests and Mermaid. Exact
 * expectations for small inputs, escaping of hostile labels, and every diagram checked against the grammar.
 */
import { mermaidErrors } from './mermaid-grammar';
import { RoutingModel } from '../src/routing/routing-model';

const HOST = 'reviews.shop.svc.cluster.local';
const route = (subset: string, weight?: number) => ({ destination: { host: HOST, subset }, weight });
const dr = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'shop' },
  spec: { host: HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2', track: 'canary' } }] },
};
const vs = (http: any[]) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop' }, spec: { hosts: [HOST], http } });

/** Two alternatives in one rule, no catch-all, a mirror, policies. */
const partial = RoutingModel.fromManifests([dr, vs([
  {
    name: 'testers',
    match: [{ headers: { 'x-team': { exact: 'qa' } } }, { sourceLabels: { app: 'qa-tools' }, uri: { prefix: '/api' } }],
    route: [route('v2')],
    timeout: '3s',
    retries: { attempts: 0 },
  },
  { name: 'reads', match: [{ method: { exact: 'GET' } }], route: [route('v1', 90), route('v2', 10)], mirror: { host: HOST, subset: 'v2' }, mirrorPercentage: { value: 12.5 } },
])]);

/** Labels that would break Markdown or Mermaid if they were not escaped. */
const hostile = RoutingModel.fromManifests([dr, vs([
  { name: 'odd', match: [{ headers: { 'x-q': { exact: 'say "hi" #1 <b>&amp;</b> `x` | *y* _z_' } } }], route: [route('v2')] },
  { name: 'rest', route: [route('v1')] },
])]);

describe('text', () => {
  test('one row per rule, one line per alternative, the rest of the host below the table; at most 120 columns', () => {
    // Too wide with the sticky column, which no rule uses: it is left out, and the widest cell wraps,
    // indented so that it does not read as another alternative.
    expect(partial.toText()).toBe([
      HOST,
      '  VirtualService shop/reviews, for sidecars in the mesh',
      '  DestinationRule shop/reviews: subsets v1 (version=v1), v2 (version=v2,track=canary)',
      '',
      '  # | rule    | when                                          | goes to        | mirror   | timeout / retries',
      '  --+---------+-----------------------------------------------+----------------+----------+-----------------------------',
      '  1 | testers | header x-team = "qa"                          | v2             | -        | 3s / no retries',
      '    |         | or uri starts with "/api" and source          |                |          |',
      '    |         |   app=qa-tools                                |                |          |',
      '  2 | reads   | method GET                                    | v1 90%, v2 10% | v2 12.5% | no timeout / default retries',
      '  otherwise: 404 (NR), no rule matches',
      '  note: no rule matches every request: a request that matches none gets 404 (NR)',
      '',
    ].join('\n'));
  });

  test('a host only a DestinationRule names', () => {
    expect(RoutingModel.fromManifests([dr]).toText()).toBe([
      HOST,
      '  no VirtualService',
      '  DestinationRule shop/reviews: subsets v1 (version=v1), v2 (version=v2,track=canary)',
      '  every request: any pod',
      '  note: no VirtualService routes this host: requests go to any of its pods, whatever their subset',
      '',
    ].join('\n'));
  });

  test('nothing to show', () => {
    expect(RoutingModel.fromManifests([]).toText()).toBe('no VirtualService or DestinationRule\n');
    expect(RoutingModel.fromManifests([]).toMarkdown()).toBe('No VirtualService or DestinationRule.\n');
    expect(mermaidErrors(RoutingModel.fromManifests([]).toMermaid())).toEqual([]);
  });
});

describe('markdown', () => {
  test('facts, a table, notes and the diagram per host', () => {
    const markdown = partial.toMarkdown();
    expect(markdown).toBe([
      `### ${HOST}`,
      '',
      '- VirtualService shop/reviews, for sidecars in the mesh',
      '- DestinationRule shop/reviews: subsets v1 (version=v1), v2 (version=v2,track=canary)',
      '',
      '| # | rule | when | goes to | mirror | timeout / retries | sticky |',
      '| --: | --- | --- | --- | --- | --- | --- |',
      '| 1 | testers | header x-team = "qa"<br>or uri starts with "/api" and source app=qa-tools | v2 | - | 3s / no retries | - |',
      '| 2 | reads | method GET | v1 90%, v2 10% | v2 12.5% | no timeout / default retries | - |',
      '',
      'Otherwise: 404 (NR), no rule matches',
      '',
      '- **Note:** no rule matches every request: a request that matches none gets 404 (NR)',
      '',
      '```mermaid',
      partial.toMermaid().trimEnd(),
      '```',
      '',
    ].join('\n'));
  });

  test('characters that mean something in Markdown are escaped', () => {
    expect(hostile.toMarkdown()).toContain('| 1 | odd | header x-q = "say \\\\"hi\\\\" #1 \\<b\\>&amp;\\</b\\> \\`x\\` \\| \\*y\\* \\_z\\_" | v2 |');
  });
});

describe('mermaid', () => {
  test('a decision per rule in order, shares on the edges, mirrors dotted, 404 when nothing matches', () => {
    expect(partial.toMermaid()).toBe([
      'flowchart TD',
      `  h1_host(["${HOST}<br/>shop/reviews"])`,
      '  h1_r1{"1. testers<br/>header x-team = #quot;qa#quot;<br/>or uri starts with #quot;/api#quot; and source app=qa-tools"}',
      '  h1_r2{"2. reads<br/>method GET"}',
      '  h1_nomatch["404 (NR)<br/>no rule matches"]',
      '  h1_t1["v1"]',
      '  h1_t2["v2"]',
      '  h1_host --> h1_r1',
      '  h1_r1 -->|"yes"| h1_t2',
      '  h1_r1 -->|"no"| h1_r2',
      '  h1_r2 -->|"yes 90%"| h1_t1',
      '  h1_r2 -->|"yes 10%"| h1_t2',
      '  h1_r2 -.->|"mirror 12.5%"| h1_t2',
      '  h1_r2 -->|"no"| h1_nomatch',
      '',
    ].join('\n'));
    expect(mermaidErrors(partial.toMermaid())).toEqual([]);
  });

  test('quotes, #, angle brackets, ampersands and backticks become entities', () => {
    const mermaid = hostile.toMermaid();
    expect(mermaid).toContain('h1_r1{"1. odd<br/>header x-q = #quot;say \\#quot;hi\\#quot; #35;1 #lt;b#gt;#amp;amp;#lt;/b#gt; #96;x#96; | *y* _z_#quot;"}');
    expect(mermaidErrors(mermaid)).toEqual([]);
  });

  test('answers without forwarding, rules never used, a host without a VirtualService', () => {
    const model = RoutingModel.fromManifests([
      dr,
      vs([
        { name: 'old', match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new' } },
        { name: 'all', route: [route('v1')] },
        { name: 'late', match: [{ uri: { prefix: '/x' } }], route: [route('v2')] },
      ]),
      { ...dr, metadata: { name: 'ratings', namespace: 'shop' }, spec: { ...dr.spec, host: 'ratings.shop.svc.cluster.local' } },
    ]);
    const mermaid = model.toMermaid();
    expect(mermaidErrors(mermaid)).toEqual([]);
    // Hosts are sorted: ratings (DestinationRule only) comes first. Rule 3 is drawn, but nothing leads to it.
    expect(mermaid).toBe([
      'flowchart TD',
      '  h1_host(["ratings.shop.svc.cluster.local<br/>no VirtualService"])',
      '  h1_t1["any pod"]',
      '  h1_host --> h1_t1',
      `  h2_host(["${HOST}<br/>shop/reviews"])`,
      '  h2_r1{"1. old<br/>uri starts with #quot;/old#quot;"}',
      '  h2_r1_answer["redirect to /new (301)"]',
      '  h2_r2["2. all<br/>anything else"]',
      '  h2_r3{"3. late (never used)<br/>uri starts with #quot;/x#quot;"}',
      '  h2_t1["v1"]',
      '  h2_host --> h2_r1',
      '  h2_r1 -->|"yes"| h2_r1_answer',
      '  h2_r1 -->|"no"| h2_r2',
      '  h2_r2 --> h2_t1',
      '',
    ].join('\n'));
  });

  test('the grammar checker rejects what Mermaid would reject', () => {
    expect(mermaidErrors('graph LR\n  a["x"]\n')).toEqual(['line 1: expected "flowchart TD", found "graph LR"']);
    expect(mermaidErrors('flowchart TD\n  a["say "hi""]\n')).toEqual(['line 2: not a node or an edge statement: "  a[\\"say \\"hi\\"\\"]"']);
    expect(mermaidErrors('flowchart TD\n  a["#1"]\n  end["<b>"]\n  a --> b\n')).toEqual([
      'line 2: a # that does not start an entity in "#1"',
      'line 3: end is a reserved word',
      'line 3: an unescaped <, >, &, backtick or newline in "<b>"',
      'line 4: edge to undeclared node b',
    ]);
  });
});
