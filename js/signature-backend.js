/**
 * The seam between the verifier (js/verifier.js) and a host's native crypto:
 * node:crypto (nodecrypto.js) and WebCrypto (webcrypto.js) implement it. A
 * backend decides nothing. The core's `prepare` has applied every rule and
 * names the keys to try (a `PreparedToken`); the backend answers only "is
 * this signature valid under key i", and the core's `finish` concludes. A
 * backend that throws or rejects sends the token through the core alone,
 * never to an acceptance.
 *
 * @typedef {object} PreparedToken what the core's `prepare` offers, read in one crossing (prepared-token.js)
 * @property {number} slot where the core keeps the token until the host releases it
 * @property {string} alg the token's algorithm
 * @property {number[]} keys the indices of the keys to try, in the core's order
 * @property {number} signingInputLength the length of `header.payload` in the token's bytes
 * @property {Uint8Array} signature the decoded signature
 *
 * @typedef {object} KeyHolder the core verifier that holds the key set
 * @property {(index: number) => string | undefined} publicJwk an admitted key's public JWK as JSON text
 *
 * @typedef {object} SyncSignatureBackend Node's: answers at once (`verifySync` and `verify`)
 * @property {(core: KeyHolder, generation: number, prepared: PreparedToken, token: Uint8Array) => number | undefined} firstValidKeySync
 *
 * @typedef {object} AsyncSignatureBackend WebCrypto's: answers in a promise (`verify` only)
 * @property {(core: KeyHolder, generation: number, prepared: PreparedToken, token: Uint8Array) => Promise<number | undefined>} firstValidKey
 */

/**
 * A memo of host key objects for one key-set generation: `get(generation,
 * id, make)` returns the value made for `id`, and forgets every value when
 * the generation changes (the indices then name other keys).
 * @template T
 * @returns {(generation: number, id: string | number, make: () => T) => T}
 */
export function perGeneration() {
  let current = null;
  let values = new Map();
  return (generation, id, make) => {
    if (generation !== current) {
      current = generation;
      values = new Map();
    }
    let value = values.get(id);
    if (value === undefined) {
      value = make();
      values.set(id, value);
    }
    return value;
  };
}
