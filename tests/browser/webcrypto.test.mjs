// In Chromium, verify() takes the WebCrypto path (the page's
// SubtleCrypto.verify is called) and agrees with verifySync on a small table.
// The package is loaded unbundled (js/browser.js) from 127.0.0.1, a secure
// context, so crypto.subtle exists.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AUDIENCE, ISSUER, assertAgreement, webCryptoTable } from '../js/helpers.mjs';
import { REPO, launchBrowser, openPage, startStaticServer } from './harness.mjs';

let browser;
let server;

before(async () => {
  browser = await launchBrowser();
  server = await startStaticServer(REPO);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('verify() uses Chromium WebCrypto and agrees with verifySync', async () => {
  const { jwks, rows } = await webCryptoTable();
  const { page, seen } = await openPage(browser.context);
  await page.route(`${server.origin}/webcrypto.html`, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>webcrypto</title>' }));
  await page.goto(`${server.origin}/webcrypto.html`);
  const results = await page.evaluate(async ({ options, tokens }) => {
    const { createVerifier } = await import('/js/browser.js');
    let verifyCalls = 0;
    const subtle = crypto.subtle;
    const realVerify = subtle.verify;
    subtle.verify = function countingVerify(...args) {
      verifyCalls += 1;
      return realVerify.apply(this, args);
    };
    const outcome = async (run) => {
      try {
        return { result: await run() };
      } catch (error) {
        return { code: error.code ?? `not a JwtGuardError: ${error}`, message: error.message };
      }
    };
    // One clock reading for both paths: an error message that names the
    // time must not differ because a second ticked between them.
    const at = Math.floor(Date.now() / 1000);
    const verifier = createVerifier({ ...options, cache: false, now: () => at });
    const out = [];
    for (const token of tokens) {
      const sync = await outcome(() => verifier.verifySync(token));
      const before = verifyCalls;
      const webCrypto = await outcome(() => verifier.verify(token));
      out.push({ sync, webCrypto, calls: verifyCalls - before });
    }
    return out;
  }, { options: { issuer: ISSUER, audience: AUDIENCE, keys: jwks }, tokens: rows.map((r) => r[2]) });
  assertAgreement(rows, results);
  assert.deepEqual(seen.errors, []);
  await page.close();
});
