/**
 * An HTTP method, for match conditions and mirroring.
 */
export class HttpMethod {
  /** GET: safe (read-only by HTTP's definition, RFC 9110). */
  public static readonly GET = new HttpMethod('GET');
  /** HEAD: safe (read-only by HTTP's definition, RFC 9110). */
  public static readonly HEAD = new HttpMethod('HEAD');
  /** OPTIONS: safe (read-only by HTTP's definition, RFC 9110). */
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

  /**
   * The safe methods: GET, HEAD and OPTIONS. Safe: read-only by HTTP's definition (RFC 9110), so a mirrored
   * copy has no side effect. (PUT and DELETE are idempotent too, but not safe: they change state.)
   */
  public static safe(): HttpMethod[] {
    return [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS];
  }

  private constructor(
    /** The method name as sent on the wire. */
    public readonly name: string,
  ) {}
}
