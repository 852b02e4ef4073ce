/**
 * Validates manifests against the OpenAPI schemas of the CRD file an import config names (imports/*.json),
 * the same file the L1 types are generated from. No network: the file is read from disk.
 */
import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';

const root = join(__dirname, '..');

// The API server checks `pattern` with Go's regexp (RE2), whose inline flag "(?i)" JavaScript lacks: a
// leading one becomes the `i` flag.
const goRegExp = Object.assign((pattern: string, flags: string) => {
  const plain = pattern.replace(/^(\^?)\(\?i\)/, '$1');
  return new RegExp(plain, plain === pattern ? flags : `${flags}i`);
}, { code: 'goRegExp' });

/**
 * A checker for the objects of one API group family: `(manifest) => errors`, [] when the manifest is valid
 * or not of that family.
 * @param importConfig the file under imports/ that names the CRD source
 * @param envVar an environment variable that can point at another copy of the CRD file
 * @param apiVersion which manifests are checked, by apiVersion
 */
export function crdSchemaChecker(importConfig: string, envVar: string, apiVersion: RegExp): (manifest: any) => string[] {
  let validators: Map<string, ValidateFunction> | undefined;
  const load = () => {
    const config = JSON.parse(readFileSync(join(root, 'imports', importConfig), 'utf-8'));
    const file = process.env[envVar] ?? resolve(root, config.crdSource.local);
    if (!existsSync(file)) {
      throw new Error(`the CRD file ${file} (imports/${importConfig}) is missing; the schema check needs it. `
        + `Put the CRDs there (${config.crdSource.published}) or point ${envVar} at a copy`);
    }
    // Kubernetes' own keywords (x-kubernetes-*) are not JSON schema; CEL rules are checked by the API server.
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
  };
  return (manifest: any) => {
    if (!apiVersion.test(manifest?.apiVersion ?? '')) return [];
    validators = validators ?? load();
    const validate = validators.get(`${manifest.apiVersion}/${manifest.kind}`);
    if (validate === undefined) return [`no schema for ${manifest.apiVersion} ${manifest.kind}`];
    if (validate(manifest)) return [];
    return (validate.errors ?? []).map((e) => `${manifest.kind} ${manifest.metadata?.name}: ${e.instancePath || '/'} ${e.message}`);
  };
}
