/**
 * The version cookie of a sticky split, as the checker recognizes it in any YAML: every destination of a
 * rule adds or sets a `Set-Cookie` response header (StickySplit and a sticky Canary write one per version,
 * on the weighted rule and on the rules that pin each version).
 */
import { isPlain } from '../json-values';

/** Whether header operations add or set a `Set-Cookie` response header. */
export function setsCookie(headers: any): boolean {
  const response = isPlain(headers) && isPlain(headers.response) ? headers.response : {};
  return [response.set, response.add].some((ops) => isPlain(ops) && Object.keys(ops).some((k) => k.toLowerCase() === 'set-cookie'));
}

/** Whether every destination of an HTTP rule (`route` entries of weight above 0) sets a cookie, its own or the rule's. */
export function everyDestinationSetsCookie(rule: any, destinations: any[] = Array.isArray(rule?.route) ? rule.route : []): boolean {
  return destinations.length > 0 && destinations.every((d) => setsCookie(d?.headers) || setsCookie(rule?.headers));
}

