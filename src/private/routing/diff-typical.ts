/**
 * Where a typical request goes (no special headers or cookies), and what happens to users a version
 * cookie already pins, computed with the simulation so that the diff and `simulate()` always agree.
 */
import { BuiltHost, ruleAt } from './build-routing';
import { cookieOfRegex } from './conditions';
import { MESH } from './names';
import { simulate } from './simulate';
import { mirrorsWords, sharesWords, targetWords } from './words';
import { MirrorShare, SubsetShare } from '../../routing/subset-share';

/** A typical request's outcome for one host. */
export interface TypicalOutcome {
  readonly destinations: SubsetShare[];
  readonly mirrors: MirrorShare[];
  /** The answer when the request is not forwarded (404, a redirect). */
  readonly response?: string;
  /** The outcome in words: `v1 95%, v2 5%, copies to v2 10%`. */
  readonly words: string;
  /** Where it goes in words, without the copies. */
  readonly goes: string;
  /** The rule it takes, as `name (#position)`. */
  readonly rule?: string;
}

/** A plain `GET /` to the host, from a sidecar, or through the VirtualService's first gateway when it binds no sidecars. */
export function typicalOutcome(hosts: BuiltHost[], host: BuiltHost, cookies?: { [name: string]: string }): TypicalOutcome {
  const places = host.routing.appliesTo;
  const gateway = places.length === 0 || places.includes(MESH) ? undefined : places[0];
  let outcome;
  try {
    outcome = simulate(hosts, { host: host.routing.host, gateway, cookies });
  } catch (err) {
    // A wildcard host that no request name matches: there is no typical request to follow.
    return { destinations: [], mirrors: [], response: 'not simulated', words: 'not simulated', goes: 'not simulated' };
  }
  const name = host.routing.host;
  const response = outcome.destinations.length === 0 ? (outcome.response ?? 'no destination') : undefined;
  const copies = outcome.mirrors.length === 0 ? '' : `, copies to ${mirrorsWords(outcome.mirrors, name)}`;
  const goes = response ?? sharesWords(outcome.destinations, name);
  return {
    destinations: outcome.destinations,
    mirrors: outcome.mirrors,
    response,
    words: `${goes}${copies}`,
    goes,
    rule: outcome.rulePosition === undefined ? undefined : ruleAt(outcome.rule!.startsWith('#') ? undefined : outcome.rule, outcome.rulePosition),
  };
}

/**
 * What becomes of the users a version cookie of the old routing pins: kept on their version, re-pinned to
 * another, or unpinned (split again, or answered with the cookie expired). Undefined when the old routing pins nobody.
 */
export function pinnedUsers(beforeHosts: BuiltHost[], before: BuiltHost, afterHosts: BuiltHost[], after: BuiltHost): string | undefined {
  const cookies = new Map<string, { name: string; value: string }>();
  for (const rule of before.routing.rules) {
    for (const d of rule.destinations) {
      const m = d.setsCookie === undefined ? null : /^([^=]+)=(.*)$/.exec(d.setsCookie);
      if (m) cookies.set(d.setsCookie!, { name: m[1], value: m[2] });
    }
  }
  for (const entries of before.matches) {
    for (const entry of entries ?? []) {
      for (const [header, match] of Object.entries<any>(entry?.headers ?? {})) {
        const cookie = header.toLowerCase() === 'cookie' && typeof match?.regex === 'string' ? cookieOfRegex(match.regex) : undefined;
        // Only the cookies the routing itself sets are version pins; a tester's cookie is a condition.
        if (cookie && [...cookies.values()].some((c) => c.name === cookie.name)) cookies.set(`${cookie.name}=${cookie.value}`, cookie);
      }
    }
  }
  const effects: string[] = [];
  for (const [label, cookie] of [...cookies].sort(([x], [y]) => x < y ? -1 : x > y ? 1 : 0)) {
    const was = typicalOutcome(beforeHosts, before, { [cookie.name]: cookie.value });
    if (was.destinations.length !== 1) continue; // the cookie pinned nobody before
    const now = typicalOutcome(afterHosts, after, { [cookie.name]: cookie.value });
    const host = before.routing.host;
    const target = (s: SubsetShare) => targetWords(s, host);
    let effect: string;
    // A stage that ends pins answers with the cookie expired: the user is no longer pinned, wherever this request goes.
    if (now.destinations.length === 1 && now.destinations[0].expiresCookie === cookie.name) effect = `unpinned (the cookie expires), now on ${target(now.destinations[0])}`;
    else if (now.destinations.length === 1 && target(now.destinations[0]) === target(was.destinations[0])) effect = `kept on ${target(was.destinations[0])}`;
    else if (now.destinations.length === 1) effect = `re-pinned from ${target(was.destinations[0])} to ${target(now.destinations[0])}`;
    else effect = `unpinned from ${target(was.destinations[0])}: now ${now.words}`;
    effects.push(`${label} ${effect}`);
  }
  return effects.length === 0 ? undefined : `users pinned by cookie: ${effects.join('; ')}`;
}
