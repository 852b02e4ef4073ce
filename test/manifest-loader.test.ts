/**
 * The CLI's manifest loader reads YAML with js-yaml (several times faster than the `yaml` package's document
 * API, which it used before). It must read what the old loader read: the same objects, each with the line its
 * document starts on, on the corpus, the example's output, the benchmark's workload and tricky YAML; and where
 * the two differ (explicit tags outside YAML's core schema, non-string keys), the difference is written here.
 */
import { readdirSync, readFileSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';
import { App, YamlOutputType } from 'cdk8s';
import type * as Yaml from 'yaml';
import { tempFolder } from './temp-folder';
import { raw } from '../bench/services';
import { CheckoutChart } from '../examples/checkout/checkout';
import { loadManifests, ManifestReadError } from '../src/cli/manifests';

// The loader as it was, with the yaml parser cdk8s ships: the reference the new one is compared with.
const yaml: typeof Yaml = createRequire(require.resolve('cdk8s'))('yaml');

function oldLoad(file: string): { file: string; line: number; object: any }[] {
  const lines = new yaml.LineCounter();
  const out: { file: string; line: number; object: any }[] = [];
  for (const doc of yaml.parseAllDocuments(readFileSync(file, 'utf-8'), { lineCounter: lines })) {
    const error = doc.errors[0];
    if (error) throw new Error(`${file}:${error.linePos?.[0].line}:${error.linePos?.[0].col}: ${error.message}`);
    const object = doc.toJS();
    if (object === null || object === undefined) continue;
    const line = lines.linePos(doc.contents?.range?.[0] ?? 0).line;
    if (typeof object !== 'object' || Array.isArray(object)) throw new Error(`${file}:${line}: not an object`);
    const items = object.kind === 'List' && Array.isArray(object.items) ? object.items : [object];
    out.push(...items.map((item: any) => ({ file, line, object: item })));
  }
  return out;
}

const temp = tempFolder('loader-');
const write = temp.write;

/** The loader's result, with values compared strictly (-0 is not 0, 1 is not "1"), equal to the old loader's. */
function expectSameAsBefore(files: string[]): void {
  const loaded = files.flatMap((f) => loadManifests([f]));
  const before = files.flatMap(oldLoad);
  expect(loaded.map((m) => `${m.file}:${m.line}`)).toEqual(before.map((m) => `${m.file}:${m.line}`));
  loaded.forEach((m, i) => {
    if (!isDeepStrictEqual(m.object, before[i].object)) expect(m.object).toStrictEqual(before[i].object);
  });
}

// Documents and lines: comments before and after the marker, content on the marker's line, empty documents,
// `...` ends, a directive, a List, indented text that looks like a marker, CRLF line ends, anchors and aliases.
const TRICKY = `# a comment before the first document
apiVersion: v1
kind: ConfigMap
metadata: {name: first}
data:
  script: |
    ---
    not a document marker: indented
  folded: >-
    one
    two
---
---
# only a comment
---

# the content starts below these comments
# and this one
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: &name reviews
  labels: {app: *name, "quoted key": 'it''s', empty: "", tilde: ~, unicode: "caf\\u00e9 \\U0001F600"}
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
      weight: 100
    timeout: 10s
...
--- {apiVersion: v1, kind: Service, metadata: {name: flow}}
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Service, metadata: {name: item-1}}
- apiVersion: v1
  kind: Service
  metadata: {name: item-2}
...
%YAML 1.2
---
apiVersion: v1
kind: Service
metadata:
  name: after-directive
  annotations:
    numbers: "1"
spec:
  ports:
  - {port: 0x50, targetPort: 0o17, nodePort: +30080}
  ratio: [.5, 5., 1e3, -0, -0.0, .inf, -.inf, .NaN, 9007199254740993]
  flags: [true, True, TRUE, false, yes, no, on, off, y, n]
  nulls: [null, Null, NULL, ~, !!null '']
  strings: [0755, 0O755, 0X1F, 1_000, 12:30, 2001-12-14, tRue, nUll, +0x1F, -0o7, 0b101, '010']
`;

describe('the loader reads what it read before', () => {
  test('the corpus', () => {
    const corpus = join(__dirname, 'corpus');
    const files = readdirSync(corpus).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(corpus, f));
    expect(files.length).toBeGreaterThan(5);
    expectSameAsBefore(files);
  });

  test('the checkout example, as cdk8s writes it', () => {
    const outdir = join(temp.dir, 'example');
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    new CheckoutChart(app, 'checkout');
    app.synth();
    const files = readdirSync(outdir).map((f) => join(outdir, f));
    expect(loadManifests([outdir]).length).toBeGreaterThan(5);
    expectSameAsBefore(files);
  });

  test("the benchmark's workload", () => {
    const file = write('bench.yaml', raw(50));
    expect(loadManifests([file])).toHaveLength(100);
    expectSameAsBefore([file]);
  });

  test('tricky documents, lines and scalars, with LF and with CRLF line ends, and a byte order mark', () => {
    const lf = write('tricky.yaml', TRICKY);
    const crlf = write('tricky-crlf.yaml', TRICKY.replace(/\n/g, '\r\n'));
    const bom = write('tricky-bom.yaml', `\ufeff${TRICKY}`);
    expectSameAsBefore([lf, crlf, bom]);
    const loaded = loadManifests([lf]);
    expect(loaded.map((m) => [m.line, m.object.metadata.name])).toEqual([
      [2, 'first'], [19, 'reviews'], [32, 'flow'], [34, 'item-1'], [34, 'item-2'], [44, 'after-directive'],
    ]);
    const spec = loaded[5].object.spec;
    expect(spec.ports).toEqual([{ port: 80, targetPort: 15, nodePort: 30080 }]);
    expect(spec.ratio).toStrictEqual([0.5, 5, 1000, -0, -0, Infinity, -Infinity, NaN, 9007199254740992]);
    expect(spec.flags).toEqual([true, true, true, false, 'yes', 'no', 'on', 'off', 'y', 'n']);
    expect(spec.nulls).toEqual([null, null, null, null, null]);
    expect(spec.strings).toEqual([755, '0O755', '0X1F', '1_000', '12:30', '2001-12-14', 'tRue', 'nUll', '+0x1F', '-0o7', '0b101', '010']);
  });

  test('plain scalars resolve as in YAML 1.2 core schema, where js-yaml\'s own CORE_SCHEMA differs', () => {
    const values = ['-0x1F', '+0x1F', '-0o7', '0b101', '+.5', '-.5', '1e400', '-1e400', '1.', '.5e-3', '00', '+0', '0o', '0x', '.', '+'];
    const file = write('scalars.yaml', `apiVersion: v1\nkind: Scalars\nvalues:\n${values.map((v) => `- ${v}\n`).join('')}`);
    expectSameAsBefore([file]);
    expect(loadManifests([file])[0].object.values).toStrictEqual(['-0x1F', '+0x1F', '-0o7', '0b101', 0.5, -0.5, Infinity, -Infinity, 1, 0.0005, 0, 0, '0o', '0x', '.', '+']);
  });
});

describe('where the loader differs from the old one', () => {
  test('an explicit tag outside the core schema keeps the value as written (the old loader built a Buffer or a Date)', () => {
    const file = write('tags.yaml', 'apiVersion: v1\nkind: Tags\nbinary: !!binary aGVsbG8=\nstamp: !!timestamp 2001-12-14\nlocal: !custom 5\nlist: !custom [1, 2]\nmap: !custom {a: 1}\nset: !!set {a, b}\nfloat: !!float 1\n');
    expect(loadManifests([file])[0].object).toEqual({
      apiVersion: 'v1', kind: 'Tags', binary: 'aGVsbG8=', stamp: '2001-12-14', local: '5', list: [1, 2], map: { a: 1 }, set: { a: null, b: null }, float: 1,
    });
    expect(oldLoad(file)[0].object.binary).toBeInstanceOf(Uint8Array);
  });

  test('a tag or an anchor on its own line before a document\'s root: the line of the tag (the old loader gave the next)', () => {
    const file = write('root-tag.yaml', 'kind: A\n--- !!map\nkind: B\n---\n&root\nkind: C\n');
    expect(loadManifests([file]).map((m) => m.line)).toEqual([1, 2, 5]);
    expect(oldLoad(file).map((m) => m.line)).toEqual([1, 3, 6]);
  });

  test('a null or collection key becomes its JavaScript string; a key written as both 1 and "1" is a duplicate', () => {
    const file = write('keys.yaml', 'apiVersion: v1\nkind: Keys\n~: a\n[x, y]: b\n1: c\n');
    expect(loadManifests([file])[0].object).toEqual({ 'apiVersion': 'v1', 'kind': 'Keys', 'null': 'a', 'x,y': 'b', '1': 'c' });
    expect(oldLoad(file)[0].object).toEqual({ 'apiVersion': 'v1', 'kind': 'Keys', '': 'a', '[ x, y ]': 'b', '1': 'c' });
    expect(() => loadManifests([write('dup.yaml', 'kind: A\n1: a\n"1": b\n')])).toThrow(/dup\.yaml:3:\d+: malformed YAML: duplicated mapping key/);
  });
});

describe('unreadable input', () => {
  test.each([
    ['an unclosed flow sequence', 'kind: A\n---\nkind: B\nspec:\n  hosts: [a, b\n', '6:1', 'unexpected end of the stream within a flow collection'],
    ['a duplicate key', 'kind: A\nmetadata:\n  name: x\n  name: y\n', '4:3', 'duplicated mapping key'],
    ['a bad indentation', 'spec:\n  a: 1\n   b: 2\n', '3:5', 'bad indentation of a mapping entry'],
    ['a tab as indentation', 'spec:\n\ta: 1\n', '2:1', 'tab characters must not be used in indentation'],
    ['an unknown alias', 'kind: A\nname: *nope\n', '2:12', 'unidentified alias "nope"'],
    ['an unclosed quote', 'kind: "A\nb: 2\n', '3:1', 'unexpected end of the stream within a double quoted scalar'],
  ])('%s: file:line:col and the parser\'s reason', (_name, text, at, reason) => {
    const file = write('bad.yaml', text);
    expect(() => loadManifests([file])).toThrow(new ManifestReadError(`${file}:${at}: malformed YAML: ${reason}`));
  });

  test('a document that is not a mapping: file and line, as before', () => {
    const file = write('list.yaml', 'kind: A\n---\n# a list\n- a\n- b\n');
    expect(() => loadManifests([file])).toThrow(new ManifestReadError(`${file}:4: expected a Kubernetes object (a mapping with apiVersion and kind), found a list`));
    expect(() => oldLoad(file)).toThrow(`${file}:4: not an object`);
    const scalar = write('scalar.yaml', 'hello\n');
    expect(() => loadManifests([scalar])).toThrow(new ManifestReadError(`${scalar}:1: expected a Kubernetes object (a mapping with apiVersion and kind), found string`));
  });

  test('directories are walked in sorted order, for .yaml and .yml files only', () => {
    write('walk/b/two.yml', 'kind: B\n');
    write('walk/a.yaml', 'kind: A\n');
    write('walk/c.json', '{"kind": "C"}');
    write('walk/b/one.yaml', 'kind: B1\n');
    expect(loadManifests([join(temp.dir, 'walk')]).map((m) => m.object.kind)).toEqual(['A', 'B1', 'B']);
  });
});
