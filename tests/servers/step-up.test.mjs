// Step-up (RFC 9470) and Entra claims challenges on real Node servers
// (Express 5 and 4, Connect, Fastify 5, node:http) on 127.0.0.1: every case
// of the shared table, its WWW-Authenticate parsed and compared exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseChallenge } from '../js/challenges.mjs';
import { goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { ENTRA_ISSUER, STEP_UP_POLICIES, assertStepUpAnswer, stepUpCases } from '../js/step-up-cases.mjs';
import { FRAMEWORKS, startApp } from './apps.mjs';

let cases;
let pair;
const apps = {};

before(async () => {
  pair = await keyPair('ES256');
  cases = await stepUpCases(pair);
  // One options object per policy, chosen per request by the x-policy header.
  const policies = Object.fromEntries(Object.entries(STEP_UP_POLICIES).map(([name, policy]) => [name, { ...policy, keys: { keys: [pair.jwk] } }]));
  const choose = (req) => policies[req.headers['x-policy']];
  for (const name of FRAMEWORKS) apps[name] = await startApp(name, choose, { resourceMetadata: true });
});

after(async () => {
  await Promise.all(Object.values(apps).map((app) => app.close()));
});

for (const name of FRAMEWORKS) {
  describe(`${name}: step-up and claims challenges`, () => {
    test('[step-up] every case: status, body and the exact challenge parameters', async () => {
      const { origin } = apps[name];
      for (const row of cases) {
        const response = await fetch(`${origin}/api/whoami`, { headers: { authorization: `Bearer ${row.token}`, 'x-policy': row.policy } });
        await assertStepUpAnswer(response, row, `${origin}/.well-known/oauth-protected-resource`);
      }
    });
  });
}

/**
 * A client that follows the answer: it reads the challenge, asks its
 * "authorization server" (here: jose signing with the issuer's key) for what
 * the challenge names, and retries once.
 */
for (const name of ['express', 'fastify']) {
  test(`${name}: a client that follows the challenge gets through on the retry`, async () => {
    const { origin } = apps[name];
    const call = (token, policy) => fetch(`${origin}/api/whoami`, { headers: { authorization: `Bearer ${token}`, 'x-policy': policy } });
    const flows = [
      ['stepUp', goodClaims({ acr: 'urn:pwd', auth_time: nowSeconds() - 3600 })],
      ['context', goodClaims({ iss: ENTRA_ISSUER, xms_cc: ['cp1'] })],
      ['contexts', goodClaims({ iss: ENTRA_ISSUER, xms_cc: ['cp1'], acrs: ['c2'] })],
    ];
    for (const [policy, claims] of flows) {
      const first = await call(await sign(pair, claims), policy);
      assert.equal(first.status, 401, policy);
      const { params } = parseChallenge(first.headers.get('www-authenticate'));
      const asked = { ...claims };
      if (params.error === 'insufficient_user_authentication') {
        // OpenID Connect: acr_values and max_age go to the authorization request; the new token says what happened.
        asked.acr = params.acr_values.split(' ')[0];
        asked.auth_time = nowSeconds();
      } else {
        assert.equal(params.error, 'insufficient_claims', policy);
        const { access_token: { acrs } } = JSON.parse(Buffer.from(params.claims, 'base64').toString());
        assert.equal(acrs.essential, true, policy);
        // The new sign-in satisfies the requested contexts besides those it had.
        asked.acrs = [...(claims.acrs ?? []), ...(acrs.values ?? [acrs.value])];
      }
      const retry = await call(await sign(pair, asked), policy);
      assert.equal(retry.status, 200, `${policy}: ${await retry.text()}`);
    }
  });
}
