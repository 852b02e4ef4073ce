
/** Changes to the headers of a request or a response. */
export interface HeaderOperation {
  /**
   * Headers to set, replacing any value already there. Envoy reads `%...%` in a value as a variable
   * (`%HOSTNAME%`, `%REQ(x-user)%`, `%START_TIME(%s.%3f)%`); write a literal percent sign as `%%`. A value
   * with a malformed variable or a control character is an error (HEADER_VALUE_INVALID), as Istio rejects it.
   * @default - none
   */
  readonly set?: { [name: string]: string };

  /**
   * Headers to append, keeping values already there (use this for `set-cookie`). Values follow the rules of
   * `set`.
   * @default - none
   */
  readonly add?: { [name: string]: string };

  /**
   * Headers to remove.
   * @default - none
   */
  readonly remove?: string[];
}

/** Header changes made by the sidecar on a rule or on one destination of a split. */
export interface HeaderOperations {
  /**
   * Changes to the request before it is forwarded.
   * @default - none
   */
  readonly request?: HeaderOperation;

  /**
   * Changes to the response before it is returned.
   * @default - none
   */
  readonly response?: HeaderOperation;
}

