/**
 * Comparing the routing of the same program written two ways (VirtualService + DestinationRule, or HTTPRoute +
 * version Services): what is the same once the objects that carry it are set aside.
 */
import { HostRouting } from '../src/routing/host-routing';

/** A host's routing without what the two forms say differently: which object routes it, where versions are defined. */
export const routingOnly = (h: HostRouting) => ({
  ...h,
  virtualService: undefined,
  httpRoutes: undefined,
  destinationRule: undefined,
  subsets: h.subsets.map((s) => ({ name: s.name, labels: s.labels })),
});

/** A routing table without the lines naming the objects: the host's facts, between its name and the first blank line. */
export const tableOnly = (text: string) => text.replace(/^(\S[^\n]*\n)(?: {2}[^\n]*\n)*?\n/gm, '$1\n');
