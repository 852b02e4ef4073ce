import { promqlErrors, promqlOf, promqlReport } from './promql-grammar';

describe('promqlErrors (Prometheus\' lezer grammar)', () => {
  test.each([
    'sum by (destination_service, destination_version) (rate(istio_requests_total{reporter="destination", destination_version=~"1\\\\.14\\\\.2|v2"}[5m]))',
    '(\n  a:b:ratio_rate5m{x="1"}\n  - ignoring (destination_version)\n  a:b:ratio_rate5m{x="2"}\n) > 0.01',
    'clamp_min(foo - (bar or vector(0)), 0)',
    'histogram_quantile(0.99, sum by (le) (rate(h_bucket[2m])))',
    'x{a=\'it\\\'s\', b=`raw\\.text`, c="\\x41\\u00e9\\101\\n"}',
  ])('accepts %j', (expr) => {
    expect(promqlErrors(expr)).toEqual([]);
  });

  test.each([
    ['sum(rate(foo[5m])', ['1:18: the expression ends too soon: sum(rate(foo[5m])⟦⟧']],
    ['rate(foo[5m]) >', ['1:16: the expression ends too soon: rate(foo[5m]) >⟦⟧']],
    ['sum by (a) (x) bar', ['1:16: unexpected "bar": sum by (a) (x) ⟦bar⟧']],
    ['rate(foo[5x])', ['1:11: unexpected "x": rate(foo[5⟦x⟧])']],
    ['(\n  a\n  - \n) > 1', ['4:1: something is missing here: (⏎  a⏎  - ⏎⟦⟧) > 1']],
    ['x{version=~"1\\.14"}', ['1:14: an escape Prometheus does not know: x{version=~"1⟦\\.⟧14"}']],
    ['  ', ['1:1: an empty expression']],
  ])('reports %j, so the check can fail', (expr, errors) => {
    expect(promqlErrors(expr)).toEqual(errors);
  });

  test('finds the rules of PrometheusRules and the panel targets of dashboards, and reports where an error is', () => {
    const manifests = [
      { kind: 'PrometheusRule', metadata: { name: 'r' }, spec: { groups: [{ name: 'g', rules: [{ record: 'a:b:rate5m', expr: 'sum(rate(b[5m]))' }, { alert: 'Broken', expr: 'a:b:rate5m >' }] }] } },
      { kind: 'ConfigMap', metadata: { name: 'd' }, data: { 'd.json': JSON.stringify({ panels: [{ title: 'P', targets: [{ refId: 'A', expr: 'a:b:rate5m' }] }] }), 'notes.txt': 'not json' } },
      { kind: 'Service', metadata: { name: 's' }, spec: { expr: 'ignored(' } },
    ];
    expect(promqlOf(manifests)).toEqual([
      { where: 'PrometheusRule r, group g, record a:b:rate5m', expr: 'sum(rate(b[5m]))' },
      { where: 'PrometheusRule r, group g, alert Broken', expr: 'a:b:rate5m >' },
      { where: 'ConfigMap d, d.json, panel "P", target A', expr: 'a:b:rate5m' },
    ]);
    expect(promqlReport(manifests)).toEqual(['PrometheusRule r, group g, alert Broken: 1:13: the expression ends too soon: a:b:rate5m >⟦⟧']);
  });
});
