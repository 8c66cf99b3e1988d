// The command line against a local token endpoint that answers like Entra ID
// (the response shapes Entra ID documents for the client-credentials grant), and as a real
// process for exit codes and standard input.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { run } from '../../js/cli/main.js';
import { keyPair, sign } from './helpers.mjs';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const SECRET = 'test~secret~value~0123456789';
const API = 'api://00001111-aaaa-2222-bbbb-3333cccc4444';
const CERT = readFileSync(new URL('../fixtures/cli/client-cert.pem', import.meta.url), 'utf8');
const CERT_PATH = new URL('../fixtures/cli/client-cert.pem', import.meta.url).pathname;
const KEY_PATH = new URL('../fixtures/cli/client-key.pem', import.meta.url).pathname;

let server;
let base;
let issuerKey;
let jwksPath;
const seen = [];

/** What the local endpoint checks in each request, and what it answers. */
async function tokenEndpoint(request, body) {
  const url = new URL(request.url, base);
  const [, tenant, , version] = url.pathname.split('/');
  const v2 = version === 'v2.0';
  const form = new URLSearchParams(body);
  const record = { path: url.pathname, form: Object.fromEntries(form), authorization: request.headers.authorization ?? null };
  seen.push(record);
  const fail = (status, error, code, text) => [status, {
    error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: 0000\r\nCorrelation ID: 0000\r\nTimestamp: 2026-11-22 00:00:00Z`,
    error_codes: [code],
  }];
  if (form.get('grant_type') !== 'client_credentials') return fail(400, 'unsupported_grant_type', 70003, 'The grant is not supported.');
  let clientId = form.get('client_id');
  if (request.headers.authorization?.startsWith('Basic ')) {
    const [user, password] = Buffer.from(request.headers.authorization.slice(6), 'base64').toString().split(':').map(decodeURIComponent);
    clientId = user;
    if (password !== SECRET) return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  } else if (form.has('client_assertion')) {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return fail(400, 'invalid_request', 900144, 'bad assertion type');
    const assertion = form.get('client_assertion');
    const header = decodeProtectedHeader(assertion);
    record.assertionHeader = header;
    const thumbprint = createHash('sha256').update(new X509Certificate(CERT).raw).digest('base64url');
    if (header['x5t#S256'] !== thumbprint) return fail(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
    const { payload } = await jwtVerify(assertion, await importX509(CERT, header.alg), {
      audience: new URL(url.pathname, base).href,
      issuer: clientId,
      subject: clientId,
      algorithms: ['PS256', 'RS256'],
    });
    record.assertionClaims = payload;
  } else if (form.get('client_secret') !== SECRET) {
    return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
  }
  if (clientId !== CLIENT_ID) return fail(400, 'unauthorized_client', 700016, 'Application not found in the directory.');
  const resource = v2 ? form.get('scope')?.replace(/\/\.default$/, '') : form.get('resource');
  const now = Math.floor(Date.now() / 1000);
  const claims = v2
    ? { aud: resource, iss: `https://login.microsoftonline.com/${tenant}/v2.0`, azp: clientId, azpacr: '1', idtyp: 'app', roles: ['Tasks.Read'], tid: tenant, ver: '2.0' }
    : { aud: resource, iss: `https://sts.windows.net/${tenant}/`, appid: clientId, appidacr: '1', idtyp: 'app', roles: ['Tasks.Read'], tid: tenant, ver: '1.0' };
  const token = await sign(issuerKey, { ...claims, sub: 'sp-object-id', iat: now, nbf: now, exp: now + 3599 }, { typ: 'JWT' });
  return [200, v2
    ? { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token }
    : { token_type: 'Bearer', expires_in: '3599', expires_on: String(now + 3599), not_before: String(now), resource, access_token: token }];
}

before(async () => {
  issuerKey = await keyPair('RS256', 'entra-key-1');
  const dir = mkdtempSync(join(tmpdir(), 'jwtguard-cli-'));
  jwksPath = join(dir, 'jwks.json');
  writeFileSync(jwksPath, JSON.stringify({ keys: [issuerKey.jwk] }));
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', async () => {
      if (request.url.startsWith('/silent/')) return; // never answers: the timeout case
      if (request.url.startsWith('/huge/')) {
        // Over the CLI's 256 KiB cap on a token response, without a content-length.
        response.writeHead(200, { 'content-type': 'application/json' });
        return response.end(JSON.stringify({ access_token: 'x'.repeat(300 * 1024) }));
      }
      const [status, json] = await tokenEndpoint(request, body).catch((error) => [401, { error: 'invalid_client', error_description: `AADSTS700027: ${error.message}` }]);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.closeAllConnections() || server.close());

/** Sends Entra's hosts to the local server: metadata and keys as Entra serves them (v1, no per-key issuer). */
async function entraFetch(url, init) {
  const target = new URL(url);
  if (target.origin !== 'https://login.microsoftonline.com') return fetch(url, init);
  if (target.pathname === `/${TENANT}/.well-known/openid-configuration`) {
    return Response.json({ issuer: `https://sts.windows.net/${TENANT}/`, jwks_uri: 'https://login.microsoftonline.com/common/discovery/keys' });
  }
  if (target.pathname === '/common/.well-known/openid-configuration') {
    return Response.json({ issuer: 'https://sts.windows.net/{tenantid}/', jwks_uri: 'https://login.microsoftonline.com/common/discovery/keys' });
  }
  if (target.pathname === '/common/discovery/keys') {
    const { alg, ...jwk } = issuerKey.jwk;
    return Response.json({ keys: [{ ...jwk, x5t: issuerKey.kid }] });
  }
  return fetch(`${base}${target.pathname}`, init);
}

async function cli(args, { env = {}, stdin = '' } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    fetch: entraFetch,
    stdin: [Buffer.from(stdin)],
    stdout: { write: (s) => { stdout += s; } },
    stderr: { write: (s) => { stderr += s; } },
    env,
  });
  return { code, stdout, stderr };
}

const entra = (...extra) => ['token', '--tenant', TENANT, '--authority', base, '--client-id', CLIENT_ID, ...extra];

describe('token', () => {
  test('client secret in the form body (v2 scope)', async () => {
    const { code, stdout, stderr } = await cli(entra('--client-secret', SECRET, '--scope', `${API}/.default`));
    assert.equal(code, 0, stderr);
    assert.match(stdout.trim(), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const request = seen.at(-1);
    assert.equal(request.path, `/${TENANT}/oauth2/v2.0/token`);
    assert.deepEqual(request.form, { grant_type: 'client_credentials', scope: `${API}/.default`, client_id: CLIENT_ID, client_secret: SECRET });
  });

  test('client secret with HTTP Basic, from the environment (v1 resource)', async () => {
    const { code, stderr } = await cli(entra('--secret-auth', 'basic', '--resource', API), { env: { AZURE_CLIENT_SECRET: SECRET } });
    assert.equal(code, 0, stderr);
    const request = seen.at(-1);
    assert.equal(request.path, `/${TENANT}/oauth2/token`);
    assert.equal(request.form.client_secret, undefined);
    assert.equal(request.authorization, `Basic ${Buffer.from(`${CLIENT_ID}:${encodeURIComponent(SECRET)}`).toString('base64')}`);
  });

  for (const alg of ['PS256', 'RS256']) {
    test(`certificate: a ${alg} client assertion the endpoint verifies`, async () => {
      const { code, stderr } = await cli(entra('--certificate', CERT_PATH, '--key', KEY_PATH, '--assertion-alg', alg, '--scope', `${API}/.default`));
      assert.equal(code, 0, stderr);
      const { assertionHeader, assertionClaims, form } = seen.at(-1);
      assert.equal(assertionHeader.alg, alg);
      assert.equal(assertionHeader.typ, 'JWT');
      assert.equal(form.client_secret, undefined);
      assert.equal(assertionClaims.iss, CLIENT_ID);
      assert.equal(assertionClaims.sub, CLIENT_ID);
      assert.match(assertionClaims.jti, /^[0-9a-f-]{36}$/);
      assert.ok(assertionClaims.exp - assertionClaims.iat <= 600, 'a short-lived assertion');
    });
  }

  test('--verify checks the new token with the inferred audience', async () => {
    const { code, stdout, stderr } = await cli(entra('--client-secret', SECRET, '--scope', `${API}/.default`, '--verify', '--jwks', jwksPath, '--issuer', `https://login.microsoftonline.com/${TENANT}/v2.0`, '--require-role', 'Tasks.Read'));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^valid: signature verified \(RS256, kid entra-key-1\)/);
    assert.match(stdout, new RegExp(`audience  "${API}"`));
    assert.match(stdout, /client {4}aaaabbbb-0000-cccc-1111-dddd2222eeee/);
  });

  test('--verify with --tenant checks the token against the tenant\'s issuer and keys', async () => {
    for (const target of [['--scope', `${API}/.default`], ['--resource', API]]) {
      const { code, stdout, stderr } = await cli(['token', '--tenant', TENANT, '--client-id', CLIENT_ID, '--client-secret', SECRET, ...target, '--verify', '--require-role', 'Tasks.Read']);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^valid: signature verified \(RS256, kid entra-key-1\)/);
    }
    const missing = await cli(['token', '--tenant', TENANT, '--client-id', CLIENT_ID, '--client-secret', SECRET, '--scope', `${API}/.default`, '--verify', '--require-role', 'Tasks.Admin']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^rejected: ERR_ROLE_MISSING: /);
  });

  test('verify --entra-tenant --client-id: the Entra preset from the command line', async () => {
    const now = Math.floor(Date.now() / 1000);
    const v2 = { aud: API.replace('api://', ''), iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, azp: CLIENT_ID, tid: TENANT, roles: ['Tasks.Read'], iat: now, exp: now + 600 };
    const flags = ['--entra-tenant', TENANT, '--client-id', API.replace('api://', '')];
    const ok = await cli(['verify', await sign(issuerKey, v2), ...flags, '--allow-client', CLIENT_ID]);
    assert.equal(ok.code, 0, ok.stderr);
    const other = '00000000-0000-0000-0000-000000000001';
    const otherTenant = await cli(['verify', await sign(issuerKey, { ...v2, tid: other, iss: `https://login.microsoftonline.com/${other}/v2.0` }), ...flags]);
    assert.equal(otherTenant.code, 1);
    assert.match(otherTenant.stderr, /ERR_ISSUER_INVALID/);
    const mismatched = await cli(['verify', await sign(issuerKey, { ...v2, tid: other }), ...flags]);
    assert.match(mismatched.stderr, /ERR_TENANT_NOT_ALLOWED/);
    const otherClient = await cli(['verify', await sign(issuerKey, v2), ...flags, '--allow-client', 'someone-else']);
    assert.match(otherClient.stderr, /ERR_CLIENT_NOT_ALLOWED/);
  });

  test('--verify rejects a v1 token under a v2-only issuer', async () => {
    const { code, stderr } = await cli(entra('--client-secret', SECRET, '--resource', API, '--verify', '--jwks', jwksPath, '--issuer', `https://login.microsoftonline.com/${TENANT}/v2.0`));
    assert.equal(code, 1);
    assert.match(stderr, /^rejected: ERR_ISSUER_INVALID: /);
  });

  test('endpoint errors are shown with the AADSTS code, and secrets never printed', async () => {
    const wrong = 'wrong~secret~that~must~not~print';
    const { code, stdout, stderr } = await cli(entra('--client-secret', wrong, '--scope', `${API}/.default`));
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /the token endpoint refused: invalid_client/);
    assert.match(stderr, /AADSTS7000215: Invalid client secret provided\./);
    assert.match(stderr, /Entra error AADSTS7000215/);
    assert.ok(!stderr.includes(wrong) && !stderr.includes(SECRET));
  });

  test('an unreachable endpoint and a silent one are named', async () => {
    const closed = createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await cli(['token', '--token-endpoint', `http://127.0.0.1:${port}/token`, '--client-id', CLIENT_ID, '--client-secret', SECRET]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    const silent = await cli(['token', '--token-endpoint', `${base}/silent/token`, '--client-id', CLIENT_ID, '--client-secret', SECRET, '--timeout', '0.3']);
    assert.equal(silent.code, 1);
    assert.match(silent.stderr, /no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.3 s \(--timeout\)/);
  });

  test('an oversized token response is refused, read no further than the cap', async () => {
    const huge = await cli(['token', '--token-endpoint', `${base}/huge/token`, '--client-id', CLIENT_ID, '--client-secret', SECRET]);
    assert.equal(huge.code, 1);
    assert.match(huge.stderr, /the token endpoint sent more than 262144 bytes/);
  });

  const usage = [
    [['token', '--tenant', TENANT, '--client-secret', SECRET, '--scope', 'x'], /give --client-id/],
    [['token', '--tenant', 'common', '--client-id', CLIENT_ID, '--client-secret', SECRET, '--scope', 'x'], /not common or consumers/],
    [['token', '--tenant', TENANT, '--client-id', CLIENT_ID, '--client-secret', SECRET], /give --scope/],
    [['token', '--tenant', TENANT, '--client-id', CLIENT_ID, '--scope', 'x'], /give --client-secret/],
    [['token', '--token-endpoint', 'http://idp.example/token', '--client-id', CLIENT_ID, '--client-secret', SECRET], /token endpoint must use https/],
    [['token', '--tenant', TENANT, '--client-id', CLIENT_ID, '--client-secret', SECRET, '--certificate', CERT_PATH, '--scope', 'x'], /not both/],
    [['token', '--tenant', TENANT, '--client-id', CLIENT_ID, '--certificate', CERT_PATH, '--key', CERT_PATH, '--scope', 'x'], /--key is not a PEM private key/],
    [['token', '--tenant', TENANT, '--client-id', CLIENT_ID, '--certificate', '/nonexistent.pem', '--key', KEY_PATH, '--scope', 'x'], /--certificate: cannot read "\/nonexistent\.pem" \(ENOENT\)/],
    [['verify', 'a.b.c', '--issuer', 'i', '--audience', 'a'], /give one of --jwks <file\|url>, --discovery <url> or --entra-tenant <tenant>/],
    [['verify', 'a.b.c', '--entra-tenant', TENANT, '--issuer', 'i', '--client-id', 'x'], /--entra-tenant sets the issuer/],
    [['verify', 'a.b.c', '--jwks', CERT_PATH, '--policy', CERT_PATH], /--policy: .* is not valid JSON/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['inspect', '--nope'], /Unknown option '--nope'/],
  ];
  for (const [args, message] of usage) {
    test(`usage error: ${args.join(' ').slice(0, 70)}`, async () => {
      const { code, stderr } = await cli(args);
      assert.equal(code, 2);
      assert.match(stderr, message);
      assert.ok(!stderr.includes(SECRET));
    });
  }
});

describe('verify: several issuers, explicit tenants, the Entra permission', () => {
  const OTHER = '00000000-0000-0000-0000-000000000001';
  const ISSUER_B = 'https://issuer-b.test';
  const TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';
  const CLIENT_API = API.replace('api://', '');
  let dir;
  let otherKey;
  const now = () => Math.floor(Date.now() / 1000);
  const v2 = (extra = {}) => ({ aud: CLIENT_API, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, azp: CLIENT_ID, tid: TENANT, roles: ['Tasks.Read'], iat: now(), exp: now() + 600, ...extra });
  const b = (extra = {}) => ({ iss: ISSUER_B, aud: 'api://b', roles: ['Tasks.Read'], iat: now(), exp: now() + 600, ...extra });
  /** Writes `value` as JSON into the test directory; returns its path. */
  const file = (name, value) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  before(async () => {
    otherKey = await keyPair('ES256', 'b-key');
    dir = mkdtempSync(join(tmpdir(), 'jwtguard-cli-issuers-'));
    file('b-keys.json', { keys: [otherKey.jwk] });
  });

  // [name, token, the --policy array (made when the row runs), extra args, expected exit code, stdout or stderr pattern]
  const ENTRA_V2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;
  const entraEntry = (extra = {}) => ({ issuer: ENTRA_V2, audience: CLIENT_API, keys: jwksPath, ...extra });
  const bEntry = (extra = {}) => ({ issuer: ISSUER_B, audience: 'api://b', keys: join(dir, 'b-keys.json'), ...extra });
  const arrays = [
    ['the first issuer\'s token', () => sign(issuerKey, v2()), () => [entraEntry(), bEntry()], [], 0, /^valid: .*\n {2}issuer {4}https:\/\/login\.microsoftonline\.com\/72f988bf/],
    ['the second issuer\'s token, with its own keys', () => sign(otherKey, b()), () => [entraEntry(), bEntry()], [], 0, /^valid: signature verified \(ES256, kid b-key\)/],
    ['the first issuer\'s key presented with the second\'s iss: that issuer\'s keys only', () => sign(issuerKey, b()), () => [entraEntry(), bEntry()], [], 1, /^rejected: ERR_KEY_NOT_FOUND: /],
    ['an issuer no entry names', () => sign(otherKey, b({ iss: 'https://issuer-c.test' })), () => [bEntry()], [], 1, /^rejected: ERR_ISSUER_INVALID: .*"https:\/\/issuer-c\.test" is not one of the configured issuers/],
    ['policy flags add to every entry (--require-role)', () => sign(otherKey, b()), () => [entraEntry(), bEntry()], ['--require-role', 'Tasks.Write'], 1, /^rejected: ERR_ROLE_MISSING: /],
    ['policy flags add to every entry (--tenant-allow for a {tenantid} entry)', () => sign(issuerKey, v2()), () => [entraEntry({ issuer: TEMPLATE }), bEntry()], ['--tenant-allow', TENANT], 0, /^valid: /],
    ['a {tenantid} entry without tenants', () => sign(issuerKey, v2()), () => [entraEntry({ issuer: TEMPLATE }), bEntry()], [], 2, /^jwtguard: ERR_POLICY_INVALID: .*tenants: "\*"/],
    ['two entries with one issuer', () => sign(otherKey, b()), () => [bEntry(), bEntry({ audience: 'api://c' })], [], 2, /^jwtguard: ERR_POLICY_INVALID: .*both accept issuer/],
    ['a template entry beside its concrete tenant', () => sign(otherKey, b()), () => [entraEntry({ issuer: TEMPLATE, tenants: '*' }), entraEntry()], [], 2, /^jwtguard: ERR_POLICY_INVALID: .*both accept issuer/],
    ['an entry without keys', () => sign(otherKey, b()), () => [{ issuer: ISSUER_B, audience: 'api://b' }], [], 2, /--policy\[0\] must be an object with "keys"/],
    ['a non-object entry', () => sign(otherKey, b()), () => [bEntry(), 'https://issuer-b.test'], [], 2, /--policy\[1\] must be an object with "keys"/],
    ['an empty array', () => sign(otherKey, b()), () => [], [], 2, /the --policy array is empty/],
    ['a key flag with an array', () => sign(otherKey, b()), () => [bEntry()], ['--jwks', 'never-read.json'], 2, /each policy names its own "keys"; do not give --jwks/],
    ['--issuer with an array (it would be dropped)', () => sign(otherKey, b()), () => [bEntry()], ['--issuer', ISSUER_B], 2, /each policy names its own issuer; do not give --issuer/],
    ['--client-id with an array', () => sign(otherKey, b()), () => [bEntry()], ['--client-id', CLIENT_API], 2, /do not give --client-id/],
  ];
  for (const [name, token, policy, args, code, pattern] of arrays) {
    test(`--policy array: ${name}`, async () => {
      const policyPath = file(`policy-${name.replace(/\W+/g, '-')}.json`, policy());
      const result = await cli(['verify', await token(), '--policy', policyPath, ...args]);
      assert.equal(result.code, code, result.stderr || result.stdout);
      assert.match(code === 0 ? result.stdout : result.stderr, pattern);
    });
  }

  // [name, token, args, expected code, stderr pattern (null: valid)]; tokens
  // and args are made when the row runs, after the keys exist.
  const templateFlags = () => ['--jwks', jwksPath, '--issuer', TEMPLATE, '--audience', CLIENT_API];
  const otherToken = () => sign(issuerKey, v2({ iss: `https://login.microsoftonline.com/${OTHER}/v2.0`, tid: OTHER }));
  const entraFlags = (tenant, ...extra) => () => ['--entra-tenant', tenant, '--client-id', CLIENT_API, ...extra];
  const tenants = [
    ['a {tenantid} issuer without --tenant-allow', otherToken, templateFlags, 2, /^jwtguard: ERR_POLICY_INVALID: .*tenants: \["<guid>", \.\.\.\].*tenants: "\*"/],
    ['a {tenantid} issuer, the token\'s tenant allowed', otherToken, () => [...templateFlags(), '--tenant-allow', TENANT, '--tenant-allow', OTHER], 0, null],
    ['a {tenantid} issuer, another tenant allowed', otherToken, () => [...templateFlags(), '--tenant-allow', TENANT], 1, /^rejected: ERR_TENANT_NOT_ALLOWED: /],
    ['a {tenantid} issuer, any tenant written out', otherToken, () => [...templateFlags(), '--tenant-allow', '*'], 0, null],
    ['* among GUIDs', otherToken, () => [...templateFlags(), '--tenant-allow', '*', '--tenant-allow', OTHER], 2, /^jwtguard: ERR_POLICY_INVALID: /],
    ['--entra-tenant organizations without --tenant-allow', otherToken, entraFlags('organizations'), 2, /^jwtguard: ERR_POLICY_INVALID: policy is invalid: tenants is required with tenant "organizations": any Entra tenant's admin/],
    ['--entra-tenant common with --tenant-allow *', otherToken, entraFlags('common', '--tenant-allow', '*'), 0, null],
    ['--entra-tenant common with the tenant allowed', otherToken, entraFlags('common', '--tenant-allow', OTHER), 0, null],
    ['--entra-tenant common, the tenant not allowed', otherToken, entraFlags('common', '--tenant-allow', TENANT), 1, /^rejected: ERR_TENANT_NOT_ALLOWED: /],
    ['--tenant-allow with a single-tenant --entra-tenant', otherToken, entraFlags(TENANT, '--tenant-allow', OTHER), 2, /^jwtguard: ERR_POLICY_INVALID: .*tenants is an allow-list/],
    // The Entra preset requires a permission: roles or scp, unless clients are listed.
    ['Entra preset, a token with neither roles nor scp', () => sign(issuerKey, v2({ roles: undefined })), entraFlags(TENANT), 1, /^rejected: ERR_PERMISSION_MISSING: /],
    ['Entra preset, a token with scp only', () => sign(issuerKey, v2({ roles: undefined, scp: 'Tasks.Read' })), entraFlags(TENANT), 0, null],
    ['Entra preset, no permission but callers allowed by client', () => sign(issuerKey, v2({ roles: undefined })), entraFlags(TENANT, '--allow-client', CLIENT_ID), 0, null],
  ];
  for (const [name, token, args, code, pattern] of tenants) {
    test(`--tenant-allow and the Entra permission: ${name}`, async () => {
      const result = await cli(['verify', await token(), ...args()]);
      assert.equal(result.code, code, result.stderr);
      if (pattern) assert.match(result.stderr, pattern);
      else assert.match(result.stdout, /^valid: /);
    });
  }

  // [name, token, args, expected code, stderr pattern (null: valid)]
  const stepUp = [
    ['--acr accepts the token\'s acr', () => sign(issuerKey, v2({ acr: 'urn:mfa' })), entraFlags(TENANT, '--acr', 'urn:pwd', '--acr', 'urn:mfa'), 0, null],
    ['--acr refuses another', () => sign(issuerKey, v2({ acr: 'urn:pwd' })), entraFlags(TENANT, '--acr', 'urn:mfa'), 1, /^rejected: ERR_AUTH_LEVEL_INSUFFICIENT: /],
    ['--max-auth-age accepts a recent sign-in', () => sign(issuerKey, v2({ auth_time: now() - 100 })), entraFlags(TENANT, '--max-auth-age', '300'), 0, null],
    ['--max-auth-age refuses an old one', () => sign(issuerKey, v2({ auth_time: now() - 1000 })), entraFlags(TENANT, '--max-auth-age', '300'), 1, /^rejected: ERR_AUTH_TOO_OLD: /],
    ['--max-auth-age is whole seconds', () => sign(issuerKey, v2()), entraFlags(TENANT, '--max-auth-age', '5m'), 2, /^jwtguard: ERR_POLICY_INVALID: .*--max-auth-age must be a whole number of seconds/],
    ['--auth-context needs every id in acrs', () => sign(issuerKey, v2({ acrs: ['c1'] })), () => [...templateFlags(), '--tenant-allow', '*', '--auth-context', 'c1', '--auth-context', 'c2'], 1, /^rejected: ERR_AUTH_CONTEXT_MISSING: /],
    ['--auth-context met', () => sign(issuerKey, v2({ acrs: ['c2', 'c1'] })), () => [...templateFlags(), '--tenant-allow', '*', '--auth-context', 'c1', '--auth-context', 'c2'], 0, null],
    ['--auth-context is c1 to c99', () => sign(issuerKey, v2()), entraFlags(TENANT, '--auth-context', 'c100'), 2, /^jwtguard: ERR_POLICY_INVALID: .*"c100" is not an authentication context id \(c1 to c99\)/],
  ];
  for (const [name, token, args, code, pattern] of stepUp) {
    test(`step-up flags: ${name}`, async () => {
      const result = await cli(['verify', await token(), ...args()]);
      assert.equal(result.code, code, result.stderr);
      if (pattern) assert.match(result.stderr, pattern);
      else assert.match(result.stdout, /^valid: /);
    });
  }

  test('the help names the policy array and --tenant-allow', async () => {
    const { stdout } = await cli(['--help']);
    assert.match(stdout, /An array of policies, each with its own "keys"[^]*add to every policy of the array/);
    assert.match(stdout, /--tenant-allow <guid\|\*>/);
  });
});

describe('inspect and verify as a process', () => {
  function spawnCli(args, stdin) {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [new URL('../../js/cli/bin.js', import.meta.url).pathname, ...args]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin ?? '');
    });
  }

  test('exit codes 0, 1, 2 and the token from standard input', async () => {
    const token = await sign(issuerKey, { iss: 'https://issuer.test', aud: 'api://x', exp: Math.floor(Date.now() / 1000) + 600 });
    const flags = ['--jwks', jwksPath, '--issuer', 'https://issuer.test'];
    const ok = await spawnCli(['verify', '-', ...flags, '--audience', 'api://x'], `Bearer ${token}\n`);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^valid: /);
    const rejected = await spawnCli(['verify', token, ...flags, '--audience', 'api://y']);
    assert.equal(rejected.code, 1);
    assert.match(rejected.stderr, /^rejected: ERR_AUDIENCE_INVALID: audience \(aud\) is not accepted/);
    const usage = await spawnCli(['verify', token, ...flags]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /give --audience/);
  });

  test('inspect marks the output unverified and shows times', async () => {
    const token = await sign(issuerKey, { iss: 'x', exp: 2_000_000_000 });
    const text = await spawnCli(['inspect', token]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^UNVERIFIED: /);
    assert.match(text.stdout, /exp {8}2000000000 {2}2033-05-18T03:33:20Z \(in \d+ years\)\n {13}\S/);
    assert.match(text.stdout, /iss {8}"x"\n {13}Issuer/);
    assert.match(text.stdout, /kid {8}"entra-key-1"\n {13}\S/);
    const json = JSON.parse((await spawnCli(['inspect', '--json'], token)).stdout);
    assert.equal(json.verified, false);
    assert.equal(json.header.kid, 'entra-key-1');
    const bad = await spawnCli(['inspect', 'not-a-token']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /ERR_TOKEN_MALFORMED/);
  });
});
