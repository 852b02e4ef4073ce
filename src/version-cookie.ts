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
