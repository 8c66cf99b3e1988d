// Sender-constrained tokens end to end: oidc-provider on 127.0.0.1 issues
// DPoP-bound (RFC 9449), certificate-bound (RFC 8705) and plain bearer JWT
// access tokens; proofs are made by jose, certificates by openssl; every
// token goes through verifyRequest, with one row per rule.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { createVerifier, discover } from '@jwtguard/jwtguard';
import { RESOURCE, startProvider } from '../../../scripts/local-provider.mjs';

const URL_OF_API = `${RESOURCE}/tasks`;

/** A self-signed client certificate (PEM), made by openssl. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'jwtguard-cert-'));
  try {
    return execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-subj', '/CN=daemon-app', '-days', '1',
    ], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sha256 = (text) => createHash('sha256').update(text).digest('base64url');

describe('sender-constrained tokens from oidc-provider through verifyRequest', () => {
  let provider;
  let verifier;
  let key;
  let publicJwk;
  let other;

  /** A DPoP proof made by jose, with `claims` and `header` overriding the defaults. */
  async function proof({ htm = 'GET', htu = URL_OF_API, token, claims = {}, header = {}, signer = key.privateKey } = {}) {
    const payload = { htm, htu, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ...(token ? { ath: sha256(token) } : {}), ...claims };
    return new SignJWT(payload).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: publicJwk, ...header }).sign(signer);
  }

  const request = (authorization, dpop, url = `${URL_OF_API}?page=2`, method = 'GET') => ({
    method, url, headers: { authorization, ...(dpop === undefined ? {} : { dpop }) },
  });

  before(async () => {
    provider = await startProvider();
    verifier = createVerifier({ issuer: provider.issuer, audience: RESOURCE, keys: discover(provider.issuer) });
    key = await generateKeyPair('ES256', { extractable: true });
    publicJwk = await exportJWK(key.publicKey);
    other = await generateKeyPair('ES256');
  });
  after(() => provider.stop());

  test('a DPoP-bound token with a jose proof verifies and names its binding', async () => {
    const token = await provider.token(RESOURCE, { dpop: await proof({ htm: 'POST', htu: `${provider.issuer}/token` }) });
    const result = await verifier.verifyRequest(request(`DPoP ${token}`, await proof({ token })));
    assert.equal(result.binding.type, 'dpop');
    assert.equal(result.binding.jkt, await calculateJwkThumbprint(publicJwk));
    assert.equal(result.claims.cnf.jkt, result.binding.jkt);
    assert.ok(Object.isFrozen(result.binding));
  });

  test('DPoP: one row per rule', async () => {
    const token = await provider.token(RESOURCE, { dpop: await proof({ htm: 'POST', htu: `${provider.issuer}/token` }) });
    const privateJwk = await exportJWK(key.privateKey);
    const replayed = await proof({ token });
    await verifier.verifyRequest(request(`DPoP ${token}`, replayed));
    const old = Math.floor(Date.now() / 1000) - 121;
    const rows = [
      ['wrong htm', () => proof({ token, htm: 'POST' }), 'ERR_DPOP_INVALID', 'htm'],
      ['wrong htu', () => proof({ token, htu: `${RESOURCE}/other` }), 'ERR_DPOP_INVALID', 'htu'],
      ['wrong ath', () => proof({ token: `${token}x` }), 'ERR_DPOP_INVALID', 'ath'],
      ['no ath', () => proof(), 'ERR_DPOP_INVALID', 'ath'],
      ['wrong key (jkt)', async () => proof({ token, signer: other.privateKey, header: { jwk: await exportJWK(other.publicKey) } }), 'ERR_DPOP_INVALID', 'jwk'],
      ['old iat', () => proof({ token, claims: { iat: old } }), 'ERR_DPOP_INVALID', 'iat'],
      ['replayed jti', () => replayed, 'ERR_DPOP_INVALID', 'jti'],
      ['typ JWT', () => proof({ token, header: { typ: 'JWT' } }), 'ERR_DPOP_INVALID', 'typ'],
      ['a private key in jwk', () => proof({ token, header: { jwk: privateJwk } }), 'ERR_DPOP_INVALID', 'jwk'],
      ['a symmetric alg', () => new SignJWT({ htm: 'GET', htu: URL_OF_API, iat: Math.floor(Date.now() / 1000), jti: 'x', ath: sha256(token) })
        .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: 'c2VjcmV0' } }).sign(new Uint8Array(32)), 'ERR_DPOP_INVALID', 'alg'],
      ['no proof', () => undefined, 'ERR_DPOP_INVALID', null],
    ];
    for (const [name, make, code, claim] of rows) {
      const dpop = await make();
      await assert.rejects(verifier.verifyRequest(request(`DPoP ${token}`, dpop)), (error) => {
        assert.equal(error.code, code, `${name}: ${error.message}`);
        assert.equal(error.claim, claim, `${name}: ${error.message}`);
        return true;
      });
    }
    // Two DPoP headers: as Headers joins them, and as Node gives them.
    const good = await proof({ token });
    const twice = new Headers({ authorization: `DPoP ${token}` });
    twice.append('dpop', good);
    twice.append('dpop', good);
    for (const headers of [twice, { authorization: `DPoP ${token}`, dpop: [good, good] }]) {
      await assert.rejects(verifier.verifyRequest({ method: 'GET', url: URL_OF_API, headers }), { code: 'ERR_DPOP_INVALID' });
    }
    // The bound token as a bearer token, with a proof or without, and through verify().
    await assert.rejects(verifier.verifyRequest(request(`Bearer ${token}`, await proof({ token }))), { code: 'ERR_TOKEN_BOUND' });
    await assert.rejects(verifier.verify(token), { code: 'ERR_TOKEN_BOUND' });
  });

  test('a plain bearer token: Bearer verifies with binding null, the DPoP scheme is refused', async () => {
    const token = await provider.token();
    const result = await verifier.verifyRequest(new Request(URL_OF_API, { headers: { authorization: `Bearer ${token}` } }));
    assert.equal(result.binding, null);
    assert.equal((await verifier.verify(token)).binding, null);
    await assert.rejects(verifier.verifyRequest(request(`DPoP ${token}`, await proof({ token }))), { code: 'ERR_TOKEN_BOUND' });
  });

  test('mTLS: a certificate-bound token needs its certificate, as DER, PEM or hex fingerprint', async () => {
    const pem = certificate();
    const x509 = new X509Certificate(pem);
    const token = await provider.token(RESOURCE, { certificate: pem });
    const hex = x509.fingerprint256; // "AB:CD:…", as openssl and Cloudflare (without colons) give it
    const forms = [['PEM', pem], ['DER', new Uint8Array(x509.raw)], ['hex with colons', hex], ['hex', hex.replace(/:/g, '').toLowerCase()]];
    for (const [name, clientCertificate] of forms) {
      const result = await verifier.verifyRequest(request(`Bearer ${token}`), { clientCertificate });
      assert.deepEqual({ ...result.binding }, { type: 'mtls', x5tS256: createHash('sha256').update(x509.raw).digest('base64url') }, name);
    }
    await assert.rejects(verifier.verifyRequest(request(`Bearer ${token}`)), { code: 'ERR_TOKEN_BOUND' });
    await assert.rejects(verifier.verifyRequest(request(`Bearer ${token}`), { clientCertificate: certificate() }), { code: 'ERR_TOKEN_BOUND' });
    // The thumbprint as base64url (cnf's form) where the hex fingerprint belongs: a known mix-up.
    await assert.rejects(
      verifier.verifyRequest(request(`Bearer ${token}`), { clientCertificate: createHash('sha256').update(x509.raw).digest('base64url') }),
      (error) => error.code === 'ERR_POLICY_INVALID' && /base64url/.test(error.message),
    );
    await assert.rejects(verifier.verify(token), { code: 'ERR_TOKEN_BOUND' });
  });

  test('a replayStore hook is asked with the proof key and its lifetime', async () => {
    const asked = [];
    const seen = new Set();
    const shared = createVerifier({
      issuer: provider.issuer,
      audience: RESOURCE,
      keys: discover(provider.issuer),
      replayStore: {
        async seen(entry, ttl) {
          asked.push(ttl);
          const before = seen.has(entry);
          seen.add(entry);
          return before;
        },
      },
    });
    const token = await provider.token(RESOURCE, { dpop: await proof({ htm: 'POST', htu: `${provider.issuer}/token` }) });
    const dpop = await proof({ token });
    await shared.verifyRequest(request(`DPoP ${token}`, dpop));
    await assert.rejects(shared.verifyRequest(request(`DPoP ${token}`, dpop)), { code: 'ERR_DPOP_INVALID', claim: 'jti' });
    assert.equal(asked.length, 2);
    assert.ok(asked[0] > 100 && asked[0] <= 121, `ttl ${asked[0]}`);
    // A store that fails is never an acceptance.
    const failing = createVerifier({
      issuer: provider.issuer, audience: RESOURCE, keys: discover(provider.issuer),
      replayStore: { seen: async () => { throw new Error('store down'); } },
    });
    await assert.rejects(failing.verifyRequest(request(`DPoP ${token}`, await proof({ token }))), { code: 'ERR_DPOP_INVALID' });
    assert.throws(() => createVerifier({ issuer: provider.issuer, audience: RESOURCE, keys: discover(provider.issuer), replayStore: {} }), { code: 'ERR_POLICY_INVALID' });
  });
});
