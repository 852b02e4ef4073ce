/**
 * MATCH_FORGEABLE_ON_GATEWAY: a canary anyone on the internet can opt into. On a gateway, request headers and
 * query parameters come from the client, so a rule that sends requests carrying one of them to a subset is
 * open to everyone who guesses the condition, unless the edge strips or overwrites it. Not counted: JWT claims
 * (`@request.auth.claims.*`, which a RequestAuthentication validates before routing), pseudo-headers (the
 * host, path and method any request has), and a sticky split's version cookie (forging it picks a version
 * the split already serves to everyone, or ends a pin). The one predicate for the checker and `CompositeRoute`, which
 * exempts what its `trustedHeaders` and `trustedQueryParams` list.
 */
import type { Checked } from './analyzers';
import type { RuleFinding } from './catalog';
import { isJwtClaim, isPseudoHeader, q } from './values';
import { everyDestinationSetsCookie } from './version-cookie';
import { list } from '../json-values';
import { MESH } from '../routing/names';

/** A condition of a request that a client sets: a header or a query parameter. */
export type ClientCondition = 'headers' | 'queryParams';

/** A forgeable condition of a rule, at `at` below the rule (`match[0].headers["x-canary"]`). */
export interface ForgeableCondition {
  readonly at: string;
  readonly kind: ClientCondition;
  readonly name: string;
  readonly finding: RuleFinding;
}

/** What the caller allows, and how its user fixes the rest. */
export interface ForgeablePolicy {
  /** Whether a condition is known not to be forgeable (the constructs' trusted headers). */
  readonly trusted: (kind: ClientCondition, name: string) => boolean;
  /** The fix, after the finding's ";". */
  readonly fix: (kind: ClientCondition) => string;
}

/**
 * The header and query parameter conditions of an HTTP rule, of a VirtualService bound to `gateways`, that
 * let requests through a gateway other than `mesh` (the match's own gateways, or the VirtualService's) reach
 * a subset. `publicSubsets` are the subsets the VirtualService's catch-all rule serves to every request.
 */
export function forgeableConditions(
  rule: any, gateways: string[], policy: ForgeablePolicy, publicSubsets: ReadonlySet<string> = new Set(),
): ForgeableCondition[] {
  const destinations: any[] = Array.isArray(rule?.route) ? rule.route : [];
  const subsets = [...new Set(destinations.map((d) => d?.destination?.subset).filter((s): s is string => typeof s === 'string' && s !== ''))];
  if (subsets.length === 0) return [];
  const out: ForgeableCondition[] = [];
  list(rule.match).forEach((match: any, j: number) => {
    if (match === null || typeof match !== 'object') return;
    const own = Array.isArray(match.gateways) ? match.gateways.filter((g: unknown): g is string => typeof g === 'string') : [];
    const edge = (own.length > 0 ? own : gateways).filter((g: string) => g !== MESH);
    if (edge.length === 0) return;
    const reach = `${edge.length === 1 ? 'gateway' : 'gateways'} ${edge.map((g: string) => q(g)).join(', ')} to reach ${subsets.length === 1 ? 'subset' : 'subsets'} ${subsets.map((s) => q(s)).join(', ')}`;
    for (const kind of ['headers', 'queryParams'] as const) {
      const conditions = match[kind];
      if (conditions === null || typeof conditions !== 'object') continue;
      for (const name of Object.keys(conditions)) {
        if (kind === 'headers' && (isJwtClaim(name) || isPseudoHeader(name) || isVersionPin(name, rule, subsets, publicSubsets))) continue;
        if (policy.trusted(kind, name)) continue;
        out.push({
          at: `match[${j}].${kind}[${q(name)}]`,
          kind,
          name,
          finding: {
            code: 'MATCH_FORGEABLE_ON_GATEWAY',
            message: `any client can set ${kind === 'headers' ? 'this header' : 'this query parameter'} on requests through ${reach}; ${policy.fix(kind)}`,
          },
        });
      }
    }
  });
  return out;
}

/** The checker's side: every HTTP rule of a VirtualService bound to a gateway. */
export function checkForgeableMatches(vs: Checked): void {
  const spec = vs.manifest.spec ?? {};
  const gateways = list(spec.gateways).filter((g: unknown): g is string => typeof g === 'string');
  const http: any[] = list(spec.http);
  // A VirtualService of the mesh alone (most of them) has no match that a gateway's client could forge.
  if (!gateways.some((g) => g !== MESH) && !http.some(namesEdgeGateway)) return;
  const everyone = servedToEveryone(http);
  http.forEach((rule: any, i: number) => {
    for (const { at, finding } of forgeableConditions(rule, gateways, CHECKER_POLICY, everyone)) vs.report.addFinding(`spec.http[${i}].${at}`, finding);
  });
}

// Whether a match of the rule lists a gateway other than the mesh (forgeableConditions then looks at it).
function namesEdgeGateway(rule: any): boolean {
  return list(rule?.match).some((match: any) => match !== null && typeof match === 'object' && Array.isArray(match.gateways)
    && match.gateways.some((g: unknown) => typeof g === 'string' && g !== MESH));
}

// The subsets the first rule without a match (the catch-all) sends some of every request to.
function servedToEveryone(http: any[]): Set<string> {
  const catchAll = http.find((rule) => rule !== null && typeof rule === 'object' && (!Array.isArray(rule.match) || rule.match.length === 0));
  const destinations: any[] = Array.isArray(catchAll?.route) ? catchAll.route : [];
  const served = destinations.filter((d) => destinations.length === 1 || typeof d?.weight === 'number' && d.weight > 0);
  return new Set(served.map((d) => d?.destination?.subset).filter((s): s is string => typeof s === 'string'));
}

/** The fix when a claim can replace the condition. */
export const JWT_CLAIM_FIX = 'match a JWT claim instead ("@request.auth.claims.<claim>" in headers, which a RequestAuthentication validates)';

const CHECKER_POLICY: ForgeablePolicy = {
  trusted: () => false,
  fix: () => `${JWT_CLAIM_FIX}, or have the edge strip or overwrite it and suppress this finding`,
};

// A sticky split's pin: the cookie header matched in a rule whose destinations set the version cookie, or
// that sends requests only to subsets every request may get anyway (a pin to a version of the split, or the
// rule that ends a pin by sending its requests where everyone goes).
function isVersionPin(name: string, rule: any, subsets: string[], publicSubsets: ReadonlySet<string>): boolean {
  if (name.toLowerCase() !== 'cookie') return false;
  return everyDestinationSetsCookie(rule) || subsets.every((s) => publicSubsets.has(s));
}
