// In workerd, verify() takes the WebCrypto path (workerd's SubtleCrypto.verify
// is called) and agrees with verifySync on a small table.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AUDIENCE, DELEGATED_SAMPLE, ISSUER, webCryptoTable } from '../js/helpers.mjs';
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
  for (const [index, [alg, name]] of rows.entries()) {
    const { sync, webCrypto, calls } = results[index];
    assert.deepEqual(webCrypto, sync, `${alg} ${name}`);
    if (name === 'valid') assert.ok(sync.result, `${alg} valid`);
    else assert.ok(sync.code, `${alg} ${name}`);
    // Every delegated token whose signature is well-formed reaches WebCrypto; EdDSA never does.
    assert.equal(calls > 0, DELEGATED_SAMPLE.includes(alg), `${alg} ${name}: ${calls} subtle.verify calls`);
  }
});
