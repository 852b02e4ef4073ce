/** A literal text as a regular expression that matches exactly it (RE2, Envoy's dialect, and JavaScript alike). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
