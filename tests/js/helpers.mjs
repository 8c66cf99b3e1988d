// Shared helpers for the JS tests: fresh key pairs and tokens from panva/jose,
// an independent implementation.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export const ISSUER = 'https://issuer.test/tenant-1/v2.0';
export const AUDIENCE = 'api://jwtguard-tests';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A key pair for `alg` and its public JWK (with kid). */
export async function keyPair(alg, kid = `${alg.toLowerCase()}-key`) {
  const options = alg === 'EdDSA' ? { crv: 'Ed25519' } : {};
  const { publicKey, privateKey } = await generateKeyPair(alg, { ...options, extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, jwk };
}

/** Claims a default policy accepts now. */
export function goodClaims(overrides = {}) {
  const now = nowSeconds();
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'service-principal-1',
    azp: 'client-app-1',
    tid: TENANT,
    roles: ['Data.Read'],
    scp: 'read write',
    iat: now - 10,
    nbf: now - 10,
    exp: now + 3600,
    ...overrides,
  };
}

/** Signs `claims` with `pair`; `header` adds to { alg, kid, typ: 'at+jwt' }. */
export function sign(pair, claims = goodClaims(), header = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: pair.alg, kid: pair.kid, typ: 'at+jwt', ...header })
    .sign(pair.privateKey);
}
