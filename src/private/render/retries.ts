import { IConstruct } from 'constructs';
import { VirtualServiceSpecHttpRetries } from '../../imports/istio-networking.istio.io';
import { Retries } from '../../retries';
import { checkInteger, istioDuration } from '../checks';
import { fail, q } from '../errors';

export function retriesToIstio(scope: IConstruct, field: string, retries: Retries): VirtualServiceSpecHttpRetries {
  checkInteger(scope, `${field}.attempts`, retries.attempts, 0);
  const tuned = retries.perTryTimeout !== undefined || retries.retryOn !== undefined || retries.retryRemoteLocalities !== undefined;
  if (retries.attempts === 0 && tuned) {
    fail(scope, field, 'attempts is 0, so retries are off and perTryTimeout, retryOn and retryRemoteLocalities have no effect (Istio rejects them); remove them or set attempts');
  }
  const retryOn = retries.retryOn;
  if (retryOn !== undefined) {
    if (retryOn.length === 0) fail(scope, `${field}.retryOn`, 'the list is empty; leave retryOn out for Istio\'s default conditions, or name some');
    retryOn.forEach((condition, i) => condition._check(scope, `${field}.retryOn[${i}]`));
    const values = retryOn.map((condition) => condition.value);
    const duplicate = values.find((value, i) => values.indexOf(value) !== i);
    if (duplicate !== undefined) fail(scope, `${field}.retryOn`, `${q(duplicate)} is listed twice; list each condition once`);
  }
  return {
    attempts: retries.attempts,
    perTryTimeout: retries.perTryTimeout && istioDuration(scope, `${field}.perTryTimeout`, retries.perTryTimeout),
    retryOn: retryOn?.map((condition) => condition.value).join(','),
    retryRemoteLocalities: retries.retryRemoteLocalities,
  };
}
