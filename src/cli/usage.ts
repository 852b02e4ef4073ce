/**
 * What every subcommand does with its arguments before its own work: `--help` prints the usage, and a
 * mistake in the arguments prints one line and the usage, with exit status 2.
 */

/** A mistake in a command's arguments: printed with the usage, exit status 2. */
export class UsageError extends Error {}

/**
 * Runs subcommand `name`: prints `usage` for --help/-h (exit 0); otherwise parses `args` and runs the
 * command on the options, and turns a `UsageError` of the parsing into a message and exit status 2.
 */
export function runCommand<O>(name: string, usage: string, args: string[], parse: (args: string[]) => O, run: (options: O) => number): number {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  let options: O;
  try {
    options = parse(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`cdk8s-istio-traffic ${name}: ${err.message}\n\n${usage}`);
    return 2;
  }
  return run(options);
}
