/**
 * A routing diff as text for terminals and as Markdown for a pull-request comment. Both say the same
 * lines; Markdown adds a before/after table of the typical request and, on request, the new flowcharts.
 */
import { md } from './render-markdown';
import { renderMermaid } from './render-mermaid';
import { sharesWords } from './words';
import { HostRouting } from '../../routing/host-routing';
import { HostRoutingChange, RoutingDiffMarkdownOptions } from '../../routing/routing-diff';
import { SubsetShare } from '../../routing/subset-share';

/** Per host its summary line, then each change and alert indented by two spaces. */
export function renderDiffText(hosts: HostRoutingChange[], otherAlerts: string[]): string {
  const lines: string[] = [];
  if (hosts.length === 0) lines.push('routing unchanged');
  for (const h of hosts) {
    lines.push(`${h.host}: ${h.summary}`, ...[...h.changes, ...h.alerts].map((c) => `  ${c}`));
  }
  if (otherAlerts.length > 0) lines.push('other alerts:', ...otherAlerts.map((a) => `  ${a}`));
  return lines.join('\n') + '\n';
}

/** A section per host: a table of the typical request before and after, the changes, and an optional flowchart. */
export function renderDiffMarkdown(
  hosts: HostRoutingChange[], otherAlerts: string[], after: HostRouting[], options: RoutingDiffMarkdownOptions,
): string {
  const lines = [`## ${md(options.title ?? 'Routing changes')}`, ''];
  if (hosts.length === 0) lines.push('The routing is unchanged.', '');
  for (const h of hosts) {
    lines.push(`### ${md(h.host)} (${h.status})`, '', md(h.summary), '');
    lines.push('| | before | after |', '|---|---|---|');
    lines.push(`| typical request | ${md(typical(h.typicalBefore, h.host, h.status === 'added'))} | ${md(typical(h.typicalAfter, h.host, h.status === 'removed'))} |`);
    for (const c of h.changes) lines.push(`| ${md(c)} | | |`);
    lines.push('');
    if (h.alerts.length > 0) lines.push('Alerts:', '', ...h.alerts.map((a) => `- ${md(a)}`), '');
    const routing = after.filter((r) => r.host === h.host);
    if (options.mermaid && h.status !== 'removed' && routing.length > 0) {
      lines.push('```mermaid', renderMermaid(routing).trimEnd(), '```', '');
    }
  }
  if (otherAlerts.length > 0) lines.push('### Other alerts', '', ...otherAlerts.map((a) => `- ${md(a)}`), '');
  return lines.join('\n');
}

function typical(shares: SubsetShare[], host: string, absent: boolean): string {
  if (absent) return 'not routed';
  return shares.length === 0 ? 'no destination' : sharesWords(shares, host);
}

