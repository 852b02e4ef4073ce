import { ApiObject, Chart, Testing } from 'cdk8s';
import { istioSchemaErrors } from './istio-schema';
import { prometheusSchemaErrors } from './prometheus-schema';
import { checkInputOf, rendersFromSpec } from '../src/private/object-manifests';

// Wraps Testing.synth so that every manifest a test synthesizes is checked against Istio's schema (and
// PrometheusRules against the Prometheus Operator's): a wrong shape fails the test even when a snapshot was
// updated carelessly. It also checks that the L2 objects, which render from their constructs' specs (see
// src/private/object-manifests.ts), are written exactly as cdk8s's generic rendering would write them, and that
// the rule engine read the same content.
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
  for (const object of chart.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && rendersFromSpec(c))) {
    const written = JSON.stringify(object.toJson());
    const generic = JSON.stringify(genericToJson(object));
    if (written !== generic) {
      throw new Error(`${object.node.path}: the construct wrote\n  ${written}\nbut cdk8s would write\n  ${generic}`);
    }
    // The engine does not depend on key order, so the content is compared with keys sorted.
    const read = JSON.stringify(sortedKeys(checkInputOf(object).manifest()));
    if (read !== JSON.stringify(sortedKeys(JSON.parse(generic)))) {
      throw new Error(`${object.node.path}: the rule engine read\n  ${read}\nbut synth wrote\n  ${generic}`);
    }
  }
  return manifests;
};

// The L1 class's own toJson (cdk8s's resolver), which the L2 objects' toJson overrides.
function genericToJson(object: ApiObject): any {
  return Object.getPrototypeOf(Object.getPrototypeOf(object)).toJson.call(object);
}

function sortedKeys(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortedKeys);
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedKeys(value[k])]));
}
