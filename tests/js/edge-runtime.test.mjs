// The `edge-light` entry in Vercel's Edge Runtime (the `edge-runtime` npm
// package, the sandbox `vercel dev` and Next.js middleware run in), with
// WebAssembly code generation disallowed as in production edge functions.
// The bundle is made the way the edge bundler does it: esbuild under the
// `edge-light` condition, the `.wasm?module` import bound to a
// WebAssembly.Module the platform compiled (here: the host).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { EdgeRuntime } from 'edge-runtime';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const ROOT = new URL('../../', import.meta.url).pathname;
const BINDING = '__JWTGUARD_WASM__';

/** The package bundled for the edge: the entry esbuild chose, and the script. */
async function bundle() {
  const result = await build({
    stdin: { contents: "import { createVerifier } from '@jwtguard/jwtguard'; globalThis.jwtguard = { createVerifier };", resolveDir: ROOT, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    conditions: ['edge-light', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [{
      name: 'wasm-binding',
      setup(b) {
        b.onResolve({ filter: /\.wasm\?module$/ }, () => ({ path: 'wasm', namespace: 'binding' }));
        b.onLoad({ filter: /.*/, namespace: 'binding' }, () => ({ contents: `export default globalThis.${BINDING};`, loader: 'js' }));
      },
    }],
  });
  return { inputs: Object.keys(result.metafile.inputs), code: result.outputFiles[0].text };
}

describe('edge-light entry in the Edge Runtime', () => {
  let runtime;
  let inputs;
  let pair;
  before(async () => {
    pair = await keyPair('ES256', 'edge');
    const bundled = await bundle();
    inputs = bundled.inputs;
    runtime = new EdgeRuntime({ codeGeneration: { strings: false, wasm: false } });
    const module = new WebAssembly.Module(readFileSync(new URL('pkg/jwtguard_bg.wasm', `file://${ROOT}`)));
    // A module of the sandbox's realm, as the platform hands it over.
    Object.setPrototypeOf(module, runtime.evaluate('WebAssembly.Module.prototype'));
    runtime.context[BINDING] = module;
    runtime.evaluate(bundled.code);
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
