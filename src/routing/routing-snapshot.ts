import { Chart, Yaml } from 'cdk8s';
import { RoutingModel } from './routing-model';

// The library's own types do not include Node's (the docs' programs type-check without @types/node), so
// the few calls this test helper makes are typed here.
interface FileSystem {
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: boolean }): void;
  writeFileSync(path: string, text: string): void;
}
declare const require: (id: string) => any;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { existsSync, mkdirSync, writeFileSync }: FileSystem = require('fs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dirname }: { dirname(path: string): string } = require('path');
const env = (): { [name: string]: string | undefined } => (globalThis as any).process?.env ?? {};

/** Options of `RoutingSnapshot.verify()`. */
export interface RoutingSnapshotOptions {
  /**
   * Write the snapshot instead of comparing with it, to accept a routing change.
   * @default - when the environment variable UPDATE_ROUTING_SNAPSHOTS is `1` or `true`; a missing snapshot
   * is written too, except under CI (the CI variable set), where it fails as jest's `--ci` does
   */
  readonly update?: boolean;
}

/**
 * A test helper that guards a chart's routing: the routing objects (VirtualServices, DestinationRules and
 * PrometheusRules) are stored in a YAML file next to the tests, and a later run fails with the routing
 * diff, in words, when the chart routes differently. Use it in any test runner:
 *
 * @example
 * test('checkout routing', () => {
 *   RoutingSnapshot.verify(new CheckoutChart(Testing.app(), 'checkout'), `${__dirname}/__snapshots__/checkout.routing.yaml`);
 * });
 */
export class RoutingSnapshot {
  /**
   * Throws an error that shows the routing diff when the chart's routing differs from the stored one; writes
   * the snapshot when it is missing or when updating.
   * @param chart the chart to synthesize
   * @param file the snapshot file (YAML)
   * @param options when to write instead of compare
   */
  public static verify(chart: Chart, file: string, options: RoutingSnapshotOptions = {}): void {
    RoutingSnapshot.verifyManifests(chart.toJson(), file, options);
  }

  /**
   * `verify()` for manifests as plain objects (parsed YAML, or `Testing.synth(chart)`).
   * @param manifests Kubernetes objects; only the routing objects are stored and compared
   * @param file the snapshot file (YAML)
   * @param options when to write instead of compare
   */
  public static verifyManifests(manifests: any[], file: string, options: RoutingSnapshotOptions = {}): void {
    const routing = manifests.filter(isRoutingObject);
    const update = options.update ?? ['1', 'true'].includes(env().UPDATE_ROUTING_SNAPSHOTS ?? '');
    if (update || (!existsSync(file) && !env().CI)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, Yaml.stringify(...routing));
      return;
    }
    if (!existsSync(file)) {
      throw new Error(`no routing snapshot at ${file}: run the tests outside CI (or with UPDATE_ROUTING_SNAPSHOTS=1) to write it, and commit it`);
    }
    const diff = RoutingModel.diff(RoutingModel.fromManifests(Yaml.load(file)), RoutingModel.fromManifests(routing));
    if (diff.changed || diff.otherAlerts.length > 0) {
      throw new Error(`the routing differs from the snapshot ${file}:\n${diff.toText()}`
        + 'If the change is intended, run the tests with UPDATE_ROUTING_SNAPSHOTS=1 and commit the snapshot.');
    }
  }

  private constructor() {}
}

// What decides where requests go, and the alerts that watch it.
function isRoutingObject(m: any): boolean {
  const group = typeof m?.apiVersion === 'string' ? m.apiVersion.split('/')[0] : '';
  return group === 'networking.istio.io' || (group === 'monitoring.coreos.com' && m.kind === 'PrometheusRule');
}
