/**
 * The third-party code and the data the checker runs with, loaded from bundled/ (built by projenrc/bundle.ts,
 * shipped in the package; the data files brotli-compressed). The path is the same from src/private/ and lib/private/, so the tests and the example app run the
 * very files the package ships. Each is loaded on first use: an app that never checks never pays for them.
 */
// The CEL evaluator is an ES module; its bundle is CommonJS, so only its types are imported as ESM.
import type * as CelModule from '@marcbachmann/cel-js' with { 'resolution-mode': 'import' };
import type * as JsYamlModule from 'js-yaml';

const DIR = '../../bundled/';

// The CommonJS `require` and `__dirname` of this module, declared here so that the checker, which loads this
// file, type-checks in a program without Node's types (test/docs.test.ts compiles the guides' programs that way).
declare const require: (id: string) => any;
declare const __dirname: string;

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

/** A brotli-compressed JSON file of bundled/. */
function loadData<T>(file: string): T {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { readFileSync } = require('fs');
  const { brotliDecompressSync } = require('zlib');
  /* eslint-enable @typescript-eslint/no-require-imports */
  let bytes: unknown;
  try {
    bytes = readFileSync(`${__dirname}/${DIR}${file}`);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      throw new Error(`bundled/${file} is missing: build it with \`npx tsx projenrc/bundle.ts\` (the build and the test task do)`);
    }
    throw e;
  }
  return JSON.parse(brotliDecompressSync(bytes).toString('utf-8'));
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
    const file = loadData<{ schemas: { [key: string]: any }; aliases: { [key: string]: string } }>('crd-schemas.json.br');
    const aliased = Object.entries(file.aliases).map(([alias, key]) => [alias, file.schemas[key]]);
    return { ...file.schemas, ...Object.fromEntries(aliased) };
  })();
}

/** The documentation of the rules (src/private/validation/catalog-docs.ts), which `rules` and SARIF print. */
export interface RuleDocumentation {
  readonly docs: typeof import('./validation/catalog-docs').RULE_DOCS;
  readonly sources: typeof import('./validation/catalog-docs').SOURCES;
}

let ruleDocs: RuleDocumentation | undefined;

/** The rules' documentation: read on first use, as only `rules` and SARIF output need it. */
export function ruleDocumentation(): RuleDocumentation {
  return ruleDocs ??= loadData<RuleDocumentation>('rule-docs.json.br');
}
