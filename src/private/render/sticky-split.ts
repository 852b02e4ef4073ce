import { Duration } from 'cdk8s';
import { RuleSite, renderRule } from './route-rule';
import { WeightedSubset, Destination } from '../../destination';
import { HeaderOperations } from '../../header-operations';
import { VirtualServiceSpecHttp } from '../../imports/istio-networking.istio.io';
import { Mirroring } from '../../mirror-policy';
import { RulePolicies } from '../../route-rule';
import { StringMatch } from '../../string-match';
import { Subsets } from '../../subsets';
import { SameSite, VersionCookie } from '../../version-cookie';
import { durationText, fail, q } from '../errors';

/**
 * The rules of a sticky split written at `site` (a `StickySplit`'s props, or a `Canary`'s): one pinning rule
 * per version with a weight, then the weighted rule, whose destinations set the version cookie.
 */
export function stickySplitRules(site: RuleSite, subsets: Subsets, ruleName: string, split: WeightedSubset[], cookie: VersionCookie,
  policies: RulePolicies & { readonly mirror?: Mirroring }): { readonly cookieName: string; readonly http: VirtualServiceSpecHttp[] } {
  const { scope, field } = site;
  const cookieName = cookie.name ?? `${subsets.host.replace(/^\*\./, '').split('.')[0]}-version`;
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookieName)) {
    fail(scope, field('cookie.name'), `${q(cookieName)} is not a valid cookie name; use letters, digits and '-', '_' or '.'`);
  }
  const attributes = cookieAttributes(site, cookie);
  const withCookie = split.map((w, i) => ({
    ...w,
    headers: addSetCookie(site, `to[${i}].headers`, w.headers, `${cookieName}=${w.subset.name}${attributes}`),
  }));
  // With one version left there is nothing to stay on: everyone gets it, and its cookie.
  const active = withCookie.map((w, i) => ({ w, i })).filter(({ w }) => w.weight > 0);
  // A pin's destination is the split's: its problems are reported there.
  const pinSite = (i: number): RuleSite => ({ scope, field: (part) => field(/^to(?=$|[.[])/.test(part) ? `to[${i}]${part.slice(2)}` : part) });
  const pins = active.length < 2 ? [] : active.flatMap(({ w, i }) => renderRule(pinSite(i), subsets, `${ruleName}-${w.subset.name}`,
    [{ headers: { cookie: StringMatch.regex(cookieRegex(cookieName, w.subset.name)) } }],
    { ...policies, to: Destination.subset(w.subset, { headers: w.headers }) }));
  const weighted = renderRule(site, subsets, ruleName, undefined, { ...policies, to: Destination.split(withCookie) });
  return { cookieName, http: [...pins, ...weighted] };
}

function cookieAttributes({ scope, field }: RuleSite, cookie: VersionCookie): string {
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
  return `; Max-Age=${maxAge}; Path=${path}${(cookie.httpOnly ?? true) ? '; HttpOnly' : ''}${secure ? '; Secure' : ''}; SameSite=${sameSite}`;
}

function addSetCookie({ scope, field }: RuleSite, at: string, headers: HeaderOperations | undefined, value: string): HeaderOperations {
  const response = headers?.response;
  if (response?.add?.['set-cookie'] !== undefined || response?.set?.['set-cookie'] !== undefined || response?.remove?.includes('set-cookie')) {
    fail(scope, field(`${at}.response`), 'the sticky split sets the set-cookie response header itself; remove set-cookie from the destination\'s header changes');
  }
  return { request: headers?.request, response: { ...response, add: { ...response?.add, 'set-cookie': value } } };
}

/**
 * Matches a `cookie` request header that carries `name=value` among any other cookies. Envoy regexes must
 * match the whole header, hence the optional parts on both sides.
 */
function cookieRegex(name: string, value: string): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^(.*;\\s*)?${escape(name)}=${escape(value)}(;.*)?$`;
}
