// The README's recipes, each as its seed system uses jwtguard: tokens shaped
// like the system's (signed by jose), metadata and keys served through an
// injected fetch, the settings each system's own document uses.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { createVerifier, entraId, fromEnv } from '@jwtguard/jwtguard';
import { run } from '../../../js/cli/main.js';
import { keyPair, nowSeconds, sign } from '../helpers.mjs';
import { fakeFetch, jsonResponse } from './net.mjs';

const TENANT = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const API = '00001111-aaaa-2222-bbbb-3333cccc4444';
const CLIENT = '11112222-bbbb-3333-cccc-4444dddd5555';
const V1 = `https://sts.windows.net/${TENANT}/`;
const V2 = `https://login.microsoftonline.com/${TENANT}/v2.0`;

let key;
const times = () => ({ iat: nowSeconds() - 60, nbf: nowSeconds() - 60, exp: nowSeconds() + 3600 });
/** An Entra-shaped token: no typ at+jwt (Entra writes JWT), RS256, the key's kid. */
const entraToken = (claims, header = {}) => sign(key, { ...times(), ...claims }, { typ: 'JWT', ...header });

/** Entra's metadata and keys for TENANT, v1 and v2, and a B2C policy's. */
function entraFetch() {
  const keys = { keys: [{ ...key.jwk, alg: undefined }] };
  return fakeFetch((url) => {
    if (url === `https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration`) {
      return jsonResponse({ issuer: V1, jwks_uri: `https://login.microsoftonline.com/${TENANT}/discovery/keys` });
    }
    if (url === `https://login.microsoftonline.com/${TENANT}/v2.0/.well-known/openid-configuration`) {
      return jsonResponse({ issuer: V2, jwks_uri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys` });
    }
    if (url === 'https://contosob2c.b2clogin.com/contosob2c.onmicrosoft.com/b2c_1_susi/v2.0/.well-known/openid-configuration') {
      return jsonResponse({ issuer: `https://contosob2c.b2clogin.com/${TENANT}/v2.0/`, jwks_uri: 'https://contosob2c.b2clogin.com/keys' });
    }
    if (url.endsWith('keys')) return jsonResponse(keys);
    return new Response('not found', { status: 404 });
  }).fetch;
}

async function cli(args) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdin: [], stdout: { write: (s) => { stdout += s; } }, stderr: { write: (s) => { stderr += s; } }, env: {}, fetch: entraFetch() });
  return { code, stdout, stderr };
}

describe('recipes', () => {
  before(async () => {
    key = await keyPair('RS256', 'entra-kid');
  });

  test('RKVST (DataTrails): aud https://<fqdn>, the tenant in iss, archivist_administrator or guest', async () => {
    const fqdn = 'https://app.datatrails.example';
    const flags = ['verify', '--entra-tenant', TENANT, '--audience', fqdn, '--require-any-role', 'archivist_administrator', '--require-any-role', 'guest'];
    const rows = [
      [{ aud: fqdn, iss: V1, tid: TENANT, appid: CLIENT, roles: ['guest'] }, 0, /valid/],
      [{ aud: fqdn, iss: V1, tid: TENANT, appid: CLIENT, roles: ['archivist_administrator', 'other'] }, 0, /valid/],
      [{ aud: fqdn, iss: V1, tid: TENANT, appid: CLIENT, roles: ['reader'] }, 1, /ERR_ROLE_MISSING: required role is missing: one role of "archivist_administrator", "guest" is required; the token's roles holds 1 value, none of them accepted/],
      [{ aud: 'https://other.example', iss: V1, tid: TENANT, appid: CLIENT, roles: ['guest'] }, 1, /ERR_AUDIENCE_INVALID/],
    ];
    for (const [claims, code, output] of rows) {
      const result = await cli([...flags, await entraToken(claims)]);
      assert.equal(result.code, code, result.stderr);
      assert.match(result.stdout + result.stderr, output);
    }
    // The same check as a policy, in any host.
    const verifier = createVerifier({ issuer: V1, audience: fqdn, anyRoles: ['archivist_administrator', 'guest'], keys: { keys: [key.jwk] } });
    assert.deepEqual((await verifier.verify(await entraToken(rows[0][0]))).claims.roles, ['guest']);
  });

  test('Kong Konnect: the issuer without its trailing slash is named; appid is the consumer; a Graph token is foreign', async () => {
    const token = await entraToken({ aud: `api://${API}`, iss: V1, tid: TENANT, appid: CLIENT, roles: ['Orders.Read'], ver: '1.0' });
    const keys = { keys: [key.jwk] };
    const asGuided = createVerifier({ issuer: `https://sts.windows.net/${TENANT}`, audience: `api://${API}`, keys });
    await assert.rejects(asGuided.verify(token), (error) => {
      assert.equal(error.code, 'ERR_ISSUER_INVALID');
      assert.match(error.message, new RegExp(`the accepted issuer "https://sts.windows.net/${TENANT}" differs only by a trailing slash`));
      return true;
    });
    const fixed = createVerifier({ issuer: V1, audience: `api://${API}`, clients: [CLIENT], keys });
    assert.equal((await fixed.verify(token)).claims.appid, CLIENT);
    // A v2 issuer configured for a v1 token: the message names the setting.
    const v2Only = createVerifier({ issuer: V2, audience: `api://${API}`, keys });
    await assert.rejects(v2Only.verify(token), /entra v1 token and only v2 issuers are accepted: set requestedAccessTokenVersion/);
    // scope=https://graph.microsoft.com/.default gives a Graph token, with a nonce header.
    const graph = await entraToken({ aud: 'https://graph.microsoft.com', iss: V1, tid: TENANT, appid: CLIENT }, { nonce: 'graph-nonce' });
    await assert.rejects(fixed.verify(graph), { code: 'ERR_FOREIGN_TOKEN' });
  });

  test('Influxion: prefixed variables and the default scope', async () => {
    const env = {
      INFLUXION_AZURE_TENANT_ID: TENANT,
      INFLUXION_AZURE_API_CLIENT_ID: API,
      INFLUXION_AZURE_DEFAULT_SCOPE: `api://${API}/.default`,
      INFLUXION_VAULT_URL: 'https://vault.example',
    };
    const verifier = createVerifier(fromEnv(env, { prefix: 'INFLUXION_', fetch: entraFetch() }));
    for (const claims of [
      { aud: API, iss: V2, tid: TENANT, azp: CLIENT, roles: ['Data.Read'], ver: '2.0' },
      { aud: `api://${API}`, iss: V1, tid: TENANT, appid: CLIENT, roles: ['Data.Read'], ver: '1.0' },
    ]) {
      assert.equal((await verifier.verify(await entraToken(claims))).claims.tid, TENANT);
    }
    // The preset requires a permission: a token without roles is refused.
    await assert.rejects(verifier.verify(await entraToken({ aud: API, iss: V2, tid: TENANT, azp: CLIENT, ver: '2.0' })), { code: 'ERR_PERMISSION_MISSING' });
    assert.throws(() => fromEnv({ ...env, INFLUXION_JWT_AUDIENCES: 'x' }, { prefix: 'INFLUXION_' }), { code: 'ERR_POLICY_INVALID', claim: 'INFLUXION_JWT_AUDIENCES' });
  });

  test('Azure AD B2C client credentials: permissions in scp, any one of several', async () => {
    const verifier = createVerifier(entraId({
      b2c: { tenantName: 'contosob2c', tenantId: TENANT, policy: 'B2C_1_susi' },
      clientId: API,
      anyScopes: ['tasks.read', 'tasks.write'],
      fetch: entraFetch(),
    }));
    const b2c = (scp) => entraToken({ aud: API, iss: `https://contosob2c.b2clogin.com/${TENANT}/v2.0/`, azp: CLIENT, sub: CLIENT, tfp: 'B2C_1_susi', ver: '1.0', scp });
    assert.equal((await verifier.verify(await b2c('tasks.write'))).claims.scp, 'tasks.write');
    await assert.rejects(verifier.verify(await b2c('profile.read')), { code: 'ERR_SCOPE_MISSING' });
  });

  test('the RKVST policy as a file for the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwtguard-recipe-'));
    const policy = join(dir, 'rkvst.json');
    const jwks = join(dir, 'jwks.json');
    writeFileSync(policy, JSON.stringify({ issuer: V1, audience: 'https://app.datatrails.example', anyRoles: ['archivist_administrator', 'guest'] }));
    writeFileSync(jwks, JSON.stringify({ keys: [key.jwk] }));
    const token = await entraToken({ aud: 'https://app.datatrails.example', iss: V1, tid: TENANT, roles: ['guest'] });
    const result = await cli(['verify', '--policy', policy, '--jwks', jwks, token]);
    assert.equal(result.code, 0, result.stderr);
  });
});
