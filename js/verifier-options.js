/**
 * createVerifier's options, read and checked once when a verifier is built:
 * the policy (for the core, as JSON), and the host's own settings (keys,
 * secret or introspection source, clock, cache, signature backends, replay
 * store, events). Every
 * option is checked here; a verifier never meets an unchecked one.
 */

import { normalizePolicy } from '../pkg/jwtguard.js';
import { DEFAULT_MAX_TOKEN_SIZE, POLICY_MEMBERS, WHOLE_NUMBER_MEMBERS } from '../pkg/facts.js';
import { checkedClock, kindOf } from './clock.js';
import { nonceProvider } from './dpop-nonce.js';
import { JwtGuardError, fromCore } from './errors.js';
import { isIntrospection } from './introspection.js';
import { localJwks } from './keys/local.js';
import { isKeySource } from './keys/source.js';
import { checkReplayStore, memoryReplayStore } from './replay.js';
import { cacheCapacity, createTokenCache } from './token-cache.js';
import { webCryptoBackend } from './webcrypto.js';

/** Options read by this layer, not by the policy. */
const HOST_FIELDS = Object.freeze(['keys', 'secret', 'kid', 'introspection', 'now', 'cache', 'webCrypto', 'nodeCrypto', 'replayStore', 'dpopNonce', 'onEvent']);

/**
 * An entry point's synchronous signature backend (Node's: nodecrypto.js), a
 * factory under this symbol in the options. A symbol, not an option name:
 * callers cannot set it by accident, and `splitOptions` never sees it.
 */
export const SYNC_BACKEND = Symbol('jwtguard.syncBackend');

export const policyError = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);
/** A string that starts like an absolute URL (`https://…`), never JSON text. */
const URL_LIKE = /^\s*[a-z][a-z0-9+.-]*:\/\//i;

function splitOptions(options) {
  if (!options || typeof options !== 'object') throw policyError('options must be an object');
  const policy = {};
  for (const [name, value] of Object.entries(options)) {
    // Policy members go to the core as JSON (docs/policy.md for each).
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
 * @typedef {object} VerifierSettings what one verifier is built from, checked
 * @property {string} policyJson the normalised policy, every default filled in
 * @property {number} maxTokenSize checked in JS before a token enters wasm memory
 * @property {() => number} now the checked clock
 * @property {(event: object) => void} emit reports an event to `onEvent`; never throws
 * @property {import('./index.d.ts').ReplayStore} replayStore
 * @property {import('./index.d.ts').DpopNonceProvider | null} dpopNonce the server nonces DPoP proofs must carry, or null
 * @property {ReturnType<typeof createTokenCache> | null} cache the verified-token cache, or null when off
 * @property {Uint8Array | null} secret the shared secret, or null with a key source
 * @property {string | undefined} kid the shared secret's kid
 * @property {any} introspection the introspection source (js/introspection.js), or null with keys or a secret
 * @property {import('./index.d.ts').KeySource | null} source where the keys come from (none with a secret)
 * @property {ReturnType<typeof webCryptoBackend> | null} webCrypto verify()'s signature backend, or null
 * @property {any} native the entry's synchronous signature backend, or null
 */

/**
 * Reads and checks createVerifier's options for one issuer.
 * @param {import('./index.d.ts').VerifierOptions & { [SYNC_BACKEND]?: () => unknown }} options
 * @returns {VerifierSettings}
 */
export function verifierSettings(options) {
  const policy = splitOptions(options);
  let policyJson;
  try {
    policyJson = normalizePolicy(JSON.stringify(policy));
  } catch (error) {
    throw fromCore(error);
  }
  const now = checkedClock(options.now === undefined ? systemNow : options.now);

  checkReplayStore(options.replayStore);
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw policyError('onEvent must be a function');
  const emit = (event) => {
    try {
      options.onEvent?.(Object.freeze(event));
    } catch {
      // Ignored by design: events are for observing, never for control.
    }
  };
  const common = {
    policyJson,
    // Checked here too, before a token is copied into wasm memory.
    maxTokenSize: policy.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE,
    now,
    emit,
    replayStore: options.replayStore ?? memoryReplayStore(now),
    // Read for both paths: a DPoP proof with an introspected token carries a server nonce too.
    dpopNonce: nonceProvider(options.dpopNonce),
  };
  if (options.introspection !== undefined) {
    if (!isIntrospection(options.introspection)) throw policyError('introspection must be made by introspection({ ... })');
    for (const name of ['keys', 'secret', 'kid', 'cache']) {
      if (options[name] !== undefined) throw policyError(`${name} is not read with introspection: the authorization server answers for each token`);
    }
    return { ...common, cache: null, secret: null, kid: undefined, introspection: options.introspection, source: null, webCrypto: null, native: null };
  }
  const capacity = cacheCapacity(options.cache);

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
  // verify() hands the signatures the core may delegate (every asymmetric
  // algorithm) to the host's WebCrypto where it exists; a shared secret
  // (HS*) never goes there.
  const subtle = globalThis.crypto?.subtle;
  const webCrypto = options.webCrypto !== false && options.secret === undefined && subtle
    ? webCryptoBackend(subtle)
    : null;
  if (options.nodeCrypto !== undefined && typeof options.nodeCrypto !== 'boolean') {
    throw policyError('nodeCrypto must be true or false');
  }
  // The entry's synchronous backend (node:crypto in Node) checks those same
  // signatures for verifySync and verify; `nodeCrypto: false` leaves them to
  // the core.
  const native = options.nodeCrypto !== false && options.secret === undefined && options[SYNC_BACKEND]
    ? options[SYNC_BACKEND]()
    : null;
  const secret = options.secret === undefined ? null : secretBytes(options.secret);
  return {
    ...common,
    cache: capacity > 0 ? createTokenCache(capacity) : null,
    secret,
    kid: options.kid ?? undefined,
    introspection: null,
    source: secret !== null ? null : isKeySource(options.keys) ? /** @type {any} */ (options.keys) : localJwks(options.keys),
    webCrypto,
    native,
  };
}
