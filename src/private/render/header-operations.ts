import { IConstruct } from 'constructs';
import { HeaderOperation, HeaderOperations } from '../../header-operations';
import { checkHeaderName, report } from '../checks';
import { fail, q } from '../errors';
import { headerValueFinding } from '../validation/values';

type IstioHeaderOperation = { set?: { [name: string]: string }; add?: { [name: string]: string }; remove?: string[] };

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
