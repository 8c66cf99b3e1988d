// The `edge-light` entry in Vercel's Edge Runtime (the `edge-runtime` npm
// package, the sandbox `vercel dev` and Next.js middleware run in), with
// WebAssembly code generation disallowed as in production edge functions
// (tests/js/edge-bundle.mjs bundles it as the edge bundler does).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { edgeRuntimeWith } from './edge-bundle.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

describe('edge-light entry in the Edge Runtime', () => {
  let runtime;
  let inputs;
  let pair;
  before(async () => {
    pair = await keyPair('ES256', 'edge');
    ({ runtime, inputs } = await edgeRuntimeWith("import { createVerifier } from '@jwtguard/jwtguard'; globalThis.jwtguard = { createVerifier };"));
  });

  test('the edge-light condition takes js/edge-light.js', () => {
    assert.ok(inputs.includes('js/edge-light.js'), inputs.join(', '));
    assert.ok(!inputs.includes('js/browser.js') && !inputs.includes('js/node.js'));
  });

  test('the runtime refuses to compile WebAssembly from bytes, as edge functions do', () => {
    assert.throws(() => runtime.evaluate('new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))'), /Wasm code generation disallowed/);
  });

  // [name, claims, expected code (null: valid)]
  const rows = [
    ['a valid token', goodClaims(), null],
    ['another audience', goodClaims({ aud: 'api://other' }), 'ERR_AUDIENCE_INVALID'],
    ['expired', goodClaims({ exp: 1_000_000 }), 'ERR_TOKEN_EXPIRED'],
  ];
  for (const [name, claims, code] of rows) {
    test(`verify in the Edge Runtime: ${name}`, async () => {
      runtime.context.input = JSON.stringify({ options: { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } }, token: await sign(pair, claims) });
      const answer = JSON.parse(await runtime.evaluate(`(async () => {
        const { options, token } = JSON.parse(input);
        try {
          const { key } = await jwtguard.createVerifier(options).verify(token);
          return JSON.stringify({ valid: true, key });
        } catch (error) {
          return JSON.stringify({ valid: false, code: error.code ?? String(error) });
        }
      })()`));
      if (code === null) assert.deepEqual(answer, { valid: true, key: { kid: 'edge', alg: 'ES256' } });
      else assert.deepEqual(answer, { valid: false, code });
    });
  }
});
