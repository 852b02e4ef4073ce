/**
 * The routing as a plain-text table per host, for terminals and snapshot files: one row per rule, in the
 * order Istio tries them, and the alternatives of a condition on lines of their own.
 *
 * No line is wider than `TEXT_WIDTH` where words allow: a table that would be wider first leaves out the
 * mirror and sticky columns when no rule has one, then wraps its widest cells onto continuation lines within
 * their column, indented by two spaces (so that a wrapped condition never reads as an `or` alternative);
 * facts and notes wrap under their first word.
 */
import { hostFacts, hostRows, otherwiseWords, RuleCells, TABLE_HEADER } from './words';
import { HostRouting } from '../../routing/host-routing';

/** The widest line of the text rendering, in characters. */
export const TEXT_WIDTH = 120;

// The indent of a cell's or a fact's continuation lines.
const HANG = 2;
const SEPARATOR = ' | ';
// The columns that may wrap at word boundaries first: when, goes to, mirror, timeout / retries, sticky.
const WRAPPABLE = [2, 3, 4, 5, 6];
// The columns left out of a table too wide for the page when no rule has anything in them: mirror, sticky.
const OPTIONAL = [4, 6];
// The narrowest a column gets when words must be cut to fit.
const NARROWEST = 8;
// The longest parenthesis kept on one line, such as `(1s per try)` or `(sidecar traffic only)`.
const SHORT_PARENTHESIS = 24;

/** Every host's table, separated by blank lines. */
export function renderText(hosts: HostRouting[]): string {
  if (hosts.length === 0) return 'no VirtualService or DestinationRule\n';
  return hosts.map(hostText).join('\n');
}

function hostText(routing: HostRouting): string {
  const indented = (text: string, hang: number = HANG) => wrap(text, TEXT_WIDTH - 2, hang).map((l) => `  ${l}`);
  const lines = [routing.host, ...hostFacts(routing).flatMap((f) => indented(f))];
  if (routing.rules.length > 0) {
    lines.push('', ...table(hostRows(routing), TEXT_WIDTH - 2).map((l) => `  ${l}`), ...indented(`otherwise: ${otherwiseWords(routing)}`, 'otherwise: '.length));
  } else {
    lines.push(...indented(`every request: ${otherwiseWords(routing)}`, 'every request: '.length));
  }
  lines.push(...routing.notes.flatMap((n) => indented(`note: ${n}`, 'note: '.length)));
  return lines.join('\n') + '\n';
}

function table(rows: RuleCells[], width: number): string[] {
  // A row with several alternative conditions takes one line per alternative; the other cells stay on the first.
  const body = rows.flatMap((r) => r.when.map((when, i) => i === 0
    ? [r.position, r.rule, when, r.goesTo, r.mirror, r.policies, r.sticky]
    : ['', '', when, '', '', '', '']));
  const all = [TABLE_HEADER, ...body];
  const natural = (c: number) => Math.max(...all.map((l) => l[c].length));
  const room = (columns: number[]) => width - SEPARATOR.length * (columns.length - 1);
  const sum = (columns: number[]) => columns.reduce((total, c) => total + natural(c), 0);

  let columns = TABLE_HEADER.map((_, c) => c);
  if (sum(columns) > room(columns)) {
    columns = columns.filter((c) => !OPTIONAL.includes(c) || body.some((l) => l[c] !== '' && l[c] !== '-'));
  }
  const widths = fit(columns, all, room(columns));
  const format = (cells: string[]): string[] => {
    const wrapped = columns.map((c) => wrap(cells[c], widths.get(c)!, HANG));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, i) =>
      wrapped.map((w, k) => (w[i] ?? '').padEnd(widths.get(columns[k])!)).join(SEPARATOR).trimEnd());
  };
  return [...format(TABLE_HEADER), columns.map((c) => '-'.repeat(widths.get(c)!)).join('-+-'), ...body.flatMap(format)];
}

/**
 * The width of each column: its widest cell when the table fits in `room`. Otherwise the widest columns
 * give up width first, down to their longest word (then to `NARROWEST`, cutting words), and the space is
 * then shared out so that the rows take as few lines as possible.
 */
function fit(columns: number[], lines: string[][], room: number): Map<number, number> {
  const natural = new Map(columns.map((c) => [c, Math.max(...lines.map((l) => l[c].length))]));
  const widths = new Map(natural);
  const total = () => [...widths.values()].reduce((sum, w) => sum + w, 0);
  if (total() <= room) return widths;

  const longestWord = (c: number) => Math.max(...lines.map((l) => Math.max(0, ...atoms(l[c]).map((a) => a.text.length))));
  const narrowest = (c: number) => Math.min(natural.get(c)!, NARROWEST);
  const wrappable = columns.filter((c) => WRAPPABLE.includes(c));
  const stages: [number[], (c: number) => number][] = [
    [wrappable, (c) => Math.min(natural.get(c)!, longestWord(c) + HANG)],
    // The rule names too, when the other columns cannot give enough.
    [columns.filter((c) => c !== 0), narrowest],
  ];
  let adjustable = wrappable;
  for (const [stage, floorOf] of stages) {
    adjustable = stage;
    const floors = new Map(stage.map((c) => [c, floorOf(c)]));
    // The widest column gives up a character at a time, as long as it is above its floor.
    while (total() > room) {
      const widest = stage.filter((c) => widths.get(c)! > floors.get(c)!).sort((a, b) => widths.get(b)! - widths.get(a)!)[0];
      if (widest === undefined) break;
      widths.set(widest, widths.get(widest)! - 1);
    }
    if (total() <= room) break;
  }
  balance(lines, widths, new Map(adjustable.map((c) => [c, narrowest(c)])), natural);
  return widths;
}

/**
 * Moves width between the columns of `floors` while that makes the table shorter, then cuts fewer words,
 * then wraps fewer cells: a column that wraps one cell less may be worth a narrower one that wraps no more.
 */
function balance(lines: string[][], widths: Map<number, number>, floors: Map<number, number>, natural: Map<number, number>): void {
  const wrapped = new Map<string, { lines: number; cuts: number }[]>();
  const pieces = new Map([...widths.keys()].map((c) => [c, lines.map((l) => atoms(l[c]))]));
  const cellsOf = (c: number, width: number) => {
    const key = `${c}:${width}`;
    let found = wrapped.get(key);
    if (found === undefined) {
      found = lines.map((l, i) => {
        const cell = wrapCounting(l[c], width, HANG, pieces.get(c)![i]);
        return { lines: cell.lines.length, cuts: cell.cuts };
      });
      wrapped.set(key, found);
    }
    return found;
  };
  // A line more in the table weighs more than a cut word, which weighs more than a wrapped cell.
  const score = () => {
    const columns = [...widths].map(([c, w]) => cellsOf(c, w));
    let sum = 0;
    for (let i = 0; i < lines.length; i++) {
      let height = 0;
      for (const cells of columns) {
        const cell = cells[i];
        height = Math.max(height, cell.lines);
        sum += cell.cuts * 400 + cell.lines;
      }
      sum += height * 1000;
    }
    return sum;
  };
  const adjustable = [...floors.keys()];
  let best = score();
  for (let improved = true; improved;) {
    improved = false;
    for (const from of adjustable) {
      for (const to of adjustable) {
        if (from === to) continue;
        for (let step = 1; widths.get(from)! - step >= floors.get(from)! && widths.get(to)! + step <= natural.get(to)!; step++) {
          widths.set(from, widths.get(from)! - step);
          widths.set(to, widths.get(to)! + step);
          const tried = score();
          if (tried < best) {
            best = tried;
            improved = true;
            break;
          }
          widths.set(from, widths.get(from)! + step);
          widths.set(to, widths.get(to)! - step);
        }
      }
    }
  }
}

/**
 * `text` in lines of at most `width` characters, broken at spaces and after commas, continuation lines
 * indented by `hang`; a word longer than a line is cut, after a '-', '.' or '/' where it has one.
 */
export function wrap(text: string, width: number, hang: number): string[] {
  return wrapCounting(text, width, hang).lines;
}

// `wrap`, and how many words it had to cut; `pieces` are the atoms of `text`, if already known.
function wrapCounting(text: string, width: number, hang: number, pieces?: Atom[]): { lines: string[]; cuts: number } {
  if (text.length <= width) return { lines: [text], cuts: 0 };
  const lines: string[] = [];
  const indent = ' '.repeat(hang);
  const limit = () => lines.length === 0 ? width : width - hang;
  let line = '';
  let cuts = 0;
  for (const atom of pieces ?? atoms(text)) {
    const joined = line === '' ? atom.text : `${line}${atom.spaced ? ' ' : ''}${atom.text}`;
    if (joined.length <= limit()) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(line);
    line = atom.text;
    while (line.length > limit()) {
      // A word too long for the column is cut after a '-', '.' or '/' where it has one (a host name).
      const at = Math.max(...['-', '.', '/'].map((c) => line.lastIndexOf(c, limit() - 1)));
      const cut = at > 0 ? at + 1 : limit();
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
      cuts++;
    }
  }
  if (line !== '') lines.push(line);
  return { lines: lines.map((l, i) => i === 0 ? l : `${indent}${l}`), cuts };
}

interface Atom {
  readonly text: string;
  /** Whether a space comes before it. */
  readonly spaced: boolean;
}

// The pieces a line may break between: words, the parts of a word after each comma
// (`connect-failure,refused-stream,503`), and not inside a short parenthesis (`(1s per try)`).
function atoms(text: string): Atom[] {
  const words: string[] = [];
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const last = words.length - 1;
    const open = last >= 0 && words[last].startsWith('(') && !words[last].includes(')');
    if (open && `${words[last]} ${word}`.length <= SHORT_PARENTHESIS) words[last] = `${words[last]} ${word}`;
    else words.push(word);
  }
  return words.flatMap((word, i) => (word.match(/[^,]+,?|,/g) ?? [word])
    .map((part, j) => ({ text: part, spaced: i > 0 && j === 0 })));
}
