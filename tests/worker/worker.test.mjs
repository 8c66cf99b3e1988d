// The Worker and Hono middleware, running in the real Workers runtime (workerd).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { startWorker } from './workerd.mjs';

let mf;
let pair;

before(async () => {
  pair = await keyPair('ES256');
  mf = await startWorker('./app.mjs', {
    ISSUER,
    AUDIENCE,
    REQUIRED_ROLES: 'Data.Read',
    REQUIRED_SCOPES: 'read',
    JWKS: JSON.stringify({ keys: [pair.jwk] }),
  });
});

after(() => mf?.dispose());

const request = (path, authorization) =>
  mf.dispatchFetch(`http://worker.test${path}`, { headers: authorization === undefined ? {} : { authorization } });

for (const [via, path] of [['worker', '/api/whoami'], ['hono', '/hono/whoami']]) {
  describe(`${via} middleware in workerd`, () => {
    test('a valid token reaches the handler with its claims', async () => {
      const token = await sign(pair);
      const response = await request(path, `Bearer ${token}`);
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.via, via);
      assert.equal(body.claims.sub, 'service-principal-1');
      assert.deepEqual(body.key, { kid: pair.kid, alg: 'ES256' });
    });

    test('onRefuse hears each refusal with the whole error, in workerd', async () => {
      await request('/refusals');
      assert.equal((await request(path, `Bearer ${await sign(pair, goodClaims({ aud: 'api://secret-other-api' }))}`)).status, 401);
      assert.equal((await request(path)).status, 401);
      const heard = await (await request('/refusals')).json();
      // The missing token is the challenge's first step, not a refusal.
      assert.equal(heard.length, 1, JSON.stringify(heard));
      assert.deepEqual([heard[0].code, heard[0].claim, heard[0].path], ['ERR_AUDIENCE_INVALID', 'aud', path]);
      assert.match(heard[0].detail, /api:\/\/secret-other-api/);
    });

    test('the scheme is case-insensitive', async () => {
      const response = await request(path, `bEaReR ${await sign(pair)}`);
      assert.equal(response.status, 200);
    });

    const cases = [
      ['no credentials', async () => undefined, 401, 'Bearer realm="api", DPoP algs="ES256 ES384 EdDSA RS256 RS384 RS512 PS256 PS384 PS512"', { error: 'unauthorized', code: null }],
      ['another scheme', async () => 'Basic dXNlcjpwYXNz', 401, 'Bearer realm="api", DPoP algs="ES256 ES384 EdDSA RS256 RS384 RS512 PS256 PS384 PS512"', { error: 'unauthorized', code: null }],
      ['bearer without a token', async () => 'Bearer', 401, 'Bearer realm="api", error="invalid_request", error_description="the authorization header is not one bearer or dpop token"', { error: 'invalid_request', code: 'ERR_TOKEN_MALFORMED' }],
      ['two tokens', async () => `Bearer ${await sign(pair)}, Bearer ${await sign(pair)}`, 401, /error="invalid_request"/, { error: 'invalid_request', code: 'ERR_TOKEN_MALFORMED' }],
      ['expired', async () => `Bearer ${await sign(pair, goodClaims({ exp: nowSeconds() - 300 }))}`, 401, 'Bearer realm="api", error="invalid_token", error_description="ERR_TOKEN_EXPIRED: token has expired"', { error: 'invalid_token', code: 'ERR_TOKEN_EXPIRED' }],
      ['wrong audience', async () => `Bearer ${await sign(pair, goodClaims({ aud: 'api://secret-other-api' }))}`, 401, 'Bearer realm="api", error="invalid_token", error_description="ERR_AUDIENCE_INVALID: audience (aud) is not accepted"', { error: 'invalid_token', code: 'ERR_AUDIENCE_INVALID' }],
      ['missing role', async () => `Bearer ${await sign(pair, goodClaims({ roles: ['Data.Write'] }))}`, 403, 'Bearer realm="api", error="insufficient_scope", error_description="ERR_ROLE_MISSING: required role is missing"', { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' }],
      ['missing scope', async () => `Bearer ${await sign(pair, goodClaims({ scp: 'write' }))}`, 403, 'Bearer realm="api", error="insufficient_scope", error_description="ERR_SCOPE_MISSING: required scope is missing", scope="read"', { error: 'insufficient_scope', code: 'ERR_SCOPE_MISSING' }],
      ['Microsoft Graph token', async () => `Bearer ${await sign(pair, goodClaims({ aud: 'https://graph.microsoft.com' }), { nonce: 'graph-nonce' })}`, 401, /error="invalid_token", error_description="ERR_FOREIGN_TOKEN: token was issued for another resource"/, { error: 'invalid_token', code: 'ERR_FOREIGN_TOKEN' }],
      ['signed by another key', async () => `Bearer ${await sign({ ...(await keyPair('ES256')), kid: pair.kid })}`, 401, /ERR_SIGNATURE_INVALID: signature is invalid"$/, { error: 'invalid_token', code: 'ERR_SIGNATURE_INVALID' }],
    ];
    for (const [name, authorization, status, challenge, body] of cases) {
      test(`${name} → ${status}`, async () => {
        const header = await authorization();
        const response = await request(path, header);
        assert.equal(response.status, status);
        const wwwAuthenticate = response.headers.get('www-authenticate');
        if (challenge instanceof RegExp) assert.match(wwwAuthenticate, challenge);
        else assert.equal(wwwAuthenticate, challenge);
        const text = await response.text();
        assert.deepEqual(JSON.parse(text), body);
        // Never echo the token or its claims.
        const token = header?.split(' ')[1]?.replace(/,$/, '');
        if (token) assert.ok(!text.includes(token) && !wwwAuthenticate.includes(token));
        assert.ok(!text.includes('secret-other-api') && !wwwAuthenticate.includes('secret-other-api'));
      });
    }
  });
}
