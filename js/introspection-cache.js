/**
 * The introspection cache: the authorization server's answers (RFC 7662
 * JSON text, after a signed answer's checks) by the SHA-256 of the token.
 *
 * - The key is the whole token's SHA-256: a token that shares a prefix, a
 *   suffix or all but its case with a cached one is another entry, and the
 *   cache holds no token.
 * - An active answer is kept until the earlier of its `exp` and `cacheTtl`;
 *   any other answer for `inactiveTtl`, so a flood of bad tokens costs one
 *   introspection per token and `inactiveTtl`, not one per request.
 * - At most `maxEntries` answers; the least recently used goes first.
 * - A failure is never kept: the next request asks again.
 * - Concurrent requests for one token share one introspection.
 *
 * The cache decides only how long an answer is kept; every hit goes through
 * the core's checks again, at the time of the request and with its binding.
 */

const encoder = new TextEncoder();

/** The hex SHA-256 of `token`. */
export async function tokenKey(token) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(token)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * How long the answer `text` may be kept at `now`, in seconds: until the
 * earlier of its `exp` and `cacheTtl` when active, `inactiveTtl` otherwise.
 * @param {string} text
 * @param {number} now
 * @param {{ cacheTtl: number, inactiveTtl: number }} ttl
 */
export function keepFor(text, now, { cacheTtl, inactiveTtl }) {
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    return 0; // the core refuses it: nothing to keep
  }
  if (answer?.active !== true) return inactiveTtl;
  const exp = typeof answer.exp === 'number' && Number.isFinite(answer.exp) ? answer.exp - now : cacheTtl;
  return Math.max(0, Math.min(cacheTtl, exp));
}

/**
 * A bounded cache of answers in front of `introspect(token, context)`.
 * @param {{ maxEntries: number, cacheTtl: number, inactiveTtl: number, now: () => number,
 *   emit: (event: object) => void, shareInFlight: boolean }} settings
 * @param {(token: string, context?: object) => Promise<string>} introspect
 */
export function introspectionCache({ maxEntries, cacheTtl, inactiveTtl, now, emit, shareInFlight }, introspect) {
  /** @type {Map<string, { text: string, until: number }>} in use order, oldest first */
  const entries = new Map();
  /** @type {Map<string, Promise<string>>} */
  const inFlight = new Map();

  function remember(key, text) {
    const at = now();
    const seconds = keepFor(text, at, { cacheTtl, inactiveTtl });
    if (seconds <= 0 || maxEntries === 0) return;
    entries.delete(key);
    entries.set(key, { text, until: at + seconds });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      entries.delete(oldest);
      emit({ type: 'introspection-evicted' });
    }
  }

  async function fetchAndKeep(key, token, context) {
    const text = await introspect(token, context);
    remember(key, text);
    return text;
  }

  return Object.freeze({
    /** The answer about `token`: from the cache, or introspected and kept. */
    async answer(token, context) {
      const key = await tokenKey(token);
      const kept = entries.get(key);
      if (kept !== undefined && kept.until > now()) {
        entries.delete(key);
        entries.set(key, kept);
        emit({ type: 'introspection-hit' });
        return kept.text;
      }
      entries.delete(key);
      // On Workers a promise of one request must not be awaited by another.
      if (!shareInFlight) return fetchAndKeep(key, token, context);
      const pending = inFlight.get(key);
      if (pending !== undefined) return pending;
      const started = fetchAndKeep(key, token, context).finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    /** How many answers are kept. */
    get size() {
      return entries.size;
    },
  });
}
