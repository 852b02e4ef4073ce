import { HttpMethod } from './http-method';
import { StringMatch } from './string-match';

/**
 * One match condition of a rule. All the fields set in one condition must hold (AND); a rule with several
 * conditions matches when any of them holds (OR).
 */
export interface RouteMatch {
  /**
   * Request headers that must match, by lowercase name. Header values can be set by any client: on a route
   * bound to an ingress gateway, make sure the edge strips or overwrites the header.
   *
   * An upper-case name is an error here (MATCH_HEADER_NAME_UPPERCASE), stricter than Istio, which accepts
   * it with a warning since Envoy compares names in lower case: the route's own checks (trusted headers on
   * gateways, rules with the same conditions) compare names as written, and would miss `X-User` against
   * `x-user`. Pseudo-headers are not taken either: match the path with `uri`. A JWT claim
   * (`@request.auth.claims.groups`, validated by a RequestAuthentication on the gateway) is taken on a route
   * bound to gateways only; Istio rejects it on one that applies to the mesh (VS_JWT_CLAIM_NOT_ON_GATEWAY).
   * @default - headers are not checked
   */
  readonly headers?: { [name: string]: StringMatch };

  /**
   * Request headers that must not match, by lowercase name; `StringMatch.present()` means "absent".
   * Names follow the rules of `headers`.
   * @default - headers are not checked
   */
  readonly withoutHeaders?: { [name: string]: StringMatch };

  /**
   * Labels of the calling workload. Only traffic from sidecars carries them: on a gateway such a condition
   * never matches.
   * @default - any caller
   */
  readonly sourceLabels?: { [key: string]: string };

  /**
   * Namespace of the calling workload (sidecar traffic only).
   * @default - any namespace
   */
  readonly sourceNamespace?: string;

  /**
   * The request path.
   * @default - any path
   */
  readonly uri?: StringMatch;

  /**
   * Compare `uri` case-insensitively.
   * @default false
   */
  readonly ignoreUriCase?: boolean;

  /**
   * HTTP methods, any of which matches.
   * @default - any method
   */
  readonly methods?: HttpMethod[];

  /**
   * Query parameters that must match.
   * @default - query parameters are not checked
   */
  readonly queryParams?: { [name: string]: StringMatch };

  /**
   * The port the request was sent to.
   * @default - any port
   */
  readonly port?: number;
}

