// Step-up (RFC 9470) and Entra claims challenges in workerd: `protect`,
// Hono's `jwtAuth` and a `gateway` rule give every case of the shared table,
// its WWW-Authenticate parsed and compared exactly, and each serves the
// RFC 9728 document the challenges name.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ISSUER, keyPair } from '../js/helpers.mjs';
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

for (const via of ['worker', 'hono', 'gateway']) {
  describe(`${via} in workerd: step-up and claims challenges`, () => {
    test('[step-up] every case: status, body and the exact challenge parameters', async () => {
      for (const row of cases) {
        const response = await mf.dispatchFetch(`https://api.test/${via}/${row.policy}`, { headers: { authorization: `Bearer ${row.token}` } });
        // The metadata of the whole origin: the protected paths are routed inside the Worker.
        await assertStepUpAnswer(response, row, 'https://api.test/.well-known/oauth-protected-resource');
      }
    });
  });
}

for (const via of ['worker', 'hono', 'gateway']) {
  test(`[rfc9728] ${via} in workerd: the metadata document the challenges name is served at the root`, async () => {
    const response = await mf.dispatchFetch('https://api.test/.well-known/oauth-protected-resource', { headers: { 'x-via': via } });
    assert.equal(response.status, 200);
    const { resource, authorization_servers: servers } = await response.json();
    assert.deepEqual([resource, servers], ['https://api.test', [ISSUER]]);
  });
}
