/**
 * Regenerates the L1 types and their OpenAPI schemas in src/imports from pinned CRD files:
 *
 *   npx projen import -- --crd istio=PATH [--crd prometheus-operator=PATH]
 *
 * What is imported is stated once per source, in one JSON file each in imports/ (istio.json: the Istio
 * networking kinds; prometheus-operator.json: PrometheusRule): the pinned version, the URL the CRD file is
 * published at, and which kinds and API versions are kept. The source's name is its file name.
 *
 * The CRD file itself is never part of the repository and never looked for outside it: it is given on the
 * command line (`--crd NAME=PATH`) or in an environment variable (`CRD_ISTIO`, `CRD_PROMETHEUS_OPERATOR`).
 * Only the sources given are imported. Without any, the script says where to download each file.
 *
 * Each source writes two files and nothing else: `<output>/<module>-<group>.ts` (cdk8s import's types, only
 * of the configured kinds, so the package, the .jsii assembly and API.md carry no types the library does not
 * use) and `<output>/<module>-<group>.schemas.json` (the OpenAPI schema of each imported kind and version, as
 * the CRD states it, `x-kubernetes-*` keywords and CEL rules included). The tests check manifests against the
 * schema file, so they check against exactly the schema the types were generated from. The schema file also
 * records `aliases`: the other versions the CRD serves whose schema is identical to an imported one's, so the
 * checker validates objects of those versions too, without a copy of the schema. Running the script again on
 * the same CRD file rewrites the same bytes. The build never runs it.
 */
import { execFileSync } from 'child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join, relative, resolve } from 'path';
import { isDeepStrictEqual } from 'util';
import { parseAllDocuments, stringify } from 'yaml';

/** One import source, as its file in imports/ states it. */
export interface ImportConfig {
  /** The pinned release of the CRDs. */
  readonly version: string;
  /** Where the CRD file of that release is published. */
  readonly published: string;
  readonly group: string;
  readonly kinds: string[];
  readonly apiVersions: string[];
  /** The cdk8s import module name (the generated file's prefix and the submodule it is exported as). */
  readonly module: string;
  /** The output directory, relative to the repository. */
  readonly output: string;
}

/**
 * The generated schema file: where the schemas came from, the served versions that share an imported
 * version's schema (`aliases`, only when there are any), and one schema per `group/version/Kind`.
 */
export interface SchemaFile {
  readonly generated: string;
  readonly source: { readonly config: string; readonly version: string; readonly published: string };
  readonly aliases?: { readonly [groupVersionKind: string]: string };
  readonly schemas: { readonly [groupVersionKind: string]: any };
}

/** A mistake in how the script was called: printed without a stack trace. */
export class UsageError extends Error {}

const root = resolve(__dirname, '..');
const workDir = join(__dirname, '.work');

/** The sources: every JSON file in imports/ except the TypeScript config, named by file, sorted. */
export function sourceNames(dir: string = __dirname): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'tsconfig.json').map((f) => f.slice(0, -'.json'.length)).sort();
}

/** Reads and checks one source's config. */
export function readConfig(name: string, dir: string = __dirname): ImportConfig {
  const config = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf-8'));
  const missing = ['version', 'published', 'group', 'kinds', 'apiVersions', 'module', 'output'].filter((key) => config[key] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`imports/${name}.json is not an import config: it lacks ${missing.join(', ')}`);
  }
  return config;
}

/** The environment variable that can name a source's CRD file: `CRD_ISTIO`, `CRD_PROMETHEUS_OPERATOR`. */
export function envVarOf(name: string): string {
  return `CRD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The CRD file of each source that was given, by source name: `--crd NAME=PATH` (or `--crd=NAME=PATH`)
 * arguments first, then the sources' environment variables. Paths are resolved against `cwd`.
 */
export function crdFiles(argv: string[], env: { [name: string]: string | undefined }, names: string[], cwd: string): Map<string, string> {
  const given = new Map<string, string>();
  const take = (value: string | undefined) => {
    const match = /^([^=]+)=(.+)$/.exec(value ?? '');
    if (match === null) throw new UsageError(`--crd takes SOURCE=PATH, got ${JSON.stringify(value ?? '')}`);
    const [, name, path] = match;
    if (!names.includes(name)) {
      throw new UsageError(`--crd ${name}=...: there is no source "${name}"; the sources are ${names.join(', ')} (imports/*.json)`);
    }
    given.set(name, resolve(cwd, path));
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    // projen passes on the `--` of `npx projen import -- --crd ...`.
    if (arg === '--') continue;
    if (arg === '--crd') take(argv[++i]);
    else if (arg.startsWith('--crd=')) take(arg.slice('--crd='.length));
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}; usage: npx projen import -- --crd SOURCE=PATH ...`);
  }
  for (const name of names) {
    const path = env[envVarOf(name)];
    if (!given.has(name) && path !== undefined && path !== '') given.set(name, resolve(cwd, path));
  }
  return given;
}

/** How to get a source's CRD file and import it: the text printed when none is given or it is missing. */
export function howToImport(name: string, config: ImportConfig): string {
  return [
    `${name} (imports/${name}.json): ${config.kinds.join(', ')} ${config.group}/${config.apiVersions.join(', ')}, version ${config.version}`,
    `  download: curl -fsSL -o ${name}-crds.yaml ${config.published}`,
    `  import:   npx projen import -- --crd ${name}=${name}-crds.yaml   (or ${envVarOf(name)}=${name}-crds.yaml npx projen import)`,
  ].join('\n');
}

/** Keeps only the configured kinds of the configured group, and of those only the configured versions. */
export function filterCrds(config: ImportConfig, text: string): any[] {
  const kept: any[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new UsageError(`the CRD file is not valid YAML: ${doc.errors[0].message}`);
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.group !== config.group) continue;
    if (!config.kinds.includes(crd.spec.names.kind)) continue;
    const versions = crd.spec.versions.filter((v: any) => config.apiVersions.includes(v.name));
    if (versions.length === 0) continue;
    kept.push({ ...crd, spec: { ...crd.spec, versions } });
  }
  kept.sort((a, b) => a.spec.names.kind.localeCompare(b.spec.names.kind));
  const found = kept.map((crd) => crd.spec.names.kind);
  const missing = config.kinds.filter((kind) => !found.includes(kind));
  if (missing.length > 0) {
    throw new UsageError(`the CRD file has no ${config.group} ${config.apiVersions.join('/')} CRD for: ${missing.join(', ')}`);
  }
  return kept;
}

/**
 * The served versions of the configured kinds that are not imported but have exactly the schema of an
 * imported version: `group/version/Kind` of each, mapped to the imported one's. A version whose schema
 * differs in anything is left out, so the checker never validates an object against a schema its API
 * server does not use.
 */
export function versionAliases(config: ImportConfig, text: string): { [groupVersionKind: string]: string } {
  const aliases: { [gvk: string]: string } = {};
  for (const doc of parseAllDocuments(text)) {
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition' || crd.spec?.group !== config.group) continue;
    const kind = crd.spec.names.kind;
    if (!config.kinds.includes(kind)) continue;
    const imported = crd.spec.versions.filter((v: any) => config.apiVersions.includes(v.name));
    for (const version of crd.spec.versions) {
      if (config.apiVersions.includes(version.name) || version.served === false) continue;
      const same = imported.find((v: any) => isDeepStrictEqual(v.schema?.openAPIV3Schema, version.schema?.openAPIV3Schema));
      if (same !== undefined) aliases[`${config.group}/${version.name}/${kind}`] = `${config.group}/${same.name}/${kind}`;
    }
  }
  return Object.fromEntries(Object.entries(aliases).sort(([a], [b]) => a.localeCompare(b)));
}

/** The generated files of a source, relative to the repository: the types and the schemas. */
export function outputFiles(config: ImportConfig): { types: string; schemas: string } {
  const base = join(config.output, `${config.module}-${config.group}`);
  return { types: `${base}.ts`, schemas: `${base}.schemas.json` };
}

/**
 * The schema file of a source: the OpenAPI schema of every kept kind and version, by `group/version/Kind`,
 * and the `aliases` of other served versions (see `versionAliases`), when there are any.
 */
export function schemaFile(name: string, config: ImportConfig, crds: any[], aliases: { [gvk: string]: string } = {}): SchemaFile {
  const schemas: { [gvk: string]: any } = {};
  for (const crd of crds) {
    for (const version of crd.spec.versions) {
      schemas[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = version.schema.openAPIV3Schema;
    }
  }
  return {
    generated: `by \`npx projen import\` from imports/${name}.json; do not edit by hand`,
    source: { config: `imports/${name}.json`, version: config.version, published: config.published },
    ...(Object.keys(aliases).length > 0 ? { aliases } : {}),
    schemas,
  };
}

/**
 * The CRDs as cdk8s import gets them: without their `description`s, so the generated types carry no CRD prose.
 * The prose is upstream's reference (Istio's and Gateway API's sites), and it would cost 29 kB (gzipped) of the
 * package's 300 kB: in the .d.ts files and again in the jsii assembly (BENCHMARKS.md, "Package size"). Every
 * generated symbol keeps its `@schema` tag, the path of its field in the CRD. The schema file keeps the
 * descriptions whole.
 */
export function withoutDescriptions(value: any): any {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value)
    .filter(([key, v]) => !(key === 'description' && typeof v === 'string'))
    .map(([key, v]) => [key, withoutDescriptions(v)]));
}

/** Imports one source from its CRD file; returns the files it wrote, relative to the repository. */
function importSource(name: string, config: ImportConfig, crdFile: string): string[] {
  if (!existsSync(crdFile)) {
    throw new UsageError(`the CRD file ${crdFile} does not exist. Get it this way:\n${howToImport(name, config)}`);
  }
  const text = readFileSync(crdFile, 'utf-8');
  const crds = filterCrds(config, text);
  const filtered = join(workDir, `${config.module}.yaml`);
  writeFileSync(filtered, crds.map((crd) => stringify(withoutDescriptions(crd))).join('---\n'));

  // cdk8s import writes into a scratch directory of this source only, so that nothing else in the output
  // directory (another source's types) is touched; the one generated file is then moved into place.
  const scratch = join(workDir, `${config.module}-out`);
  rmSync(scratch, { recursive: true, force: true });
  execFileSync(
    'cdk8s',
    ['import', `${config.module}:=${filtered}`, '--language', 'typescript', '--output', scratch, '--no-save', '--no-check-upgrade'],
    { cwd: root, stdio: 'inherit' },
  );
  // cdk8s import names the file after the module and the API group.
  const generated = `${config.module}-${config.group}.ts`;
  const produced = readdirSync(scratch);
  if (produced.length !== 1 || produced[0] !== generated) {
    throw new Error(`cdk8s import wrote ${produced.join(', ') || 'nothing'}, expected only ${generated}`);
  }
  const header = [
    `// Generated by \`npx projen import\` from imports/${name}.json: ${config.kinds.join(', ')} (${config.group}/${config.apiVersions.join(', ')})`,
    `// from ${config.published}`,
    `// Do not edit by hand: change imports/${name}.json and run the import again.`,
    '',
  ].join('\n');
  const { types, schemas } = outputFiles(config);
  mkdirSync(resolve(root, config.output), { recursive: true });
  writeFileSync(resolve(root, types), header + readFileSync(join(scratch, generated), 'utf-8'));
  writeFileSync(resolve(root, schemas), `${JSON.stringify(schemaFile(name, config, crds, versionAliases(config, text)), undefined, 2)}\n`);
  rmSync(scratch, { recursive: true, force: true });
  return [types, schemas];
}

/** Runs the import for the sources whose CRD file `argv` or `env` names; throws UsageError for a wrong call. */
export function main(argv: string[], env: { [name: string]: string | undefined } = process.env, cwd: string = process.cwd()): void {
  const names = sourceNames();
  const configs = new Map(names.map((name) => [name, readConfig(name)]));
  const targets = [...configs.values()].map((config) => outputFiles(config).types);
  const clash = targets.find((target, i) => targets.indexOf(target) !== i);
  if (clash !== undefined) {
    throw new UsageError(`two import configs write ${clash}; give each source its own module name`);
  }
  const given = crdFiles(argv, env, names, cwd);
  if (given.size === 0) {
    throw new UsageError([
      'no CRD file given. The CRD files are not part of the repository; download the pinned ones and name them:',
      ...names.map((name) => howToImport(name, configs.get(name)!)),
    ].join('\n'));
  }
  mkdirSync(workDir, { recursive: true });
  for (const name of names) {
    const crdFile = given.get(name);
    if (crdFile === undefined) {
      console.log(`skipped ${name}: no CRD file given (--crd ${name}=PATH or ${envVarOf(name)})`);
      continue;
    }
    const written = importSource(name, configs.get(name)!, crdFile);
    console.log(`imported ${name} from ${relative(cwd, crdFile)} into ${written.join(' and ')}`);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof UsageError ? `import: ${err.message}` : err);
    process.exit(1);
  }
}
