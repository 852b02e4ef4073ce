import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { VersionServicesOptions } from '../../subsets';
import { checkInteger, checkLabels } from '../checks';
import { fail, q } from '../errors';

/** The Service a host name names: `<name>.<namespace>.svc.<domain>`. */
export interface HostService {
  readonly name: string;
  readonly namespace: string;
  /** What follows `.svc` in the host: `.cluster.local`, or nothing. */
  readonly domain: string;
}

/** The Service of `host`, or an error at `field` for a host that is not a Kubernetes Service's name. */
export function hostService(scope: Construct, field: string, host: string): HostService {
  const parts = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\..+)?$/.exec(host);
  if (parts === null) {
    fail(scope, field, `${q(host)} is not the name of a Kubernetes Service (<name>.<namespace>.svc.<domain>); version Services and HTTPRoutes route to Services, so use the VirtualService output for this host`);
  }
  return { name: parts[1], namespace: parts[3], domain: parts[5] ?? '' };
}

/** The name of the Service of one version: `<service>-<subset>`, a DNS-1035 label as Service names must be. */
export function versionServiceName(scope: Construct, field: string, service: string, subset: string): string {
  const name = `${service}-${subset}`;
  if (name.length > 63 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    fail(scope, field, `the version Service name ${q(name)} (<service>-<subset>) is not a valid Service name (a DNS-1035 label of at most 63 characters, starting with a letter); shorten the subset name`);
  }
  return name;
}

/** Checks the options once, before any Service is written. */
export function checkVersionServices(scope: Construct, options: VersionServicesOptions): void {
  if (Object.keys(options.selector).length === 0) {
    fail(scope, 'versionServices.selector', 'the selector is empty; give the host Service\'s selector (e.g. { app: \'checkout\' })');
  }
  checkLabels(scope, 'versionServices.selector', options.selector);
  if (options.ports.length === 0) {
    fail(scope, 'versionServices.ports', 'there are no ports; give the host Service\'s ports');
  }
  options.ports.forEach((port, i) => checkInteger(scope, `versionServices.ports[${i}].port`, port.port, 1, 65535));
}

/**
 * Writes the Service of one version: the host Service's selector plus the version's labels, and the same
 * ports, so that it selects exactly the version's pods of the host.
 */
export function writeVersionService(scope: Construct, id: string, service: HostService, name: string,
  options: VersionServicesOptions, labels: { [key: string]: string }): void {
  new ApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: service.namespace },
    spec: {
      selector: { ...options.selector, ...labels },
      ports: options.ports.map((port) => ({ ...port })),
    },
  });
}
