/**
 * DPoP replay protection (RFC 9449 §11.1): a proof's `jti` is accepted once
 * for its key. The core checks everything stateless and says until when the
 * proof is acceptable; this keeps the seen ones until then.
 */

import { JwtGuardError } from './errors.js';

/**
 * Entries the in-memory replay cache holds. At the default 60 s window (plus
 * 60 s tolerance) this covers about 800 DPoP requests a second per memory
 * (a verifier's own, or the one a middleware or gateway shares);
 * past that the entry closest to expiry is dropped first, which would let
 * that one proof be replayed until it expires. Give a shared `replayStore`
 * when one process sees more.
 */
export const MAX_REPLAY_ENTRIES = 100_000;

/** The replay memory behind each store view `replayMemory` gave: one request asks a memory once, whichever view. */
const memoryOf = new WeakMap();

/** Unix seconds by the system clock. */
const systemSeconds = () => Math.floor(Date.now() / 1000);

/**
 * One bounded replay memory, for every verifier of a deployment: a function
 * that gives a replay store over it on a verifier's clock. The middleware and
 * gateways keep one per factory (js/authenticate.js), so a proof accepted by
 * one verifier (one env, one gateway policy) is a replay to all the others.
 * Expiry times are read on the clock of the verifier that recorded them.
 * @returns {(now?: () => number) => { seen(key: string, ttlSeconds: number): Promise<boolean> }}
 */
export function replayMemory() {
  /** key → Unix second after which it may be forgotten; insertion order ≈ expiry order. */
  const entries = new Map();
  function evict(at) {
    for (const [key, expires] of entries) {
      if (expires < at) entries.delete(key);
    }
    while (entries.size >= MAX_REPLAY_ENTRIES) entries.delete(entries.keys().next().value);
  }
  return (now = systemSeconds) => {
    const view = Object.freeze({
      async seen(key, ttlSeconds) {
        const at = now();
        const expires = entries.get(key);
        if (expires !== undefined && expires >= at) return true;
        if (entries.size >= MAX_REPLAY_ENTRIES) evict(at);
        entries.delete(key);
        entries.set(key, at + ttlSeconds);
        return false;
      },
    });
    memoryOf.set(view, entries);
    return view;
  };
}

/**
 * The default replay store of a verifier built on its own: a replay memory
 * of its own.
 * @param {() => number} now Unix seconds
 */
export function memoryReplayStore(now) {
  return replayMemory()(now);
}

/** Whether `store` is a replay store. */
export function checkReplayStore(store) {
  if (store === undefined) return;
  if (!store || typeof store.seen !== 'function') {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'replayStore must be { seen(key, ttlSeconds) → Promise<boolean> }');
  }
}

/**
 * A member of `verifyRequest`'s context (a symbol, so no caller sets it by
 * accident): the replay answers of one request, `Map<memory, Map<key,
 * Promise<boolean>>>`, where a memory is the entries behind `replayMemory`'s
 * stores, or a store given as `replayStore`. A gateway checks one request
 * against several policies (`anyOf`, `allOf`) that share a replay memory;
 * within the request each memory is asked once, so the proof counts as used
 * by that request, not as replayed by its second policy.
 */
export const REPLAY_SCOPE = Symbol('jwtguard.replayScope');

/**
 * Refuses a DPoP proof whose `jti` was seen before for the same key.
 * @param {{ seen(key: string, ttlSeconds: number): Promise<boolean> }} store
 * @param {{ jkt: string, jti: string, proofExpires: number }} binding
 * @param {number} at now, Unix seconds
 * @param {Map<object, Map<string, Promise<boolean>>>} [scope] the request's answers (REPLAY_SCOPE)
 */
export async function refuseReplay(store, { jkt, jti, proofExpires }, at, scope) {
  const key = `dpop:${jkt}:${jti}`;
  const memory = memoryOf.get(store) ?? store;
  const asked = scope?.get(memory) ?? new Map();
  scope?.set(memory, asked);
  if (!asked.has(key)) asked.set(key, Promise.resolve().then(() => store.seen(key, Math.max(1, proofExpires - at + 1))));
  let seen;
  try {
    seen = await asked.get(key);
  } catch (error) {
    // Never an acceptance: without the store the proof cannot be shown unused.
    throw new JwtGuardError('ERR_DPOP_INVALID', 'the replay store failed, so the proof cannot be shown unused', { claim: 'jti', cause: error });
  }
  if (seen !== false) {
    throw new JwtGuardError('ERR_DPOP_INVALID', 'its jti was used before (a replayed proof)', { claim: 'jti' });
  }
}
