/**
 * Runs Prometheus' own `promtool` on synthesized rules: `check rules` (syntax, PromQL, lint) and
 * `test rules` (unit tests that feed synthetic series and expect alerts).
 *
 * promtool is optional on a contributor's machine and required in CI:
 * - found (on PATH, or at the path in `PROMTOOL` when that is set): the promtool tests run;
 * - missing: the promtool tests are skipped (declare them with `promtoolTest()`), and the jest global setup
 *   prints one line for the whole run (`reportPromtool()`) naming the install command;
 * - missing with `PROMTOOL_REQUIRED=1` (.ci/run sets it): a failure, with the same install command. The
 *   global setup throws, and without it the promtool tests run and fail.
 * `PROMTOOL=/nonexistent` hides an installed promtool, to try the skipping (node and promtool often share
 * /usr/bin, so trimming PATH would hide node too).
 * The PromQL itself is parsed on every run, promtool or not, by promql-grammar.ts.
 */
import { execFileSync } from 'child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { delimiter, join } from 'path';
import { stringify } from 'yaml';

/** The command that installs promtool (Debian's prometheus package ships it); .ci/run runs it. */
export const PROMTOOL_INSTALL = 'apt-get update && apt-get install -y prometheus';

export type Env = { [name: string]: string | undefined };

/** Whether promtool is there to run, or, when it is missing and not required, the line that says so. */
export interface PromtoolStatus {
  /** The promtool that the tests run. */
  readonly path?: string;
  /** Set when promtool is missing: one line naming the install command. */
  readonly skipLine?: string;
}

/** `PROMTOOL_REQUIRED` is set to anything but empty, `0` or `false`. */
export function promtoolRequired(env: Env = process.env): boolean {
  const value = (env.PROMTOOL_REQUIRED ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The promtool of `env`: `PROMTOOL` when set (and only it), else the first on `PATH`. */
function lookup(env: Env): string | undefined {
  if (env.PROMTOOL) return executable(env.PROMTOOL) ? env.PROMTOOL : undefined;
  return (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, 'promtool')).find(executable);
}

/** Where promtool was looked for, for the messages. */
function where(env: Env): string {
  return env.PROMTOOL ? `at PROMTOOL=${env.PROMTOOL}` : 'on PATH';
}

/** Why promtool cannot run, with the install command. */
function missing(env: Env): string {
  const required = promtoolRequired(env) ? ', and PROMTOOL_REQUIRED is set' : '';
  return `promtool not found ${where(env)}${required}; install it with: ${PROMTOOL_INSTALL}`;
}

/**
 * The promtool of `env`, or the line to print once when it is missing. Throws, with the install command,
 * when it is missing and `PROMTOOL_REQUIRED` is set.
 */
export function promtoolStatus(env: Env = process.env): PromtoolStatus {
  const path = lookup(env);
  if (path !== undefined) return { path };
  if (promtoolRequired(env)) throw new Error(missing(env));
  return { skipLine: `promtool not found ${where(env)}: the promtool tests are skipped; install it with: ${PROMTOOL_INSTALL} (PROMTOOL_REQUIRED=1 makes this a failure)` };
}

/**
 * For the jest global setup: prints the skip line when promtool is missing (once for the whole run) and
 * throws when it is missing and required.
 */
export function reportPromtool(env: Env = process.env, print: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): PromtoolStatus {
  const status = promtoolStatus(env);
  if (status.skipLine !== undefined) print(status.skipLine);
  return status;
}

/**
 * `test` where promtool is found or required, `test.skip` where it is missing and not required: declare
 * the tests that run promtool with it. Where it is required but missing they run, and fail in
 * `promtoolPath()` with the install command.
 */
export function promtoolTest(env: Env = process.env): jest.It {
  return lookup(env) === undefined && !promtoolRequired(env) ? test.skip : test;
}

let found: string | undefined;

/** The promtool of `env` (see `promtoolStatus`); throws with the install command when there is none. */
export function promtoolPath(env: Env = process.env): string {
  if (env === process.env && found !== undefined) return found;
  const path = lookup(env);
  if (path === undefined) throw new Error(missing(env));
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
