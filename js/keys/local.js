/**
 * `localJwks`: the key source over a JWKS given in memory (the protocol is
 * in source.js).
 */

import { JwtGuardError } from '../errors.js';
import { KEY_SOURCE, nextGeneration } from './source.js';

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
