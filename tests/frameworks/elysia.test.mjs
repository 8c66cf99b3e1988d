// jwtguard/elysia on Elysia 1.4 under Bun (node_modules/.bin/bun runs
// tests/frameworks/elysia-app.mjs) on 127.0.0.1: the shared table
// (cases.mjs), options per request (per-request-cases.mjs) and the derived
// `auth`.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { frameworkSuite } from './cases.mjs';
import { perRequestSuite } from './per-request-cases.mjs';

const BUN = fileURLToPath(new URL('../../node_modules/.bin/bun', import.meta.url));
const APP = fileURLToPath(new URL('elysia-app.mjs', import.meta.url));

/** How long Bun may take to start the app and print its port. */
const START_TIMEOUT_MS = 20_000;

/** Starts the app under Bun; resolves with its origin and a close that ends the process. */
function startBun(config) {
  const child = spawn(BUN, [APP, JSON.stringify(config)], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const close = () => {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      close();
      reject(new Error(`bun did not listen within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bun exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve({ origin: `http://127.0.0.1:${JSON.parse(line).port}`, close });
    });
  });
}

// The key source of a second issuer is an object of functions: Bun's app builds it from `keysDown`.
frameworkSuite('Elysia under Bun', ({ options: [api, down], settings, keysDown }) => startBun({
  options: [api, ...(down ? [{ ...down, keys: undefined }] : [])], settings, keysDown,
}));

// A function cannot cross into Bun: the app builds `(request) => tenants[x-tenant]` from the tenants.
perRequestSuite('Elysia under Bun', ({ tenants, settings }) => startBun({ tenants, settings }));
