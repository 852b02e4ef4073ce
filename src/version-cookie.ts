import { Duration } from 'cdk8s';

/** The SameSite attribute of the version cookie. */
export enum SameSite {
  /** Sent on same-site requests only. */
  STRICT = 'Strict',
  /** Sent on same-site requests and top-level navigations (browsers' default). */
  LAX = 'Lax',
  /** Sent on every request; needs `secure`. */
  NONE = 'None',
}

/**
 * The cookie that remembers which version a user got.
 *
 * Only the weighted rule sets it, when it assigns a version to a request without a valid pin; the rules that
 * pin later requests do not send it again. So `maxAge` is a hard limit counted from the assignment, not an
 * idle timeout: an active user is assigned afresh once it runs out, and a change of weights reaches every
 * returning user within `maxAge`.
 *
 * Its value names the release, not only the version: the subset's name and a short hash of its labels
 * (`v2.1a2b3c`). The next release's subsets carry other labels (a new `version`), so a user pinned to the
 * previous release's canary is not pinned to the next one's, even when both subsets are named `canary`.
 */
export interface VersionCookie {
  /**
   * Cookie name.
   * @default - the host's first label followed by `-version`, e.g. `checkout-service-version`
   */
  readonly name?: string;

  /**
   * How long a user stays on the version first chosen, counted from the assignment: the cookie is not
   * renewed by later requests.
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

  /**
   * The callers that pass the version cookie between the users' browsers and this host, when the split's
   * route applies to sidecars only. There Istio sets the cookie on the response to the calling workload, not
   * on the browser: the pin holds only if every hop forwards the `Cookie` request header and the `Set-Cookie`
   * response header. Without an entry here, a sticky split on a route that no gateway is bound to is an error.
   * @default - no caller is stated to forward the cookie: the route must be bound to a gateway
   */
  readonly forwardedBy?: CookieForwarder[];
}

/** A workload that forwards the version cookie for a sticky split on a sidecar-only route, and why it does. */
export interface CookieForwarder {
  /** The calling workload, as reviewers know it, e.g. `storefront`. */
  readonly caller: string;

  /**
   * Why it forwards both headers, e.g. "the storefront proxies the browser's Cookie header and returns
   * Set-Cookie unchanged".
   */
  readonly reason: string;
}
