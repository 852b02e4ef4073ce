/**
 * TLS_SERVER_NOT_VERIFIED (istioctl analyze IST0128 and IST0129): client TLS in SIMPLE or MUTUAL mode without
 * caCertificates, at the top of a DestinationRule's traffic policy or in one of its port-level settings, as
 * Istio's `CaCertificateAnalyzer` reads them (it does not look at subsets). A credentialName counts only on
 * a DestinationRule with a workloadSelector, the one case where Istio reads the CA from the secret.
 */
import { Report } from './report';
import { q } from './values';
import { isPlain, list } from '../json-values';

/** A DestinationRule spec (any shape). */
export function checkServerVerification(r: Report, spec: { [key: string]: any }): void {
  const policy = isPlain(spec.trafficPolicy) ? spec.trafficPolicy : {};
  const selector = spec.workloadSelector !== undefined && spec.workloadSelector !== null;
  const host = typeof spec.host === 'string' ? spec.host : '';
  check(r, policy.tls, 'spec.trafficPolicy.tls', selector, q(host), 'IST0128');
  list(policy.portLevelSettings).forEach((entry: any, i: number) => {
    const port = entry?.port?.number;
    check(r, entry?.tls, `spec.trafficPolicy.portLevelSettings[${i}].tls`, selector, `${q(host)} on port ${port ?? '?'}`, 'IST0129');
  });
}

function check(r: Report, tls: unknown, field: string, selector: boolean, target: string, code: string): void {
  if (!isPlain(tls) || (tls.mode !== 'SIMPLE' && tls.mode !== 'MUTUAL')) return;
  if (typeof tls.caCertificates === 'string' && tls.caCertificates !== '') return;
  if (selector && typeof tls.credentialName === 'string' && tls.credentialName !== '') return;
  r.add('TLS_SERVER_NOT_VERIFIED', field, `TLS mode ${tls.mode} sets no caCertificates to verify the server of ${target} (istioctl analyze ${code}), `
    + 'so the proxy checks its certificate against no CA of this DestinationRule; set caCertificates to the CA that signs the server\'s certificate');
}

