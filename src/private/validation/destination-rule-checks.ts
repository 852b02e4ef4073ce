/** DestinationRule rules of Istio's webhook (`ValidateDestinationRule`), and two mistakes it lets through. */
import { checkExportTo, checkLabels } from './common-checks';
import { Report, entryPath } from './report';
import { checkServerVerification } from './tls-verification';
import { checkTrafficPolicy } from './traffic-policy-checks';
import { domainError, isDnsLabel, q, shortHostFinding } from './values';

/** A DestinationRule. `namespace` is the object's namespace, or `default` when it has none. */
export function checkDestinationRule(r: Report, manifest: any, namespace: string): void {
  const spec = r.obj(manifest.spec, 'spec') ?? {};
  const host = r.str(spec.host, 'spec.host') ?? '';
  const problem = domainError(host, true);
  if (problem !== undefined) {
    r.add('DR_HOST_INVALID', 'spec.host', problem);
  } else {
    r.addFinding('spec.host', shortHostFinding(host, 'DestinationRule'));
  }
  checkTrafficPolicy(r, spec.trafficPolicy, 'spec.trafficPolicy', namespace);
  checkServerVerification(r, spec);

  const names = new Set<string>();
  const selections = new Map<string, string>();
  r.list(spec.subsets, 'spec.subsets').forEach((entry, i) => {
    const field = `spec.subsets[${i}]`;
    if (entry === null) {
      r.add('DR_SUBSET_INVALID', field, 'the subset is empty (null); remove the entry or give it a name and labels');
      return;
    }
    const subset = r.obj(entry, field);
    if (subset === undefined) return;
    const name = r.str(subset.name, `${field}.name`) ?? '';
    if (names.has(name)) r.add('DR_SUBSET_DUPLICATE', `${field}.name`, `subset ${q(name)} is defined twice; give each subset its own name`);
    names.add(name);
    if (name === '') r.add('DR_SUBSET_INVALID', `${field}.name`, 'the subset has no name; name it, e.g. "v2"');
    else if (!isDnsLabel(name)) r.add('DR_SUBSET_INVALID', `${field}.name`, `${q(name)} is not a subset name; use a DNS label of letters, digits and '-', e.g. "v2"`);
    const labels = checkLabels(r, subset.labels, `${field}.labels`);
    if (labels.length === 0) {
      r.add('DR_SUBSET_NO_LABELS', `${field}.labels`, `subset ${q(name)} has no labels, so it selects every pod of the host; add the labels of its version, e.g. version: ${name || 'v2'}`);
    } else {
      const key = labels.map(([k, v]) => `${k}=${v}`).sort().join(',');
      const other = selections.get(key);
      if (other !== undefined) {
        r.add('DR_SUBSET_SAME_LABELS', `${field}.labels`, `subsets ${q(other)} and ${q(name)} select the same pods (${key}); give each version its own labels`);
      }
      selections.set(key, name);
    }
    checkTrafficPolicy(r, subset.trafficPolicy, `${field}.trafficPolicy`, namespace);
  });

  const selector = r.obj(spec.workloadSelector, 'spec.workloadSelector');
  checkExportTo(r, spec.exportTo, 'spec.exportTo', namespace, selector !== undefined);
  if (selector !== undefined) {
    const labels = r.stringMap(selector.matchLabels, 'spec.workloadSelector.matchLabels');
    for (const [key, value] of labels) {
      const at = entryPath('spec.workloadSelector.matchLabels', key);
      if (key === '') r.add('DR_WORKLOAD_SELECTOR_INVALID', at, 'a selector label has an empty key; name the label');
      if (key.includes('*') || value.includes('*')) r.add('DR_WORKLOAD_SELECTOR_INVALID', at, `${q(`${key}=${value}`)} holds a wildcard, which selectors do not support; write the exact label`);
    }
    if (labels.length === 0) {
      r.add('DR_WORKLOAD_SELECTOR_EMPTY', 'spec.workloadSelector', 'the workloadSelector has no matchLabels, so it selects every workload of the namespace; add labels, or remove it');
    }
  }
}
