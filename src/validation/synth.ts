import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkManifests } from './checker';
import { l2Severity } from '../checks';
import { Finding, Severity } from './finding';
import { checkInputOf, isUnpatchedL2Output, setSpecSource, SpecSource } from '../object-manifests';
import { Code, RULES } from './rules';
import { q } from './values';

const SUPPRESSION_METADATA_TYPE = 'cdk8s-istio-traffic:suppress';

/**
 * How the checker treats the object an L2 construct writes. Its findings take the L2 profile's severities
 * (src/checks.ts `l2Severity`: where the constructs are stricter than Istio, as their props' docs say).
 * @internal
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

/**
 * Checks every Istio VirtualService and DestinationRule of a cdk8s app when it synthesizes, with the rules
 * of `IstioChecker`: errors fail synth and name the construct path, warnings are printed.
 *
 * The check is on as soon as the app holds a `Subsets` or `CompositeRoute`. An app that only uses the L1
 * classes (or `ApiObject`s) turns it on with `IstioChecks.enable(app)`.
 *
 * @example
 * IstioChecks.enable(app);
 * IstioChecks.suppress(legacyRoute, 'XO_SUBSET_NOT_FOUND', 'the DestinationRule is deployed by the platform team');
 */
export class IstioChecks {
  /** The node metadata type suppressions are stored under. */
  public static readonly SUPPRESSION_METADATA_TYPE = SUPPRESSION_METADATA_TYPE;

  /**
   * Checks the Istio objects of the app `scope` belongs to whenever it synthesizes. Calling it again, or on
   * another construct of the same app, changes nothing.
   */
  public static enable(scope: IConstruct): void {
    const root = scope.node.root;
    if (enabled.has(root)) return;
    enabled.add(root);
    // The root is validated first, so this pass computes the findings that the objects' own validations
    // (added below, visited later in the same pass) report under their construct paths.
    root.node.addValidation({ validate: () => checkApp(root) });
  }

  /**
   * Accepts findings of one code on the Istio objects at or below `scope` (an L1 object, or an L2 construct
   * for the objects it writes), for a stated reason. The suppression is recorded as node metadata, so it
   * shows in reviews of the construct tree.
   * @param scope the object, or a construct above the objects
   * @param code the rule code, e.g. `XO_SUBSET_NOT_FOUND`
   * @param reason why the finding does not apply here; required
   */
  public static suppress(scope: IConstruct, code: string, reason: string): void {
    if (!(code in RULES)) {
      throw new Error(`${scope.node.path}: ${q(code)} is not a rule code; "npx cdk8s-istio-traffic rules" lists them (e.g. "XO_SUBSET_NOT_FOUND")`);
    }
    if (reason.trim() === '') {
      throw new Error(`${scope.node.path}: suppressing ${code} needs a reason; say why the finding does not apply here`);
    }
    scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, { code, reason });
    IstioChecks.enable(scope);
  }

  /**
   * The findings for the Istio objects of the app `scope` belongs to, as synth would report them, plus
   * infos. That is after suppressions, with the severity a construct gives the findings on its own object
   * where it is stricter than Istio, and without those a construct reported itself (its `Warnings`).
   * Each finding carries its object's construct path.
   */
  public static findings(scope: IConstruct): Finding[] {
    return findingsOf(scope.node.root).findings;
  }

  /**
   * Turns the check on for an object an L2 construct writes. `spec` tells the checker where the
   * construct's rendered spec is, so that it need not render the object through cdk8s for every check;
   * `profile` is how the construct wants the findings on its object reported (see `L2Profile`).
   * @internal
   */
  public static _fromL2(resource: ApiObject, spec: SpecSource, profile: L2Profile = {}): void {
    setSpecSource(resource, spec);
    profiles.set(resource, profile);
    IstioChecks.enable(resource);
  }

  private constructor() {}
}

function istioObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && /\.istio\.io\//.test(c.apiVersion));
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

function suppressed(object: ApiObject, code: string): boolean {
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
      console.warn(`Warning: [${finding.path}] ${line}`);
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
