/** `cdk8s-istio-traffic check`: in-process through main(), and as a real process for the exit codes. */
import { spawnSync } from 'child_process';
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { tempFolder } from './temp-folder';
import { CheckoutChart } from '../examples/checkout/checkout';
import { main } from '../src/cli';

const root = join(__dirname, '..');
const temp = tempFolder('check-', true);
const write = temp.write;

function run(...args: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => err.push(line));
  try {
    return { code: main(['check', ...args]), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews.shop.svc.cluster.local
  subsets: [{name: v1, labels: {version: v1}}]
`;

const VS = (name: string, subset: string, extra = '') => `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: ${name}, namespace: shop}
spec:
  hosts: [${name}.shop.svc.cluster.local]
  http:
  - route:
    - destination: {host: reviews.shop.svc.cluster.local, subset: ${subset}}${extra}
`;

describe('check', () => {
  test('prints one line per finding, ordered by file, object and field (a field before the fields inside it), and exits 1 on an error', () => {
    write('a/routes.yaml', `${VS('ratings', 'v2', '\n      weight: 60\n    - destination: {host: reviews.shop.svc.cluster.local, subset: v1}\n      weight: 50')}---\n${VS('details', 'v1')}`);
    write('b/rules.yml', DR.replace('[{name: v1, labels: {version: v1}}]', '[{name: v1, labels: {version: v1}}, {name: v9}]'));
    write('b/notes.txt', 'not yaml: [');
    const result = run(temp.dir);
    expect(result.out.split('\n')).toEqual([
      'WARNING VS_WEIGHT_SUM_NOT_100 VirtualService shop/ratings spec.http[0].route: the weights sum to 110; Istio splits by ratio, so the shares are 54.55%, 45.45%. Write them as percentages summing to 100',
      'ERROR XO_SUBSET_NOT_FOUND VirtualService shop/ratings spec.http[0].route[0].destination.subset: DestinationRule shop/reviews ("v1", "v9") has no subset "v2", so requests to it fail with 503 (NC, no cluster); fix the name or add the subset',
      'WARNING DR_SUBSET_NO_LABELS DestinationRule shop/reviews spec.subsets[1].labels: subset "v9" has no labels, so it selects every pod of the host; add the labels of its version, e.g. version: v9',
    ]);
    expect(result.err).toBe([
      '3 Istio objects checked: 1 error, 2 warnings, 0 info',
      'see: cdk8s-istio-traffic rules CODE, for CODE in XO_SUBSET_NOT_FOUND, VS_WEIGHT_SUM_NOT_100, DR_SUBSET_NO_LABELS',
    ].join('\n'));
    expect(result.code).toBe(1);
  });

  test('exits 0 with warnings only, ignores other kinds, and shows objects without a namespace in default', () => {
    const file = write('set.yaml', `${DR}---
apiVersion: v1
kind: Service
metadata: {name: reviews}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: bare}
spec:
  hosts: [bare]
  http:
  - match: [{headers: {X-User: {exact: beta}}}]
    route: [{destination: {host: reviews.shop.svc.cluster.local}}]
`);
    const result = run(file);
    expect(result.out.split('\n')).toEqual([
      'INFO HOST_SHORT_NAME VirtualService default/bare spec.hosts[0]: short name "bare" resolves in this VirtualService\'s namespace only; write it in full, e.g. "bare.<namespace>.svc.cluster.local"',
      'WARNING MATCH_HEADER_NAME_UPPERCASE VirtualService default/bare spec.http[0].match[0].headers["X-User"]: header names are case-insensitive and Envoy lowercases them; write "x-user" so the YAML reads as what is matched',
    ]);
    expect(result.err).toBe('2 Istio objects checked: 0 errors, 1 warning, 1 info\nsee: cdk8s-istio-traffic rules CODE, for CODE in MATCH_HEADER_NAME_UPPERCASE, HOST_SHORT_NAME');
    expect(result.code).toBe(0);
  });

  test('--format json prints the findings as an array with their file and the line their object starts on', () => {
    // 1.5ms: the CRD's CEL rule (at least 1ms) accepts it; Istio's webhook wants whole milliseconds.
    const file = write('routes.yaml', `${DR}---\n# the route\n${VS('ratings', 'v1', '\n    timeout: 1500us')}`);
    const result = run('--format', 'json', file);
    expect(JSON.parse(result.out)).toEqual([{
      severity: 'error',
      code: 'DURATION_INVALID',
      kind: 'VirtualService',
      namespace: 'shop',
      name: 'ratings',
      file,
      line: 9,
      field: 'spec.http[0].timeout',
      message: '"1500us" is not a whole number of milliseconds; Istio supports millisecond precision only',
    }]);
    expect(result.code).toBe(1);
    expect(JSON.parse(run('--format=json', write('empty.yaml', DR)).out)).toEqual([]);
  });

  test('malformed YAML: a message with file and line, exit 2', () => {
    const file = write('broken.yaml', `${DR}---\nkind: VirtualService\nspec:\n  hosts: [a, b\n`);
    const out: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => out.push(line));
    const code = main(['check', file]);
    error.mockRestore();
    expect(code).toBe(2);
    expect(out.join('\n')).toMatch(new RegExp(`^cdk8s-istio-traffic check: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: malformed YAML`));
  });

  test('reads YAML with the parser it bundles, not the one cdk8s ships: without that one, a file still checks', () => {
    const file = write('fine.yaml', DR);
    jest.isolateModules(() => {
      jest.doMock('module', () => ({
        ...jest.requireActual('module'),
        createRequire: () => () => {
          throw new Error("Cannot find module 'yaml'\nRequire stack: ...");
        },
      }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { main: isolatedMain } = require('../src/cli');
      const out: string[] = [];
      const error = jest.spyOn(console, 'error').mockImplementation((line: string) => out.push(line));
      const code = isolatedMain(['check', file]);
      error.mockRestore();
      expect(out.join('\n')).toBe('1 Istio object checked: 0 errors, 0 warnings, 0 info');
      expect(code).toBe(0);
    });
    jest.dontMock('module');
  });

  test.each([
    [[], /name at least one file or directory/],
    [['--format', 'xml', 'x.yaml'], /unknown format "xml"/],
    [['--strict', 'x.yaml'], /unknown option "--strict"/],
    [['--failure-threshold', 'fatal', 'x.yaml'], /check: unknown failure threshold "fatal"; use error, warning or info/],
    [['x.yaml', '--failure-threshold'], /check: --failure-threshold needs a value/],
    [['--suppress', 'XO_SUBSET_NOT_FOUN', 'x.yaml'], /check: --suppress "XO_SUBSET_NOT_FOUN": "XO_SUBSET_NOT_FOUN" is not a rule code; "npx cdk8s-istio-traffic rules" lists them/],
    [['--suppress=XO_SUBSET_NOT_FOUND=VirtualService/reviews', 'x.yaml'], /--suppress "XO_SUBSET_NOT_FOUND=VirtualService\/reviews": write CODE or CODE=Kind\/namespace\/name, e.g. XO_SUBSET_NOT_FOUND=VirtualService\/shop\/reviews/],
    [['--suppress', 'XO_SUBSET_NOT_FOUND=', 'x.yaml'], /--suppress "XO_SUBSET_NOT_FOUND=": write CODE or CODE=Kind\/namespace\/name/],
    [['--suppress', 'XO_SUBSET_NOT_FOUND=Gateway/shop/public', 'x.yaml'], /--suppress "XO_SUBSET_NOT_FOUND=Gateway\/shop\/public": "Gateway" is not a kind the check reads; use VirtualService or DestinationRule/],
    [['x.yaml', '--suppress'], /check: --suppress needs a value/],
  ])('bad arguments %j exit 2 with the usage', (args, message) => {
    const result = run(...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/usage: cdk8s-istio-traffic check/);
  });

  test('--help prints the usage and exits 0', () => {
    const result = run('--help');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/exit status: 0 no finding at or above the failure threshold \(by default: no errors\)/);
    expect(result.out).toMatch(/--failure-threshold LEVEL/);
    expect(result.out).toMatch(/--suppress CODE=Kind\/namespace\/name/);
  });

  test('the command is listed in the CLI usage', () => {
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((line: string) => out.push(line));
    main(['--help']);
    log.mockRestore();
    expect(out.join('\n')).toMatch(/check\s+check Istio VirtualServices and DestinationRules in YAML files or directories/);
  });
});

describe('check in CI: --failure-threshold and --suppress', () => {
  // A route with a weight warning, and a route to a subset no DestinationRule of the set defines (an error).
  const ROUTES = `${DR}---\n${VS('ratings', 'v1', '\n      weight: 60\n    - destination: {host: reviews.shop.svc.cluster.local, subset: v1}\n      weight: 50')}---\n${VS('details', 'v2')}`;
  // Warnings only, and an info (a short host): no error.
  const WARNINGS = `${DR}---\n${VS('ratings', 'v1', '\n      weight: 60\n    - destination: {host: reviews, subset: v1}\n      weight: 50')}`;

  test.each([
    ['error', 0],
    ['warning', 1],
    ['info', 1],
    ['Warning', 1],
  ])('warnings only, --failure-threshold %s: exit %d', (threshold, code) => {
    const file = write('warnings.yaml', WARNINGS);
    const result = run('--failure-threshold', threshold, file);
    expect(result.out.split('\n').map((line) => line.split(' ')[0])).toEqual(['WARNING', 'INFO']);
    expect(result.code).toBe(code);
    expect(run(file).code).toBe(0);
  });

  test('infos only fail at --failure-threshold info', () => {
    const file = write('info.yaml', `${DR}---\n${VS('ratings', 'v1').replace('host: reviews.shop.svc.cluster.local', 'host: reviews')}`);
    expect(run(file).out).toMatch(/^INFO HOST_SHORT_NAME /);
    expect(run('--failure-threshold=warning', file).code).toBe(0);
    expect(run('--failure-threshold=info', file).code).toBe(1);
  });

  test('--suppress CODE accepts every finding of the rule: not printed, not counted, not failing', () => {
    const file = write('routes.yaml', ROUTES);
    const before = run(file);
    expect(before.out).toMatch(/ERROR XO_SUBSET_NOT_FOUND VirtualService shop\/details /);
    expect(before.code).toBe(1);

    const result = run('--suppress', 'XO_SUBSET_NOT_FOUND', file);
    expect(result.out.split('\n')).toEqual([expect.stringMatching(/^WARNING VS_WEIGHT_SUM_NOT_100 VirtualService shop\/ratings /)]);
    expect(result.err).toBe('3 Istio objects checked: 0 errors, 1 warning, 0 info (1 suppressed)\nsee: cdk8s-istio-traffic rules VS_WEIGHT_SUM_NOT_100');
    expect(result.code).toBe(0);
    // Any case, as `rules CODE` takes it; JSON output leaves them out too.
    expect(JSON.parse(run('--format', 'json', '--suppress=xo_subset_not_found', file).out).map((f: any) => f.code)).toEqual(['VS_WEIGHT_SUM_NOT_100']);
  });

  test('--suppress CODE=Kind/namespace/name accepts the findings on that object only', () => {
    const file = write('routes.yaml', ROUTES);
    const result = run('--suppress', 'XO_SUBSET_NOT_FOUND=VirtualService/shop/details', file);
    expect(result.out.split('\n')).toEqual([expect.stringMatching(/^WARNING VS_WEIGHT_SUM_NOT_100 VirtualService shop\/ratings /)]);
    expect(result.code).toBe(0);

    const other = run('--suppress', 'XO_SUBSET_NOT_FOUND=VirtualService/shop/ratings', file);
    expect(other.out).toMatch(/^ERROR XO_SUBSET_NOT_FOUND VirtualService shop\/details /m);
    expect(other.code).toBe(1);
    // Objects without a namespace are named in "default", as the output shows them.
    const bare = write('bare.yaml', VS('bare', 'v9').replace(', namespace: shop', ''));
    expect(run('--suppress', 'XO_SUBSET_NOT_FOUND=virtualservice/default/bare', bare).code).toBe(0);
  });

  test('suppressions and the threshold together: the threshold counts what is left', () => {
    const file = write('routes.yaml', ROUTES);
    const args = ['--suppress', 'XO_SUBSET_NOT_FOUND', '--failure-threshold', 'warning', file];
    expect(run(...args).code).toBe(1);
    expect(run('--suppress', 'VS_WEIGHT_SUM_NOT_100', ...args).code).toBe(0);
  });
});

describe('the real process', () => {
  // The bin runs from source through tsx, so the test needs no build and proves what a user's shell sees.
  function cli(...args: string[]) {
    return spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'src', 'cli.ts'), 'check', ...args], { encoding: 'utf-8', timeout: 60_000 });
  }

  test('the checkout example synthesizes to manifests that pass (exit 0), and fail with a subset renamed (exit 1)', () => {
    const outdir = join(temp.dir, 'dist');
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new CheckoutChart(app, 'checkout');
    app.synth();
    const ok = cli(outdir);
    expect(ok.stdout).toBe('');
    expect(ok.status).toBe(0);

    const file = join(outdir, 'checkout.k8s.yaml');
    writeFileSync(file, readFileSync(file, 'utf-8').replace(/name: v2\n/, 'name: v2-canary\n'));
    const renamed = cli(outdir);
    expect(renamed.status).toBe(1);
    expect(renamed.stdout).toMatch(/^ERROR XO_SUBSET_NOT_FOUND VirtualService prod\/checkout-service-vs spec\.http\[0\]\.route\[0\]\.destination\.subset: DestinationRule prod\/checkout-service-dr \(.*\) has no subset "v2"/m);
  });

  test('unreadable input exits 2', () => {
    const missing = cli(join(temp.dir, 'nowhere'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nowhere: no such file or directory/);
  });
});
