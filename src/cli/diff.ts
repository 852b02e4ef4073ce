/**
 * `cdk8s-istio-traffic diff BEFORE AFTER`: what moves in the routing between two manifest sets, per host,
 * for a pull request's review. The exit status says whether the routing changed, so CI can require a label
 * or an approval for a change that moves traffic.
 */
import { loadManifestsAtRef } from './git-tree';
import { loadManifests } from './manifests';
import { runCommand, UsageError } from './usage';
import { q } from '../private/errors';
import { RoutingModel } from '../routing/routing-model';

const USAGE = `usage: cdk8s-istio-traffic diff [--format text|markdown|json] [--mermaid] [--title TEXT] BEFORE AFTER
       cdk8s-istio-traffic diff --base-ref REF [options] PATH...

Compares the routing of two sets of Istio manifests (YAML files or directories, searched recursively);
Gateway API HTTPRoutes are read as the VirtualServices Istio makes of them.
With --base-ref, the "before" side is PATH... as git commit REF has them, and the "after" side is
PATH... on disk: synthesize the head into the directory the base branch commits its output to.
Per host whose routing changed: where a typical request (no special headers or cookies) goes before and
after, then each change: rules added, removed, moved or made unreachable, shares, mirrors, timeouts,
retries, faults, header operations, subsets and their labels, traffic policies, version cookies and what
becomes of users they pin, and the Prometheus alerts that watch the host. Unchanged hosts print nothing.

options:
  --format FORMAT   text (default), markdown (for a pull-request comment) or json
  --mermaid         with markdown: add a flowchart of each changed host's new routing
  --title TEXT      with markdown: the comment's heading (default "Routing changes")
  --base-ref REF    read the "before" side from git at REF (e.g. origin/main)

example, in CI:
  cdk8s-istio-traffic diff --base-ref origin/main --format markdown dist/ > routing.md

exit status: 0 routing unchanged, 1 routing changed, 2 unreadable input or bad arguments`;

/** Runs the command; returns the exit code. */
export function diff(args: string[]): number {
  return runCommand('diff', USAGE, args, parseArgs, run);
}

interface Options {
  readonly before: string[];
  readonly after: string[];
  readonly baseRef?: string;
  readonly format: string;
  readonly mermaid: boolean;
  readonly title?: string;
}

const FORMATS = ['text', 'markdown', 'json'];

function parseArgs(args: string[]): Options {
  let format = 'text';
  let mermaid = false;
  let title: string | undefined;
  let baseRef: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const option = /^(--format|--title|--base-ref)(?:=(.*))?$/.exec(arg);
    if (option) {
      const value = option[2] ?? args[++i];
      if (value === undefined) throw new UsageError(`${option[1]} needs a value`);
      if (option[1] === '--format') {
        if (!FORMATS.includes(value)) throw new UsageError(`unknown format ${q(value)}; use text, markdown or json`);
        format = value;
      } else if (option[1] === '--title') {
        title = value;
      } else {
        baseRef = value;
      }
    } else if (arg === '--mermaid') {
      mermaid = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown option ${q(arg)}`);
    } else {
      paths.push(arg);
    }
  }
  if (mermaid && format !== 'markdown') throw new UsageError('--mermaid goes with --format markdown');
  if (title !== undefined && format !== 'markdown') throw new UsageError('--title goes with --format markdown');
  if (baseRef !== undefined) {
    if (paths.length === 0) throw new UsageError('with --base-ref, name at least one file or directory');
    return { before: paths, after: paths, baseRef, format, mermaid, title };
  }
  if (paths.length !== 2) throw new UsageError(`name two files or directories, BEFORE and AFTER (got ${paths.length}); or use --base-ref REF PATH...`);
  return { before: [paths[0]], after: [paths[1]], format, mermaid, title };
}

function run(options: Options): number {
  const before = options.baseRef === undefined ? loadManifests(options.before) : loadManifestsAtRef(options.baseRef, options.before);
  const after = loadManifests(options.after);
  const model = (loaded: { object: any }[]) => RoutingModel.fromManifests(loaded.map((m) => m.object));
  const result = RoutingModel.diff(model(before), model(after));
  if (options.format === 'json') {
    console.log(JSON.stringify(result.toJson(), undefined, 2));
  } else if (options.format === 'markdown') {
    process.stdout.write(result.toMarkdown({ mermaid: options.mermaid, title: options.title }));
  } else {
    process.stdout.write(result.toText());
  }
  return result.changed ? 1 : 0;
}
