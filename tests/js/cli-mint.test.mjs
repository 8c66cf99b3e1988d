// jwtguard mint: a test token from a local stand-in, its key set written to
// a file or served on 127.0.0.1; it refuses to run unless told it is a test
// (--test) or serving on a loopback URL. Its tokens are checked by jose too,
// and by `jwtguard verify` with the Entra rules.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { run } from '../../js/cli/main.js';

const TENANT = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const API = '00001111-aaaa-2222-bbbb-3333cccc4444';
const BIN = new URL('../../js/cli/bin.js', import.meta.url).pathname;

async function cli(args) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdin: Readable.from([]), stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } }, env: {} });
  return { code, stdout, stderr };
}

test('mint refuses to run unless it is a test or serves on loopback', async () => {
  for (const args of [[], ['--entra-tenant', TENANT], ['--serve', 'http://0.0.0.0:8080'], ['--test', '--serve', 'https://login.example.com:443'], ['--serve', 'http://127.0.0.1']]) {
    const { code, stderr } = await cli(['mint', ...args]);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, /--test|loopback/);
  }
  // Mistakes in the stand-in's options are usage errors too.
  assert.equal((await cli(['mint', '--test', '--entra-tenant', 'contoso'])).code, 2);
  assert.equal((await cli(['mint', '--test', '--issuer', 'https://idp.test'])).code, 2);
});

test('mint --test with a kept key and a written key set: verify applies the Entra rules to its tokens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwtguard-mint-'));
  const [key, jwks] = [join(dir, 'key.json'), join(dir, 'jwks.json')];
  const mint = async (...claims) => {
    const { code, stdout, stderr } = await cli(['mint', '--test', '--entra-tenant', TENANT, '--client-id', API, '--key', key, '--jwks-out', jwks, ...claims.flatMap((c) => ['--claim', c])]);
    assert.equal(code, 0, stderr);
    return stdout.trim();
  };
  const app = await mint('roles=["Tasks.Read"]');
  const delegated = await mint('roles=["Tasks.Read"]', 'scp=Tasks.Read');
  // One key across mints: the second run read the first one's key file.
  assert.equal(JSON.parse(readFileSync(jwks, 'utf8')).keys.length, 1);
  const { payload, protectedHeader } = await jwtVerify(app, createLocalJWKSet(JSON.parse(readFileSync(jwks, 'utf8'))), { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, audience: API });
  assert.deepEqual([payload.roles, payload.tid, protectedHeader.alg], [['Tasks.Read'], TENANT, 'RS256']);
  const verify = (token) => cli(['verify', token, '--entra-tenant', TENANT, '--client-id', API, '--token-version', '2', '--app-only', '--jwks', jwks]);
  assert.equal((await verify(app)).code, 0);
  const refused = await verify(delegated);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /ERR_CLAIM_INVALID/);
});

test('mint --serve serves the key set on 127.0.0.1 until stopped', async () => {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(process.execPath, [BIN, 'mint', '--serve', `http://127.0.0.1:${port}`, '--issuer', 'https://idp.test', '--audience', 'api://orders'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const token = await new Promise((resolve, reject) => {
      child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
      child.once('exit', (code) => reject(new Error(`mint exited with ${code}`)));
    });
    const keys = await (await fetch(`http://127.0.0.1:${port}/keys`)).json();
    const { payload } = await jwtVerify(token, createLocalJWKSet(keys), { issuer: 'https://idp.test', audience: 'api://orders' });
    assert.equal(payload.iss, 'https://idp.test');
    const metadata = await (await fetch(`http://127.0.0.1:${port}/.well-known/openid-configuration`)).json();
    assert.deepEqual(metadata, { issuer: 'https://idp.test', jwks_uri: `http://127.0.0.1:${port}/keys` });
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await new Promise((resolve) => (child.exitCode !== null ? resolve([child.exitCode]) : child.once('exit', (...args) => resolve(args))));
  assert.equal(code, 0);
});
