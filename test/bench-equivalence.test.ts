import { JsonPatch } from 'cdk8s';
import { l1, l2, raw } from '../bench/services';
import * as library from '../src';

// The benchmark compares several ways of writing the same manifests; that is fair only if they are the same.
test('L2, L1 (with and without the rule engine) and raw write byte-identical YAML', () => {
  const count = 3;
  const fromL2 = l2(library, count).synthYaml();
  expect(l1(library, count).synthYaml()).toBe(fromL2);
  expect(l1(library, count, true).synthYaml()).toBe(fromL2);
  expect(raw(count)).toBe(fromL2);
  expect(fromL2.match(/^kind: (DestinationRule|VirtualService)$/gm)).toHaveLength(2 * count);
});

test('the checked L1 variant runs the rule engine, as the L2 constructs do', () => {
  const app = l1(library, 2, true);
  expect(library.IstioChecker.findings(app).filter((f) => f.severity !== library.Severity.INFO)).toEqual([]);
  // A subset no DestinationRule defines fails its synth, as it would fail the L2 app's.
  const broken = l1(library, 1, true);
  const vs = broken.node.findAll().find((c) => c.node.id === 'svc-0-vs') as library.istio.VirtualService;
  vs.addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/destination/subset', 'v3'));
  expect(() => broken.synthYaml()).toThrow(/\[bench\/svc-0-vs\] XO_SUBSET_NOT_FOUND/);
  const unchecked = l1(library, 1);
  (unchecked.node.findAll().find((c) => c.node.id === 'svc-0-vs') as library.istio.VirtualService)
    .addJsonPatch(JsonPatch.replace('/spec/http/0/route/0/destination/subset', 'v3'));
  expect(unchecked.synthYaml()).toContain('subset: v3');
});
