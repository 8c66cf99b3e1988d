// examples/worker runs unchanged in workerd; its requests to Entra ID are
// answered by a local stand-in (miniflare's outbound service) with
// Entra-shaped v1 metadata and keys (as Entra ID's v1 discovery endpoints serve them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { startWorker } from './workerd.mjs';

const toml = readFileSync(new URL('../../examples/worker/wrangler.toml', import.meta.url), 'utf8');
const vars = Object.fromEntries([...toml.split('[vars]')[1].split(/\n\[/)[0].matchAll(/^(\w+) = "([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
const TENANT = vars.AZURE_TENANT_ID;
const API = vars.AZURE_API_CLIENT_ID;
const DAEMON = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';

let mf;
let entraKey;
const outbound = [];

async function entra(request) {
  const url = new URL(request.url);
  outbound.push(url.href);
  if (url.href === `https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration`) {
    return Response.json({
      issuer: `https://sts.windows.net/${TENANT}/`,
      jwks_uri: 'https://login.microsoftonline.com/common/discovery/keys',
      token_endpoint: `https://login.microsoftonline.com/${TENANT}/oauth2/token`,
    });
  }
  if (url.href === 'https://login.microsoftonline.com/common/discovery/keys') {
    const { alg, ...jwk } = entraKey.jwk; // Entra's keys carry no alg
    return Response.json({ keys: [{ ...jwk, x5t: entraKey.kid }] });
  }
  return new Response('not found', { status: 404 });
}

before(async () => {
  entraKey = await keyPair('RS256', 'nOo3ZDrODXEK1jKWhXslHR_KXEg');
  mf = await startWorker('../../examples/worker/src/index.js', vars, { outboundService: entra });
});

after(() => mf?.dispose());

const appOnly = (version, overrides = {}) => {
  const now = nowSeconds();
  const common = { iat: now, nbf: now, exp: now + 3599, tid: TENANT, oid: 'f2d1a0c4-0000-4000-8000-000000000001', sub: 'f2d1a0c4-0000-4000-8000-000000000001', roles: ['Tasks.Read'], idtyp: 'app' };
  const claims = version === 2
    ? { aud: API, iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, azp: DAEMON, azpacr: '1', ver: '2.0' }
    : { aud: `api://${API}`, iss: `https://sts.windows.net/${TENANT}/`, appid: DAEMON, appidacr: '1', ver: '1.0' };
  return sign(entraKey, { ...common, ...claims, ...overrides }, { typ: 'JWT', x5t: entraKey.kid });
};

const call = (path, token) => mf.dispatchFetch(`http://example.test${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('examples/worker in workerd', () => {
  test('v2 and v1 app-only tokens reach /api/tasks', async () => {
    for (const version of [2, 1]) {
      const response = await call('/api/tasks', await appOnly(version));
      assert.equal(response.status, 200, `v${version}`);
      const body = await response.json();
      assert.equal(body.caller, DAEMON);
      assert.equal(body.tenant, TENANT);
    }
    assert.equal((await call('/health')).status, 200);
    assert.deepEqual(outbound, [
      `https://login.microsoftonline.com/${TENANT}/.well-known/openid-configuration`,
      'https://login.microsoftonline.com/common/discovery/keys',
    ]);
  });

  const rejected = [
    ['no token', async () => null, 401, null],
    ['a token from another tenant', () => appOnly(2, { tid: '00000000-0000-0000-0000-000000000001', iss: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0' }), 401, 'ERR_ISSUER_INVALID'],
    ['no Tasks.Read role', () => appOnly(2, { roles: ['Tasks.Write'] }), 403, 'ERR_ROLE_MISSING'],
    ['a Microsoft Graph token', () => sign(entraKey, { aud: 'https://graph.microsoft.com' }, { nonce: 'x' }), 401, 'ERR_FOREIGN_TOKEN'],
    ['expired', () => appOnly(2, { exp: nowSeconds() - 600 }), 401, 'ERR_TOKEN_EXPIRED'],
  ];
  for (const [name, token, status, code] of rejected) {
    test(`${name} → ${status} ${code ?? ''}`, async () => {
      const response = await call('/api/tasks', await token());
      assert.equal(response.status, status);
      assert.equal((await response.json()).code, code);
    });
  }
});
