import { ApiObject, Testing, Yaml } from 'cdk8s';
import { CART_HOST } from './fixtures';
import { promqlOf, promqlReport } from './promql-grammar';
import { checkRules, promtoolTest, testRules } from './promtool';
import { synth } from './util';
import { CanaryAnalysis } from '../src/canary-analysis';
import { CanaryDashboard, CanaryDashboardOptions } from '../src/canary-dashboard';
import { Subsets } from '../src/subsets';

/** `test` where promtool runs, `test.skip` where it is missing (and not required); see promtool.ts. */
const withPromtool = promtoolTest();

function setup(options: CanaryDashboardOptions = {}) {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', { host: CART_HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
  const analysis = new CanaryAnalysis(chart, 'analysis', { stable: subsets.subset('v1'), canary: subsets.subset('v2'), canaryWeight: 5 });
  const dashboard = new CanaryDashboard(chart, 'dashboard', { analysis, ...options });
  const manifests = synth(chart);
  const configMap = manifests.find((m) => m.kind === 'ConfigMap');
  const rules = manifests.find((m) => m.kind === 'PrometheusRule').spec;
  const json = JSON.parse(configMap.data[`canary-${CART_HOST}.json`]);
  return { chart, analysis, dashboard, configMap, json, rules };
}

const targets = (json: any, title: string) => json.panels.find((p: any) => p.title === title).targets;

describe('CanaryDashboard', () => {
  test('a ConfigMap labelled for Grafana\'s sidecar, holding the dashboard', () => {
    const { configMap, json, dashboard } = setup();
    expect(configMap.apiVersion).toBe('v1');
    expect(configMap.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(Object.keys(configMap.data)).toEqual([`canary-${CART_HOST}.json`]);
    expect(json.uid).toBe(dashboard.uid);
    expect(json.uid).toMatch(/^canary-cart-service-[0-9a-f]{8}$/);
    expect(json.title).toBe(`Canary ${CART_HOST}: v1 vs v2`);
    expect(json.templating.list).toEqual([{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus' }]);
    expect(json.panels.map((p: any) => [p.title, p.type, p.fieldConfig.defaults.unit, p.gridPos])).toEqual([
      ['Request rate', 'timeseries', 'reqps', { h: 8, w: 12, x: 0, y: 0 }],
      ['5xx ratio', 'timeseries', 'percentunit', { h: 8, w: 12, x: 12, y: 0 }],
      ['p99 latency', 'timeseries', 'ms', { h: 8, w: 12, x: 0, y: 8 }],
      ['Mirrored traffic', 'timeseries', 'reqps', { h: 8, w: 12, x: 12, y: 8 }],
    ]);
  });

  test('stable and canary side by side from the recorded series', () => {
    const { json, analysis } = setup();
    const expected = (metric: string) => [
      { refId: 'A', datasource: { type: 'prometheus', uid: '${datasource}' }, expr: analysis.recorded(metric, 'v1'), legendFormat: 'stable (v1)' },
      { refId: 'B', datasource: { type: 'prometheus', uid: '${datasource}' }, expr: analysis.recorded(metric, 'v2'), legendFormat: 'canary (v2)' },
    ];
    expect(targets(json, 'Request rate')).toEqual(expected(analysis.requestRateMetric));
    expect(targets(json, '5xx ratio')).toEqual(expected(analysis.errorRatioMetric));
    expect(targets(json, 'p99 latency')).toEqual(expected(analysis.latencyP99Metric));
    expect(targets(json, 'Mirrored traffic').map((t: any) => t.legendFormat)).toEqual(['received by canary (v2)', 'sent to canary by callers', 'mirrored (received - sent)']);
  });

  test('every panel query parses with Prometheus\' grammar (every run, promtool or not)', () => {
    const { json, configMap } = setup();
    const exprs = json.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    expect(exprs).toHaveLength(9);
    expect(promqlOf([configMap]).map((source) => source.expr)).toEqual(exprs);
    expect(promqlReport([configMap])).toEqual([]);
  });

  withPromtool('every panel query is valid PromQL (promtool check rules)', () => {
    const { json } = setup();
    const exprs = json.panels.flatMap((p: any) => p.targets.map((t: any) => t.expr));
    expect(exprs).toHaveLength(9);
    const rules = exprs.map((expr: string, i: number) => ({ record: `panel:query_${i}:check`, expr }));
    expect(checkRules({ groups: [{ name: 'panels', rules }] })).toMatch(/SUCCESS: 9 rules found/);
  });

  withPromtool('the mirrored traffic is what the canary received less what callers sent it (promtool test rules)', () => {
    const { json, rules } = setup();
    const [received, sent, mirrored] = targets(json, 'Mirrored traffic').map((t: any) => t.expr);
    const series = (reporter: string, perMinute: number) => ({
      series: `istio_requests_total{reporter="${reporter}", destination_service="${CART_HOST}", destination_version="v2", response_code="200"}`,
      values: `0+${perMinute}x30`,
    });
    const at10m = (expr: string, value: number) => ({ expr, eval_time: '10m', exp_samples: [{ labels: '{}', value }] });
    expect(testRules(rules, [
      // Percent stage with shadowing on top: callers send 30 a minute, the canary receives 90.
      { interval: '1m', input_series: [series('destination', 90), series('source', 30)], promql_expr_test: [at10m(received, 1.5), at10m(sent, 0.5), at10m(mirrored, 1)] },
      // Shadow stage: no caller sends the canary anything, so everything it receives is a copy.
      { interval: '1m', input_series: [series('destination', 60)], promql_expr_test: [at10m(sent, 0), at10m(mirrored, 1)] },
    ])).toMatch(/SUCCESS/);
  });

  test('title, sidecar label and metadata', () => {
    const { configMap, json } = setup({
      title: 'Cart rollout',
      sidecarLabel: 'grafana.example.com/dashboard',
      sidecarLabelValue: 'canary',
      metadata: { name: 'cart-canary-dashboard', namespace: 'monitoring', labels: { team: 'cart' } },
    });
    expect(json.title).toBe('Cart rollout');
    expect(configMap.metadata).toEqual({
      name: 'cart-canary-dashboard', namespace: 'monitoring', labels: { 'team': 'cart', 'grafana.example.com/dashboard': 'canary' },
    });
  });

  test('the ConfigMap is the default child; the uid is stable', () => {
    const { dashboard } = setup();
    expect(dashboard.node.defaultChild).toBeInstanceOf(ApiObject);
    expect(dashboard.node.defaultChild).toBe(dashboard.resource);
    expect(setup().dashboard.uid).toBe(dashboard.uid);
  });

  test('a long or wildcard host still gives a Grafana uid (at most 40 characters) and a valid ConfigMap key', () => {
    const chart = Testing.chart();
    const host = `${'a'.repeat(63)}.prod.svc.cluster.local`;
    for (const [i, h] of [host, '*.shop.example.com'].entries()) {
      const subsets = new Subsets(chart, `s${i}`, { host: h, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
      const analysis = new CanaryAnalysis(chart, `a${i}`, { stable: subsets.subset('v1'), canary: subsets.subset('v2') });
      const dashboard = new CanaryDashboard(chart, `d${i}`, { analysis });
      expect(dashboard.uid.length).toBeLessThanOrEqual(40);
      expect(dashboard.uid).toMatch(/^[a-z0-9_-]+$/);
      expect(Object.keys(dashboard.resource.toJson().data)[0]).toMatch(/^[-._a-zA-Z0-9]+$/);
    }
    // The hosts are inside PromQL strings too, of the rules and of the panels.
    expect(promqlOf(synth(chart)).length).toBeGreaterThanOrEqual(2 * (9 + 5));
    expect(promqlReport(synth(chart))).toEqual([]);
  });

  test('snapshot of the ConfigMap (the PrometheusRule has its own in canary-analysis.test.ts)', () => {
    expect(Yaml.stringify(setup().configMap)).toMatchSnapshot();
  });

  test.each([
    ['the sidecar label among the metadata labels', { metadata: { labels: { grafana_dashboard: 'x' } } }, /test\/dashboard: metadata\.labels: "grafana_dashboard" is the sidecar label, which the dashboard sets; give its value as sidecarLabelValue/],
    ['an invalid sidecar label', { sidecarLabel: 'grafana dashboard' }, /test\/dashboard: sidecarLabel: "grafana dashboard" is not a valid label key/],
    ['an invalid sidecar label value', { sidecarLabelValue: 'yes please' }, /test\/dashboard: sidecarLabelValue: label "grafana_dashboard" has the invalid value "yes please"/],
    ['an empty title', { title: ' ' }, /test\/dashboard: title: the title is empty/],
  ])('rejects %s', (_name, options, message) => {
    expect(() => setup(options as CanaryDashboardOptions)).toThrow(message);
  });
});
