// The runtime matrix: the package as npm publishes it (`npm pack`, installed
// into a temporary directory) loads every entry point and verifies a token in
// Node ESM, Node require(), Deno (--node-modules-dir) and Bun, the last two
// from their npm packages. workerd and Chromium are covered by
// tests/worker/worker.test.mjs (the workerd export, bundled as wrangler does)
// and tests/browser/web-app.test.mjs (the browser export, built by Vite and esbuild).
// Then each env-taking adapter serves on Node (@hono/node-server), Deno and
// Bun, which pass a new env object per request (Bun: the server): a DPoP
// proof is used once per deployment (across requests, and across a gateway's
// policies) and each verifier fetches its keys once.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { serve, sendJson } from '../js/remote/net.mjs';

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
  // What the replay app imports besides the package: the repository's own copies.
  for (const name of ['hono', '@hono/node-server']) {
    mkdirSync(join(dir, 'node_modules', name, '..'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name));
  }

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

const DENO = [join(BIN, 'deno'), ['run', '--quiet', '--node-modules-dir=manual', '--allow-read', '--allow-env']];
const RUNTIME_ENV = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

// [runtime, command, arguments]
const runtimes = [
  ['Node ESM', process.execPath, ['esm.mjs']],
  ['Node require()', process.execPath, ['require.cjs']],
  ['Deno', DENO[0], [...DENO[1], 'esm.mjs']],
  ['Bun', join(BIN, 'bun'), ['esm.mjs']],
];

for (const [runtime, command, args] of runtimes) {
  test(`${runtime}: the packed package loads every entry point and verifies a token`, () => {
    const output = execFileSync(command, [...args, argument], {
      cwd: dir,
      encoding: 'utf8',
      timeout: RUN_TIMEOUT_MS,
      env: RUNTIME_ENV,
    });
    assert.deepEqual(JSON.parse(output.trim().split('\n').at(-1)), EXPECTED);
  });
}

/**
 * Starts tests/servers/runtime/replay-app.mjs with `command`; resolves with
 * its origin and a stop function once it prints its port.
 */
function startApp(command, args, argument) {
  const child = spawn(command, [...args, 'replay-app.mjs', argument], { cwd: dir, env: RUNTIME_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const stop = () => {
    child.kill();
    return new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${command} did not listen within ${RUN_TIMEOUT_MS} ms: ${stderr}`));
    }, RUN_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ origin: `http://127.0.0.1:${JSON.parse(line).port}`, stop });
    });
  });
}

// [runtime, command, arguments]
const servers = [
  ['Node (@hono/node-server)', process.execPath, []],
  ['Deno (Deno.serve)', DENO[0], [...DENO[1], '--allow-net=127.0.0.1']],
  ['Bun (Bun.serve)', join(BIN, 'bun'), []],
];

/** Requests each server gets: few, and each waits for its answer. */
const REQUEST_TIMEOUT_MS = 10_000;

for (const [runtime, command, args] of servers) {
  describe(`${runtime}: one replay memory and one key cache per deployment`, () => {
    let app;
    let keys;
    let token;
    let dpopKey;
    let dpopJwk;

    before(async () => {
      const pair = await keyPair('ES256');
      keys = await serve((req, res) => sendJson(res, { keys: [pair.jwk] }));
      dpopKey = await generateKeyPair('ES256', { extractable: true });
      dpopJwk = await exportJWK(dpopKey.publicKey);
      token = await sign(pair, goodClaims({ roles: ['Data.Read', 'Data.Admin'], cnf: { jkt: await calculateJwkThumbprint(dpopJwk) } }));
      app = await startApp(command, args, JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, keysOrigin: keys.origin }));
    });
    after(async () => {
      await app?.stop();
      await keys?.close();
    });

    /** A jose-signed proof for `method` and the URL of `path` (htu has no query). */
    const proof = (method, path) => new SignJWT({
      htm: method, htu: `${app.origin}${path}`, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(),
      ath: createHash('sha256').update(token).digest('base64url'),
    }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: dpopJwk }).sign(dpopKey.privateKey);

    /** `[status, error, policies]` for a request with `dpop` as its proof. */
    async function call(method, path, dpop) {
      const response = await fetch(`${app.origin}${path}`, {
        method, headers: { authorization: `DPoP ${token}`, dpop }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = await response.json();
      if (response.status === 200) return [200, null, body.policies];
      assert.match(response.headers.get('www-authenticate'), /^DPoP algs="[^"]+", error="invalid_dpop_proof"/);
      return [response.status, body.error, body.code];
    }

    const REPLAYED = [401, 'invalid_dpop_proof', 'ERR_DPOP_INVALID'];

    for (const adapter of ['hono', 'worker']) {
      test(`${adapter}: a proof is accepted once; the same proof again is a replay, a fresh one passes`, async () => {
        const path = `/${adapter}/api/data`;
        const used = await proof('GET', path);
        assert.deepEqual(await call('GET', path, used), [200, null, null]);
        assert.deepEqual(await call('GET', path, used), REPLAYED);
        assert.deepEqual(await call('GET', path, await proof('GET', path)), [200, null, null]);
      });
    }

    for (const adapter of ['hono-gateway', 'gateway']) {
      test(`${adapter}: a proof the admin policy accepted is a replay to the reader policy (another spelling of the path)`, async () => {
        const path = `/${adapter}/api/admin/transfer`;
        const used = await proof('POST', path);
        assert.deepEqual(await call('POST', path, used), [200, null, ['admin']]);
        assert.deepEqual(await call('POST', `/${adapter}/api/%61dmin/transfer`, used), REPLAYED);
        assert.deepEqual(await call('POST', path, used), REPLAYED);
      });

      test(`${adapter}: allOf checks one proof with two policies once, and its replay is refused`, async () => {
        const path = `/${adapter}/api/audit/log`;
        const used = await proof('GET', path);
        assert.deepEqual(await call('GET', path, used), [200, null, ['reader', 'admin']]);
        assert.deepEqual(await call('GET', path, used), REPLAYED);
      });
    }

    test('each verifier fetched its key set once across all those requests', () => {
      const fetched = {};
      for (const path of keys.hits) fetched[path.slice(1)] = (fetched[path.slice(1)] ?? 0) + 1;
      assert.deepEqual(fetched, {
        hono: 1, worker: 1, 'hono-gateway-admin': 1, 'hono-gateway-reader': 1, 'gateway-admin': 1, 'gateway-reader': 1,
      });
    });
  });
}
