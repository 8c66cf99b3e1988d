/**
 * createVerifier and inspectToken: the public API over the WebAssembly core.
 * The core must already be instantiated; each entry point (node.js,
 * browser.js, workerd.js) does that before re-exporting this module.
 */

import { WasmVerifier, inspect, normalizePolicy } from '../pkg/jwtguard.js';
import { DEFAULT_MAX_TOKEN_SIZE, INTROSPECTION_TYP, MAX_INTROSPECTION_RESPONSE_SIZE, POLICY_MEMBERS, WHOLE_NUMBER_MEMBERS } from '../pkg/facts.js';
import { checkedClock, kindOf } from './clock.js';
import { JwtGuardError, fromCore } from './errors.js';
import { createIssuers } from './issuers.js';
import { isIntrospection } from './introspection.js';
import { introspectingVerifier } from './introspection-verifier.js';
import { localJwks } from './keys/local.js';
import { isKeySource } from './keys/source.js';
import { REPLAY_SCOPE, checkReplayStore, memoryReplayStore, refuseReplay } from './replay.js';
import { presentedCredentials } from './request.js';
import { cacheCapacity, createTokenCache, deepFreeze } from './token-cache.js';
import { tokenInput } from './token-input.js';
import { coreSlot } from './trap.js';
import { webCryptoBackend } from './webcrypto.js';


/** Options read by this layer, not by the policy. */
const HOST_FIELDS = Object.freeze(['keys', 'secret', 'kid', 'introspection', 'now', 'cache', 'webCrypto', 'nodeCrypto', 'replayStore', 'onEvent']);

/**
 * The method of a verifier that opens a signed introspection response
 * (RFC 9701) with its policy and keys: for js/introspection.js, through
 * createVerifier's `introspection` option.
 */
const OPEN_INTROSPECTION_RESPONSE = Symbol('jwtguard.openIntrospectionResponse');

/**
 * An entry point's synchronous signature backend (Node's: nodecrypto.js), a
 * factory under this symbol in the options. A symbol, not an option name:
 * callers cannot set it by accident, and `splitOptions` never sees it.
 */
export const SYNC_BACKEND = Symbol('jwtguard.syncBackend');


const encoder = new TextEncoder();

const policyError = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);
/** A string that starts like an absolute URL (`https://…`), never JSON text. */
const URL_LIKE = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

function splitOptions(options) {
  if (!options || typeof options !== 'object') throw policyError('options must be an object');
  const policy = {};
  for (const [name, value] of Object.entries(options)) {
    // Policy members go to the core as JSON (see the README for each).
    if (POLICY_MEMBERS.includes(name)) {
      if (value === undefined) continue;
      // JSON.stringify would write NaN and Infinity as null: refused here, by name.
      if (WHOLE_NUMBER_MEMBERS.includes(name) && !(Number.isSafeInteger(value) && value >= 0)) {
        throw new JwtGuardError('ERR_POLICY_INVALID', `${name} must be a whole number ≥ 0, not ${kindOf(value)}`, { claim: name });
      }
      policy[name] = value;
    } else if (!HOST_FIELDS.includes(name)) {
      throw policyError(`unknown option ${JSON.stringify(name)}`);
    }
  }
  return policy;
}

function secretBytes(secret) {
  if (typeof secret === 'string') return new TextEncoder().encode(secret);
  if (secret instanceof Uint8Array) return secret;
  if (secret instanceof ArrayBuffer) return new Uint8Array(secret);
  throw new JwtGuardError('ERR_KEY_INVALID', 'secret must be a string, Uint8Array or ArrayBuffer');
}

function systemNow() {
  return Math.floor(Date.now() / 1000);
}

/**
 * Builds a verifier from a policy and keys, or, from an array of them, one
 * verifier for several issuers, each with its own keys.
 * @param {import('./index.d.ts').VerifierOptions | import('./index.d.ts').VerifierOptions[]} options
 * @returns {import('./index.d.ts').Verifier}
 */
export function createVerifier(options) {
  if (Array.isArray(options)) {
    return createIssuers(options.map((each, index) => {
      // Each element is one issuer's options; arrays do not nest.
      if (!each || typeof each !== 'object' || Array.isArray(each)) {
        throw policyError(`issuer configuration ${index} must be an object of createVerifier options`);
      }
      return createVerifier(each);
    }));
  }
  const policy = splitOptions(options);
  let policyJson;
  try {
    policyJson = normalizePolicy(JSON.stringify(policy));
  } catch (error) {
    throw fromCore(error);
  }
  // Checked here too, before a token is copied into wasm memory.
  const maxTokenSize = policy.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE;
  const now = checkedClock(options.now === undefined ? systemNow : options.now);

  checkReplayStore(options.replayStore);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw policyError('onEvent must be a function');
  /** Reports an event to `onEvent`; a listener that throws cannot break verification. */
  const emit = (event) => {
    try {
      options.onEvent?.(Object.freeze(event));
    } catch {
      // Ignored by design: events are for observing, never for control.
    }
  };
  const replayStore = options.replayStore ?? memoryReplayStore(now);
  if (options.introspection !== undefined) {
    const source = /** @type {any} the fields introspection() keeps for createVerifier */ (options.introspection);
    if (!isIntrospection(source)) throw policyError('introspection must be made by introspection({ ... })');
    for (const name of ['keys', 'secret', 'kid', 'cache']) {
      if (options[name] !== undefined) throw policyError(`${name} is not read with introspection: the authorization server answers for each token`);
    }
    if (source.accept === 'jwt') {
      // RFC 9701 §5: issued by the authorization server to this resource.
      const responses = createVerifier({
        issuer: source.issuer,
        audience: source.clientId,
        typ: INTROSPECTION_TYP,
        requireExp: false,
        maxTokenAge: source.responseMaxAge,
        maxTokenSize: MAX_INTROSPECTION_RESPONSE_SIZE,
        keys: source.responseKeys,
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      });
      source.useResponses({ open: (jwt, context) => responses[OPEN_INTROSPECTION_RESPONSE](jwt, context) });
    }
    return introspectingVerifier({ policyJson, maxTokenSize, now, source, replayStore, emit, presentation });
  }
  const capacity = cacheCapacity(options.cache);
  const cache = capacity > 0 ? createTokenCache(capacity) : null;

  if ((options.keys === undefined) === (options.secret === undefined)) {
    throw policyError('give exactly one of keys (a jwks or key source) and secret');
  }
  // A URL where a key set belongs would otherwise fail later as bad JSON.
  if (typeof options.keys === 'string' && URL_LIKE.test(options.keys)) {
    throw policyError('keys is a url, not a jwks: use keys: remoteJwks(url) for a jwks url, or keys: discover(issuer) for an issuer');
  }
  if (options.webCrypto !== undefined && typeof options.webCrypto !== 'boolean') {
    throw policyError('webCrypto must be true or false');
  }
  // verify() hands RS*, PS*, ES256 and ES384 signatures to the host's
  // WebCrypto where it exists; a shared secret (HS*) never goes there.
  const subtle = globalThis.crypto?.subtle;
  const webCrypto = options.webCrypto !== false && options.secret === undefined && subtle
    ? webCryptoBackend(subtle)
    : null;
  if (options.nodeCrypto !== undefined && typeof options.nodeCrypto !== 'boolean') {
    throw policyError('nodeCrypto must be true or false');
  }
  // The entry's synchronous backend (node:crypto in Node) checks RS*, PS*,
  // ES256 and ES384 signatures for verifySync and verify; `nodeCrypto: false`
  // leaves them to the core.
  const native = options.nodeCrypto !== false && options.secret === undefined && options[SYNC_BACKEND]
    ? options[SYNC_BACKEND]()
    : null;

  /** The key-set generation the core holds. */
  let generation = null;
  const secret = options.secret === undefined ? null : secretBytes(options.secret);
  /** @type {import('./index.d.ts').KeySource | null} where the keys come from (none with a secret) */
  const source = secret !== null ? null : isKeySource(options.keys) ? /** @type {any} */ (options.keys) : localJwks(options.keys);
  let core;
  try {
    // After a trap restarted the core, the shared secret, or the source's
    // current keys (sync below), go into the new instance.
    core = coreSlot(() => (secret === null ? null : WasmVerifier.withSecret(policyJson, secret, options.kid ?? undefined)), () => {
      generation = null;
    });
  } catch (error) {
    throw fromCore(error);
  }

  /**
   * Frees a core handle of one call (a prepared token); one that belongs to
   * an instance a trap dropped meanwhile is only forgotten.
   */
  const release = (handle) => core.free(handle);

  /** A core failure as a JwtGuardError; a trap also restarts the core and is reported. */
  function coreFailure(error) {
    const trapped = error instanceof WebAssembly.RuntimeError;
    const guarded = fromCore(error);
    if (trapped) emit({ type: 'core-restarted', error: guarded });
    return guarded;
  }

  /**
   * Brings the core up to date with the source's current keys; null when none
   * are loaded. `context` is the caller's request context ({ waitUntil }).
   */
  function sync(context) {
    let verifier;
    try {
      verifier = core.get();
    } catch (error) {
      throw coreFailure(error);
    }
    if (source === null) return verifier;
    const snapshot = source.current(context);
    if (snapshot === null) return null;
    if (snapshot.generation !== generation) {
      try {
        if (verifier === null) core.set(verifier = new WasmVerifier(policyJson, snapshot.jwks));
        else verifier.setKeys(snapshot.jwks);
      } catch (error) {
        throw coreFailure(error);
      }
      generation = snapshot.generation;
    }
    return verifier;
  }

  /**
   * What both paths do before the signature: the input checks, the core
   * brought up to date, the clock read and the verified-token cache asked
   * (for a bearer token, or one `presented` with the Bearer scheme).
   * Returns `{ hit }` or `{ core, at, lookup }`.
   */
  function begin(token, context, presented) {
    tokenInput(token, maxTokenSize);
    const verifier = sync(context);
    if (verifier === null) {
      throw new JwtGuardError('ERR_KEYS_NOT_LOADED', 'await verifier.ready() or use verify()');
    }
    const at = now();
    // Only bearer-scheme tokens may come from the cache: it holds only
    // unbound tokens, and a DPoP-scheme one needs its proof checked.
    if (cache === null || (presented !== undefined && presented.scheme !== 'bearer')) return { core: verifier, at, lookup: null };
    const lookup = { generation, policy: policyJson, now: at, checkTimes: verifier.checkTimes.bind(verifier) };
    try {
      const hit = cache.get(token, lookup);
      if (hit !== null) return { hit };
    } catch (error) {
      throw coreFailure(error);
    }
    return { core: verifier, at, lookup };
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
   * The core's whole verification, for a bearer token (`presented`
   * undefined) or a token as a request presented it (`readRequest`'s
   * credentials: scheme, DPoP proof, client certificate).
   */
  function coreVerify(verifier, bytes, at, presented) {
    return presented === undefined
      ? verifier.verify(bytes, at)
      : verifier.verifyPresented(bytes, at, ...presentation(presented));
  }

  /** The core's second half after `prepare` and the host's answer `key`, as coreVerify. */
  function coreFinish(verifier, prepared, key, at, presented) {
    return presented === undefined
      ? verifier.finish(prepared, key, at)
      : verifier.finishPresented(prepared, key, at, ...presentation(presented));
  }

  /**
   * Loads keys if needed, then `check(token, context)`; a token whose key is
   * not in the set gets one refresh of the source and one more try.
   */
  async function withKeys(token, context, check) {
    await ready(context);
    try {
      return await check(token, context);
    } catch (error) {
      if (source === null || error.code !== 'ERR_KEY_NOT_FOUND') throw error;
      return retryWithFreshKeys(token, error, context, check);
    }
  }

  /**
   * verifySync: the core alone, or, with the entry's synchronous backend, the
   * core's `prepare`, the backend's answer and the core's `finish`, exactly
   * as verifyWebCrypto but without awaiting. A backend failure sends the
   * token through the core alone: never an acceptance.
   */
  function verifySync(token, context, presented) {
    const { hit, core: verifier, at, lookup } = begin(token, context, presented);
    if (hit) return hit;
    let prepared;
    try {
      const bytes = encoder.encode(token);
      prepared = native === null ? undefined : verifier.prepare(bytes);
      if (prepared === undefined) return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      let key;
      try {
        key = native.firstValidKeySync(verifier, generation, prepared, bytes);
      } catch (error) {
        // A trap inside the core (reading a key for node:crypto) is no host failure.
        if (error instanceof WebAssembly.RuntimeError) throw error;
        return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      }
      return conclude(token, coreFinish(verifier, prepared, key, at, presented), lookup);
    } catch (error) {
      throw coreFailure(error);
    } finally {
      release(prepared);
    }
  }

  /**
   * verify() with WebCrypto: the core prepares (every check up to the
   * signature, and the keys to try), WebCrypto checks the signature under
   * those keys, the core finishes (payload and claims). Algorithms the core
   * keeps (HS*) go through the core alone. When the host cannot import or
   * verify with a key, or the key set changed meanwhile, the core checks the
   * signature itself: a host failure is never an acceptance.
   */
  async function verifyWebCrypto(token, context, presented) {
    const { hit, core: verifier, at, lookup } = begin(token, context, presented);
    if (hit) return hit;
    let prepared;
    try {
      // Encoded once, for the core's calls and for WebCrypto.
      const bytes = encoder.encode(token);
      prepared = verifier.prepare(bytes);
      if (prepared === undefined) return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      const before = generation;
      let key;
      let hostFailed = false;
      try {
        key = await webCrypto.firstValidKey(verifier, before, prepared, bytes);
      } catch (error) {
        // A trap inside the core (reading a key for WebCrypto) is no host failure.
        if (error instanceof WebAssembly.RuntimeError) throw error;
        hostFailed = true;
      }
      if (generation !== before) {
        // The key set changed while WebCrypto worked: the indices are stale.
        return conclude(token, coreVerify(verifier, bytes, at, presented), null);
      }
      if (hostFailed) return conclude(token, coreVerify(verifier, bytes, at, presented), lookup);
      return conclude(token, coreFinish(verifier, prepared, key, at, presented), lookup);
    } catch (error) {
      throw coreFailure(error);
    } finally {
      // The handle's memory is the core's: freed here, finished or not.
      release(prepared);
    }
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

  return Object.freeze({
    policy: Object.freeze(JSON.parse(policyJson)),
    ready: () => ready(),
    verifySync: (token) => {
      try {
        return verifySync(token);
      } catch (error) {
        throw withRequestHint(error);
      }
    },
    /**
     * Loads keys if needed, then verifies, with WebCrypto where the host has
     * it (unless `webCrypto: false`). `context.waitUntil` (a Worker's
     * `ctx.waitUntil`) receives background key refreshes this call starts.
     */
    async verify(token, context) {
      try {
        return await withKeys(token, context, webCrypto === null ? verifySync : verifyWebCrypto);
      } catch (error) {
        throw withRequestHint(error);
      }
    },
    /**
     * Verifies the access token of an HTTP request as it was presented: the
     * Bearer or DPoP scheme, the DPoP proof, the client certificate. A
     * DPoP proof's `jti` is then refused if this verifier's replay store has
     * seen it (in another request: `context[REPLAY_SCOPE]` holds one
     * request's answers when a gateway checks it against several policies).
     */
    async verifyRequest(request, options, context) {
      const presented = presentedCredentials(request, options);
      const check = webCrypto === null ? verifySync : verifyWebCrypto;
      const result = await withKeys(presented.token, context, (token, retryContext) => check(token, retryContext, presented));
      if (result.binding?.type === 'dpop') await refuseReplay(replayStore, result.binding, now(), context?.[REPLAY_SCOPE]);
      return result;
    },
    /**
     * A signed introspection response (RFC 9701) verified by the core with
     * this verifier's policy and keys: resolves to its token_introspection
     * text. A kid not in the key set gets one refresh, as for a token.
     */
    async [OPEN_INTROSPECTION_RESPONSE](jwt, context) {
      tokenInput(jwt, maxTokenSize);
      await ready(context);
      const open = () => {
        const verifier = sync(context);
        try {
          return verifier.introspectionResponse(encoder.encode(jwt), now());
        } catch (error) {
          throw coreFailure(error);
        }
      };
      try {
        return open();
      } catch (error) {
        // The core names the check that failed first in the detail.
        if (source === null || !error.detail?.startsWith('ERR_KEY_NOT_FOUND')) throw error;
        return retryWithFreshKeys(jwt, error, context, open);
      }
    },
    /** Entries of the current key set that were skipped, with reasons. */
    skippedKeys() {
      const verifier = sync();
      return verifier === null ? [] : verifier.skipped();
    },
  });
}

/**
 * verify() and verifySync() take a bare token, so a bound one (the core's
 * ERR_TOKEN_BOUND: it carries cnf, and its proof is missing) gets the name
 * of the method that reads the proof from its request.
 */
function withRequestHint(error) {
  if (error?.code !== 'ERR_TOKEN_BOUND' || error.detail === null) return error;
  return new JwtGuardError(error.code, `${error.detail} through verifyRequest`, { claim: error.claim });
}

/**
 * The core's flat arguments for a presented token, after the token and the
 * time: scheme, DPoP proof, method and url (with a proof only), and the
 * client certificate as DER or its SHA-256.
 */
function presentation(presented) {
  const withProof = presented.proof !== undefined;
  return [
    presented.scheme, presented.proof,
    withProof ? presented.method : undefined, withProof ? presented.url : undefined,
    presented.certificateDer, presented.certificateSha256,
  ];
}

/** The `kid` of a token that has passed the header checks, or null. */
function kidOf(token) {
  const { kid } = JSON.parse(inspect(token)).header;
  return typeof kid === 'string' ? kid : null;
}

/**
 * Decodes a token without verifying it: for display only.
 * @param {string} token
 */
export function inspectToken(token) {
  tokenInput(token);
  let json;
  try {
    json = inspect(token);
  } catch (error) {
    throw fromCore(error);
  }
  return JSON.parse(json);
}
