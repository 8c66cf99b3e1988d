// Step-up (RFC 9470) and Entra claims challenges in workerd: `protect` and
// Hono's `jwtAuth` give every case of the shared table, its WWW-Authenticate
// parsed and compared exactly.
import { after, before, describe, test } from 'node:test';
import { keyPair } from '../js/helpers.mjs';
import { STEP_UP_POLICIES, assertStepUpAnswer, stepUpCases } from '../js/step-up-cases.mjs';
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
      for (const row of cases) {
        const response = await mf.dispatchFetch(`https://api.test/${via}/${row.policy}`, { headers: { authorization: `Bearer ${row.token}` } });
        // The metadata of the whole origin: the protected paths are routed inside the Worker.
        await assertStepUpAnswer(response, row, 'https://api.test/.well-known/oauth-protected-resource');
      }
    });
  });
}
