import { IConstruct } from 'constructs';
import { FaultInjection } from '../../fault-injection';
import { VirtualServiceSpecHttpFault } from '../../imports/istio-networking.istio.io';
import { checkPercentage, checkInteger, istioDuration } from '../checks';
import { fail } from '../errors';

export function faultToIstio(scope: IConstruct, field: string, fault: FaultInjection): VirtualServiceSpecHttpFault {
  if (fault.delay === undefined && fault.abort === undefined) {
    fail(scope, field, 'the fault is empty; set delay or abort, or leave fault out');
  }
  const percentage = (name: string, value: number | undefined) => {
    if (value === undefined) return undefined;
    checkPercentage(scope, `${field}.${name}`, value);
    // Istio's webhook rejects fault percentages between 0 and its resolution of 0.0001.
    if (value > 0 && value < 0.0001) fail(scope, `${field}.${name}`, `${value} is below 0.0001, the smallest share Istio can inject; use 0 or at least 0.0001`);
    return { value };
  };
  const { delay, abort } = fault;
  if (abort) checkInteger(scope, `${field}.abort.httpStatus`, abort.httpStatus, 200, 599);
  return {
    delay: delay && {
      fixedDelay: istioDuration(scope, `${field}.delay.fixedDelay`, delay.fixedDelay),
      percentage: percentage('delay.percentage', delay.percentage),
    },
    abort: abort && {
      httpStatus: abort.httpStatus,
      percentage: percentage('abort.percentage', abort.percentage),
    },
  };
}
