// A browser MCP client's shape: a page on one origin (127.0.0.1, port A)
// calls an API Worker on another (workerd through miniflare, port B) with
// `fetch(url, { credentials: 'include', headers: { Authorization } })` in
// Debian's Chromium. The Worker is docs/middleware.md's CORS example, run as
// written. The browser's own CORS preflight passes `protect` unchecked and
// the example's handler answers it; the real request gets the verified
// claims; a refused token's 401 carries the example's CORS headers, so the
// page reads WWW-Authenticate (exposed) and its exact parameters. The same
// example with `checkPreflight: true` has its preflight refused, and the
// browser never sends the request. Tokens are signed by jose.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { codeBlocks } from '../docs.mjs';
import { parseChallenge } from '../js/challenges.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { startWorker } from '../worker/workerd.mjs';
import { REPO, RESULTS, launchBrowser, openPage, startStaticServer } from './harness.mjs';

/** How Chromium reports a cross-origin answer the page may not read. */
const CORS_BLOCKED = /blocked by CORS policy/;
/** The example's `protect(options, handler)` call ends here; its third argument goes before. */
const PROTECT_CALL_END = '\n);\n\nexport default';

let pair;
let pages;
let mf;
let api;
let browser;

/** docs/middleware.md's CORS example, and the same with `checkPreflight: true`, where cors-app.mjs imports them. */
async function writeExample() {
  const blocks = codeBlocks().filter((b) => b.path === 'docs/middleware.md' && b.lang === 'ts' && b.code.includes('Access-Control-Expose-Headers'));
  assert.equal(blocks.length, 1, 'one CORS example in docs/middleware.md');
  const [{ code }] = blocks;
  assert.equal(code.split(PROTECT_CALL_END).length, 2, 'the example ends its protect call once');
  const dir = join(RESULTS, 'cors');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'documented.ts'), code);
  await writeFile(join(dir, 'checking.ts'), code.replace(PROTECT_CALL_END, `\n  { checkPreflight: true },${PROTECT_CALL_END}`));
}

before(async () => {
  pair = await keyPair('ES256');
  pages = await startStaticServer(join(REPO, 'tests/browser/pages'));
  await writeExample();
  mf = await startWorker('../browser/cors-app.mjs', {
    JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWKS: JSON.stringify({ keys: [pair.jwk] }), APP_ORIGIN: pages.origin,
  });
  api = new URL(await mf.ready).origin;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await mf?.dispose();
  await pages?.close();
});

/** Opens the client page on its origin, runs `fn(page, seen)`, closes the page. */
async function onClientPage(fn) {
  const { page, seen } = await openPage(browser.context);
  try {
    await page.goto(`${pages.origin}/client.html`);
    return await fn(page, seen);
  } finally {
    await page.close();
  }
}

/** The page calls `url` as a browser MCP client would; a failed fetch is `{ failed: <error name> }`. */
function callFromPage(page, url, token) {
  return page.evaluate(async ({ url, token }) => {
    try {
      const response = await fetch(url, { credentials: 'include', headers: { Authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json(), challenge: response.headers.get('www-authenticate') };
    } catch (error) {
      return { failed: error.name };
    }
  }, { url, token });
}

/** What the Worker answered for `path`, in order. */
async function seenAt(path) {
  const seen = await (await mf.dispatchFetch(`${api}/seen`)).json();
  return seen.filter((request) => request.path === path);
}

/** The browser's preflight, answered by the example's handler (it alone sets Access-Control-Allow-Methods). */
const preflight = (path) => ({ method: 'OPTIONS', path, status: 204, allowMethods: 'GET, POST' });

const past = nowSeconds() - 7200;

/**
 * `[name, claims, status, body, challenge params]`: the page's reading of the
 * answer (challenge null: none). Each case has its own path, so each gets its
 * own preflight (Chromium caches preflights per URL).
 */
const CASES = [
  ['a valid token: the verified claims', goodClaims(), 200, { user: 'service-principal-1' }, null],
  ['an expired token: 401 invalid_token, readable', goodClaims({ iat: past, nbf: past, exp: past + 3600 }), 401,
    { error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' }, { realm: 'api', error: 'invalid_token', error_description: 'ERR_TOKEN_EXPIRED: token has expired' }],
  ['a token for another audience: 401 invalid_token, readable', goodClaims({ aud: 'api://another-api' }), 401,
    { error: 'invalid_token', code: 'ERR_AUDIENCE_INVALID' },
    { realm: 'api', error: 'invalid_token', error_description: 'ERR_AUDIENCE_INVALID: audience (aud) is not accepted' }],
];

describe('a page on another origin calls the documented Worker', () => {
  for (const [index, [name, claims, status, body, challenge]] of CASES.entries()) {
    test(name, () => onClientPage(async (page, seen) => {
      const path = `/api/case-${index}`;
      const answer = await callFromPage(page, `${api}${path}`, await sign(pair, claims));
      assert.equal(answer.status, status, JSON.stringify(answer));
      assert.deepEqual(answer.body, body);
      assert.deepEqual(answer.challenge === null ? null : parseChallenge(answer.challenge), challenge && { scheme: 'bearer', params: challenge });
      assert.deepEqual(await seenAt(path), [preflight(path), { method: 'GET', path, status, allowMethods: null }]);
      assert.deepEqual(seen.errors.filter((error) => CORS_BLOCKED.test(error)), []);
    }));
  }

  test('with checkPreflight: true the preflight is refused and the browser sends no request', () => onClientPage(async (page, seen) => {
    const path = '/checking/api/whoami';
    assert.deepEqual(await callFromPage(page, `${api}${path}`, await sign(pair, goodClaims())), { failed: 'TypeError' });
    assert.deepEqual(await seenAt(path), [{ method: 'OPTIONS', path, status: 401, allowMethods: null }]);
    assert.ok(seen.errors.some((error) => CORS_BLOCKED.test(error)), seen.errors.join('\n'));
  }));
});
