import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { CompositeRoute } from './composite-route';
import { Destination, WeightedSubset } from './destination';
import { durationText, fail, q } from './errors';
import { HeaderOperations } from './header-operations';
import { VirtualServiceSpecHttp } from './imports/istio-networking.istio.io';
import { Mirroring } from './mirroring';
import { presetRoute, PresetRouteOptions } from './preset-route';
import { renderRule, RulePolicies, RuleSite, ruleSite } from './rule';
import { StringMatch } from './string-match';
import { Subsets } from './subsets';

/** The SameSite attribute of the version cookie. */
export enum SameSite {
  /** Sent on same-site requests only. */
  STRICT = 'Strict',
  /** Sent on same-site requests and top-level navigations (browsers' default). */
  LAX = 'Lax',
  /** Sent on every request; needs `secure`. */
  NONE = 'None',
}

/** The cookie that remembers which version a user got. */
export interface VersionCookie {
  /**
   * Cookie name.
   * @default - the host's first label followed by `-version`, e.g. `checkout-service-version`
   */
  readonly name?: string;

  /**
   * How long a user stays on the version first chosen.
   * @default Duration.days(1)
   */
  readonly maxAge?: Duration;

  /**
   * Path attribute.
   * @default '/'
   */
  readonly path?: string;

  /**
   * HttpOnly attribute: scripts cannot read the cookie.
   * @default true
   */
  readonly httpOnly?: boolean;

  /**
   * Secure attribute: browsers send the cookie over HTTPS only.
   * @default true
   */
  readonly secure?: boolean;

  /**
   * SameSite attribute.
   * @default SameSite.LAX
   */
  readonly sameSite?: SameSite;
}

/** Props of `StickySplit`. */
export interface StickySplitProps extends RulePolicies, PresetRouteOptions {
  /** The versions and their weights (whole percentages summing to 100). */
  readonly split: WeightedSubset[];

  /**
   * The version cookie.
   * @default - a cookie named after the host, kept for a day
   */
  readonly cookie?: VersionCookie;

  /**
   * Shadow copies of the split's requests to another subset.
   * @default - no mirroring
   */
  readonly mirror?: Mirroring;

  /**
   * Name of the weighted rule; the pinning rules are named `<ruleName>-<subset>`.
   * @default 'sticky-split'
   */
  readonly ruleName?: string;
}

/**
 * A weighted split in which a user keeps the version first chosen.
 *
 * Consistent hashing cannot do this: Envoy picks the subset of a weighted route at random on every request
 * and hashes only to pick a pod inside it. So the split uses a cookie instead: each destination of the
 * weighted rule adds `Set-Cookie: <name>=<subset>` to its responses, and one rule per version, placed before
 * the split, sends requests that carry that cookie back to the same version (and renews the cookie).
 *
 * A version whose weight drops to 0 is no longer pinned: requests with its cookie fall through to the split,
 * which answers from a remaining version and replaces the cookie.
 *
 * @example
 * new StickySplit(chart, 'sticky', {
 *   split: [
 *     { subset: subsets.subset('v1'), weight: 50 },
 *     { subset: subsets.subset('v2'), weight: 50 },
 *   ],
 * });
 */
export class StickySplit extends Construct {
  /** The route the split's rules are in. */
  public readonly route: CompositeRoute;

  /** The name of the version cookie. */
  public readonly cookieName: string;

  constructor(scope: Construct, id: string, props: StickySplitProps) {
    super(scope, id);
    // The rules' parts as the props name them; a second default, or a cookie or rule name that clashes with
    // a rule there already, is a problem of the route the split is added to.
    const site = ruleSite(this, '', { '': 'route', 'name': 'ruleName', 'to': 'split', 'match': 'cookie.name' });
    if (props.split.length === 0) {
      fail(this, 'split', 'the split is empty; give it at least one subset and weight');
    }
    const subsets = props.split[0].subset.subsets;
    this.route = presetRoute(this, subsets, props);
    const sticky = stickySplitRules(site, subsets, props.ruleName ?? 'sticky-split', props.split, props.cookie ?? {}, {
      timeout: props.timeout, retries: props.retries, headers: props.headers, fault: props.fault, mirror: props.mirror,
    });
    this.cookieName = sticky.cookieName;
    // Forging the version cookie only picks a version the split already serves to everyone.
    this.route._setDefault(`the sticky split ${this.node.path}`, sticky.http, site, ['cookie']);
  }
}

/**
 * The rules of a sticky split written at `site` (a `StickySplit`'s props, or a `Canary`'s): one pinning rule
 * per version with a weight, then the weighted rule, whose destinations set the version cookie.
 * @internal
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
