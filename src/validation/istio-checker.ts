import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CheckRule, Finding } from './finding';
import { SpecSource } from '../private/object-manifests';
import { allRules } from '../private/validation/catalog';
import { checkManifests, isCheckedObject } from '../private/validation/checker';
import { DEFAULT_ROOT_NAMESPACE } from '../private/validation/destination-rule-lookup';
import { appFindings, checkL2Object, enableChecks, L2Profile, suppressFindings, SUPPRESSION_METADATA_TYPE } from '../private/validation/synth';
import { isDnsLabel } from '../private/validation/values';

/** Options of `IstioChecker.check`. */
export interface CheckOptions {
  /**
   * Istio's root namespace (meshConfig.rootNamespace): a DestinationRule there that is exported to a caller
   * applies to it when neither the caller's namespace nor the host's has one (XO_SUBSET_NOT_VISIBLE).
   * @default "istio-system"
   */
  readonly rootNamespace?: string;
}

/**
 * Checks Istio VirtualServices and DestinationRules the way Istio's validating webhook and `istioctl
 * analyze` do.
 *
 * Over plain manifests (what the L2 constructs synthesize, L1 objects, or YAML read from disk) with
 * `check()`; and over a cdk8s app whenever it synthesizes: errors fail synth and name the construct path,
 * warnings are printed. The synth-time check is on as soon as the app holds a `Subsets` or
 * `CompositeRoute`; an app that only uses the L1 classes (or `ApiObject`s) turns it on with
 * `IstioChecker.enable(app)`.
 *
 * @example
 * const findings = IstioChecker.check(manifests);
 * const errors = findings.filter((f) => f.severity === Severity.ERROR);
 * IstioChecker.enable(app);
 * IstioChecker.suppress(legacyRoute, 'XO_SUBSET_NOT_FOUND', 'the DestinationRule is deployed by the platform team');
 */
export class IstioChecker {
  /** The node metadata type suppressions are stored under. */
  public static readonly SUPPRESSION_METADATA_TYPE = SUPPRESSION_METADATA_TYPE;

  /**
   * Checks manifests as one set: each object alone, then across objects (subsets, hosts, gateways). It checks
   * networking.istio.io v1, v1beta1 or v1alpha3 VirtualServices, DestinationRules and Gateways, and
   * gateway.networking.k8s.io v1 and v1beta1 HTTPRoutes; of a Gateway, only the metadata is checked, and the
   * analyzers read which hosts it serves. Core v1 Services are read for the HTTPRoutes' backendRefs and
   * parentRefs. Other objects are ignored.
   * @param manifests Kubernetes objects as plain JSON (for example `Testing.synth(chart)`)
   * @param options how the mesh is set up
   * @returns the findings, ordered by object, then field
   */
  public static check(manifests: any[], options: CheckOptions = {}): Finding[] {
    const root = options.rootNamespace ?? DEFAULT_ROOT_NAMESPACE;
    if (!isDnsLabel(root) || root !== root.toLowerCase()) {
      throw new Error(`IstioChecker.check: rootNamespace ${JSON.stringify(root)} is not a namespace name; use a lowercase DNS label such as "istio-system"`);
    }
    return checkManifests(manifests, { rootNamespace: root });
  }

  /** Whether a manifest is an object the checker checks: an Istio VirtualService, DestinationRule or Gateway, or a Gateway API HTTPRoute. */
  public static isChecked(manifest: any): boolean {
    return isCheckedObject(manifest);
  }

  /** Every rule the checker applies, with its code, severity and family. */
  public static rules(): CheckRule[] {
    return allRules();
  }

  /**
   * Checks the Istio objects of the app `scope` belongs to whenever it synthesizes. Calling it again, or on
   * another construct of the same app, changes nothing.
   */
  public static enable(scope: IConstruct): void {
    enableChecks(scope);
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
    suppressFindings(scope, code, reason);
  }

  /**
   * The findings for the Istio objects of the app `scope` belongs to, as synth would report them, plus
   * infos. That is after suppressions, with the severity a construct gives the findings on its own object
   * where it is stricter than Istio, and without those a construct reported itself (its `Warnings`).
   * Each finding carries its object's construct path.
   */
  public static findings(scope: IConstruct): Finding[] {
    return appFindings(scope);
  }

  /**
   * Turns the check on for an object an L2 construct writes. `spec` tells the checker where the
   * construct's rendered spec is, so that it need not render the object through cdk8s for every check;
   * `profile` is how the construct wants the findings on its object reported (see `L2Profile`).
   * @internal
   */
  public static _fromL2(resource: ApiObject, spec: SpecSource, profile: L2Profile = {}): void {
    checkL2Object(resource, spec, profile);
  }

  private constructor() {}
}
