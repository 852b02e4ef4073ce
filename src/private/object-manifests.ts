/**
 * The manifests of the Istio objects the L2 constructs write, rendered from the constructs' own specs, and
 * the manifest the rule engine reads for each object of an app, computed again only when it changed.
 *
 * cdk8s validates an app twice per synth (once for the app, once more while it renders the charts) and
 * then renders every object for the YAML through its generic resolver, which walks every value of the spec
 * and looks up the app for each one. The L2 constructs' specs are plain data (strings, numbers, maps and
 * lists that the constructs built and checked), so:
 * - an object an L2 construct writes, and nobody patched, is rendered from the spec the construct keeps
 *   (the same spec object until the construct changes), mapped to Istio's field names by the generated
 *   function, exactly as cdk8s would write it (every test synth compares the two, see
 *   test/setup-schema-check.ts);
 * - the rule engine reads the same spec without that copy, and learns whether an object changed since its
 *   last run from the spec object and the metadata (for any other object, from its rendered JSON text):
 *   an unchanged app has the same findings, so the engine's second pass per synth costs next to nothing
 *   (see validation/synth.ts).
 */
import { ApiObject, App, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver } from 'cdk8s';

/**
 * Where an L2 construct's object gets its spec: `render` returns the construct's rendered spec (the same
 * object while the construct is unchanged) and `toJson` is the generated function that maps it to the
 * manifest's field names, as the L1 class does when cdk8s renders it.
 * @internal
 */
export interface SpecSource {
  readonly render: () => object;
  readonly toJson: (spec: any) => any;
}

const sources = new WeakMap<ApiObject, SpecSource>();
const mapped = new WeakMap<ApiObject, { spec: object; manifest: any }>();

/** Records that `object`'s spec is the one `source` renders. @internal */
export function setSpecSource(object: ApiObject, source: SpecSource): void {
  sources.set(object, source);
}

/** Whether `object` is written by an L2 construct and nobody changed it with a JSON patch. @internal */
export function isUnpatchedL2Output(object: ApiObject): boolean {
  return sources.has(object) && unpatched(object);
}

/**
 * Whether `object` is rendered from its L2 construct's spec: it is the construct's unpatched output, the
 * app has no resolvers of its own (they may rewrite any value), and cdk8s sorts keys (`CDK8S_DISABLE_SORT`
 * unset). Otherwise cdk8s's generic rendering writes it.
 * @internal
 */
export function rendersFromSpec(object: ApiObject): boolean {
  return isUnpatchedL2Output(object) && !sortDisabled() && builtInResolversOnly(object);
}

/**
 * The object's manifest, as `ApiObject.toJson()` writes it: rendered from the L2 construct's spec when
 * `rendersFromSpec`, else by `generic` (the L1 class's own toJson). Every call returns new objects.
 * @internal
 */
export function renderManifest(object: ApiObject, generic: () => any): any {
  if (!rendersFromSpec(object)) return generic();
  // cdk8s sorts the spec's keys, then maps it; the generated mappings list their fields in sorted order
  // (all but VirtualService's deprecated mirror_percent, which the constructs never write), so sorting the
  // mapped spec gives the same result, and the mapping is shared with the rule engine.
  try {
    return { apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata.toJson(), spec: sanitized(mappedSpec(object)) };
  } catch (e) {
    // The words cdk8s uses when an object cannot render (a Lazy value that throws, say).
    throw new Error(`Failed serializing construct at path '${object.node.path}' with name '${object.name}': ${e}`);
  }
}

/**
 * What the rule engine reads for an object: `key` is the same (element by element) while the object would
 * render the same, so findings for an unchanged app can be reused; `manifest()` renders the manifest.
 * Throws what rendering throws.
 * @internal
 */
export function checkInputOf(object: ApiObject): { readonly key: unknown[]; readonly manifest: () => any } {
  if (rendersFromSpec(object)) {
    const spec = sources.get(object)!.render();
    const metadata = object.metadata.toJson();
    // The engine does not depend on key order and never changes what it reads: it gets the mapped spec as is.
    const manifest = () => ({ apiVersion: object.apiVersion, kind: object.kind, metadata, spec: mappedSpec(object) });
    return { key: [spec, JSON.stringify(metadata)], manifest };
  }
  const manifest = object.toJson();
  return { key: [JSON.stringify(manifest)], manifest: () => manifest };
}

// The construct's spec mapped to Istio's field names, once per spec object (the construct renders a new
// one when it changes).
function mappedSpec(object: ApiObject): any {
  const source = sources.get(object)!;
  const spec = source.render();
  const last = mapped.get(object);
  if (last?.spec === spec) return last.manifest;
  const manifest = source.toJson(spec);
  mapped.set(object, { spec, manifest });
  return manifest;
}

// cdk8s keeps JSON patches in a private list; when it cannot be read, assume the object was changed.
function unpatched(object: ApiObject): boolean {
  const patches = (object as any).patches;
  return Array.isArray(patches) && patches.length === 0;
}

// Read through globalThis: the library's types do not include Node.js (README programs type-check
// against the DOM library only).
function sortDisabled(): boolean {
  return Boolean((globalThis as any).process?.env?.CDK8S_DISABLE_SORT);
}

function builtInResolversOnly(object: ApiObject): boolean {
  const builtIn = (r: unknown) => r instanceof LazyResolver || r instanceof ImplicitTokenResolver || r instanceof NumberStringUnionResolver;
  // Outside an App there are no resolvers to ask; cdk8s's own rendering reports that.
  const resolvers: unknown = App.of(object).resolvers;
  return Array.isArray(resolvers) && resolvers.every(builtIn);
}

// What cdk8s's sanitizer does to a spec: keys sorted, empty values (undefined, null) dropped. The L2 specs
// are plain data, so there is nothing to resolve. Returns a copy, so callers may change what they get.
function sanitized(value: any): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sanitized);
  const out: { [key: string]: any } = {};
  for (const key of Object.keys(value).sort()) {
    const item = sanitized(value[key]);
    if (item !== undefined && item !== null) out[key] = item;
  }
  return out;
}
