// The libraries under test, as factories `(fixtures, alg) => { verify, isAsync }`
// or null where a library does not support the algorithm. Imported lazily by
// the runtime that can run them; `jwtguard` and `jose` work everywhere.
import { deepFreeze } from '../js/token-cache.js';
import { SYNC_BACKEND, createVerifier as createShared } from '../js/verifier.js';
import { AUDIENCE, ISSUER } from './fixtures.mjs';

/**
 * The rows' names, in one place: the tables, the targets, the charts and
 * the workerd driver find rows by these. A host's default path (what
 * `createVerifier(...)` does with no backend option) says "default".
 */
export const ROW = {
  /** Node's default: the node:crypto backend (verifySync and verify alike), verified-token cache on. */
  nodeDefault: 'jwtguard default: node:crypto, cache on',
  nodeDefaultNoCache: 'jwtguard default: node:crypto, cache off',
  /** workerd's and browsers' default: `verify()`, the signature to WebCrypto, cache on. */
  webDefault: 'jwtguard default: verify(), WebCrypto, cache on',
  webDefaultNoCache: 'jwtguard default: verify(), WebCrypto, cache off',
  /** workerd's and browsers' `verifySync()` with the cache on: what a repeated token costs without an await. */
  webSyncCached: 'jwtguard verifySync(): cache on',
  /** `verifySync` where no native crypto is synchronous: every signature in the wasm core. */
  pureWasm: 'jwtguard verifySync(): pure wasm, cache off',
  /** Node with `webCrypto: true, nodeCrypto: false`: not a default, for comparison with the web hosts. */
  webCryptoInNode: 'jwtguard verify(): WebCrypto, cache off',
  coreWork: 'core work without the signature',
  /** Not a verifier: what the core-work row's JS must do at least (see resultParse). */
  resultParse: 'the result alone: JSON.parse and freeze',
  jose: 'jose',
  awsJwtVerify: 'aws-jwt-verify',
  fastJwt: 'fast-jwt (cache on)',
  nodeCrypto: 'node:crypto (signature only)',
};

/**
 * jwtguard with its defaults and `options` on top, through `method`
 * (`verifySync` or `verify`).
 */
export function jwtguard(api, options = {}, method = 'verifySync') {
  return (fixtures) => {
    const verifier = api.createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: fixtures.jwks, ...options });
    return method === 'verify'
      ? { verify: (token) => verifier.verify(token), isAsync: true }
      : { verify: (token) => verifier.verifySync(token), isAsync: false };
  };
}

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

/**
 * Each token's result text as the core returns it for that token
 * (`{ claims, header, key, binding }`, the claims the token's own payload
 * text), made on first sight and remembered: a measurement device's input,
 * so that it times only what it does with the text.
 */
export function resultTexts() {
  const decoder = new TextDecoder();
  const segment = (text) => decoder.decode(Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  const texts = new Map();
  return (token) => {
    let text = texts.get(token);
    if (text === undefined) {
      const [header, payload] = token.split('.');
      const { alg, kid } = JSON.parse(segment(header));
      text = `{"claims":${segment(payload)},"header":${segment(header)},"key":${JSON.stringify({ kid, alg })},"binding":null}`;
      texts.set(token, text);
    }
    return text;
  };
}

/**
 * The floor under the core-work row: the part of it that stays as long as a
 * verification hands the caller a parsed, frozen claims object. A
 * verification here is only `JSON.parse` and the deep freeze of the token's
 * result text (`resultTexts`). A measurement device only: it checks nothing.
 */
export function resultParse() {
  return () => {
    const textOf = resultTexts();
    return { verify: (token) => deepFreeze(JSON.parse(textOf(token))), isAsync: false };
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

/** jwtguard's rows every host runs, beside its default path's. */
export function commonLibraries(api, joseModule) {
  return [
    [ROW.pureWasm, jwtguard(api, { cache: false, nodeCrypto: false })],
    [ROW.coreWork, coreWork()],
    [ROW.resultParse, resultParse()],
    [ROW.jose, jose(joseModule)],
  ];
}

/** The cases every web runtime (workerd, Chromium) runs: jwtguard and jose, the same in each. */
export function webLibraries(api, joseModule) {
  return [
    [ROW.webDefault, jwtguard(api, {}, 'verify')],
    [ROW.webDefaultNoCache, jwtguard(api, { cache: false }, 'verify')],
    [ROW.webSyncCached, jwtguard(api)],
    ...commonLibraries(api, joseModule),
  ];
}
