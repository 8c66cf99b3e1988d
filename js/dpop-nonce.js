/**
 * DPoP server nonces (RFC 9449 §8 and §9) without storage: the nonce of a
 * time window is the HMAC-SHA-256 of the window's index under a secret,
 * base64url. Every server that holds the secret (a fleet of Workers, several
 * Node processes) makes and accepts the same nonces; the current and the
 * previous window's are accepted, so a nonce lives one to two windows. The
 * core checks the proof's `nonce` against what `accepted` returns; this
 * module only makes the values (WebCrypto, present in Node, workerd and
 * browsers).
 */

import { MAX_DPOP_NONCE_LEN } from '../pkg/facts.js';
import { kindOf } from './clock.js';
import { JwtGuardError } from './errors.js';

/** The window when none is given, in seconds: a nonce then lives 5 to 10 minutes, about a DPoP proof's own lifetime. */
export const DEFAULT_NONCE_WINDOW = 300;

/** The longest window, in seconds: a nonce that lives for days says nothing about a proof's freshness. */
export const MAX_NONCE_WINDOW = 86_400;

/** The shortest secret, in bytes: an HMAC-SHA-256 key as long as the hash (RFC 2104 §3, RFC 7518 §3.2). */
export const MIN_NONCE_SECRET_BYTES = 32;

/** What the HMAC is of, before the window index: no other use of the secret signs the same bytes. */
const LABEL = 'jwtguard dpop nonce ';

/** RFC 9449 §8.1: a nonce is 1*NQCHAR (printable ASCII but `"` and `\`), as it goes into a header. */
const NQCHARS = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', message, { claim: 'dpopNonce' });

function secretBytes(secret) {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret)
    : secret instanceof Uint8Array ? secret
      : secret instanceof ArrayBuffer ? new Uint8Array(secret)
        : null;
  if (bytes === null) throw misuse(`dpopNonce.secret must be a string, Uint8Array or ArrayBuffer, not ${kindOf(secret)}`);
  if (bytes.length < MIN_NONCE_SECRET_BYTES) {
    throw misuse(`dpopNonce.secret must be at least ${MIN_NONCE_SECRET_BYTES} bytes, found ${bytes.length}`);
  }
  return bytes;
}

function windowSeconds(window) {
  if (window === undefined) return DEFAULT_NONCE_WINDOW;
  if (!Number.isSafeInteger(window) || window < 1 || window > MAX_NONCE_WINDOW) {
    throw misuse(`dpopNonce.window must be a whole number of seconds from 1 to ${MAX_NONCE_WINDOW}, not ${kindOf(window)}`);
  }
  return window;
}

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * The stateless nonce provider: `{ current(now), accepted(now) }`, `now` in
 * Unix seconds.
 * @param {{ secret: string | Uint8Array | ArrayBuffer, window?: number }} options
 * @returns {import('./index.d.ts').DpopNonceProvider}
 */
export function dpopNonces(options) {
  if (!options || typeof options !== 'object') throw misuse('dpopNonce must be { secret, window } or a nonce provider { current, accepted }');
  for (const name of Object.keys(options)) {
    if (name !== 'secret' && name !== 'window') throw misuse(`unknown dpopNonce member ${JSON.stringify(name)}`);
  }
  const secret = secretBytes(options.secret);
  const window = windowSeconds(options.window);
  // A copy: the caller's buffer may change later, the key must not.
  const key = globalThis.crypto.subtle.importKey('raw', Uint8Array.from(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  /** The nonce of window `index`; the last one made is kept (one HMAC per window, not per request). */
  let last = { index: NaN, nonce: Promise.resolve('') };
  const nonceOf = (index) => {
    if (index === last.index) return last.nonce;
    const nonce = key
      .then((k) => globalThis.crypto.subtle.sign('HMAC', k, new TextEncoder().encode(`${LABEL}${index}`)))
      .then((mac) => base64url(new Uint8Array(mac)));
    last = { index, nonce };
    return nonce;
  };
  const indexAt = (now) => Math.floor(now / window);
  return Object.freeze({
    current: (now) => nonceOf(indexAt(now)),
    accepted: async (now) => {
      const index = indexAt(now);
      const previous = await nonceOf(index - 1);
      return [await nonceOf(index), previous];
    },
  });
}

/**
 * The `dpopNonce` option as a provider: `{ secret, window }` makes the
 * stateless one, an object with `current` and `accepted` functions is the
 * caller's own; null when the option is absent.
 * @param {any} option
 * @returns {import('./index.d.ts').DpopNonceProvider | null}
 */
export function nonceProvider(option) {
  if (option === undefined) return null;
  if (option && typeof option === 'object' && ('current' in option || 'accepted' in option)) {
    if (typeof option.current !== 'function' || typeof option.accepted !== 'function') {
      throw misuse('a dpopNonce provider needs current(now) and accepted(now) functions');
    }
    return option;
  }
  return dpopNonces(/** @type {any} */ (option));
}

/** A provider's nonce, checked: a nonce goes into a response header and before the core. */
function checkedNonce(nonce) {
  if (typeof nonce !== 'string' || nonce.length > MAX_DPOP_NONCE_LEN || !NQCHARS.test(nonce)) {
    throw misuse(`a dpopNonce provider returned ${kindOf(nonce)}, not a nonce of 1 to ${MAX_DPOP_NONCE_LEN} printable characters without '"' or '\\'`);
  }
  return nonce;
}

/**
 * What a request's proof is checked against at `now`: the nonce to send
 * (`current`) and the nonces the proof may carry (`accepted`), both checked.
 * @param {import('./index.d.ts').DpopNonceProvider} provider
 * @param {number} now
 */
async function noncesAt(provider, now) {
  const [current, accepted] = await Promise.all([provider.current(now), provider.accepted(now)]);
  if (!Array.isArray(accepted)) throw misuse(`a dpopNonce provider's accepted(now) returned ${kindOf(accepted)}, not an array`);
  return { current: checkedNonce(current), accepted: accepted.map(checkedNonce) };
}

/**
 * `check(presented)` with the server nonces (RFC 9449 §9) when `provider`
 * asks for them and the request is DPoP: the core receives the accepted
 * nonces, and the result, or an `ERR_DPOP_NONCE` refusal, carries the nonce
 * to send (`dpopNonce`). Without a provider, `check(presented)` as it is.
 * @template {object} T
 * @param {import('./index.d.ts').DpopNonceProvider | null} provider
 * @param {number} now
 * @param {{ scheme?: string }} presented
 * @param {(presented: any) => Promise<T>} check
 * @returns {Promise<T>}
 */
export async function withServerNonces(provider, now, presented, check) {
  const nonces = provider !== null && presented.scheme === 'dpop' ? await noncesAt(provider, now) : null;
  if (nonces === null) return check(presented);
  let result;
  try {
    result = await check({ ...presented, nonces: nonces.accepted });
  } catch (error) {
    if (error?.code === 'ERR_DPOP_NONCE') error.dpopNonce = nonces.current;
    throw error;
  }
  return Object.freeze(Object.assign({}, result, { dpopNonce: nonces.current }));
}
