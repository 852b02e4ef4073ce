import { CheckRule, Finding } from './finding';
import { allRules } from '../private/validation/catalog';
import { checkManifests, isIstioObject } from '../private/validation/checker';

/**
 * Checks Istio VirtualServices and DestinationRules the way Istio's validating webhook and `istioctl
 * analyze` do, over plain manifests: what the L2 constructs synthesize, L1 objects, or YAML read from disk.
 *
 * @example
 * const findings = IstioChecker.check(manifests);
 * const errors = findings.filter((f) => f.severity === Severity.ERROR);
 */
export class IstioChecker {
  /**
   * Checks manifests as one set: each object alone, then across objects (subsets, hosts). Objects other
   * than networking.istio.io v1, v1beta1 or v1alpha3 VirtualServices and DestinationRules are ignored.
   * @param manifests Kubernetes objects as plain JSON (for example `Testing.synth(chart)`)
   * @returns the findings, ordered by object, then field
   */
  public static check(manifests: any[]): Finding[] {
    return checkManifests(manifests);
  }

  /** Whether a manifest is an object the checker checks. */
  public static isChecked(manifest: any): boolean {
    return isIstioObject(manifest);
  }

  /** Every rule the checker applies, with its code, severity and family. */
  public static rules(): CheckRule[] {
    return allRules();
  }

  private constructor() {}
}
