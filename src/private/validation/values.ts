/**
 * The value checks Istio's webhook applies in many places (DNS names, ports, labels, durations, header
 * names and values, percentages), as pure functions that return what is wrong, or undefined.
 */
import { q, shown } from '../errors';
import type { RuleFinding } from './catalog';

export { q, shown };

// Istio's DNS-1123 label allows upper case (Kubernetes' own does not).
const DNS1123_LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const INT64_MAX = 2n ** 63n - 1n;

/** A DNS-1123 label as Istio checks it: at most 63 letters, digits and '-', starting and ending with a letter or digit. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * Length of a string in UTF-8 bytes, the unit of Go's len() (and of Istio's size limits). Written out so
 * the library needs no Node.js types: README programs type-check against the DOM library only.
 */
export function utf8Length(value: string): number {
  // By UTF-16 unit rather than by code point: no iterator, no one-character strings (it runs on every host).
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) {
      bytes += 1;
    } else if (unit < 0x800) {
      bytes += 2;
    } else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      // A surrogate pair is one code point past U+FFFF: four bytes. A lone surrogate counts three, as before.
      bytes += 4;
      i++;
    } else {
      bytes += 3;
    }
  }
  return bytes;
}

// charCodeAt past the end is NaN, which is no surrogate.
function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)){3}$/;

/** Which IP version `value` is an address of (4 or 6), or 0 when it is none, as Go's netip.ParseAddr reads it. */
export function ipVersion(value: string): number {
  if (IPV4.test(value)) return 4;
  const [address, zone, ...rest] = value.split('%');
  if (rest.length > 0 || zone === '' || !address.includes(':')) return 0;
  let groups = address;
  let extra = 0;
  const lastColon = groups.lastIndexOf(':');
  if (groups.slice(lastColon + 1).includes('.')) {
    // An embedded IPv4 address (::ffff:10.0.0.1) stands for the last two groups.
    if (!IPV4.test(groups.slice(lastColon + 1))) return 0;
    groups = `${groups.slice(0, lastColon + 1)}0`;
    extra = 1;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return 0;
  const parse = (part: string) => part === '' ? [] : part.split(':');
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  if (![...head, ...tail].every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return 0;
  const count = head.length + tail.length + extra;
  return (halves.length === 2 ? count < 8 : count === 8) ? 6 : 0;
}

/** An IPv4 or IPv6 address. */
export function isIpAddress(value: string): boolean {
  return ipVersion(value) !== 0;
}

/**
 * What is wrong with a domain name, or undefined. With `wildcard`, the first label may be `*`, `*foo` or
 * `*-foo` (Istio's `ValidateWildcardDomain`); without, it is a plain FQDN (`ValidateFQDN`). Short names,
 * upper case and a trailing dot are accepted, as Istio does.
 */
export function domainError(domain: string, wildcard: boolean): string | undefined {
  // One object names its host several times (hosts, every destination, the DestinationRule), and the
  // checks are pure: remember the recent answers. Bounded, so a long-lived process does not grow. Keyed by
  // the domain itself, one map per kind: a key built per call would be hashed anew on every call.
  const cache = wildcard ? wildcardDomainErrors : fqdnErrors;
  const known = cache.get(domain);
  if (known !== undefined) return known ?? undefined;
  const error = uncachedDomainError(domain, wildcard);
  if (cache.size >= DOMAIN_CACHE_SIZE) cache.clear();
  cache.set(domain, error ?? null);
  return error;
}

const DOMAIN_CACHE_SIZE = 10_000;
// null: the domain is valid.
const wildcardDomainErrors = new Map<string, string | null>();
const fqdnErrors = new Map<string, string | null>();

function uncachedDomainError(domain: string, wildcard: boolean): string | undefined {
  if (domain.length === 0) return 'the host is empty; name a service such as "reviews.prod.svc.cluster.local"';
  if (utf8Length(domain) > 255) return `${q(domain)} is longer than 255 characters, the longest DNS name`;
  if (!wildcard) return labelsError(domain, domain);
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (!(first.length <= 63 && WILDCARD_LABEL.test(first))) {
    return `${q(domain)} is not a valid host name (label ${q(first)}); use DNS labels of letters, digits and '-', with an optional '*' wildcard first label`;
  }
  return dot < 0 ? undefined : labelsError(domain, domain.slice(dot + 1));
}

function labelsError(domain: string, rest: string): string | undefined {
  const labels = rest.split('.');
  const tld = labels[labels.length - 1];
  // Go's strconv.Atoi decides "numeric": an optional sign and digits that fit in 64 bits.
  if (/^[+-]?\d+$/.test(tld) && BigInt(tld.replace(/^\+/, '')) <= INT64_MAX && BigInt(tld.replace(/^\+/, '')) >= -INT64_MAX - 1n) {
    return `${q(domain)} is not a valid host name: its last label ${q(tld)} is all digits; an IP address is not a host here, name the service instead`;
  }
  for (let i = 0; i < labels.length; i++) {
    if (i === labels.length - 1 && labels[i] === '') return undefined; // a trailing dot
    if (!isDnsLabel(labels[i])) {
      return `${q(domain)} is not a valid host name (label ${q(labels[i])}); use DNS labels of at most 63 letters, digits and '-'`;
    }
  }
  return undefined;
}

/** Istio's host matching: equal names, or a wildcard (`*.foo.com`) that covers the other name. */
export function hostsOverlap(a: string, b: string): boolean {
  const aw = a.startsWith('*');
  const bw = b.startsWith('*');
  if (aw && bw) return a.length < b.length ? b.slice(1).endsWith(a.slice(1)) : a.slice(1).endsWith(b.slice(1));
  if (aw) return b.endsWith(a.slice(1));
  if (bw) return a.endsWith(b.slice(1));
  return a === b;
}

/** Whether every name `host` matches is also matched by `of` (Istio's `host.Name.SubsetOf`). */
export function hostSubsetOf(host: string, of: string): boolean {
  if (host.startsWith('*')) return of.startsWith('*') && host.slice(1).endsWith(of.slice(1));
  if (of.startsWith('*')) return host.endsWith(of.slice(1));
  return host === of;
}

/**
 * Whether Istio completes `host` with a namespace (its `ResolveShortnameToFQDN`): a name without a dot, other
 * than the wildcard `*` and IP addresses (an IPv6 address has no dot). `*foo` is short too.
 */
export function isShortHost(host: string): boolean {
  return host !== '' && host !== '*' && !host.includes('.') && !isIpAddress(host);
}

/**
 * HOST_SHORT_NAME: a host without dots (and no wildcard) is completed with the namespace of the object that
 * names it, so the same text means another service, or none, in another namespace. `host` is a valid host;
 * `kind` is the kind of the object that names it. The checker reports it as an info (Istio accepts it); the
 * constructs reject it (see `SubsetsProps.host`).
 */
export function shortHostFinding(host: string, kind: string): RuleFinding | undefined {
  if (!isShortHost(host)) return undefined;
  return {
    code: 'HOST_SHORT_NAME',
    message: `short name ${q(host)} resolves in this ${kind}'s namespace only; write it in full, e.g. ${q(`${host}.<namespace>.svc.cluster.local`)}`,
  };
}

/** A port number Istio accepts: 1 to 65535. */
export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

const LABEL_KEY = /^((?:[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)*\/)?((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const LABEL_VALUE = /^((?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** What is wrong with one label (Istio's `labels.Instance.Validate`), or undefined. */
export function labelError(key: string, value: string): string | undefined {
  const m = LABEL_KEY.exec(key);
  if (m === null) {
    return `${q(key)} is not a valid label key; use an optional DNS prefix and '/', then letters, digits, '-', '_' and '.', with a letter or digit at each end`;
  }
  if (m[1] !== undefined && m[1].length - 1 > 253) return `the prefix of label key ${q(key)} is longer than 253 characters`;
  if (m[2].length > 63) return `the name of label key ${q(key)} is longer than 63 characters`;
  if (!LABEL_VALUE.test(value)) {
    return `label ${q(key)} has the invalid value ${q(value)}; use letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** What is wrong with a fractional percentage (Istio's `validatePercentage`): 0, or 0.0001 to 100. */
export function percentageError(value: number): string | undefined {
  if (value < 0 || value > 100 || (value > 0 && value < 0.0001)) {
    return `${value} is not a percentage Istio accepts; use 0, or a number from 0.0001 to 100`;
  }
  return undefined;
}

/** RFC 7230 token characters: what Istio accepts as a header name. */
export const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~A-Za-z0-9]+$/;

const PSEUDO_HEADERS = new Set([':method', ':scheme', ':authority', ':path', ':status']);

/** Whether a match header key is Istio's JWT claim form, `@request.auth.claims.<claim>` or `...claims[a][b]`. */
export function isJwtClaim(name: string): boolean {
  const prefix = '@request.auth.claims';
  if (!name.toLowerCase().startsWith(prefix)) return false;
  const rest = name.slice(prefix.length);
  return (rest.startsWith('.') && rest.length > 1) || (rest.startsWith('[') && rest.endsWith(']') && rest.length > 2);
}

/** Whether a match header key is a pseudo-header Istio accepts in a match. */
export function isPseudoHeader(name: string): boolean {
  return PSEUDO_HEADERS.has(name);
}

/**
 * HEADER_VALUE_INVALID: a header value to set or add that Istio's webhook rejects (see `headerValueError`).
 * An error for the checker and for the constructs alike.
 */
export function headerValueFinding(value: string): RuleFinding | undefined {
  const problem = headerValueError(value);
  return problem === undefined ? undefined : { code: 'HEADER_VALUE_INVALID', message: problem };
}

/**
 * What is wrong with a header value Envoy will write (Istio's `ValidateHTTPHeaderValue`), or undefined:
 * no control characters except tab, and `%` only as `%%` or around a well-formed `%VARIABLE(args)%`.
 */
export function headerValueError(value: string): string | undefined {
  if (/[\x00-\x08\x0A-\x1F\x7F]/.test(value)) {
    return `header value ${q(value)} contains control characters; remove them`;
  }
  const problem = envoyFormatError(value);
  return problem && `header value ${q(value)} is not a valid Envoy header format: ${problem}; write a literal % as %%`;
}

// A port of the state machine of Envoy's header parser (source/common/router/header_parser.cc), as
// Istio's webhook runs it: it checks the shape of %VAR% and %VAR(["args"])% expressions, not the names.
function envoyFormatError(value: string): string | undefined {
  type State = 'literal' | 'name' | 'array' | 'string-start' | 'string' | 'delimiter' | 'args-end' | 'var-end';
  let state: State = 'literal';
  for (let pos = 0; pos < value.length; pos++) {
    const ch = value[pos];
    const more = pos + 1 < value.length;
    switch (state) {
      case 'literal':
        if (ch !== '%') break;
        if (!more) return 'un-escaped % at the end';
        if (value[pos + 1] === '%') pos++;
        else state = 'name';
        break;
      case 'name':
        if (ch === '%') state = 'literal';
        else if (ch === '(') state = 'array';
        break;
      case 'array':
        if (ch === '[') state = 'string-start';
        else if (ch !== ' ') state = 'string';
        break;
      case 'delimiter':
        if (ch === ',') state = 'string-start';
        else if (ch === ']') state = 'args-end';
        else if (ch !== ' ') return 'expected \',\', \']\' or a space in the variable arguments';
        break;
      case 'string-start':
        if (ch === '"') state = 'string';
        else if (ch !== ' ') return 'expected \'"\' to start a variable argument';
        break;
      case 'string':
        if (ch === '\\') {
          if (!more) return 'un-terminated backslash in a variable argument';
          pos++;
        } else if (ch === ')') {
          state = 'var-end';
        } else if (ch === '"') {
          state = 'delimiter';
        }
        break;
      case 'args-end':
        if (ch === ')') state = 'var-end';
        else if (ch !== ' ') return 'expected \')\' after the variable arguments';
        break;
      case 'var-end':
        if (ch === '%') state = 'literal';
        else if (ch !== ' ') return 'expected \'%\' to close the variable';
        break;
    }
  }
  return state === 'literal' ? undefined : 'un-terminated %VARIABLE% expression';
}

const DURATION_UNITS: { [unit: string]: number } = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/**
 * Parses a duration as Go's `time.ParseDuration` does (what Istio and the CRD's CEL rules use): `10s`,
 * `250ms`, `1h30m`, `1.5s`, `0`. Returns nanoseconds, or undefined when it does not parse.
 */
export function parseDuration(text: string): bigint | undefined {
  const m = /^([-+]?)(.*)$/.exec(text)!;
  let rest = m[2];
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const part = /^(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (part === null || (part[1] === '' && (part[2] ?? '') === '')) return undefined;
    const unit = DURATION_UNITS[part[3]];
    total += BigInt(part[1] || '0') * BigInt(unit);
    if (part[2]) total += BigInt(Math.floor(Number(`0.${part[2]}`) * unit));
    if (total > INT64_MAX) return undefined;
    rest = rest.slice(part[0].length);
  }
  return m[1] === '-' ? -total : total;
}

/**
 * What is wrong with a duration field (Istio's `ValidateDuration`): it must parse, be at least 1ms and be a
 * whole number of milliseconds. `allowZero` accepts 0 (tcp.idleTimeout, where 0s turns the timeout off).
 */
export function durationError(value: unknown, allowZero = false): string | undefined {
  if (typeof value !== 'string') return `expected a duration string such as "2s" or "250ms", found ${shown(value)}`;
  const ns = parseDuration(value);
  if (ns === undefined) return `${q(value)} is not a duration; write it like "2s", "250ms" or "1m30s"`;
  // Where 0 turns a timeout off, Istio skips the check for anything it truncates to 0ms.
  if (allowZero && ns > -1_000_000n && ns < 1_000_000n) return undefined;
  if (ns < 1_000_000n) return `${q(value)} is shorter than 1ms, the shortest duration Istio accepts; use at least "1ms"`;
  if (ns % 1_000_000n !== 0n) return `${q(value)} is not a whole number of milliseconds; Istio supports millisecond precision only`;
  return undefined;
}

/** A duration in milliseconds, or undefined when it does not parse. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ns = parseDuration(value);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

/** Whether `n` is prime the way Envoy (and Istio's webhook) computes it for Maglev table sizes. */
export function isEnvoyPrime(n: number): boolean {
  if (n !== 0 && n < 4) return true;
  if (n % 2 === 0) return false;
  for (let f = 3; f * f <= n; f += 2) {
    if (n % f === 0) return false;
  }
  return true;
}

/** What is wrong with an IP address or CIDR block (Istio's `ValidateIPSubnet`), or undefined. */
export function subnetError(value: string): string | undefined {
  if (!value.includes('/')) return isIpAddress(value) ? undefined : `${q(value)} is not an IP address or CIDR block`;
  const [ip, bits, ...more] = value.split('/');
  const max = ipVersion(ip) === 4 ? 32 : 128;
  if (more.length > 0 || !isIpAddress(ip) || !/^(0|[1-9]\d*)$/.test(bits) || Number(bits) > max) {
    return `${q(value)} is not a valid CIDR block; write it like "10.0.0.0/16"`;
  }
  return undefined;
}

/**
 * What is wrong with a host of a gateway-bound VirtualService, or undefined: a wildcard domain, or with TLS
 * SNI routes the `outbound_.<port>_._.<host>` names Istio generates for AUTO_PASSTHROUGH.
 */
export function gatewayHostError(domain: string, sni: boolean): string | undefined {
  if (!sni || !domain.startsWith('outbound_') || utf8Length(domain) > 255) return domainError(domain, true);
  const parts = domain.split('_');
  const trim = (s: string) => s.replace(/^\.+|\.+$/g, '');
  if (parts.length < 4 || parts[0] !== 'outbound' || !/[0-9]/.test(trim(parts[1])) || !/[a-zA-Z]/.test(trim(parts[3]))) {
    return `${q(domain)} is not a valid host name; an SNI name Istio generates looks like "outbound_.443_._.reviews.prod.svc.cluster.local"`;
  }
  return undefined;
}

/**
 * A value as JSON text with sorted keys (undefined entries left out), so that equal conditions compare
 * equal whatever order their keys were written in.
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => [k, v[k]]))
    : v);
}
