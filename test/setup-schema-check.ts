import { ApiObject, Chart, Testing } from 'cdk8s';
import { istioSchemaErrors } from './istio-schema';
import { prometheusSchemaErrors } from './prometheus-schema';
import { checkInputOf, readsFromSpec } from '../src/private/object-manifests';

// Wraps Testing.synth so that every manifest a test synthesizes is checked against Istio's schema (and
// PrometheusRules against the Prometheus Operator's): a wrong shape fails the test even when a snapshot was
// updated carelessly. It also checks that the rule engine read what synth writes for the L2 objects it reads
// from their constructs' specs instead of their manifests (see src/object-manifests.ts); cdk8s renders
// those objects itself, with the L1 class's toJson.
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
  for (const object of chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && readsFromSpec(c))) {
    if (Object.getOwnPropertyNames(Object.getPrototypeOf(object)).includes('toJson')) {
      throw new Error(`${object.node.path}: an L2 object must be rendered by its L1 class, not by a toJson of its own`);
    }
    // The engine does not depend on key order, so the content is compared with keys sorted.
    const written = JSON.stringify(sortedKeys(object.toJson()));
    const read = JSON.stringify(sortedKeys(checkInputOf(object).manifest()));
    if (read !== written) {
      throw new Error(`${object.node.path}: the rule engine read\n  ${read}\nbut synth wrote\n  ${written}`);
    }
  }
  return manifests;
};

function sortedKeys(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]));
}
