import { App, YamlOutputType } from 'cdk8s';
import { CheckoutChart } from './checkout';

// One file for the whole release, so a reviewer reads one diff.
const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
new CheckoutChart(app, 'checkout');
app.synth();
