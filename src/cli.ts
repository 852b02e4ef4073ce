#!/usr/bin/env node
/**
 * The `cdk8s-istio-traffic` command: tools over Istio manifests on disk, whoever wrote them.
 * Each subcommand lives in src/cli/<name>.ts and returns the process exit code.
 */
import { check } from './cli/check';
import { diff } from './cli/diff';
import { explain } from './cli/explain';
import { ManifestReadError } from './cli/manifests';
import { rules } from './cli/rules';

type Command = { readonly summary: string; readonly run: (args: string[]) => number };

const commands: { [name: string]: Command } = {
  check: { summary: 'check Istio VirtualServices and DestinationRules in YAML files or directories', run: check },
  diff: { summary: 'show what moves in the routing between two manifest sets, e.g. a pull request\'s base and head', run: diff },
  explain: { summary: 'show the routing of Istio manifests, or where one request goes', run: explain },
  rules: { summary: 'list the checks, or explain one: what Istio does with such an object and the fix', run: rules },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`);
  return ['usage: cdk8s-istio-traffic <command> [arguments]', '', 'commands:', ...lines].join('\n');
}

export function main(argv: string[]): number {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    console.error(`cdk8s-istio-traffic: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  try {
    return command.run(args);
  } catch (err) {
    if (err instanceof ManifestReadError) {
      console.error(`cdk8s-istio-traffic ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
