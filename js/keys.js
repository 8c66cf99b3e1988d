/**
 * Key sources. A key source hands the verifier a JWKS as JSON text, with a
 * generation number that changes whenever the keys do. `localJwks` is the
 * in-memory source; remote sources (fetching and caching) follow the same
 * shape: `current()` for what is loaded now, `load()` to make sure keys are
 * loaded.
 */

import { JwtGuardError } from './errors.js';

/** Marks an object as a key source. */
export const KEY_SOURCE = Symbol.for('jwtguard.keySource');

/**
 * A key source over a JWKS given in memory.
 * @param {object | string} jwks a JWKS object (`{ keys: [...] }`) or its JSON text
 */
export function localJwks(jwks) {
  let text;
  if (typeof jwks === 'string') text = jwks;
  else if (jwks && typeof jwks === 'object') text = JSON.stringify(jwks);
  else throw new JwtGuardError('ERR_JWKS_INVALID', 'key set (jwks) is invalid: expected a jwks object or json text');
  const snapshot = Object.freeze({ jwks: text, generation: 1 });
  return Object.freeze({
    [KEY_SOURCE]: true,
    kind: 'local',
    current: () => snapshot,
    load: async () => snapshot,
  });
}

/** @param {unknown} value */
export function isKeySource(value) {
  return Boolean(value && typeof value === 'object' && value[KEY_SOURCE] === true);
}
