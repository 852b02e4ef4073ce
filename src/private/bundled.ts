/**
 * The third-party code the checker runs with, loaded from bundled/ (built by projenrc/bundle.ts, shipped in the
 * package). The path is the same from src/private/ and lib/private/, so the tests and the example app run the
 * very files the package ships. Each is loaded on first use: an app that never checks never pays for them.
 */
import type * as JsonSchemaModule from '@cfworker/json-schema';
// The CEL evaluator is an ES module; its bundle is CommonJS, so only its types are imported as ESM.
import type * as CelModule from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import type * as JsYamlModule from 'js-yaml';

const DIR = '../../bundled/';

function load<T>(file: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(DIR + file) as T;
  } catch (e) {
    if ((e as { code?: string }).code === 'MODULE_NOT_FOUND') {
      throw new Error(`bundled/${file} is missing: build it with \`npx tsx projenrc/bundle.ts\` (the build and the test task do)`);
    }
    throw e;
  }
}

let jsonSchema: typeof JsonSchemaModule | undefined;
let cel: typeof CelModule | undefined;
let jsYaml: typeof JsYamlModule | undefined;
let schemas: { readonly [key: string]: any } | undefined;

/** @cfworker/json-schema: validates objects against the CRDs' OpenAPI schemas. */
export function jsonSchemaLibrary(): typeof JsonSchemaModule {
  return jsonSchema ??= load<typeof JsonSchemaModule>('json-schema.js');
}

/** @marcbachmann/cel-js: evaluates the CRDs' CEL rules (x-kubernetes-validations). */
export function celLibrary(): typeof CelModule {
  return cel ??= load<typeof CelModule>('cel.js');
}

/** js-yaml: reads manifest files fast (the CLI). */
export function jsYamlLibrary(): typeof JsYamlModule {
  return jsYaml ??= load<typeof JsYamlModule>('js-yaml.js');
}

/**
 * The OpenAPI schema of each imported kind, keyed `group/version/Kind` (e.g. `networking.istio.io/v1/VirtualService`):
 * the committed src/imports/*.schemas.json without their descriptions.
 */
export function crdSchemas(): { readonly [key: string]: any } {
  return schemas ??= load<{ readonly [key: string]: any }>('crd-schemas.json');
}
