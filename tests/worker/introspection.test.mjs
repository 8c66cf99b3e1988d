// Opaque tokens through the Worker middleware in workerd: oidc-provider on
// 127.0.0.1 issues them and answers introspection, as JSON and signed
// (RFC 9701); a token it does not know is 401, an endpoint that is down 503.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RESOURCE, SCOPE, startProvider } from '../../scripts/local-provider.mjs';
import { startWorker } from './workerd.mjs';

const CLIENT_ID = 'rs-worker';
const CLIENT_SECRET = 'resource-server-secret-for-local-tests-0123456789';

let provider;
before(async () => {
  provider = await startProvider({
    accessTokenFormat: 'opaque',
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_endpoint_auth_method: 'client_secret_basic', introspection_signed_response_alg: 'RS256' }],
  });
});
after(() => provider?.stop());

const start = (bindings) => startWorker('./introspection-app.mjs', {
  ISSUER: provider.issuer,
  AUDIENCE: RESOURCE,
  SCOPE,
  ENDPOINT: `${provider.issuer}/token/introspection`,
  ACCEPT: 'json',
  CLIENT_ID,
  CLIENT_SECRET,
  ...bindings,
});
const call = (mf, token) => mf.dispatchFetch('https://api.test/tasks', { headers: { authorization: `Bearer ${token}` } });

describe('introspection through protect() in workerd', () => {
  for (const accept of ['json', 'jwt']) {
    test(`an active token reaches the handler, an unknown one is 401 (accept: ${accept})`, async () => {
      const mf = await start({ ACCEPT: accept });
      try {
        const ok = await call(mf, await provider.token());
        assert.equal(ok.status, 200);
        const body = await ok.json();
        assert.equal(body.claims.active, true);
        assert.equal(body.claims.scope, SCOPE);
        assert.equal(body.key, null, 'no key verified it: the authorization server answered');
        const unknown = await call(mf, 'not-a-token-the-provider-issued');
        assert.equal(unknown.status, 401);
        assert.deepEqual(await unknown.json(), { error: 'invalid_token', code: 'ERR_TOKEN_INACTIVE' });
      } finally {
        await mf.dispose();
      }
    });
  }

  test('an endpoint that is down is 503 temporarily_unavailable with Retry-After', async () => {
    const mf = await start({ ENDPOINT: 'http://127.0.0.1:1/introspect' });
    try {
      const down = await call(mf, await provider.token());
      assert.equal(down.status, 503);
      assert.ok(Number(down.headers.get('retry-after')) > 0);
      assert.deepEqual(await down.json(), { error: 'temporarily_unavailable', code: 'ERR_INTROSPECTION_FAILED' });
    } finally {
      await mf.dispose();
    }
  });
});
