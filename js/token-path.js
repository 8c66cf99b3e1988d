/**
 * The path of one token through a verifier (ARCHITECTURE.md, "The path of
 * one token"): the input checks, the verified-token cache, then the core
 * alone or the core's `prepare`, a signature backend's answer and the core's
 * `finish`. A backend failure, a key set that changed meanwhile, or a core
 * restarted meanwhile after a trap, sends the token through the (live) core
 * alone: never an acceptance.
 */

import { JwtGuardError } from './errors.js';
import { preparedToken } from './prepared-token.js';
import { deepFreeze } from './token-cache.js';
import { lentTokenBytes, returnTokenBytes, sharedTokenBytes } from './token-bytes.js';
import { tokenInput } from './token-input.js';

/**
 * @typedef {object} TokenPath
 * @property {(token: string, context?: object, presented?: object) => object} verifySync
 *   the core alone, or with the entry's synchronous backend
 * @property {((token: string, context?: object, presented?: object) => Promise<object>) | null} verifyAsync
 *   with verify()'s WebCrypto backend; null without one
 * @property {(token: string, context?: object) => object | null} remembered
 *   a bearer token's result from the verified-token cache, found without
 *   awaiting, or null
 */

/**
 * @param {import('./verifier-options.js').VerifierSettings} settings
 * @param {import('./keyed-core.js').KeyedCore} keyed
 * @returns {TokenPath}
 */
export function tokenPath({ policyJson, maxTokenSize, now, cache, native, webCrypto }, keyed) {
  /**
   * What both paths do before the signature: the input checks, the core
   * brought up to date, the clock read and the verified-token cache asked
   * (for a bearer token, or one `presented` with the Bearer scheme).
   * Returns `{ hit }` or `{ core, at, lookup }`.
   */
  function begin(token, context, presented) {
    tokenInput(token, maxTokenSize);
    const verifier = liveCore(context);
    const at = now();
    // Only bearer-scheme tokens may come from the cache: it holds only
    // unbound tokens, and a DPoP-scheme one needs its proof checked.
    if (cache === null || (presented !== undefined && presented.scheme !== 'bearer')) return { core: verifier, at, lookup: null };
    const lookup = { generation: keyed.generation(), policy: policyJson, now: at, core: verifier };
    try {
      const hit = cache.get(token, lookup);
      if (hit !== null) return { hit };
    } catch (error) {
      throw keyed.failure(error);
    }
    return { core: verifier, at, lookup };
  }

  /** The core with the source's current keys, rebuilt after a trap. */
  function liveCore(context) {
    const verifier = keyed.sync(context);
    if (verifier === null) {
      throw new JwtGuardError('ERR_KEYS_NOT_LOADED', 'await verifier.ready() or use verify()');
    }
    return verifier;
  }

  /**
   * A verified result (the core's JSON text), frozen and remembered. Only
   * bearer results are remembered: a bound token needs its proof each time.
   */
  function conclude(token, json, lookup) {
    // JSON.parse keeps a signed "__proto__" member an own property.
    const result = deepFreeze(JSON.parse(json));
    if (lookup !== null && result.binding === null) cache.set(token, result, lookup);
    return result;
  }

  /**
   * verifySync: the core alone, or, with the entry's synchronous backend, the
   * core's `prepare`, the backend's answer and the core's `finish`, exactly
   * as verifyAsync but without awaiting.
   */
  function verifySync(token, context, presented) {
    const { hit, core: verifier, at, lookup } = begin(token, context, presented);
    if (hit) return hit;
    let prepared;
    try {
      // Nothing below awaits, so the shared buffers' bytes stay this token's.
      const bytes = sharedTokenBytes(token);
      const offer = native === null ? 0 : verifier.prepare(bytes);
      if (offer === 0) return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      prepared = preparedToken(offer, false);
      let key;
      try {
        key = native.firstValidKeySync(verifier, keyed.generation(), prepared, bytes);
      } catch (error) {
        // A trap inside the core (reading a key for node:crypto) is no host failure.
        if (error instanceof WebAssembly.RuntimeError) throw error;
        return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      }
      return conclude(token, coreFinish(verifier, prepared.slot, key, at, presented), lookup);
    } catch (error) {
      throw keyed.failure(error);
    } finally {
      if (prepared !== undefined) keyed.release(verifier, prepared.slot);
    }
  }

  /**
   * verify() with WebCrypto: the core prepares (every check up to the
   * signature, and the keys to try), WebCrypto checks the signature under
   * those keys, the core finishes (payload and claims). Algorithms the core
   * keeps (HS*) go through the core alone.
   */
  async function verifyAsync(token, context, presented) {
    const { hit, core: verifier, at, lookup } = begin(token, context, presented);
    if (hit) return hit;
    let prepared;
    // Encoded once, for the core's calls and for WebCrypto, into a buffer
    // lent to this verification alone: it awaits, so the shared one cannot serve.
    const bytes = lentTokenBytes(token);
    try {
      const offer = verifier.prepare(bytes);
      if (offer === 0) return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      prepared = preparedToken(offer, true);
      const before = keyed.generation();
      let key;
      let hostFailed = false;
      try {
        key = await webCrypto.firstValidKey(verifier, before, prepared, bytes);
      } catch (error) {
        // A trap inside the core (reading a key for WebCrypto) is no host failure.
        if (error instanceof WebAssembly.RuntimeError) throw error;
        hostFailed = true;
      }
      const live = liveCore(context);
      if (live !== verifier || keyed.generation() !== before) {
        // While WebCrypto worked, the key set changed (the indices are
        // stale) or a trap restarted the core (the verifier and the token's
        // slot went with the old instance): the live core checks it alone.
        return conclude(token, coreVerify(live, bytes, at, presented), null);
      }
      if (hostFailed) return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      return conclude(token, coreFinish(verifier, prepared.slot, key, at, presented), lookup);
    } catch (error) {
      throw keyed.failure(error);
    } finally {
      // The slot is the core's: freed here, finished or not.
      if (prepared !== undefined) keyed.release(verifier, prepared.slot);
      returnTokenBytes(bytes);
    }
  }

  /**
   * A bearer token's remembered result, asked without awaiting, so that
   * verify() answers a repeated token before its chain of awaits (keys
   * loaded, then the token path). Null when there is none: no cache, keys
   * not loaded yet, not remembered, or input the whole path refuses with
   * its own error.
   */
  function remembered(token, context) {
    // One Map lookup decides a miss, so a token seen for the first time
    // pays nothing more here than before the fast path.
    if (cache === null || !cache.has(token)) return null;
    try {
      return begin(token, context).hit ?? null;
    } catch {
      return null;
    }
  }

  return Object.freeze({ verifySync, verifyAsync: webCrypto === null ? null : verifyAsync, remembered });
}

/**
 * The core's whole verification, for a bearer token (`presented`
 * undefined) or a token as a request presented it (`readRequest`'s
 * credentials: scheme, DPoP proof, client certificate).
 */
function coreVerify(verifier, bytes, at, presented) {
  return presented === undefined
    ? verifier.verify(bytes, at)
    : verifier.verifyPresented(bytes, at, ...presentation(presented));
}

/** The core's second half for the token in `slot` after the host's answer `key`, as coreVerify. */
function coreFinish(verifier, slot, key, at, presented) {
  return presented === undefined
    ? verifier.finish(slot, key, at)
    : verifier.finishPresented(slot, key, at, ...presentation(presented));
}

/**
 * The core's flat arguments for a presented token, after the token and the
 * time: scheme, DPoP proof, method and url (with a proof only), the server
 * nonces the proof may carry (when the verifier asks for them), and the
 * client certificate as DER or its SHA-256.
 */
export function presentation(presented) {
  const withProof = presented.proof !== undefined;
  return [
    presented.scheme, presented.proof,
    withProof ? presented.method : undefined, withProof ? presented.url : undefined,
    presented.nonces,
    presented.certificateDer, presented.certificateSha256,
  ];
}
