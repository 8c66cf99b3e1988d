// Shared pieces of the browser tests: a static file server on 127.0.0.1
// (port 0) that records every request, Debian's Chromium driven by
// playwright-core with a fresh profile, and screenshots under test-results/.
import { mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const RESULTS = join(REPO, 'test-results');

/** Debian's Chromium; the tests never download a browser. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];

/** A test run serves a few dozen files; far more means something loops. */
const MAX_REQUESTS = 2000;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * Serves the files under `root` on 127.0.0.1 at an ephemeral port.
 * `requests` lists every path asked for, in order.
 */
export async function startStaticServer(directory) {
  const root = resolve(directory);
  const requests = [];
  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://127.0.0.1').pathname;
    requests.push({ method: request.method, path });
    if (requests.length > MAX_REQUESTS || !['GET', 'HEAD'].includes(request.method)) {
      response.writeHead(requests.length > MAX_REQUESTS ? 503 : 405).end();
      return;
    }
    let file = resolve(root, `.${decodeURIComponent(path)}`);
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(done);
    }),
  };
}

/** Every file under `dir` (relative to `root`), as URL paths. */
export async function filePaths(root, dir) {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => `/${relative(root, join(e.parentPath, e.name)).split(sep).join('/')}`);
}

/** Chromium with a fresh profile directory, removed by `close()`. */
export async function launchBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'jwtguard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 30_000,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new page that records the URLs it requests, console errors, uncaught
 * errors and Content-Security-Policy violations.
 */
export async function openPage(context) {
  const page = await context.newPage();
  const seen = { urls: [], errors: [] };
  page.on('request', (request) => seen.urls.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => seen.errors.push(`page: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`csp violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { page, seen };
}

/**
 * Saves a full-page screenshot, one of the viewport alone (`selector`
 * 'viewport'), or one of the element `selector` names, as test-results/<name>.png.
 */
export async function screenshot(page, name, selector) {
  await mkdir(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  if (selector === undefined) await page.screenshot({ path, fullPage: true });
  else if (selector === 'viewport') await page.screenshot({ path });
  else await page.locator(selector).screenshot({ path });
}
