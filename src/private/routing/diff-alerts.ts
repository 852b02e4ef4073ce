/**
 * Which Prometheus alerts a routing change touches: alerts of PrometheusRule objects (such as those
 * `CanaryAnalysis` writes) added, removed or changed between the two manifest sets, attached to the host
 * whose name their rule mentions.
 */
import { list } from '../json-values';

/** One alert change: the words shown, and the alert's text, searched for host names. */
export interface AlertChange {
  readonly words: string;
  readonly text: string;
}

interface Alert {
  readonly id: string;
  readonly fields: { [field: string]: string };
  readonly text: string;
}

const FIELDS = ['expr', 'for', 'labels', 'annotations'];

/** The alerts added, removed or changed, in the order of the PrometheusRule objects and their rules. */
export function alertChanges(before: any[], after: any[]): AlertChange[] {
  const was = alertsOf(before);
  const now = alertsOf(after);
  const out: AlertChange[] = [];
  for (const [id, alert] of now) {
    const old = was.get(id);
    if (old === undefined) {
      out.push({ words: `alert ${id} added`, text: alert.text });
    } else {
      const changed = FIELDS.filter((f) => old.fields[f] !== alert.fields[f]);
      if (changed.length > 0) out.push({ words: `alert ${id} changed: ${changed.join(', ')}`, text: alert.text });
    }
  }
  for (const [id, alert] of was) if (!now.has(id)) out.push({ words: `alert ${id} removed`, text: alert.text });
  return out;
}

/** The host an alert watches: the longest host name its text mentions, so `a.b` does not claim `x.a.b`'s alerts. */
export function hostOfAlert(text: string, hosts: string[]): string | undefined {
  return hosts.filter((h) => text.includes(h)).sort((a, b) => b.length - a.length)[0];
}

function alertsOf(manifests: any[]): Map<string, Alert> {
  const alerts = new Map<string, Alert>();
  for (const m of manifests) {
    if (m?.kind !== 'PrometheusRule' || typeof m.apiVersion !== 'string' || !m.apiVersion.startsWith('monitoring.coreos.com/')) continue;
    const ns = m.metadata?.namespace;
    const object = ns === undefined ? String(m.metadata?.name) : `${ns}/${m.metadata?.name}`;
    for (const group of list(m.spec?.groups)) {
      for (const rule of list(group?.rules)) {
        if (typeof rule?.alert !== 'string') continue;
        const fields = Object.fromEntries(FIELDS.map((f) => [f, JSON.stringify(rule[f] ?? null)]));
        alerts.set(`${rule.alert} (${object})`, { id: `${rule.alert} (${object})`, fields, text: JSON.stringify(rule) });
      }
    }
  }
  return alerts;
}
