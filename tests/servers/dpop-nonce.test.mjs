// DPoP server nonces (RFC 9449 §8, §9) on real servers on 127.0.0.1:
// jwtguard/express on Express 5 and 4, Connect and node:http, and the
// Fastify plugin, each with `dpopNonce`. A DPoP client whose proofs jose
// signs gets 401 use_dpop_nonce with a DPoP-Nonce header, retries with that
// nonce and passes; a stale or foreign nonce is answered the same way. The
// WWW-Authenticate header is parsed and compared whole.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { parseChallenges } from '../js/challenges.mjs';
import { USE_DPOP_NONCE, dpopClient, windowNonce } from '../js/dpop-client.mjs';
import { FRAMEWORKS, startApp } from './apps.mjs';

const SECRET = 'the servers test dpop nonce secret, 32+ bytes';
const WINDOW = 3600;
const nonceOf = (secret, offset = 0) => windowNonce(secret, WINDOW, offset);

let issuer;
before(async () => {
  issuer = await keyPair('ES256');
});

for (const framework of FRAMEWORKS) {
  describe(`dpopNonce through ${framework}`, () => {
    let app;
    before(async () => {
      app = await startApp(framework, { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [issuer.jwk] }, dpopNonce: { secret: SECRET, window: WINDOW } });
    });
    after(() => app?.close());

    const boundToken = (client) => sign(issuer, goodClaims({ cnf: { jkt: client.jkt } }));

    test('[dpop] a client follows use_dpop_nonce and succeeds on the retry', async () => {
      const client = await dpopClient();
      const token = await boundToken(client);
      const expected = [nonceOf(SECRET), nonceOf(SECRET, 1)];
      const answers = await client.call(fetch, token, `${app.origin}/api/whoami`);
      assert.deepEqual(answers.map((a) => a.status), [401, 200]);
      const [refused, accepted] = answers;
      assert.deepEqual(parseChallenges(refused.headers.get('www-authenticate')), USE_DPOP_NONCE);
      assert.deepEqual(await refused.json(), { error: 'use_dpop_nonce', code: 'ERR_DPOP_NONCE' });
      assert.ok(expected.includes(refused.headers.get('dpop-nonce')), 'the nonce is the HMAC of the current window');
      const body = await accepted.json();
      assert.equal(body.binding.type, 'dpop');
      // The successful answer carries the current nonce too.
      assert.ok(expected.includes(accepted.headers.get('dpop-nonce')));
      // The next call uses the nonce it holds: one request.
      assert.deepEqual((await client.call(fetch, token, `${app.origin}/api/whoami`)).map((a) => a.status), [200]);
    });

    test('a stale or foreign nonce is answered use_dpop_nonce, and the retry passes', async () => {
      for (const [name, nonce] of [['stale', nonceOf(SECRET, -2)], ['foreign', nonceOf(`${SECRET}, another server's`)]]) {
        const client = await dpopClient();
        const token = await boundToken(client);
        client.state.nonce = nonce;
        const answers = await client.call(fetch, token, `${app.origin}/api/whoami`);
        assert.deepEqual(answers.map((a) => a.status), [401, 200], name);
        assert.deepEqual(parseChallenges(answers[0].headers.get('www-authenticate')), USE_DPOP_NONCE, name);
        assert.notEqual(answers[0].headers.get('dpop-nonce'), nonce, name);
      }
    });

    test('a bearer token is not asked for a nonce and gets none', async () => {
      const response = await fetch(`${app.origin}/api/whoami`, { headers: { authorization: `Bearer ${await sign(issuer)}` } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('dpop-nonce'), null);
    });
  });
}
