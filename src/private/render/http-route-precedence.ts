import { HttpRouteSpecRules, HttpRouteSpecRulesMatches, HttpRouteSpecRulesMatchesPathType } from '../../imports/gateway-gateway.networking.k8s.io';

/**
 * The order in which Istio 1.30 tries an HTTPRoute's matches (conversion.go's sortHTTPRoutes, after Gateway
 * API's rules): an exact path, then the longest prefix (a regex last), a method, more headers, more query
 * parameters; ties keep the rules' order. A VirtualService tries its rules in order, so a rule written after
 * another must not outrank it where both match, or the HTTPRoute would answer those requests with the later rule.
 */
function rank(match: HttpRouteSpecRulesMatches | undefined): number[] {
  // The API server defaults a missing path (and a rule without matches) to the prefix "/".
  const path = match?.path ?? { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' };
  const kind = { Exact: 3, PathPrefix: 2, RegularExpression: 1 }[path.type ?? 'PathPrefix'];
  return [kind, (path.value ?? '/').length, match?.method === undefined ? 0 : 1, match?.headers?.length ?? 0, match?.queryParams?.length ?? 0];
}

function outranks(a: HttpRouteSpecRulesMatches | undefined, b: HttpRouteSpecRulesMatches | undefined): boolean {
  const [x, y] = [rank(a), rank(b)];
  const i = x.findIndex((v, j) => v !== y[j]);
  return i >= 0 && x[i] > y[i];
}

const key = (match: HttpRouteSpecRulesMatches | undefined) => JSON.stringify(match ?? {});

/**
 * Keeps the written order where only a method puts a later rule first (a mirrored copy of GET requests after
 * a testers' rule without a method): the earlier rule gets its condition once more with that method, which
 * matches no other request and ranks as high. Changes `rules` in place, from the rules at `from` on; the
 * earlier rules keep the matches they had.
 */
export function liftForMethods(rules: HttpRouteSpecRules[], from: number): void {
  for (let later = from; later < rules.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      const own = rules[earlier].matches;
      if (own === undefined) continue;
      const lifted = [...own];
      for (const l of rules[later].matches ?? []) {
        for (const e of own) {
          if (l.method === undefined || e.method !== undefined || !outranks(l, e)) continue;
          const narrowed = { ...e, method: l.method };
          if (!outranks(l, narrowed) && !lifted.some((m) => key(m) === key(narrowed))) lifted.push(narrowed);
        }
      }
      if (lifted.length > own.length) rules[earlier] = { ...rules[earlier], matches: lifted };
    }
  }
}

/**
 * The first pair of rules where a later rule's match outranks an earlier rule's for requests both take:
 * `[earlier, later]` indices, or undefined when Istio keeps the written order. Requests with the later
 * match's method that the earlier rule also takes with that method (see `liftForMethods`) are kept.
 */
export function precedenceConflict(rules: HttpRouteSpecRules[]): [number, number] | undefined {
  const matches = rules.map((rule) => rule.matches ?? [undefined]);
  for (let later = 1; later < rules.length; later++) {
    for (let earlier = 0; earlier < later; earlier++) {
      // A lifted copy of `e` with `l`'s method takes the requests both match.
      type Match = HttpRouteSpecRulesMatches | undefined;
      const kept = (e: Match, l: Match) => l?.method !== undefined && e?.method === undefined
        && matches[earlier].some((m) => key(m) === key({ ...e, method: l.method }) && !outranks(l, m));
      const lost = matches[later].some((l) => matches[earlier].some((e) => outranks(l, e) && !kept(e, l)));
      if (lost) return [earlier, later];
    }
  }
  return undefined;
}
