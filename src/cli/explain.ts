/**
 * `cdk8s-istio-traffic explain`: the routing of the manifests under some paths, as a table, Markdown or a
 * Mermaid flowchart; or, with --request, where one request goes.
 */
import { loadManifests } from './manifests';
import { runCommand, UsageError } from './usage';
import { ruleAt } from '../private/routing/build-routing';
import { TEXT_WIDTH, wrap } from '../private/routing/render-text';
import { mirrorsWords, sharesWords } from '../private/routing/words';
import { RoutingModel } from '../routing/routing-model';
import { RoutingOutcome } from '../routing/routing-outcome';
import { SimulatedRequest } from '../routing/simulated-request';

const USAGE = `usage: cdk8s-istio-traffic explain PATH... [--format text|markdown|mermaid] [--host HOST] [--request PART]...

Shows how the VirtualServices and DestinationRules, and the Gateway API HTTPRoutes (with the Services
they send to), in the YAML files under each PATH (files, or directories searched for .yaml and .yml)
route each host: the rules in the order Istio tries them, their
conditions in words, where the requests go and with what share, mirrors, timeouts, retries and version
stickiness. Other objects in the files are ignored.

options:
  --format FORMAT   text (default), markdown (tables and Mermaid diagrams for a pull request) or mermaid
  --request PART    simulate one request instead, built from the parts of every --request:
                      header:NAME=VALUE   a request header (names are case-insensitive)
                      cookie:NAME=VALUE   a cookie, sent in the cookie header
                      source:KEY=VALUE    a label of the calling workload
                      namespace:NAME      the namespace of the calling workload
                      gateway:NS/NAME     the request comes through this gateway, not from a sidecar
                      method:METHOD       default GET
                      uri:PATH            the path, with an optional ?query; default /
                      port:NUMBER         the port the request is sent to
                      scheme:SCHEME       default http
  --host HOST       the host the simulated request is addressed to (needed when several are routed)

example:
  cdk8s-istio-traffic explain dist/ --host checkout-service.prod.svc.cluster.local \\
    --request header:x-canary-user=true --request method:POST

exit status: 0 when the routing was shown, 2 on a usage error or an unreadable file.`;

/** Runs the command; returns the exit code. */
export function explain(args: string[]): number {
  return runCommand('explain', USAGE, args, parseArgs, run);
}

function run(options: Options): number {
  const model = RoutingModel.fromManifests(loadManifests(options.paths).map((m) => m.object));
  if (options.request === undefined) {
    const render = { text: () => model.toText(), markdown: () => model.toMarkdown(), mermaid: () => model.toMermaid() }[options.format];
    process.stdout.write(render());
    return 0;
  }
  let outcome: RoutingOutcome;
  try {
    outcome = model.simulate(options.request);
  } catch (err) {
    // An unknown host or a regex the simulation cannot run: the user can fix the request or the manifests.
    console.error(`cdk8s-istio-traffic explain: ${(err as Error).message}${options.request.host === undefined ? ' with --host' : ''}`);
    return 2;
  }
  const routedBy = model.hosts.find((h) => h.virtualService === outcome.virtualService && h.httpRoutes !== undefined);
  process.stdout.write(outcomeText(options.request, outcome, options.format === 'markdown', routedBy === undefined ? 'VirtualService' : 'HTTPRoute'));
  return 0;
}

interface Options {
  readonly paths: string[];
  readonly format: 'text' | 'markdown' | 'mermaid';
  readonly request?: SimulatedRequest;
}

function parseArgs(args: string[]): Options {
  const paths: string[] = [];
  const parts: string[] = [];
  let format = 'text';
  let host: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const option = /^(--format|--request|--host)(?:=(.*))?$/.exec(arg);
    if (option) {
      const value = option[2] ?? args[++i];
      if (value === undefined) throw new UsageError(`${option[1]} needs a value`);
      if (option[1] === '--format') format = value;
      else if (option[1] === '--host') host = value;
      else parts.push(value);
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) throw new UsageError('name at least one file or directory of manifests');
  if (format !== 'text' && format !== 'markdown' && format !== 'mermaid') {
    throw new UsageError(`unknown format ${JSON.stringify(format)}; use text, markdown or mermaid`);
  }
  if (parts.length === 0 && host === undefined) return { paths, format };
  if (format === 'mermaid') throw new UsageError('--format mermaid draws the whole routing; leave out --request and --host, or use text or markdown');
  return { paths, format, request: requestOf(parts, host) };
}

function requestOf(parts: string[], host: string | undefined): SimulatedRequest {
  const headers: { [name: string]: string } = {};
  const cookies: { [name: string]: string } = {};
  const sourceLabels: { [key: string]: string } = {};
  const single: { [key: string]: string } = {};
  for (const part of parts) {
    const m = /^([a-z]+):(.*)$/.exec(part);
    if (m === null) throw new UsageError(`--request ${JSON.stringify(part)} is not KIND:VALUE, e.g. header:x-canary-user=true`);
    const [, kind, value] = m;
    const pair = /^([^=]+)=(.*)$/.exec(value);
    if (kind === 'header' || kind === 'cookie' || kind === 'source') {
      if (pair === null) throw new UsageError(`--request ${JSON.stringify(part)} needs NAME=VALUE after ${kind}:`);
      ({ header: headers, cookie: cookies, source: sourceLabels })[kind][pair[1]] = pair[2];
    } else if (['namespace', 'gateway', 'method', 'uri', 'port', 'scheme'].includes(kind)) {
      if (value === '') throw new UsageError(`--request ${JSON.stringify(part)} needs a value after ${kind}:`);
      single[kind] = value;
    } else {
      throw new UsageError(`--request ${JSON.stringify(part)}: unknown kind ${JSON.stringify(kind)}; use header, cookie, source, namespace, gateway, method, uri, port or scheme`);
    }
  }
  const port = single.port === undefined ? undefined : Number(single.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new UsageError(`--request port:${single.port} is not a port number`);
  }
  return {
    host,
    headers,
    cookies,
    sourceLabels,
    sourceNamespace: single.namespace,
    gateway: single.gateway,
    method: single.method,
    uri: single.uri,
    port,
    scheme: single.scheme,
  };
}

function outcomeText(request: SimulatedRequest, outcome: RoutingOutcome, markdown: boolean, kind: string): string {
  const said = [
    ...Object.entries(request.headers ?? {}).map(([k, v]) => `header ${k.toLowerCase()}: ${v}`),
    ...Object.entries(request.cookies ?? {}).map(([k, v]) => `cookie ${k}=${v}`),
    ...Object.entries(request.sourceLabels ?? {}).map(([k, v]) => `source ${k}=${v}`),
    ...(request.sourceNamespace === undefined ? [] : [`source namespace ${request.sourceNamespace}`]),
    ...(request.port === undefined ? [] : [`port ${request.port}`]),
    ...(request.scheme === undefined ? [] : [`scheme ${request.scheme}`]),
  ];
  const origin = request.gateway === undefined ? 'from a sidecar' : `through gateway ${request.gateway}`;
  const rows: [string, string][] = [
    ['request', `${request.method ?? 'GET'} ${request.uri ?? '/'} to ${outcome.host} ${origin}${said.length === 0 ? '' : `; ${said.join(', ')}`}`],
    ['rule', outcome.virtualService === undefined ? 'no VirtualService applies'
      : outcome.rule === undefined ? `none of ${kind} ${outcome.virtualService} matches`
        : `${ruleAt(outcome.rule, outcome.rulePosition!)} of ${kind} ${outcome.virtualService}`],
    ['goes to', outcome.response ?? sharesWords(outcome.destinations, outcome.host)],
    ['mirror', outcome.mirrors.length === 0 ? '-' : mirrorsWords(outcome.mirrors, outcome.host)],
    ...outcome.notes.map((n): [string, string] => ['note', n]),
  ];
  if (markdown) return rows.map(([k, v]) => `- **${k}:** ${v.replace(/[\\`*_{}[\]<>|]/g, '\\$&')}`).join('\n') + '\n';
  // Long values wrap under their first word, as in the tables.
  return rows.flatMap(([k, v]) => wrap(`${`${k}:`.padEnd(9)}${v}`, TEXT_WIDTH, 9)).join('\n') + '\n';
}
