/**
 * Builds bundled/: the third-party code and data the library runs with, in the form the package ships.
 *
 * A jsii library may only depend on jsii modules or bundle its other dependencies whole (node_modules and all).
 * The API-server layer of the checker needs a CEL evaluator and `check` a fast YAML reader (the schemas are
 * checked by the library's own compiler, src/private/validation/schema-compiler.ts); bundled whole they would
 * triple the package. Instead each is bundled here into one minified CommonJS file
 * (the CEL evaluator ships as an ES module only; the bundle also makes it loadable from CommonJS), their
 * licences are collected into THIRD-PARTY-NOTICES.txt, and the CRD schemas are written without their
 * descriptions, which the checker never reads. src/private/bundled.ts loads these files by the same relative
 * path from src/ (tests, the example app) and from lib/ (the package), so both run the same code.
 *
 * Run by the pre-compile step, the example task and jest's global setup; `npx tsx projenrc/bundle.ts` by hand.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { brotliCompressSync, constants } from 'zlib';
import { buildSync } from 'esbuild';
import { withoutDescriptions } from '../imports/import';
import { RULE_DOCS, SOURCES } from '../src/private/validation/catalog-docs';

const root = join(__dirname, '..');

/** The bundled packages: the file each becomes, and its entry. */
export const BUNDLES: { readonly file: string; readonly pkg: string }[] = [
  { file: 'cel.js', pkg: '@marcbachmann/cel-js' },
  { file: 'js-yaml.js', pkg: 'js-yaml' },
];

/** The committed schema files of src/imports that the checker validates against. */
export function schemaFiles(dir = join(root, 'src', 'imports')): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.schemas.json')).sort().map((f) => join(dir, f));
}

/**
 * The schemas as the checker uses them: every schema of every imported file, keyed by `group/version/Kind`,
 * with `description` removed at every level (documentation only; about four fifths of the bytes), and the
 * files' `aliases` (another served version with the same schema -> the imported key).
 * test/bundled.test.ts checks that this is exactly the committed files minus their descriptions.
 */
export function compactSchemas(files = schemaFiles()): { schemas: { [key: string]: unknown }; aliases: { [key: string]: string } } {
  const schemas: { [key: string]: unknown } = {};
  const aliases: { [key: string]: string } = {};
  for (const file of files) {
    const content = JSON.parse(readFileSync(file, 'utf-8'));
    for (const key of Object.keys(content.schemas).sort()) schemas[key] = withoutDescriptions(content.schemas[key]);
    Object.assign(aliases, content.aliases);
  }
  return { schemas, aliases };
}

/** The package.json of a dependency, found from its entry the way Node resolves it. */
function packageOf(pkg: string): { version: string; license: string; author?: string; repository?: string; dir: string } {
  const dir = join(root, 'node_modules', pkg);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf-8'));
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
  return { version: manifest.version, license: manifest.license, author, repository, dir };
}

/** The package's licence file; a package that ships none is credited by its manifest. */
function licenceText(pkg: ReturnType<typeof packageOf>): string {
  const file = readdirSync(pkg.dir).find((f) => /^licen[cs]e(\.md|\.txt)?$/i.test(f));
  if (file) return readFileSync(join(pkg.dir, file), 'utf-8').trim();
  if (!pkg.author || !pkg.repository) throw new Error(`no licence file, author or repository in ${pkg.dir}`);
  return `${pkg.license} licence, copyright ${pkg.author}; the package ships no licence file, see ${pkg.repository}.`;
}

/** Writes bundled/ into `outDir`; only files whose content changed are rewritten. */
export function buildBundles(outDir = join(root, 'bundled')): void {
  mkdirSync(outDir, { recursive: true });
  const notices: string[] = [
    'cdk8s-istio-traffic bundles the following packages into bundled/*.js (minified, unmodified otherwise).',
  ];
  for (const { file, pkg } of BUNDLES) {
    const result = buildSync({
      stdin: { contents: `export * from '${pkg}';`, resolveDir: root, loader: 'js' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      mainFields: ['module', 'main'],
      minify: true,
      legalComments: 'none',
      metafile: true,
      write: false,
      logLevel: 'error',
    });
    // Every input of the bundle must come from the package itself (no dependency of its own to credit).
    const inputs = Object.keys(result.metafile!.inputs).filter((i) => i.includes('node_modules/'));
    const foreign = inputs.filter((i) => !i.includes(`node_modules/${pkg}/`));
    if (foreign.length > 0) throw new Error(`${pkg} pulls in ${foreign.join(', ')}: add their licences to the notices`);
    writeIfChanged(join(outDir, file), `/* ${pkg}, bundled by projenrc/bundle.ts; licence in THIRD-PARTY-NOTICES.txt */\n${result.outputFiles[0].text}`);
    const manifest = packageOf(pkg);
    notices.push('', '-'.repeat(78), `${pkg}@${manifest.version} (${manifest.license}) -> bundled/${file}`, '', licenceText(manifest));
  }
  const files: { [file: string]: string | Buffer } = {
    ...Object.fromEntries(BUNDLES.map(({ file }) => [file, readFileSync(join(outDir, file))])),
    'THIRD-PARTY-NOTICES.txt': notices.join('\n') + '\n',
    'crd-schemas.json.br': compressed(JSON.stringify(compactSchemas())),
    'rule-docs.json.br': compressed(JSON.stringify({ docs: RULE_DOCS, sources: SOURCES })),
  };
  // A file no longer built (json-schema.js before the schemas were compiled, crd-schemas.json before it was
  // compressed) must not stay to be packed.
  for (const stale of readdirSync(outDir).filter((f) => files[f] === undefined)) rmSync(join(outDir, stale));
  for (const [file, content] of Object.entries(files)) writeIfChanged(join(outDir, file), content);
}

/** Brotli at its best quality: deterministic, so the same input writes the same bytes. */
export function compressed(text: string): Buffer {
  return brotliCompressSync(Buffer.from(text, 'utf-8'), { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } });
}

function writeIfChanged(file: string, content: string | Buffer): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf-8') : content;
  if (existsSync(file) && readFileSync(file).equals(bytes)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, bytes);
}

if (require.main === module) buildBundles();
