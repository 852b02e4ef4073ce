/** How serious a finding is. */
export enum Severity {
  /**
   * Istio rejects the object (its webhook, its CRD schema or the API server), or `istioctl analyze` reports
   * an error (a missing subset, two VirtualServices for one host), or a construct is stricter than Istio on
   * its own object, as its props' docs say. Fails synth.
   */
  ERROR = 'error',
  /** Istio accepts it, but it is probably a mistake. Printed at synth; does not fail it. */
  WARNING = 'warning',
  /** Worth knowing when reviewing; not printed at synth. */
  INFO = 'info',
}

/** One problem found in an Istio object. */
export interface Finding {
  /** How serious it is. */
  readonly severity: Severity;

  /** Stable code of the rule, e.g. `VS_WEIGHT_NEGATIVE`; `cdk8s-istio-traffic rules CODE` documents it. */
  readonly code: string;

  /** Kind of the object: `VirtualService`, `DestinationRule` or `Gateway`. */
  readonly kind: string;

  /**
   * `metadata.namespace` of the object.
   * @default - the object has no namespace; it is checked as if it were in `default`
   */
  readonly namespace?: string;

  /** `metadata.name` of the object, or its `generateName` (empty when it has neither). */
  readonly name: string;

  /** Path of the offending field in the object, e.g. `spec.http[0].route[1].weight`. */
  readonly field: string;

  /** What is wrong and how to fix it. */
  readonly message: string;

  /** Position of the object in the list that was checked. */
  readonly index: number;

  /**
   * Construct path of the object, when it was checked at synth.
   * @default - none: the object did not come from a construct
   */
  readonly path?: string;
}

/** A rule of the checker, as `cdk8s-istio-traffic rules` and docs/checks.md list it. */
export interface CheckRule {
  /** Stable code reported in findings. */
  readonly code: string;

  /** Severity of its findings. */
  readonly severity: Severity;

  /** The group of rules it belongs to, e.g. `match` or `analyzers`. */
  readonly family: string;

  /** What the rule checks. */
  readonly summary: string;
}
