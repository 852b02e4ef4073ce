/**
 * A checker of the Mermaid subset the routing renderer emits, written from Mermaid's flowchart grammar
 * (flow.jison): a `flowchart TD` header, node statements with quoted labels in the shapes `(["..."])`,
 * `["..."]` and `{"..."}`, and edges `-->` / `-.->` with optional quoted labels between pipes. Inside a
 * quoted label a `"` ends the string and `#...;` is an entity, and labels are HTML: so a label may hold no
 * quote, no `#` outside an entity, and no `<`, `>`, `&` or backtick outside the `<br/>` line breaks.
 * The real parser is not a dependency; this keeps the emitted text inside the grammar it accepts.
 */

const ID = '[A-Za-z][A-Za-z0-9_]*';
const LABEL = '"([^"]*)"';
const NODE = new RegExp(`^  (${ID})(?:\\(\\[${LABEL}\\]\\)|\\[${LABEL}\\]|\\{${LABEL}\\})$`);
const EDGE = new RegExp(`^  (${ID}) (?:-->|-\\.->)(?:\\|${LABEL}\\|)? (${ID})$`);
const RESERVED = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'class', 'classDef', 'click', 'linkStyle', 'direction']);

/** Every way `text` leaves the grammar; empty when it is a valid flowchart of the emitted subset. */
export function mermaidErrors(text: string): string[] {
  const errors: string[] = [];
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines[0] !== 'flowchart TD') errors.push(`line 1: expected "flowchart TD", found ${JSON.stringify(lines[0])}`);
  const declared = new Set<string>();
  const used: [number, string][] = [];
  lines.slice(1).forEach((line, i) => {
    const at = `line ${i + 2}`;
    const node = NODE.exec(line);
    const edge = EDGE.exec(line);
    if (node) {
      const id = node[1];
      if (declared.has(id)) errors.push(`${at}: node ${id} is declared twice`);
      declared.add(id);
      checkId(at, id, errors);
      checkLabel(at, node[2] ?? node[3] ?? node[4], errors);
    } else if (edge) {
      used.push([i + 2, edge[1]], [i + 2, edge[3]]);
      if (edge[2] !== undefined) checkLabel(at, edge[2], errors);
    } else {
      errors.push(`${at}: not a node or an edge statement: ${JSON.stringify(line)}`);
    }
  });
  for (const [line, id] of used) {
    if (!declared.has(id)) errors.push(`line ${line}: edge to undeclared node ${id}`);
  }
  return errors;
}

function checkId(at: string, id: string, errors: string[]): void {
  if (RESERVED.has(id)) errors.push(`${at}: ${id} is a reserved word`);
}

function checkLabel(at: string, label: string, errors: string[]): void {
  const text = label.split('<br/>').join('');
  if (/#(?![A-Za-z]+;|\d+;)/.test(text)) errors.push(`${at}: a # that does not start an entity in ${JSON.stringify(label)}`);
  if (/[<>&`\n]/.test(text)) errors.push(`${at}: an unescaped <, >, &, backtick or newline in ${JSON.stringify(label)}`);
  if (text.trim() === '') errors.push(`${at}: an empty label`);
}
