/**
 * A request to route on paper. Everything is optional: an unset field is what a plain `GET /` from a
 * sidecar in the mesh would carry.
 */
export interface SimulatedRequest {
  /**
   * The host the request is addressed to.
   * @default - the only host of the model (a model with several hosts needs one)
   */
  readonly host?: string;

  /**
   * The HTTP method.
   * @default 'GET'
   */
  readonly method?: string;

  /**
   * The path, with an optional query string (`/cart?step=2`).
   * @default '/'
   */
  readonly uri?: string;

  /**
   * Request headers; names are compared case-insensitively, as Envoy lowercases them. JWT claim
   * conditions (`@request.auth.claims.<name>`) are looked up here by that name too.
   * @default - no headers
   */
  readonly headers?: { [name: string]: string };

  /**
   * Cookies, sent as one `cookie` header (`a=1; b=2`) after any `cookie` header in `headers`.
   * @default - no cookies
   */
  readonly cookies?: { [name: string]: string };

  /**
   * Labels of the calling workload, for `sourceLabels` conditions (sidecar traffic only).
   * @default - no labels
   */
  readonly sourceLabels?: { [key: string]: string };

  /**
   * Namespace of the calling workload, for `sourceNamespace` conditions (sidecar traffic only).
   * @default - unknown: conditions on the source namespace do not match
   */
  readonly sourceNamespace?: string;

  /**
   * The gateway the request comes through, as `namespace/name` or `name`. Only VirtualServices bound to that
   * gateway apply, and conditions on source labels or namespace never match there: Istio compares them with
   * the gateway's own pods.
   * @default - the request comes from a sidecar in the mesh
   */
  readonly gateway?: string;

  /**
   * The port the request is sent to.
   * @default - unknown: rules that match a port do not match
   */
  readonly port?: number;

  /**
   * The scheme, for `scheme` conditions.
   * @default 'http'
   */
  readonly scheme?: string;
}
