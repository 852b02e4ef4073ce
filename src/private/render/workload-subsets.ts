import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import type { VersionServicesOptions } from '../../subsets';
import { failChild, q } from '../errors';

/** What `subsetsOfWorkloads` reads of `WorkloadSubsetsProps` (src/subsets.ts). */
interface Workloads {
  readonly service: IConstruct;
  readonly versions: { [subset: string]: IConstruct };
  readonly clusterDomain?: string;
  readonly versionServices?: boolean;
}

/** A subset read from a workload: its name and the labels of its pods (a `SubsetOptions`). */
interface WorkloadSubset {
  readonly name: string;
  readonly labels: { [key: string]: string };
}

/** The host and subsets that workloads define, read from their manifests. */
export function subsetsOfWorkloads(scope: IConstruct, id: string, props: Workloads):
{ host: string; subsets: WorkloadSubset[]; versionServices?: VersionServicesOptions } {
  const service = manifestOf(scope, id, 'service', props.service);
  if (service.kind !== 'Service') {
    failChild(scope, id, 'service', `${props.service.node.path} is a ${service.kind}, not a Service; pass the Service of the host`);
  }
  const selector: { [key: string]: string } = service.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) {
    failChild(scope, id, 'service', `Service ${q(service.metadata.name)} selects no pods; give it a selector (e.g. service.selectLabel('app', ...)) before building subsets from it`);
  }
  const host = `${service.metadata.name}.${service.metadata.namespace ?? 'default'}.svc.${props.clusterDomain ?? 'cluster.local'}`;

  const subsets = Object.keys(props.versions).sort().map((name): WorkloadSubset => {
    const workload = props.versions[name];
    const labels: { [key: string]: string } = manifestOf(scope, id, `versions[${q(name)}]`, workload).spec?.template?.metadata?.labels ?? {};
    const missing = Object.keys(selector).filter((key) => labels[key] !== selector[key]);
    if (missing.length > 0) {
      failChild(scope, id, `versions[${q(name)}]`, `the pods of ${workload.node.path} are not selected by Service ${q(service.metadata.name)}: they lack ${missing.map((k) => `${k}=${selector[k]}`).join(', ')}; add the labels to the pod template or fix the selector`);
    }
    const own = Object.fromEntries(Object.keys(labels).sort()
      .filter((key) => !(key in selector) && !key.startsWith('cdk8s.io/'))
      .map((key) => [key, labels[key]]));
    if (Object.keys(own).length === 0) {
      failChild(scope, id, `versions[${q(name)}]`, `the pods of ${workload.node.path} have no label besides the Service's selector, so nothing tells this version apart; add a label such as version: '${name}' to its pod template`);
    }
    return { name, labels: own };
  });
  // The version Services repeat the host Service's selector and ports as its manifest has them.
  const versionServices = props.versionServices ? { selector, ports: service.spec?.ports ?? [] } : undefined;
  return { host, subsets, versionServices };
}

function manifestOf(scope: IConstruct, id: string, field: string, construct: IConstruct): any {
  let object: ApiObject;
  try {
    object = ApiObject.of(construct);
  } catch {
    failChild(scope, id, field, `${construct.node.path} is not a Kubernetes object; pass a cdk8s-plus resource or an ApiObject`);
  }
  return object.toJson();
}
