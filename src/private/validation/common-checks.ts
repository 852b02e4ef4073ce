/** Rules both kinds share: metadata, exportTo, labels, ports, durations, gateway references. */
import { Report, entryPath } from './report';
import { domainError, durationError, isDnsLabel, isPort, labelError, q } from './values';

// Annotations Istio's webhook rejects on every networking object: dry-run is for AuthorizationPolicy only,
// and the internal ones are set by Istio itself.
const REJECTED_ANNOTATIONS: { [key: string]: string } = {
  'istio.io/dry-run': 'only AuthorizationPolicy supports dry-run; remove the annotation',
  'internal.istio.io/webhook-always-reject': 'it exists to test the webhook, which rejects every object carrying it; remove it',
  'internal.istio.io/parents': 'Istio sets it on objects it generates and rejects it on objects users write; remove it',
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The name (the API server's rule for every kind) and, on Istio's kinds, the annotations Istio's webhook rejects. */
export function checkMetadata(r: Report, manifest: any, istio: boolean = true): void {
  const metadata = r.obj(manifest.metadata, 'metadata') ?? {};
  const name = r.str(metadata.name, 'metadata.name');
  if (name === undefined) {
    if (r.str(metadata.generateName, 'metadata.generateName') === undefined) {
      r.add('OBJECT_NAME_INVALID', 'metadata.name', 'the object has no name; set metadata.name');
    }
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    r.add('OBJECT_NAME_INVALID', 'metadata.name', `${q(name)} is not a valid object name; use at most 253 lowercase letters, digits, '-' and '.'`);
  }
  // The annotations are Istio's webhook's concern, which sees Istio's kinds only (not a Gateway API HTTPRoute).
  if (!istio) return;
  for (const [key] of r.stringMap(metadata.annotations, 'metadata.annotations')) {
    const why = REJECTED_ANNOTATIONS[key];
    if (why !== undefined) r.add('OBJECT_ANNOTATION_REJECTED', entryPath('metadata.annotations', key), `Istio's webhook rejects annotation ${q(key)}: ${why}`);
  }
}

/**
 * exportTo (Istio's `validateExportTo`): `.`, `*` or namespace names, each once, `*` alone. A
 * DestinationRule with a workloadSelector can only be exported to its own namespace.
 */
export function checkExportTo(r: Report, value: unknown, field: string, namespace: string, withSelector: boolean): void {
  const entries = r.strings(value, field);
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const at = `${field}[${i}]`;
    const key = entry === '.' ? namespace : entry;
    if (seen.has(key)) {
      const viaDot = entry === '.' || entries.slice(0, i).includes('.');
      r.add('EXPORT_TO_INVALID', at, viaDot && key === namespace
        ? `"." and ${q(namespace)} both mean this object's namespace; list it once`
        : `${q(entry)} is listed twice; list each namespace once`);
      return;
    }
    if (entry === '~') {
      r.add('EXPORT_TO_INVALID', at, '"~" (export to no namespace) is not allowed on VirtualServices and DestinationRules; remove the object instead, or use "."');
    } else if (key !== '*' && !isDnsLabel(key)) {
      r.add('EXPORT_TO_INVALID', at, `${q(entry)} is not ".", "*" or a namespace name; fix the entry`);
    } else {
      seen.add(key);
    }
  });
  if (seen.has('*') && entries.length > 1) {
    r.add('EXPORT_TO_INVALID', field, '"*" exports to every namespace, so the other entries contradict it; keep "*" alone or list the namespaces');
  }
  if (withSelector && seen.size > 0) {
    if (!seen.has(namespace)) {
      r.add('EXPORT_TO_INVALID', field, `a DestinationRule with a workloadSelector applies to workloads of its own namespace ${q(namespace)} only; export it to "." or remove exportTo`);
    } else if (seen.size > 1) {
      r.add('EXPORT_TO_INVALID', field, 'a DestinationRule with a workloadSelector can only be exported to its own namespace; keep "." alone');
    }
  }
}

/** Label maps: sourceLabels and subset labels (Istio's `labels.Instance.Validate`). */
export function checkLabels(r: Report, value: unknown, field: string): [string, string][] {
  const labels = r.stringMap(value, field);
  for (const [key, v] of labels) {
    const problem = labelError(key, v);
    if (problem !== undefined) r.add('LABELS_INVALID', entryPath(field, key), problem);
  }
  return labels;
}

/** A port number that must be 1-65535 when checked. */
export function checkPort(r: Report, value: unknown, field: string): void {
  const port = r.int(value, field) ?? 0;
  if (!isPort(port)) r.add('PORT_INVALID', field, `${port} is not a port number; use 1 to 65535`);
}

/** A duration field, when present. */
export function checkDuration(r: Report, value: unknown, field: string, allowZero = false): void {
  if (value === undefined || value === null) return;
  const problem = durationError(value, allowZero);
  if (problem !== undefined) r.add('DURATION_INVALID', field, problem);
}

/**
 * Gateway references (Istio's `validateGatewayNames`): `namespace/name`, or a plain name (`mesh`, `my-gw`).
 * Istio stops at the first name without a namespace and does not check the names after it; those are
 * still reported, as warnings, because a malformed reference binds the route to nothing.
 */
export function checkGatewayNames(r: Report, names: string[], field: string): void {
  let unchecked = false;
  names.forEach((name, i) => {
    const at = `${field}[${i}]`;
    const problem = gatewayNameError(name);
    if (problem !== undefined) r.add(unchecked ? 'VS_GATEWAY_NAME_UNCHECKED' : 'VS_GATEWAY_INVALID', at, unchecked ? `${problem} (Istio does not check it because an earlier gateway has no namespace)` : problem);
    if (!unchecked && !name.includes('/') && name.includes('.')) {
      const parts = name.split('.');
      r.add('VS_GATEWAY_LEGACY_FORMAT', at, `${q(name)} uses the legacy name.namespace form; write ${q(`${parts[1]}/${parts[0]}`)}`);
    }
    if (!name.includes('/')) unchecked = true;
  });
}

function gatewayNameError(name: string): string | undefined {
  const slash = name.indexOf('/');
  if (slash < 0) {
    // A plain name is checked as a DNS name: "mesh", "my-gateway" or the legacy "name.namespace".
    return domainError(name, false) === undefined ? undefined : `${q(name)} is not a gateway reference; use "mesh", "name" or "namespace/name"`;
  }
  const ns = name.slice(0, slash);
  const gw = name.slice(slash + 1);
  if (ns === '' || gw === '') return `${q(name)} has an empty namespace or name; write "namespace/name"`;
  if (!isDnsLabel(ns)) return `${q(name)} has the invalid namespace ${q(ns)}; use a namespace name (no wildcards)`;
  if (!isDnsLabel(gw)) return `${q(name)} has the invalid gateway name ${q(gw)}; use a DNS label`;
  return undefined;
}
