// The long form of the Next.js adapter (make test-frameworks-long): this
// folder's App Router app, whose two route handlers use
// @jwtguard/jwtguard/next (app/api/node on the Node.js runtime, app/api/edge
// with `runtime = 'edge'`), built by `next build` and served by `next start`
// on 127.0.0.1. Tokens and DPoP proofs are made by jose; the key set and
// the origin are written into the app (generated.js) before the build.
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { parseChallenges } from '../../js/challenges.mjs';
import { dpopClient } from '../../js/dpop-client.mjs';
import { freePort } from '../../js/remote/net.mjs';
import { goodClaims, keyPair, sign } from '../../js/helpers.mjs';

const APP = new URL('./', import.meta.url).pathname;
const NEXT = new URL('node_modules/next/dist/bin/next', import.meta.url).pathname;
/** No telemetry, and nothing else Next would fetch. */
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' };
/** `next build` on two shared cores: about half a minute; bounded well above. */
const BUILD_TIMEOUT_MS = 10 * 60_000;
/** How long `next start` may take to answer its first request. */
const START_TIMEOUT_MS = 60_000;
const DPOP_ALGS = 'ES256 ES384 EdDSA RS256 RS384 RS512 PS256 PS384 PS512';

/** Waits until `url` answers (any status), polling, for at most START_TIMEOUT_MS. */
async function answering(url, child) {
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(`next start did not answer within ${START_TIMEOUT_MS} ms`);
}

describe('a Next.js app built and started: withAuth route handlers', () => {
  let server;
  let origin;
  let pair;
  let stranger;
  let client;
  const timings = {};
  before(async () => {
    pair = await keyPair('ES256', 'next');
    stranger = await keyPair('ES256', 'next');
    client = await dpopClient();
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    writeFileSync(new URL('generated.js', import.meta.url), [
      `export const jwks = ${JSON.stringify({ keys: [pair.jwk] })};`,
      `export const origin = ${JSON.stringify(origin)};`,
      '',
    ].join('\n'));
    let started = Date.now();
    await promisify(execFile)(process.execPath, [NEXT, 'build'], { cwd: APP, env: ENV, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 << 20 });
    timings.build = Date.now() - started;
    started = Date.now();
    server = spawn(process.execPath, [NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)], { cwd: APP, env: ENV, stdio: 'ignore' });
    await answering(`${origin}/api/node/1`, server);
    timings.start = Date.now() - started;
  }, { timeout: BUILD_TIMEOUT_MS + START_TIMEOUT_MS });
  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
  });

  test('next build and next start', (t) => {
    t.diagnostic(`next build ${timings.build} ms, next start ${timings.start} ms`);
    assert.ok(timings.build > 0 && timings.start > 0);
  });

  for (const route of ['node', 'edge']) {
    const path = `/api/${route}/7`;
    const bearerChallenge = (error, description) => [{ scheme: 'bearer', params: { realm: 'api', error, error_description: description } }];
    /** [name, headers for the request to `url`, status, body, parsed challenges (null: none)]. */
    const rows = async () => {
      const bound = await sign(pair, goodClaims({ cnf: { jkt: client.jkt } }));
      return [
        ['valid', { authorization: `Bearer ${await sign(pair)}` }, 200, { sub: 'service-principal-1', binding: null, params: { id: '7' } }, null],
        ['missing', {}, 401, { error: 'unauthorized', code: null }, [{ scheme: 'bearer', params: { realm: 'api' } }, { scheme: 'dpop', params: { algs: DPOP_ALGS } }]],
        ['invalid', { authorization: `Bearer ${await sign(stranger)}` }, 401, { error: 'invalid_token', code: 'ERR_SIGNATURE_INVALID' },
          bearerChallenge('invalid_token', 'ERR_SIGNATURE_INVALID: signature is invalid')],
        ['wrong role', { authorization: `Bearer ${await sign(pair, goodClaims({ roles: ['Data.Write'] }))}` }, 403, { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' },
          bearerChallenge('insufficient_scope', 'ERR_ROLE_MISSING: required role is missing')],
        ['DPoP-bound as a bearer token', { authorization: `Bearer ${bound}` }, 401, { error: 'invalid_token', code: 'ERR_TOKEN_BOUND' },
          bearerChallenge('invalid_token', 'ERR_TOKEN_BOUND: token is bound to a key and was not presented with it')],
        ['DPoP-bound with its proof', 'dpop', 200, { sub: 'service-principal-1', binding: 'dpop', params: { id: '7' } }, null, bound],
      ];
    };

    test(`${path} (${route === 'edge' ? "runtime = 'edge'" : 'Node.js runtime'})`, async () => {
      const url = `${origin}${path}`;
      for (const [name, headers, status, body, challenges, bound] of await rows()) {
        const send = (target, init) => fetch(target, { ...init, signal: AbortSignal.timeout(10_000) });
        const response = headers === 'dpop' ? (await client.call(send, bound, url)).at(-1) : await send(url, { headers });
        const challenge = response.headers.get('www-authenticate');
        assert.deepEqual([response.status, await response.json(), challenge === null ? null : parseChallenges(challenge)], [status, body, challenges], `${route}: ${name}`);
      }
    });
  }
});
