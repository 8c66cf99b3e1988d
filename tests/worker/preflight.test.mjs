// CORS preflight in workerd: `protect` and Hono's `jwtAuth` follow the shared
// table of tests/js/preflight-cases.mjs.
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, keyPair } from '../js/helpers.mjs';
import { PREFLIGHT_CASES, assertPreflightAnswer } from '../js/preflight-cases.mjs';
import { startWorker } from './workerd.mjs';

let mf;

before(async () => {
  const pair = await keyPair('ES256');
  mf = await startWorker('./preflight-app.mjs', { ISSUER, AUDIENCE, JWKS: JSON.stringify({ keys: [pair.jwk] }) });
});

after(() => mf?.dispose());

for (const via of ['worker', 'hono']) {
  describe(`${via} in workerd: CORS preflight`, () => {
    for (const [row, headers, query, checkPreflight, status, want] of PREFLIGHT_CASES) {
      test(`[preflight] ${row} → ${status}`, async () => {
        const url = `https://api.test/${checkPreflight ? 'checking/' : ''}${via}/api/whoami${query}`;
        const response = await mf.dispatchFetch(url, { method: 'OPTIONS', headers });
        await assertPreflightAnswer(response, status, want);
      });
    }
  });
}
