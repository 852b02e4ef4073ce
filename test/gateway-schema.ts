import { crdSchemaChecker } from './crd-schema';

/** The Gateway API schema errors of one manifest (HTTPRoute v1.5.1, experimental), or [] when it is valid or of another group. */
export const gatewaySchemaErrors = crdSchemaChecker('gateway-gateway.networking.k8s.io.schemas.json', /^gateway\.networking\.k8s\.io\//);
