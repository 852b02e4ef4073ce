import { crdSchemaChecker } from './crd-schema';

/** The Istio schema errors of one manifest, or [] when it is valid (non-Istio kinds are not checked). */
export const istioSchemaErrors = crdSchemaChecker('istio-networking.istio.io.schemas.json', /^[a-z.]+\.istio\.io\//);
