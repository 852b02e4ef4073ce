import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
// The example uses the library from source, so it always matches the code.
import { Subsets } from '../../src';

/** The seed's checkout-service in namespace prod: stable v1 and canary v2. */
export class CheckoutChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'prod', disableResourceNameHashes: true });

    new Subsets(this, 'subsets', {
      host: 'checkout-service.prod.svc.cluster.local',
      metadata: { name: 'checkout-service-dr' },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
  }
}
