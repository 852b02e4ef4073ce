
/** How the sidecar secures connections to the destination. */
export enum TlsMode {
  /** Plain text. */
  DISABLE = 'DISABLE',
  /** TLS to the destination (server authentication only). */
  SIMPLE = 'SIMPLE',
  /** Mutual TLS with a client certificate you provide (`credentialName`). */
  MUTUAL = 'MUTUAL',
  /** Mutual TLS with Istio's own workload certificates. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/**
 * Client-side TLS settings for connections to the destination.
 *
 * SIMPLE and MUTUAL get a warning at synth (TLS_SERVER_NOT_VERIFIED), as `istioctl analyze` gives it
 * (IST0128): these settings name no CA to verify the server's certificate with. Where the proxies verify
 * against their default roots, suppress it with `IstioChecker.suppress` and the reason.
 */
export interface ClientTls {
  /** The TLS mode. */
  readonly mode: TlsMode;

  /**
   * Name of the Kubernetes secret holding the client certificate, key and CA (SIMPLE and MUTUAL only).
   * @default - none
   */
  readonly credentialName?: string;

  /**
   * SNI sent during the TLS handshake.
   * @default - derived by Istio from the destination
   */
  readonly sni?: string;

  /**
   * Names accepted in the server certificate's subject alternative names.
   * @default - not checked beyond the CA
   */
  readonly subjectAltNames?: string[];
}

