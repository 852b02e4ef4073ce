/**
 * The routing as Markdown for a pull-request comment: per host, the facts, the table and the Mermaid
 * flowchart, which GitHub and GitLab draw.
 */
import { renderMermaid } from './render-mermaid';
import { hostFacts, hostRows, otherwiseWords, TABLE_HEADER } from './words';
import { HostRouting } from '../../routing/host-routing';

/** Every host as a section with its table and its diagram. */
export function renderMarkdown(hosts: HostRouting[]): string {
  if (hosts.length === 0) return 'No VirtualService or DestinationRule.\n';
  return hosts.map(hostMarkdown).join('\n');
}

function hostMarkdown(routing: HostRouting): string {
  const lines = [`### ${md(routing.host)}`, '', ...hostFacts(routing).map((f) => `- ${md(f)}`), ''];
  if (routing.rules.length > 0) {
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    lines.push(row(TABLE_HEADER), row(TABLE_HEADER.map((_, i) => i === 0 ? '--:' : '---')));
    for (const r of hostRows(routing)) {
      lines.push(row([r.position, r.rule, r.when.map(md).join('<br>'), r.goesTo, r.mirror, r.policies, r.sticky].map((c, i) => i === 2 ? c : md(c))));
    }
    lines.push('', `Otherwise: ${md(otherwiseWords(routing))}`);
  } else {
    lines.push(`Every request: ${md(otherwiseWords(routing))}`);
  }
  if (routing.notes.length > 0) lines.push('', ...routing.notes.map((n) => `- **Note:** ${md(n)}`));
  lines.push('', '```mermaid', renderMermaid([routing]).trimEnd(), '```');
  return lines.join('\n') + '\n';
}

// Backslash-escapes the characters that would turn words into emphasis, links, HTML or table cells.
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|]/g, '\\$&');
}
