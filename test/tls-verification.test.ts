/**
 * TLS_SERVER_NOT_VERIFIED: istioctl analyze's IST0128 (top-level traffic policy) and IST0129 (port level),
 * with the cases of Istio 1.30's own analyzer test table (destination and port level, SIMPLE and MUTUAL,
 * credentialName with and without a workloadSelector, both CAs set), and what the constructs write.
 */
import { Testing } from 'cdk8s';
import { IstioChecker, Severity, Subsets, TlsMode } from '../src';
import { synth } from './util';

function dr(spec: any): any {
  return { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'db-tls', namespace: 'prod' }, spec: { host: 'mydbserver.prod.svc.cluster.local', ...spec } };
}

const found = (spec: any) => IstioChecker.check([dr(spec)]).filter((f) => f.code === 'TLS_SERVER_NOT_VERIFIED').map((f) => [f.severity, f.field]);
const CLIENT = { clientCertificate: '/etc/certs/client.pem', privateKey: '/etc/certs/key.pem' };
const port = (tls: any) => ({ portLevelSettings: [{ port: { number: 443 }, tls }] });
const W = Severity.WARNING;

test.each<[string, any, [Severity, string][]]>([
  ['SIMPLE at the destination level, no caCertificates (IST0128)', { trafficPolicy: { tls: { mode: 'SIMPLE' } } }, [[W, 'spec.trafficPolicy.tls']]],
  ['MUTUAL at the destination level, no caCertificates (IST0128)', { trafficPolicy: { tls: { mode: 'MUTUAL', ...CLIENT } } }, [[W, 'spec.trafficPolicy.tls']]],
  ['SIMPLE at port level (IST0129)', { trafficPolicy: port({ mode: 'SIMPLE' }) }, [[W, 'spec.trafficPolicy.portLevelSettings[0].tls']]],
  ['MUTUAL at port level (IST0129)', { trafficPolicy: port({ mode: 'MUTUAL', ...CLIENT }) }, [[W, 'spec.trafficPolicy.portLevelSettings[0].tls']]],
  ['credentialName at the destination level, no workloadSelector', { trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'db-credential' } } }, [[W, 'spec.trafficPolicy.tls']]],
  ['credentialName at the destination level, with a workloadSelector', { trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'db-credential' } }, workloadSelector: { matchLabels: { app: 'db' } } }, []],
  ['credentialName at port level, no workloadSelector', { trafficPolicy: port({ mode: 'SIMPLE', credentialName: 'db-credential' }) }, [[W, 'spec.trafficPolicy.portLevelSettings[0].tls']]],
  ['credentialName at port level, with a workloadSelector', { trafficPolicy: port({ mode: 'SIMPLE', credentialName: 'db-credential' }), workloadSelector: { matchLabels: { app: 'db' } } }, []],
  ['MUTUAL at the destination level and SIMPLE at port level', { trafficPolicy: { tls: { mode: 'MUTUAL', ...CLIENT }, ...port({ mode: 'SIMPLE' }) } },
    [[W, 'spec.trafficPolicy.portLevelSettings[0].tls'], [W, 'spec.trafficPolicy.tls']]],
  ['both with caCertificates', { trafficPolicy: { tls: { mode: 'MUTUAL', ...CLIENT, caCertificates: '/etc/certs/ca.pem' }, ...port({ mode: 'SIMPLE', caCertificates: '/etc/certs/ca.pem' }) } }, []],
  ['ISTIO_MUTUAL and DISABLE', { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, ...port({ mode: 'DISABLE' }) } }, []],
  ['SIMPLE in a subset (Istio\'s analyzer does not look at subsets)', { subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { tls: { mode: 'SIMPLE' } } }] }, []],
])('%s', (_name, spec, expected) => {
  expect(found(spec)).toEqual(expected);
});

test('the message names the mode, the host, the port and the fix', () => {
  const [atPort, top] = IstioChecker.check([dr({ trafficPolicy: { tls: { mode: 'SIMPLE' }, ...port({ mode: 'MUTUAL', ...CLIENT }) } })])
    .filter((f) => f.code === 'TLS_SERVER_NOT_VERIFIED').map((f) => f.message);
  expect(atPort).toBe('TLS mode MUTUAL sets no caCertificates to verify the server of "mydbserver.prod.svc.cluster.local" on port 443 (istioctl analyze IST0129), '
    + 'so the proxy checks its certificate against no CA of this DestinationRule; set caCertificates to the CA that signs the server\'s certificate');
  expect(top).toMatch(/^TLS mode SIMPLE sets no caCertificates to verify the server of "mydbserver.prod.svc.cluster.local" \(istioctl analyze IST0128\)/);
});

test('Subsets with SIMPLE TLS: the warning at synth, as istioctl analyze gives it, under the construct path', () => {
  const chart = Testing.chart();
  new Subsets(chart, 'db', {
    host: 'mydbserver.prod.svc.cluster.local',
    trafficPolicy: { tls: { mode: TlsMode.SIMPLE, sni: 'db.example.com' } },
    subsets: [{ name: 'v1', labels: { version: 'v1' } }],
  });
  synth(chart);
  expect(IstioChecker.findings(chart).filter((f) => f.code === 'TLS_SERVER_NOT_VERIFIED').map((f) => [f.severity, f.path, f.field]))
    .toEqual([[W, 'test/db/Resource', 'spec.trafficPolicy.tls']]);
});
