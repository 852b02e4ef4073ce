/** A temporary folder for a test file, made before its tests and removed after them. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

export interface TempFolder {
  /** The folder (valid inside the tests). */
  readonly dir: string;
  /** Writes `text` to `name` under the folder, making its parent folders; returns the file's path. */
  write(name: string, text: string): string;
}

/** A fresh folder for the whole file, or (`perTest`) for each test. */
export function tempFolder(prefix: string, perTest = false): TempFolder {
  let dir = '';
  (perTest ? beforeEach : beforeAll)(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  (perTest ? afterEach : afterAll)(() => rmSync(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    write(name: string, text: string): string {
      const file = join(dir, name);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}
