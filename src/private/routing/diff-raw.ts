/**
 * What the routing model does not carry but a diff must show: header operations and traffic policies,
 * read from the raw objects, and a generic way to compare nested settings as `path value` lines.
 */
import { list } from '../json-values';

/** The raw VirtualServices and DestinationRules of a manifest set, looked up by `namespace/name`. */
export interface RawObjects {
  /** The `http` rules of a VirtualService; empty when unknown. */
  httpRules(id: string | undefined): any[];
  /** The spec of a DestinationRule; undefined when unknown. */
  destinationRule(id: string | undefined): any;
}

/** Indexes the Istio objects of `manifests` by kind and id, as the routing model names them. */
export function rawObjects(manifests: any[]): RawObjects {
  const specs = new Map<string, any>();
  for (const m of manifests) {
    if (m === null || typeof m !== 'object' || typeof m.apiVersion !== 'string' || !m.apiVersion.startsWith('networking.istio.io/')) continue;
    const ns = m.metadata?.namespace;
    const name = String(m.metadata?.name ?? '(unnamed)');
    const id = `${m.kind} ${ns === undefined ? name : `${ns}/${name}`}`;
    if (!specs.has(id)) specs.set(id, m.spec ?? {});
  }
  return {
    httpRules: (id) => {
      const http = id === undefined ? undefined : specs.get(`VirtualService ${id}`)?.http;
      return list(http);
    },
    destinationRule: (id) => id === undefined ? undefined : specs.get(`DestinationRule ${id}`),
  };
}

/** Every leaf of `value` as `a.b[0].c` → its JSON; an absent value has no leaves. */
export function flatten(value: any): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: any, path: string) => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v).sort()) walk(v[key], path === '' ? key : `${path}.${key}`);
    } else if (v !== undefined) {
      out.set(path, typeof v === 'string' ? v : JSON.stringify(v));
    }
  };
  walk(value, '');
  return out;
}

/** The entries that differ, as `key old → new`, `key set to new` or `key removed (was old)`. */
export function mapChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) out.push(`${key} set to ${value}`);
    else if (old !== value) out.push(`${key} ${old} → ${value}`);
  }
  for (const [key, old] of before) if (!after.has(key)) out.push(`${key} removed (was ${old})`);
  return out;
}
