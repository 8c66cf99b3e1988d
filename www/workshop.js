/**
 * Test-token workshop: a key pair made in the page with WebCrypto, claims
 * the person edits, a signed token and the public key set that verifies it.
 * The private key is not extractable: it never leaves this page's memory.
 */

/** WebCrypto parameters per JWS algorithm. */
const ALGORITHMS = Object.freeze({
  RS256: { generate: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } },
  PS256: { generate: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, sign: { name: 'RSA-PSS', saltLength: 32 } },
  ES256: { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  ES384: { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } },
  EdDSA: { generate: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
});

export const WORKSHOP_ALGORITHMS = Object.freeze(Object.keys(ALGORITHMS));

/** Public JWK members per key type; WebCrypto's own extras (key_ops, ext, its alg names) are dropped. */
const PUBLIC_MEMBERS = Object.freeze({ RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'], OKP: ['kty', 'crv', 'x'] });

function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const encodeJson = (value) => base64url(new TextEncoder().encode(JSON.stringify(value)));

function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A new key pair for `alg`: `{ alg, kid, privateKey, jwks }` where `jwks` is
 * the public key set (one key, with kid, alg and use).
 */
export async function generateKey(alg) {
  const params = ALGORITHMS[alg];
  if (!params) throw new Error(`unsupported algorithm ${alg}`);
  const { publicKey, privateKey } = await crypto.subtle.generateKey(params.generate, false, ['sign', 'verify']);
  const exported = await crypto.subtle.exportKey('jwk', publicKey);
  const kid = `workshop-${randomHex(6)}`;
  const jwk = Object.fromEntries(PUBLIC_MEMBERS[exported.kty].map((name) => [name, exported[name]]));
  return { alg, kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg, use: 'sig' }] } };
}

/** Signs `claims` with `key` under `header` (alg and kid are set from the key). */
export async function signToken(key, header, claims) {
  const input = `${encodeJson({ ...header, alg: key.alg, kid: key.kid })}.${encodeJson(claims)}`;
  const signature = await crypto.subtle.sign(ALGORITHMS[key.alg].sign, key.privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** Claims shaped like an Entra ID v2.0 app-only (client-credentials) token, valid from `now` for 75 minutes. */
export function sampleClaims(now) {
  const tenant = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
  return {
    aud: 'api://00001111-aaaa-2222-bbbb-3333cccc4444',
    iss: `https://login.microsoftonline.com/${tenant}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 75 * 60,
    azp: '11112222-bbbb-3333-cccc-4444dddd5555',
    azpacr: '1',
    idtyp: 'app',
    oid: '22223333-cccc-4444-dddd-5555eeee6666',
    roles: ['Orders.Read.All'],
    sub: '22223333-cccc-4444-dddd-5555eeee6666',
    tid: tenant,
    ver: '2.0',
  };
}
