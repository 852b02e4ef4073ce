/**
 * Every transition between Canary stages, forward and back, as the routing diff tells it: one summary
 * line per host with where a typical request goes before and after (and what is copied), the rules the
 * stage adds or drops, and the alerts of the CanaryAnalysis the stage changes.
 */
import { Testing } from 'cdk8s';
import { CART_HOST, FORWARDED } from './fixtures';
import { synth } from './util';
import { Canary } from '../src/canary';
import { CanaryStage } from '../src/canary-stage';
import { RoutingModel } from '../src/routing/routing-model';
import { StringMatch } from '../src/string-match';
import { Subsets } from '../src/subsets';

const STAGES = [
  CanaryStage.internalOnly(),
  CanaryStage.shadow(10),
  CanaryStage.percent(5),
  CanaryStage.percent(25),
  CanaryStage.promoted(),
];

/** cart-service (stable v1, canary v2, header testers) at `stage`, with its PrometheusRule. */
function routingAt(stage: CanaryStage, sticky = false): RoutingModel {
  const chart = Testing.chart();
  const subsets = new Subsets(chart, 'subsets', {
    host: CART_HOST,
    metadata: { name: 'cart-service-dr' },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
  });
  new Canary(chart, 'cart', {
    stable: subsets.subset('v1'),
    canary: subsets.subset('v2'),
    testers: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
    metadata: { name: 'cart-service-vs' },
    analysis: { metadata: { name: 'cart-service-canary', namespace: 'prod' } },
    stage,
    sticky,
    // The cart's callers pass the browser's Cookie on and Set-Cookie back (the route is mesh-only).
    cookie: sticky ? { forwardedBy: FORWARDED } : undefined,
  });
  return RoutingModel.fromManifests(synth(chart));
}

const TRANSITIONS = STAGES.flatMap((from) => STAGES.filter((to) => to !== from)
  .map((to): [string, string, CanaryStage, CanaryStage] => [from.name, to.name, from, to]));

/** A typical request's shares at a stage: the canary's weight, the rest stable. */
function shares(stage: CanaryStage): { [subset: string]: number } {
  const out: { [subset: string]: number } = {};
  if (stage.canaryWeight < 100) out.v1 = (100 - stage.canaryWeight) / 100;
  if (stage.canaryWeight > 0) out.v2 = stage.canaryWeight / 100;
  return out;
}

const NO_TRAFFIC = 'alert CanaryNoTraffic (prod/cart-service-canary)';

describe.each(TRANSITIONS)('%s → %s', (_from, _to, from, to) => {
  const result = RoutingModel.diff(routingAt(from), routingAt(to));

  test('one changed host, whose typical request gets the stages\' shares', () => {
    expect(result.changed).toBe(true);
    expect(result.hosts).toHaveLength(1);
    const [host] = result.hosts;
    expect(host.host).toBe(CART_HOST);
    const bySubset = (list: { subset?: string; probability: number }[]) => Object.fromEntries(list.map((d) => [d.subset, d.probability]));
    expect(bySubset(host.typicalBefore)).toEqual(shares(from));
    expect(bySubset(host.typicalAfter)).toEqual(shares(to));
    // Only a typical GET is copied at the shadow stage.
    const copied = (s: CanaryStage) => `${s.mirrorPercentage ?? 0}%`;
    if (copied(from) !== copied(to)) expect(host.summary).toContain(`copies to v2 ${copied(from)} → ${copied(to)}`);
    else expect(host.summary).not.toContain('copies');
  });

  test('the alerts the stage changes: CanaryNoTraffic exists only with a public weight', () => {
    const expected = from.canaryWeight === 0 && to.canaryWeight === 0 ? []
      : from.canaryWeight === 0 ? [`${NO_TRAFFIC} added`]
        : to.canaryWeight === 0 ? [`${NO_TRAFFIC} removed`]
          : [`${NO_TRAFFIC} changed: expr, annotations`];
    expect(result.hosts[0].alerts).toEqual(expected);
    expect(result.otherAlerts).toEqual([]);
  });

  // At shadow(), a typical GET takes the mirrored rule, so the shares of the other methods get their own line.
  test('besides the summary and the alerts, only the rules the stages add or drop, and the other methods\' shares', () => {
    for (const line of result.hosts[0].changes) expect(line).toMatch(/^rule [\w-]+ \(#\d\) (added|removed) \(|^rule public \(#\d\): v\d [\d.]+% → /);
  });
});

test('moving between two percentages is one line plus the alerts', () => {
  expect(RoutingModel.diff(routingAt(CanaryStage.percent(5)), routingAt(CanaryStage.percent(25))).toText()).toBe([
    `${CART_HOST}: typical request, rule public (#2): v1 95% → 75%, v2 5% → 25%`,
    `  ${NO_TRAFFIC} changed: expr, annotations`,
    '',
  ].join('\n'));
});

test('every transition, as the text a reviewer reads', () => {
  const text = TRANSITIONS.map(([fromName, toName, from, to]) => `# ${fromName} → ${toName}\n${RoutingModel.diff(routingAt(from), routingAt(to)).toText()}`);
  expect(text.join('\n')).toMatchSnapshot();
});

describe('a sticky canary', () => {
  test('percent(5) → percent(25): users already pinned stay where they are', () => {
    const [host] = RoutingModel.diff(routingAt(CanaryStage.percent(5), true), routingAt(CanaryStage.percent(25), true)).hosts;
    expect(host.summary).toBe('typical request, rule public (#4): v1 95% → 75%, v2 5% → 25%');
    expect(host.changes).toEqual(['users pinned by cookie: cart-service-version=v1.0887a0 kept on v1; cart-service-version=v2.0887a1 kept on v2']);
  });

  test('rollback percent(25) → internalOnly(): every pin ends, and users pinned to the canary go back to stable', () => {
    const [host] = RoutingModel.diff(routingAt(CanaryStage.percent(25), true), routingAt(CanaryStage.internalOnly(), true)).hosts;
    expect(host.changes).toContain('users pinned by cookie: cart-service-version=v1.0887a0 unpinned (the cookie expires), now on v1; cart-service-version=v2.0887a1 unpinned (the cookie expires), now on v1');
  });

  test('promotion percent(25) → promoted(): every pin ends, and users pinned to stable move to the canary', () => {
    const [host] = RoutingModel.diff(routingAt(CanaryStage.percent(25), true), routingAt(CanaryStage.promoted(), true)).hosts;
    expect(host.changes).toContain('users pinned by cookie: cart-service-version=v1.0887a0 unpinned (the cookie expires), now on v2; cart-service-version=v2.0887a1 unpinned (the cookie expires), now on v2');
  });

  test('every sticky transition, as text', () => {
    const text = TRANSITIONS.map(([fromName, toName, from, to]) => `# ${fromName} → ${toName} (sticky)\n${RoutingModel.diff(routingAt(from, true), routingAt(to, true)).toText()}`);
    expect(text.join('\n')).toMatchSnapshot();
  });
});
