// The command line's strict-by-default flags: --tenant-allow for template
// issuers, any-of roles, a policy array for several issuers, and bound
// tokens checked with --dpop / --client-cert. Tokens and proofs by jose.
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { run } from '../../js/cli/main.js';
import { AUDIENCE, TENANT, goodClaims, keyPair, sign } from './helpers.mjs';

const CERT_PATH = new URL('../fixtures/cli/client-cert.pem', import.meta.url).pathname;
const TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';
const ENTRA_ISS = `https://login.microsoftonline.com/${TENANT}/v2.0`;

async function cli(args) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdin: [], stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } }, env: {} });
  return { code, stdout, stderr };
}

describe('verify: tenants, any-of roles, several issuers, bound tokens', () => {
  let dir;
  let pair;
  let other;
  let jwksPath;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jwtguard-cli-'));
    [pair, other] = await Promise.all([keyPair('ES256', 'a-key'), keyPair('ES256', 'b-key')]);
    jwksPath = join(dir, 'jwks.json');
    writeFileSync(jwksPath, JSON.stringify({ keys: [pair.jwk] }));
  });

  const base = () => ['verify', '--jwks', jwksPath, '--audience', AUDIENCE];

  test('a {tenantid} issuer needs --tenant-allow; "*" accepts any tenant', async () => {
    const token = await sign(pair, goodClaims({ iss: ENTRA_ISS }));
    const rows = [
      [[], 2, /ERR_POLICY_INVALID.*tenants/s],
      [['--tenant-allow', '*'], 0, /valid/],
      [['--tenant-allow', TENANT], 0, /valid/],
      [['--tenant-allow', '00000000-0000-0000-0000-0000000000aa'], 1, /ERR_TENANT_NOT_ALLOWED/],
    ];
    for (const [flags, code, output] of rows) {
      const result = await cli([...base(), '--issuer', TEMPLATE, ...flags, token]);
      assert.equal(result.code, code, `${flags}: ${result.stderr}`);
      assert.match(result.stdout + result.stderr, output);
    }
  });

  test('--require-any-role passes with one of the roles', async () => {
    const token = await sign(pair, goodClaims({ roles: ['guest'] }));
    const iss = goodClaims().iss;
    assert.equal((await cli([...base(), '--issuer', iss, '--require-any-role', 'archivist_administrator', '--require-any-role', 'guest', token])).code, 0);
    const refused = await cli([...base(), '--issuer', iss, '--require-any-role', 'archivist_administrator', token]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /ERR_ROLE_MISSING/);
  });

  test('a --policy array checks each issuer with its own keys', async () => {
    const otherJwks = join(dir, 'other.json');
    writeFileSync(otherJwks, JSON.stringify({ keys: [other.jwk] }));
    const policy = join(dir, 'issuers.json');
    writeFileSync(policy, JSON.stringify([
      { issuer: 'https://a.test', audience: AUDIENCE, keys: jwksPath },
      { issuer: 'https://b.test', audience: AUDIENCE, keys: otherJwks },
    ]));
    const rows = [
      [pair, 'https://a.test', 0],
      [other, 'https://b.test', 0],
      [pair, 'https://b.test', 1],
      [pair, 'https://c.test', 1],
    ];
    for (const [signer, iss, code] of rows) {
      const result = await cli(['verify', '--policy', policy, await sign(signer, goodClaims({ iss }))]);
      assert.equal(result.code, code, `${iss}: ${result.stderr}`);
    }
    assert.equal((await cli(['verify', '--policy', policy, '--jwks', jwksPath, 'x.y.z'])).code, 2);
  });

  test('--dpop with --method and --url, and --client-cert, check bound tokens', async () => {
    const key = await generateKeyPair('ES256');
    const jwk = await exportJWK(key.publicKey);
    const iss = goodClaims().iss;
    const token = await sign(pair, goodClaims({ cnf: { jkt: await calculateJwkThumbprint(jwk) } }));
    const proof = await new SignJWT({
      htm: 'POST', htu: 'https://api.test/tasks', iat: Math.floor(Date.now() / 1000), jti: 'cli-1',
      ath: createHash('sha256').update(token).digest('base64url'),
    }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk }).sign(key.privateKey);
    const ok = await cli([...base(), '--issuer', iss, '--dpop', proof, '--method', 'POST', '--url', 'https://api.test/tasks', token]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /bound to {2}the DPoP key/);
    const plain = await cli([...base(), '--issuer', iss, token]);
    assert.equal(plain.code, 1);
    assert.match(plain.stderr, /ERR_TOKEN_BOUND/);
    const wrongMethod = await cli([...base(), '--issuer', iss, '--dpop', proof, '--method', 'GET', '--url', 'https://api.test/tasks', token]);
    assert.match(wrongMethod.stderr, /ERR_DPOP_INVALID/);
    assert.equal((await cli([...base(), '--issuer', iss, '--dpop', proof, token])).code, 2);
    const inspected = await cli(['inspect', token]);
    assert.match(inspected.stdout, /binding: Bound to a DPoP key .*Authorization: DPoP/);

    const der = new X509Certificate(readFileSync(CERT_PATH)).raw;
    const bound = await sign(pair, goodClaims({ cnf: { 'x5t#S256': createHash('sha256').update(der).digest('base64url') } }));
    const withCert = await cli([...base(), '--issuer', iss, '--client-cert', CERT_PATH, bound]);
    assert.equal(withCert.code, 0, withCert.stderr);
    assert.match(withCert.stdout, /bound to {2}the client certificate/);
    assert.equal((await cli([...base(), '--issuer', iss, bound])).code, 1);
  });
});
