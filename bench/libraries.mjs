// The libraries under test, as factories `(fixtures, alg) => { verify, isAsync }`
// or null where a library does not support the algorithm. Imported lazily by
// the runtime that can run them; `jwtguard` and `jose` work everywhere.
import { AUDIENCE, ISSUER } from './fixtures.mjs';

/** jwtguard with its defaults (verified-token cache on), `verifySync`. */
export function jwtguard(api, options = {}) {
  return (fixtures) => {
    const verifier = api.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: fixtures.jwks, ...options });
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
    ['jwtguard (cache off)', jwtguard(api, { cache: false })],
    ['jose', jose(joseModule)],
  ];
}
