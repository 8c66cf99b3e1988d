/**
 * OAuth 2.0 client authentication at an authorization server's endpoint,
 * shared by the command line's token request (js/cli/token.js) and token
 * introspection (js/introspection.js): a client secret in HTTP Basic or in
 * the form (RFC 6749 §2.3.1), or a signed client assertion (RFC 7523 §2.2,
 * `private_key_jwt`), whose claims and signing input are built here.
 */

import { JwtGuardError } from './errors.js';

/** RFC 7523 §2.2: the client_assertion_type of a JWT client assertion. */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Lifetime of a client assertion: short, as Entra asks (5–10 minutes); used once. */
export const ASSERTION_LIFETIME_SECONDS = 300;

const encoder = new TextEncoder();

/** Unpadded base64url of bytes or of a string's UTF-8. */
export function base64url(input) {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The signing input (`header.claims`) of a client assertion (RFC 7523 §3):
 * issued by and about the client, for `audience` (the endpoint, or the
 * authorization server's issuer), with a fresh `jti`.
 * @param {Record<string, unknown>} header
 * @param {{ clientId: string, audience: string, now: number }} input
 */
export function assertionInput(header, { clientId, audience, now }) {
  const claims = {
    aud: audience,
    iss: clientId,
    sub: clientId,
    jti: crypto.randomUUID(),
    iat: now,
    nbf: now,
    exp: now + ASSERTION_LIFETIME_SECONDS,
  };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
}

/**
 * Adds the client's authentication to a form POST: `auth` is
 * `{ kind: 'basic' | 'post', secret }` or `{ kind: 'assertion', assertion }`.
 * @param {URLSearchParams} form
 * @param {Record<string, string>} headers
 * @param {string} clientId
 * @param {{ kind: 'basic' | 'post', secret: string } | { kind: 'assertion', assertion: string }} auth
 */
export function authenticateClient(form, headers, clientId, auth) {
  if (auth.kind === 'basic') {
    // RFC 6749 §2.3.1: both parts form-urlencoded before base64.
    const user = encodeURIComponent(clientId);
    const password = encodeURIComponent(auth.secret);
    headers.authorization = `Basic ${btoa(`${user}:${password}`)}`;
    return;
  }
  form.set('client_id', clientId);
  if (auth.kind === 'assertion') {
    form.set('client_assertion_type', CLIENT_ASSERTION_TYPE);
    form.set('client_assertion', auth.assertion);
  } else {
    form.set('client_secret', auth.secret);
  }
}

/** WebCrypto's parameters for each key type a client assertion may be signed with, and the JWS alg. */
const SIGNERS = Object.freeze([
  { alg: 'RS256', kty: 'RSA', importAs: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  { alg: 'ES256', kty: 'EC', crv: 'P-256', importAs: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  { alg: 'ES384', kty: 'EC', crv: 'P-384', importAs: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } },
  { alg: 'EdDSA', kty: 'OKP', crv: 'Ed25519', importAs: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
]);

const keyError = (why) => new JwtGuardError('ERR_KEY_INVALID', `privateKey ${why}`, { claim: 'privateKey' });

/** The DER bytes of a PKCS #8 PEM ("-----BEGIN PRIVATE KEY-----"). */
function pkcs8Der(pem) {
  const match = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(pem);
  if (!match) throw keyError('must be a PKCS #8 PEM (BEGIN PRIVATE KEY), a private JWK, a KeyObject or a CryptoKey');
  return Uint8Array.from(atob(match[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
}

/** The signer entry for a WebCrypto key's algorithm. */
function signerOf(algorithm) {
  const signer = SIGNERS.find((s) => s.importAs.name === algorithm.name && (s.crv === undefined || s.crv === algorithm.namedCurve));
  if (!signer) throw keyError(`of type ${algorithm.name} cannot sign a client assertion (RSA, P-256, P-384 or Ed25519)`);
  return signer;
}

/**
 * Imports the client's private key for `private_key_jwt`: a PKCS #8 PEM, a
 * Node `KeyObject`, a private JWK (its `kid` names it unless `kid` is
 * given) or a WebCrypto `CryptoKey` that may sign. Returns
 * `{ alg, kid, sign(input) }`, `sign` giving the JWS signature bytes.
 * @param {unknown} privateKey
 * @param {string | undefined} kid
 */
export async function assertionKey(privateKey, kid) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw keyError('needs WebCrypto, which this runtime lacks');
  let key;
  let signer;
  try {
    if (typeof CryptoKey !== 'undefined' && privateKey instanceof CryptoKey) {
      if (privateKey.type !== 'private' || !privateKey.usages.includes('sign')) throw keyError('must be a private CryptoKey with the sign usage');
      [key, signer] = [privateKey, signerOf(privateKey.algorithm)];
    } else if (typeof privateKey === 'string') {
      const der = pkcs8Der(privateKey);
      for (const candidate of SIGNERS) {
        key = await subtle.importKey('pkcs8', der, candidate.importAs, false, ['sign']).catch(() => null);
        if (key !== null) {
          signer = candidate;
          break;
        }
      }
      if (!signer) throw keyError('is a PEM of no supported key type (RSA, P-256, P-384 or Ed25519)');
    } else {
      // A Node KeyObject exports itself as a JWK; a JWK is one already.
      const exportable = /** @type {any} */ (privateKey);
      const jwk = typeof exportable?.export === 'function' ? exportable.export({ format: 'jwk' }) : exportable;
      if (!jwk || typeof jwk !== 'object' || typeof jwk.d !== 'string') throw keyError('must be a private key: a PKCS #8 PEM, a KeyObject, a private JWK or a CryptoKey');
      signer = SIGNERS.find((s) => s.kty === jwk.kty && (s.crv === undefined || s.crv === jwk.crv));
      if (!signer) throw keyError(`of kty ${JSON.stringify(jwk.kty)} cannot sign a client assertion (RSA, P-256, P-384 or Ed25519)`);
      kid ??= typeof jwk.kid === 'string' ? jwk.kid : undefined;
      const { alg: _alg, use: _use, key_ops: _ops, ...material } = jwk;
      key = await subtle.importKey('jwk', material, signer.importAs, false, ['sign']);
    }
  } catch (error) {
    throw error instanceof JwtGuardError ? error : keyError(`cannot be imported: ${error?.message ?? error}`);
  }
  const signingKey = key;
  return Object.freeze({
    alg: signer.alg,
    kid,
    sign: async (input) => new Uint8Array(await subtle.sign(signer.sign, signingKey, encoder.encode(input))),
  });
}
