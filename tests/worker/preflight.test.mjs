// CORS preflight in workerd: `protect` and Hono's `jwtAuth` follow the shared
// table of tests/js/preflight-cases.mjs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, keyPair } from '../js/helpers.mjs';
import { PREFLIGHT_CASES } from '../js/preflight-cases.mjs';
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
      test(`${row} → ${status}`, async () => {
        const url = `https://api.test/${checkPreflight ? 'checking/' : ''}${via}/api/whoami${query}`;
        const response = await mf.dispatchFetch(url, { method: 'OPTIONS', headers });
        const body = await response.json();
        assert.equal(response.status, status, JSON.stringify(body));
        if (want) {
          assert.deepEqual(body, want);
          return;
        }
        // Checked like any request: refused with a challenge, the handler never reached.
        assert.ok(['unauthorized', 'invalid_request'].includes(body.error), JSON.stringify(body));
        assert.match(response.headers.get('www-authenticate'), /^Bearer realm="api"/);
      });
    }
  });
}
