// The runtime matrix: the package as npm publishes it (`npm pack`, installed
// into a temporary directory) loads every entry point and verifies a token in
// Node ESM, Node require(), Deno (--node-modules-dir) and Bun, the last two
// from their npm packages. workerd and Chromium are covered by
// tests/worker/worker.test.mjs (the workerd export, bundled as wrangler does)
// and tests/browser/web-app.test.mjs (the browser export, built by Vite and esbuild).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AUDIENCE, ISSUER, keyPair, sign } from '../js/helpers.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'node_modules/.bin');
/** Each runtime gets this long to start, load the wasm and verify. */
const RUN_TIMEOUT_MS = 60_000;

let dir;
let argument;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jwtguard-runtimes-'));
  const [tarball] = JSON.parse(execFileSync('npm', ['pack', '--json', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }));
  const installed = join(dir, 'node_modules/@jwtguard/jwtguard');
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['xzf', join(dir, tarball.filename), '-C', installed, '--strip-components=1']);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'matrix', private: true, type: 'module', dependencies: { '@jwtguard/jwtguard': tarball.version } }));
  cpSync(new URL('./runtime', import.meta.url), dir, { recursive: true });

  const pair = await keyPair('ES256');
  const impostor = { ...(await keyPair('ES256')), kid: pair.kid };
  argument = JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, jwks: { keys: [pair.jwk] }, valid: await sign(pair), forged: await sign(impostor) });
});

after(() => dir && rmSync(dir, { recursive: true, force: true }));

const EXPECTED = {
  sub: 'service-principal-1',
  sync: 'service-principal-1',
  forgedCode: 'ERR_SIGNATURE_INVALID',
  entries: { worker: 'function', hono: 'function', express: 'function', fastify: 'function', display: 'function' },
};

// [runtime, command, arguments]
const runtimes = [
  ['Node ESM', process.execPath, ['esm.mjs']],
  ['Node require()', process.execPath, ['require.cjs']],
  ['Deno', join(BIN, 'deno'), ['run', '--quiet', '--node-modules-dir=manual', '--allow-read', '--allow-env', 'esm.mjs']],
  ['Bun', join(BIN, 'bun'), ['esm.mjs']],
];

for (const [runtime, command, args] of runtimes) {
  test(`${runtime}: the packed package loads every entry point and verifies a token`, () => {
    const output = execFileSync(command, [...args, argument], {
      cwd: dir,
      encoding: 'utf8',
      timeout: RUN_TIMEOUT_MS,
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    assert.deepEqual(JSON.parse(output.trim().split('\n').at(-1)), EXPECTED);
  });
}
