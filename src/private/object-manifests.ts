/**
 * What the rule engine reads for each Istio object of an app, and how it learns that an object is unchanged
 * since its last run.
 *
 * The objects the L2 constructs write are L1 objects whose spec is a cdk8s `Lazy` that returns the
 * construct's spec (see istio-objects.ts): cdk8s renders them like any other object. The engine need not
 * send them through cdk8s's resolver to read them: each such object registers where its spec comes from,
 * and while nothing can make what synth writes differ from that spec, the engine reads the construct's spec
 * mapped to Istio's field names. Two things can, both seen through cdk8s's public API:
 * - a JSON patch (`addJsonPatch`, which the L2 objects record when it is called);
 * - an app whose resolvers are not those of an App created without resolvers of its own (a resolver may
 *   rewrite any value).
 * Such an object, and any object no L2 construct wrote, is read from `toJson()`, which is what synth writes.
 *
 * cdk8s validates an app twice per synth; an unchanged app has the same findings (see validation/synth.ts).
 * The engine knows an object read from its construct is unchanged from the spec object (the construct renders
 * a new one when it changes) and the metadata; any other object, from its rendered JSON text.
 */
import { ApiObject, App } from 'cdk8s';

/**
 * Where an L2 construct's object gets its spec: `render` returns the construct's spec (the same object
 * while the construct is unchanged; the object's `Lazy` spec returns it too) and `toJson` is the generated
 * function that maps it to the manifest's field names, as the L1 class does when cdk8s renders it.
 */
export interface SpecSource {
  readonly render: () => object;
  readonly toJson: (spec: any) => any;
}

const sources = new WeakMap<ApiObject, SpecSource>();
const patched = new WeakSet<ApiObject>();

/** Records that `object`'s spec is the one `source` renders. */
export function setSpecSource(object: ApiObject, source: SpecSource): void {
  sources.set(object, source);
}

/** Records that a JSON patch was added to `object` (the L2 objects call it from `addJsonPatch`). */
export function recordJsonPatch(object: ApiObject): void {
  patched.add(object);
}

/** Whether `object` is written by an L2 construct and nobody changed it with a JSON patch. */
export function isUnpatchedL2Output(object: ApiObject): boolean {
  return sources.has(object) && !patched.has(object);
}

/**
 * Whether the rule engine reads `object` from its L2 construct's spec: it is the construct's unpatched
 * output, and its app resolves values as an App without resolvers of its own. Otherwise the engine reads
 * `toJson()`.
 */
export function readsFromSpec(object: ApiObject): boolean {
  return isUnpatchedL2Output(object) && builtInResolversOnly(object);
}

/**
 * What the rule engine reads for an object: `key` is the same (element by element) while the object would
 * render the same, so findings for an unchanged app can be reused; `manifest()` is the manifest, with the
 * content synth writes (keys in any order). Throws what rendering throws.
 */
export function checkInputOf(object: ApiObject): { readonly key: unknown[]; readonly manifest: () => any } {
  if (readsFromSpec(object)) {
    const spec = sources.get(object)!.render();
    const metadata = object.metadata.toJson();
    // The engine does not depend on key order and never changes what it reads: it gets the mapped spec as is.
    const manifest = () => ({ apiVersion: object.apiVersion, kind: object.kind, metadata, spec: sources.get(object)!.toJson(spec) });
    return { key: [spec, JSON.stringify(metadata)], manifest };
  }
  const manifest = object.toJson();
  return { key: [JSON.stringify(manifest)], manifest: () => manifest };
}

// The resolvers of an App created without resolvers of its own (cdk8s's built-in ones, which change only
// values that are not plain data: the L2 specs are plain data). Learned from cdk8s itself, once.
let builtInResolvers: unknown[] | undefined;

// Whether the object's app has exactly the resolvers of an App created without any: the same number, each
// of the same class. An app given resolvers has them before the built-in ones. Outside an App (a chart with
// no App above it) there are no resolvers to compare, and cdk8s's own rendering reports the problem.
function builtInResolversOnly(object: ApiObject): boolean {
  builtInResolvers ??= new App().resolvers.map((resolver) => resolver.constructor);
  const resolvers: unknown = (App.of(object) as App).resolvers;
  return Array.isArray(resolvers) && resolvers.length === builtInResolvers.length
    && resolvers.every((resolver, i) => resolver?.constructor === builtInResolvers![i]);
}
