/** The public API, shared by every entry point once the core is loaded. */
export { createVerifier, inspectToken } from './verifier.js';
export { localJwks } from './keys.js';
export { JwtGuardError, errorCodes } from './errors.js';
