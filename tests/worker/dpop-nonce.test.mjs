// DPoP server nonces (RFC 9449 §8, §9) in workerd: a DPoP client whose
// proofs jose signs follows use_dpop_nonce through `protect`, Hono's
// `jwtAuth` and the `gateway`, and succeeds on the retry; the nonce a Worker
// sends is the HMAC of the time window under the shared secret (made here by
// node:crypto), so any Worker with the secret accepts it. The
// WWW-Authenticate header is parsed and compared whole.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { parseChallenges } from '../js/challenges.mjs';
import { USE_DPOP_NONCE, dpopClient, windowNonce } from '../js/dpop-client.mjs';
import { startWorker } from './workerd.mjs';

const SECRET = 'the workerd test dpop nonce secret, 32+ bytes';
const WINDOW = 3600;
const nonceOf = (secret, offset = 0) => windowNonce(secret, WINDOW, offset);

describe('dpopNonce in workerd', () => {
  let mf;
  let issuer;
  before(async () => {
    issuer = await keyPair('ES256');
    mf = await startWorker('./dpop-nonce-app.mjs', {
      ISSUER, AUDIENCE, JWKS: JSON.stringify({ keys: [issuer.jwk] }), DPOP_NONCE_SECRET: SECRET, DPOP_NONCE_WINDOW: String(WINDOW),
    });
  });
  after(() => mf?.dispose());

  const send = (url, init) => mf.dispatchFetch(url, init);

  for (const [via, path] of [['worker', '/worker/whoami'], ['hono', '/hono/whoami'], ['gateway', '/gateway/whoami']]) {
    test(`[dpop] ${via}: use_dpop_nonce, then the retry with the nonce passes`, async () => {
      const client = await dpopClient();
      const token = await sign(issuer, goodClaims({ cnf: { jkt: client.jkt } }));
      const expected = [nonceOf(SECRET), nonceOf(SECRET, 1)];
      const answers = await client.call(send, token, `https://api.test${path}`);
      assert.deepEqual(answers.map((a) => a.status), [401, 200]);
      const [refused, accepted] = answers;
      assert.deepEqual(parseChallenges(refused.headers.get('www-authenticate')), USE_DPOP_NONCE);
      assert.deepEqual(await refused.json(), { error: 'use_dpop_nonce', code: 'ERR_DPOP_NONCE' });
      assert.ok(expected.includes(refused.headers.get('dpop-nonce')));
      const body = await accepted.json();
      assert.deepEqual([body.via, body.binding.type, body.binding.jkt], [via, 'dpop', client.jkt]);
      assert.ok(expected.includes(accepted.headers.get('dpop-nonce')));

      // A stale, then a foreign nonce: the same answer, and the retry passes.
      for (const [name, nonce] of [['stale', nonceOf(SECRET, -2)], ['foreign', nonceOf(`${SECRET}, elsewhere`)]]) {
        client.state.nonce = nonce;
        const again = await client.call(send, token, `https://api.test${path}`);
        assert.deepEqual(again.map((a) => a.status), [401, 200], name);
        assert.deepEqual(parseChallenges(again[0].headers.get('www-authenticate')), USE_DPOP_NONCE, name);
      }
    });
  }
});
