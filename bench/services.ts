/**
 * The benchmark's workload, written three ways that must produce the same YAML: with the L2 constructs,
 * with the L1 classes generated from Istio's CRDs, and as plain objects dumped with the yaml package (the
 * floor). Each service: a DestinationRule with two subsets and a load balancer (least request: consistent
 * hashing across the weighted split would be XO_CONSISTENT_HASH_SPLIT, a warning per service), and a
 * VirtualService with a header rule to the canary and a 95/5 default split with timeout and retries.
 */
import { App, Chart, Duration, YamlOutputType } from 'cdk8s';
import { stringify } from 'yaml';
import type * as library from '../src';

/** The library under test: the built package (lib/) in the benchmark, the source in the equivalence test. */
type Library = typeof library;

const NAMESPACE = 'bench';
const host = (i: number) => `svc-${i}.${NAMESPACE}.svc.cluster.local`;

function chart(): { app: App; chart: Chart } {
  const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_APP });
  return { app, chart: new Chart(app, 'bench', { namespace: NAMESPACE, disableResourceNameHashes: true }) };
}

/** L2: the library's constructs. */
export function l2(lib: Library, count: number): App {
  const { CompositeRoute, Destination, LoadBalancer, RetryOn, StringMatch, Subsets } = lib;
  const { app, chart: c } = chart();
  for (let i = 0; i < count; i++) {
    const subsets = new Subsets(c, `svc-${i}-subsets`, {
      host: host(i),
      metadata: { name: `svc-${i}` },
      trafficPolicy: { loadBalancer: LoadBalancer.leastRequest() },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    const routes = new CompositeRoute(c, `svc-${i}-routes`, { subsets, metadata: { name: `svc-${i}` } });
    routes.addRule('canary', {
      match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
      to: Destination.subset(subsets.subset('v2')),
    });
    routes.addDefaultRule('split', {
      to: Destination.split([{ subset: subsets.subset('v1'), weight: 95 }, { subset: subsets.subset('v2'), weight: 5 }]),
      timeout: Duration.seconds(10),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(3), retryOn: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM] },
    });
  }
  return app;
}

/**
 * L1: the generated classes, with the specs written out. With `checked`, the app turns on the same
 * synth-time rule engine the L2 constructs turn on (`IstioChecker.enable`), for a like-for-like comparison.
 */
export function l1(lib: Library, count: number, checked = false): App {
  const { istio } = lib;
  const { app, chart: c } = chart();
  if (checked) lib.IstioChecker.enable(app);
  for (let i = 0; i < count; i++) {
    new istio.DestinationRule(c, `svc-${i}-dr`, { metadata: { name: `svc-${i}` }, spec: drSpec(i) as library.istio.DestinationRuleSpec });
    new istio.VirtualService(c, `svc-${i}-vs`, { metadata: { name: `svc-${i}` }, spec: vsSpec(i) as library.istio.VirtualServiceSpec });
  }
  return app;
}

/** Raw: plain objects, in the key order cdk8s writes (sorted), dumped with the yaml package. */
export function raw(count: number): string {
  const docs: object[] = [];
  for (let i = 0; i < count; i++) {
    docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `svc-${i}`, namespace: NAMESPACE }, spec: drSpec(i) });
    docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `svc-${i}`, namespace: NAMESPACE }, spec: vsSpec(i) });
  }
  // The options cdk8s's Yaml.stringify uses, so the three outputs can be compared byte for byte.
  return docs.map((doc) => stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
}

function drSpec(i: number) {
  return {
    host: host(i),
    subsets: [{ labels: { version: 'v1' }, name: 'v1' }, { labels: { version: 'v2' }, name: 'v2' }],
    trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' } },
  };
}

function vsSpec(i: number) {
  const destination = (subset: string) => ({ host: host(i), subset });
  return {
    hosts: [host(i)],
    http: [
      { match: [{ headers: { 'x-canary-user': { exact: 'true' } } }], name: 'canary', route: [{ destination: destination('v2') }] },
      {
        name: 'split',
        retries: { attempts: 2, perTryTimeout: '3s', retryOn: 'connect-failure,refused-stream' },
        route: [{ destination: destination('v1'), weight: 95 }, { destination: destination('v2'), weight: 5 }],
        timeout: '10s',
      },
    ],
  };
}
