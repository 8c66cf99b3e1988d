// Sizes (wasm raw / gzip / brotli beside jose's minified bundle for the same
// job) and cold start (import + instantiate + first verification, in a fresh
// Node process each time).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { build } from 'esbuild';
import { median } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const compressed = (bytes) => ({
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

async function bundle(source) {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false,
    external: ['*.wasm'], logLevel: 'silent',
  });
  return Buffer.from(result.outputFiles[0].contents);
}

export async function sizes() {
  const wasm = compressed(readFileSync(join(root, 'pkg/jwtguard_bg.wasm')));
  const glue = compressed(await bundle(`export { createVerifier } from './js/browser.js';`));
  const jose = compressed(await bundle(`export { jwtVerify, createLocalJWKSet } from 'jose';`));
  const row = (name, s) => `| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} |`;
  const text = [
    '### Size',
    '',
    '| artifact | raw | gzip -9 | brotli 11 |',
    '|---|--:|--:|--:|',
    row('jwtguard wasm (pkg/jwtguard_bg.wasm)', wasm),
    row('jwtguard JS (esbuild --minify, browser entry)', glue),
    row('jose 6 `jwtVerify` + `createLocalJWKSet` (esbuild --minify)', jose),
  ].join('\n');
  return { text, wasmGzip: wasm.gzip };
}

/** Runs one cold start in a fresh process; returns milliseconds. */
function once(dir, script) {
  return Number(execFileSync(process.execPath, [join(dir, script)], { cwd: root, encoding: 'utf8' }).trim());
}

export async function coldStart(fixtures, runs = 7) {
  const dir = mkdtempSync(join(tmpdir(), 'jwtguard-bench-'));
  try {
    const alg = 'RS256';
    const input = JSON.stringify({ jwks: fixtures.jwks, token: fixtures.tokens[alg][0] });
    writeFileSync(join(dir, 'input.json'), input);
    const common = `const { jwks, token } = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(join(dir, 'input.json'))}, 'utf8'));
const issuer = ${JSON.stringify((await import('./fixtures.mjs')).ISSUER)}, audience = ${JSON.stringify((await import('./fixtures.mjs')).AUDIENCE)};
const t0 = performance.now();`;
    writeFileSync(join(dir, 'jwtguard.cjs'), `${common}
import(${JSON.stringify(join(root, 'js/node.js'))}).then(({ createVerifier }) => {
  createVerifier({ issuer, audience, keys: jwks }).verifySync(token);
  console.log(performance.now() - t0);
});`);
    writeFileSync(join(dir, 'jose.cjs'), `${common}
import(${JSON.stringify(join(root, 'node_modules/jose/dist/webapi/index.js'))}).then(async ({ jwtVerify, createLocalJWKSet }) => {
  await jwtVerify(token, createLocalJWKSet(jwks), { issuer, audience });
  console.log(performance.now() - t0);
});`);
    const times = { jwtguard: [], jose: [] };
    for (let i = 0; i < runs; i += 1) {
      times.jwtguard.push(once(dir, 'jwtguard.cjs'));
      times.jose.push(once(dir, 'jose.cjs'));
    }
    const ms = (list) => `${median(list).toFixed(1)} ms`;
    return [
      `### Cold start (Node, ${alg}: import + instantiate + first verification; median of ${runs} fresh processes)`,
      '',
      '| library | median |',
      '|---|--:|',
      `| jwtguard (js/node.js: compile + instantiate wasm, prepare keys, verify) | ${ms(times.jwtguard)} |`,
      `| jose 6 (import, import key, verify) | ${ms(times.jose)} |`,
      `| ratio | ${(median(times.jwtguard) / median(times.jose)).toFixed(2)}× |`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
