import { Chart } from 'cdk8s';
import { synth } from './util';
import { RoutingModel } from '../src/routing/routing-model';

/**
 * The chart's routing as the text table `cdk8s-istio-traffic explain` prints, for snapshots: a reviewer
 * approves "which requests go where" more reliably than a YAML diff. The manifests go through
 * `Testing.synth`, so they are also checked against Istio's schema.
 */
export function routingText(chart: Chart): string {
  return routingOf(chart).toText();
}

/** The chart's routing as a Mermaid flowchart, for snapshots of the diagram a pull request shows. */
export function routingMermaid(chart: Chart): string {
  return routingOf(chart).toMermaid();
}

/** The chart's routing model, to simulate requests against. */
export function routingOf(chart: Chart): RoutingModel {
  return RoutingModel.fromManifests(synth(chart));
}
