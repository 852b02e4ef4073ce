/** Which known name the user probably meant: for an unknown field, the field of the schema (SCHEMA_UNKNOWN_FIELD); for a mistyped code, the rule. */

/**
 * The known name closest to `name`, if one is close: compared in lower case without '_' and '-' (so
 * `mirror_percentage` finds `mirrorPercentage`), by edits (insert, delete, change, swap two neighbours).
 */
export function nearestName(name: string, known: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_]/g, '');
  const target = norm(name);
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(target, norm(candidate));
    const close = distance <= Math.max(1, Math.floor(target.length / 3));
    if (close && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/**
 * Edits between two strings: insert, delete or change a character, or swap two neighbours (optimal string
 * alignment). Also how `rules` finds the codes nearest to a mistyped one.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
