/**
 * Runs Prometheus' own `promtool` on synthesized rules: `check rules` (syntax, PromQL, lint) and
 * `test rules` (unit tests that feed synthetic series and expect alerts). The suite does not skip these when
 * promtool is missing: it fails and says how to install it (.ci/run does).
 */
import { execFileSync } from 'child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import { stringify } from 'yaml';

const INSTALL = 'promtool is not installed: run apt-get update && apt-get install -y prometheus';

let found: string | undefined;

/**
 * The path of promtool on `env.PATH` (what `which promtool` prints); throws with the install command when
 * there is none.
 */
export function promtoolPath(env: { [name: string]: string | undefined } = process.env): string {
  if (env === process.env && found !== undefined) return found;
  const path = (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, 'promtool')).find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
  if (path === undefined) throw new Error(INSTALL);
  if (env === process.env) found = path;
  return path;
}

/** Runs promtool in a fresh temporary directory holding `files`; returns its output, or throws with it. */
function run(args: string[], files: { [name: string]: string }): string {
  const tool = promtoolPath();
  const dir = mkdtempSync(join(tmpdir(), 'promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return execFileSync(tool, args, { cwd: dir, encoding: 'utf-8', stdio: 'pipe' });
  } catch (error: any) {
    if (error.status === undefined) throw error;
    throw new Error(`promtool ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `promtool check rules` on a rule file's content (`{ groups: [...] }`, e.g. a PrometheusRule's spec). */
export function checkRules(ruleFile: any): string {
  return run(['check', 'rules', 'rules.yaml'], { 'rules.yaml': stringify(ruleFile) });
}

/**
 * `promtool test rules` with the given test cases (promtool's `tests` list) against a rule file's content.
 * Series are sampled every minute and rules evaluated every minute.
 */
export function testRules(ruleFile: any, tests: any[]): string {
  const testFile = { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests };
  return run(['test', 'rules', 'tests.yaml'], { 'rules.yaml': stringify(ruleFile), 'tests.yaml': stringify(testFile) });
}
