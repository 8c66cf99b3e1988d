// Sender-constrained tokens through the Worker middleware in workerd: a
// DPoP-bound token with a jose proof, a replay caught by the DpopReplayStore
// Durable Object across requests, the DPoP challenge, and a certificate-bound
// token proven by Cloudflare's verified-certificate fingerprint (through
// `protect`, Hono's `jwtAuth` and a `gateway` rule).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { startWorker } from './workerd.mjs';

const URL_OF_API = 'https://api.test/tasks';
const sha256 = (data) => createHash('sha256').update(data).digest();

describe('DPoP and mTLS through protect(), Hono and the gateway in workerd', () => {
  let mf;
  let issuerKey;
  let dpopKey;
  let dpopJwk;

  before(async () => {
    issuerKey = await keyPair('ES256');
    dpopKey = await generateKeyPair('ES256', { extractable: true });
    dpopJwk = await exportJWK(dpopKey.publicKey);
    mf = await startWorker('./dpop-app.mjs', { ISSUER, AUDIENCE, JWKS: JSON.stringify({ keys: [issuerKey.jwk] }) }, {
      durableObjects: { REPLAY: 'DpopReplayStore' },
    });
  });
  after(() => mf?.dispose());

  const proof = (token, claims = {}) => new SignJWT({
    htm: 'GET', htu: URL_OF_API, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ath: sha256(token).toString('base64url'), ...claims,
  }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: dpopJwk }).sign(dpopKey.privateKey);

  test('protect: a bound token with its proof reaches the handler; the same proof again is a replay', async () => {
    const token = await sign(issuerKey, goodClaims({ cnf: { jkt: await calculateJwkThumbprint(dpopJwk) } }));
    const dpop = await proof(token);
    const first = await mf.dispatchFetch(URL_OF_API, { headers: { authorization: `DPoP ${token}`, dpop } });
    assert.equal(first.status, 200);
    assert.equal((await first.json()).binding.type, 'dpop');
    const again = await mf.dispatchFetch(URL_OF_API, { headers: { authorization: `DPoP ${token}`, dpop } });
    assert.equal(again.status, 401);
    assert.match(again.headers.get('www-authenticate'), /^DPoP algs="ES256 [^"]*", error="invalid_dpop_proof", error_description="ERR_DPOP_INVALID: dpop proof is invalid"$/);
    assert.deepEqual(await again.json(), { error: 'invalid_dpop_proof', code: 'ERR_DPOP_INVALID' });
    // A fresh proof passes: the store refused the replay, not the token.
    const fresh = await mf.dispatchFetch(URL_OF_API, { headers: { authorization: `DPoP ${token}`, dpop: await proof(token) } });
    assert.equal(fresh.status, 200);
    // The bound token as a bearer token: invalid_token in the Bearer scheme.
    const bearer = await mf.dispatchFetch(URL_OF_API, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(bearer.status, 401);
    assert.match(bearer.headers.get('www-authenticate'), /^Bearer realm="api", error="invalid_token", error_description="ERR_TOKEN_BOUND/);
    // A proof for another URL.
    const elsewhere = await mf.dispatchFetch(URL_OF_API, { headers: { authorization: `DPoP ${token}`, dpop: await proof(token, { htu: 'https://api.test/other' }) } });
    assert.equal(elsewhere.status, 401);
    assert.equal((await elsewhere.json()).code, 'ERR_DPOP_INVALID');
  });

  for (const [via, url] of [['protect', URL_OF_API], ['hono', 'https://api.test/hono/tasks'], ['gateway', 'https://api.test/gateway/tasks']]) {
    test(`[mtls] ${via}: a certificate-bound token needs Cloudflare to report that certificate as presented and verified`, async () => {
      const der = Buffer.from('a client certificate, as DER bytes');
      const token = await sign(issuerKey, goodClaims({ cnf: { 'x5t#S256': sha256(der).toString('base64url') } }));
      const fingerprint = sha256(der).toString('hex');
      const tls = (over) => ({ tlsClientAuth: { certPresented: '1', certVerified: 'SUCCESS', certFingerprintSHA256: fingerprint, ...over } });
      const rows = [
        ['verified certificate', tls({}), 200],
        ['certificate not verified', tls({ certVerified: 'FAILED:self signed certificate' }), 401],
        ['no certificate presented', tls({ certPresented: '0' }), 401],
        ['another certificate', tls({ certFingerprintSHA256: sha256(Buffer.from('another')).toString('hex') }), 401],
        ['no TLS client auth', {}, 401],
      ];
      for (const [name, cf, status] of rows) {
        const response = await mf.dispatchFetch(url, { headers: { authorization: `Bearer ${token}` }, cf });
        assert.equal(response.status, status, name);
        const body = await response.json();
        if (status === 200) assert.equal(body.binding.type, 'mtls', name);
        else assert.equal(body.code, 'ERR_TOKEN_BOUND', name);
      }
    });
  }
});
