// createTestIssuer (@jwtguard/jwtguard/testing) and the key-source override
// of entraId and fromEnv: a local stand-in for Entra changes where keys come
// from and nothing else. Its tokens are checked by jose too, so the helper's
// signatures are not judged by jwtguard alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createVerifier, entraId, fromEnv } from '@jwtguard/jwtguard';
import { createTestIssuer } from '@jwtguard/jwtguard/testing';

const TENANT = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';

test('an Entra v2 stand-in served on 127.0.0.1: fromEnv with its variables, app-only', async () => {
  const issuer = await createTestIssuer({ entra: { tenant: TENANT, version: 2 } });
  try {
    assert.match(issuer.jwksUri, /^http:\/\/127\.0\.0\.1:\d+\/keys$/);
    const verifier = createVerifier(fromEnv({ ...issuer.env, AZURE_API_APP_ONLY: 'true', JWT_REQUIRED_ROLES: 'Tasks.Read' }));
    const token = issuer.mint({ roles: ['Tasks.Read'], idtyp: 'app' });
    const { claims } = await verifier.verify(token);
    assert.equal(claims.iss, `https://login.microsoftonline.com/${TENANT}/v2.0`);
    assert.equal(claims.aud, issuer.clientId);
    // jose, independently, accepts the same token under the served key set.
    const { payload } = await jwtVerify(token, createLocalJWKSet(await (await fetch(issuer.jwksUri)).json()), { issuer: issuer.issuer, audience: issuer.clientId });
    assert.equal(payload.tid, TENANT);
    // Every Entra rule stays: a delegated token, another tenant, a v1 token.
    const refusals = [
      [{ roles: ['Tasks.Read'], scp: 'Tasks.Read' }, 'ERR_CLAIM_INVALID'],
      [{ roles: ['Tasks.Read'], tid: '11112222-3333-4444-5555-666677778888' }, 'ERR_TENANT_NOT_ALLOWED'],
      [{ roles: ['Tasks.Read'], iss: `https://sts.windows.net/${TENANT}/` }, 'ERR_ISSUER_INVALID'],
      [{ roles: ['Other'] }, 'ERR_ROLE_MISSING'],
      [{ roles: ['Tasks.Read'], exp: 1 }, 'ERR_TOKEN_EXPIRED'],
    ];
    for (const [claims, code] of refusals) {
      await assert.rejects(verifier.verify(issuer.mint(claims)), (error) => error.code === code, JSON.stringify(claims));
    }
    // The metadata document names Entra's issuer, so discovery works too.
    const viaDiscovery = createVerifier(fromEnv({ ...issuer.env, JWT_JWKS_URI: undefined, JWT_DISCOVERY_URL: issuer.metadataUrl, AZURE_API_TOKEN_VERSION: '2' }));
    assert.equal((await viaDiscovery.verify(issuer.mint({ roles: ['x'] }))).claims.ver, '2.0');
  } finally {
    await issuer.close();
  }
});

test('in memory: entraId with keys, v1 tokens, and a plain OpenID issuer', async () => {
  const v1 = await createTestIssuer({ entra: { tenant: TENANT, version: 1 }, serve: false });
  assert.equal(v1.jwksUri, undefined);
  const verifier = createVerifier(entraId({ tenant: TENANT, clientId: v1.clientId, version: 1, keys: v1.jwks }));
  const { claims } = await verifier.verify(v1.mint({ roles: ['r'] }));
  assert.deepEqual([claims.iss, claims.aud, claims.ver], [`https://sts.windows.net/${TENANT}/`, `api://${v1.clientId}`, '1.0']);
  // A version 2 policy refuses the v1 token: the override kept the rule.
  const v2only = createVerifier(entraId({ tenant: TENANT, clientId: v1.clientId, version: 2, keys: v1.jwks }));
  await assert.rejects(v2only.verify(v1.mint({ roles: ['r'] })), (error) => error.code === 'ERR_ISSUER_INVALID');
  const plain = await createTestIssuer({ issuer: 'https://idp.test', audience: 'api://orders', serve: false });
  const generic = createVerifier({ issuer: plain.issuer, audience: 'api://orders', keys: plain.jwks });
  assert.equal((await generic.verify(plain.mint({ scope: 'orders.read' }))).claims.scope, 'orders.read');
  await assert.rejects(generic.verify(v1.mint()), (error) => error.code === 'ERR_KEY_NOT_FOUND');
  // A claim given as undefined is left out.
  await assert.rejects(createVerifier({ ...generic.policy, keys: plain.jwks }).verify(plain.mint({ exp: undefined })), (error) => error.code === 'ERR_CLAIM_MISSING');
});

test('bad options and override mistakes are ERR_POLICY_INVALID', async () => {
  for (const options of [{}, { entra: { tenant: 'contoso' } }, { entra: { tenant: TENANT, version: 3 } }, { issuer: 'https://idp.test' }, { entra: { tenant: TENANT }, issuer: 'https://idp.test', audience: 'a' }]) {
    await assert.rejects(createTestIssuer(/** @type {any} */ (options)), (error) => error.code === 'ERR_POLICY_INVALID', JSON.stringify(options));
  }
  const jwks = { keys: [] };
  assert.throws(() => entraId({ tenant: TENANT, clientId: TENANT, keys: jwks, metadataUrl: 'http://127.0.0.1/x' }), (error) => error.claim === 'keys');
  assert.throws(() => entraId({ tenant: TENANT, clientId: TENANT, keys: jwks, timeout: 3 }), (error) => error.claim === 'timeout');
});
