import { Chart, Yaml } from 'cdk8s';
import { synth } from './util';

/**
 * The chart's manifests as the YAML `cdk8s synth` writes, for snapshots: reviewers read YAML in pull
 * requests, so that is what the snapshots store.
 */
export function synthYaml(chart: Chart): string {
  return Yaml.stringify(...synth(chart));
}
