/**
 * Validates Istio manifests against the OpenAPI schemas of Istio's CRDs, the same CRD file the L1 types are
 * imported from (named in imports/istio.json). No network: the file is read from disk.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const root = join(__dirname, '..');
const config = JSON.parse(readFileSync(join(root, 'imports', 'istio.json'), 'utf-8'));

let validators: Map<string, ValidateFunction> | undefined;

function load(): Map<string, ValidateFunction> {
  const file = process.env.ISTIO_CRDS ?? resolve(root, config.crdSource.local);
  if (!existsSync(file)) {
    throw new Error(`the Istio CRD file ${file} is missing; the schema check needs it. `
      + `Put Istio ${config.istioVersion}'s CRDs there (${config.crdSource.published}) or point ISTIO_CRDS at a copy`);
  }
  // Kubernetes' own keywords (x-kubernetes-*) are not JSON schema; CEL rules are checked by the API server.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
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

/** The schema errors of one manifest, or [] when it is valid (non-Istio kinds are not checked). */
export function istioSchemaErrors(manifest: any): string[] {
  if (!/^[a-z.]+\.istio\.io\//.test(manifest?.apiVersion ?? '')) return [];
  validators = validators ?? load();
  const validate = validators.get(`${manifest.apiVersion}/${manifest.kind}`);
  if (validate === undefined) return [`no schema for ${manifest.apiVersion} ${manifest.kind}`];
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => `${manifest.kind} ${manifest.metadata?.name}: ${e.instancePath || '/'} ${e.message}`);
}
