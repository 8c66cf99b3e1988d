// The decoder page (www/) in Debian's Chromium: decoding, warnings, the
// verification report, XSS-safe rendering, the workshop, the two-pane
// layout and its live verdict, the timeline, the theme toggle, the policy
// link, axe-core's accessibility rules, and proof that the page requests
// nothing but its own static files.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, TENANT, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { REPO, filePaths, launchBrowser, openPage, screenshot, startStaticServer } from './harness.mjs';

let server;
let browser;
let pair;
let jwks;
let allowedPaths;

before(async () => {
  server = await startStaticServer(REPO);
  browser = await launchBrowser();
  pair = await keyPair('RS256', 'page-key-1');
  jwks = JSON.stringify({ keys: [pair.jwk] });
  const files = (await Promise.all(['www', 'js', 'pkg'].map((dir) => filePaths(REPO, dir)))).flat();
  allowedPaths = new Set(['/www/', ...files]);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the page (optionally with a fragment) and waits for the module graph and wasm to load. */
async function open(fragment = '') {
  const opened = await openPage(browser.context);
  await opened.page.goto(`${server.origin}/www/${fragment}`);
  await opened.page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  return opened;
}

/** The page asked only for its own static files, stored nothing, and nothing went wrong in it. */
async function assertQuiet({ page, seen }) {
  assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]), [0, 0, '']);
  assert.deepEqual(seen.errors, []);
  assert.ok(seen.urls.length > 0);
  for (const url of seen.urls) {
    const { origin, pathname, search } = new URL(url);
    assert.equal(origin, server.origin, `request to another origin: ${url}`);
    assert.equal(search, '', `request with a query: ${url}`);
    assert.ok(allowedPaths.has(pathname), `request for a file that is not the page's own: ${url}`);
  }
  for (const { path } of server.requests) assert.ok(allowedPaths.has(path), `server saw ${path}`);
}

/** The verdict once the last verification started has ended: `{ state, text }`. */
async function settledVerdict(page) {
  await page.waitForSelector('#verify-result[aria-busy="false"] #verdict');
  return page.$eval('#verdict', (verdict) => ({ state: verdict.dataset.state, text: verdict.textContent }));
}

async function pasteAndVerify(page, token, policy = {}) {
  await page.fill('#token-input', token);
  await page.fill('#jwks-input', jwks);
  await page.fill('#policy-issuer', policy.issuer ?? ISSUER);
  await page.fill('#policy-audience', policy.audience ?? AUDIENCE);
  await page.fill('#policy-roles', policy.roles ?? '');
  await page.fill('#policy-tenants', policy.tenants ?? '');
  await page.click('#verify-button');
  return settledVerdict(page);
}

/** `{ check id: status }` from the report table. */
const reportStatuses = (page) => page.$$eval('#report-table tbody tr', (rows) =>
  Object.fromEntries(rows.map((row) => [row.dataset.check, row.className.replace('check-', '')])));

/** axe-core's source: run in the page by the test through the DevTools protocol, never served to it. */
const AXE = await readFile(join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now, one line each. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const { violations } = await page.evaluate(() => window['axe'].run(document, { resultTypes: ['violations'] }));
  return violations.filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id}: ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

const box = (page, selector) => page.locator(selector).boundingBox();
const bodyBackground = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

const claimCell = (page, name) => page.textContent(`#claims-table tr[data-name="${name}"] td`);

describe('decoder page', () => {
  test('a valid token with its key set is verified and every claim explained', async () => {
    const opened = await open();
    const { page } = opened;
    const exp = nowSeconds() + 41 * 60 + 30;
    const token = await sign(pair, goodClaims({ exp, roles: ['Data.Read', 'Data.Write'] }));
    await pasteAndVerify(page, token, { roles: 'Data.Read' });

    assert.match(await page.textContent('#verdict'), /^Verified: signed by key page-key-1 with RS256/);
    const statuses = await reportStatuses(page);
    assert.equal(Object.keys(statuses).length, 16);
    assert.equal(statuses.signature, 'pass');
    assert.equal(statuses.permission, 'not-required');
    assert.equal(statuses.binding, 'pass');
    assert.equal(statuses.roles, 'pass');
    assert.equal(statuses.scopes, 'not-required');
    assert.ok(!Object.values(statuses).includes('fail'));

    const claimNames = await page.$$eval('#claims-table tbody tr', (rows) => rows.map((row) => row.dataset.name));
    assert.deepEqual(claimNames.toSorted(), Object.keys(goodClaims()).toSorted());
    assert.match(await claimCell(page, 'exp'), /expires in 41 min/);
    assert.match(await page.textContent('#claims-table tr[data-name="tid"] td:last-child'), /Tenant ID/);
    assert.match(await page.textContent('#token-colour .seg-signature'), /^[\w-]+$/);

    assert.equal(await page.isVisible('#configure-output'), true);
    assert.deepEqual(JSON.parse(await page.textContent('#policy-json')), {
      issuer: [ISSUER], audience: [AUDIENCE], roles: ['Data.Read'], clockTolerance: 60,
    });
    assert.match(await page.textContent('#env-vars'), /^JWT_ISSUER=.*\nJWT_AUDIENCE=.*\nJWT_REQUIRED_ROLES=Data\.Read$/);

    // Its screenshots, at both widths in both themes, are the layout test's below.
    await assertQuiet(opened);
    await page.close();
  });

  test('a {tenantid} issuer needs tenants: the core\'s error without, "*" written out verifies and is configured', async () => {
    const opened = await open();
    const { page } = opened;
    const token = await sign(pair, goodClaims({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0` }));
    const issuer = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    await pasteAndVerify(page, token, { issuer });
    assert.match(await page.textContent('#verdict'), /^Cannot verify: ERR_POLICY_INVALID .*tenants: \["<guid>", \.\.\.\].*tenants: "\*"/);
    assert.equal(await page.isVisible('#configure-output'), false);
    await page.evaluate(() => document.getElementById('verdict').remove());
    await pasteAndVerify(page, token, { issuer, tenants: '*' });
    assert.match(await page.textContent('#verdict'), /^Verified/);
    assert.equal((await reportStatuses(page)).tenant, 'not-required');
    assert.equal(JSON.parse(await page.textContent('#policy-json')).tenants, '*');
    assert.match(await page.textContent('#env-vars'), /\nJWT_ALLOWED_TENANTS=\*$/);
    await assertQuiet(opened);
    await page.close();
  });

  test('an expired token shows its expiry and fails the lifetime check', async () => {
    const opened = await open();
    const { page } = opened;
    const now = nowSeconds();
    const token = await sign(pair, goodClaims({ iat: now - 7200, nbf: now - 7200, exp: now - 90 * 60 - 30 }));
    await pasteAndVerify(page, token, { roles: 'Data.Read' });

    assert.match(await page.textContent('[data-warning="expired"]'), /Expired: expired 1 h 30 min ago/);
    assert.match(await claimCell(page, 'exp'), /expired 1 h 30 min ago/);
    assert.match(await page.textContent('#verdict'), /^Not verified: ERR_TOKEN_EXPIRED token has expired/);
    const statuses = await reportStatuses(page);
    assert.equal(statuses.signature, 'pass');
    assert.equal(statuses.audience, 'pass');
    assert.equal(statuses.times, 'fail');
    // The later checks ran with the lifetime check set aside, and say so.
    assert.equal(statuses.tenant, 'not-required');
    assert.equal(statuses.roles, 'pass');
    assert.match(await page.textContent('#report-table tr[data-check="roles"]'), /setting aside the failed Lifetime \(exp, nbf, iat, auth_time\) check/);
    assert.equal(await page.isVisible('#configure-output'), false);
    await screenshot(page, 'www-expired-desktop-light');
    await assertQuiet(opened);
    await page.close();
  });

  test('a Graph-style token gets the foreign-token warnings and ERR_FOREIGN_TOKEN', async () => {
    const opened = await open();
    const { page } = opened;
    const token = await sign(pair, goodClaims({ aud: 'https://graph.microsoft.com' }), { nonce: 'graph-nonce-value', typ: 'JWT' });
    await pasteAndVerify(page, token);

    assert.match(await page.textContent('[data-warning="foreign-token"]'), /Microsoft Graph or another Microsoft API/);
    assert.match(await page.textContent('[data-warning="foreign-audience"]'), /aud https:\/\/graph\.microsoft\.com/);
    assert.match(await page.textContent('#verdict'), /ERR_FOREIGN_TOKEN/);
    const statuses = await reportStatuses(page);
    assert.equal(statuses.shape, 'pass');
    assert.equal(statuses.header, 'fail');
    assert.equal(statuses.signature, 'not-evaluated');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'www-graph-phone-dark');
    await assertQuiet(opened);
    await page.close();
  });

  test('markup in claims is shown as text and never runs', async () => {
    const opened = await open();
    const { page } = opened;
    const attack = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const token = await sign(pair, goodClaims({ name: attack, [attack]: 'key' }), { kid: attack });
    await page.fill('#token-input', token);
    await page.waitForSelector('#claims-table tbody tr');

    assert.equal(await claimCell(page, 'name'), attack);
    assert.equal(await page.textContent('#header-table tr[data-name="kid"] td'), attack);
    assert.equal(await page.locator('#claims-table tbody th code', { hasText: '<img' }).textContent(), attack);
    assert.equal(await page.$$eval('img, script:not([src]):not([type="importmap"])', (found) => found.length), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    await assertQuiet(opened);
    await page.close();
  });

  test('#token= in the link is decoded, then removed from the address bar', async () => {
    const token = await sign(pair);
    const opened = await open(`#token=${token}`);
    const { page } = opened;
    assert.match(await page.textContent('#token-status'), /from the link/);
    assert.equal(await page.inputValue('#token-input'), token);
    assert.equal(new URL(page.url()).hash, '');
    assert.ok((await page.$$('#claims-table tbody tr')).length > 5);
    await assertQuiet(opened);
    await page.close();
  });

  test('a dropped token is decoded, with its Bearer prefix and line breaks removed', async () => {
    const opened = await open();
    const { page } = opened;
    const token = await sign(pair, goodClaims({ sub: 'dropped-subject' }));
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      return data;
    }, `Bearer ${token.slice(0, 40)}\n${token.slice(40)}\n`); // as copied from a terminal
    await page.dispatchEvent('#token-input', 'drop', { dataTransfer: transfer });
    await page.waitForSelector('#claims-table tr[data-name="sub"]');
    assert.equal(await claimCell(page, 'sub'), 'dropped-subject');
    await assertQuiet(opened);
    await page.close();
  });

  test('every control is labelled, and a token can be verified with the keyboard alone', async () => {
    const opened = await open();
    const { page } = opened;
    const unlabelled = await page.$$eval('input, textarea, select', (controls) =>
      controls.filter((control) => control.labels.length === 0).map((control) => control.id));
    assert.deepEqual(unlabelled, []);
    const unnamed = await page.$$eval('button', (buttons) => buttons.filter((b) => b.textContent.trim() === '').length);
    assert.equal(unnamed, 0);
    // Landmarks: banner, navigation, main and contentinfo once each, and every section a region named by its heading.
    assert.deepEqual(await page.$$eval('body > header, nav, main, body > footer', (found) => found.map((e) => e.tagName)), ['HEADER', 'NAV', 'MAIN', 'FOOTER']);
    const sectionNames = await page.$$eval('section', (sections) => sections.map((section) => document.getElementById(section.getAttribute('aria-labelledby'))?.textContent));
    assert.deepEqual(sectionNames, ['Token and policy', 'Verdict', 'Configure your API', 'Test-token workshop']);

    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
    // The theme toggle is next; the arrow keys choose.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'theme-select');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'token-input');
    await page.keyboard.insertText(await sign(pair));
    const focusAfterTabs = async (id) => {
      for (let presses = 0; presses < 30; presses += 1) {
        if (await page.evaluate(() => document.activeElement.id) === id) return;
        await page.keyboard.press('Tab');
      }
      assert.fail(`Tab never reached #${id}`);
    };
    await focusAfterTabs('jwks-input');
    await page.keyboard.insertText(jwks);
    await focusAfterTabs('policy-issuer');
    await page.keyboard.insertText(ISSUER);
    await focusAfterTabs('policy-audience');
    await page.keyboard.insertText(AUDIENCE);
    await focusAfterTabs('verify-button');
    await page.keyboard.press('Enter');
    assert.match((await settledVerdict(page)).text, /^Verified/);
    // The policy link and the theme, by keyboard too.
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'copy-policy-link');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#policy-link-output:not([hidden])');
    assert.match(await page.inputValue('#policy-link'), /#policy=/);
    await assertQuiet(opened);
    await page.close();
  });

  test('when the WebAssembly cannot load, the page says so', async () => {
    const { page } = await openPage(browser.context);
    await page.route('**/*.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.goto(`${server.origin}/www/`);
    await page.waitForSelector('.load-failed');
    assert.match(await page.textContent('#load-status'), /^The verifier could not load .*make build/);
    assert.equal(await page.getAttribute('html', 'data-ready'), null);
    await page.close();
  });

  test('the workshop signs a token with a key made in the page, and it verifies', async () => {
    const opened = await open();
    const { page } = opened;
    for (const alg of ['ES256', 'EdDSA', 'PS256']) {
      await page.selectOption('#workshop-alg', alg);
      await page.click('#workshop-sign');
      await page.waitForSelector('#workshop-output:not([hidden])');
      await page.waitForFunction((want) => document.getElementById('workshop-status').textContent.includes(want), alg);
      const jwksText = await page.inputValue('#workshop-jwks');
      assert.equal(JSON.parse(jwksText).keys[0].alg, alg);
      assert.doesNotMatch(jwksText, /"d"/, 'the key set holds no private key');
      await page.click('#workshop-use');
      await page.click('#verify-button');
      assert.match((await settledVerdict(page)).text, new RegExp(`^Verified: .* with ${alg}`));
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'www-workshop-desktop-light');
    await assertQuiet(opened);
    await page.close();
  });

  test('two panes at 1280 × 800 with the verdict and the first claims in view, one column at 390 × 844, both themes, no serious axe violation', async () => {
    const opened = await open();
    const { page } = opened;
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.equal((await pasteAndVerify(page, await sign(pair))).state, 'verified');
    // The toggle overrides the system's setting, and "as the system" gives it back.
    await page.emulateMedia({ colorScheme: 'dark' });
    const systemDark = await bodyBackground(page);
    await page.selectOption('#theme-select', 'light');
    assert.notEqual(await bodyBackground(page), systemDark);
    await page.selectOption('#theme-select', '');
    assert.equal(await bodyBackground(page), systemDark);
    const backgrounds = new Set();
    for (const theme of ['light', 'dark']) {
      await page.selectOption('#theme-select', theme);
      backgrounds.add(await bodyBackground(page));
      // The token's three parts keep three colours (axe-core below holds each to AA contrast).
      const segments = await page.$$eval('#token-colour [class^="seg-"]:not(.seg-dot)', (found) => found.map((e) => getComputedStyle(e).color));
      assert.equal(new Set(segments).size, 3, `${theme}: ${segments}`);
      for (const [width, height, name] of [[1280, 800, 'desktop'], [390, 844, 'phone']]) {
        await page.setViewportSize({ width, height });
        await page.evaluate(() => window.scrollTo(0, 0));
        const [input, result] = [await box(page, '#token-section'), await box(page, '#result-pane')];
        if (name === 'desktop') {
          assert.ok(result.x >= input.x + input.width, 'the result pane beside the token pane');
          assert.equal(result.y, input.y);
          for (const selector of ['#verdict', '#timeline', '#claims-table thead', '#claims-table tbody tr:nth-child(1)', '#claims-table tbody tr:nth-child(2)']) {
            const { y, height: h } = await box(page, selector);
            assert.ok(y >= 0 && y + h <= height, `${selector} in view without scrolling at ${width} × ${height} (top ${y}, height ${h})`);
          }
        } else {
          assert.ok(result.y >= input.y + input.height, 'one column: the result pane under the token pane');
        }
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), width, 'nothing wider than the window');
        assert.deepEqual(await seriousViolations(page), [], `axe-core, ${theme} theme, ${width} × ${height}`);
        await screenshot(page, `www-verified-${name}-${theme}`, 'viewport');
      }
    }
    assert.equal(backgrounds.size, 2, 'light and dark differ');
    // The choice is kept in memory only: a reload follows the system again.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.deepEqual(await page.evaluate(() => [document.documentElement.dataset.theme, document.getElementById('theme-select').value]), [undefined, '']);
    await assertQuiet(opened);
    await page.close();
  });

  test('with a pasted key set, the verdict and the timeline follow every edit of the token and the policy', async () => {
    const opened = await open();
    const { page } = opened;
    const now = nowSeconds();
    await page.fill('#jwks-input', jwks);
    await page.fill('#policy-issuer', ISSUER);
    await page.fill('#policy-audience', AUDIENCE);
    const issuedLongAgo = { iat: now - 7200, nbf: now - 7200, exp: now + 3600 };
    // [case, token times, maxTokenAge, verdict state, verdict text, timeline state, its marks]
    const rows = [
      ['valid', issuedLongAgo, '', 'verified', /^Verified/, 'valid', ['nbf iat', 'exp']],
      ['too old', issuedLongAgo, '3600', 'refused', /^Not verified: ERR_TOKEN_TOO_OLD .*Failed check: Lifetime \(exp, nbf, iat, auth_time\)/, 'too-old', ['nbf iat', 'exp']],
      ['expired', { iat: now - 7200, nbf: now - 7200, exp: now - 600 }, '', 'refused', /^Not verified: ERR_TOKEN_EXPIRED /, 'expired', ['nbf iat', 'exp']],
      ['not yet valid', { iat: now, nbf: now + 600, exp: now + 3600, auth_time: now - 30 }, '', 'refused', /^Not verified: ERR_TOKEN_NOT_YET_VALID /, 'not-yet-valid', ['auth_time', 'iat', 'nbf', 'exp']],
    ];
    const fills = new Set();
    for (const [name, times, maxAge, verdictState, verdictText, timelineState, marks] of rows) {
      await page.fill('#policy-max-age', maxAge);
      await page.fill('#token-input', await sign(pair, goodClaims(times)));
      const { state, text } = await settledVerdict(page); // Verify is never pressed
      assert.equal(state, verdictState, name);
      assert.match(text, verdictText, name);
      assert.equal(await page.getAttribute('#timeline', 'data-state'), timelineState, name);
      assert.deepEqual(await page.$$eval('#timeline [data-names]', (found) => found.map((g) => g.getAttribute('data-names'))), marks, name);
      assert.equal((await page.$$('#timeline [data-kind="max-age"]')).length, maxAge === '' ? 0 : 1, name);
      assert.match(await page.textContent('#timeline-summary'), new RegExp(`^${name.replace(/^./, (c) => c.toUpperCase())}`, 'i'), name);
      fills.add(await page.$eval('#timeline [data-kind="lifetime"]', (bar) => getComputedStyle(bar).fill));
      // The text equivalent: a line per time claim, and one for maxTokenAge.
      assert.equal(await page.$$eval('#timeline figcaption li', (found) => found.length), marks.flatMap((m) => m.split(' ')).length + (maxAge === '' ? 0 : 1), name);
      // The report of a refusal fits the pane: nothing wider than the window.
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), await page.evaluate(() => innerWidth), name);
    }
    assert.equal(fills.size, rows.length, 'each state has its own colour');
    // Without keys the token is decoded only, and says so.
    await page.fill('#jwks-input', '');
    assert.equal((await settledVerdict(page)).state, 'decoded');
    assert.equal(await page.$$eval('#checks tr', (found) => found.length), 0);
    await screenshot(page, 'www-timeline-not-yet-valid', '#timeline');
    await assertQuiet(opened);
    await page.close();
  });

  test('"Copy link" carries the policy and never the token, and opening the link fills the form', async () => {
    const opened = await open();
    const { page } = opened;
    const token = await sign(pair);
    await page.fill('#token-input', token);
    const fields = {
      '#policy-issuer': `${ISSUER}\nhttps://other.test/`, '#policy-audience': AUDIENCE, '#policy-roles': 'Data.Read Data.Write',
      '#policy-tenants': TENANT, '#policy-tolerance': '30', '#policy-max-age': '7200',
    };
    for (const [selector, value] of Object.entries(fields)) await page.fill(selector, value);
    await page.click('#copy-policy-link');
    await page.waitForSelector('#policy-link-output:not([hidden])');
    const link = await page.inputValue('#policy-link');
    for (const part of [token, ...token.split('.')]) {
      assert.ok(!link.includes(part) && !decodeURIComponent(link).includes(part), 'the link holds no part of the token');
    }
    const { hash } = new URL(link);
    assert.deepEqual([...new URLSearchParams(hash.slice(1)).keys()], ['policy']);

    const linked = await open(hash);
    for (const [selector, value] of Object.entries(fields)) assert.equal(await linked.page.inputValue(selector), value, selector);
    assert.equal(await linked.page.inputValue('#token-input'), '');
    assert.match(await linked.page.textContent('#policy-link-status'), /^Filled the policy from the link/);
    // Beside a token (the same page, a new fragment): both are read, and only the policy stays in the address bar.
    const navigate = (fragment) => linked.page.evaluate((to) => { location.hash = to; }, fragment);
    await navigate(`${hash}&token=${token}`);
    await linked.page.waitForFunction((want) => document.getElementById('token-input').value === want, token);
    assert.equal(await linked.page.inputValue('#policy-max-age'), '7200');
    assert.equal(new URL(linked.page.url()).hash, hash);
    // A link the form cannot show is refused with its reason, and the form is left as it was.
    await navigate(`#${new URLSearchParams({ policy: JSON.stringify({ issuer: 'https://elsewhere.test/', keys: { keys: [] } }) })}`);
    await linked.page.waitForFunction(() => document.getElementById('policy-link-status').textContent.startsWith('The policy in the link was not used'));
    assert.match(await linked.page.textContent('#policy-link-status'), /: the form cannot show "keys"/);
    assert.equal(await linked.page.inputValue('#policy-issuer'), fields['#policy-issuer']);
    for (const each of [opened, linked]) {
      await assertQuiet(each);
      await each.page.close();
    }
  });
});
