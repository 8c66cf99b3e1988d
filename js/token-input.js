/**
 * The checks a token gets in JavaScript before it is copied into wasm
 * memory, shared by the verifier and the issuer router: a string, within the
 * size cap. Tokens are ASCII, so a string longer than the cap in characters
 * is over it in bytes too; the core checks the exact byte length again.
 */

import { JwtGuardError } from './errors.js';

/**
 * `token` if it is a string of at most `maxTokenSize` characters, else
 * ERR_TOKEN_MALFORMED or ERR_TOKEN_TOO_LARGE.
 * @param {unknown} token
 * @param {number} [maxTokenSize] no cap when absent (inspection)
 * @returns {string}
 */
export function tokenInput(token, maxTokenSize = Infinity) {
  if (typeof token !== 'string') throw new JwtGuardError('ERR_TOKEN_MALFORMED', 'expected a string');
  if (token.length > maxTokenSize) {
    throw new JwtGuardError('ERR_TOKEN_TOO_LARGE', `${token.length} characters, limit ${maxTokenSize}`);
  }
  return token;
}
