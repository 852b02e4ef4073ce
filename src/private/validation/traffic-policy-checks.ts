/**
 * Traffic policies of a DestinationRule (Istio's `validateTrafficPolicy` and what it calls): load balancer,
 * connection pool, outlier detection, client TLS, port-level settings, tunnel and PROXY protocol.
 */
import type { RuleFinding } from './catalog';
import { checkDuration } from './common-checks';
import { Report, entryPath } from './report';
import { domainError, isEnvoyPrime, isIpAddress, parseDuration, q } from './values';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** A trafficPolicy, at the top of a DestinationRule or in a subset. */
export function checkTrafficPolicy(r: Report, value: unknown, field: string, namespace: string): void {
  const policy = r.obj(value, field);
  if (policy === undefined) return;
  const ports = r.list(policy.portLevelSettings, `${field}.portLevelSettings`);
  // retryBudget (Istio 1.29+) counts as a policy, so that a policy holding only it is never reported.
  const set = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'tunnel', 'proxyProtocol', 'retryBudget'].filter((k) => isSet(policy[k]));
  if (set.length === 0 && ports.length === 0) {
    r.add('TRAFFIC_POLICY_EMPTY', field, 'the traffic policy is empty; set a policy in it, or remove it');
    return;
  }
  if (isSet(policy.tunnel) && isSet(policy.proxyProtocol)) {
    r.add('TRAFFIC_POLICY_CONFLICT', field, 'tunnel and proxyProtocol cannot be used together; keep one of them');
    return;
  }
  checkPolicies(r, policy, field, namespace);
  ports.forEach((entry, i) => checkPortPolicy(r, entry, `${field}.portLevelSettings[${i}]`, namespace));
  checkTunnel(r, policy.tunnel, `${field}.tunnel`);
  const proxyProtocol = r.obj(policy.proxyProtocol, `${field}.proxyProtocol`);
  if (proxyProtocol !== undefined && isSet(proxyProtocol.version) && !['V1', 'V2', 0, 1].includes(proxyProtocol.version)) {
    r.add('PROXY_PROTOCOL_INVALID', `${field}.proxyProtocol.version`, `${q(proxyProtocol.version)} is not a PROXY protocol version; use "V1" or "V2"`);
  }
}

// The four policies a port-level setting can hold too.
function checkPolicies(r: Report, policy: { [key: string]: any }, field: string, namespace: string): void {
  checkOutlierDetection(r, policy.outlierDetection, `${field}.outlierDetection`);
  checkConnectionPool(r, policy.connectionPool, `${field}.connectionPool`);
  checkLoadBalancer(r, policy.loadBalancer, `${field}.loadBalancer`, isSet(policy.outlierDetection));
  checkTls(r, policy.tls, `${field}.tls`, namespace);
}

function checkPortPolicy(r: Report, entry: unknown, field: string, namespace: string): void {
  if (entry === null) {
    r.add('PORT_POLICY_INVALID', field, 'the port policy is empty (null); remove the entry or fill it in');
    return;
  }
  const policy = r.obj(entry, field);
  if (policy === undefined) return;
  if (!isSet(policy.port)) r.add('PORT_POLICY_INVALID', `${field}.port`, 'the port policy names no port; set port.number');
  r.int(r.obj(policy.port, `${field}.port`)?.number, `${field}.port.number`);
  if (!['outlierDetection', 'connectionPool', 'loadBalancer', 'tls'].some((k) => isSet(policy[k]))) {
    r.add('PORT_POLICY_INVALID', field, 'the port policy sets nothing; set loadBalancer, connectionPool, outlierDetection or tls, or remove it');
    return;
  }
  checkPolicies(r, policy, field, namespace);
}

function nonNegative(r: Report, value: unknown, field: string, code: 'CONNECTION_POOL_INVALID' | 'OUTLIER_DETECTION_INVALID'): void {
  const n = r.int(value, field);
  if (n !== undefined && n < 0) r.add(code, field, `${n} is negative; use 0 or more`);
}

function checkConnectionPool(r: Report, value: unknown, field: string): void {
  const pool = r.obj(value, field);
  if (pool === undefined) return;
  const http = r.obj(pool.http, `${field}.http`);
  const tcp = r.obj(pool.tcp, `${field}.tcp`);
  if (http === undefined && tcp === undefined) {
    r.add('CONNECTION_POOL_EMPTY', field, 'the connection pool has neither tcp nor http settings; add limits, or remove it');
    return;
  }
  if (http !== undefined) {
    for (const limit of ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'maxConcurrentStreams']) {
      nonNegative(r, http[limit], `${field}.http.${limit}`, 'CONNECTION_POOL_INVALID');
    }
    checkDuration(r, http.idleTimeout, `${field}.http.idleTimeout`);
    const upgrade = r.str(http.h2UpgradePolicy, `${field}.http.h2UpgradePolicy`);
    if (upgrade !== undefined && !['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE'].includes(upgrade)) {
      r.add('CONNECTION_POOL_INVALID', `${field}.http.h2UpgradePolicy`, `${q(upgrade)} is not an upgrade policy; use DEFAULT, DO_NOT_UPGRADE or UPGRADE`);
    }
    if (upgrade === 'UPGRADE' && r.bool(http.useClientProtocol, `${field}.http.useClientProtocol`) === true) {
      r.add('CONNECTION_POOL_INVALID', `${field}.http.useClientProtocol`, 'useClientProtocol keeps the client\'s protocol, which contradicts h2UpgradePolicy UPGRADE; drop one of them');
    }
  }
  if (tcp !== undefined) {
    nonNegative(r, tcp.maxConnections, `${field}.tcp.maxConnections`, 'CONNECTION_POOL_INVALID');
    checkDuration(r, tcp.connectTimeout, `${field}.tcp.connectTimeout`);
    checkDuration(r, tcp.maxConnectionDuration, `${field}.tcp.maxConnectionDuration`);
    checkDuration(r, tcp.idleTimeout, `${field}.tcp.idleTimeout`, true); // 0s turns the idle timeout off
    const keepalive = r.obj(tcp.tcpKeepalive, `${field}.tcp.tcpKeepalive`);
    if (keepalive !== undefined) {
      checkDuration(r, keepalive.time, `${field}.tcp.tcpKeepalive.time`);
      checkDuration(r, keepalive.interval, `${field}.tcp.tcpKeepalive.interval`);
      nonNegative(r, keepalive.probes, `${field}.tcp.tcpKeepalive.probes`, 'CONNECTION_POOL_INVALID');
    }
  }
}

function checkOutlierDetection(r: Report, value: unknown, field: string): void {
  const od = r.obj(value, field);
  if (od === undefined) return;
  checkDuration(r, od.baseEjectionTime, `${field}.baseEjectionTime`);
  checkDuration(r, od.interval, `${field}.interval`);
  const consecutiveErrors = r.int(od.consecutiveErrors, `${field}.consecutiveErrors`) ?? 0;
  if (consecutiveErrors !== 0) {
    r.add('OUTLIER_CONSECUTIVE_ERRORS_DEPRECATED', `${field}.consecutiveErrors`, 'consecutiveErrors is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors');
  }
  for (const count of ['consecutive5xxErrors', 'consecutiveGatewayErrors', 'consecutiveLocalOriginFailures']) {
    nonNegative(r, od[count], `${field}.${count}`, 'OUTLIER_DETECTION_INVALID');
  }
  const split = r.bool(od.splitExternalLocalOriginErrors, `${field}.splitExternalLocalOriginErrors`) ?? false;
  if (!split && (r.int(od.consecutiveLocalOriginFailures, `${field}.consecutiveLocalOriginFailures`) ?? 0) > 0) {
    r.add('OUTLIER_DETECTION_INVALID', `${field}.consecutiveLocalOriginFailures`, 'local origin failures are only counted apart when splitExternalLocalOriginErrors is true; set it, or remove consecutiveLocalOriginFailures');
  }
  for (const percent of ['maxEjectionPercent', 'minHealthPercent']) {
    const v = r.int(od[percent], `${field}.${percent}`);
    if (v !== undefined && (v < 0 || v > 100)) r.add('OUTLIER_DETECTION_INVALID', `${field}.${percent}`, `${v} is not a percentage; use 0 to 100`);
  }
}

const SIMPLE_LB = ['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'];
const MAGLEV_MAX = 5000011;

function checkLoadBalancer(r: Report, value: unknown, field: string, hasOutlierDetection: boolean): void {
  const lb = r.obj(value, field);
  if (lb === undefined) return;
  if (isSet(lb.simple) && isSet(lb.consistentHash)) {
    r.add('LB_INVALID', field, 'the load balancer sets simple and consistentHash; choose one');
  }
  const simple = r.str(lb.simple, `${field}.simple`);
  if (simple !== undefined && !SIMPLE_LB.includes(simple)) {
    r.add('LB_INVALID', `${field}.simple`, `${q(simple)} is not a load balancer; use ${SIMPLE_LB.slice(1).join(', ')}`);
  }
  const hash = r.obj(lb.consistentHash, `${field}.consistentHash`);
  if (hash !== undefined) checkConsistentHash(r, hash, `${field}.consistentHash`);
  checkLocality(r, lb.localityLbSetting, `${field}.localityLbSetting`, hasOutlierDetection);
  const warmup = r.obj(lb.warmup, `${field}.warmup`);
  if (warmup !== undefined) {
    if (!isSet(warmup.duration)) r.add('LB_WARMUP_INVALID', `${field}.warmup`, 'the warmup has no duration; set how long new pods warm up, e.g. "60s"');
    else checkDuration(r, warmup.duration, `${field}.warmup.duration`);
    const minimum = r.num(warmup.minimumPercent, `${field}.warmup.minimumPercent`);
    if (minimum !== undefined && minimum > 100) r.add('LB_WARMUP_INVALID', `${field}.warmup.minimumPercent`, `${minimum} is over 100; use a percentage`);
    const aggression = r.num(warmup.aggression, `${field}.warmup.aggression`);
    if (aggression !== undefined && aggression < 1) r.add('LB_WARMUP_INVALID', `${field}.warmup.aggression`, `${aggression} is below 1; use 1 (linear) or more`);
  }
}

function checkConsistentHash(r: Report, hash: { [key: string]: any }, field: string): void {
  const keys = ['httpHeaderName', 'httpCookie', 'useSourceIp', 'httpQueryParameterName'].filter((k) => isSet(hash[k]));
  if (keys.length > 1) r.add('LB_INVALID', field, `consistentHash sets ${keys.join(' and ')}; hash on one key`);
  const algorithms = ['ringHash', 'maglev'].filter((k) => isSet(hash[k]));
  if (algorithms.length > 1) r.add('LB_INVALID', field, 'consistentHash sets ringHash and maglev; choose one');
  r.str(hash.httpHeaderName, `${field}.httpHeaderName`);
  r.bool(hash.useSourceIp, `${field}.useSourceIp`);
  const cookie = r.obj(hash.httpCookie, `${field}.httpCookie`);
  if (cookie !== undefined) {
    if ((r.str(cookie.name, `${field}.httpCookie.name`) ?? '') === '') {
      r.add('LB_INVALID', `${field}.httpCookie.name`, 'the hash cookie has no name; name the cookie to hash on');
    }
    if (isSet(cookie.ttl) && (typeof cookie.ttl !== 'string' || parseDuration(cookie.ttl) === undefined)) {
      r.add('DURATION_INVALID', `${field}.httpCookie.ttl`, `${q(cookie.ttl)} is not a duration; write it like "3600s" or "1h"`);
    }
    const at = `${field}.httpCookie.attributes`;
    // A name of the wrong type is reported as such, and skipped here; a missing one is an empty one.
    const names = r.list(cookie.attributes, at).map((a, i) => {
      const attribute = r.obj(a, `${at}[${i}]`);
      if (attribute === undefined) return a === null ? '' : undefined;
      return attribute.name === undefined || attribute.name === null ? '' : r.str(attribute.name, `${at}[${i}].name`);
    });
    for (const { index, finding } of cookieAttributeFindings(names)) r.addFinding(`${at}[${index}].name`, finding);
  }
  const minimumRingSize = r.int(hash.minimumRingSize, `${field}.minimumRingSize`) ?? 0;
  if (minimumRingSize !== 0) {
    r.add('LB_MINIMUM_RING_SIZE_DEPRECATED', `${field}.minimumRingSize`, 'minimumRingSize is deprecated; write ringHash: { minimumRingSize: ... }');
    if (algorithms.length > 0) r.add('LB_INVALID', `${field}.minimumRingSize`, `minimumRingSize contradicts ${algorithms[0]}; set the size inside ${algorithms[0]} only`);
  }
  const maglev = r.obj(hash.maglev, `${field}.maglev`);
  if (maglev !== undefined) {
    r.addFinding(`${field}.maglev.tableSize`, maglevTableSizeFinding(r.int(maglev.tableSize, `${field}.maglev.tableSize`) ?? 0));
  }
}

/**
 * LB_INVALID for a Maglev table size, as Istio's webhook checks it: set (0 means unset), below 5000011, and
 * prime by Envoy's test (which counts 1, 2 and 3 as prime). `HashAlgorithm.maglev()` calls it too.
 */
export function maglevTableSizeFinding(size: number): RuleFinding | undefined {
  const problem = size === 0 ? 'Maglev needs a tableSize; use a prime such as 65537'
    : size >= MAGLEV_MAX ? `${size} is too large; use a prime below ${MAGLEV_MAX}, such as 65537`
      : !isEnvoyPrime(size) ? `${size} is not a prime number; Maglev needs a prime table size, such as 65537`
        : undefined;
  return problem === undefined ? undefined : { code: 'LB_INVALID', message: problem };
}

/**
 * LB_INVALID for the attributes of a hash cookie (`httpCookie.attributes`), as Istio's webhook checks them:
 * each needs a name, and a name may appear once. Names are compared as written. `names[i]` is the name of
 * attribute i ('' when it has none; undefined to skip an entry whose wrong type is reported elsewhere); the
 * result holds the position and finding of each bad one.
 */
export function cookieAttributeFindings(names: readonly (string | undefined)[]): { index: number; finding: RuleFinding }[] {
  const seen = new Set<string>();
  return names.flatMap((name, index) => {
    if (name === undefined) return [];
    if (name === '') {
      return [{ index, finding: { code: 'LB_INVALID' as const, message: 'the cookie attribute has no name; name it, e.g. "SameSite", or remove it' } }];
    }
    if (seen.has(name)) {
      return [{ index, finding: { code: 'LB_INVALID' as const, message: `the cookie attribute ${q(name)} is set twice; keep one` } }];
    }
    seen.add(name);
    return [];
  });
}

const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

function checkLocality(r: Report, value: unknown, field: string, hasOutlierDetection: boolean): void {
  const locality = r.obj(value, field);
  if (locality === undefined) return;
  const distribute = r.list(locality.distribute, `${field}.distribute`);
  const failover = r.list(locality.failover, `${field}.failover`);
  const priority = r.strings(locality.failoverPriority, `${field}.failoverPriority`);
  const fail = (at: string, message: string) => r.add('LB_LOCALITY_INVALID', at, message);
  if (distribute.length > 0 && failover.length > 0) {
    return fail(field, 'distribute and failover cannot be set together; choose one');
  }
  if (failover.length > 0) {
    const label = priority.find((p) => TOPOLOGY_LABELS.includes(p));
    if (label !== undefined) return fail(`${field}.failoverPriority`, `failover already orders by region, so failoverPriority cannot list ${q(label)}; remove it or failover`);
  }
  const sources: string[] = [];
  for (const [i, entry] of distribute.entries()) {
    const at = `${field}.distribute[${i}]`;
    const d = r.obj(entry, at) ?? {};
    sources.push(r.str(d.from, `${at}.from`) ?? '');
    const to = r.obj(d.to, `${at}.to`) ?? {};
    let total = 0;
    for (const [loc, weight] of Object.entries(to)) {
      const w = r.int(weight, entryPath(`${at}.to`, loc)) ?? 0;
      if (w <= 0 || w > 100) return fail(entryPath(`${at}.to`, loc), `${w} is not a locality weight; use 1 to 100`);
      total += w;
    }
    if (total !== 100) return fail(`${at}.to`, `the weights sum to ${total}; they must sum to 100`);
    const problem = localitiesError(Object.keys(to));
    if (problem !== undefined) fail(`${at}.to`, problem);
  }
  const problem = localitiesError(sources);
  if (problem !== undefined) fail(`${field}.distribute`, problem);
  if ((failover.length > 0 || priority.length > 0) && !hasOutlierDetection) {
    r.add('LB_FAILOVER_WITHOUT_OUTLIER', field, 'failover needs outlierDetection to find unhealthy endpoints, so without it traffic never fails over; add outlierDetection');
  }
  failover.forEach((entry, i) => {
    const at = `${field}.failover[${i}]`;
    const f = r.obj(entry, at) ?? {};
    const from = r.str(f.from, `${at}.from`) ?? '';
    const to = r.str(f.to, `${at}.to`) ?? '';
    if (from === to) fail(at, `failover from ${q(from)} to itself does nothing; name two different regions`);
    if (from.includes('/') || to.includes('/')) fail(at, 'failover names regions only; remove the zone and subzone');
    if (from.includes('*') || to.includes('*')) fail(at, 'failover regions cannot contain "*"; name the regions');
  });
}

// Localities region/zone/subzone with an optional trailing "*", none covering an earlier one. This follows
// Istio's validateLocalities step by step, order included: a wildcard listed after a narrower locality passes.
function localitiesError(localities: string[]): string | undefined {
  const regions = new Map<string, Map<string, Set<string>>>();
  const overlap = (locality: string) => `locality ${q(locality)} overlaps one listed before it; list each locality once`;
  for (const locality of localities) {
    const stars = (locality.match(/\*/g) ?? []).length;
    if (stars > 1 || (stars === 1 && !locality.endsWith('*'))) return `locality ${q(locality)} may hold one "*", at its end`;
    if (regions.has('*')) return overlap(locality);
    const slash = locality.indexOf('/');
    const second = slash < 0 ? -1 : locality.indexOf('/', slash + 1);
    const parts = slash < 0 ? [locality] : second < 0 ? [locality.slice(0, slash), locality.slice(slash + 1)]
      : [locality.slice(0, slash), locality.slice(slash + 1, second), locality.slice(second + 1)];
    if (parts.some((p) => p === '')) return `locality ${q(locality)} has an empty region, zone or subzone`;
    const [region, zone, subzone] = parts;
    const zones = regions.get(region);
    if (parts.length === 1) {
      if (zones !== undefined) return overlap(locality);
      regions.set(region, new Map([['*', new Set(['*'])]]));
    } else if (zones === undefined) {
      regions.set(region, new Map([[zone, new Set([subzone ?? '*'])]]));
    } else {
      if (zones.has('*')) return overlap(locality);
      const subzones = zones.get(zone);
      if (parts.length === 2) {
        if (subzones !== undefined) return overlap(locality);
        zones.set(zone, new Set(['*']));
      } else if (subzones === undefined) {
        zones.set(zone, new Set([subzone]));
      } else {
        if (subzones.has('*') || subzones.has(subzone)) return overlap(locality);
        subzones.add(subzone);
      }
    }
  }
  return undefined;
}

const TLS_MODES = ['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL'];

function checkTls(r: Report, value: unknown, field: string, namespace: string): void {
  const tls = r.obj(value, field);
  if (tls === undefined) return;
  const mode = r.str(tls.mode, `${field}.mode`) ?? 'DISABLE';
  if (!TLS_MODES.includes(mode)) r.add('TLS_INVALID', `${field}.mode`, `${q(mode)} is not a TLS mode; use ${TLS_MODES.join(', ')}`);
  const text = (key: string) => r.str(tls[key], `${field}.${key}`) ?? '';
  const credentialName = text('credentialName');
  const sans = r.strings(tls.subjectAltNames, `${field}.subjectAltNames`);
  if (credentialName.startsWith('configmap://')) {
    const [ns, name, ...more] = credentialName.slice('configmap://'.length).split('/');
    if (name === undefined || more.length > 0 || ns === '' || name === '') {
      r.add('TLS_INVALID', `${field}.credentialName`, `${q(credentialName)} is not a ConfigMap reference; write "configmap://<namespace>/<name>"`);
    } else if (ns !== namespace) {
      r.add('TLS_INVALID', `${field}.credentialName`, `the ConfigMap must be in this DestinationRule's namespace ${q(namespace)}, not ${q(ns)}; move it or the DestinationRule`);
    }
  }
  if (r.bool(tls.insecureSkipVerify, `${field}.insecureSkipVerify`) === true) {
    if (mode === 'SIMPLE' && (text('caCertificates') !== '' || credentialName !== '' || sans.length > 0)) {
      r.add('TLS_INVALID', `${field}.insecureSkipVerify`, 'insecureSkipVerify turns server verification off, which contradicts caCertificates, credentialName and subjectAltNames; remove one side');
    }
    if (mode === 'MUTUAL' && (text('caCertificates') !== '' || sans.length > 0)) {
      r.add('TLS_INVALID', `${field}.insecureSkipVerify`, 'insecureSkipVerify turns server verification off, which contradicts caCertificates and subjectAltNames; remove one side');
    }
  }
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && credentialName !== '') {
    const files = ['clientCertificate', 'caCertificates', 'privateKey', 'caCrl'].filter((k) => text(k) !== '');
    if (files.length > 0) {
      r.add('TLS_INVALID', field, `credentialName provides the certificates, so ${files.join(', ')} cannot be set too; keep one source`);
    }
    return;
  }
  if (mode === 'MUTUAL') {
    if (text('clientCertificate') === '') r.add('TLS_INVALID', `${field}.clientCertificate`, 'MUTUAL TLS needs a client certificate; set clientCertificate and privateKey, or credentialName');
    if (text('privateKey') === '') r.add('TLS_INVALID', `${field}.privateKey`, 'MUTUAL TLS needs a private key; set clientCertificate and privateKey, or credentialName');
  }
}

function checkTunnel(r: Report, value: unknown, field: string): void {
  const tunnel = r.obj(value, field);
  if (tunnel === undefined) return;
  const protocol = r.str(tunnel.protocol, `${field}.protocol`) ?? '';
  if (protocol !== '' && protocol !== 'CONNECT' && protocol !== 'POST') {
    r.add('TUNNEL_INVALID', `${field}.protocol`, `${q(protocol)} is not a tunnel protocol; use "CONNECT" or "POST"`);
  }
  const host = r.str(tunnel.targetHost, `${field}.targetHost`) ?? '';
  if (domainError(host, false) !== undefined && !isIpAddress(host)) {
    r.add('TUNNEL_INVALID', `${field}.targetHost`, `${q(host)} is not a host name or IP address; name the tunnel's target`);
  }
  const port = r.int(tunnel.targetPort, `${field}.targetPort`) ?? 0;
  if (port < 1 || port > 65535) r.add('TUNNEL_INVALID', `${field}.targetPort`, `${port} is not a port number; use 1 to 65535`);
}

