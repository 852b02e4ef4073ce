/**
 * `synth(chart)`: the chart's manifests, as `Testing.synth` returns them, after the checks every test wants
 * of what the library writes. Tests call it by name (no global patch of cdk8s):
 * - every Istio object matches the OpenAPI schema of its kind (src/imports/*.schemas.json, the schema the L1
 *   types were generated from), and every PrometheusRule the Prometheus Operator's; a wrong shape fails the
 *   test even when a snapshot was updated carelessly;
 * - the L2 objects are rendered by their L1 class (no toJson of their own), and what the synth-time rule
 *   engine read from their constructs' specs is what synth wrote (src/private/object-manifests.ts).
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { istioSchemaErrors } from './istio-schema';
import { prometheusSchemaErrors } from './prometheus-schema';
import { checkInputOf, readsFromSpec } from '../src/private/object-manifests';

/** The chart's manifests, checked as the header says; throws with every problem found. */
export function synth(chart: Chart): any[] {
  const manifests = Testing.synth(chart);
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
}

function sortedKeys(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]));
}
