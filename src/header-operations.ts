import { IConstruct } from 'constructs';
import { checkHeaderName, report } from './checks';
import { fail, q } from './errors';
import { headerValueFinding } from './validation/values';

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

type IstioHeaderOperation = { set?: { [name: string]: string }; add?: { [name: string]: string }; remove?: string[] };

/** @internal */
export function headerOperationsToIstio(scope: IConstruct, field: string, ops: HeaderOperations) {
  return {
    request: ops.request && headerOperationToIstio(scope, `${field}.request`, ops.request, 'request'),
    response: ops.response && headerOperationToIstio(scope, `${field}.response`, ops.response, 'response'),
  };
}

function headerOperationToIstio(scope: IConstruct, field: string, op: HeaderOperation, direction: 'request' | 'response'): IstioHeaderOperation {
  // Istio lets a request rewrite Host (that is the authority) but never remove it, nor touch it in a response.
  const hostTouched = [...(direction === 'response' ? [...Object.keys(op.set ?? {}), ...Object.keys(op.add ?? {})] : []), ...(op.remove ?? [])]
    .includes('host');
  if (hostTouched) fail(scope, field, `the Host header cannot be ${direction === 'response' ? 'changed in a response' : 'removed'}; Istio rejects it`);
  const seen = new Map<string, string>();
  const names = (kind: string, list: string[]) => {
    list.forEach((name, i) => {
      const at = `${field}.${kind}[${kind === 'remove' ? i : q(name)}]`;
      checkHeaderName(scope, at, name);
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        fail(scope, at, `header ${q(name)} is also in ${earlier}; change each header in one operation only`);
      }
      seen.set(name, kind);
    });
  };
  names('set', Object.keys(op.set ?? {}));
  names('add', Object.keys(op.add ?? {}));
  names('remove', op.remove ?? []);
  for (const [kind, values] of [['set', op.set], ['add', op.add]] as const) {
    for (const [name, value] of Object.entries(values ?? {})) report(scope, `${field}.${kind}[${q(name)}]`, headerValueFinding(value));
  }
  return { set: op.set && { ...op.set }, add: op.add && { ...op.add }, remove: op.remove && [...op.remove] };
}
