// In workerd, verify() takes the WebCrypto path (workerd's SubtleCrypto.verify
// is called) and agrees with verifySync on a small table.
import { after, before, test } from 'node:test';
import { AUDIENCE, ISSUER, assertAgreement, webCryptoTable } from '../js/helpers.mjs';
import { startWorker } from './workerd.mjs';

let mf;
before(async () => {
  mf = await startWorker('./webcrypto-app.mjs', {});
});
after(() => mf?.dispose());

test('verify() uses workerd WebCrypto and agrees with verifySync', async () => {
  const { jwks, rows } = await webCryptoTable();
  const response = await mf.dispatchFetch('http://worker.test/', {
    method: 'POST',
    body: JSON.stringify({ options: { issuer: ISSUER, audience: AUDIENCE, keys: jwks }, tokens: rows.map((r) => r[2]) }),
  });
  const results = await response.json();
  assertAgreement(rows, results);
});
