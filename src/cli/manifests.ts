import { readdirSync, readFileSync, statSync } from 'fs';
import { createRequire } from 'module';
import { extname, join } from 'path';
import type * as Yaml from 'yaml';

/** One object read from a YAML file. */
export interface LoadedManifest {
  /** The file it came from, as given or found under a given directory. */
  readonly file: string;
  /** 1-based line of the document's start in the file. */
  readonly line: number;
  /** The parsed object. */
  readonly object: any;
}

/** A file that cannot be read or parsed; the CLI reports it and exits 2. */
export class ManifestReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestReadError';
  }
}

const YAML_EXTENSIONS = ['.yaml', '.yml'];

/**
 * The yaml 2.x parser, loaded from where cdk8s loads it: cdk8s writes every manifest with it and ships it
 * as a bundled dependency, so this package need not bundle a second copy (a third of its size). Resolving
 * from cdk8s's folder also finds a yaml installed next to it.
 */
function yamlParser(): typeof Yaml {
  try {
    return createRequire(require.resolve('cdk8s'))('yaml');
  } catch (err) {
    throw new ManifestReadError(`cannot load the YAML parser that cdk8s ships (${(err as Error).message.split('\n')[0]}); install yaml@2 next to cdk8s`);
  }
}

/**
 * Reads every object from the given YAML files and directories (searched recursively for .yaml and
 * .yml files, in sorted order so the result is the same on every run). Multi-document files and
 * `List` kinds are flattened; empty documents are skipped.
 */
export function loadManifests(paths: string[]): LoadedManifest[] {
  return paths.flatMap((path) => yamlFiles(path)).flatMap(readFile);
}

function yamlFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new ManifestReadError(`${path}: no such file or directory`);
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path).sort()
    .map((name) => join(path, name))
    .flatMap((child) => statSync(child).isDirectory() ? yamlFiles(child) : YAML_EXTENSIONS.includes(extname(child)) ? [child] : []);
}

function readFile(file: string): LoadedManifest[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf-8');
  } catch (err) {
    throw new ManifestReadError(`${file}: cannot read the file (${(err as Error).message})`);
  }
  const { LineCounter, parseAllDocuments } = yamlParser();
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines });
  const out: LoadedManifest[] = [];
  for (const doc of Array.isArray(documents) ? documents : [documents]) {
    const error = doc.errors[0];
    if (error) {
      const at = error.linePos?.[0];
      throw new ManifestReadError(`${file}:${at ? `${at.line}:${at.col}` : '?'}: malformed YAML: ${error.message.split('\n')[0]}`);
    }
    const object = doc.toJS();
    if (object === null || object === undefined) continue;
    const line = lines.linePos(doc.contents?.range?.[0] ?? 0).line;
    if (typeof object !== 'object' || Array.isArray(object)) {
      throw new ManifestReadError(`${file}:${line}: expected a Kubernetes object (a mapping with apiVersion and kind), found ${Array.isArray(object) ? 'a list' : typeof object}`);
    }
    const items = object.kind === 'List' && Array.isArray(object.items) ? object.items : [object];
    out.push(...items.map((item: any) => ({ file, line, object: item })));
  }
  return out;
}
