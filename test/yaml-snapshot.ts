import { Chart, Testing, Yaml } from 'cdk8s';

/**
 * The chart's manifests as the YAML `cdk8s synth` writes, for snapshots: reviewers read YAML in pull
 * requests, so that is what the snapshots store.
 */
export function synthYaml(chart: Chart): string {
  return Yaml.stringify(...Testing.synth(chart));
}
