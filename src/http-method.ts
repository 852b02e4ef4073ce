/**
 * An HTTP method, for match conditions and mirroring.
 */
export class HttpMethod {
  /** GET: read-only and idempotent. */
  public static readonly GET = new HttpMethod('GET');
  /** HEAD: read-only and idempotent. */
  public static readonly HEAD = new HttpMethod('HEAD');
  /** OPTIONS: read-only and idempotent. */
  public static readonly OPTIONS = new HttpMethod('OPTIONS');
  /** POST: creates or changes state. */
  public static readonly POST = new HttpMethod('POST');
  /** PUT: replaces state. */
  public static readonly PUT = new HttpMethod('PUT');
  /** PATCH: changes state. */
  public static readonly PATCH = new HttpMethod('PATCH');
  /** DELETE: removes state. */
  public static readonly DELETE = new HttpMethod('DELETE');

  /**
   * A method not listed here, e.g. `PURGE`.
   * @param name the method name as sent on the wire (upper case)
   */
  public static custom(name: string): HttpMethod {
    return new HttpMethod(name);
  }

  /** The methods that only read, so that a mirrored copy has no side effect: GET, HEAD and OPTIONS. */
  public static idempotent(): HttpMethod[] {
    return [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS];
  }

  private constructor(
    /** The method name as sent on the wire. */
    public readonly name: string,
  ) {}
}
