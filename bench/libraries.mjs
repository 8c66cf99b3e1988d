// The libraries under test, as factories `(fixtures, alg) => { verify, isAsync }`
// or null where a library does not support the algorithm. Imported lazily by
// the runtime that can run them; `jwtguard` and `jose` work everywhere.
import { SYNC_BACKEND, createVerifier as createShared } from '../js/verifier.js';
import { AUDIENCE, ISSUER } from './fixtures.mjs';

/**
 * jwtguard's `verifySync` with its defaults (verified-token cache on; in
 * Node the signature goes to node:crypto) and `options` on top.
 */
export function jwtguard(api, options = {}) {
  return (fixtures) => {
    const verifier = api.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: fixtures.jwks, ...options });
    return { verify: (token) => verifier.verifySync(token), isAsync: false };
  };
}

/**
 * jwtguard's `verify()` with the verified-token cache off: the signature goes
 * to the host's WebCrypto (RS*, PS*, ES256, ES384; EdDSA stays in the core).
 */
export function jwtguardWebCrypto(api) {
  return (fixtures) => {
    const verifier = api.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: fixtures.jwks, cache: false, webCrypto: true, nodeCrypto: false });
    return { verify: (token) => verifier.verify(token), isAsync: true };
  };
}

/** The core alone, pure wasm (`nodeCrypto: false` in Node), cache off. */
export const jwtguardCoreOnly = (api) => jwtguard(api, { cache: false, nodeCrypto: false });

/**
 * Everything jwtguard does around the signature, without the signature: the
 * split path (`prepare`, the backend's answer, `finish`, the result parsed and
 * frozen) with a backend that answers "the first offered key" at once. A
 * measurement device only, never a verifier: it accepts forged signatures.
 */
export function coreWork() {
  const answerAtOnce = () => ({ firstValidKeySync: (core, generation, prepared) => prepared.keys[0] });
  return (fixtures) => {
    // The shared createVerifier: Node's entry would put its own node:crypto backend in.
    const verifier = createShared({ issuer: ISSUER, audience: AUDIENCE, keys: fixtures.jwks, cache: false, [SYNC_BACKEND]: answerAtOnce });
    return { verify: (token) => verifier.verifySync(token), isAsync: false };
  };
}

/** jose 6: `jwtVerify` against a local JWKS (keys imported once, on first use). */
export function jose(joseModule) {
  return (fixtures) => {
    const keySet = joseModule.createLocalJWKSet(fixtures.jwks);
    return {
      verify: (token) => joseModule.jwtVerify(token, keySet, { issuer: ISSUER, audience: AUDIENCE }),
      isAsync: true,
    };
  };
}

/** The cases every web runtime (workerd, Chromium) runs: jwtguard and jose, the same in each. */
export function webLibraries(api, joseModule) {
  return [
    ['jwtguard', jwtguard(api)],
    ['jwtguard (core only, cache off)', jwtguardCoreOnly(api)],
    ['jwtguard (WebCrypto, cache off)', jwtguardWebCrypto(api)],
    ['core work without the signature', coreWork()],
    ['jose', jose(joseModule)],
  ];
}
