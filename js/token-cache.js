/**
 * The verified-token cache. Client-credentials tokens are presented again and
 * again for their whole life, so a verifier remembers the tokens it has
 * verified and answers a repeat without checking the signature again.
 *
 * A hit needs all of:
 * - the same full token (every byte, signature included: the Map key);
 * - the same key-set generation (a rotation, or any change of the key set,
 *   turns every older entry into a miss; a removed key can vouch for nothing);
 * - the same policy (the normalised policy text the entry was verified under);
 * - the time claims passing again at the current `now` (`exp`, `nbf`, `iat`
 *   with the clock tolerance, `maxTokenAge`, `maxLifetime`), re-checked by the
 *   core on every hit with exactly the rules of a full verification.
 * An entry dies at the token's `exp` (no entry outlives its token) and when
 * its generation or policy no longer matches. The cache is a bounded LRU.
 */

import { JwtGuardError } from './errors.js';

/** Default number of cached tokens: a few hundred clients, each with a token or two. */
export const DEFAULT_CACHE_ENTRIES = 1000;

/**
 * Upper bound for the `cache` option: at the 16 KiB default token size limit,
 * 100,000 entries is at most ~1.6 GB of token text, already past what a
 * sensible process should spend on this.
 */
export const MAX_CACHE_ENTRIES = 100_000;

/**
 * Reads the `cache` option: `undefined` or `true` for the default size,
 * `false` or `0` for no cache, or a whole number of entries.
 * @returns {number} the capacity; 0 means off
 */
export function cacheCapacity(option) {
  if (option === undefined || option === true) return DEFAULT_CACHE_ENTRIES;
  if (option === false) return 0;
  if (Number.isSafeInteger(option) && option >= 0 && option <= MAX_CACHE_ENTRIES) return option;
  throw new JwtGuardError(
    'ERR_POLICY_INVALID',
    `cache must be true, false or a whole number of entries from 0 to ${MAX_CACHE_ENTRIES}`,
  );
}

const numericDate = (value) => (typeof value === 'number' ? Math.floor(value) : undefined);

/**
 * A bounded LRU of verified results.
 * @param {number} capacity maximum entries (at least 1)
 */
export function createTokenCache(capacity) {
  /** token → { generation, policy, result, exp, nbf, iat }; Map order is recency order. */
  const entries = new Map();

  return {
    get size() {
      return entries.size;
    },

    /** Whether an entry for `token` is held (its times and keys not yet checked). */
    has: (token) => entries.has(token),

    /**
     * The cached result for `token`, or null. `checkTimes(exp, nbf, iat, authTime, now)`
     * throws when the times fail; the entry is dropped and the error goes to
     * the caller.
     */
    get(token, { generation, policy, now, checkTimes }) {
      const entry = entries.get(token);
      if (entry === undefined) return null;
      entries.delete(token);
      if (entry.generation !== generation || entry.policy !== policy) return null;
      checkTimes(entry.exp, entry.nbf, entry.iat, entry.authTime, now);
      if (entry.exp !== undefined && Math.floor(now) >= entry.exp) return null;
      entries.set(token, entry); // most recently used
      return entry.result;
    },

    /** Remembers a result verified at `now` under `generation` and `policy`. */
    set(token, result, { generation, policy, now }) {
      const claims = result.claims;
      const exp = numericDate(claims.exp);
      if (exp !== undefined && Math.floor(now) >= exp) return;
      entries.delete(token);
      const times = { nbf: numericDate(claims.nbf), iat: numericDate(claims.iat), authTime: numericDate(claims.auth_time) };
      entries.set(token, { generation, policy, result, exp, ...times });
      if (entries.size > capacity) entries.delete(entries.keys().next().value);
    },
  };
}

/** Freezes a verified result and everything in it, so a cached result cannot be changed by a caller. */
export function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
