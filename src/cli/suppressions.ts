/**
 * `check --suppress`: findings a team has accepted, as `istioctl analyze --suppress` accepts them. A YAML
 * object has no construct to hold an `IstioChecker.suppress` record, so the command names the object by
 * kind, namespace and name; the codes are checked as `IstioChecker.suppress` checks them.
 */
import { UsageError } from './usage';
import { q } from '../private/errors';
import { suppressionCodeError } from '../private/validation/synth';

const KINDS = ['VirtualService', 'DestinationRule'];

/** One `--suppress` value: a rule code, on every object or on one. */
export interface Suppression {
  readonly code: string;
  /** The object, as `Kind/namespace/name`; every object when absent. */
  readonly object?: string;
}

/** What a suppression is matched against: a finding, with its object's namespace as the command shows it. */
export interface SuppressedCandidate {
  readonly code: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** Parses `CODE` or `CODE=Kind/namespace/name`; a mistake is a `UsageError` that names the value and the fix. */
export function parseSuppression(text: string): Suppression {
  const [codeText, object, ...more] = text.split('=');
  // Codes are upper case; accept any case, as `cdk8s-istio-traffic rules CODE` does.
  const code = codeText.trim().toUpperCase();
  const form = 'write CODE or CODE=Kind/namespace/name, e.g. XO_SUBSET_NOT_FOUND=VirtualService/shop/reviews';
  if (code === '' || more.length > 0) throw new UsageError(`--suppress ${q(text)}: ${form}`);
  const codeError = suppressionCodeError(code);
  if (codeError !== undefined) throw new UsageError(`--suppress ${q(text)}: ${codeError}`);
  if (object === undefined) return { code };

  const parts = object.split('/');
  const kind = KINDS.find((k) => k.toLowerCase() === parts[0].toLowerCase());
  if (parts.length !== 3 || parts.some((p) => p.trim() === '')) throw new UsageError(`--suppress ${q(text)}: ${form}`);
  if (kind === undefined) throw new UsageError(`--suppress ${q(text)}: ${q(parts[0])} is not a kind the check reads; use VirtualService or DestinationRule`);
  return { code, object: `${kind}/${parts[1]}/${parts[2]}` };
}

/** Whether one of the suppressions accepts the finding. */
export function isSuppressed(suppressions: Suppression[], finding: SuppressedCandidate): boolean {
  const object = `${finding.kind}/${finding.namespace}/${finding.name}`;
  return suppressions.some((s) => s.code === finding.code && (s.object === undefined || s.object === object));
}
