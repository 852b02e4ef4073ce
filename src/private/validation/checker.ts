/**
 * The checker's run over a set of manifests: each object alone, the API server's layer (schema and CEL rules)
 * first, then Istio's webhook rules, then the analyzers across them.
 */
import { analyze, Checked } from './analyzers';
import { checkMetadata } from './common-checks';
import { checkDestinationRule } from './destination-rule-checks';
import { DEFAULT_ROOT_NAMESPACE } from './destination-rule-lookup';
import { httpRouteFindings } from './http-route-checks';
import { Report } from './report';
import { alreadyReported, apiServerFindings, FieldFinding } from './schema-check';
import { checkVirtualService } from './virtual-service-checks';
import { Finding } from '../../validation/finding';
import { isHttpRoute, isKubernetesGateway, isService } from '../manifest-kinds';

const API_VERSIONS = ['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1alpha3'];
// Gateways are read for the analyzers (which gateways exist, which hosts they serve); only their metadata is checked.
const KINDS = ['VirtualService', 'DestinationRule', 'Gateway'];

/** Whether a manifest is a VirtualService, DestinationRule or Gateway of a checked API version. */
function isIstioObject(manifest: any): boolean {
  return manifest !== null && typeof manifest === 'object' && API_VERSIONS.includes(manifest.apiVersion) && KINDS.includes(manifest.kind);
}

/** Whether the checker checks a manifest: an Istio object or an HTTPRoute. */
export function isCheckedObject(manifest: any): boolean {
  return isIstioObject(manifest) || isHttpRoute(manifest);
}

/**
 * The checker's findings for a set of manifests, in the order they were found. `rootNamespace` is Istio's
 * (meshConfig.rootNamespace), where mesh-wide DestinationRules live. `apiServer: false` leaves out the API
 * server's layer (tests use it to see what Istio's webhook rules alone find, as `istioctl validate` would).
 */
export function checkManifests(manifests: any[], options: { readonly apiServer?: boolean; readonly rootNamespace?: string } = {}): Finding[] {
  const rootNamespace = options.rootNamespace ?? DEFAULT_ROOT_NAMESPACE;
  const out: Finding[] = [];
  const objects: Checked[] = [];
  // What the API server rejects, by object, and the findings that say so.
  const rejected = new Map<number, FieldFinding[]>();
  const apiServer = new Set<Finding>();
  const otherGateways = new Set<string>();
  manifests.forEach((manifest, index) => {
    if (isKubernetesGateway(manifest)) otherGateways.add(`${manifest.metadata?.namespace || 'default'}/${manifest.metadata?.name}`);
    const service = isService(manifest);
    if (!isCheckedObject(manifest) && !service) return;
    const metadata = manifest.metadata !== null && typeof manifest.metadata === 'object' ? manifest.metadata : {};
    const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : undefined;
    const name = typeof metadata.name === 'string' ? metadata.name : typeof metadata.generateName === 'string' ? metadata.generateName : '';
    const report = new Report({ kind: manifest.kind, namespace, name, index }, out);
    // An object without a namespace lands in the namespace it is applied to; `default` is kubectl's default.
    const effective = namespace ?? 'default';
    if (service) {
      objects.push({ kind: 'Service', manifest, namespace: effective, report });
      return;
    }
    if (options.apiServer !== false) {
      const found = apiServerFindings(manifest);
      for (const { field, finding } of found) report.addFinding(field, finding);
      for (let i = out.length - found.length; i < out.length; i++) apiServer.add(out[i]);
      if (found.length > 0) rejected.set(index, found);
    }
    report.str(metadata.namespace, 'metadata.namespace');
    if (isHttpRoute(manifest)) {
      checkMetadata(report, manifest, false);
      for (const { field, finding } of httpRouteFindings(manifest.spec)) report.addFinding(field, finding);
      objects.push({ kind: 'HTTPRoute', manifest, namespace: effective, report });
      return;
    }
    checkMetadata(report, manifest);
    if (manifest.kind === 'VirtualService') checkVirtualService(report, manifest, effective);
    else if (manifest.kind === 'DestinationRule') checkDestinationRule(report, manifest, effective);
    objects.push({ kind: manifest.kind, manifest, namespace: effective, report });
  });
  analyze(objects, otherGateways, rootNamespace);
  const seen = new Set<string>();
  return out
    // A value the API server rejects is reported once: the webhook never sees it, nor what it holds.
    .filter((f) => apiServer.has(f) || !alreadyReported(rejected.get(f.index) ?? [], f.field))
    .filter((f) => {
      const key = `${f.index}\n${f.code}\n${f.field}\n${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.index - b.index || compareFields(a.field, b.field) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message));
}

/** Orders field paths so that `http[2]` comes before `http[10]`. */
export function compareFields(a: string, b: string): number {
  const split = (s: string) => s.split(/(\d+)/);
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const numeric = i % 2 === 1;
    return numeric ? Number(pa[i]) - Number(pb[i]) : pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}
