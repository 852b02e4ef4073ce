import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
// The example uses the library from source, so it always matches the code.
import {
  Canary, CanaryStage, CompositeRoute, Destination, HashKey, LoadBalancer, Mirror, RetryOn, RouteOutput, StickySplit, StringMatch, Subsets,
} from '../../src';

/**
 * The checkout-service of the canary traffic-shaping article the project started from, in namespace prod,
 * in the middle of a release: stable v1, canary v2.
 * The workloads are cdk8s-plus objects; the subsets are derived from them (host from the Service, labels
 * from each Deployment's pods), so nothing is written twice.
 *
 * - internal testers (header `x-canary-user: true`) and the qa-tools workload reach v2 first, with the
 *   canary's stricter timeout and retries;
 * - 5% of everyone else gets v2 and stays on the version they got for 12h from the assignment (a version
 *   cookie that the split sets once and the pins never renew; the storefront, which calls checkout-service
 *   for the browsers, forwards it);
 * - pods are chosen by session id inside each version (pod affinity, not version affinity).
 *
 * Its neighbour catalog-service shows shadowing: v1 serves everything, 10% of the reads are copied to v2.
 * pricing-service is rolled out by a Canary at 5%, with the PrometheusRule and dashboard that compare v2 with v1.
 * inventory-service runs in ambient mode: its waypoint routes by a Gateway API HTTPRoute (parentRef: its Service)
 * over one Service per version, and its Canary writes that HTTPRoute instead of a VirtualService.
 */
/** Props of `CheckoutChart`. */
export interface CheckoutChartProps {
  /** Where the pricing-service rollout stands; the docs' review example moves it. Default: percent(5). */
  readonly pricingStage?: CanaryStage;
}

export class CheckoutChart extends Chart {
  constructor(scope: Construct, id: string, props: CheckoutChartProps = {}) {
    super(scope, id, { namespace: 'prod', disableResourceNameHashes: true });

    const deployment = (version: string, image: string) => new kplus.Deployment(this, `checkout-${version}`, {
      metadata: { name: `checkout-service-${version}` },
      podMetadata: { labels: { app: 'checkout-service', version } },
      containers: [{ image, portNumber: 8080 }],
    });
    const v1 = deployment('v1', 'registry.example.com/checkout-service:1.14.2');
    const v2 = deployment('v2', 'registry.example.com/checkout-service:1.15.0');
    const service = new kplus.Service(this, 'checkout-service', {
      metadata: { name: 'checkout-service' },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
    service.selectLabel('app', 'checkout-service');

    const checkout = Subsets.fromWorkloads(this, 'checkout-subsets', {
      service,
      versions: { v1, v2 },
      metadata: { name: 'checkout-service-dr' },
      trafficPolicy: {
        loadBalancer: LoadBalancer.consistentHash(HashKey.httpHeader('session-id')),
        outlierDetection: { consecutive5xxErrors: 5, interval: Duration.seconds(10), baseEjectionTime: Duration.seconds(30) },
      },
    });
    const stable = checkout.subset('v1');
    const canary = checkout.subset('v2');

    const routes = new CompositeRoute(this, 'checkout-routes', {
      subsets: checkout,
      metadata: { name: 'checkout-service-vs' },
    });
    const canaryPolicies = {
      timeout: Duration.seconds(2),
      retries: {
        attempts: 1,
        perTryTimeout: Duration.seconds(1),
        retryOn: [RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.statusCode(503)],
      },
    };
    routes.addRule('internal-canary-route', {
      match: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
      to: Destination.subset(canary),
      ...canaryPolicies,
    });
    routes.addRule('internal-service-canary', {
      match: [{ sourceLabels: { app: 'qa-tools' } }],
      to: Destination.subset(canary),
      ...canaryPolicies,
    });
    new StickySplit(this, 'public-traffic-split', {
      route: routes,
      ruleName: 'public-traffic-split',
      split: [
        { subset: stable, weight: 95 },
        { subset: canary, weight: 5 },
      ],
      cookie: {
        name: 'checkout-version',
        maxAge: Duration.hours(12),
        // The route is for sidecars only: the cookie reaches the browsers through the storefront.
        forwardedBy: [{ caller: 'storefront', reason: 'the storefront passes the browser\'s Cookie header to checkout-service and returns its Set-Cookie headers unchanged' }],
      },
      timeout: Duration.seconds(10),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(3) },
    });

    const catalog = new Subsets(this, 'catalog-subsets', {
      host: 'catalog-service.prod.svc.cluster.local',
      metadata: { name: 'catalog-service-dr' },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
    new Mirror(this, 'catalog-shadow', {
      primary: catalog.subset('v1'),
      targets: [{ subset: catalog.subset('v2'), percentage: 10 }],
      ruleName: 'catalog',
      metadata: { name: 'catalog-service-vs' },
    });

    // Moving the rollout on (shadow, 25%, promoted) is changing the stage and nothing else.
    const pricing = new Subsets(this, 'pricing-subsets', {
      host: 'pricing-service.prod.svc.cluster.local',
      metadata: { name: 'pricing-service-dr' },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
    new Canary(this, 'pricing-canary', {
      stable: pricing.subset('v1'),
      canary: pricing.subset('v2'),
      testers: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
      stage: props.pricingStage ?? CanaryStage.percent(5),
      metadata: { name: 'pricing-service-vs' },
      analysis: { metadata: { name: 'pricing-service-canary', labels: { release: 'kube-prometheus-stack' } } },
      dashboard: { metadata: { name: 'pricing-service-canary-dashboard' } },
    });

    // Ambient mode: the Service's label sends its requests through the namespace's waypoint, which applies
    // HTTPRoutes whose parentRef is the Service (GAMMA), not VirtualServices.
    const inventoryDeployment = (version: string, image: string) => new kplus.Deployment(this, `inventory-${version}`, {
      metadata: { name: `inventory-service-${version}` },
      podMetadata: { labels: { app: 'inventory-service', version } },
      containers: [{ image, portNumber: 8080 }],
    });
    const inventoryService = new kplus.Service(this, 'inventory-service', {
      metadata: { name: 'inventory-service', labels: { 'istio.io/use-waypoint': 'waypoint' } },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
    inventoryService.selectLabel('app', 'inventory-service');
    const inventory = Subsets.fromWorkloads(this, 'inventory-subsets', {
      service: inventoryService,
      versions: {
        v1: inventoryDeployment('v1', 'registry.example.com/inventory-service:3.2.0'),
        v2: inventoryDeployment('v2', 'registry.example.com/inventory-service:3.3.0'),
      },
      metadata: { name: 'inventory-service-dr' },
      // An HTTPRoute sends to Services: inventory-service-v1 and inventory-service-v2.
      versionServices: true,
    });
    new Canary(this, 'inventory-canary', {
      stable: inventory.subset('v1'),
      canary: inventory.subset('v2'),
      testers: [{ headers: { 'x-canary-user': StringMatch.exact('true') } }],
      stage: CanaryStage.percent(20),
      timeout: Duration.seconds(2),
      metadata: { name: 'inventory-service' },
      output: RouteOutput.meshHttpRoute(),
      monitoring: false,
    });
  }
}
