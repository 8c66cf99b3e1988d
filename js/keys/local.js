/**
 * Key sources. A key source hands the verifier a JWKS as JSON text, with a
 * generation number that changes whenever the keys do:
 *
 * - `current()`: the keys loaded now, or null; never waits;
 * - `load()`: makes sure keys are loaded (may fetch);
 * - `refresh(kid)`: called by the verifier once when a token's key is not in
 *   the set; may fetch new keys (remote sources), resolves to the snapshot.
 *
 * `localJwks` is the in-memory source; `remoteJwks` and `discover` (remote.js,
 * discovery.js) fetch and cache.
 */

import { JwtGuardError } from '../errors.js';

/** Marks an object as a key source. */
export const KEY_SOURCE = Symbol.for('jwtguard.keySource');

let generations = 0;

/** A generation number no other snapshot in this process has. */
export function nextGeneration() {
  generations += 1;
  return generations;
}

/**
 * A key source over a JWKS given in memory.
 * @param {object | string} jwks a JWKS object (`{ keys: [...] }`) or its JSON text
 */
export function localJwks(jwks) {
  let text;
  if (typeof jwks === 'string') text = jwks;
  else if (jwks && typeof jwks === 'object') text = JSON.stringify(jwks);
  else throw new JwtGuardError('ERR_JWKS_INVALID', 'expected a jwks object or json text');
  const snapshot = Object.freeze({ jwks: text, generation: nextGeneration() });
  return Object.freeze({
    [KEY_SOURCE]: true,
    kind: 'local',
    current: () => snapshot,
    load: async () => snapshot,
    refresh: async () => snapshot,
  });
}

/** @param {unknown} value */
export function isKeySource(value) {
  return Boolean(value && typeof value === 'object' && value[KEY_SOURCE] === true);
}
