// Step-up (RFC 9470) and Entra claims challenges in workerd: `protect` and
// Hono's `jwtAuth` give every case of the shared table, its WWW-Authenticate
// parsed and compared exactly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { keyPair } from '../js/helpers.mjs';
import { parseChallenge } from '../js/challenges.mjs';
import { STEP_UP_POLICIES, expectedBody, expectedChallenge, stepUpCases } from '../js/step-up-cases.mjs';
import { startWorker } from './workerd.mjs';

let mf;
let cases;

before(async () => {
  const pair = await keyPair('ES256');
  cases = await stepUpCases(pair);
  mf = await startWorker('./step-up-app.mjs', { POLICIES: JSON.stringify(STEP_UP_POLICIES), JWKS: JSON.stringify({ keys: [pair.jwk] }) });
});

after(() => mf?.dispose());

for (const via of ['worker', 'hono']) {
  describe(`${via} in workerd: step-up and claims challenges`, () => {
    test('every case: status, body and the exact challenge parameters', async () => {
      for (const { name, policy, token, status, params, code } of cases) {
        const url = `https://api.test/${via}/${policy}`;
        const response = await mf.dispatchFetch(url, { headers: { authorization: `Bearer ${token}` } });
        const body = await response.json();
        assert.equal(response.status, status, `${name}: ${JSON.stringify(body)}`);
        if (status === 200) {
          assert.equal(body.sub, 'service-principal-1', name);
          continue;
        }
        assert.deepEqual(body, expectedBody({ params, code }), name);
        const metadata = 'https://api.test/.well-known/oauth-protected-resource';
        assert.deepEqual(parseChallenge(response.headers.get('www-authenticate')), expectedChallenge(params, metadata), name);
      }
    });
  });
}
