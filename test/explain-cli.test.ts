/**
 * `cdk8s-istio-traffic explain`, run in-process through the CLI's dispatcher on YAML written to a
 * temporary directory: the same routing as the library's, the --request syntax, and the exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Yaml } from 'cdk8s';
import { runCli } from './cli-run';
import { HOST } from './fixtures';
import { synth } from './util';
import { CheckoutChart } from '../examples/checkout/checkout';
import { main } from '../src/cli';
import { RoutingModel } from '../src/routing/routing-model';

const manifests = synth(new CheckoutChart(new App(), 'checkout'));
const model = RoutingModel.fromManifests(manifests);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'explain-'));
  writeFileSync(join(dir, 'checkout.k8s.yaml'), Yaml.stringify(...manifests));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCli('explain', ...args);

describe('the routing of a directory of manifests', () => {
  test('text by default, the same as the library renders', () => {
    expect(run(dir)).toEqual({ code: 0, out: model.toText(), err: '' });
  });

  test.each([
    ['markdown', () => model.toMarkdown()],
    ['mermaid', () => model.toMermaid()],
    ['text', () => model.toText()],
  ])('--format %s', (format, expected) => {
    expect(run(dir, '--format', format)).toEqual({ code: 0, out: expected(), err: '' });
    expect(run(`--format=${format}`, join(dir, 'checkout.k8s.yaml')).out).toBe(expected());
  });

  test('the command is listed by the dispatcher', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(main(['--help'])).toBe(0);
      expect(log.mock.calls[0][0]).toContain('explain   show the routing of Istio manifests, or where one request goes');
    } finally {
      log.mockRestore();
    }
  });
});

describe('--request', () => {
  test('a tester\'s header sends the request to v2', () => {
    expect(run(dir, '--host', HOST, '--request', 'header:X-Canary-User=true', '--request', 'method:POST', '--request', 'uri:/cart?step=2')).toEqual({
      code: 0,
      err: '',
      out: [
        `request: POST /cart?step=2 to ${HOST} from a sidecar; header x-canary-user: true`,
        'rule:    internal-canary-route (#1) of VirtualService prod/checkout-service-vs',
        'goes to: v2',
        'mirror:  -',
        '',
      ].join('\n'),
    });
  });

  test('the public split, and a user pinned by the version cookie', () => {
    expect(run(dir, `--host=${HOST}`, '--request=source:app=storefront').out)
      .toContain('rule:    public-traffic-split (#5) of VirtualService prod/checkout-service-vs\ngoes to: v1 95%, v2 5%\n');
    expect(run(dir, '--host', HOST, '--request', 'cookie:checkout-version=v2.0887a1').out).toContain('goes to: v2\n');
    // The cookie names the release: the subset name alone, as earlier versions of the library wrote it, pins nothing.
    expect(run(dir, '--host', HOST, '--request', 'cookie:checkout-version=v2').out).toContain('goes to: v1 95%, v2 5%\n');
    expect(run(dir, '--host', HOST, '--request', 'source:app=qa-tools', '--request', 'namespace:qa').out).toContain('rule:    internal-service-canary (#2)');
  });

  test('mirrored reads, and no route at a gateway the routes are not bound to', () => {
    const catalog = 'catalog-service.prod.svc.cluster.local';
    expect(run(dir, '--host', catalog, '--request', 'method:GET', '--request', 'port:80', '--request', 'scheme:http').out).toContain('mirror:  v2 10%\n');
    expect(run(dir, '--host', catalog, '--request', 'gateway:istio-system/public').out).toBe([
      `request: GET / to ${catalog} through gateway istio-system/public`,
      'rule:    no VirtualService applies',
      `goes to: 404 (NR): no VirtualService for ${catalog} is bound to gateway istio-system/public`,
      'mirror:  -',
      '',
    ].join('\n'));
  });

  test('as Markdown', () => {
    expect(run(dir, '--format', 'markdown', '--host', HOST).out).toBe([
      `- **request:** GET / to ${HOST} from a sidecar`,
      '- **rule:** public-traffic-split (#5) of VirtualService prod/checkout-service-vs',
      '- **goes to:** v1 95%, v2 5%',
      '- **mirror:** -',
      '',
    ].join('\n'));
  });

  test('a host the manifests do not route, or none when several are routed, is exit 2', () => {
    expect(run(dir, '--host', 'nope.prod.svc.cluster.local')).toMatchObject({ code: 2, out: '' });
    expect(run(dir, '--host', 'nope.prod.svc.cluster.local').err).toMatch(/^cdk8s-istio-traffic explain: no VirtualService or DestinationRule for host "nope.prod.svc.cluster.local"; the hosts are catalog-service/);
    expect(run(dir, '--request', 'method:GET').err).toMatch(/the request names no host and the routing has several: .*; set the request's host with --host\n$/);
  });
});

describe('usage errors exit 2 with the reason and the usage', () => {
  test.each([
    [[], 'name at least one file or directory of manifests'],
    [['DIR', '--format', 'yaml'], 'unknown format "yaml"; use text, markdown or mermaid'],
    [['DIR', '--format'], '--format needs a value'],
    [['DIR', '--verbose'], 'unknown option "--verbose"'],
    [['DIR', '--request', 'x-canary-user=true'], '--request "x-canary-user=true" is not KIND:VALUE, e.g. header:x-canary-user=true'],
    [['DIR', '--request', 'header:x-canary-user'], '--request "header:x-canary-user" needs NAME=VALUE after header:'],
    [['DIR', '--request', 'body:{}'], '--request "body:{}": unknown kind "body"'],
    [['DIR', '--request', 'method:'], '--request "method:" needs a value after method:'],
    [['DIR', '--request', 'port:http'], '--request port:http is not a port number'],
    [['DIR', '--format', 'mermaid', '--request', 'method:GET'], '--format mermaid draws the whole routing; leave out --request and --host, or use text or markdown'],
  ])('%j', (args, message) => {
    const result = run(...args.map((a) => a === 'DIR' ? dir : a));
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(`cdk8s-istio-traffic explain: ${message}`);
    expect(result.err).toContain('usage: cdk8s-istio-traffic explain PATH...');
  });

  test('a path that does not exist', () => {
    expect(run(join(dir, 'missing'))).toEqual({ code: 2, out: '', err: `cdk8s-istio-traffic explain: ${join(dir, 'missing')}: no such file or directory\n` });
  });

  test('--help documents the request syntax and exits 0', () => {
    const { code, out } = run('--help');
    expect(code).toBe(0);
    for (const part of ['header:NAME=VALUE', 'cookie:NAME=VALUE', 'source:KEY=VALUE', 'namespace:NAME', 'gateway:NS/NAME', 'method:METHOD', 'uri:PATH', 'port:NUMBER', 'scheme:SCHEME', '--host HOST']) {
      expect(out).toContain(part);
    }
  });
});
