/**
 * The patterns of the canary traffic-shaping article the project started from (its objects are kept in
 * test/canary-article/) built with the L2 API, one chart each. test/canary-article.test.ts compares their
 * YAML with the article's; test/routing-patterns.test.ts reviews their routing. The differences from the
 * article are deliberate: apiVersion networking.istio.io/v1, and the sticky split in the cookie form that works
 * (on checkout-service's sidecar-only route, with the storefront stated to forward the cookie: `FORWARDED`).
 */
import { Chart, Duration, Testing } from 'cdk8s';
import {
  CompositeRoute, Destination, HashKey, LoadBalancer, Mirror, MirrorMethods, StickySplit, StringMatch, TrafficPolicy,
} from '../src';
import { checkoutSubsets, checkoutVersions, FORWARDED } from './fixtures';

/** The article's foundation DestinationRule: checkout-service with v1 and v2. */
export function articleSubsets(chart: Chart, trafficPolicy: TrafficPolicy = {}) {
  const subsets = checkoutSubsets(chart, ['v1', 'v2'], trafficPolicy);
  return { subsets, v1: subsets.subset('v1'), v2: subsets.subset('v2') };
}

/** Pattern 1: testers by header to v2, then 95/5. */
export function compositeChart(): Chart {
  const chart = Testing.chart();
  const { subsets, v1, v2 } = articleSubsets(chart);
  const routes = new CompositeRoute(chart, 'routes', { subsets });
  routes.addRule('internal-canary-route', {
    match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
    to: Destination.split([{ subset: v2, weight: 100 }]),
  });
  routes.addDefaultRule('public-traffic-split', {
    to: Destination.split([{ subset: v1, weight: 95 }, { subset: v2, weight: 5 }]),
  });
  return chart;
}

/** Pattern 1, edge case: the qa-tools workload reaches v2 by its labels. */
export function sourceLabelsChart(): Chart {
  const chart = Testing.chart();
  const { subsets, v1, v2 } = articleSubsets(chart);
  const routes = new CompositeRoute(chart, 'routes', { subsets });
  routes.addRule('internal-service-canary', { match: [{ sourceLabels: { app: 'qa-tools' } }], to: Destination.subset(v2) });
  routes.addDefaultRule('stable', { to: Destination.subset(v1) });
  return chart;
}

/** Pattern 2: v1 serves, 10% mirrored to v2; every method, as the article wrote it (an explicit choice here). */
export function mirrorChart(): Chart {
  const chart = Testing.chart();
  const { v1, v2 } = articleSubsets(chart);
  new Mirror(chart, 'mirror', { primary: v1, targets: [{ subset: v2, percentage: 10 }], methods: MirrorMethods.all() });
  return chart;
}

/** Pattern 3A: consistent hashing on session-id (pod affinity). */
export function consistentHashChart(): Chart {
  const chart = Testing.chart();
  articleSubsets(chart, { loadBalancer: LoadBalancer.consistentHash(HashKey.httpHeader('session-id')) });
  return chart;
}

/** Pattern 3A corrected: a 50/50 split that keeps users on their version with a cookie. */
export function stickyChart(): Chart {
  const chart = Testing.chart();
  const { v1, v2 } = articleSubsets(chart);
  new StickySplit(chart, 'sticky', { split: [{ subset: v1, weight: 50 }, { subset: v2, weight: 50 }], cookie: { forwardedBy: FORWARDED } });
  return chart;
}

/** Pattern 3B corrected: the canary's stricter policies on the rule that isolates its traffic. */
export function perRulePoliciesChart(): Chart {
  const chart = Testing.chart();
  const { subsets, v1, v2 } = articleSubsets(chart);
  const routes = new CompositeRoute(chart, 'routes', { subsets });
  routes.addRule('canary-users-strict-policy', {
    match: [{ headers: { 'user-group': StringMatch.exact('beta-testers') } }],
    to: Destination.subset(v2),
    timeout: Duration.seconds(2),
    retries: { attempts: 1, perTryTimeout: Duration.seconds(1) },
  });
  routes.addDefaultRule('default-route', {
    to: Destination.subset(v1),
    timeout: Duration.seconds(10),
    retries: { attempts: 3, perTryTimeout: Duration.seconds(3) },
  });
  return chart;
}

/** The article's patterns together for one host: tester rules, then a sticky 95/5 split mirrored 10% to v3. */
export function compositionChart(): Chart {
  const { chart, subsets, v1, v2, v3 } = checkoutVersions();
  const routes = new CompositeRoute(chart, 'routes', { subsets });
  routes.addRule('internal-canary-route', { match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }], to: Destination.subset(v2) });
  routes.addRule('qa-tools', { match: [{ sourceLabels: { app: 'qa-tools' } }], to: Destination.subset(v2) });
  new StickySplit(chart, 'sticky', {
    route: routes,
    split: [{ subset: v1, weight: 95 }, { subset: v2, weight: 5 }],
    cookie: { forwardedBy: FORWARDED },
    timeout: Duration.seconds(10),
    mirror: { targets: [{ subset: v3, percentage: 10 }], methods: MirrorMethods.all() },
  });
  return chart;
}
