/**
 * The routing as a Mermaid flowchart: per host, a chain of decisions in rule order ("no" leads to the next
 * rule), edges to the subsets labelled with their shares, and dotted edges for mirrored copies. Node ids
 * are positional (`h<host>_r<rule>`, `h<host>_t<target>`), so the same routing always gives the same text.
 */
import { percent, ruleCells, targetWords } from './words';
import { HostRouting, RoutingRule } from '../../routing/host-routing';
import { MirrorShare, SubsetShare } from '../../routing/subset-share';

/** One flowchart holding every host, each a separate chain starting at the host's node. */
export function renderMermaid(hosts: HostRouting[]): string {
  const lines = ['flowchart TD'];
  hosts.forEach((routing, i) => lines.push(...hostGraph(routing, `h${i + 1}`)));
  if (hosts.length === 0) lines.push(`  none["${label('no VirtualService or DestinationRule')}"]`);
  return lines.join('\n') + '\n';
}

function hostGraph(routing: HostRouting, id: string): string[] {
  const start = `${id}_host`;
  const nodes = [`${start}(["${label(routing.host, routing.virtualService ?? 'no VirtualService')}"])`];
  const edges: string[] = [];

  // Targets are shared by the rules of a host and numbered in the DestinationRule's subset order, then in
  // order of first use, so that v1 is drawn before v2 whichever rule names it first.
  const reachable = routing.rules.filter((r) => r.reachable);
  const used = [...routing.unmatched, ...reachable.flatMap((r) => [...r.destinations, ...r.mirrors])];
  const rank = (t: SubsetShare | MirrorShare) => {
    const i = t.host === routing.host ? routing.subsets.findIndex((s) => s.name === t.subset) : -1;
    return i < 0 ? routing.subsets.length : i;
  };
  const targets = new Map<string, string>();
  const targetNodes: string[] = [];
  const keyOf = (t: SubsetShare | MirrorShare) => `${t.host}|${t.subset ?? ''}|${t.port ?? ''}`;
  for (const t of [...used].sort((a, b) => rank(a) - rank(b))) {
    if (targets.has(keyOf(t))) continue;
    targets.set(keyOf(t), `${id}_t${targets.size + 1}`);
    targetNodes.push(`${targets.get(keyOf(t))}["${label(targetWords(t, routing.host))}"]`);
  }
  const target = (t: SubsetShare | MirrorShare) => targets.get(keyOf(t))!;

  if (routing.rules.length === 0) {
    routing.unmatched.forEach((share) => edges.push(`${start} --> ${target(share)}`));
  }
  let from = start;
  let fromLabel: string | undefined;
  for (const rule of routing.rules) {
    const node = `${id}_r${rule.position}`;
    const text = ruleLabel(rule, routing.host, rule === reachable[0]);
    nodes.push(rule.matchesEverything ? `${node}["${text}"]` : `${node}{"${text}"}`);
    if (!rule.reachable) continue;
    edges.push(`${from} -->${edgeLabel(fromLabel)} ${node}`);
    const yes = rule.matchesEverything ? undefined : 'yes';
    if (rule.response !== undefined) {
      const answer = `${node}_answer`;
      nodes.push(`${answer}["${label(rule.response)}"]`);
      edges.push(`${node} -->${edgeLabel(yes)} ${answer}`);
    }
    const single = rule.destinations.length === 1 && rule.destinations[0].probability === 1;
    for (const share of rule.destinations) {
      const edgeText = single ? yes : [yes, percent(share.probability)].filter((s) => s !== undefined).join(' ');
      edges.push(`${node} -->${edgeLabel(edgeText)} ${target(share)}`);
    }
    for (const mirror of rule.mirrors) edges.push(`${node} -.->${edgeLabel(`mirror ${percent(mirror.probability)}`)} ${target(mirror)}`);
    from = node;
    fromLabel = 'no';
  }
  if (routing.rules.length > 0 && !reachable.some((r) => r.matchesEverything)) {
    nodes.push(`${id}_nomatch["${label('404 (NR)', 'no rule matches')}"]`);
    edges.push(`${from} -->${edgeLabel(fromLabel)} ${id}_nomatch`);
  }
  return [...nodes, ...targetNodes, ...edges].map((l) => `  ${l}`);
}

function ruleLabel(rule: RoutingRule, host: string, first: boolean): string {
  const cells = ruleCells(rule, host, first);
  // An unnamed rule is its position already (`#1`).
  return label(cells.rule.startsWith('#') ? cells.rule : `${cells.position}. ${cells.rule}`, ...cells.when);
}

function edgeLabel(text: string | undefined): string {
  return text === undefined ? '' : `|"${label(text)}"|`;
}

/**
 * Lines of a quoted node or edge label. Mermaid reads `#name;` as an entity and renders labels as HTML, so
 * `#` goes first, then quotes, angle brackets, ampersands and backticks; lines are joined with `<br/>`.
 */
export function label(...lines: string[]): string {
  const escape = (s: string) => s
    .replace(/#/g, '#35;')
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;');
  return lines.map(escape).join('<br/>');
}
