import { Construct } from 'constructs';
import { CompositeRoute } from '../composite-route';
import { PresetRouteOptions } from '../preset-route';
import { Subsets } from '../subsets';
import { builtFrom, fail } from './errors';

/** The route a preset writes to: the one it was given, or a new child route it owns. */
export function presetRoute(preset: Construct, subsets: Subsets, options: PresetRouteOptions): CompositeRoute {
  if (options.route === undefined) {
    // Made from the preset's hosts, gateways and metadata: its problems are the preset's, at the same fields.
    const route = builtFrom(preset, 'Route', (field) => field,
      () => new CompositeRoute(preset, 'Route', { subsets, hosts: options.hosts, gateways: options.gateways, metadata: options.metadata, output: options.output }));
    preset.node.defaultChild = route.node.defaultChild;
    return route;
  }
  const own = (['hosts', 'gateways', 'metadata', 'output'] as const).find((key) => options[key] !== undefined);
  if (own !== undefined) {
    fail(preset, own, `the preset adds its rules to ${options.route.node.path}, whose hosts, gateways, metadata and output apply; set them on that CompositeRoute instead`);
  }
  if (options.route.subsets !== subsets) {
    fail(preset, 'route', `${options.route.node.path} routes to the subsets ${options.route.subsets.node.path}, but this preset uses ${subsets.node.path}; use subsets of the route's host`);
  }
  return options.route;
}
