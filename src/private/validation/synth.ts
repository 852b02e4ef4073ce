import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Finding, Severity } from '../../validation/finding';
import { l2Severity } from '../checks';
import { isHttpRoute, isService } from '../manifest-kinds';
import { checkInputOf, isUnpatchedL2Output, setSpecSource, SpecSource } from '../object-manifests';
import { printWarning } from '../warn';
import { Code, RULES } from './catalog';
import { checkManifests } from './checker';
import { q } from './values';

/** The node metadata type suppressions are stored under. */
export const SUPPRESSION_METADATA_TYPE = 'cdk8s-istio-traffic:suppress';

/**
 * How the checker treats the object an L2 construct writes. Its findings take the L2 profile's severities
 * (src/private/checks.ts `l2Severity`: where the constructs are stricter than Istio, as their props' docs say).
 */
export interface L2Profile {
  /**
   * Whether the construct already reported the finding `code` at `field` of its object, when it rendered it,
   * with the same rule: the checker then leaves it out, so the user reads it once. Asked only while the
   * object is the construct's unpatched output, whose fields are where the construct put them.
   */
  readonly reported?: (code: string, field: string) => boolean;
}

const profiles = new WeakMap<ApiObject, L2Profile>();
const enabled = new WeakSet<IConstruct>();
const withValidation = new WeakSet<ApiObject>();
const errorsOf = new WeakMap<ApiObject, string[]>();
// The checker's last run for an app: when the same objects render the same (their keys, see
// object-manifests.ts), the findings are the same. cdk8s validates twice per synth; the second pass is free.
const lastRun = new WeakMap<IConstruct, { objects: ApiObject[]; keys: unknown[][]; findings: Finding[] }>();


/** Checks the Istio objects of the app `scope` belongs to whenever it synthesizes (once per app). */
export function enableChecks(scope: IConstruct): void {
  const root = scope.node.root;
  if (enabled.has(root)) return;
  enabled.add(root);
  // The root is validated first, so this pass computes the findings that the objects' own validations
  // (added below, visited later in the same pass) report under their construct paths.
  root.node.addValidation({ validate: () => checkApp(root) });
}

/**
 * Why `code` cannot be suppressed, or undefined when it is a rule code: what `IstioChecker.suppress` and the
 * check command's `--suppress` both ask, so that they accept the same codes.
 */
export function suppressionCodeError(code: string): string | undefined {
  return code in RULES ? undefined : `${q(code)} is not a rule code; "npx cdk8s-istio-traffic rules" lists them (e.g. "XO_SUBSET_NOT_FOUND")`;
}

/** Records a suppression of `code` at `scope`, for `reason`, and turns the check on. */
export function suppressFindings(scope: IConstruct, code: string, reason: string): void {
  const codeError = suppressionCodeError(code);
  if (codeError !== undefined) throw new Error(`${scope.node.path}: ${codeError}`);
  if (reason.trim() === '') {
    throw new Error(`${scope.node.path}: suppressing ${code} needs a reason; say why the finding does not apply here`);
  }
  scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, { code, reason });
  enableChecks(scope);
}

/** The findings for the Istio objects of the app `scope` belongs to, as synth would report them. */
export function appFindings(scope: IConstruct): Finding[] {
  return findingsOf(scope.node.root).findings;
}

/** Turns the check on for an object an L2 construct writes (see `IstioChecker._fromL2`). */
export function checkL2Object(resource: ApiObject, spec: SpecSource, profile: L2Profile = {}): void {
  setSpecSource(resource, spec);
  profiles.set(resource, profile);
  enableChecks(resource);
}

// The app's Istio objects, and its HTTPRoutes and Services, which the checker reads as well.
function istioObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && (/\.istio\.io\//.test(c.apiVersion)
    || isHttpRoute(c) || isService(c)));
}

interface AppFindings {
  readonly objects: ApiObject[];
  /** After suppressions, without what the L2 constructs reported themselves, with their profiles' severities. */
  readonly findings: Finding[];
}

function findingsOf(root: IConstruct): AppFindings {
  const objects = istioObjects(root);
  // An object that cannot render will fail synth with its own error; here it is left out.
  const inputs = objects.map((o) => {
    try {
      return checkInputOf(o);
    } catch {
      return { key: [undefined], manifest: () => undefined };
    }
  });
  const keys = inputs.map((input) => input.key);
  const last = lastRun.get(root);
  const unchanged = last !== undefined && sameItems(last.objects, objects) && last.keys.every((key, i) => sameItems(key, keys[i]));
  const manifests = new Map<number, any>();
  const manifest = (i: number) => {
    if (!manifests.has(i)) manifests.set(i, inputs[i].manifest());
    return manifests.get(i);
  };
  const all = unchanged ? last.findings : checkManifests(inputs.map((_, i) => manifest(i)));
  lastRun.set(root, { objects, keys, findings: all });
  const findings = all
    .filter((f) => !suppressed(objects[f.index], f.code))
    .filter((f) => !reportedByConstruct(objects[f.index], f))
    .map((f) => ({ ...f, severity: profiles.has(objects[f.index]) ? l2Severity(f.code as Code) : f.severity, path: objects[f.index].node.path }));
  return { objects, findings };
}

function sameItems(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Whether findings of `code` are suppressed at `object` or a construct above it (`IstioChecker.suppress`). */
export function suppressed(object: IConstruct, code: string): boolean {
  return object.node.scopes.some((scope) => scope.node.metadata.some((m) => m.type === SUPPRESSION_METADATA_TYPE && m.data.code === code));
}

// A finding the construct that writes the object already reported, found by the same rule when it rendered
// the object. After an escape hatch (addJsonPatch) the fields may have moved, so the checker reports again.
function reportedByConstruct(object: ApiObject, finding: Finding): boolean {
  const reported = profiles.get(object)?.reported;
  return reported !== undefined && isUnpatchedL2Output(object) && reported(finding.code, finding.field);
}

function checkApp(root: IConstruct): string[] {
  const { objects, findings } = findingsOf(root);
  for (const object of objects) errorsOf.delete(object);
  for (const finding of findings) {
    const object = objects[finding.index];
    const line = `${finding.code} ${finding.field}: ${finding.message}`;
    if (finding.severity === Severity.WARNING) {
      printWarning(root, `Warning: [${finding.path}] ${line}`);
    } else if (finding.severity === Severity.ERROR) {
      errorsOf.set(object, [...(errorsOf.get(object) ?? []), line]);
      if (!withValidation.has(object)) {
        withValidation.add(object);
        object.node.addValidation({ validate: () => errorsOf.get(object) ?? [] });
      }
    }
  }
  return [];
}
