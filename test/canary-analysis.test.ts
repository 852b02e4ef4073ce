import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Duration, Testing } from 'cdk8s';
import { CART_HOST } from './fixtures';
import { prometheusSchemaErrors } from './prometheus-schema';
import { promqlOf, promqlReport } from './promql-grammar';
import { checkRules, promtoolPath, promtoolStatus, promtoolTest, reportPromtool, testRules } from './promtool';
import { synth } from './util';
import { synthYaml } from './yaml-snapshot';
import { CanaryAnalysis, CanaryAnalysisProps } from '../src/canary-analysis';
import { PrometheusRule } from '../src/imports/prometheus-monitoring.coreos.com';
import { Subsets } from '../src/subsets';

/** A 2-minute window, a canary weight of 25 and every threshold set away from its default. */
const EVERY_OPTION: Partial<CanaryAnalysisProps> = {
  window: Duration.minutes(2),
  canaryWeight: 25,
  thresholds: {
    errorRatioMargin: 0.5,
    errorRatioFor: Duration.minutes(10),
    latencyFactor: 2,
    latencyFor: Duration.seconds(90),
    noTrafficMinimumRequests: 50,
    noTrafficFor: Duration.hours(1),
  },
};

/** `test` where promtool runs, `test.skip` where it is missing (and not required); see promtool.ts. */
const withPromtool = promtoolTest();
const LABELS = { destination_service: CART_HOST, severity: 'warning', stable_version: 'v1', canary_version: 'v2' };

function setup(props: Partial<CanaryAnalysisProps> = {}, versions: string[] = ['v1', 'v2']) {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', {
    host: CART_HOST,
    subsets: [
      { name: 'stable', labels: { app: 'cart', version: versions[0] } },
      { name: 'canary', labels: { app: 'cart', version: versions[1] } },
    ],
  });
  const analysis = new CanaryAnalysis(chart, 'analysis', { stable: subsets.subset('stable'), canary: subsets.subset('canary'), canaryWeight: 5, ...props });
  const manifest = synth(chart).find((m) => m.kind === 'PrometheusRule');
  return { chart, subsets, analysis, manifest, spec: manifest.spec, rules: manifest.spec.groups[0].rules as any[] };
}

/** A counter series growing by `perMinute` every minute for 30 minutes. */
function counter(series: string, perMinute: number) {
  return { series, values: `0+${perMinute}x30` };
}

const requests = (version: string, code: string, perMinute: number, reporter = 'destination') =>
  counter(`istio_requests_total{reporter="${reporter}", destination_service="${CART_HOST}", destination_version="${version}", response_code="${code}"}`, perMinute);

/** Histogram buckets of a version whose requests (60 a minute) all fall in the bucket that ends at `upTo` ms. */
function durations(version: string, upTo: number) {
  return [50, 100, 120, 250, 500, Infinity].map((le) => counter(
    `istio_request_duration_milliseconds_bucket{reporter="destination", destination_service="${CART_HOST}", destination_version="${version}", le="${le === Infinity ? '+Inf' : le}"}`,
    le >= upTo ? 60 : 0,
  ));
}

/** The alert as promtool reports it: the rule's labels and its annotations with `$value` rendered. */
function firing(rules: any[], alert: string, value: string) {
  const rule = rules.find((r) => r.alert === alert);
  const annotations = Object.fromEntries(Object.entries(rule.annotations as { [k: string]: string })
    .map(([k, v]) => [k, v.replace(/\{\{ \$value \| \w+ \}\}/g, value)]));
  return { exp_labels: LABELS, exp_annotations: annotations };
}

describe('CanaryAnalysis', () => {
  test('records each version\'s request rate, 5xx ratio and p99 from Istio\'s metrics', () => {
    const { rules, analysis } = setup();
    expect(rules.filter((r) => r.record).map((r) => r.record)).toEqual([
      'destination_service_version:istio_requests:rate5m',
      'destination_service_version:istio_requests_5xx_per_requests:ratio_rate5m',
      'destination_service_version:istio_request_duration_milliseconds:p99_rate5m',
    ]);
    const selector = `{reporter="destination", destination_service="${CART_HOST}", destination_version=~"v1|v2"`;
    expect(rules[0].expr).toBe(`sum by (destination_service, destination_version) (rate(istio_requests_total${selector}}[5m]))`);
    expect(rules[1].expr).toContain(`rate(istio_requests_total${selector}, response_code=~"5.."}[5m])`);
    expect(rules[2].expr).toBe(`histogram_quantile(0.99, sum by (destination_service, destination_version, le) (rate(istio_request_duration_milliseconds_bucket${selector}}[5m])))`);
    expect(analysis.recorded(analysis.errorRatioMetric, 'v2'))
      .toBe(`destination_service_version:istio_requests_5xx_per_requests:ratio_rate5m{destination_service="${CART_HOST}", destination_version="v2"}`);
    expect([analysis.host, analysis.stableVersion, analysis.canaryVersion, analysis.window]).toEqual([CART_HOST, 'v1', 'v2', '5m']);
  });

  test('alerts with the host and versions in their labels, thresholds in their expressions, and a runbook', () => {
    const { rules, analysis } = setup({ runbookUrl: 'https://runbooks.example.com/canary', alertLabels: { team: 'cart', severity: 'page' } });
    const alerts = rules.filter((r) => r.alert);
    expect(analysis.alertNames).toEqual(['CanaryHigh5xxRatio', 'CanaryHighLatency', 'CanaryNoTraffic']);
    expect(alerts.map((a) => [a.alert, a.for])).toEqual([['CanaryHigh5xxRatio', '5m'], ['CanaryHighLatency', '5m'], ['CanaryNoTraffic', '5m']]);
    for (const alert of alerts) {
      expect(alert.labels).toEqual({ severity: 'page', team: 'cart', stable_version: 'v1', canary_version: 'v2' });
      expect(alert.annotations.runbook_url).toBe('https://runbooks.example.com/canary');
      expect(alert.annotations.summary).toContain(CART_HOST);
      expect(alert.annotations.description).toMatch(/subset "canary", version "v2"/);
    }
    expect(alerts[0].expr).toMatch(/\) > 0\.01$/);
    expect(alerts[1].expr).toMatch(/\n1\.5 \* destination_service_version:istio_request_duration_milliseconds:p99_rate5m\{[^}]*destination_version="v1"\}$/);
    expect(alerts[2].expr).toContain('* 0.05 * 300 >= 10');
    expect(alerts[0].annotations.description).toMatch(/move its Canary to CanaryStage\.internalOnly\(\)/);
  });

  test('writes the no-traffic alert only when the canary has weight', () => {
    expect(setup({ canaryWeight: 0 }).analysis.alertNames).toEqual(['CanaryHigh5xxRatio', 'CanaryHighLatency']);
    expect(setup({}).analysis.alertNames).toContain('CanaryNoTraffic');
  });

  test('thresholds, window and durations reach the rules', () => {
    const { rules } = setup(EVERY_OPTION);
    expect(rules[0].record).toBe('destination_service_version:istio_requests:rate2m');
    expect(rules[0].expr).toContain('[2m]');
    const [errors, latency, noTraffic] = rules.filter((r) => r.alert);
    expect([errors.for, latency.for, noTraffic.for]).toEqual(['10m', '90s', '1h']);
    expect(errors.expr).toMatch(/\) > 0\.005$/);
    expect(latency.expr).toContain('\n2 * ');
    expect(noTraffic.expr).toContain('* 0.25 * 120 >= 50');
    expect(errors.annotations.description).toContain('0.5 percentage points');
  });

  test('the PrometheusRule is the default child and takes the given metadata', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 's', { host: CART_HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
    const analysis = new CanaryAnalysis(chart, 'a', { stable: subsets.subset('v1'), canary: subsets.subset('v2'), metadata: { name: 'cart-canary', labels: { release: 'kube-prometheus-stack' } } });
    expect(analysis.node.defaultChild).toBeInstanceOf(PrometheusRule);
    expect(analysis.node.defaultChild).toBe(analysis.resource);
    const manifest = synth(chart).find((m) => m.kind === 'PrometheusRule');
    expect(manifest.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(manifest.metadata).toEqual({ name: 'cart-canary', labels: { release: 'kube-prometheus-stack' } });
    expect(manifest.spec.groups.map((g: any) => g.name)).toEqual([`canary-${CART_HOST}`]);
  });

  test('versionLabel names the label that carries the version', () => {
    const chart = Testing.chart();
    const subsets = new Subsets(chart, 's', {
      host: CART_HOST,
      subsets: [{ name: 'stable', labels: { 'app.kubernetes.io/version': '1.14.2' } }, { name: 'canary', labels: { 'app.kubernetes.io/version': '1.15.0' } }],
    });
    const analysis = new CanaryAnalysis(chart, 'a', { stable: subsets.subset('stable'), canary: subsets.subset('canary'), versionLabel: 'app.kubernetes.io/version' });
    expect([analysis.stableVersion, analysis.canaryVersion]).toEqual(['1.14.2', '1.15.0']);
  });

  test('the guide says where Istio takes destination_version from, in the order Istio looks', () => {
    // Istio's canonical revision (pkg/model CanonicalService): the first of these pod labels, else "latest".
    const guide = readFileSync(join(__dirname, '..', 'docs', 'canary.md'), 'utf-8').replace(/\s+/g, ' ');
    expect(guide).toContain('takes it from the first of the pod\'s labels `service.istio.io/canonical-revision`, `app.kubernetes.io/version` and `version`');
    expect(guide).not.toMatch(/Istio takes from the pods' `version` label/);
  });

  test('snapshot', () => {
    expect(synthYaml(setup().chart)).toMatchSnapshot();
  });

  /** Configurations whose rules promtool checks; Prometheus' grammar checks these and more. */
  const CHECKED: [string, Partial<CanaryAnalysisProps>][] = [
    ['the defaults', {}],
    ['weight 0 (no no-traffic alert)', { canaryWeight: 0 }],
    ['every option', {
      window: Duration.minutes(10),
      canaryWeight: 50,
      alertLabels: { team: 'cart' },
      runbookUrl: 'https://runbooks.example.com/canary',
      thresholds: { errorRatioMargin: 2.5, errorRatioFor: Duration.seconds(0), latencyFactor: 1, noTrafficMinimumRequests: 1 },
    }],
  ];

  describe('Prometheus\' PromQL grammar (every run, promtool or not)', () => {
    test.each([
      ...CHECKED.map(([name, props]): [string, Partial<CanaryAnalysisProps>, string[]] => [name, props, ['v1', 'v2']]),
      ['a 2m window, weight 25 and every threshold', EVERY_OPTION, ['v1', 'v2']],
      ['a runbook and alert labels', { runbookUrl: 'https://runbooks.example.com/canary', alertLabels: { team: 'cart', severity: 'page' } }, ['v1', 'v2']],
      ['versions with dots, escaped in a regex', {}, ['1.14.2', '1.15.0']],
      ['versions with dots, dashes and underscores', { canaryWeight: 0 }, ['1.0.0-rc_1', '2.0.0']],
    ])('every recording rule and alert written with %s parses', (_name, props, versions) => {
      const { manifest, rules } = setup(props, versions);
      expect(rules.length).toBeGreaterThanOrEqual(5);
      expect(promqlOf([manifest]).map((source) => source.expr)).toEqual(rules.map((rule) => rule.expr));
      expect(promqlReport([manifest])).toEqual([]);
    });
  });

  describe('promtool check rules', () => {
    withPromtool.each(CHECKED)('accepts the groups written with %s', (_name, props) => {
      const { spec } = setup(props);
      expect(checkRules(spec)).toMatch(/SUCCESS: \d+ rules found/);
    });

    withPromtool('rejects a broken rule, so the check is not a formality', () => {
      expect(() => checkRules({ groups: [{ name: 'g', rules: [{ record: 'x:y:rate5m', expr: 'sum(rate(foo[5m])' }] }] })).toThrow(/promtool check rules rules.yaml failed/);
    });
  });

  describe('promtool test rules', () => {
    withPromtool('records each version (dots in versions are matched literally)', () => {
      const { spec } = setup({}, ['1.14.2', '1.15.0']);
      const rec = (metric: string, version: string) => `destination_service_version:${metric}{destination_service="${CART_HOST}", destination_version="${version}"}`;
      expect(testRules(spec, [{
        interval: '1m',
        input_series: [
          requests('1.14.2', '200', 570), requests('1.14.2', '503', 30),
          requests('1.15.0', '200', 60),
          // Another version whose name the unescaped regex "1.15.0" would also match.
          requests('1x15x0', '500', 600),
          ...durations('1.14.2', 100), ...durations('1.15.0', 500),
        ],
        promql_expr_test: [
          { expr: rec('istio_requests:rate5m', '1.14.2'), eval_time: '10m', exp_samples: [{ labels: rec('istio_requests:rate5m', '1.14.2'), value: 10 }] },
          { expr: rec('istio_requests_5xx_per_requests:ratio_rate5m', '1.14.2'), eval_time: '10m', exp_samples: [{ labels: rec('istio_requests_5xx_per_requests:ratio_rate5m', '1.14.2'), value: 0.05 }] },
          // A version without a single 5xx has a ratio of 0, not no ratio at all.
          { expr: rec('istio_requests_5xx_per_requests:ratio_rate5m', '1.15.0'), eval_time: '10m', exp_samples: [{ labels: rec('istio_requests_5xx_per_requests:ratio_rate5m', '1.15.0'), value: 0 }] },
          { expr: rec('istio_request_duration_milliseconds:p99_rate5m', '1.15.0'), eval_time: '10m', exp_samples: [{ labels: rec('istio_request_duration_milliseconds:p99_rate5m', '1.15.0'), value: 497.5 }] },
          { expr: 'count(destination_service_version:istio_requests:rate5m)', eval_time: '10m', exp_samples: [{ labels: '{}', value: 2 }] },
        ],
      }])).toMatch(/SUCCESS/);
    });

    const latencies = [...durations('v1', 100)];
    const traffic = [requests('v1', '200', 600), requests('v2', '200', 60)];

    withPromtool('CanaryHigh5xxRatio fires when the canary fails 10% of requests and stable none, after 5m', () => {
      const { spec, rules } = setup();
      expect(testRules(spec, [{
        interval: '1m',
        input_series: [requests('v1', '200', 600), requests('v2', '200', 54), requests('v2', '503', 6), ...latencies],
        alert_rule_test: [
          { eval_time: '4m', alertname: 'CanaryHigh5xxRatio', exp_alerts: [] },
          { eval_time: '15m', alertname: 'CanaryHigh5xxRatio', exp_alerts: [firing(rules, 'CanaryHigh5xxRatio', '10%')] },
        ],
      }])).toMatch(/SUCCESS/);
    });

    withPromtool.each([
      ['the canary\'s 5xx ratio is within the margin (0.5% against 0%)', [requests('v1', '200', 600), requests('v2', '200', 199), requests('v2', '500', 1)]],
      ['both versions fail alike, as when a shared dependency is down (10% each)', [requests('v1', '200', 540), requests('v1', '503', 60), requests('v2', '200', 54), requests('v2', '503', 6)]],
    ])('CanaryHigh5xxRatio stays quiet when %s', (_name, series) => {
      const { spec } = setup();
      expect(testRules(spec, [{
        interval: '1m',
        input_series: series,
        alert_rule_test: [{ eval_time: '20m', alertname: 'CanaryHigh5xxRatio', exp_alerts: [] }],
      }])).toMatch(/SUCCESS/);
    });

    withPromtool('CanaryHighLatency fires when the canary\'s p99 is 5 times stable\'s', () => {
      const { spec, rules } = setup();
      expect(testRules(spec, [{
        interval: '1m',
        input_series: [...traffic, ...durations('v1', 100), ...durations('v2', 500)],
        alert_rule_test: [
          { eval_time: '4m', alertname: 'CanaryHighLatency', exp_alerts: [] },
          { eval_time: '15m', alertname: 'CanaryHighLatency', exp_alerts: [firing(rules, 'CanaryHighLatency', '497.5')] },
        ],
      }])).toMatch(/SUCCESS/);
    });

    withPromtool('CanaryHighLatency stays quiet when the canary is slower by less than the factor (p99 119.8ms against 99.5ms)', () => {
      const { spec } = setup();
      expect(testRules(spec, [{
        interval: '1m',
        input_series: [...traffic, ...durations('v1', 100), ...durations('v2', 120)],
        alert_rule_test: [{ eval_time: '20m', alertname: 'CanaryHighLatency', exp_alerts: [] }],
      }])).toMatch(/SUCCESS/);
    });

    // Callers' sidecars report every request they send to the host; when the canary has no pods to take
    // its 5%, callers get 503s (no healthy upstream) and the canary's sidecars report nothing.
    const callers = (perMinute: number) => [
      requests('v1', '200', perMinute * 0.95, 'source'),
      requests('unknown', '503', perMinute * 0.05, 'source'),
      requests('v1', '200', perMinute * 0.95),
    ];

    withPromtool('CanaryNoTraffic fires when the split should send the canary 150 requests in 5m and it receives none', () => {
      const { spec, rules } = setup();
      expect(testRules(spec, [{
        interval: '1m',
        input_series: callers(600),
        alert_rule_test: [
          { eval_time: '4m', alertname: 'CanaryNoTraffic', exp_alerts: [] },
          { eval_time: '15m', alertname: 'CanaryNoTraffic', exp_alerts: [firing(rules, 'CanaryNoTraffic', '150')] },
        ],
      }])).toMatch(/SUCCESS/);
    });

    withPromtool.each([
      ['the canary receives its share', [...callers(600), requests('v2', '200', 30)]],
      ['the host is too quiet for 5% to mean anything (1.5 requests expected in 5m)', callers(6)],
    ])('CanaryNoTraffic stays quiet when %s', (_name, series) => {
      const { spec } = setup();
      expect(testRules(spec, [{
        interval: '1m',
        input_series: series,
        alert_rule_test: [{ eval_time: '20m', alertname: 'CanaryNoTraffic', exp_alerts: [] }],
      }])).toMatch(/SUCCESS/);
    });

    withPromtool('a wrong expectation fails, so these tests can fail', () => {
      const { spec } = setup();
      expect(() => testRules(spec, [{
        interval: '1m',
        input_series: callers(600),
        alert_rule_test: [{ eval_time: '20m', alertname: 'CanaryNoTraffic', exp_alerts: [] }],
      }])).toThrow(/FAILED/);
    });
  });

  // These run with or without promtool: each looks it up in an env of its own, never in process.env.
  describe('without promtool the promtool tests are skipped with the install command, and fail where it is required', () => {
    const INSTALL = 'install it with: apt-get update && apt-get install -y prometheus';
    let bin: string;
    beforeAll(() => {
      bin = mkdtempSync(join(tmpdir(), 'fake-promtool-'));
      writeFileSync(join(bin, 'promtool'), '#!/bin/sh\n');
      chmodSync(join(bin, 'promtool'), 0o755);
    });
    afterAll(() => rmSync(bin, { recursive: true, force: true }));

    test('missing and not required: one skip line naming the install command', () => {
      const { path, skipLine } = promtoolStatus({ PATH: '/nonexistent' });
      expect(path).toBeUndefined();
      expect(skipLine).toBe(`promtool not found on PATH: the promtool tests are skipped; ${INSTALL} (PROMTOOL_REQUIRED=1 makes this a failure)`);
      expect(promtoolStatus({ PATH: '/nonexistent', PROMTOOL_REQUIRED: '0' }).skipLine).toBe(skipLine);
      const printed: string[] = [];
      expect(reportPromtool({ PATH: '/nonexistent' }, (line) => printed.push(line))).toEqual({ skipLine });
      expect(printed).toEqual([skipLine]);
      expect(promtoolTest({ PATH: '/nonexistent' })).toBe(test.skip);
      expect(() => promtoolPath({ PATH: '/nonexistent' })).toThrow(`promtool not found on PATH; ${INSTALL}`);
    });

    test('missing and required (PROMTOOL_REQUIRED=1, as in CI): a failure naming the install command', () => {
      const env = { PATH: '/nonexistent', PROMTOOL_REQUIRED: '1' };
      const message = `promtool not found on PATH, and PROMTOOL_REQUIRED is set; ${INSTALL}`;
      expect(() => promtoolStatus(env)).toThrow(message);
      expect(() => reportPromtool(env, () => undefined)).toThrow(message);
      // The tests are not skipped: they run, and fail where they call promtool.
      expect(promtoolTest(env)).toBe(test);
      expect(() => promtoolPath(env)).toThrow(message);
    });

    test('present: its path, and the tests run', () => {
      const found = join(bin, 'promtool');
      for (const env of [{ PATH: `/nonexistent:${bin}` }, { PATH: bin, PROMTOOL_REQUIRED: '1' }, { PATH: '/nonexistent', PROMTOOL: found }]) {
        expect(promtoolStatus(env)).toEqual({ path: found });
        expect(promtoolPath(env)).toBe(found);
        expect(promtoolTest(env)).toBe(test);
        const printed: string[] = [];
        reportPromtool(env, (line) => printed.push(line));
        expect(printed).toEqual([]);
      }
    });

    test('PROMTOOL names the promtool to use, and PROMTOOL=/nonexistent hides the one on PATH', () => {
      expect(promtoolStatus({ PATH: bin, PROMTOOL: '/nonexistent' }).skipLine)
        .toBe(`promtool not found at PROMTOOL=/nonexistent: the promtool tests are skipped; ${INSTALL} (PROMTOOL_REQUIRED=1 makes this a failure)`);
      expect(() => promtoolStatus({ PATH: bin, PROMTOOL: '/nonexistent', PROMTOOL_REQUIRED: 'true' }))
        .toThrow(`promtool not found at PROMTOOL=/nonexistent, and PROMTOOL_REQUIRED is set; ${INSTALL}`);
    });
  });

  describe('errors', () => {
    test('subsets of two hosts, or one subset twice', () => {
      const chart = Testing.chart();
      const a = new Subsets(chart, 'a', { host: CART_HOST, subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
      const b = new Subsets(chart, 'b', { host: 'other.prod.svc.cluster.local', subsets: [{ name: 'v2', labels: { version: 'v2' } }] });
      expect(() => new CanaryAnalysis(chart, 'x', { stable: a.subset('v1'), canary: b.subset('v2') }))
        .toThrow(/^test\/x: canary: subset "v2" is of "other\.prod\.svc\.cluster\.local" \(test\/b\), not of the stable "cart-service\.prod\.svc\.cluster\.local"; compare two subsets of one host$/);
      expect(() => new CanaryAnalysis(chart, 'y', { stable: a.subset('v1'), canary: a.subset('v1') }))
        .toThrow(/test\/y: canary: subset "v1" is both the stable version and the canary/);
    });

    test('a subset without the version label, or two subsets with one version', () => {
      const chart = Testing.chart();
      const subsets = new Subsets(chart, 's', {
        host: CART_HOST,
        subsets: [
          { name: 'v1', labels: { version: 'v1' } },
          { name: 'canary', labels: { track: 'canary' } },
          { name: 'also-v1', labels: { version: 'v1', track: 'b' } },
        ],
      });
      expect(() => new CanaryAnalysis(chart, 'x', { stable: subsets.subset('v1'), canary: subsets.subset('canary') }))
        .toThrow(/test\/x: canary: subset "canary" has no "version" label \(only track=canary\) .*; add one .* or set versionLabel$/);
      expect(() => new CanaryAnalysis(chart, 'y', { stable: subsets.subset('v1'), canary: subsets.subset('canary'), versionLabel: 'release' }))
        .toThrow(/test\/y: stable: subset "v1" has no "release" label/);
      expect(() => new CanaryAnalysis(chart, 'z', { stable: subsets.subset('v1'), canary: subsets.subset('also-v1') }))
        .toThrow(/test\/z: canary: subsets "v1" and "also-v1" both have version="v1", so Istio's metrics cannot tell them apart/);
    });

    test.each([
      ['canaryWeight 101', { canaryWeight: 101 }, /canaryWeight: 101 is out of range; use a whole number from 0 to 100/],
      ['canaryWeight 2.5', { canaryWeight: 2.5 }, /canaryWeight: 2\.5 is out of range/],
      ['window 30s', { window: Duration.seconds(30) }, /window: 30s is not a whole number of seconds of at least 1m; use e\.g\. Duration\.minutes\(5\)/],
      ['window 90.5s', { window: Duration.millis(90500) }, /window: 1m30\.5s is not a whole number of seconds/],
      ['errorRatioMargin -1', { thresholds: { errorRatioMargin: -1 } }, /thresholds\.errorRatioMargin: -1 is not a margin in percentage points; use a number from 0 to under 100/],
      ['errorRatioMargin 100', { thresholds: { errorRatioMargin: 100 } }, /thresholds\.errorRatioMargin: 100 is not a margin/],
      ['errorRatioMargin NaN', { thresholds: { errorRatioMargin: NaN } }, /thresholds\.errorRatioMargin: NaN is not a margin/],
      ['latencyFactor 0.8', { thresholds: { latencyFactor: 0.8 } }, /thresholds\.latencyFactor: 0\.8 is not a factor of the stable p99; use a number of at least 1/],
      ['noTrafficMinimumRequests 0', { thresholds: { noTrafficMinimumRequests: 0 } }, /thresholds\.noTrafficMinimumRequests: 0 is out of range; use a whole number from 1/],
      ['errorRatioFor 1.5s', { thresholds: { errorRatioFor: Duration.millis(1500) } }, /thresholds\.errorRatioFor: 1\.5s is not a whole number of seconds; use e\.g\. Duration\.minutes\(5\)$/],
      ['latencyFor 10ms', { thresholds: { latencyFor: Duration.millis(10) } }, /thresholds\.latencyFor: 10ms is not/],
      ['noTrafficFor 10ms', { thresholds: { noTrafficFor: Duration.millis(10) } }, /thresholds\.noTrafficFor: /],
      ['alert label team-name', { alertLabels: { 'team-name': 'cart' } }, /alertLabels\["team-name"\]: "team-name" is not a Prometheus label name/],
      ['alert label __tenant', { alertLabels: { __tenant: 'x' } }, /alertLabels\["__tenant"\]: "__tenant" is not a Prometheus label name/],
      ['alert label canary_version', { alertLabels: { canary_version: 'x' } }, /alertLabels\["canary_version"\]: "canary_version" is set by the analysis itself/],
      ['runbookUrl without a scheme', { runbookUrl: 'runbooks/canary' }, /runbookUrl: "runbooks\/canary" is not an http\(s\) URL/],
    ])('rejects %s', (_name, props, message) => {
      expect(() => setup(props as Partial<CanaryAnalysisProps>)).toThrow(message);
    });
  });
});

describe('the schema check of PrometheusRules', () => {
  test('rejects a group without a name and a malformed duration', () => {
    const manifest = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'x' },
      spec: { groups: [{ rules: [{ alert: 'A', expr: 'up == 0', for: '5 minutes' }] }] },
    };
    const errors = prometheusSchemaErrors(manifest).join('\n');
    expect(errors).toMatch(/\/spec\/groups\/0 must have required property 'name'/);
    expect(errors).toMatch(/\/spec\/groups\/0\/rules\/0\/for must match pattern/);
  });

  test('ignores other kinds', () => {
    expect(prometheusSchemaErrors({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([]);
  });
});
