// The example web app (examples/web), built by Vite and by esbuild, in
// Debian's Chromium: each build must find and load the .wasm and verify a
// token. `make test-browser` builds both before running this.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { REPO, launchBrowser, openPage, screenshot, startStaticServer } from './harness.mjs';

let browser;
let pair;

before(async () => {
  browser = await launchBrowser();
  pair = await keyPair('EdDSA', 'web-app-key');
});

after(async () => {
  await browser?.close();
});

for (const [bundler, dir] of [['vite', 'dist'], ['esbuild', 'dist-esbuild']]) {
  test(`the ${bundler} build of examples/web loads the wasm and verifies a token`, async () => {
    const root = join(REPO, 'examples/web', dir);
    assert.ok(existsSync(join(root, 'index.html')), `${root} is missing: run make test-browser, which builds it`);
    const server = await startStaticServer(root);
    try {
      const { page, seen } = await openPage(browser.context);
      await page.goto(`${server.origin}/`);
      await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
      await page.fill('#issuer', ISSUER);
      await page.fill('#audience', AUDIENCE);
      await page.fill('#jwks', JSON.stringify({ keys: [pair.jwk] }));
      await page.fill('#token', await sign(pair, goodClaims({ sub: `${bundler}-subject` })));
      await page.click('#verify');
      await page.waitForFunction(() => document.getElementById('result').textContent !== '');
      assert.equal(await page.textContent('#result'), `verified with key web-app-key (EdDSA); subject ${bundler}-subject`);

      await page.fill('#token', await sign(pair, goodClaims({ aud: 'api://another-api' })));
      await page.click('#verify');
      await page.waitForFunction(() => document.getElementById('result').textContent.startsWith('rejected'));
      assert.match(await page.textContent('#result'), /^rejected: ERR_AUDIENCE_INVALID/);

      await screenshot(page, `web-app-${bundler}`);
      assert.deepEqual(seen.errors, []);
      assert.ok(seen.urls.every((url) => url.startsWith(`${server.origin}/`)), seen.urls.join('\n'));
      assert.ok(server.requests.some(({ path }) => path.endsWith('.wasm')), 'the .wasm was fetched');
      assert.ok(server.requests.every(({ path }) => existsSync(join(root, path === '/' ? 'index.html' : path))), 'no request missed a file');
      await page.close();
    } finally {
      await server.close();
    }
  });
}
