// jwtguard/express and jwtguard/fastify on real servers (Express 5 and 4,
// Connect, Fastify 5, and a plain node:http handler) on 127.0.0.1: the Worker test's status table,
// req.auth / request.auth, options chosen per request, and the RFC 9728
// metadata named by every 401.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { remoteJwks } from '@jwtguard/jwtguard';
import { serve } from '../js/remote/net.mjs';
import { startApps } from './apps.mjs';

const DPOP_ALGS = 'ES256 ES384 EdDSA RS256 RS384 RS512 PS256 PS384 PS512';

let pair;
let tenantPair;
let apps;
let keysDown;

before(async () => {
  pair = await keyPair('ES256');
  tenantPair = await keyPair('ES256', 'tenant-key');
  // The identity provider is down: its key endpoint answers 503.
  keysDown = await serve((req, res) => {
    res.writeHead(503);
    res.end();
  });
  apps = await startApps({
    api: { issuer: ISSUER, audience: AUDIENCE, roles: ['Data.Read'], keys: { keys: [pair.jwk] } },
    down: { issuer: ISSUER, audience: AUDIENCE, keys: remoteJwks(`${keysDown.origin}/keys`) },
    tenants: {
      default: { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } },
      other: { issuer: 'https://issuer.test/tenant-2/v2.0', audience: AUDIENCE, keys: { keys: [tenantPair.jwk] } },
    },
  });
});

after(async () => {
  await Promise.all(Object.values(apps ?? {}).map((app) => app.close()));
  await keysDown?.close();
});

const get = (origin, path, headers = {}) => fetch(`${origin}${path}`, { headers });

// [name, path, Authorization (async), status, body, challenge]
const rows = [
  ['valid', '/api/whoami', () => sign(pair).then((t) => `Bearer ${t}`), 200, null, null],
  ['missing', '/api/whoami', async () => undefined, 401, { error: 'unauthorized', code: null },
    (metadata) => `Bearer realm="api", resource_metadata="${metadata}", DPoP algs="${DPOP_ALGS}", resource_metadata="${metadata}"`],
  ['malformed', '/api/whoami', async () => 'Bearer two tokens', 401, { error: 'invalid_request', code: 'ERR_TOKEN_MALFORMED' },
    (metadata) => `Bearer realm="api", resource_metadata="${metadata}", error="invalid_request", error_description="the authorization header is not one bearer or dpop token"`],
  ['expired', '/api/whoami', () => sign(pair, goodClaims({ exp: nowSeconds() - 300 })).then((t) => `Bearer ${t}`), 401,
    { error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' },
    (metadata) => `Bearer realm="api", resource_metadata="${metadata}", error="invalid_token", error_description="ERR_TOKEN_EXPIRED: token has expired"`],
  ['forged (another key, same kid)', '/api/whoami', async () => `Bearer ${await sign({ ...(await keyPair('ES256')), kid: pair.kid })}`, 401,
    { error: 'invalid_token', code: 'ERR_SIGNATURE_INVALID' },
    (metadata) => `Bearer realm="api", resource_metadata="${metadata}", error="invalid_token", error_description="ERR_SIGNATURE_INVALID: signature is invalid"`],
  ['wrong role', '/api/whoami', () => sign(pair, goodClaims({ roles: ['Data.Write'] })).then((t) => `Bearer ${t}`), 403,
    { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' }, /error="insufficient_scope"/],
  ['keys down', '/down/whoami', () => sign(pair).then((t) => `Bearer ${t}`), 503,
    { error: 'temporarily_unavailable', code: 'ERR_JWKS_FETCH_FAILED' }, null],
];

for (const name of ['express', 'express4', 'connect', 'fastify', 'http']) {
  describe(`${name} on 127.0.0.1`, () => {
    const origin = () => apps[name].origin;
    const metadataUrl = () => `${origin()}/.well-known/oauth-protected-resource`;

    for (const [row, path, authorization, status, body, challenge] of rows) {
      test(`${row} → ${status}`, async () => {
        const header = await authorization();
        const response = await get(origin(), path, header === undefined ? {} : { authorization: header });
        const text = await response.text();
        assert.equal(response.status, status, text);
        if (status === 200) {
          assert.deepEqual(JSON.parse(text), { sub: 'service-principal-1', key: { kid: pair.kid, alg: 'ES256' }, binding: null });
          return;
        }
        assert.deepEqual(JSON.parse(text), body);
        const wwwAuthenticate = response.headers.get('www-authenticate');
        if (typeof challenge === 'function') assert.equal(wwwAuthenticate, challenge(metadataUrl()));
        else if (challenge instanceof RegExp) assert.match(wwwAuthenticate, challenge);
        else assert.equal(wwwAuthenticate, null);
        if (status === 503) assert.equal(response.headers.get('retry-after'), '30');
        // No token data in any answer.
        const token = header?.split(' ')[1];
        if (token) assert.ok(!text.includes(token) && !(wwwAuthenticate ?? '').includes(token));
        assert.ok(!text.includes('service-principal-1') && !(wwwAuthenticate ?? '').includes('service-principal-1'));
      });
    }

    test('[dpop] a DPoP-bound token with its proof: the proof is checked against the URL the server reconstructs', async () => {
      const dpopKey = await generateKeyPair('ES256', { extractable: true });
      const jwk = await exportJWK(dpopKey.publicKey);
      const token = await sign(pair, goodClaims({ cnf: { jkt: await calculateJwkThumbprint(jwk) } }));
      const proof = (htu) => new SignJWT({
        htm: 'GET', htu, iat: nowSeconds(), jti: crypto.randomUUID(), ath: createHash('sha256').update(token).digest('base64url'),
      }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk }).sign(dpopKey.privateKey);
      const url = `${origin()}/api/whoami`;
      const accepted = await get(origin(), '/api/whoami?x=1', { authorization: `DPoP ${token}`, dpop: await proof(url) });
      assert.equal(accepted.status, 200);
      assert.equal((await accepted.json()).binding.type, 'dpop');
      const elsewhere = await get(origin(), '/api/whoami', { authorization: `DPoP ${token}`, dpop: await proof(`${origin()}/api/other`) });
      assert.deepEqual([elsewhere.status, (await elsewhere.json()).code], [401, 'ERR_DPOP_INVALID']);
    });

    test('[per-request] options chosen per request: each tenant its own issuer and keys', async () => {
      const other = await sign(tenantPair, goodClaims({ iss: 'https://issuer.test/tenant-2/v2.0' }));
      const asOther = await get(origin(), '/tenant/whoami', { authorization: `Bearer ${other}`, 'x-tenant': 'other' });
      assert.equal(asOther.status, 200);
      assert.equal((await asOther.json()).key.kid, 'tenant-key');
      // The same token under the default tenant's keys and policy is refused.
      const asDefault = await get(origin(), '/tenant/whoami', { authorization: `Bearer ${other}` });
      assert.equal(asDefault.status, 401);
      assert.equal((await asDefault.json()).code, 'ERR_KEY_NOT_FOUND');
    });

    test('[rfc9728] the 401 names the metadata, which is served at the root with a cache header and CORS', async () => {
      const challenge = (await get(origin(), '/api/whoami')).headers.get('www-authenticate');
      const url = /resource_metadata="([^"]+)"/.exec(challenge)[1];
      assert.equal(url, metadataUrl());
      const response = await get('', url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.match(response.headers.get('cache-control'), /max-age=\d+/);
      assert.match(response.headers.get('content-type'), /^application\/json/);
      assert.deepEqual(await response.json(), {
        resource: origin(),
        authorization_servers: [ISSUER],
        bearer_methods_supported: ['header'],
        dpop_signing_alg_values_supported: DPOP_ALGS.split(' '),
      });
    });
  });
}

test('fastify: routes outside the plugin\'s context are not protected and have no request.auth', async () => {
  const response = await get(apps.fastify.origin, '/open');
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { auth: null });
});
