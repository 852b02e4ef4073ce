/** Options of `RouteOutput.meshHttpRoute()`. */
export interface MeshHttpRouteOptions {
  /**
   * The port of the host's Service the route applies to (the parentRef's `port`), and the version Services'
   * port it sends to.
   * @default - every port of the Service; the version Services' port, when they have one
   */
  readonly port?: number;
}

/** Options of `RouteOutput.gatewayHttpRoute()`. */
export interface GatewayHttpRouteOptions {
  /** The name of the Gateway API `Gateway` the route attaches to. */
  readonly name: string;

  /**
   * The Gateway's namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;

  /**
   * The Gateway listener the route attaches to (the parentRef's `sectionName`).
   * @default - every listener that allows the route
   */
  readonly sectionName?: string;

  /**
   * The version Services' port the route sends to.
   * @default - the version Services' port, when they have one
   */
  readonly port?: number;
}

/**
 * What a route writes: an Istio VirtualService (the default), or a Gateway API `HTTPRoute` over version
 * Services (see `SubsetsProps.versionServices`). The rules, their checks and the value classes are the same;
 * only the object written changes. What an HTTPRoute cannot express (sourceLabels, fault injection, ...) is
 * an error that names the field.
 */
export class RouteOutput {
  /** An Istio VirtualService, bound to the route's `gateways` (or to the mesh). */
  public static virtualService(): RouteOutput {
    return new RouteOutput('VirtualService');
  }

  /**
   * A Gateway API HTTPRoute whose parent is the host's Service (GAMMA mesh routing): what Istio's ambient
   * waypoints, and sidecars, apply to requests for that Service.
   */
  public static meshHttpRoute(options: MeshHttpRouteOptions = {}): RouteOutput {
    return new RouteOutput('HTTPRoute', undefined, options.port);
  }

  /** A Gateway API HTTPRoute attached to a Gateway API `Gateway` (ingress). */
  public static gatewayHttpRoute(options: GatewayHttpRouteOptions): RouteOutput {
    return new RouteOutput('HTTPRoute', options, options.port);
  }

  /** The kind of object written: `VirtualService` or `HTTPRoute`. */
  public readonly kind: string;

  /** @internal */
  public readonly _gateway?: GatewayHttpRouteOptions;

  /** @internal */
  public readonly _port?: number;

  private constructor(kind: string, gateway?: GatewayHttpRouteOptions, port?: number) {
    this.kind = kind;
    this._gateway = gateway;
    this._port = port;
  }

  /** Whether the output is an HTTPRoute. */
  public get isHttpRoute(): boolean {
    return this.kind === 'HTTPRoute';
  }
}
