/**
 * The refetch rule of a cached document (a key set or a discovery document)
 * as a pure function: what to do about an event, given the cache's state at
 * a time. No I/O and no clock; cache.js carries the action out.
 */

/**
 * @typedef {object} CacheState
 * @property {{ freshUntil: number, usableUntil: number } | null} entry the
 *   document held (fresh until max age, usable until staleIfError after), or null
 * @property {number} lastAttempt when the last fetch started (seconds; -Infinity before any)
 * @property {boolean} failed whether that fetch failed
 * @property {number | null} pendingSince when the fetch in flight started, or null
 */

/**
 * @typedef {{ type: 'serve', refresh?: 'expired' }
 *   | { type: 'none' }
 *   | { type: 'join' }
 *   | { type: 'poll' }
 *   | { type: 'fail' }
 *   | { type: 'fetch', reason: 'load' | 'kid-miss' }
 *   | { type: 'cooldown', retryIn: number }} RefetchAction
 * - `serve`: the entry as it is; with `refresh`, also start a background refresh;
 * - `none`: nothing usable, and the caller does not wait (peek);
 * - `join`: wait for the fetch in flight, sharing its promise;
 * - `poll`: wait for it on the caller's own timers (Workers, where a promise
 *   started by one request must not be awaited by another);
 * - `fail`: the last fetch failed within the cooldown: its error again;
 * - `fetch`: start a fetch;
 * - `cooldown`: a kid miss within the cooldown; the entry stays as it is.
 */

/**
 * Decides what a cached document does about `event` at `now` (seconds):
 * - `peek`: a caller wants the document without waiting;
 * - `load`: a caller needs it (memory and store had nothing usable);
 * - `kid-miss`: a token named a key the document does not have.
 * @param {CacheState} state
 * @param {'peek' | 'load' | 'kid-miss'} event
 * @param {number} now
 * @param {{ timeout: number, cooldown: number, shareInFlight: boolean }} settings
 * @returns {RefetchAction}
 */
export function refetchAction(state, event, now, settings) {
  const usable = state.entry !== null && now < state.entry.usableUntil;
  // A fetch older than its timeout is forgotten: on Workers its request may
  // have ended, and then it never settles.
  const inFlight = state.pendingSince !== null && now - state.pendingSince <= settings.timeout;
  // One fetch per cooldown, whatever asks for it: a flood of unknown kids
  // cannot become a flood of fetches.
  const cooling = now - state.lastAttempt < settings.cooldown;
  switch (event) {
    case 'peek':
      if (!usable) return { type: 'none' };
      if (now >= state.entry.freshUntil && !inFlight && !cooling) return { type: 'serve', refresh: 'expired' };
      return { type: 'serve' };
    case 'load':
      if (usable) return { type: 'serve' };
      if (inFlight) return { type: settings.shareInFlight ? 'join' : 'poll' };
      if (state.failed && cooling) return { type: 'fail' };
      return { type: 'fetch', reason: 'load' };
    case 'kid-miss':
      if (inFlight && settings.shareInFlight) return { type: 'join' };
      if (cooling) return { type: 'cooldown', retryIn: Math.ceil(state.lastAttempt + settings.cooldown - now) };
      return { type: 'fetch', reason: 'kid-miss' };
    default:
      throw new TypeError(`unknown cache event ${JSON.stringify(event)}`);
  }
}
