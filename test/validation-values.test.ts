/** The value checks under the rules: RE2 syntax, durations, host names, IP addresses, labels, header values. */
import { re2SyntaxError } from '../src/private/validation/re2';
import {
  domainError, durationError, gatewayHostError, headerValueError, hostsOverlap, ipVersion, isEnvoyPrime, labelError, parseDuration,
  percentageError, subnetError, utf8Length,
} from '../src/private/validation/values';

// StringMatch.regex() checks patterns with this parser too: test/string-match.test.ts.
describe('RE2 syntax, as Go and Envoy read it', () => {
  test.each([
    ['^(.*;\\s*)?version=v2(;.*)?$'],
    ['(?i)chrome'], ['(?i:chrome)|firefox'], ['(?P<major>\\d+)\\.(?<minor>\\d+)'], ['\\Qa.b*c\\E'], ['end\\z'], ['\\Astart'],
    ['^*'], ['a{2}?'], ['a{,3}'], ['x{01}'], ['[]a]'], ['[^]a]'], ['[a-]'], ['[\\d-z]'], ['[[:alpha:][:^digit:]]'],
    ['\\pL\\p{Greek}\\PN\\p{^Han}'], ['\\x41\\x{1F600}'], ['\\0\\012'], ['\\-\\_\\ '], ['(a{10}){100}'], ['()'], ['a|'],
    ['(?)'], ['(?-i:x)'], ['a{1000}'], ['\\bword\\B'],
  ])('accepts %s', (pattern) => {
    expect(re2SyntaxError(pattern)).toBeUndefined();
  });

  test.each([
    ['(?=admin)', /lookaround or a backreference/], ['(?<!x)y', /lookaround/], ['(a)\\1', /backreference/], ['\\k<name>', /backreference/],
    ['*', /missing argument to repetition operator/], ['a**', /invalid nested repetition operator/], ['a{2}{3}', /nested repetition/],
    ['(*)', /missing argument/], ['a|*', /missing argument/], ['(?i)*', /missing argument/],
    ['a{1001}', /invalid repeat count/], ['a{3,2}', /invalid repeat count/], ['(a{100}){11}', /nested repeats over 1000/],
    ['(', /missing closing \)/], [')', /unexpected \)/], ['[a', /missing closing \]/], ['[z-a]', /invalid character class range/],
    ['[[:word2:]]', /invalid character class range/], ['\\p{Klingon}', /unknown Unicode class/], ['\\C', /invalid escape/],
    ['\\q', /invalid escape sequence \\q/], ['[\\b]', /invalid escape/], ['a\\', /trailing backslash/], ['\\x{}', /invalid escape/],
    ['\\xZZ', /invalid escape/], ['(?P<>x)', /invalid named capture/], ['(?P<a>x)(?P<a>y)', /duplicate capture group name/],
    ['(?#comment)', /invalid or unsupported Perl syntax/], ['(?i-)x', /invalid or unsupported Perl syntax/],
  ])('rejects %s', (pattern, reason) => {
    expect(re2SyntaxError(pattern)).toMatch(reason);
  });
});

describe('durations, as Go parses them and Istio bounds them', () => {
  test.each([
    ['10s', 10_000_000_000n], ['250ms', 250_000_000n], ['1h30m', 5_400_000_000_000n], ['1.5s', 1_500_000_000n], ['0', 0n],
    ['-2s', -2_000_000_000n], ['.5s', 500_000_000n], ['2µs', 2000n], ['1us', 1000n],
  ])('%s parses', (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
  });

  test.each([[''], ['s'], ['10'], ['1 s'], ['1d'], ['.s'], ['1e3s'], ['99999999999h']])('%j does not parse', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  test('at least 1ms, whole milliseconds, and 0 only where it turns a timeout off', () => {
    expect(durationError('1ms')).toBeUndefined();
    expect(durationError('0.5ms')).toMatch(/shorter than 1ms/);
    expect(durationError('1001us')).toMatch(/whole number of milliseconds/);
    expect(durationError('0s')).toMatch(/shorter than 1ms/);
    expect(durationError('0s', true)).toBeUndefined();
    expect(durationError(5)).toMatch(/expected a duration string/);
  });
});

describe('host names', () => {
  test.each([
    ['reviews'], ['reviews.prod.svc.cluster.local'], ['*.example.com'], ['*'], ['*foo.example.com'], ['*-foo.example.com'],
    ['Reviews.Example.COM'], ['example.com.'], ['123'],
  ])('%s is a valid wildcard domain', (host) => {
    expect(domainError(host, true)).toBeUndefined();
  });

  test.each([
    ['', /empty/], ['a..b', /label ""/], ['foo.*.com', /label "\*"/], ['my_svc.prod', /label "my_svc"/], ['10.0.0.1', /all digits/],
    [`${'a'.repeat(64)}.com`, /label/], [`${'a.'.repeat(128)}com`, /longer than 255/],
  ])('%j is not', (host, reason) => {
    expect(domainError(host, true)).toMatch(reason);
  });

  test('an FQDN takes no wildcard; a gateway host may be an SNI name Istio generates', () => {
    expect(domainError('*.example.com', false)).toMatch(/label "\*"/);
    expect(gatewayHostError('outbound_.443_._.reviews.prod.svc.cluster.local', true)).toBeUndefined();
    expect(gatewayHostError('outbound_.x_._.reviews', true)).toMatch(/outbound_/);
    expect(gatewayHostError('outbound_.443_._.reviews.prod', false)).toMatch(/not a valid host name/);
  });

  test('the remembered answers keep a wildcard domain and an FQDN apart, whichever is asked first, and stay bounded', () => {
    for (const host of ['*.first.example.com', '*.second.example.com']) {
      const [first, second] = host.startsWith('*.first') ? [true, false] : [false, true];
      for (let round = 0; round < 2; round++) {
        expect(domainError(host, first) === undefined).toBe(first);
        expect(domainError(host, second) === undefined).toBe(second);
      }
    }
    // More domains than the cache holds: the answers stay right after it is cleared.
    for (let i = 0; i < 10_050; i++) expect(domainError(`svc-${i}.example.com`, true)).toBeUndefined();
    expect(domainError('*.first.example.com', false)).toMatch(/label "\*"/);
    expect(domainError('my_svc.prod', true)).toMatch(/label "my_svc"/);
  });

  test('overlap follows Istio: equal, or a wildcard covering the other', () => {
    expect(hostsOverlap('a.example.com', 'a.example.com')).toBe(true);
    expect(hostsOverlap('*.example.com', 'a.example.com')).toBe(true);
    expect(hostsOverlap('*.com', '*.example.com')).toBe(true);
    expect(hostsOverlap('a.example.com', 'b.example.com')).toBe(false);
    expect(hostsOverlap('*.example.org', 'a.example.com')).toBe(false);
  });
});

test.each([
  ['10.0.0.1', 4], ['0.0.0.0', 4], ['010.0.0.1', 0], ['256.0.0.1', 0], ['1.2.3', 0], ['::1', 6], ['::', 6], ['fe80::1%eth0', 6],
  ['::ffff:10.0.0.1', 6], ['1:2:3:4:5:6:7:8', 6], ['1:2:3:4:5:6:7:8:9', 0], ['1::2::3', 0], ['g::1', 0], ['example.com', 0],
])('IP address %s is version %d', (ip, version) => {
  expect(ipVersion(ip)).toBe(version);
});

test('subnets are addresses or CIDR blocks', () => {
  expect(subnetError('10.0.0.0/8')).toBeUndefined();
  expect(subnetError('2001:db8::/32')).toBeUndefined();
  expect(subnetError('10.0.0.0/33')).toMatch(/CIDR/);
  expect(subnetError('10.0.0.0/08')).toMatch(/CIDR/);
  expect(subnetError('10.0.0')).toMatch(/not an IP address/);
});

test('labels follow Istio: optional DNS prefix, a name of at most 63 characters, a value that may be empty', () => {
  expect(labelError('app.kubernetes.io/name', 'shop')).toBeUndefined();
  expect(labelError('version', '')).toBeUndefined();
  expect(labelError('Version', 'V1.2_rc')).toBeUndefined();
  expect(labelError('-app', 'x')).toMatch(/not a valid label key/);
  expect(labelError('example.com/', 'x')).toMatch(/not a valid label key/);
  expect(labelError('a'.repeat(64), 'x')).toMatch(/longer than 63/);
  expect(labelError(`${'a'.repeat(254)}/name`, 'x')).toMatch(/prefix .* longer than 253/);
  expect(labelError('app', 'has space')).toMatch(/invalid value/);
});

test('header values: Envoy\'s format, checked as Istio does', () => {
  for (const ok of ['plain', '100%%', '%HOSTNAME%', 'x %START_TIME(%s)% y', '%REQ(x-user)%', '%FILTER_STATE(["a","b"])%', 'tab\there', '']) {
    expect(headerValueError(ok)).toBeUndefined();
  }
  expect(headerValueError('50%')).toMatch(/un-escaped %/);
  expect(headerValueError('%HOSTNAME')).toMatch(/un-terminated/);
  expect(headerValueError('%F([a])%')).toMatch(/expected '"'/);
  expect(headerValueError('%F(["a" x])%')).toMatch(/expected ',', ']'/);
  expect(headerValueError('%F(["a"] x)%')).toMatch(/expected '\)'/);
  expect(headerValueError('%F(a) x%')).toMatch(/expected '%'/);
  expect(headerValueError('line\nbreak')).toMatch(/control characters/);
});

test('fractional percentages are 0 or 0.0001 to 100', () => {
  expect(percentageError(0)).toBeUndefined();
  expect(percentageError(0.0001)).toBeUndefined();
  expect(percentageError(100)).toBeUndefined();
  expect(percentageError(0.00009)).toMatch(/0.0001/);
  expect(percentageError(100.5)).toMatch(/percentage/);
  expect(percentageError(-1)).toMatch(/percentage/);
});

test('Maglev table sizes use Envoy\'s primality test, and sizes are counted in UTF-8 bytes', () => {
  expect([2, 3, 5, 65537, 5000011].every(isEnvoyPrime)).toBe(true);
  expect([4, 9, 65536, 1000000].some(isEnvoyPrime)).toBe(false);
  expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
});
