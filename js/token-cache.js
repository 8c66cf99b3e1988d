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
 *   with the clock tolerance, `maxTokenAge`, `maxLifetime`), as the core
 *   decides with exactly the rules of a full verification. Each of those
 *   rules bounds `now` from one side or not at all (`maxLifetime`, a
 *   missing claim), so the seconds at which a token's
 *   times pass form one unbroken span (tests/js/token-cache.test.mjs checks
 *   this of the core): an entry keeps the first and last whole second at
 *   which the core said yes, a hit within them passes as those did, and any
 *   other second is asked of the core (`checkTimes`) again, which widens
 *   the span or refuses.
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
  /**
   * token → { generation, policy, result, exp, nbf, iat, authTime, from, until };
   * `from`..`until` the whole seconds at which the core found the times
   * passing. Map order is recency order.
   */
  const entries = new Map();
  /** The most recently used token: a hit on it needs no reordering. */
  let newest;

  function drop(token) {
    entries.delete(token);
    if (token === newest) newest = undefined;
  }

  return {
    get size() {
      return entries.size;
    },

    /** Whether an entry for `token` is held (its times and keys not yet checked). */
    has: (token) => entries.has(token),

    /**
     * The cached result for `token`, or null. Outside the seconds at which
     * the times already passed, `core.checkTimes(exp, nbf, iat, authTime,
     * now)` decides: it throws when the times fail; the entry is then
     * dropped and the error goes to the caller.
     */
    get(token, { generation, policy, now, core }) {
      const entry = entries.get(token);
      if (entry === undefined) return null;
      if (entry.generation !== generation || entry.policy !== policy) {
        drop(token);
        return null;
      }
      const second = Math.floor(now);
      if (second < entry.from || second > entry.until) {
        try {
          core.checkTimes(entry.exp, entry.nbf, entry.iat, entry.authTime, now);
        } catch (error) {
          drop(token);
          throw error;
        }
        // The times pass at `second`, so at every second between it and the span.
        entry.from = Math.min(entry.from, second);
        entry.until = Math.max(entry.until, second);
      }
      if (entry.exp !== undefined && second >= entry.exp) {
        drop(token);
        return null;
      }
      if (token !== newest) {
        entries.delete(token);
        entries.set(token, entry);
        newest = token;
      }
      return entry.result;
    },

    /** Remembers a result verified (its times too) at `now` under `generation` and `policy`. */
    set(token, result, { generation, policy, now }) {
      const claims = result.claims;
      const exp = numericDate(claims.exp);
      const second = Math.floor(now);
      if (exp !== undefined && second >= exp) return;
      entries.delete(token);
      const times = { nbf: numericDate(claims.nbf), iat: numericDate(claims.iat), authTime: numericDate(claims.auth_time) };
      entries.set(token, { generation, policy, result, exp, ...times, from: second, until: second });
      newest = token;
      if (entries.size > capacity) drop(entries.keys().next().value);
    },
  };
}

/**
 * Freezes a verified result and everything in it, so a cached result cannot
 * be changed by a caller. For a fresh JSON value (what `JSON.parse` returns,
 * or objects made of its parts): a tree in which nothing is shared or frozen
 * yet, so every object is visited once and nothing is asked whether it is
 * frozen. Arrays go by index and objects by `for...in` (a parsed object
 * inherits no enumerable member; a signed `"__proto__"` is an own one, read
 * as such), and a primitive member costs no call.
 */
export function deepFreeze(value) {
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const member = value[index];
      if (typeof member === 'object' && member !== null) deepFreeze(member);
    }
  } else {
    for (const name in value) {
      const member = value[name];
      if (typeof member === 'object' && member !== null) deepFreeze(member);
    }
  }
  return value;
}
