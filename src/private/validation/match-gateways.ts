/**
 * The `gateways` of a match. A proxy keeps a match only when the match names one of the proxy's own gateways
 * (`mesh` for sidecars); a gateway loads only the VirtualServices bound to it in `spec.gateways`, so a match
 * gateway outside that list never applies (MATCH_GATEWAY_UNBOUND). And an HTTP match that names gateways is
 * kept on them without looking at sourceLabels or sourceNamespace (route.go, `sourceMatchHTTP`): those
 * conditions are ignored and the match holds for all the traffic of those gateways (SOURCE_MATCH_IGNORED).
 * TCP and TLS matches check the gateways and the source together.
 */
import type { Checked } from './analyzers';
import { q } from './values';
import { list, strings } from '../json-values';
import { expandGateway, placesOf } from '../routing/names';

/** Whether a sourceLabels or sourceNamespace value narrows the match (set and not empty). */
export function isSourceCondition(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  return !(typeof value === 'object' && Object.keys(value).length === 0);
}

/** Checks the match gateways of every HTTP, TCP and TLS route of a VirtualService. */
export function checkMatchGateways(vs: Checked): void {
  const spec = vs.manifest.spec ?? {};
  // A delegate (no hosts) is bound where the VirtualService that delegates to it is.
  const delegate = !Array.isArray(spec.hosts) || spec.hosts.length === 0;
  const bound = placesOf(strings(spec.gateways), vs.namespace);
  for (const kind of ['http', 'tcp', 'tls']) {
    list(spec[kind]).forEach((route, i) => {
      list(route?.match).forEach((match, j) => {
        const gateways = strings(match?.gateways);
        if (gateways.length === 0) return;
        const at = `spec.${kind}[${i}].match[${j}]`;
        if (!delegate) {
          match.gateways.forEach((gateway: unknown, k: number) => {
            if (typeof gateway !== 'string' || bound.includes(expandGateway(gateway, vs.namespace))) return;
            vs.report.add('MATCH_GATEWAY_UNBOUND', `${at}.gateways[${k}]`, `the VirtualService is bound to ${bound.map((g) => q(g)).join(', ')}, not to ${q(gateway)}, `
              + 'so this match never applies there; add the gateway to spec.gateways, or remove it from the match');
          });
        }
        if (kind !== 'http') return;
        for (const key of ['sourceLabels', 'sourceNamespace']) {
          if (!isSourceCondition(match[key])) continue;
          vs.report.add('SOURCE_MATCH_IGNORED', `${at}.${key}`, `Istio ignores ${key} in a match that lists gateways, so this match holds for every request through `
            + `${gateways.map((g) => q(g)).join(', ')}; to select callers, remove the match's gateways (the VirtualService's own then apply)`);
        }
      });
    });
  }
}

