/**
 * Removes comments from the compiled JavaScript in lib/, and from the type declarations of lib/private/ (after jsii
 * compiles; jsii's strict tsconfig rules forbid `removeComments`). The doc comments stay where readers and editors
 * use them: in the public .d.ts files and the jsii assembly. In the .js files and the private declarations they
 * would cost 36 kB of the package's 300 kB budget. TypeScript's own printer re-prints each file, so the code
 * and the declarations themselves are unchanged.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import * as ts from 'typescript';

const printer = ts.createPrinter({ removeComments: true });

/** The file's code without its comments. */
function withoutComments(file: string, text: string): string {
  const kind = file.endsWith('.d.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false, kind);
  return printer.printFile(source);
}

function files(dir: string, private_ = false): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, private_ || name === 'private');
    return name.endsWith('.js') || private_ && name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Strips every .js file under `dir`, and every .d.ts file under a `private` folder; returns the bytes saved. */
export function stripComments(dir: string): number {
  let saved = 0;
  for (const file of files(dir)) {
    const text = readFileSync(file, 'utf-8');
    const stripped = withoutComments(file, text);
    if (stripped !== text) {
      writeFileSync(file, stripped);
      saved += text.length - stripped.length;
    }
  }
  return saved;
}

if (require.main === module) stripComments(join(__dirname, '..', 'lib'));
