/**
 * The routing as a plain-text table per host, for terminals and snapshot files: one row per rule, in the
 * order Istio tries them, and the alternatives of a condition on lines of their own.
 */
import { HostRouting } from './host-routing';
import { hostFacts, hostRows, otherwiseWords, RuleCells, TABLE_HEADER } from './words';

/** Every host's table, separated by blank lines. */
export function renderText(hosts: HostRouting[]): string {
  if (hosts.length === 0) return 'no VirtualService or DestinationRule\n';
  return hosts.map(hostText).join('\n');
}

function hostText(routing: HostRouting): string {
  const lines = [routing.host, ...hostFacts(routing).map((f) => `  ${f}`)];
  if (routing.rules.length > 0) {
    lines.push('', ...table(hostRows(routing)).map((l) => `  ${l}`), `  otherwise: ${otherwiseWords(routing)}`);
  } else {
    lines.push(`  every request: ${otherwiseWords(routing)}`);
  }
  lines.push(...routing.notes.map((n) => `  note: ${n}`));
  return lines.join('\n') + '\n';
}

function table(rows: RuleCells[]): string[] {
  // A row with several alternative conditions takes one line per alternative; the other cells stay on the first.
  const lines = rows.flatMap((r) => r.when.map((when, i) => i === 0
    ? [r.position, r.rule, when, r.goesTo, r.mirror, r.policies, r.sticky]
    : ['', '', when, '', '', '', '']));
  const widths = TABLE_HEADER.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const format = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c])).join(' | ').trimEnd();
  return [format(TABLE_HEADER), widths.map((w) => '-'.repeat(w)).join('-+-'), ...lines.map(format)];
}
