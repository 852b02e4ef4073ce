import { crdSchemaChecker } from './crd-schema';

/** The schema errors of one PrometheusRule (or other monitoring.coreos.com object), or [] when it is valid. */
export const prometheusSchemaErrors = crdSchemaChecker('prometheus-monitoring.coreos.com.schemas.json', /^monitoring\.coreos\.com\//);
