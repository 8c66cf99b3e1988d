/**
 * DPoP replay protection (RFC 9449 §11.1): a proof's `jti` is accepted once
 * for its key. The core checks everything stateless and says until when the
 * proof is acceptable; this keeps the seen ones until then.
 */

import { JwtGuardError } from './errors.js';

/**
 * Entries the in-memory replay cache holds. At the default 60 s window (plus
 * 60 s tolerance) this covers about 800 DPoP requests a second per verifier;
 * past that the entry closest to expiry is dropped first, which would let
 * that one proof be replayed until it expires. Give a shared `replayStore`
 * when one process sees more.
 */
export const MAX_REPLAY_ENTRIES = 100_000;

/**
 * The default replay store: a bounded map of keys to expiry times.
 * @param {() => number} now Unix seconds
 * @returns {{ seen(key: string, ttlSeconds: number): Promise<boolean> }}
 */
export function memoryReplayStore(now) {
  /** key → Unix second after which it may be forgotten; insertion order ≈ expiry order. */
  const entries = new Map();
  function evict() {
    const at = now();
    for (const [key, expires] of entries) {
      if (expires < at) entries.delete(key);
    }
    while (entries.size >= MAX_REPLAY_ENTRIES) entries.delete(entries.keys().next().value);
  }
  return Object.freeze({
    async seen(key, ttlSeconds) {
      const expires = entries.get(key);
      if (expires !== undefined && expires >= now()) return true;
      if (entries.size >= MAX_REPLAY_ENTRIES) evict();
      entries.delete(key);
      entries.set(key, now() + ttlSeconds);
      return false;
    },
  });
}

/** Whether `store` is a replay store. */
export function checkReplayStore(store) {
  if (store === undefined) return;
  if (!store || typeof store.seen !== 'function') {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'replayStore must be { seen(key, ttlSeconds) → Promise<boolean> }');
  }
}

/**
 * Refuses a DPoP proof whose `jti` was seen before for the same key.
 * @param {{ seen(key: string, ttlSeconds: number): Promise<boolean> }} store
 * @param {{ jkt: string, jti: string, proofExpires: number }} binding
 * @param {number} at now, Unix seconds
 */
export async function refuseReplay(store, { jkt, jti, proofExpires }, at) {
  let seen;
  try {
    seen = await store.seen(`dpop:${jkt}:${jti}`, Math.max(1, proofExpires - at + 1));
  } catch (error) {
    // Never an acceptance: without the store the proof cannot be shown unused.
    throw new JwtGuardError('ERR_DPOP_INVALID', 'the replay store failed, so the proof cannot be shown unused', { claim: 'jti', cause: error });
  }
  if (seen !== false) {
    throw new JwtGuardError('ERR_DPOP_INVALID', 'its jti was used before (a replayed proof)', { claim: 'jti' });
  }
}
