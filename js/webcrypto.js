/**
 * The WebCrypto signature backend of `verify()`: the host's native crypto
 * (`crypto.subtle`) checks RS*, PS*, ES256, ES384 and EdDSA signatures. It
 * decides nothing. The core's `prepare` has already applied every rule
 * (header, algorithm policy, key choice, the signature's exact encoding, for
 * Ed25519 S < L and no small-order R) and names the keys to try; this module
 * only answers "is this signature valid under key i", and the core's `finish`
 * concludes. HS* never comes here (see `delegable` in src/crypto/mod.rs). A
 * runtime without WebCrypto Ed25519 fails the import, and the core checks
 * those signatures itself.
 *
 * It implements `AsyncSignatureBackend` (signature-backend.js).
 *
 * SubtleCrypto is called from JS, not through web-sys in the wasm: the wasm
 * needs no futures bridge (wasm-bindgen-futures), and each verification
 * crosses into the core twice (prepare, finish) instead of once per await.
 */

import { perGeneration } from './signature-backend.js';

/**
 * WebCrypto parameters per JOSE algorithm (RFC 7518 §3.3–3.5). The RSA-PSS
 * salt length is the hash length, as RFC 7518 §3.5 requires and as the core's
 * own check (src/crypto/rsassa.rs) enforces; ECDSA signatures are the JWS form
 * r || s, which is WebCrypto's form too.
 */
const PARAMETERS = Object.freeze({
  RS256: pkcs1('SHA-256'),
  RS384: pkcs1('SHA-384'),
  RS512: pkcs1('SHA-512'),
  PS256: pss('SHA-256', 32),
  PS384: pss('SHA-384', 48),
  PS512: pss('SHA-512', 64),
  ES256: ecdsa('P-256', 'SHA-256'),
  ES384: ecdsa('P-384', 'SHA-384'),
  EdDSA: { import: { name: 'Ed25519' }, verify: { name: 'Ed25519' } },
});

function pkcs1(hash) {
  return { import: { name: 'RSASSA-PKCS1-v1_5', hash }, verify: { name: 'RSASSA-PKCS1-v1_5' } };
}

function pss(hash, saltLength) {
  return { import: { name: 'RSA-PSS', hash }, verify: { name: 'RSA-PSS', saltLength } };
}

function ecdsa(namedCurve, hash) {
  return { import: { name: 'ECDSA', namedCurve }, verify: { name: 'ECDSA', hash } };
}

/**
 * A backend over `subtle` (the host's SubtleCrypto). CryptoKeys are imported
 * once per (key-set generation, key index, algorithm): the import promise is
 * cached, and the whole cache is dropped when the generation changes.
 */
export function webCryptoBackend(subtle) {
  /** `${index} ${alg}` → Promise<CryptoKey> */
  const cryptoKeys = perGeneration();

  function cryptoKey(core, generation, index, alg) {
    return cryptoKeys(generation, `${index} ${alg}`, () => {
      const jwk = core.publicJwk(index);
      return jwk === undefined
        ? Promise.reject(new Error(`key ${index} has no public jwk`))
        : subtle.importKey('jwk', JSON.parse(jwk), PARAMETERS[alg].import, false, ['verify']);
    });
  }

  /** @type {import('./signature-backend.js').AsyncSignatureBackend} */
  const backend = {
    /**
     * The first of `prepared.keys` (key indices, in the core's order) under
     * which WebCrypto finds the signature valid, or undefined when none is.
     * Rejects when the host cannot import or verify with one of them (an
     * unsupported key or algorithm): the caller then lets the core check the
     * signature itself, never accepting on a failure.
     */
    async firstValidKey(core, generation, prepared, token) {
      const { alg, signature } = prepared;
      const parameters = PARAMETERS[alg];
      if (parameters === undefined) throw new Error(`${alg} has no WebCrypto parameters`);
      const data = token.subarray(0, prepared.signingInputLength);
      for (const index of prepared.keys) {
        const key = await cryptoKey(core, generation, index, alg);
        if (await subtle.verify(parameters.verify, key, signature, data)) return index;
      }
      return undefined;
    },
  };
  return backend;
}
