/**
 * bundled/ is what the package runs the checker with (projenrc/bundle.ts builds it; jest's global setup did, just
 * before this run). These tests pin down that it is complete and faithful: each bundle loads as CommonJS and
 * works, each is credited with its licence, and the compact schema file is exactly the committed schemas
 * without their descriptions.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { BUNDLES, compactSchemas, schemaFiles } from '../projenrc/bundle';
import { celLibrary, crdSchemas, jsonSchemaLibrary, jsYamlLibrary } from '../src/private/bundled';

const bundled = join(__dirname, '..', 'bundled');

test('the compact schema file decodes to the committed schemas, minus every description', () => {
  const committed: { [key: string]: unknown } = {};
  for (const file of schemaFiles()) Object.assign(committed, JSON.parse(readFileSync(file, 'utf-8')).schemas);
  const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === 'description' ? undefined : x)));
  expect(crdSchemas()).toEqual(strip(committed));
  expect(compactSchemas()).toEqual(crdSchemas());
  expect(Object.keys(crdSchemas())).toEqual(expect.arrayContaining([
    'networking.istio.io/v1/VirtualService',
    'networking.istio.io/v1/DestinationRule',
  ]));
  expect(JSON.stringify(crdSchemas())).not.toContain('"description"');
});

test('the schema file keeps what validation needs: types, enums, required fields and CEL rules', () => {
  const text = JSON.stringify(crdSchemas());
  for (const keyword of ['"type"', '"enum"', '"required"', '"x-kubernetes-validations"', '"oneOf"']) {
    expect(text).toContain(keyword);
  }
});

test('the JSON-schema bundle validates', () => {
  const { Validator } = jsonSchemaLibrary();
  const v = new Validator({ type: 'object', properties: { weight: { type: 'integer' } } }, '7', false);
  expect(v.validate({ weight: 5 }).valid).toBe(true);
  expect(v.validate({ weight: '5' }).valid).toBe(false);
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
