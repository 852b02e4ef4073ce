/**
 * VirtualService rules of Istio's webhook (`ValidateVirtualService`, `validateHTTPRoute`, the TCP and TLS
 * route checks): hosts, gateways, delegation, route actions and destinations.
 */
import type { RuleFinding } from './catalog';
import { checkDuration, checkExportTo, checkGatewayNames, checkLabels, checkPort } from './common-checks';
import { checkHttpMatch } from './match-checks';
import {
  checkCors, checkDirectResponse, checkFault, checkHeaderOperations, checkMirrorPercentages, checkPortSelector, checkRedirect,
  checkRetries, checkRewrite,
} from './policy-checks';
import { Report, entryPath } from './report';
import {
  domainError, gatewayHostError, hostSubsetOf, hostsOverlap, isDnsLabel, isIpAddress, isJwtClaim, q, shortHostFinding, subnetError,
} from './values';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Whether a VirtualService applies to sidecars: no gateways, or `mesh` among them. */
export function appliesToMesh(gateways: string[]): boolean {
  return gateways.length === 0 || gateways.includes('mesh');
}

/** A VirtualService. `namespace` is the object's namespace, or `default` when it has none. */
export function checkVirtualService(r: Report, manifest: any, namespace: string): void {
  const spec = r.obj(manifest.spec, 'spec') ?? {};
  const hosts = r.strings(spec.hosts, 'spec.hosts');
  const gateways = r.strings(spec.gateways, 'spec.gateways');
  const http = r.list(spec.http, 'spec.http');
  const tcp = r.list(spec.tcp, 'spec.tcp');
  const tls = r.list(spec.tls, 'spec.tls');
  const delegate = hosts.length === 0;
  if (delegate) {
    // A VirtualService without hosts is a delegate: a root VirtualService includes its HTTP rules.
    const why = 'a delegate VirtualService (no hosts) only lends its HTTP rules to the one that delegates to it';
    if (gateways.length > 0) r.add('VS_DELEGATE_INVALID', 'spec.gateways', `${why}, so it cannot name gateways; remove them, or add hosts`);
    if (tls.length > 0) r.add('VS_DELEGATE_INVALID', 'spec.tls', `${why}, so it cannot have TLS routes; remove them, or add hosts`);
    if (tcp.length > 0) r.add('VS_DELEGATE_INVALID', 'spec.tcp', `${why}, so it cannot have TCP routes; remove them, or add hosts`);
  }
  const mesh = appliesToMesh(gateways);
  checkGatewayNames(r, gateways, 'spec.gateways');
  if (mesh) checkJwtClaims(r, http);
  checkHosts(r, hosts, !mesh, tls.some((route) => route?.match?.some?.((m: any) => m?.sniHosts?.length > 0)));
  if (http.length === 0 && tcp.length === 0 && tls.length === 0) {
    r.add('VS_NO_ROUTES', 'spec', 'the VirtualService has no http, tcp or tls routes; add at least one route');
  }
  http.forEach((route, i) => {
    const field = `spec.http[${i}]`;
    if (route === null) {
      r.add('VS_HTTP_ROUTE_NULL', field, 'the HTTP route is empty (null); remove the entry or fill it in');
      return;
    }
    const obj = r.obj(route, field);
    if (obj !== undefined) checkHttpRoute(r, obj, field, delegate);
  });
  tls.forEach((route, i) => {
    const obj = r.obj(route, `spec.tls[${i}]`);
    if (obj !== undefined) checkTlsRoute(r, obj, `spec.tls[${i}]`, hosts, !gateways.includes('mesh'));
  });
  tcp.forEach((route, i) => {
    const obj = r.obj(route, `spec.tcp[${i}]`);
    if (obj !== undefined) checkTcpRoute(r, obj, `spec.tcp[${i}]`);
  });
  checkExportTo(r, spec.exportTo, 'spec.exportTo', namespace, false);
}

// Routing on JWT claims needs the claims, which only a gateway's RequestAuthentication provides.
function checkJwtClaims(r: Report, http: any[]): void {
  http.forEach((route, i) => {
    const matches = Array.isArray(route?.match) ? route.match : [];
    matches.forEach((match: any, j: number) => {
      for (const part of ['headers', 'withoutHeaders']) {
        const map = match?.[part];
        if (map === null || typeof map !== 'object') continue;
        for (const name of Object.keys(map)) {
          // The field is spelled out only for a finding: this runs for every header match.
          const finding = jwtClaimOnMeshFinding(name);
          if (finding !== undefined) r.addFinding(entryPath(`spec.http[${i}].match[${j}].${part}`, name), finding);
        }
      }
    });
  });
}

/**
 * VS_JWT_CLAIM_NOT_ON_GATEWAY: a match on a JWT claim (`@request.auth.claims.*`) in a VirtualService that
 * applies to the mesh; Istio's webhook rejects it. The checker asks it for VirtualServices that apply to the
 * mesh, `CompositeRoute` for routes that do.
 */
export function jwtClaimOnMeshFinding(name: string): RuleFinding | undefined {
  if (!isJwtClaim(name)) return undefined;
  return {
    code: 'VS_JWT_CLAIM_NOT_ON_GATEWAY',
    message: 'routing on a JWT claim works on gateways only, not on the mesh this VirtualService applies to; drop "mesh" from its gateways, or match on a header',
  };
}

function checkHosts(r: Report, hosts: string[], gatewayOnly: boolean, sni: boolean): void {
  let allValid = true;
  hosts.forEach((host, i) => {
    const field = `spec.hosts[${i}]`;
    const problem = gatewayOnly ? gatewayHostError(host, sni) : domainError(host, true);
    if (problem !== undefined) {
      // Istio accepts an IP address as a VirtualService host.
      if (!isIpAddress(host)) {
        r.add('VS_HOST_INVALID', field, problem);
        allValid = false;
      }
    } else if (!gatewayOnly && host === '*') {
      r.add('VS_HOST_WILDCARD_MESH', field, 'host "*" would capture all traffic of every sidecar; name the hosts, or bind the VirtualService to a gateway without "mesh"');
      allValid = false;
    } else {
      r.addFinding(field, shortHostFinding(host, 'VirtualService'));
    }
  });
  if (!allValid) return;
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      if (hostsOverlap(hosts[i], hosts[j])) {
        r.add('VS_HOST_DUPLICATE', `spec.hosts[${j}]`, `${q(hosts[j])} overlaps ${q(hosts[i])} (spec.hosts[${i}]); list each host once, without a wildcard that covers another`);
      }
    }
  }
}

/** An HTTP route (Istio's `validateHTTPRoute`). */
export function checkHttpRoute(r: Report, http: { [key: string]: any }, field: string, inDelegate: boolean): void {
  r.str(http.name, `${field}.name`);
  const route = r.list(http.route, `${field}.route`);
  const has = (key: string) => isSet(http[key]);
  if (has('delegate') && !inDelegate) {
    // A root route hands the request to the delegate: it cannot also route or redirect.
    if (has('redirect')) r.add('VS_DELEGATE_ROUTE_INVALID', `${field}.redirect`, 'a route with delegate hands requests to the delegate VirtualService, so it cannot redirect; remove redirect or delegate');
    if (route.length > 0) r.add('VS_DELEGATE_ROUTE_INVALID', `${field}.route`, 'a route with delegate hands requests to the delegate VirtualService, so it cannot have destinations; remove route or delegate');
    const delegate = r.obj(http.delegate, `${field}.delegate`);
    r.str(delegate?.name, `${field}.delegate.name`);
    r.str(delegate?.namespace, `${field}.delegate.namespace`);
  } else {
    if (inDelegate && has('delegate')) {
      r.add('VS_DELEGATE_ROUTE_INVALID', `${field}.delegate`, 'a delegate VirtualService cannot delegate again; route to destinations here instead');
    }
    const conflict = (a: string, b: string) => r.add('VS_HTTP_ACTION_CONFLICT', `${field}.${b}`, `a route with ${a} cannot also have ${b}; keep one of them, or split the route in two`);
    if (has('redirect')) {
      if (route.length > 0) conflict('redirect', 'route');
      if (has('fault')) conflict('redirect', 'fault');
      if (has('rewrite')) conflict('redirect', 'rewrite');
      if (has('directResponse')) conflict('redirect', 'directResponse');
    } else if (has('directResponse')) {
      if (route.length > 0) conflict('directResponse', 'route');
      if (has('fault')) conflict('directResponse', 'fault');
      if (has('rewrite')) conflict('directResponse', 'rewrite');
    } else if (route.length === 0) {
      r.add('VS_HTTP_ACTION_MISSING', field, 'the route has no route, redirect, directResponse or delegate, so it cannot answer; add destinations under route');
    }
    if (has('mirror') && r.list(http.mirrors, `${field}.mirrors`).length > 0) {
      r.add('MIRROR_AND_MIRRORS', `${field}.mirrors`, 'a route cannot have both mirror and mirrors; move mirror into mirrors');
    }
  }
  r.list(http.match, `${field}.match`).forEach((match, j) => {
    const obj = r.obj(match, `${field}.match[${j}]`);
    if (obj !== undefined) checkHttpMatch(r, obj, `${field}.match[${j}]`);
  });
  const authorities = checkHeaderOperations(r, http.headers, `${field}.headers`);
  checkCors(r, http.corsPolicy, `${field}.corsPolicy`);
  checkFault(r, http.fault, `${field}.fault`);
  checkMirrorPercentages(r, http, field);
  if (has('mirror')) {
    checkDestination(r, http.mirror, `${field}.mirror`);
    if (!isSet(http.mirrorPercentage) && !isSet(http.mirrorPercent) && !isSet(http.mirror_percent)) {
      r.add('MIRROR_FULL', `${field}.mirror`, 'without mirrorPercentage every request of the route is copied; set mirrorPercentage to copy a share');
    }
  }
  r.list(http.mirrors, `${field}.mirrors`).forEach((mirror, i) => {
    const at = `${field}.mirrors[${i}]`;
    if (mirror === null || (typeof mirror === 'object' && !isSet(mirror.destination))) {
      r.add('VS_DESTINATION_MISSING', at, 'the mirror has no destination; give it one, or remove the entry');
      return;
    }
    const obj = r.obj(mirror, at);
    if (obj === undefined) return;
    checkDestination(r, obj.destination, `${at}.destination`);
    if (!isSet(obj.percentage)) r.add('MIRROR_FULL', at, 'without percentage every request of the route is copied; set percentage to copy a share');
  });
  checkRedirect(r, http.redirect, `${field}.redirect`);
  checkDirectResponse(r, http.directResponse, `${field}.directResponse`);
  checkRetries(r, http.retries, `${field}.retries`);
  checkRewrite(r, http.rewrite, `${field}.rewrite`, authorities, `${field}.headers.request`);
  checkDestinations(r, route, `${field}.route`, true);
  checkDuration(r, http.timeout, `${field}.timeout`);
}

/** A destination: a host, an optional subset, an optional port (Istio's `validateDestination`). */
export function checkDestination(r: Report, value: unknown, field: string): void {
  const destination = r.obj(value, field);
  if (destination === undefined) return;
  const host = r.str(destination.host, `${field}.host`) ?? '';
  if (host === '*') {
    r.add('VS_DESTINATION_HOST_INVALID', `${field}.host`, '"*" is not a destination; name the service, e.g. "reviews.prod.svc.cluster.local"');
  } else {
    const problem = domainError(host, true);
    if (problem !== undefined) {
      r.add('VS_DESTINATION_HOST_INVALID', `${field}.host`, problem);
    } else {
      r.addFinding(`${field}.host`, shortHostFinding(host, 'VirtualService'));
    }
  }
  const subset = r.str(destination.subset, `${field}.subset`) ?? '';
  if (subset !== '' && !isDnsLabel(subset)) {
    r.add('VS_SUBSET_NAME_INVALID', `${field}.subset`, `${q(subset)} is not a subset name; subsets are DNS labels such as "v2" or "canary"`);
  }
  checkPortSelector(r, destination.port, `${field}.port`);
}

/**
 * The destinations of an HTTP, TCP or TLS route and their weights (Istio's `validateHTTPRouteDestinations`
 * and `validateRouteDestinations`). Weights need not sum to 100 for Istio, which splits by ratio; a split
 * that does not is reported as a warning so the YAML says what happens.
 */
export function checkDestinations(r: Report, route: any[], field: string, http: boolean): void {
  let total = 0;
  let negative = false;
  const weights: number[] = [];
  route.forEach((entry, i) => {
    const at = `${field}[${i}]`;
    if (entry === null || (typeof entry === 'object' && !isSet(entry.destination))) {
      r.add('VS_DESTINATION_MISSING', at, 'the route entry has no destination; give it a destination host (and subset)');
    }
    const obj = entry === null ? undefined : r.obj(entry, at);
    if (obj === undefined) return;
    if (http) checkHeaderOperations(r, obj.headers, `${at}.headers`);
    checkDestination(r, obj.destination, `${at}.destination`);
    const weight = r.int(obj.weight, `${at}.weight`) ?? 0;
    if (weight < 0) {
      r.add('VS_WEIGHT_NEGATIVE', `${at}.weight`, `${weight} is negative; use a weight from 0 to 100`);
      negative = true;
    }
    weights[i] = weight;
    total += weight;
  });
  // Istio ignores the weight of a lone destination.
  if (route.length < 2) return;
  if (total === 0 || !negative) r.addFinding(field, weightSumFinding(weights));
  if (total !== 0 && !negative) {
    weights.forEach((w, i) => {
      if (w === 0) r.add('VS_WEIGHT_ZERO', `${field}[${i}].weight`, 'this destination has weight 0 and gets no traffic; remove it, or give it a share');
    });
  }
}

/**
 * VS_WEIGHT_TOTAL_ZERO and VS_WEIGHT_SUM_NOT_100: the weights of a split (none negative) that are all 0, or do
 * not sum to 100. The checker asks it for routes of two or more destinations, as Istio weighs only those; the
 * constructs ask it for every split, where a sum other than 100 is an error (see `Destination.split`).
 */
export function weightSumFinding(weights: number[]): RuleFinding | undefined {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total === 0) {
    return { code: 'VS_WEIGHT_TOTAL_ZERO', message: `the ${weights.length} destinations all have weight 0 (or none), so no request can be routed; give them weights that sum to 100` };
  }
  if (total === 100) return undefined;
  const shares = weights.map((w) => `${Math.round(w * 10000 / total) / 100}%`).join(', ');
  return { code: 'VS_WEIGHT_SUM_NOT_100', message: `the weights sum to ${total}; Istio splits by ratio, so the shares are ${shares}. Write them as percentages summing to 100` };
}

function checkTlsRoute(r: Report, route: { [key: string]: any }, field: string, hosts: string[], gatewayVariant: boolean): void {
  const matches = r.list(route.match, `${field}.match`);
  if (matches.length === 0) r.add('VS_TLS_ROUTE_INVALID', `${field}.match`, 'a TLS route needs at least one match with sniHosts; add one');
  matches.forEach((match, j) => {
    const at = `${field}.match[${j}]`;
    if (match === null) {
      r.add('VS_TLS_ROUTE_INVALID', at, 'the TLS match is empty (null); give it sniHosts');
      return;
    }
    const obj = r.obj(match, at);
    if (obj === undefined) return;
    const sniHosts = r.strings(obj.sniHosts, `${at}.sniHosts`);
    if (sniHosts.length === 0) r.add('VS_TLS_ROUTE_INVALID', `${at}.sniHosts`, 'the TLS match has no sniHosts; list the server names it matches');
    sniHosts.forEach((sni, k) => {
      const sniField = `${at}.sniHosts[${k}]`;
      const problem = gatewayVariant ? gatewayHostError(sni, true) : domainError(sni, true);
      if (problem !== undefined) {
        if (isIpAddress(sni)) r.add('VS_TLS_SNI_IP', sniField, `${q(sni)} is an IP address; SNI carries host names and most clients never send an IP, so match on a host name`);
        else r.add('VS_TLS_ROUTE_INVALID', sniField, problem);
      } else if (!hosts.some((host) => hostSubsetOf(sni, host))) {
        r.add('VS_TLS_ROUTE_INVALID', sniField, `${q(sni)} is not within the VirtualService hosts (${hosts.map((h) => q(h)).join(', ')}); add it to hosts or fix the name`);
      }
    });
    checkL4Match(r, obj, at, 'VS_TLS_ROUTE_INVALID');
  });
  const destinations = r.list(route.route, `${field}.route`);
  if (destinations.length === 0) r.add('VS_TLS_ROUTE_INVALID', `${field}.route`, 'the TLS route has no destinations; add at least one under route');
  checkDestinations(r, destinations, `${field}.route`, false);
}

function checkTcpRoute(r: Report, route: { [key: string]: any }, field: string): void {
  r.list(route.match, `${field}.match`).forEach((match, j) => {
    const at = `${field}.match[${j}]`;
    if (match === null) {
      r.add('VS_TCP_ROUTE_INVALID', at, 'the TCP match is empty (null); remove the entry or give it conditions');
      return;
    }
    const obj = r.obj(match, at);
    if (obj !== undefined) checkL4Match(r, obj, at, 'VS_TCP_ROUTE_INVALID');
  });
  const destinations = r.list(route.route, `${field}.route`);
  if (destinations.length === 0) r.add('VS_TCP_ROUTE_INVALID', `${field}.route`, 'the TCP route has no destinations; add at least one under route');
  checkDestinations(r, destinations, `${field}.route`, false);
}

// The conditions TCP and TLS matches share: destination subnets, port, source labels, gateways.
function checkL4Match(r: Report, match: { [key: string]: any }, field: string, code: 'VS_TCP_ROUTE_INVALID' | 'VS_TLS_ROUTE_INVALID'): void {
  r.strings(match.destinationSubnets, `${field}.destinationSubnets`).forEach((subnet, k) => {
    const problem = subnetError(subnet);
    if (problem !== undefined) r.add(code, `${field}.destinationSubnets[${k}]`, problem);
  });
  const port = r.int(match.port, `${field}.port`);
  if (port !== undefined && port !== 0) checkPort(r, port, `${field}.port`);
  checkLabels(r, match.sourceLabels, `${field}.sourceLabels`);
  checkGatewayNames(r, r.strings(match.gateways, `${field}.gateways`), `${field}.gateways`);
}
