/**
 * The node:crypto signature backend of Node's entry: OpenSSL checks RS*, PS*,
 * ES256, ES384 and EdDSA signatures, synchronously, for both `verifySync` and
 * `verify`. Like the WebCrypto backend (webcrypto.js) it decides nothing: the
 * core's `prepare` has already applied every rule (header, algorithm policy,
 * key choice, the signature's exact encoding, for Ed25519 S < L and no
 * small-order R) and names the keys to try; this module only answers "is
 * this signature valid under key i", and the core's `finish` concludes. HS*
 * never comes here (see `delegable` in src/crypto/mod.rs). It implements
 * `SyncSignatureBackend` (signature-backend.js).
 */

import { constants, createPublicKey, verify } from 'node:crypto';
import { perGeneration } from './signature-backend.js';

/**
 * node:crypto parameters per JOSE algorithm (RFC 7518 §3.3–3.5): the digest
 * and the options beside the key. The RSA-PSS salt length is exactly the hash
 * length, as RFC 7518 §3.5 requires and as the core (src/crypto/rsassa.rs)
 * enforces; OpenSSL refuses any other salt length when one is given. ECDSA
 * signatures are the JWS form r || s (IEEE P1363), not DER. Ed25519 hashes
 * inside the scheme (RFC 8032), so it names no digest.
 */
const PARAMETERS = Object.freeze({
  RS256: { digest: 'sha256', options: {} },
  RS384: { digest: 'sha384', options: {} },
  RS512: { digest: 'sha512', options: {} },
  PS256: pss('sha256', 32),
  PS384: pss('sha384', 48),
  PS512: pss('sha512', 64),
  ES256: { digest: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  ES384: { digest: 'sha384', options: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { digest: null, options: {} },
});

function pss(digest, saltLength) {
  return { digest, options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength } };
}

/**
 * A backend over node:crypto. A KeyObject is made once per (key-set
 * generation, key index) from the core's public JWK of an admitted key; the
 * whole map is dropped when the generation changes.
 */
export function nodeCryptoBackend() {
  /** key index → KeyObject */
  const keyObjects = perGeneration();
  /** `${index} ${alg}` → the options for `verify` (the KeyObject and the algorithm's) */
  const verifyOptions = perGeneration();

  function options(core, generation, index, alg) {
    return verifyOptions(generation, `${index} ${alg}`, () => {
      const key = keyObjects(generation, index, () => {
        const jwk = core.publicJwk(index);
        if (jwk === undefined) throw new Error(`key ${index} has no public jwk`);
        return createPublicKey({ key: JSON.parse(jwk), format: 'jwk' });
      });
      return { key, ...PARAMETERS[alg].options };
    });
  }

  /** @type {import('./signature-backend.js').SyncSignatureBackend} */
  const backend = {
    /**
     * The first of `prepared.keys` (key indices, in the core's order) under
     * which OpenSSL finds the signature valid, or undefined when none is.
     * Throws when the host cannot make a key or verify with it: the caller
     * then lets the core check the signature itself, never accepting on a
     * failure.
     */
    firstValidKeySync(core, generation, prepared, token) {
      const { alg, signature } = prepared;
      const parameters = PARAMETERS[alg];
      if (parameters === undefined) throw new Error(`${alg} has no node:crypto parameters`);
      const data = token.subarray(0, prepared.signingInputLength);
      for (const index of prepared.keys) {
        if (verify(parameters.digest, data, options(core, generation, index, alg), signature)) return index;
      }
      return undefined;
    },
  };
  return backend;
}
