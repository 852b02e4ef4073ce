/**
 * Validates PrometheusRule manifests against the OpenAPI schema of the Prometheus Operator's CRD, the same
 * CRD file the L1 types are imported from (named in imports/prometheus-operator.json). No network: the file
 * is read from disk.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const root = join(__dirname, '..');
const config = JSON.parse(readFileSync(join(root, 'imports', 'prometheus-operator.json'), 'utf-8'));

let validators: Map<string, ValidateFunction> | undefined;

// The API server checks `pattern` with Go's regexp (RE2), whose inline flag "(?i)" JavaScript lacks: a
// leading one becomes the `i` flag.
const goRegExp = Object.assign((pattern: string, flags: string) => {
  const plain = pattern.replace(/^(\^?)\(\?i\)/, '$1');
  return new RegExp(plain, plain === pattern ? flags : `${flags}i`);
}, { code: 'goRegExp' });

function load(): Map<string, ValidateFunction> {
  const file = process.env.PROMETHEUS_OPERATOR_CRDS ?? resolve(root, config.crdSource.local);
  if (!existsSync(file)) {
    throw new Error(`the PrometheusRule CRD file ${file} is missing; the schema check needs it. `
      + `Put the Prometheus Operator ${config.prometheusOperatorVersion} CRD there (${config.crdSource.published}) or point PROMETHEUS_OPERATOR_CRDS at a copy`);
  }
  // Kubernetes' own keywords (x-kubernetes-*) are not JSON schema; the API server checks those.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
  const map = new Map<string, ValidateFunction>();
  for (const doc of parseAllDocuments(readFileSync(file, 'utf-8'))) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec.versions) {
      map.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, ajv.compile(version.schema.openAPIV3Schema));
    }
  }
  return map;
}

/** The schema errors of one manifest, or [] when it is valid (kinds other than monitoring.coreos.com ones are not checked). */
export function prometheusSchemaErrors(manifest: any): string[] {
  if (!(manifest?.apiVersion ?? '').startsWith('monitoring.coreos.com/')) return [];
  validators = validators ?? load();
  const validate = validators.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (validate === undefined) return [`no schema for ${manifest.apiVersion} ${manifest.kind}`];
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${manifest.kind} ${manifest.metadata?.name}: ${e.instancePath || '/'} ${e.message}`);
}
