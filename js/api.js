/** The public API, shared by every entry point once the core is loaded. */
export { createVerifier, inspectToken } from './verifier.js';
export { localJwks } from './keys/local.js';
export { remoteJwks } from './keys/remote.js';
export { discover } from './keys/discovery.js';
export { INTROSPECTION_DEFAULTS, introspection } from './introspection.js';
export { KEY_SOURCE_DEFAULTS } from './keys/cache.js';
export { entraId } from './entra.js';
export { cognito } from './cognito.js';
export { fromEnv } from './env.js';
export { JwtGuardError, errorCodes } from './errors.js';
export { refusalResponse } from './bearer.js';
export { ANY_TENANT, DEFAULT_CLOCK_TOLERANCE, VERIFICATION_CHECKS } from '../pkg/facts.js';
