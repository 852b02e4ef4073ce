/**
 * Validates manifests against the OpenAPI schemas that `npx projen import` wrote next to the L1 types
 * (src/imports/*.schemas.json): exactly the kinds and versions the types were generated from. The repository
 * carries the file, so the check reads nothing outside it.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv, { ValidateFunction } from 'ajv';

const imports = join(__dirname, '..', 'src', 'imports');

// The API server checks `pattern` with Go's regexp (RE2), whose inline flag "(?i)" JavaScript lacks: a
// leading one becomes the `i` flag.
const goRegExp = Object.assign((pattern: string, flags: string) => {
  const plain = pattern.replace(/^(\^?)\(\?i\)/, '$1');
  return new RegExp(plain, plain === pattern ? flags : `${flags}i`);
}, { code: 'goRegExp' });

/** The generated schema file of an import, parsed: `{ source, aliases?, schemas: { 'group/version/Kind': schema } }`. */
export function readSchemaFile(file: string): {
  source: { config: string; version: string; published: string };
  aliases?: { [gvk: string]: string };
  schemas: { [gvk: string]: any };
} {
  return JSON.parse(readFileSync(join(imports, file), 'utf-8'));
}

/**
 * A checker for the objects of one API group family: `(manifest) => errors`, [] when the manifest is valid
 * or not of that family.
 * @param schemaFile the generated schema file in src/imports
 * @param apiVersion which manifests are checked, by apiVersion
 */
export function crdSchemaChecker(schemaFile: string, apiVersion: RegExp): (manifest: any) => string[] {
  let validators: Map<string, ValidateFunction> | undefined;
  const load = () => {
    // Kubernetes' own keywords (x-kubernetes-*) are not JSON schema; CEL rules are checked by the API server.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: goRegExp } });
    const { schemas } = readSchemaFile(schemaFile);
    return new Map(Object.entries(schemas).map(([gvk, schema]) => [gvk, ajv.compile(schema)]));
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
