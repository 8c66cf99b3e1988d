/**
 * One verifier's core: the WasmVerifier in the live instance of the core,
 * kept up to date with the key source's current keys (or built once with a
 * shared secret), rebuilt after a trap, and asked for fresh keys once when a
 * token's key is not in the set.
 */

import { WasmVerifier, inspect } from '../pkg/jwtguard.js';
import { fromCore } from './errors.js';
import { coreSlot } from './trap.js';

/**
 * @typedef {object} KeyedCore
 * @property {(context?: object) => any} sync the WasmVerifier with the source's current keys, or null when none are loaded
 * @property {() => number | null} generation the key-set generation the core holds
 * @property {(verifier: any, slot: number) => void} release frees the slot of a token `verifier` prepared
 * @property {(error: unknown) => import('./errors.js').JwtGuardError} failure a core failure as a JwtGuardError; a trap is reported too
 * @property {(context?: object) => Promise<void>} ready loads the keys (a remote source: fetches) into the core
 * @property {<T>(token: string, context: object | undefined, check: (token: string, context?: object) => T | Promise<T>, keyMissing?: (error: any) => boolean) => Promise<T>} withKeys
 *   loads keys if needed, then `check`; a token whose key is not in the set (ERR_KEY_NOT_FOUND, or what `keyMissing` says) gets one refresh of the source and one more try
 */

/**
 * @param {import('./verifier-options.js').VerifierSettings} settings
 * @returns {KeyedCore}
 */
export function keyedCore({ policyJson, secret, kid, source, emit }) {
  /** The key-set generation the core holds. */
  let generation = null;
  let core;
  try {
    // After a trap restarted the core, the shared secret, or the source's
    // current keys (sync below), go into the new instance.
    core = coreSlot(() => (secret === null ? null : WasmVerifier.withSecret(policyJson, secret, kid)), () => {
      generation = null;
    });
  } catch (error) {
    throw fromCore(error);
  }

  function failure(error) {
    const trapped = error instanceof WebAssembly.RuntimeError;
    const guarded = fromCore(error);
    if (trapped) emit({ type: 'core-restarted', error: guarded });
    return guarded;
  }

  function sync(context) {
    let verifier;
    try {
      verifier = core.get();
    } catch (error) {
      throw failure(error);
    }
    if (source === null) return verifier;
    const snapshot = source.current(context);
    if (snapshot === null) return null;
    if (snapshot.generation !== generation) {
      try {
        if (verifier === null) core.set(verifier = new WasmVerifier(policyJson, snapshot.jwks));
        else verifier.setKeys(snapshot.jwks);
      } catch (error) {
        throw failure(error);
      }
      generation = snapshot.generation;
    }
    return verifier;
  }

  async function ready(context) {
    if (source !== null) await source.load(context);
    sync(context);
  }

  /**
   * A token whose key is not in the set: asks the source once for fresh keys
   * (a remote source fetches unless it is cooling down) and, if they changed,
   * verifies once more. Otherwise the original error stands.
   */
  async function retryWithFreshKeys(token, error, context, check) {
    const before = generation;
    try {
      await source.refresh(kidOf(token), context);
    } catch {
      throw error; // the fetch failure is reported through the source's onEvent
    }
    if (sync(context) === null || generation === before) throw error;
    return check(token, context);
  }

  async function withKeys(token, context, check, keyMissing = (error) => error.code === 'ERR_KEY_NOT_FOUND') {
    await ready(context);
    try {
      return await check(token, context);
    } catch (error) {
      if (source === null || !keyMissing(error)) throw error;
      return retryWithFreshKeys(token, error, context, check);
    }
  }

  return Object.freeze({
    sync,
    generation: () => generation,
    // The slots of a verifier a trap dropped meanwhile went with its instance.
    release: (verifier, slot) => {
      if (core.holds(verifier)) verifier.release(slot);
    },
    failure,
    ready,
    withKeys,
  });
}

/** The `kid` of a token that has passed the header checks, or null. */
function kidOf(token) {
  const { kid } = JSON.parse(inspect(token)).header;
  return typeof kid === 'string' ? kid : null;
}
