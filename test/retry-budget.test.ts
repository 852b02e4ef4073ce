/**
 * The retry budget (RETRY_PER_TRY_TIMEOUT_IGNORED, RETRY_BUDGET_EXCEEDS_TIMEOUT): one rule, which the
 * constructs apply to each rule as they render it and the checker to any VirtualService, and which a user
 * reads once at synth.
 */
import { ApiObject, Chart, Duration, JsonPatch } from 'cdk8s';
import { Destination, Mirror, MirrorMethods, StickySplit, Warnings } from '../src';
import { checkoutRoute, checkoutVersions, FORWARDED } from './fixtures';
import { synth } from './util';
import * as budget from '../src/private/validation/retry-budget';
import { IstioChecker } from '../src/validation/istio-checker';

/** The manifests of the chart's objects, without synth (and so without its validations). */
function manifests(chart: Chart): any[] {
  return chart.node.findAll().filter(ApiObject.isApiObject).map((o) => o.toJson());
}

function printedAtSynth(chart: Chart): string[] {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'warn').mockImplementation((line: string) => lines.push(line));
  try {
    synth(chart);
  } finally {
    spy.mockRestore();
  }
  return lines;
}

const MS = [1, 999, 1000, 1500, 2000, 3000, 10000];
const budgets = MS.flatMap((timeout) => MS.flatMap((perTry) => [1, 2, 3].map((attempts) => ({ timeout, perTry, attempts }))));

test(`for ${budgets.length} budgets, the route's warning is the checker's finding: same code, same words`, () => {
  for (const { timeout, perTry, attempts } of budgets) {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('stable', {
      to: Destination.subset(v1),
      timeout: Duration.millis(timeout),
      retries: { attempts, perTryTimeout: Duration.millis(perTry) },
    });
    const findings = IstioChecker.check(manifests(chart)).filter((f) => f.code.startsWith('RETRY_'));
    const asWarnings = findings.map((f) => `[test/routes] ${f.code} ${f.field.replace('spec.http[0].', 'defaultRule["stable"].')}: ${f.message}`);
    expect({ timeout, perTry, attempts, warnings: Warnings.of(chart) }).toEqual({ timeout, perTry, attempts, warnings: asWarnings });
  }
});

test('one function answers for the construct and the checker', () => {
  const spy = jest.spyOn(budget, 'retryBudgetProblem');
  try {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('stable', { to: Destination.subset(v1), timeout: Duration.seconds(2), retries: { attempts: 2, perTryTimeout: Duration.seconds(2) } });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveReturnedWith(expect.objectContaining({ code: 'RETRY_PER_TRY_TIMEOUT_IGNORED' }));
    IstioChecker.check(manifests(chart));
    expect(spy).toHaveBeenCalledTimes(2);
    expect(spy.mock.calls[1][0]).toEqual(expect.objectContaining({ timeout: '2s', retries: { attempts: 2, perTryTimeout: '2s' } }));
  } finally {
    spy.mockRestore();
  }
});

describe('read once at synth', () => {
  test('the route\'s warning is printed, with its code; the checker leaves the same finding to it', () => {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addDefaultRule('stable', {
      to: Destination.subset(v1), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(3) },
    });
    expect(printedAtSynth(chart)).toEqual([
      expect.stringMatching(/^Warning: \[test\/routes\] RETRY_BUDGET_EXCEEDS_TIMEOUT defaultRule\["stable"\]\.retries: 4 tries of up to 3s .*timeout of 10s.*lower attempts or perTryTimeout/),
    ]);
    expect(IstioChecker.findings(chart).filter((f) => f.code.startsWith('RETRY_'))).toEqual([]);
  });

  test('a mirror limited to some methods writes the rule twice, and the problem is read once', () => {
    const { chart, v1, v2 } = checkoutVersions();
    new Mirror(chart, 'shadow', {
      primary: v1,
      targets: [{ subset: v2 }],
      methods: MirrorMethods.safe(),
      ruleName: 'shadow',
      timeout: Duration.seconds(1),
      retries: { attempts: 1, perTryTimeout: Duration.seconds(1) },
    });
    expect(manifests(chart).find((m) => m.kind === 'VirtualService').spec.http.map((r: any) => r.name)).toEqual(['shadow-mirrored', 'shadow']);
    expect(printedAtSynth(chart)).toEqual([expect.stringMatching(/^Warning: \[test\/shadow\] RETRY_PER_TRY_TIMEOUT_IGNORED retries\.perTryTimeout: 1s is not below/)]);
  });

  test('a preset added to an existing route: its warning, and no finding of the checker', () => {
    const { chart, routes, v1, v2 } = checkoutRoute();
    new StickySplit(chart, 'split', {
      route: routes,
      split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }],
      cookie: { forwardedBy: FORWARDED },
      timeout: Duration.seconds(1),
      retries: { attempts: 1, perTryTimeout: Duration.seconds(1) },
    });
    const printed = printedAtSynth(chart);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed.every((line) => line.startsWith('Warning: [test/split] RETRY_PER_TRY_TIMEOUT_IGNORED '))).toBe(true);
    expect(IstioChecker.findings(chart).filter((f) => f.code.startsWith('RETRY_'))).toEqual([]);
  });

  test('a problem an escape hatch brings in is the checker\'s to report', () => {
    const { chart, routes, v1 } = checkoutRoute();
    routes.addRule('first', { match: [{ port: 8080 }], to: Destination.subset(v1), timeout: Duration.seconds(10), retries: { attempts: 3, perTryTimeout: Duration.seconds(3) } });
    routes.addDefaultRule('stable', { to: Destination.subset(v1) });
    routes.resource.addJsonPatch(JsonPatch.add('/spec/http/1/timeout', '2s'));
    routes.resource.addJsonPatch(JsonPatch.add('/spec/http/1/retries', { attempts: 2, perTryTimeout: '2s' }));
    expect(printedAtSynth(chart)).toEqual([
      expect.stringMatching(/^Warning: \[test\/routes\/Resource\] RETRY_BUDGET_EXCEEDS_TIMEOUT spec\.http\[0\]\.retries: 4 tries/),
      expect.stringMatching(/^Warning: \[test\/routes\/Resource\] RETRY_PER_TRY_TIMEOUT_IGNORED spec\.http\[1\]\.retries\.perTryTimeout: 2s is not below the timeout of 2s/),
      expect.stringMatching(/^Warning: \[test\/routes\] RETRY_BUDGET_EXCEEDS_TIMEOUT rules\["first"\]\.retries: 4 tries/),
    ]);
  });
});
