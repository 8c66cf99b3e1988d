// The decoder page's keys from a discovery document, against a real OpenID
// Provider (oidc-provider) on 127.0.0.1 at another port, so another origin:
// nothing is fetched before the person confirms the URL, then exactly the
// discovery document and its key set are, through a fetcher frame whose
// Content-Security-Policy reaches that origin only. Also: the "Configure your
// API" variables, run through the real fromEnv and the Worker snippet.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { createVerifier, fromEnv } from '@jwtguard/jwtguard';
import { CLIENT_ID, RESOURCE, startProvider } from '../../scripts/local-provider.mjs';
import { REPO, RESULTS, filePaths, launchBrowser, openPage, screenshot, startStaticServer } from './harness.mjs';

const DISCOVERY_PATH = '/.well-known/openid-configuration';
const JWKS_PATH = '/jwks';

let server;
let browser;
let provider;
let other; // a second provider: another loopback origin, with a discovery document for another issuer
let allowedPaths;

before(async () => {
  server = await startStaticServer(REPO);
  browser = await launchBrowser();
  provider = await startProvider();
  other = await startProvider();
  const files = (await Promise.all(['www', 'js', 'pkg'].map((dir) => filePaths(REPO, dir)))).flat();
  allowedPaths = new Set(['/www/', ...files]);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await provider?.stop();
  await other?.stop();
});

/** Opens the page with the provider's token in the fragment, the policy filled from it. */
async function openWithToken(token) {
  const opened = await openPage(browser.context);
  await opened.page.goto(`${server.origin}/www/#token=${token}`);
  await opened.page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  await opened.page.click('#fill-policy');
  return opened;
}

/** Requests that left the page's own origin. */
const foreign = (seen) => seen.urls.filter((url) => new URL(url).origin !== server.origin);

/** Every request to the page's origin was one of its own static files; nothing stored; no error. */
async function assertOwnFilesOnly({ page, seen }) {
  for (const url of seen.urls.filter((u) => new URL(u).origin === server.origin)) {
    const { pathname, search } = new URL(url);
    assert.equal(search, '', `request with a query: ${url}`);
    assert.ok(allowedPaths.has(pathname), `request for a file that is not the page's own: ${url}`);
  }
  for (const { path } of server.requests) assert.ok(allowedPaths.has(path), `server saw ${path}`);
  for (const frame of page.frames()) {
    assert.deepEqual(await frame.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]), [0, 0, ''], frame.url());
  }
  assert.deepEqual(seen.errors, []);
}

const hits = (p, path) => p.hits.get(path) ?? 0;

/** `KEY=value` lines as an env object. */
const parseEnv = (text) => Object.fromEntries(text.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

describe('decoder page: keys from a discovery document', () => {
  test('the issuer\'s discovery document: URL shown first, fetched on confirm, exactly two requests, verified', async () => {
    const opened = await openWithToken(await provider.token());
    const { page, seen } = opened;
    const discoveryUrl = `${provider.issuer}${DISCOVERY_PATH}`;
    const before = { discovery: hits(provider, DISCOVERY_PATH), jwks: hits(provider, JWKS_PATH) };

    await page.check('#key-source-issuer');
    await page.click('#verify-button');
    await page.waitForSelector('#approval-url');
    assert.equal(await page.textContent('#approval-url'), discoveryUrl);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'approve-fetch');
    // Shown, not fetched: no request left the page, no frame was made, the provider saw nothing.
    assert.deepEqual(foreign(seen), []);
    assert.equal(page.frames().length, 1);
    assert.deepEqual({ discovery: hits(provider, DISCOVERY_PATH), jwks: hits(provider, JWKS_PATH) }, before);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1280, height: 900 });
      await screenshot(page, `www-discovery-approval-desktop-${scheme}`, '#result-pane');
    }

    await page.keyboard.press('Enter'); // the focused "Fetch it" button
    await page.waitForSelector('#verdict');
    assert.match(await page.textContent('#verdict'), new RegExp(`^Verified: signed by key ${provider.kid} with RS256`));
    assert.equal(await page.textContent('#claims-table tr[data-name="client_id"] td code'), CLIENT_ID);
    assert.deepEqual(await page.$$eval('#fetched li', (items) => items.map((item) => item.textContent)),
      [`GET ${discoveryUrl} answered 200`, `GET ${provider.issuer}${JWKS_PATH} answered 200`]);
    assert.deepEqual(foreign(seen), [discoveryUrl, `${provider.issuer}${JWKS_PATH}`]);
    assert.deepEqual({ discovery: hits(provider, DISCOVERY_PATH), jwks: hits(provider, JWKS_PATH) },
      { discovery: before.discovery + 1, jwks: before.jwks + 1 });
    await assertOwnFilesOnly(opened);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `www-discovery-verified-desktop-${scheme}`, '#result-pane');
      await screenshot(page, `www-discovery-configure-desktop-${scheme}`, '#configure-section');
    }
    await page.setViewportSize({ width: 390, height: 844 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'nothing wider than a phone');
    await screenshot(page, 'www-discovery-verified-phone-dark', '#result-pane');

    // The fetcher frame's policy: connect-src is the provider's origin alone.
    const frame = page.frames().find((f) => new URL(f.url()).pathname === '/www/fetch.html');
    assert.equal(new URL(frame.url()).hash, `#${new URLSearchParams({ origin: provider.issuer })}`);
    assert.equal(await frame.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content),
      `default-src 'none'; connect-src ${provider.issuer}; script-src 'self'; base-uri 'none'; form-action 'none'`);
    const otherUrl = `${other.issuer}${DISCOVERY_PATH}`;
    const otherHits = hits(other, DISCOVERY_PATH);
    const attempt = (url) => fetch(url).then(() => 'fetched', (error) => error.name);
    assert.equal(await frame.evaluate(attempt, otherUrl), 'TypeError');
    // ...and the page itself cannot reach the provider: its connect-src is 'self'.
    assert.equal(await page.evaluate(attempt, discoveryUrl), 'TypeError');
    assert.equal(hits(other, DISCOVERY_PATH), otherHits, 'blocked before any request');
    assert.equal(hits(provider, DISCOVERY_PATH), before.discovery + 1, 'blocked before any request');
    // The only errors since are Chromium's reports of these two refusals.
    for (const error of seen.errors) assert.ok(error.includes(otherUrl) || error.includes(discoveryUrl), error);

    // "Configure your API": the variables shown go through the real fromEnv...
    const env = parseEnv(await page.textContent('#env-vars'));
    assert.deepEqual(env, { JWT_ISSUER: provider.issuer, JWT_AUDIENCE: RESOURCE });
    const { policy } = createVerifier(fromEnv(env));
    assert.deepEqual([policy.issuer, policy.audience, policy.clockTolerance], [[provider.issuer], [RESOURCE], 60]);
    // ...and the Worker snippet, run here with those variables, accepts a token from the provider.
    await mkdir(RESULTS, { recursive: true }); // inside the repository, so that '@jwtguard/jwtguard' resolves to this package
    const file = join(RESULTS, `worker-snippet-${process.pid}.mjs`);
    await writeFile(file, await page.textContent('#worker-code'));
    try {
      const { default: worker } = await import(pathToFileURL(file).href);
      const call = async (token) => worker.fetch(new Request('https://api.test/', { headers: { authorization: `Bearer ${token}` } }), env, {});
      const ok = await call(await provider.token());
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { caller: CLIENT_ID });
      assert.equal((await call(await other.token())).status, 401, 'a token of another issuer');
    } finally {
      await rm(file);
    }

    // Once the keys are fetched, an edit of the policy verifies again at once,
    // through the documents already fetched: no click, no request.
    const fetchedSoFar = foreign(seen).length;
    const hitsSoFar = { discovery: hits(provider, DISCOVERY_PATH), jwks: hits(provider, JWKS_PATH) };
    await page.fill('#policy-audience', 'api://another-api');
    await page.waitForSelector('#verify-result[aria-busy="false"] #verdict[data-state="refused"]');
    assert.match(await page.textContent('#verdict'), /^Not verified: ERR_AUDIENCE_INVALID .*Failed check: Audience \(aud\)/);
    await page.fill('#policy-audience', RESOURCE);
    await page.waitForSelector('#verify-result[aria-busy="false"] #verdict[data-state="verified"]');
    assert.equal(foreign(seen).length, fetchedSoFar);
    assert.deepEqual({ discovery: hits(provider, DISCOVERY_PATH), jwks: hits(provider, JWKS_PATH) }, hitsSoFar);
    await page.close();
  });

  test('a pasted discovery URL: shown first, then verified', async () => {
    const opened = await openWithToken(await provider.token());
    const { page, seen } = opened;
    const discoveryUrl = `${provider.issuer}${DISCOVERY_PATH}`;
    await page.check('#key-source-url');
    assert.equal(await page.isVisible('#jwks-input'), false);
    await page.fill('#discovery-url-input', discoveryUrl);
    await page.click('#verify-button');
    await page.waitForSelector('#approval-url');
    assert.equal(await page.textContent('#approval-url'), discoveryUrl);
    assert.deepEqual(foreign(seen), []);
    await page.click('#approve-fetch');
    await page.waitForSelector('#verdict');
    assert.match(await page.textContent('#verdict'), /^Verified/);
    assert.deepEqual(foreign(seen), [discoveryUrl, `${provider.issuer}${JWKS_PATH}`]);
    await assertOwnFilesOnly(opened);
    await page.close();
  });

  test('a discovery document for another issuer: the library\'s ERR_DISCOVERY_INVALID, and no key set fetched', async () => {
    const opened = await openWithToken(await provider.token());
    const { page, seen } = opened;
    const otherUrl = `${other.issuer}${DISCOVERY_PATH}`;
    await page.check('#key-source-url');
    await page.fill('#discovery-url-input', otherUrl);
    await page.click('#verify-button');
    await page.click('#approve-fetch');
    await page.waitForSelector('#verdict');
    assert.match(await page.textContent('#verdict'),
      new RegExp(`^Cannot verify: ERR_DISCOVERY_INVALID discovery document is invalid: ${otherUrl} names issuer "${other.issuer}", expected "${provider.issuer}"`));
    assert.ok(await page.$$eval('#report-table tbody tr', (rows) => rows.every((row) => row.className === 'check-not-evaluated')));
    assert.deepEqual(foreign(seen), [otherUrl]);
    assert.equal(await page.isVisible('#configure-output'), false);
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'www-discovery-wrong-issuer-desktop-light', '#result-pane');
    await assertOwnFilesOnly(opened);
    await page.close();
  });

  test('a jwks_uri on another origin is shown and confirmed too, and the discovery document is fetched once', async () => {
    // A discovery document for the provider's issuer, served from another origin, naming the provider's key set.
    const served = [];
    const documentServer = createServer((request, response) => {
      served.push(request.url);
      response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      response.end(JSON.stringify({ issuer: provider.issuer, jwks_uri: `${provider.issuer}${JWKS_PATH}` }));
    });
    await new Promise((done) => documentServer.listen(0, '127.0.0.1', done));
    const documentUrl = `http://127.0.0.1:${documentServer.address().port}/openid-configuration`;
    try {
      const opened = await openWithToken(await provider.token());
      const { page, seen } = opened;
      await page.check('#key-source-url');
      await page.fill('#discovery-url-input', documentUrl);
      await page.click('#verify-button');
      await page.click('#approve-fetch');
      await page.waitForFunction((url) => document.getElementById('approval-url')?.textContent === url, `${provider.issuer}${JWKS_PATH}`);
      assert.deepEqual(foreign(seen), [documentUrl]);
      assert.deepEqual(await page.$$eval('#fetched li', (items) => items.map((item) => item.textContent)), [`GET ${documentUrl} answered 200`]);
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, 'www-discovery-second-origin-desktop-dark', '#verify-result');
      await page.click('#approve-fetch');
      await page.waitForSelector('#verdict');
      assert.match(await page.textContent('#verdict'), /^Verified/);
      assert.deepEqual(foreign(seen), [documentUrl, `${provider.issuer}${JWKS_PATH}`]);
      assert.deepEqual(served, ['/openid-configuration']);
      assert.equal(page.frames().length, 3, 'one fetcher frame per approved origin');
      await assertOwnFilesOnly(opened);
      await page.close();
    } finally {
      documentServer.closeAllConnections();
      await new Promise((done) => documentServer.close(done));
    }
  });

  test('the fetcher frame\'s policy names the approved origin, and anything else gets connect-src \'none\'', async () => {
    const { page } = await openPage(browser.context);
    const policyFor = async (origin) => {
      await page.goto('about:blank'); // else only the fragment changes, and the document stays
      await page.goto(`${server.origin}/www/fetch.html#${new URLSearchParams({ origin })}`);
      return page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content.split('; ')[1]);
    };
    assert.equal(await policyFor('https://login.microsoftonline.com'), 'connect-src https://login.microsoftonline.com');
    assert.equal(await policyFor('http://localhost:8080'), 'connect-src http://localhost:8080');
    for (const refused of ['http://example.com', 'https://login.microsoftonline.com/tenant', 'https://a\'b.test', "https://a;b.test", 'https://user@idp.test', 'javascript:alert(1)', 'http://[::1]:8080', '']) {
      assert.equal(await policyFor(refused), "connect-src 'none'", refused);
    }
    await page.close();
  });

  test('Cancel fetches nothing', async () => {
    const opened = await openWithToken(await provider.token());
    const { page, seen } = opened;
    await page.check('#key-source-issuer');
    await page.click('#verify-button');
    await page.click('#cancel-fetch');
    assert.match(await page.textContent('#verdict'), /nothing more was fetched/);
    assert.deepEqual(foreign(seen), []);
    assert.equal(page.frames().length, 1);
    await assertOwnFilesOnly(opened);
    await page.close();
  });
});
