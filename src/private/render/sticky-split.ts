import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { RuleSite, renderRule } from './route-rule';
import type { CompositeRoute } from '../../composite-route';
import { WeightedSubset, Destination } from '../../destination';
import { HeaderOperations } from '../../header-operations';
import { VirtualServiceSpecHttp } from '../../imports/istio-networking.istio.io';
import { Mirroring } from '../../mirror-policy';
import { DefaultRuleOptions, RulePolicies } from '../../route-rule';
import { StringMatch } from '../../string-match';
import { Subset, Subsets } from '../../subsets';
import { SameSite, VersionCookie } from '../../version-cookie';
import { durationText, fail, q } from '../errors';
import { hash32 } from '../hash';
import { escapeRegex } from '../regex-literal';

/** A version cookie with its props checked: its name, Max-Age in seconds, and the attributes after Max-Age. */
interface CookieSpec {
  readonly name: string;
  readonly maxAge: number;
  readonly attributes: string;
}

/**
 * The rules of a sticky split written at `site` (a `StickySplit`'s props, or a `Canary`'s).
 *
 * While two or more versions have weight: one pinning rule per such version, which sends the requests that
 * carry its cookie back to it without sending the cookie again, then the weighted rule, whose destinations
 * set the cookie. So the cookie is set once, when a version is assigned, and `maxAge` counts from there. A
 * cookie that no pin matches (a version at weight 0, a previous release) reaches the weighted rule, whose
 * answer replaces it with the version that served the request.
 *
 * With one version left there is nothing to choose: no cookie is set, and every version's cookie is expired
 * (see `unpinRules`), so that the next split starts without old pins.
 */
export function stickySplitRules(site: RuleSite, subsets: Subsets, ruleName: string, split: WeightedSubset[], cookie: VersionCookie,
  policies: RulePolicies & { readonly mirror?: Mirroring }): { readonly cookieName: string; readonly http: VirtualServiceSpecHttp[] } {
  const spec = cookieSpec(site, subsets, cookie);
  // Checked at every weight, so that moving the weights never turns a valid split into an error.
  split.forEach((w, i) => checkOwnSetCookie(site, `to[${i}].headers`, w.headers));
  const active = split.map((w, i) => ({ w, i })).filter(({ w }) => w.weight > 0);
  if (active.length < 2) {
    const options = { ...policies, to: Destination.split(split) };
    const unpins = unpinRules(site, subsets, ruleName, split.map((w) => w.subset), cookie, options);
    return { cookieName: spec.name, http: [...unpins, ...renderRule(site, subsets, ruleName, undefined, options)] };
  }
  const withCookie = split.map((w) => ({ ...w, headers: withSetCookie(w.headers, `${spec.name}=${versionCookieValue(w.subset)}; Max-Age=${spec.maxAge}${spec.attributes}`) }));
  // A pin's destination is the split's: its problems are reported there.
  const pinSite = (i: number): RuleSite => ({ scope: site.scope, field: (part) => site.field(/^to(?=$|[.[])/.test(part) ? `to[${i}]${part.slice(2)}` : part) });
  const pins = active.flatMap(({ w, i }) => renderRule(pinSite(i), subsets, `${ruleName}-${w.subset.name}`, [cookieMatch(spec.name, w.subset)],
    { ...policies, to: Destination.subset(w.subset, { headers: w.headers }) }));
  const weighted = renderRule(site, subsets, ruleName, undefined, { ...policies, to: Destination.split(withCookie) });
  return { cookieName: spec.name, http: [...pins, ...weighted] };
}

/**
 * The rules that end the pins of `versions` where the public is not split: one per version, before the
 * stage's own rule, which sends the requests that carry its cookie where `options` sends everyone (with the
 * same policies and mirroring) and expires the cookie (`Max-Age=0`) on the answer. A `Canary` writes them at
 * every stage that does not split, so that a rollback ends the pins of the users who come back meanwhile.
 */
export function unpinRules(site: RuleSite, subsets: Subsets, ruleName: string, versions: Subset[], cookie: VersionCookie,
  options: DefaultRuleOptions): VirtualServiceSpecHttp[] {
  const spec = cookieSpec(site, subsets, cookie);
  const expire = `${spec.name}=; Max-Age=0${spec.attributes}`;
  const to = options.to._withHeaders((headers, entry) => {
    checkOwnSetCookie(site, `to${entry}.headers`, headers);
    return withSetCookie(headers, expire);
  });
  return versions.flatMap((version) => renderRule(site, subsets, `${ruleName}-${version.name}`, [cookieMatch(spec.name, version)], { ...options, to }));
}

/**
 * The value of a version's cookie: the subset's name and a short hash of its labels, so that it names the
 * release. The next release's subsets select other pods (another `version` label), and their cookies
 * differ even where the subsets' names (`stable`, `canary`) do not.
 */
export function versionCookieValue(subset: Subset): string {
  const labels = Object.keys(subset.labels).sort().map((key) => `${key}=${subset.labels[key]}`).join('\n');
  // The low 24 bits: labels that differ in one character differ there too.
  return `${subset.name}.${hash32(labels).slice(2)}`;
}

/**
 * Checks that the version cookie can reach the users' browsers. On a route that only sidecars use, Istio
 * sets it on the response to the calling workload, and it pins only if every hop forwards `Cookie` and
 * `Set-Cookie`: the props must bind the route to a gateway, or name the callers that forward both, each
 * with a reason. `routeField` is the prop that decides the route's gateways: `gateways` for the route the
 * construct made, `route` for one it was given.
 */
export function checkCookieReach(scope: IConstruct, route: CompositeRoute, routeField: string, cookie: VersionCookie): void {
  const forwarders = cookie.forwardedBy ?? [];
  forwarders.forEach((forwarder, i) => {
    if (forwarder.caller.trim() === '') {
      fail(scope, `cookie.forwardedBy[${i}].caller`, 'name the workload that forwards the version cookie, e.g. "storefront"');
    }
    if (forwarder.reason.trim() === '') {
      fail(scope, `cookie.forwardedBy[${i}].reason`, `say why ${q(forwarder.caller)} forwards Cookie and Set-Cookie (e.g. "it proxies the browser's requests and returns Set-Cookie unchanged"); an empty reason is not a review trail`);
    }
  });
  if (route.appliesToGateways || forwarders.length > 0) return;
  // A mesh HTTPRoute is bound by its output, not by gateways.
  const field = routeField === 'gateways' && route.output.isHttpRoute ? 'output' : routeField;
  const bind = field === 'route' ? `bind ${route.node.path} to the gateway the users come through`
    : field === 'output' ? 'attach the route to the Gateway the users come through (RouteOutput.gatewayHttpRoute({ name, namespace }))'
      : 'bind the route to the gateway the users come through (gateways)';
  fail(scope, field, 'the route applies to sidecars only, so the version cookie is set on the responses to the calling workload, not in the users\' browsers, '
    + `and it pins only if every hop forwards Cookie and Set-Cookie; ${bind}, or name the callers that forward both headers, each with a reason, in cookie.forwardedBy`);
}

function cookieSpec({ scope, field }: RuleSite, subsets: Subsets, cookie: VersionCookie): CookieSpec {
  const name = cookie.name ?? `${subsets.host.replace(/^\*\./, '').split('.')[0]}-version`;
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
    fail(scope, field('cookie.name'), `${q(name)} is not a valid cookie name; use letters, digits and '-', '_' or '.'`);
  }
  const duration = cookie.maxAge ?? Duration.days(1);
  const maxAge = duration.toSeconds({ integral: false });
  if (!Number.isSafeInteger(maxAge) || maxAge < 1) {
    fail(scope, field('cookie.maxAge'), `${durationText(duration)} is not a whole number of seconds of at least 1s, as Max-Age counts; use e.g. Duration.hours(12)`);
  }
  const path = cookie.path ?? '/';
  if (!path.startsWith('/') || /[;\s]/.test(path)) {
    fail(scope, field('cookie.path'), `${q(path)} is not a cookie path; use an absolute path without ';' or spaces, such as "/"`);
  }
  const secure = cookie.secure ?? true;
  const sameSite = cookie.sameSite ?? SameSite.LAX;
  if (sameSite === SameSite.NONE && !secure) {
    fail(scope, field('cookie.sameSite'), 'browsers reject SameSite=None without Secure; set secure: true or choose another SameSite');
  }
  // An expiring Set-Cookie must carry the same Path, or the browser keeps the cookie it set.
  return { name, maxAge, attributes: `; Path=${path}${(cookie.httpOnly ?? true) ? '; HttpOnly' : ''}${secure ? '; Secure' : ''}; SameSite=${sameSite}` };
}

function checkOwnSetCookie({ scope, field }: RuleSite, at: string, headers: HeaderOperations | undefined): void {
  const response = headers?.response;
  if (response?.add?.['set-cookie'] !== undefined || response?.set?.['set-cookie'] !== undefined || response?.remove?.includes('set-cookie')) {
    fail(scope, field(`${at}.response`), 'the sticky split sets the set-cookie response header itself; remove set-cookie from the destination\'s header changes');
  }
}

// Added, not set: the application's own Set-Cookie headers stay.
function withSetCookie(headers: HeaderOperations | undefined, value: string): HeaderOperations {
  const response = headers?.response;
  return { request: headers?.request, response: { ...response, add: { ...response?.add, 'set-cookie': value } } };
}

/**
 * The condition that a request carries `version`'s cookie: a regex on the `cookie` request header that
 * finds `name=value` among any other cookies. Envoy regexes must match the whole header, hence the optional
 * parts on both sides.
 */
function cookieMatch(name: string, version: Subset): { headers: { cookie: StringMatch } } {
  return { headers: { cookie: StringMatch.regex(`^(.*;\\s*)?${escapeRegex(name)}=${escapeRegex(versionCookieValue(version))}(;.*)?$`) } };
}
