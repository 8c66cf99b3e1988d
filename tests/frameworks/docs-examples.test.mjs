// The example each framework page of docs/ starts with (PAGES) runs as
// written: its first JavaScript block is saved inside the package (so
// `@jwtguard/jwtguard` resolves to it by its own name) and started with Node
// (Elysia: Bun) and the variables fromEnv reads, pointing at a key set
// served on 127.0.0.1. A token jose signed with the page's role gets the
// page's answer; a request without one gets 401, and one without the role 403.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { freePort, serve, sendJson } from '../js/remote/net.mjs';
import { codeBlocks } from '../docs.mjs';

const BUN = fileURLToPath(new URL('../../node_modules/.bin/bun', import.meta.url));
const OUT = new URL('../../test-results/framework-docs/', import.meta.url);

/** How many times, and how often, the test asks whether an example is up (a Nest app takes about a second). */
const READY_ATTEMPTS = 100;
const READY_INTERVAL_MS = 100;

/** [page, runtime]: each page's example serves GET /tasks, requiring the role Tasks.Read. */
const PAGES = [
  ['docs/frameworks/koa.md', process.execPath],
  ['docs/frameworks/h3.md', process.execPath],
  ['docs/frameworks/nestjs.md', process.execPath],
  ['docs/frameworks/elysia.md', BUN],
];

/** The answer of the example at `url`, once it listens (bounded), or an error with its output. */
async function whenUp(url, child, output) {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the example exited with ${child.exitCode}: ${output()}`);
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, READY_INTERVAL_MS));
    }
  }
  throw new Error(`the example did not listen: ${output()}`);
}

let pair;
let keys;
before(async () => {
  pair = await keyPair('ES256');
  keys = await serve((req, res) => sendJson(res, { keys: [pair.jwk] }));
});
after(() => keys?.close());

for (const [page, runtime] of PAGES) {
  describe(`${page}: the first example`, () => {
    let child;
    after(async () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    });

    test('runs, answers a token with the role, and refuses a request without one', async () => {
      const block = codeBlocks().find((b) => b.path === page && b.lang === 'js');
      assert.ok(block, `${page} has a JavaScript example`);
      mkdirSync(OUT, { recursive: true });
      const file = new URL(`${page.slice(page.lastIndexOf('/') + 1, -'.md'.length)}.mjs`, OUT);
      writeFileSync(file, block.code);
      const port = await freePort();
      let output = '';
      child = spawn(runtime, [fileURLToPath(file)], {
        env: { ...process.env, NO_COLOR: '1', PORT: String(port), JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URI: `${keys.origin}/keys` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (chunk) => { output += chunk; });
      child.stderr.on('data', (chunk) => { output += chunk; });
      const url = `http://127.0.0.1:${port}/tasks`;
      const missing = await whenUp(url, child, () => output);
      assert.equal(missing.status, 401, output);
      assert.deepEqual(await missing.json(), { error: 'unauthorized', code: null });
      const token = await sign(pair, goodClaims({ roles: ['Tasks.Read'] }));
      const accepted = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(accepted.status, 200, output);
      assert.deepEqual(await accepted.json(), { client: 'client-app-1' });
      const withoutRole = await fetch(url, { headers: { authorization: `Bearer ${await sign(pair)}` } });
      assert.equal(withoutRole.status, 403, output);
    });
  });
}
