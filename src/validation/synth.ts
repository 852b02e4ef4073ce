import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkManifests } from './checker';
import { Finding, Severity } from './finding';
import { checkInputOf, isUnpatchedL2Output, setSpecSource, SpecSource } from '../object-manifests';
import { InternalFinding } from './report';
import { RULES } from './rules';
import { q } from './values';

const SUPPRESSION_METADATA_TYPE = 'cdk8s-istio-traffic:suppress';

// Rules the L2 constructs already apply while they render, reporting them with the construct's own
// words: for what they rendered, the checker stays quiet about these so the user reads each problem once.
const CHECKED_BY_L2 = new Set<string>(['RETRY_PER_TRY_TIMEOUT_IGNORED', 'RETRY_BUDGET_EXCEEDS_TIMEOUT', 'XO_MESH_HOST_CONFLICT', 'XO_GATEWAY_HOST_CONFLICT',
  // The constructs warn about it with the same predicate (src/validation/analyzers.ts mirrorsOntoServing).
  'MIRROR_TO_SERVING_SUBSET']);

const enabled = new WeakSet<IConstruct>();
const withValidation = new WeakSet<ApiObject>();
const errorsOf = new WeakMap<ApiObject, string[]>();
// The checker's last run for an app: when the same objects render the same (their keys, see
// object-manifests.ts), the findings are the same. cdk8s validates twice per synth; the second pass is free.
const lastRun = new WeakMap<IConstruct, { objects: ApiObject[]; keys: unknown[][]; findings: InternalFinding[] }>();

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
   * The findings for the Istio objects of the app `scope` belongs to, as synth would report them (after
   * suppressions), plus infos. Each finding carries its object's construct path.
   */
  public static findings(scope: IConstruct): Finding[] {
    return findingsOf(scope.node.root).findings.map(({ related, ...finding }) => finding);
  }

  /**
   * Turns the check on for an object an L2 construct writes, and marks it as such, so that problems the
   * construct already reported are not reported twice. `spec` tells the checker where the construct's
   * rendered spec is, so that it need not render the object through cdk8s for every check.
   * @internal
   */
  public static _fromL2(resource: ApiObject, spec: SpecSource): void {
    setSpecSource(resource, spec);
    IstioChecks.enable(resource);
  }

  private constructor() {}
}

function istioObjects(root: IConstruct): ApiObject[] {
  return root.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && /\.istio\.io\//.test(c.apiVersion));
}

interface AppFindings {
  readonly objects: ApiObject[];
  /** After suppressions, and without what the L2 constructs reported themselves. */
  readonly findings: InternalFinding[];
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
    .filter((f) => !reportedByL2(f, objects, manifest))
    .map((f) => ({ ...f, path: objects[f.index].node.path }));
  return { objects, findings };
}

function sameItems(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function suppressed(object: ApiObject, code: string): boolean {
  return object.node.scopes.some((scope) => scope.node.metadata.some((m) => m.type === SUPPRESSION_METADATA_TYPE && m.data.code === code));
}

// An L2 construct reports these itself for what it rendered. A finding is left to it when the objects
// involved are the constructs' unmodified output (an escape hatch, addJsonPatch, brings the checker's report
// back) and, for conflicts, when the constructs saw the same clash: one host under the same gateway name.
function reportedByL2(finding: InternalFinding, objects: ApiObject[], manifest: (index: number) => any): boolean {
  if (!CHECKED_BY_L2.has(finding.code)) return false;
  const involved = [finding.index, ...(finding.related ?? [])];
  if (!involved.every((i) => isUnpatchedL2Output(objects[i]))) return false;
  const [self, ...others] = involved.map((i) => manifest(i)?.spec ?? {});
  return others.every((other) => sameClaim(self, other));
}

// What the L2 constructs compare: host names and gateway names as written ("mesh" when none).
function sameClaim(a: any, b: any): boolean {
  const places = (spec: any) => (spec.gateways?.length ? spec.gateways : ['mesh']) as string[];
  const hosts = (spec: any) => (spec.hosts ?? []) as string[];
  return hosts(a).some((h) => hosts(b).includes(h)) && places(a).some((g) => places(b).includes(g));
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
