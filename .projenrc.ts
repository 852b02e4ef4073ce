import { cdk8s, javascript } from 'projen';

const REPOSITORY = 'https://github.com/cdk8s-istio-traffic/cdk8s-istio-traffic';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-istio-traffic',
  description:
    'Typed, correct-by-construction Istio traffic shaping for canary releases: subsets, composite routes, mirroring and sticky splits for cdk8s',
  keywords: ['cdk8s', 'istio', 'canary', 'virtualservice', 'destinationrule', 'traffic-shifting', 'service-mesh'],
  license: 'Apache-2.0',
  author: 'Seed 2f8c21e3 maintainers',
  authorAddress: 'maintainers@users.noreply.h-seed-2f8c21e3.example',
  // The GitHub organization the Maven groupId (io.github.cdk8s-istio-traffic) and the Go module name follow.
  repositoryUrl: REPOSITORY,
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Without an explicit version projen writes cdk8s v1.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',

  // No GitHub and no publishing registries are reachable from this workplace.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // The CLI reads YAML manifests with the bundled js-yaml (bundled/, src/cli/manifests.ts); yaml is a dev
  // dependency for the import task, the tests and the bench.
  bin: { 'cdk8s-istio-traffic': 'lib/cli.js' },

  devDeps: [
    // jsii 6 compiles with TypeScript 6; ts-jest and eslint use the same compiler.
    'typescript@~6.0.0',
    'yaml@^2',
    '@types/node@^20',
    'cdk8s-cli@^2.200.0',
    'tsx@^4',
    // Tests validate every synthesized manifest against the CRDs' OpenAPI schemas.
    'ajv@^8',
    // Property tests of the constructs' output.
    'fast-check@^4',
    // cdk8s-plus interop is tested against the real library (it stays out of the runtime dependencies).
    'cdk8s-plus-33@^2',
    // Prometheus' own PromQL grammar: every test run parses the queries the library writes, promtool or not.
    '@prometheus-io/lezer-promql@^0.315.0',
    // The API-server layer of the checker: the CRDs' CEL rules (@marcbachmann/cel-js; tests cross-check every rule
    // against Buf's conformance-tested @bufbuild/cel) and a fast YAML reader for `check` (js-yaml), which
    // projenrc/bundle.ts bundles into bundled/, so the package has no runtime dependency; see "Package size" in
    // BENCHMARKS.md. The OpenAPI schemas are compiled into checks by the library itself
    // (src/private/validation/schema-compiler.ts); @cfworker/json-schema is the tests' oracle for that compiler.
    // esbuild bundles bundled/ and lib/ (projenrc/shrink-lib.ts).
    '@cfworker/json-schema@^4.1.6',
    '@marcbachmann/cel-js@^8.0.0',
    'js-yaml@^4',
    '@types/js-yaml@^4',
    '@bufbuild/cel@^0.6.1',
    'esbuild@^0.28.2',
  ],

  // Inline source maps would triple the size of lib/ in the package for no user benefit.
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },

  npmignoreEnabled: true,
  gitignore: ['/examples/*/dist/', '/imports/.work/', '/bundled/'],

  jestOptions: {
    // `npm test` never rewrites a snapshot; `npm run test:update` does, on purpose.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/', '/bundled/'],
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/dist/'],
      // The run gets a temporary directory of its own, removed at the end (Testing.app() makes one per
      // chart), and says once whether promtool's tests run.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
      // jest's transform cache lives with the install, not in the shared temp directory.
      cacheDirectory: '<rootDir>/node_modules/.cache/jest',
      // One worker per core: jest's default leaves one core to its main process, which only waits (on the
      // 2-core CI machine that halves the suite: 282 s with one worker, 129 s with two, on a fresh clone).
      maxWorkers: '100%',
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'imports', 'bench', 'projenrc'],
    ignorePatterns: ['src/imports/'],
  },
});

// bundled/: the checker's third-party code (JSON schema, CEL, YAML) as one minified file each, their licences and
// the CRD schemas without descriptions, built by projenrc/bundle.ts before compile, before the example and in
// jest's global setup. src/private/bundled.ts loads them from src/ and lib/ by the same relative path.
const bundle = project.addTask('bundle', {
  description: 'Build bundled/ (third-party code and CRD schemas the checker runs with)',
  exec: 'tsx projenrc/bundle.ts',
});
project.preCompileTask.spawn(bundle);
// The compiled .js files are minified and the declarations no public type reaches are dropped (the public .d.ts
// files and .jsii keep the docs); see projenrc/shrink-lib.ts.
project.compileTask.exec('tsx projenrc/shrink-lib.ts');

// The package publishes an allow-list: the compiled library, bundled/ and .jsii (npm adds package.json, README and
// LICENSE), so a stray file in the working folder is never published. .npmignore stays as a second fence.
// API.md stays in the repository: Construct Hub and jsii-docgen render the reference from .jsii, and 37 kB of
// the package's 300 kB budget is better spent on the checker.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', 'bundled/*.js', 'bundled/*.json.br', 'bundled/THIRD-PARTY-NOTICES.txt', '.jsii']);
project.npmignore?.exclude('/examples/', '/imports/', '/.ci/', '/test/', '/docs/', '/bench/', '/BENCHMARKS.md');
// The package's API is its main entry: no deep import of lib/... (helpers live in lib/private/). The CLI's file
// stays reachable for `npx`, package.json and the jsii assembly for tools that read them.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './lib/cli.js': './lib/cli.js',
  './package.json': './package.json',
  './.jsii': './.jsii',
});

// jsii targets for Python, Java, .NET and Go. Their registries are out of reach here, so no publishing and no
// package:<language> tasks: `bindings` generates each language's code offline (jsii-pacmak --code-only) to
// prove the API translates, and the build runs it.
project.package.file.addOverride('jsii.targets', {
  python: { distName: 'cdk8s-istio-traffic', module: 'cdk8s_istio_traffic' },
  java: { package: 'io.github.cdk8s_istio_traffic', maven: { groupId: 'io.github.cdk8s-istio-traffic', artifactId: 'cdk8s-istio-traffic' } },
  dotnet: { namespace: 'Cdk8sIstioTraffic', packageId: 'Cdk8sIstioTraffic' },
  go: { moduleName: `${REPOSITORY.replace(/^https:\/\//, '')}-go` },
});
const bindings = project.addTask('bindings', {
  description: 'Generate the Python, Java, .NET and Go bindings as code (offline) into dist/bindings',
  steps: [
    { exec: 'jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir dist/bindings' },
    // The one binding whose compiler is on every machine here: at least prove the Python is valid Python.
    { exec: 'python3 -m compileall -q dist/bindings/python/src' },
  ],
});
project.packageTask.spawn(bindings);

// npm ci against this registry needs the older resolver (some @unrs/resolver-binding-*@1.13.0 are missing).
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// jsii prints a long banner on Node 20; the machines here run Node 20 on purpose.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// API.md documents the hand-written constructs only. The generated L1 types are exported as the `istio`
// submodule for escape hatches; their reference is Istio's own, and 450 kB of it would bury ours.
project.tasks.tryFind('docgen')!.reset('jsii-docgen -o API.md --submodule root');

// Generated L1 types: committed, never edited by hand, skipped by lint and coverage.
project.gitattributes.addAttributes('/src/imports/**', 'linguist-generated');

// `npx projen import -- --crd istio=PATH` regenerates src/imports (types and schemas) from a copy of the pinned
// CRD file that imports/istio.json names; likewise prometheus-operator. It is deliberately not part of compile:
// the build and the tests read only the committed output, never a CRD file or the network.
project.addTask('import', {
  description: 'Generate src/imports (L1 types and OpenAPI schemas) from pinned CRD files: import -- --crd SOURCE=PATH',
  steps: [{ exec: 'tsx imports/import.ts', receiveArgs: true }],
});

// `npm run bench`: synthesis cost per service against L1 and raw YAML (not part of `npm test`).
project.addTask('bench', {
  description: 'Benchmark synthesis (writes the table printed into BENCHMARKS.md)',
  steps: [{ spawn: 'compile' }, { exec: 'tsx bench/run.ts' }],
});
project.package.setScript('bench', 'projen bench');
// `npx projen bench:check`: only the check benchmark (check against a plain js-yaml loadAll), about a minute.
project.addTask('bench:check', {
  description: 'Benchmark `check` against js-yaml loadAll (writes its table into BENCHMARKS.md)',
  steps: [{ spawn: 'compile' }, { exec: 'tsx bench/check.ts' }],
});

// The guides in docs/ show the YAML their programs write; this rewrites those blocks after a deliberate change.
project.addTask('docs:update', {
  description: 'Rewrite the YAML blocks of docs/*.md from their programs',
  env: { UPDATE_DOCS: '1' },
  exec: 'jest --ci --coverage=false test/docs.test.ts',
});
project.package.setScript('docs:update', 'projen docs:update');

// The README's main job: synthesize the bundled example app to YAML.
project.addTask('example', {
  description: 'Synthesize examples/checkout to examples/checkout/dist',
  steps: [{ spawn: bundle.name }, { exec: 'cdk8s synth --no-check-upgrade', cwd: 'examples/checkout' }],
});
project.package.setScript('example', 'projen example');

// Examples and the import script get tsconfigs of their own, so that eslint's project service finds them and
// `typecheck` checks them. ts-jest only transpiles (isolatedModules), so the tests are type-checked here too.
for (const dir of ['examples', 'imports', 'bench']) {
  new javascript.TypescriptConfig(project, {
    fileName: `${dir}/tsconfig.json`,
    extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
    include: ['**/*.ts'],
    compilerOptions: { noEmit: true, rootDir: '..' },
  });
}
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples and scripts (jsii checks src)',
  steps: ['test', 'examples', 'imports', 'bench'].map((dir) => ({ exec: `tsc --noEmit -p ${dir}/tsconfig.json` })),
});
project.testTask.prependSpawn(typecheck);

project.synth();
