// Several issuers, one verifier: createVerifier([...]) with each issuer's own
// keys (tokens signed by jose). The token's iss only chooses the
// configuration; issuer A's key never vouches for a token naming issuer B.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createVerifier, remoteJwks } from 'jwtguard';
import { AUDIENCE, TENANT, goodClaims, keyPair, sign } from './helpers.mjs';
import { serve, sendJson } from './remote/net.mjs';

const A = 'https://issuer-a.test';
const B = 'https://issuer-b.test';
const TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';

describe('createVerifier with several issuers', () => {
  let a;
  let b;
  let entra;
  let verifier;

  before(async () => {
    [a, b, entra] = await Promise.all([keyPair('ES256', 'a-key'), keyPair('RS256', 'b-key'), keyPair('RS256', 'entra-key')]);
    verifier = createVerifier([
      { issuer: A, audience: AUDIENCE, keys: { keys: [a.jwk] } },
      { issuer: B, audience: AUDIENCE, keys: { keys: [b.jwk] }, roles: ['Data.Read'] },
      { issuer: TEMPLATE, tenants: [TENANT], audience: AUDIENCE, keys: { keys: [entra.jwk] } },
    ]);
  });

  test('each issuer verifies with its own keys; others are refused', async () => {
    const entraIss = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    const rows = [
      ['A signed by A', a, A, null],
      ['B signed by B', b, B, null],
      ['Entra tenant signed by its key', entra, entraIss, null],
      ["A's key with iss B", { ...a, kid: 'b-key' }, B, 'ERR_KEY_NOT_FOUND'],
      ["A's key and kid with iss B", a, B, 'ERR_KEY_NOT_FOUND'],
      ["B's key with iss A", b, A, 'ERR_KEY_NOT_FOUND'],
      ["A's key under B's kid, iss B", { ...a, alg: 'ES256', kid: 'b-key' }, B, 'ERR_KEY_NOT_FOUND'],
      ['an issuer not configured', a, 'https://issuer-c.test', 'ERR_ISSUER_INVALID'],
      ['another tenant', entra, 'https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/v2.0', 'ERR_TENANT_NOT_ALLOWED'],
    ];
    for (const [name, pair, iss, code] of rows) {
      const claims = goodClaims({ iss, ...(iss.includes('00000000-') ? { tid: '00000000-0000-0000-0000-0000000000aa' } : {}) });
      const token = await sign(pair, claims);
      for (const check of [() => verifier.verify(token), async () => verifier.verifySync(token)]) {
        if (code === null) {
          assert.equal((await check()).claims.iss, iss, name);
        } else {
          await assert.rejects(check(), (error) => {
            assert.equal(error.code, code, `${name}: ${error.message}`);
            return true;
          });
        }
      }
    }
    // The policy of the chosen configuration applies: B requires a role.
    await assert.rejects(verifier.verify(await sign(b, goodClaims({ iss: B, roles: [] }))), { code: 'ERR_ROLE_MISSING' });
    assert.equal(verifier.policy.length, 3);
    await assert.rejects(verifier.verify(42), { code: 'ERR_TOKEN_MALFORMED' });
  });

  test('overlapping or empty configurations are refused', () => {
    const keys = { keys: [a.jwk] };
    const table = [
      [],
      [{ issuer: A, audience: AUDIENCE, keys }, { issuer: [B, A], audience: AUDIENCE, keys }],
      [{ issuer: TEMPLATE, tenants: '*', audience: AUDIENCE, keys }, { issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, audience: AUDIENCE, keys }],
      [{ issuer: TEMPLATE, audience: AUDIENCE, keys }],
    ];
    for (const options of table) {
      assert.throws(() => createVerifier(options), { code: 'ERR_POLICY_INVALID' }, JSON.stringify(options));
    }
  });

  test('remote key sources: ready() loads every issuer, and a request is routed too', async () => {
    const server = await serve((req, res, url) => sendJson(res, { keys: [url.pathname === '/a' ? a.jwk : b.jwk] }));
    try {
      const remote = createVerifier([
        { issuer: A, audience: AUDIENCE, keys: remoteJwks(`${server.origin}/a`) },
        { issuer: B, audience: AUDIENCE, keys: remoteJwks(`${server.origin}/b`) },
      ]);
      const tokenB = await sign(b, goodClaims({ iss: B }));
      assert.throws(() => remote.verifySync(tokenB), { code: 'ERR_KEYS_NOT_LOADED' });
      await remote.ready();
      assert.deepEqual([...server.hits].sort(), ['/a', '/b']);
      assert.equal(remote.verifySync(tokenB).claims.iss, B);
      const result = await remote.verifyRequest({ method: 'GET', url: 'https://api.test/x', headers: { authorization: `Bearer ${await sign(a, goodClaims({ iss: A }))}` } });
      assert.equal(result.claims.iss, A);
    } finally {
      await server.close();
    }
  });
});
