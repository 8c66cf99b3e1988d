// The tarball npm would publish: it holds the wasm, the licence, the notices,
// the docs (every link resolving inside it) and every file an export points
// to; installed into a fresh app (offline: the package has no dependencies),
// the README's offline quick start runs as pasted and its Node TypeScript
// type-checks under strict. A new user's three tasks run end to end on the
// installed package: an Express API (TypeScript, strict) configured by
// fromEnv against a createTestIssuer stand-in for Entra v2, app-only; a Hono
// Worker in workerd serving RFC 9728 metadata for /mcp; and `jwtguard verify
// --env` giving the server's verdict on the same tokens. prepack refuses to
// pack without the wasm when it cannot build it.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { readmeTypeScript, settingOf } from '../types/check.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const npm = (args, cwd) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

/** Every file path an export (any condition) or the bin points to. */
function exportedFiles() {
  const files = new Set(Object.values(PACKAGE.bin));
  const walk = (value) => {
    if (typeof value === 'string') files.add(value);
    else for (const inner of Object.values(value)) walk(inner);
  };
  walk(PACKAGE.exports);
  return [...files].map((file) => file.replace(/^\.\//, ''));
}

/** The top-level folders the README names as the repository's, not the package's. */
const REPOSITORY_ONLY = ['src', 'wasm', 'tests', 'examples', 'www', 'bench', 'scripts', 'fuzz', 'test-results'];

/** Prose with fenced code removed. */
const prose = (text) => text.replace(/^( *)```[\s\S]*?^\1```$/gm, '');

describe('npm pack', () => {
  let dir;
  let tarball;
  let app;
  let listed;
  /** The strict tsc run over the README's Node blocks, server.ts and worker.ts. */
  let tsc;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'jwtguard-pack-'));
    tarball = join(dir, npm(['pack', '--pack-destination', dir, '--silent'], ROOT).trim().split('\n').pop());
    listed = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
    npm(['install', '--offline', tarball], app);
    // The frameworks a user installs beside the package (from this repository's node_modules: offline).
    for (const name of ['express', 'hono', '@types/express']) {
      mkdirSync(dirname(join(app, 'node_modules', name)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), join(app, 'node_modules', name));
    }
    // One strict tsc run for the README's Node TypeScript and the new user's server and Worker (emitted to dist/).
    const node = readmeTypeScript().filter((code) => settingOf(code) === 'node');
    assert.ok(node.length > 0);
    node.forEach((code, index) => writeFileSync(join(app, `readme-${index}.ts`), `${code}\nexport {};\n`));
    writeFileSync(join(app, 'server.ts'), SERVER);
    writeFileSync(join(app, 'worker.ts'), WORKER);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, outDir: 'dist', target: 'es2022', module: 'node16', moduleResolution: 'node16', types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] },
      files: [...node.map((_, index) => `readme-${index}.ts`), 'server.ts', 'worker.ts'],
    }));
    tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the tarball holds the wasm, LICENSE, THIRD_PARTY_NOTICES, the docs and every exported file', () => {
    for (const file of ['pkg/jwtguard_bg.wasm', 'pkg/jwtguard.js', 'LICENSE', 'THIRD_PARTY_NOTICES', 'README.md', 'SECURITY.md', 'docs/configuration.md', 'package.json', ...exportedFiles()]) {
      assert.ok(listed.has(file), `${file} is not in the tarball`);
    }
    // Build output and development files stay out.
    for (const file of listed) assert.doesNotMatch(file, /^(src|wasm|tests|target|scripts|www|bench)\//);
  });

  test('the shipped pages stand alone: links resolve inside the tarball, no example.invalid, repository paths said to be the repository\'s', () => {
    const pages = [...listed].filter((file) => file.endsWith('.md'));
    assert.ok(pages.length > 20);
    const shipped = (path) => listed.has(path) || [...listed].some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`));
    const problems = [];
    for (const page of pages) {
      const text = readFileSync(join(ROOT, page), 'utf8');
      if (text.includes('example.invalid')) problems.push(`${page}: example.invalid`);
      for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [path] = target.split('#');
        if (path !== '' && !shipped(normalize(join(dirname(page), decodeURIComponent(path))))) problems.push(`${page}: link ${target} leaves the package`);
      }
      for (const [, quoted] of prose(text).matchAll(/`([^`\s]+)`/g)) {
        const top = quoted.split('/')[0];
        if (!quoted.includes('/') || quoted.startsWith('/') || /[<>*{}…]/.test(quoted) || !existsSync(join(ROOT, quoted.replace(/::.*$/, '').replace(/:\d+$/, '')))) continue;
        if (!shipped(quoted) && !REPOSITORY_ONLY.includes(top)) problems.push(`${page}: \`${quoted}\` is neither shipped nor named as the repository's`);
      }
    }
    assert.deepEqual(problems, []);
    // The README says which folders are the repository's.
    const note = readFileSync(join(ROOT, 'README.md'), 'utf8').match(/Paths under ([^.]+) name files\s+of the source repository/);
    assert.deepEqual([...note[1].matchAll(/`([\w-]+)\/`/g)].map((match) => match[1]), REPOSITORY_ONLY);
  });

  test('installed into a fresh app, the README quick start runs and its Node TypeScript type-checks', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quickStart = readme.slice(readme.indexOf('## Quick start (offline)')).match(/```js\n([\s\S]*?)```/)[1];
    writeFileSync(join(app, 'quickstart.mjs'), quickStart);
    assert.match(execFileSync(process.execPath, ['quickstart.mjs'], { cwd: app, encoding: 'utf8' }), /^verified /);
    const cli = execFileSync(join(app, 'node_modules/.bin/jwtguard'), ['--version'], { encoding: 'utf8' });
    assert.equal(cli, `jwtguard ${PACKAGE.version} (${PACKAGE.name})\n`);

    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  test('a new user\'s day: Express (TypeScript, strict) with fromEnv against a test Entra, a Hono Worker for /mcp, and verify --env', async () => {
    const user = app;
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

    // The stand-in for the tenant, from the installed package's `testing` export.
    const testing = createRequire(join(user, 'package.json')).resolve('@jwtguard/jwtguard/testing');
    assert.ok(testing.startsWith(join(user, 'node_modules')), testing);
    const { createTestIssuer } = await import(pathToFileURL(testing).href);
    const entra = await createTestIssuer({ entra: { tenant: 'aaaabbbb-0000-cccc-1111-dddd2222eeee', version: 2 } });
    const env = { ...entra.env, AZURE_API_APP_ONLY: 'true', JWT_REQUIRED_ROLES: 'Tasks.Read' };
    const tokens = { app: entra.mint({ roles: ['Tasks.Read'] }), delegated: entra.mint({ roles: ['Tasks.Read'], scp: 'Tasks.Read' }) };
    const server = spawn(process.execPath, ['dist/server.js'], { cwd: user, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let mf;
    try {
      const port = await new Promise((resolve, reject) => {
        server.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
        server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
      });
      const express = {};
      for (const [name, token] of Object.entries(tokens)) {
        const response = await fetch(`http://127.0.0.1:${port}/api/whoami`, { headers: { authorization: `Bearer ${token}` } });
        express[name] = [response.status, response.status === 200 ? (await response.json()).client : response.headers.get('www-authenticate')];
      }
      assert.equal(express.app[0], 200);
      assert.match(express.app[1], /^[0-9a-f-]{36}$/);
      assert.equal(express.delegated[0], 401);
      assert.match(express.delegated[1], /error_description="ERR_CLAIM_INVALID: 'scp' must be absent"/);

      // The command line, as docs/configuration.md writes it, gives the server's verdict.
      writeFileSync(join(user, '.env'), Object.entries(env).map(([name, value]) => `${name}=${value}`).join('\n'));
      // Asynchronously: the stand-in serves its keys from this process.
      const cli = (token) => new Promise((resolve) => {
        execFile(join(user, 'node_modules/.bin/jwtguard'), ['verify', '--env', '--env-file', '.env', token], { cwd: user, env: { PATH: process.env.PATH } },
          (error, stdout, stderr) => resolve({ status: error ? error.code : 0, stdout, stderr }));
      });
      const valid = await cli(tokens.app);
      assert.deepEqual([valid.status, valid.stdout.split('\n')[0].slice(0, 6)], [0, 'valid:'], valid.stderr);
      const refused = await cli(tokens.delegated);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /^rejected: ERR_CLAIM_INVALID: claim is invalid: "scp" must be absent/);

      // The Worker, bundled as wrangler bundles it, in workerd: RFC 9728 for /mcp, the same verdicts.
      const bundle = await build({
        entryPoints: [join(user, 'worker.ts')], bundle: true, format: 'esm', platform: 'neutral', write: false, logLevel: 'error',
        conditions: ['workerd', 'worker', 'browser'], mainFields: ['module', 'main'],
        plugins: [{ name: 'wasm', setup: (b) => b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path.split('/').pop(), external: true })) }],
      });
      mf = new Miniflare({
        compatibilityDate: '2025-09-01',
        modules: [
          { type: 'ESModule', path: 'worker.js', contents: bundle.outputFiles[0].text },
          { type: 'CompiledWasm', path: 'jwtguard_bg.wasm', contents: readFileSync(join(user, 'node_modules/@jwtguard/jwtguard/pkg/jwtguard_bg.wasm')) },
        ],
        bindings: env,
      });
      const metadata = await mf.dispatchFetch('https://mcp.test/.well-known/oauth-protected-resource/mcp');
      assert.equal(metadata.status, 200);
      const document = await metadata.json();
      assert.deepEqual([document.resource, document.authorization_servers], ['https://mcp.test/mcp', [entra.issuer]]);
      const challenge = await mf.dispatchFetch('https://mcp.test/mcp', { method: 'POST' });
      assert.equal(challenge.status, 401);
      assert.match(challenge.headers.get('www-authenticate'), /resource_metadata="https:\/\/mcp\.test\/\.well-known\/oauth-protected-resource\/mcp"/);
      const call = (token) => mf.dispatchFetch('https://mcp.test/mcp', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      assert.equal((await call(tokens.app)).status, 200);
      assert.equal((await call(tokens.delegated)).status, 401);
    } finally {
      server.kill();
      await mf?.dispose();
      await entra.close();
    }
  });
});

/** The new user's Express API: the README's quick start, configured from the environment. */
const SERVER = `import express from 'express';
import { fromEnv } from '@jwtguard/jwtguard';
import { jwtAuth } from '@jwtguard/jwtguard/express';

const app = express();
app.use('/api', jwtAuth(fromEnv(process.env), { origin: 'http://127.0.0.1' }));
app.get('/api/whoami', (req, res) => {
  res.json({ client: req.auth.claims.azp });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(typeof address === 'object' && address ? address.port : '');
});
`;

/** The new user's MCP endpoint on a Worker with Hono, configured from its env, with RFC 9728 metadata. */
const WORKER = `import { Hono } from 'hono';
import { fromEnv } from '@jwtguard/jwtguard';
import { jwtAuth } from '@jwtguard/jwtguard/hono';

type Env = Record<string, string>;
const app = new Hono<{ Bindings: Env }>();
app.use('*', jwtAuth<Env>((env) => fromEnv(env), { resourceMetadata: { resource: '/mcp' } }));
app.post('/mcp', (c) => c.json({ jsonrpc: '2.0', id: 1, result: { client: c.get('auth').claims.azp } }));
export default app;
`;

test('prepack fails clearly when the wasm is missing and cannot be built', () => {
  const copy = mkdtempSync(join(tmpdir(), 'jwtguard-prepack-'));
  try {
    // No pkg/, no crate to build, and a PATH with only the shell's tools:
    // the build fails at once, as it would without a Rust toolchain.
    for (const part of ['package.json', 'scripts']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    const bin = join(copy, 'bin');
    mkdirSync(bin);
    for (const tool of ['bash', 'dirname', 'find']) symlinkSync(execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
    const result = spawnSync(join(bin, 'bash'), ['scripts/prepack.sh'], { cwd: copy, encoding: 'utf8', env: { PATH: bin, HOME: copy } });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /prepack: building the wasm \(pkg\/\S+ is missing\)/);
    assert.match(result.stderr, /prepack: the release wasm could not be built, and the package cannot ship without it/);
    assert.match(result.stderr, /run 'make build'/);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
