// The libraries under test, as factories `(fixtures, alg) => { verify, isAsync }`
// or null where a library does not support the algorithm. Imported lazily by
// the runtime that can run them; `jwtguard` and `jose` work everywhere.
import { AUDIENCE, ISSUER } from './fixtures.mjs';

/** jwtguard with its defaults (verified-token cache on), `verifySync`: the core alone (pure wasm). */
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
    const verifier = api.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: fixtures.jwks, cache: false, webCrypto: true });
    return { verify: (token) => verifier.verify(token), isAsync: true };
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
    ['jwtguard (cache off)', jwtguard(api, { cache: false })],
    ['jwtguard (WebCrypto, cache off)', jwtguardWebCrypto(api)],
    ['jose', jose(joseModule)],
  ];
}
