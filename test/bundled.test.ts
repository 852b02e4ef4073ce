/**
 * bundled/ is what the package runs the checker with (projenrc/bundle.ts builds it; jest's global setup did, just
 * before this run). These tests pin down that it is complete and faithful: each bundle loads as CommonJS and
 * works, each is credited with its licence, and the compact schema file is exactly the committed schemas
 * without their descriptions.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { brotliDecompressSync } from 'zlib';
import { BUNDLES, compactSchemas, compressed, schemaFiles } from '../projenrc/bundle';
import { celLibrary, crdSchemas, ruleDocumentation, jsYamlLibrary } from '../src/private/bundled';
import { RULE_DOCS, SOURCES } from '../src/private/validation/catalog-docs';

const bundled = join(__dirname, '..', 'bundled');

test('the compact schema file decodes to the committed schemas, minus every description, and their aliases', () => {
  const committed: { [key: string]: unknown } = {};
  const aliases: { [key: string]: string } = {};
  for (const file of schemaFiles()) {
    const content = JSON.parse(readFileSync(file, 'utf-8'));
    Object.assign(committed, content.schemas);
    Object.assign(aliases, content.aliases);
  }
  const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'description' ? undefined : x)));
  expect(compactSchemas()).toEqual({ schemas: strip(committed), aliases });
  const stripped = strip(committed) as { [key: string]: unknown };
  expect(crdSchemas()).toEqual({ ...stripped, ...Object.fromEntries(Object.entries(aliases).map(([alias, key]) => [alias, stripped[key]])) });
  expect(Object.keys(crdSchemas())).toEqual(expect.arrayContaining([
    'networking.istio.io/v1/VirtualService',
    'networking.istio.io/v1/DestinationRule',
  ]));
  expect(JSON.stringify(crdSchemas())).not.toContain('"description"');
});

test('the other served Istio versions share the v1 schema object, so it is compiled once', () => {
  const schemas = crdSchemas();
  for (const kind of ['VirtualService', 'DestinationRule']) {
    for (const version of ['v1beta1', 'v1alpha3']) {
      expect(schemas[`networking.istio.io/${version}/${kind}`]).toBe(schemas[`networking.istio.io/v1/${kind}`]);
    }
  }
});

test('the schema file keeps what validation needs: types, enums, required fields and CEL rules', () => {
  const text = JSON.stringify(crdSchemas());
  for (const keyword of ['"type"', '"enum"', '"required"', '"x-kubernetes-validations"', '"oneOf"']) {
    expect(text).toContain(keyword);
  }
});

test('no JSON-schema validator is bundled: the checker compiles the schemas itself (schema-compiler.ts)', () => {
  expect(BUNDLES.map((b) => b.pkg)).not.toContain('@cfworker/json-schema');
  expect(readdirSync(bundled).filter((f) => f.endsWith('.js')).sort()).toEqual(BUNDLES.map((b) => b.file).sort());
});

test('the data files are brotli-compressed JSON; the rules\' documentation is catalog-docs.ts\'s, and out of the library\'s code', () => {
  const decode = (file: string) => JSON.parse(brotliDecompressSync(readFileSync(join(bundled, file))).toString('utf-8'));
  expect(decode('rule-docs.json.br')).toEqual({ docs: RULE_DOCS, sources: SOURCES });
  expect(ruleDocumentation()).toEqual({ docs: RULE_DOCS, sources: SOURCES });
  expect(decode('crd-schemas.json.br')).toEqual(compactSchemas());
  // Compressing is deterministic: the same schemas always make the same bytes.
  expect(compressed('{"a":1}').equals(compressed('{"a":1}'))).toBe(true);
});

test('the CEL bundle evaluates the kinds of rule the CRDs hold', () => {
  const { Environment } = celLibrary();
  const env = new Environment({ unlistedVariablesAreDyn: true });
  expect(env.evaluate("duration(self) >= duration('1ms')", { self: '500us' })).toBe(false);
  expect(env.evaluate("duration(self) >= duration('1ms')", { self: '2s' })).toBe(true);
  expect(env.evaluate('self.all(key, !key.contains("*"))', { self: new Map([['a*', 'x']]) })).toBe(false);
});

test('the YAML bundle reads every document of a stream', () => {
  expect(jsYamlLibrary().loadAll('a: 1\n---\nb: [2]\n')).toEqual([{ a: 1 }, { b: [2] }]);
});

test.each(BUNDLES.map((b) => [b.pkg, b.file]))('%s is bundled as bundled/%s and credited with its licence', (pkg, file) => {
  const text = readFileSync(join(bundled, file), 'utf-8');
  // Self-contained CommonJS: no require of the package or of anything outside Node.
  const requires = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  expect(requires.filter((r) => !r.startsWith('node:') && !['fs', 'path', 'url', 'util'].includes(r))).toEqual([]);
  const notices = readFileSync(join(bundled, 'THIRD-PARTY-NOTICES.txt'), 'utf-8');
  expect(notices).toMatch(new RegExp(`${pkg.replace('/', '\\/')}@\\d+\\.\\d+\\.\\d+ \\(MIT\\) -> bundled/${file}`));
});
