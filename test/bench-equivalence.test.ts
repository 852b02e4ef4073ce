import { l1, l2, raw } from '../bench/services';
import * as library from '../src';

// The benchmark compares three ways of writing the same manifests; that is fair only if they are the same.
test('L2, L1 and raw write byte-identical YAML', () => {
  const count = 3;
  const fromL2 = l2(library, count).synthYaml();
  expect(l1(library, count).synthYaml()).toBe(fromL2);
  expect(raw(count)).toBe(fromL2);
  expect(fromL2.match(/^kind: (DestinationRule|VirtualService)$/gm)).toHaveLength(2 * count);
});
