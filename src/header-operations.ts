import { IConstruct } from 'constructs';
import { checkHeaderName } from './checks';
import { fail, q } from './errors';

/** Changes to the headers of a request or a response. */
export interface HeaderOperation {
  /**
   * Headers to set, replacing any value already there.
   * @default - none
   */
  readonly set?: { [name: string]: string };

  /**
   * Headers to append, keeping values already there (use this for `set-cookie`).
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
    request: ops.request && headerOperationToIstio(scope, `${field}.request`, ops.request),
    response: ops.response && headerOperationToIstio(scope, `${field}.response`, ops.response),
  };
}

function headerOperationToIstio(scope: IConstruct, field: string, op: HeaderOperation): IstioHeaderOperation {
  const seen = new Map<string, string>();
  const names = (kind: string, list: string[]) => {
    for (const name of list) {
      checkHeaderName(scope, `${field}.${kind}`, name);
      const earlier = seen.get(name);
      if (earlier !== undefined) {
        fail(scope, `${field}.${kind}`, `header ${q(name)} is also in ${earlier}; change each header in one operation only`);
      }
      seen.set(name, kind);
    }
  };
  names('set', Object.keys(op.set ?? {}));
  names('add', Object.keys(op.add ?? {}));
  names('remove', op.remove ?? []);
  return { set: op.set && { ...op.set }, add: op.add && { ...op.add }, remove: op.remove && [...op.remove] };
}
