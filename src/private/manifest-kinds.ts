/** What kind of Kubernetes object a manifest is, for the kinds the checker and the routing model read. */

// Gateway API HTTPRoutes, which Istio turns into routes of its own; v1beta1 serves the same schema as v1.
const HTTP_ROUTE_VERSIONS = ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'];

/** Whether a manifest is a Gateway API HTTPRoute of a checked version. */
export function isHttpRoute(manifest: any): boolean {
  return manifest !== null && typeof manifest === 'object' && HTTP_ROUTE_VERSIONS.includes(manifest.apiVersion) && manifest.kind === 'HTTPRoute';
}

/** Whether a manifest is a core Service, read (not checked) for the HTTPRoutes' backendRefs and parentRefs. */
export function isService(manifest: any): boolean {
  return manifest !== null && typeof manifest === 'object' && manifest.apiVersion === 'v1' && manifest.kind === 'Service';
}

/** Whether a manifest is a Gateway of the Kubernetes Gateway API, which a VirtualService may be bound to as well. */
export function isKubernetesGateway(manifest: any): boolean {
  return manifest !== null && typeof manifest === 'object' && typeof manifest.apiVersion === 'string'
    && manifest.apiVersion.startsWith('gateway.networking.k8s.io/') && manifest.kind === 'Gateway';
}
