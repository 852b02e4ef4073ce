/**
 * Shrinks lib/ after jsii compiles it, for the package's 300 kB budget (BENCHMARKS.md, "Package size"):
 *
 * - esbuild bundles the compiled modules into one minified file, lib/private/library.js (from the entry
 *   src/private/library.ts), with jsii's runtime type information, which the compiled code carries. Local
 *   names are shortened too (keeping them would cost 7 kB gzipped): nothing reads a function's or class's
 *   `name`, and errors say what is wrong by construct path and field, not by stack frame. lib/index.js and lib/cli.js
 *   become one-line doors into it, and the other .js files go: nothing can import them (package.json `exports`
 *   allows the main entry and the CLI only). One module instead of a hundred also loads faster. The bundle sits
 *   in lib/private/, where the modules that find bundled/ by a relative path (src/private/bundled.ts) were;
 * - the public .d.ts files lose their `@internal` members (the `_`-prefixed hooks between constructs, which jsii
 *   already keeps out of the assembly) and the imports only those used, as TypeScript's `stripInternal` would;
 * - a .d.ts file that no public declaration reaches (lib/index.d.ts and what it imports, transitively) is
 *   deleted;
 * - the generated L1 declarations (lib/imports/) lose their comments: the import drops the CRDs' prose
 *   (imports/import.ts), which leaves them only `@schema` paths and cdk8s import's boilerplate.
 *
 * The docs stay where readers use them: the public .d.ts files and the jsii assembly.
 */
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';
import { buildSync } from 'esbuild';
import * as ts from 'typescript';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** The bundle's file and the two doors into it, relative to lib/. */
export const BUNDLE = 'private/library.js';
const DOORS: { [file: string]: string } = {
  'index.js': `"use strict";module.exports=require("./${BUNDLE}").library;\n`,
  'cli.js': `#!/usr/bin/env node\n"use strict";process.exitCode=require("./${BUNDLE}").cliMain(process.argv.slice(2));\n`,
};

/** Bundles lib/'s compiled modules into lib/private/library.js and replaces every other .js file by the doors. */
export function bundleLib(dir: string): void {
  const bundle = join(dir, BUNDLE);
  buildSync({
    entryPoints: [bundle],
    outfile: bundle,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    // The peer dependencies stay the user's own copies (instanceof Construct must hold across the app).
    external: ['cdk8s', 'constructs'],
    logLevel: 'error',
  });
  for (const file of walk(dir).filter((f) => f.endsWith('.js') && f !== bundle)) rmSync(file);
  for (const [file, text] of Object.entries(DOORS)) writeFileSync(join(dir, file), text);
  chmodSync(join(dir, 'cli.js'), 0o755);
}

/** A declaration file without its `@internal` members and the imports only they used. */
export function withoutInternals(file: string, text: string): string {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const cuts: [number, number][] = [];
  const visit = (node: ts.Node) => {
    if (ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal')) {
      cuts.push([node.getFullStart(), node.end]);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = text;
  for (const [start, end] of cuts.reverse()) out = out.slice(0, start) + out.slice(end);
  return withoutUnusedImports(file, out);
}

function withoutUnusedImports(file: string, text: string): string {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of source.statements) {
    const bindings = ts.isImportDeclaration(statement) ? statement.importClause?.namedBindings : undefined;
    if (bindings === undefined || !ts.isNamedImports(bindings)) continue;
    const body = text.slice(0, statement.getFullStart()) + text.slice(statement.end);
    const used = bindings.elements.filter((e) => new RegExp(`\\b${e.name.text}\\b`).test(body));
    if (used.length === bindings.elements.length) continue;
    const typeOnly = statement.importClause!.isTypeOnly ? 'type ' : '';
    const replacement = used.length === 0 ? '' : `import ${typeOnly}{ ${used.map((e) => e.getText(source)).join(', ')} } from ${statement.moduleSpecifier.getText(source)};`;
    edits.push({ start: statement.getStart(source), end: statement.end, text: replacement });
  }
  let out = text;
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The .d.ts files the entry declaration reaches through its relative imports and exports. */
export function reachableDeclarations(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf-8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    for (const specifier of moduleSpecifiers(source)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), `${specifier}.d.ts`));
    }
  };
  visit(entry);
  return seen;
}

function moduleSpecifiers(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const declaration = ts.isImportDeclaration(node) || ts.isExportDeclaration(node);
    if (declaration && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Shrinks the compiled library in `dir` as described above. */
export function shrinkLib(dir: string): void {
  bundleLib(dir);
  for (const file of walk(dir).filter((f) => f.endsWith('.d.ts') && !isPrivate(dir, f))) {
    const text = readFileSync(file, 'utf-8');
    const stripped = withoutInternals(file, text);
    if (stripped !== text) writeFileSync(file, stripped);
  }
  const reachable = reachableDeclarations(join(dir, 'index.d.ts'));
  for (const file of walk(dir).filter((f) => f.endsWith('.d.ts') && !reachable.has(f))) rmSync(file);
  const printer = ts.createPrinter({ removeComments: true });
  for (const file of walk(join(dir, 'imports')).filter((f) => f.endsWith('.d.ts'))) {
    writeFileSync(file, printer.printFile(ts.createSourceFile(file, readFileSync(file, 'utf-8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)));
  }
  removeEmptyFolders(dir);
}

function removeEmptyFolders(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isDirectory()) continue;
    removeEmptyFolders(path);
    if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
  }
}

function isPrivate(dir: string, file: string): boolean {
  return relative(dir, file).split(/[\\/]/).includes('private');
}

if (require.main === module) shrinkLib(join(__dirname, '..', 'lib'));
