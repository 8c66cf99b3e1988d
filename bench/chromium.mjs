// Headless Chromium: Debian's /usr/bin/chromium driven by playwright-core
// (which never downloads a browser here). The page is served from memory
// through request interception; a fresh temporary profile every run.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const root = new URL('..', import.meta.url).pathname;
const EXECUTABLE = '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run',
];
// https: WebCrypto (which jose needs) exists only in a secure context.
const ORIGIN = 'https://bench.test';

async function bundle() {
  const result = await build({
    entryPoints: [`${root}bench/browser-entry.mjs`],
    bundle: true, format: 'esm', platform: 'browser', write: false,
    external: ['*.wasm'], logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/**
 * Headless Chromium with the bench page loaded: `{ page, script, close }`,
 * `script` the bundle's text (bench/profile.mjs maps profile lines to
 * modules with it). Call `close()` when done.
 */
export async function openPage() {
  const script = await bundle();
  const userDataDir = mkdtempSync(join(tmpdir(), 'jwtguard-chromium-'));
  const close = async (context) => {
    await context?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: EXECUTABLE, headless: true, args: FLAGS,
    });
    const page = await context.newPage();
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/bench/index.html') {
        return route.fulfill({ contentType: 'text/html', body: '<!doctype html><script type="module" src="/bench/bundle.js"></script>' });
      }
      if (path === '/bench/bundle.js') return route.fulfill({ contentType: 'text/javascript', body: script });
      if (path === '/pkg/jwtguard_bg.wasm') {
        return route.fulfill({ contentType: 'application/wasm', body: readFileSync(join(root, 'pkg/jwtguard_bg.wasm')) });
      }
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await page.goto(`${ORIGIN}/bench/index.html`);
    await page.waitForFunction(() => typeof globalThis.runBench === 'function');
    return { page, script, close: () => close(context) };
  } catch (error) {
    await close(context);
    throw error;
  }
}

export async function run(fixtures, { quick }) {
  const { page, close } = await openPage();
  try {
    const options = quick ? { samples: 3, sampleMs: 10 } : {};
    const { rows, userAgent } = await page.evaluate(([f, o]) => globalThis.runBench(f, o), [fixtures, options]);
    const version = userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? 'unknown';
    return { runtime: `Chromium ${version} (Debian, headless)`, rows };
  } finally {
    await close();
  }
}
