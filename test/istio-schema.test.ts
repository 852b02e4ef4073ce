import { Testing } from 'cdk8s';
import { StickySplit } from '../src';
import { checkoutSubsets, FORWARDED, HOST } from './fixtures';
import { istioSchemaErrors } from './istio-schema';
import { synth } from './util';
import { VirtualService } from '../src/imports/istio-networking.istio.io';

describe('the schema check of synthesized manifests', () => {
  test('accepts what the constructs write', () => {
    const chart = Testing.chart();
    const subsets = checkoutSubsets(chart);
    new StickySplit(chart, 'sticky', { split: [{ subset: subsets.subset('v1'), weight: 50 }, { subset: subsets.subset('v2'), weight: 50 }], cookie: { forwardedBy: FORWARDED } });
    expect(synth(chart).flatMap(istioSchemaErrors)).toEqual([]);
  });

  test.each([
    ['a weight given as a string', { http: [{ route: [{ destination: { host: HOST, subset: 'v1' }, weight: '100' }] }] }, /weight must be integer/],
    ['a StringMatch with two kinds', { http: [{ match: [{ headers: { a: { exact: 'x', prefix: 'y' } } }], route: [{ destination: { host: HOST } }] }] }, /must match exactly one schema in oneOf/],
    ['a destination without host', { http: [{ route: [{ destination: { subset: 'v1' } }] }] }, /must have required property 'host'/],
  ])('rejects %s', (_name, spec, message) => {
    const manifest = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'x' }, spec: { hosts: [HOST], ...spec } };
    expect(istioSchemaErrors(manifest).join('\n')).toMatch(message);
  });

  test('fails a synth through an escape hatch that writes a bad shape', () => {
    const chart = Testing.chart();
    const vs = new VirtualService(chart, 'raw', { spec: { hosts: [HOST], http: [{ route: [{ destination: { host: HOST }, weight: 1.5 }] }] } });
    expect(vs.kind).toBe('VirtualService');
    expect(() => synth(chart)).toThrow(/synthesized manifests do not match Istio's schema:\n {2}VirtualService .*: \/spec\/http\/0\/route\/0\/weight must be integer/);
  });

  test('ignores other kinds', () => {
    expect(istioSchemaErrors({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })).toEqual([]);
  });
});
