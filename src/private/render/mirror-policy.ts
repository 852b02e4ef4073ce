import { IConstruct } from 'constructs';
import { VirtualServiceSpecHttp } from '../../imports/istio-networking.istio.io';
import { Mirroring } from '../../mirror-policy';
import { Subset } from '../../subsets';
import { checkPercentage } from '../checks';
import { fail, q } from '../errors';

/**
 * The mirror of a rule. `field` gives the path the user wrote of a part below the rule's `mirror` (`targets[0]`).
 */
export function mirroringToIstio(scope: IConstruct, field: (part: string) => string, mirroring: Mirroring): Partial<VirtualServiceSpecHttp> {
  const targets = mirroring.targets;
  if (targets.length === 0) {
    fail(scope, field('targets'), 'there are no mirror targets; name at least one subset, or leave mirror out');
  }
  const seen = new Set<Subset>();
  targets.forEach((target, i) => {
    if (target.percentage !== undefined) checkPercentage(scope, field(`targets[${i}].percentage`), target.percentage);
    if (seen.has(target.subset)) {
      fail(scope, field(`targets[${i}]`), `subset ${q(target.subset.name)} is a mirror target twice; list it once with the total percentage`);
    }
    seen.add(target.subset);
  });
  const destination = (subset: Subset) => ({ host: subset.host, subset: subset.name });
  const percentage = (value: number | undefined) => value === undefined ? undefined : { value };
  if (targets.length === 1) {
    return { mirror: destination(targets[0].subset), mirrorPercentage: percentage(targets[0].percentage) };
  }
  return { mirrors: targets.map((t) => ({ destination: destination(t.subset), percentage: percentage(t.percentage) })) };
}
