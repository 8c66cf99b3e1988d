/**
 * The key-source protocol: how the verifier gets keys, whatever holds them.
 * A key source is a frozen object marked with `KEY_SOURCE` that hands the
 * verifier a snapshot `{ jwks, generation }`: the key set as JSON text, and a
 * number that changes whenever the keys do (so the verifier, the signature
 * backends and the verified-token cache know when to start over).
 *
 * - `current(context)`: the keys loaded now, or null; never waits;
 * - `load(context)`: makes sure keys are loaded (may fetch);
 * - `refresh(kid, context)`: called by the verifier once when a token's key
 *   is not in the set; may fetch new keys (remote sources) and resolves to
 *   the snapshot.
 *
 * `localJwks` (local.js) is the in-memory source; `remoteJwks` and
 * `discover` (remote.js, discovery.js) fetch and cache.
 */

/** Marks an object as a key source. */
export const KEY_SOURCE = Symbol.for('jwtguard.keySource');

let generations = 0;

/** A generation number no other snapshot in this process has. */
export function nextGeneration() {
  generations += 1;
  return generations;
}

/** @param {unknown} value */
export function isKeySource(value) {
  return Boolean(value && typeof value === 'object' && value[KEY_SOURCE] === true);
}
