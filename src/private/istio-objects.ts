/**
 * The Istio objects the L2 constructs write: instances of the L1 classes generated from Istio's CRDs, whose
 * spec is a cdk8s `Lazy` that returns the construct's spec, so cdk8s renders them like any other object
 * (JSON patches, an app's resolvers and `CDK8S_DISABLE_SORT` apply as usual). The class below only adds
 * what the synth-time rule engine needs to read them without rendering them (see object-manifests.ts).
 */
import { ApiObject, ApiObjectMetadata, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { recordJsonPatch } from './object-manifests';
import { HttpRoute, HttpRouteSpec, toJson_HttpRouteSpec } from '../imports/gateway-gateway.networking.k8s.io';
import { DestinationRule, DestinationRuleSpec, toJson_DestinationRuleSpec, toJson_VirtualServiceSpec, VirtualService, VirtualServiceSpec } from '../imports/istio-networking.istio.io';
import { L2Profile } from './validation/synth';
import { IstioChecker } from '../validation/istio-checker';

/** A generated L1 class: `new (scope, id, { metadata, spec })`. */
type L1Class = new (scope: Construct, id: string, props: { readonly metadata?: ApiObjectMetadata; readonly spec?: any }) => ApiObject;

/** An L1 class whose objects take their spec from an L2 construct: `produce` returns it. */
type L2ObjectClass<T extends ApiObject, S> =
  new (scope: Construct, id: string, metadata: ApiObjectMetadata | undefined, produce: () => S, profile?: L2Profile) => T;

/**
 * The L1 class `l1`, with objects whose spec is `produce()`, checked with every Istio object of the app at
 * synth with the construct's `profile` (what it reported itself, see validation/synth.ts). `toJson` is the L1 class's mapping of its spec to the manifest's field names: the rule engine reads
 * `toJson(produce())` while nothing changed what synth writes, which it learns from `addJsonPatch` (recorded
 * here, then cdk8s's own) and from the app (see object-manifests.ts).
 */
function l2ObjectClass<T extends ApiObject, S extends object>(
  l1: new (...args: any[]) => T,
  toJson: (spec: S | undefined) => any,
): L2ObjectClass<T, S> {
  class L2Object extends (l1 as unknown as L1Class) {
    constructor(scope: Construct, id: string, metadata: ApiObjectMetadata | undefined, produce: () => S, profile: L2Profile = {}) {
      super(scope, id, { metadata, spec: Lazy.any({ produce: () => withoutEmptyValues(produce()) }) });
      IstioChecker._fromL2(this, { render: produce, toJson }, profile);
    }

    public addJsonPatch(...ops: JsonPatch[]): void {
      recordJsonPatch(this);
      super.addJsonPatch(...ops);
    }
  }
  return L2Object as unknown as L2ObjectClass<T, S>;
}

/** The VirtualService a `CompositeRoute` writes. */
export const L2VirtualService = l2ObjectClass<VirtualService, VirtualServiceSpec>(VirtualService, toJson_VirtualServiceSpec);

/** The Gateway API HTTPRoute a `CompositeRoute` writes when its output is one. */
export const L2HttpRoute = l2ObjectClass<HttpRoute, HttpRouteSpec>(HttpRoute, toJson_HttpRouteSpec);

/** The DestinationRule a `Subsets` writes. */
export const L2DestinationRule = l2ObjectClass<DestinationRule, DestinationRuleSpec>(DestinationRule, toJson_DestinationRuleSpec);

// The spec without the undefined and null values of its plain objects. cdk8s drops those when it writes the
// manifest (resolvers never see them), but its resolver visits every key first, and the constructs' specs
// leave many optional fields undefined. A new copy per rendering; any value other than a plain object or
// an array (a Lazy, say) is passed on as it is.
function withoutEmptyValues(value: any): any {
  if (Array.isArray(value)) return value.map(withoutEmptyValues);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: { [key: string]: any } = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item !== undefined && item !== null) out[key] = withoutEmptyValues(item);
  }
  return out;
}
