import { readdirSync, readFileSync, statSync } from 'fs';
import { extname, join } from 'path';
import type * as JsYaml from 'js-yaml';
import { manifestSchema } from './yaml-schema';
import { jsYamlLibrary } from '../private/bundled';

/** One object read from a YAML file. */
export interface LoadedManifest {
  /** The file it came from, as given or found under a given directory. */
  readonly file: string;
  /** 1-based line of the document's start in the file (of its `List`, for the items of one). */
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

/** The file names read as manifests. */
export const YAML_EXTENSIONS = ['.yaml', '.yml'];

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

/**
 * One file's objects. js-yaml builds plain objects straight from the text, several times faster than a parser
 * that keeps positions for every node; the line of each document is all a finding needs, and js-yaml's parse
 * events give it: the first node opened while the parser is on document n is that document's root.
 */
function readFile(file: string): LoadedManifest[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf-8');
  } catch (err) {
    throw new ManifestReadError(`${file}: cannot read the file (${(err as Error).message})`);
  }
  const lines: number[] = [];
  let documents: unknown[];
  try {
    documents = jsYamlLibrary().loadAll(text, undefined, {
      schema: manifestSchema(),
      listener: (event, state) => {
        if (event === 'open' && lines.length === (state as JsYaml.State & { documents: unknown[] }).documents.length) lines.push(state.line + 1);
      },
    });
  } catch (err) {
    const { mark, reason } = err as JsYaml.YAMLException;
    if (mark === undefined) throw err;
    throw new ManifestReadError(`${file}:${mark.line + 1}:${mark.column + 1}: malformed YAML: ${reason}`);
  }
  const out: LoadedManifest[] = [];
  documents.forEach((object: any, i) => {
    if (object === null || object === undefined) return;
    const line = lines[i];
    if (typeof object !== 'object' || Array.isArray(object)) {
      throw new ManifestReadError(`${file}:${line}: expected a Kubernetes object (a mapping with apiVersion and kind), found ${Array.isArray(object) ? 'a list' : typeof object}`);
    }
    const items = object.kind === 'List' && Array.isArray(object.items) ? object.items : [object];
    for (const item of items) out.push({ file, line, object: item });
  });
  return out;
}
