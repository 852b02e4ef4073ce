import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { durationText, fail, millisText } from './errors';
import { escapeRegex } from './regex-literal';

/**
 * Renders a duration as Prometheus writes it (`5m`, `90s`, `1h`), in its largest exact unit. Prometheus
 * rules are evaluated every few seconds at best, so only whole seconds are accepted.
 */
export function promDuration(scope: IConstruct, field: string, duration: Duration, minSeconds: number): string {
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isInteger(ms / 1000) || ms / 1000 < minSeconds) {
    const least = minSeconds === 0 ? '' : ` of at least ${millisText(minSeconds * 1000)}`;
    fail(scope, field, `${durationText(duration)} is not a whole number of seconds${least}; use e.g. Duration.minutes(5)`);
  }
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  return '0s';
}

/**
 * Istio's standard request metrics for versions of a host, as reported by each version's own sidecars
 * (`reporter="destination"`), so that each request is counted once however many proxies it crossed.
 */
export function istioSelector(host: string, versions: string[], extra: string = ''): string {
  return `{reporter="destination", destination_service="${host}", ${versionMatcher(versions)}${extra}}`;
}

/**
 * Selects `destination_version` values: `="v2"` for one, `=~"v1|v2"` (escaped, inside a PromQL string) for
 * several, so that one recording rule serves every version without a duplicate rule name.
 */
export function versionMatcher(versions: string[]): string {
  if (versions.length === 1) return `destination_version="${versions[0]}"`;
  const escaped = versions.map((v) => escapeRegex(v).replace(/\\/g, '\\\\'));
  return `destination_version=~"${escaped.join('|')}"`;
}

/** A Prometheus label name (alert labels); `__` names are reserved for Prometheus itself. */
export function checkPromLabelName(scope: IConstruct, field: string, name: string): void {
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith('__')) {
    fail(scope, field, `${JSON.stringify(name)} is not a Prometheus label name; use letters, digits and '_', not starting with a digit or '__'`);
  }
}
