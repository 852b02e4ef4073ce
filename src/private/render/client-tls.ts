import { IConstruct } from 'constructs';
import { ClientTls, TlsMode } from '../../client-tls';
import { DestinationRuleSpecTrafficPolicyTls, DestinationRuleSpecTrafficPolicyTlsMode } from '../../imports/istio-networking.istio.io';
import { fail } from '../errors';

export function clientTlsToIstio(scope: IConstruct, field: string, tls: ClientTls): DestinationRuleSpecTrafficPolicyTls {
  if (tls.credentialName !== undefined && tls.mode !== TlsMode.SIMPLE && tls.mode !== TlsMode.MUTUAL) {
    fail(scope, `${field}.credentialName`, `a credential is only used with TlsMode.SIMPLE or TlsMode.MUTUAL, not ${tls.mode}; remove credentialName or change the mode`);
  }
  return {
    mode: tls.mode as unknown as DestinationRuleSpecTrafficPolicyTlsMode,
    credentialName: tls.credentialName,
    sni: tls.sni,
    subjectAltNames: tls.subjectAltNames,
  };
}
