// A browser MCP client's shape: a page on one origin (127.0.0.1, port A)
// calls an API Worker on another (workerd through miniflare, port B) with
// `fetch(url, { credentials: 'include', headers: { Authorization } })` in
// Debian's Chromium. The browser's own CORS preflight passes `protect`
// unchecked and reaches the app's handler, which answers it; the real
// request gets the verified claims; a refused token's 401 carries the app's
// CORS headers, so the page reads WWW-Authenticate (exposed) and its exact
// parameters. With `checkPreflight: true` the preflight is refused and the
// browser never sends the request. Tokens are signed by jose.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseChallenge } from '../js/challenges.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { LEVEL } from '../js/step-up-cases.mjs';
import { startWorker } from '../worker/workerd.mjs';
import { REPO, launchBrowser, openPage, startStaticServer } from './harness.mjs';

const ACR_MFA = 'urn:mfa';
const EXPIRED = 'ERR_TOKEN_EXPIRED: token has expired';
/** How Chromium reports a cross-origin answer the page may not read. */
const CORS_BLOCKED = /blocked by CORS policy/;

let pair;
let pages;
let mf;
let api;
let browser;

before(async () => {
  pair = await keyPair('ES256');
  pages = await startStaticServer(join(REPO, 'tests/browser/pages'));
  mf = await startWorker('../browser/cors-app.mjs', {
    ISSUER, AUDIENCE, ACR_VALUES: JSON.stringify([ACR_MFA]), JWKS: JSON.stringify({ keys: [pair.jwk] }), PAGE_ORIGIN: pages.origin,
  });
  api = new URL(await mf.ready).origin;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await mf?.dispose();
  await pages?.close();
});

/** The page calls `url` as a browser MCP client would; a failed fetch is `{ failed: <error name> }`. */
async function callFromPage(page, url, token) {
  return page.evaluate(async ({ url, token }) => {
    try {
      const response = await fetch(url, { credentials: 'include', headers: { Authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json(), challenge: response.headers.get('www-authenticate') };
    } catch (error) {
      return { failed: error.name };
    }
  }, { url, token });
}

/** What the Worker recorded for `path`, in order. */
async function seenAt(path) {
  const seen = await (await mf.dispatchFetch(`${api}/seen`)).json();
  return seen.filter((request) => request.path === path);
}

/** The preflight as it reached the app's handler: unchecked, no auth, no credentials. */
const PREFLIGHT = { method: 'OPTIONS', handler: { auth: null, authorization: null } };

/**
 * `[name, claims, status, body, challenge params]`: the page's reading of the
 * answer (challenge null: none). Each case has its own path, so each gets its
 * own preflight (Chromium caches preflights per URL).
 */
const CASES = [
  ['a valid token: the verified claims', goodClaims({ acr: ACR_MFA }), 200, { sub: 'service-principal-1', acr: ACR_MFA }, null],
  ['an expired token: 401 invalid_token, readable', goodClaims({ acr: ACR_MFA, iat: nowSeconds() - 7200, nbf: nowSeconds() - 7200, exp: nowSeconds() - 3600 }), 401,
    { error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' }, { realm: 'api', error: 'invalid_token', error_description: EXPIRED }],
  ['a weaker sign-in: 401 insufficient_user_authentication with acr_values, readable', goodClaims({ acr: 'urn:pwd' }), 401,
    { error: 'insufficient_user_authentication', code: 'ERR_AUTH_LEVEL_INSUFFICIENT' },
    { realm: 'api', error: 'insufficient_user_authentication', error_description: LEVEL, acr_values: ACR_MFA }],
];

describe('a page on another origin calls a protected Worker', () => {
  for (const [index, [name, claims, status, body, challenge]] of CASES.entries()) {
    test(name, async () => {
      const { page, seen } = await openPage(browser.context);
      try {
        await page.goto(`${pages.origin}/client.html`);
        const path = `/api/case-${index}`;
        const answer = await callFromPage(page, `${api}${path}`, await sign(pair, claims));
        assert.equal(answer.status, status, JSON.stringify(answer));
        assert.deepEqual(answer.body, body);
        assert.deepEqual(answer.challenge === null ? null : parseChallenge(answer.challenge), challenge && { scheme: 'bearer', params: challenge });
        // The browser's preflight reached the handler unchecked; the request reached it only when accepted.
        const reached = status === 200 ? { auth: body, authorization: 'Bearer' } : null;
        assert.deepEqual(await seenAt(path), [{ ...PREFLIGHT, path }, { method: 'GET', path, handler: reached }]);
        assert.deepEqual(seen.errors.filter((error) => CORS_BLOCKED.test(error)), []);
      } finally {
        await page.close();
      }
    });
  }

  test('with checkPreflight: true the preflight is refused and the browser sends no request', async () => {
    const { page, seen } = await openPage(browser.context);
    try {
      await page.goto(`${pages.origin}/client.html`);
      const path = '/checking/api/whoami';
      assert.deepEqual(await callFromPage(page, `${api}${path}`, await sign(pair, goodClaims({ acr: ACR_MFA }))), { failed: 'TypeError' });
      assert.deepEqual(await seenAt(path), [{ method: 'OPTIONS', path, handler: null }]);
      assert.ok(seen.errors.some((error) => CORS_BLOCKED.test(error)), seen.errors.join('\n'));
    } finally {
      await page.close();
    }
  });
});
