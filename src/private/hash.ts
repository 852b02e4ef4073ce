/** A 32-bit polynomial hash of a string, in hex: short, stable and dependency-free (no Node modules). */
export function hash32(text: string): string {
  let hash = 0;
  for (let i = 0; i < text.length; i++) {
    // Stays below 2^53, so the arithmetic is exact.
    hash = (hash * 31 + text.charCodeAt(i)) % 0x100000000;
  }
  return hash.toString(16).padStart(8, '0');
}
