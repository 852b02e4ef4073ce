import { Chart, Testing } from 'cdk8s';
import { istioSchemaErrors } from './istio-schema';
import { prometheusSchemaErrors } from './prometheus-schema';

// Wraps Testing.synth so that every manifest a test synthesizes is checked against Istio's schema (and
// PrometheusRules against the Prometheus Operator's): a wrong shape fails the test even when a snapshot was
// updated carelessly.
const synth = Testing.synth;
Testing.synth = (chart: Chart): any[] => {
  const manifests = synth(chart);
  const errors = manifests.flatMap((m) => istioSchemaErrors(m));
  if (errors.length > 0) {
    throw new Error(`synthesized manifests do not match Istio's schema:\n  ${errors.join('\n  ')}`);
  }
  const ruleErrors = manifests.flatMap((m) => prometheusSchemaErrors(m));
  if (ruleErrors.length > 0) {
    throw new Error(`synthesized manifests do not match the Prometheus Operator's schema:\n  ${ruleErrors.join('\n  ')}`);
  }
  return manifests;
};
