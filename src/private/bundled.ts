/**
 * The third-party code the checker runs with, loaded from bundled/ (built by projenrc/bundle.ts, shipped in the
 * package). The path is the same from src/private/ and lib/private/, so the tests and the example app run the
 * very files the package ships. Each is loaded on first use: an app that never checks never pays for them.
 */
// The CEL evaluator is an ES module; its bundle is CommonJS, so only its types are imported as ESM.
import type * as CelModule from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import type * as JsYamlModule from 'js-yaml';

const DIR = '../../bundled/';

// The CommonJS `require` of this module, declared here so that the checker, which loads this file, type-checks
// in a program without Node's types (test/docs.test.ts compiles the guides' programs that way).
declare const require: (id: string) => unknown;

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

let cel: typeof CelModule | undefined;
let jsYaml: typeof JsYamlModule | undefined;
let schemas: { readonly [key: string]: any } | undefined;

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
 * the committed src/imports/*.schemas.json without their descriptions. A served version whose schema the import
 * found identical to an imported one's (`aliases`, e.g. `networking.istio.io/v1beta1/VirtualService`) has a key
 * too, for the same schema object.
 */
export function crdSchemas(): { readonly [key: string]: any } {
  return schemas ??= (() => {
    const file = load<{ schemas: { [key: string]: any }; aliases: { [key: string]: string } }>('crd-schemas.json');
    const aliased = Object.entries(file.aliases).map(([alias, key]) => [alias, file.schemas[key]]);
    return { ...file.schemas, ...Object.fromEntries(aliased) };
  })();
}
