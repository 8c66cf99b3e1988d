// The `edge-light` entry (Vercel Edge, Next.js middleware): bundled under
// that condition it takes js/edge-light.js, which imports the .wasm as a
// module, and it verifies tokens in workerd, which (like every edge runtime)
// refuses to compile WebAssembly from bytes at run time.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { bundleWorker, startWorker } from './workerd.mjs';

const EDGE_CONDITIONS = ['edge-light', 'worker', 'browser'];
const APP = './edge-light-app.mjs';

describe('edge-light entry', () => {
  let worker;
  let pair;
  before(async () => {
    pair = await keyPair('ES256', 'edge');
    worker = await startWorker(APP, {}, {}, EDGE_CONDITIONS);
  });
  after(() => worker?.dispose());

  test('the edge-light condition resolves to js/edge-light.js, never the browser entry', async () => {
    const inputs = Object.keys((await bundleWorker(APP, EDGE_CONDITIONS)).metafile.inputs);
    assert.ok(inputs.includes('js/edge-light.js'), inputs.join(', '));
    assert.ok(!inputs.includes('js/browser.js'));
    assert.ok(!inputs.includes('js/node.js'));
  });

  // [name, claims, expected code (null: valid)]
  const rows = [
    ['a valid token', goodClaims(), null],
    ['another audience', goodClaims({ aud: 'api://other' }), 'ERR_AUDIENCE_INVALID'],
    ['expired', goodClaims({ exp: 1_000_000 }), 'ERR_TOKEN_EXPIRED'],
  ];
  for (const [name, claims, code] of rows) {
    test(`in workerd: ${name}`, async () => {
      const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } };
      const response = await worker.dispatchFetch('https://edge.test/', {
        method: 'POST',
        body: JSON.stringify({ options, token: await sign(pair, claims) }),
      });
      const body = await response.json();
      if (code === null) {
        assert.equal(body.valid, true, JSON.stringify(body));
        assert.equal(body.key.kid, 'edge');
      } else {
        assert.equal(body.code, code);
      }
    });
  }
});
