// A DPoP client as RFC 9449 describes it, for the end-to-end tests: its own
// ES256 key (jose), a proof per request, and the server nonce it was given
// (RFC 9449 §8.2: a 401 use_dpop_nonce is retried once with the nonce of its
// DPoP-Nonce header; any answer's DPoP-Nonce is kept for the next proof).
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { parseChallenges } from './challenges.mjs';

/** The default DPoP algorithms, as a DPoP challenge's `algs` lists them. */
const DPOP_ALGS = 'ES256 ES384 EdDSA RS256 RS384 RS512 PS256 PS384 PS512';

/** The challenges of a nonce refusal, parsed (challenges.mjs), without resource metadata. */
export const USE_DPOP_NONCE = Object.freeze([{
  scheme: 'dpop',
  params: { algs: DPOP_ALGS, error: 'use_dpop_nonce', error_description: 'ERR_DPOP_NONCE: dpop proof does not carry a current server nonce' },
}]);

/** The challenges of a refused DPoP proof (a replay, a failed replay store), parsed (challenges.mjs), without resource metadata. */
export const INVALID_DPOP_PROOF = Object.freeze([{
  scheme: 'dpop',
  params: { algs: DPOP_ALGS, error: 'invalid_dpop_proof', error_description: 'ERR_DPOP_INVALID: dpop proof is invalid' },
}]);

/**
 * The server nonce of the window `offset` windows from now, made by
 * node:crypto as docs/sender-constrained.md defines it (independent of the
 * package's WebCrypto code).
 */
export const windowNonce = (secret, window, offset = 0) => createHmac('sha256', secret)
  .update(`jwtguard dpop nonce ${Math.floor(Date.now() / 1000 / window) + offset}`).digest('base64url');

/** Whether an answer asks for a DPoP nonce (error="use_dpop_nonce" in a DPoP challenge). */
export function asksForNonce(response) {
  if (response.status !== 401) return false;
  return parseChallenges(response.headers.get('www-authenticate')).some(({ scheme, params }) => scheme === 'dpop' && params.error === 'use_dpop_nonce');
}

export async function dpopClient() {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  const state = { nonce: undefined };

  /** A proof for one request, with the nonce the client holds (if any). */
  const proof = (token, method, url) => new SignJWT({
    htm: method,
    htu: url,
    iat: Math.floor(Date.now() / 1000),
    jti: randomUUID(),
    ath: createHash('sha256').update(token).digest('base64url'),
    ...(state.nonce === undefined ? {} : { nonce: state.nonce }),
  }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk }).sign(privateKey);

  /**
   * Sends `token` to `url` with `send` (fetch, or miniflare's dispatchFetch),
   * following one use_dpop_nonce answer; returns every answer, in order.
   */
  async function call(send, token, url, method = 'GET') {
    const answers = [];
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await send(url, { method, headers: { authorization: `DPoP ${token}`, dpop: await proof(token, method, url) } });
      answers.push(response);
      const offered = response.headers.get('dpop-nonce');
      if (offered !== null) state.nonce = offered;
      if (!asksForNonce(response)) break;
    }
    return answers;
  }

  /** The headers of one request to `url` with `token` and a fresh proof, for a test that sends the request itself. */
  const headers = async (token, url, method = 'GET') => ({ authorization: `DPoP ${token}`, dpop: await proof(token, method, url) });

  return { jkt: await calculateJwkThumbprint(jwk), state, proof, call, headers };
}
