// Shared helpers for the JS tests: fresh key pairs and tokens from panva/jose,
// an independent implementation.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { ed25519EdgeSignatures } from './mutations.mjs';

/**
 * The core's facts as JSON text: pkg/facts.json, which the build writes from
 * what the core's `facts` example prints (the wasm leaves them out).
 */
export const coreFacts = () => readFileSync(new URL('../../pkg/facts.json', import.meta.url), 'utf8');

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

/** Algorithms whose signatures verify() hands to WebCrypto, one of each family. */
export const DELEGATED_SAMPLE = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/**
 * A small table for checking verify() (WebCrypto) against verifySync in a
 * runtime: for each of DELEGATED_SAMPLE a valid token, one with the last
 * signature bit flipped (still in range, so it reaches WebCrypto) and an
 * expired one; an ES256 token by another key under the same kid; and the
 * Ed25519 signatures strict verification refuses (S + L, and a small-order R
 * that satisfies OpenSSL's and BoringSSL's equation), which the core refuses
 * before the host sees them.
 */
export async function webCryptoTable() {
  const pairs = await Promise.all(DELEGATED_SAMPLE.map((alg) => keyPair(alg)));
  const impostor = await keyPair('ES256', 'es256-key');
  const rows = [];
  for (const pair of pairs) {
    const token = await sign(pair);
    const [h, p, s] = token.split('.');
    const bytes = Buffer.from(s, 'base64url');
    bytes[bytes.length - 1] ^= 1;
    rows.push([pair.alg, 'valid', token]);
    rows.push([pair.alg, 'bitflip', `${h}.${p}.${bytes.toString('base64url')}`]);
    rows.push([pair.alg, 'expired', await sign(pair, goodClaims({ exp: 1_000_000 }))]);
    if (pair.alg === 'EdDSA') {
      for (const [name, signature] of ed25519EdgeSignatures(pair, `${h}.${p}`)) {
        rows.push([pair.alg, `${HELD_BACK}${name}`, `${h}.${p}.${Buffer.from(signature).toString('base64url')}`]);
      }
    }
  }
  rows.push(['ES256', 'wrong key, same kid', await sign(impostor)]);
  return { jwks: { keys: pairs.map((p) => p.jwk) }, rows };
}

/** The name prefix of webCryptoTable's rows the core refuses before the host. */
const HELD_BACK = 'held back: ';

/**
 * Checks a runtime's answers to webCryptoTable's rows: verify() (WebCrypto)
 * and verifySync agree on every token, valid tokens verify and the others
 * fail with a code, and every token whose signature is well-formed reaches
 * the host's subtle.verify while the held-back ones never do.
 */
export function assertAgreement(rows, results) {
  for (const [index, [alg, name]] of rows.entries()) {
    const { sync, webCrypto, calls } = results[index];
    assert.deepEqual(webCrypto, sync, `${alg} ${name}`);
    if (name === 'valid') assert.ok(sync.result, `${alg} valid`);
    else assert.ok(sync.code, `${alg} ${name}`);
    assert.equal(calls > 0, !name.startsWith(HELD_BACK), `${alg} ${name}: ${calls} subtle.verify calls`);
  }
}

/**
 * A key source whose key set a test swaps: `set(jwks, generation)` makes it
 * the current snapshot. For the rotation tests of the signature backends.
 */
export function swappableKeys(jwks, generation) {
  let snapshot = { jwks: JSON.stringify(jwks), generation };
  return {
    source: {
      [Symbol.for('jwtguard.keySource')]: true,
      kind: 'test',
      current: () => snapshot,
      load: async () => snapshot,
      refresh: async () => snapshot,
    },
    set(next, nextGeneration) {
      snapshot = { jwks: JSON.stringify(next), generation: nextGeneration };
    },
  };
}
