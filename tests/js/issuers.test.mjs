// Several issuers, one verifier: createVerifier([...]) with each issuer's own
// keys (tokens signed by jose). The token's iss only chooses the
// configuration; issuer A's key never vouches for a token naming issuer B.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JwtGuardError, createVerifier, remoteJwks } from '@jwtguard/jwtguard';
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

// Row tables: crossed keys and kids, routing by tid, refused configurations,
// inputs a single verifier would refuse, remote sources, the middleware.
const ISSUER_A = 'https://issuer-a.test';
const ISSUER_B = 'https://issuer-b.test/v2.0';
const OTHER_TENANT = '5b4e1d2a-0c3f-4a6b-9d8e-7f6a5b4c3d2e';

let a;
let b;
let stranger;
before(async () => {
  a = await keyPair('ES256', 'key-a');
  b = await keyPair('RS256', 'key-b');
  // Another ES256 key under A's kid, in B's key set only.
  stranger = await keyPair('ES256', 'key-a');
});

const jwks = (...pairs) => ({ keys: pairs.map((p) => p.jwk) });
const claimsOf = (iss, overrides = {}) => goodClaims({ iss, ...overrides });

/** Resolves to the JwtGuardError code `promise` rejects with, or 'ok'. */
async function outcome(promise) {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof JwtGuardError, String(error));
    return error.code;
  }
}

/** The code `fn()` throws synchronously, or 'ok'. */
function syncOutcome(fn) {
  try {
    fn();
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof JwtGuardError, String(error));
    return error.code;
  }
}

describe('createVerifier([...]) with local keys', () => {
  const verifier = () => createVerifier([
    { issuer: ISSUER_A, audience: AUDIENCE, keys: jwks(a) },
    { issuer: ISSUER_B, audience: AUDIENCE, keys: jwks(b, stranger) },
  ]);

  // [name, token, expected code or 'ok']
  const rows = [
    ['a token of issuer A verifies with A\'s keys', () => sign(a, claimsOf(ISSUER_A)), 'ok'],
    ['a token of issuer B verifies with B\'s keys', () => sign(b, claimsOf(ISSUER_B)), 'ok'],
    ['A\'s key with B\'s iss: B\'s key under that kid is another key', () => sign(a, claimsOf(ISSUER_B)), 'ERR_SIGNATURE_INVALID'],
    ['A\'s key with B\'s iss and B\'s kid (an RSA key)', () => sign(a, claimsOf(ISSUER_B), { kid: 'key-b' }), 'ERR_KEY_NOT_FOUND'],
    ['A\'s key with B\'s iss and a kid only A has', () => sign(a, claimsOf(ISSUER_B), { kid: 'only-a' }), 'ERR_KEY_NOT_FOUND'],
    ['B\'s other key with A\'s iss: A\'s keys only', () => sign(stranger, claimsOf(ISSUER_A)), 'ERR_SIGNATURE_INVALID'],
    ['the stranger\'s key with B\'s iss (B holds it)', () => sign(stranger, claimsOf(ISSUER_B)), 'ok'],
    ['an unconfigured issuer', () => sign(a, claimsOf('https://issuer-c.test')), 'ERR_ISSUER_INVALID'],
    ['no iss at all', () => sign(a, claimsOf(undefined)), 'ERR_CLAIM_MISSING'],
    ['the chosen configuration checks the rest (audience)', () => sign(b, claimsOf(ISSUER_B, { aud: 'api://other' })), 'ERR_AUDIENCE_INVALID'],
    ['not a token', () => 'a.b', 'ERR_TOKEN_MALFORMED'],
    ['not a string', () => 42, 'ERR_TOKEN_MALFORMED'],
    ['larger than the size cap', () => 'x'.repeat(16 * 1024 + 1), 'ERR_TOKEN_TOO_LARGE'],
  ];

  for (const [name, makeToken, expected] of rows) {
    test(`${name}: ${expected}`, async () => {
      const token = await makeToken();
      const v = verifier();
      assert.equal(await outcome(v.verify(token)), expected, 'verify');
      assert.equal(syncOutcome(() => v.verifySync(token)), expected, 'verifySync');
    });
  }

  test('a token that cannot be routed rejects (not a synchronous throw), as with one issuer', () => {
    const promise = verifier().verify(42);
    assert.ok(promise instanceof Promise);
    return assert.rejects(promise, { code: 'ERR_TOKEN_MALFORMED' });
  });

  test('malformed and oversized tokens fail with the same code and message as a single verifier', async () => {
    const single = createVerifier({ issuer: ISSUER_A, audience: AUDIENCE, keys: jwks(a) });
    for (const token of [42, null, 'x'.repeat(16 * 1024 + 1), 'x'.repeat(300 * 1024)]) {
      const expected = await single.verify(token).catch((error) => error);
      const actual = await verifier().verify(token).catch((error) => error);
      assert.deepEqual([actual.code, actual.message], [expected.code, expected.message], String(token).slice(0, 10));
    }
  });

  test('the result is the chosen configuration\'s, and policy is a frozen array of both', async () => {
    const v = verifier();
    const result = await v.verify(await sign(b, claimsOf(ISSUER_B)));
    assert.deepEqual([result.claims.iss, result.key], [ISSUER_B, { kid: 'key-b', alg: 'RS256' }]);
    assert.ok(Array.isArray(v.policy) && Object.isFrozen(v.policy));
    assert.deepEqual(v.policy.map((p) => p.issuer), [[ISSUER_A], [ISSUER_B]]);
    assert.equal(typeof v.ready, 'function');
  });

  test('skippedKeys concatenates every configuration\'s, each tagged with its index', async () => {
    const bad = { kty: 'RSA', kid: 'broken', n: 'AQAB', e: 'AQAB' };
    const v = createVerifier([
      { issuer: ISSUER_A, audience: AUDIENCE, keys: { keys: [a.jwk, bad] } },
      { issuer: ISSUER_B, audience: AUDIENCE, keys: { keys: [bad, b.jwk] } },
    ]);
    await v.ready();
    assert.deepEqual(v.skippedKeys().map(({ kid, index, configuration }) => [configuration, index, kid]), [[0, 1, 'broken'], [1, 0, 'broken']]);
  });

  test('a multi-tenant template beside another issuer routes by iss and tid', async () => {
    const v = createVerifier([
      { issuer: TEMPLATE, tenants: [TENANT], audience: AUDIENCE, keys: jwks(a) },
      { issuer: ISSUER_B, audience: AUDIENCE, keys: jwks(b) },
    ]);
    const entra = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    assert.equal(await outcome(v.verify(await sign(a, claimsOf(entra)))), 'ok');
    assert.equal(await outcome(v.verify(await sign(b, claimsOf(ISSUER_B)))), 'ok');
    // Routed to the template's configuration, whose tenants refuse it.
    const other = `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0`;
    assert.equal(await outcome(v.verify(await sign(a, claimsOf(other, { tid: OTHER_TENANT })))), 'ERR_TENANT_NOT_ALLOWED');
    // iss names a tenant that tid does not: no configuration accepts it.
    assert.equal(await outcome(v.verify(await sign(a, claimsOf(other)))), 'ERR_ISSUER_INVALID');
  });
});

describe('createVerifier([...]) refuses configurations', () => {
  const one = (issuer, extra = {}) => ({ issuer, audience: AUDIENCE, keys: jwks(a), ...extra });
  // [name, options, claim or null]
  const rows = [
    ['an empty array', () => [], null],
    ['a non-object element', () => [one(ISSUER_A), 'https://issuer-b.test'], null],
    ['a null element', () => [null], null],
    ['a nested array', () => [[one(ISSUER_A)]], null],
    ['two equal issuers', () => [one(ISSUER_A), one(ISSUER_A)], 'issuer'],
    ['equal issuers among lists', () => [one([ISSUER_A, ISSUER_B]), one(['https://c.test', ISSUER_B])], 'issuer'],
    ['a template and a concrete GUID of it', () => [one(TEMPLATE, { tenants: '*' }), one(`https://login.microsoftonline.com/${TENANT}/v2.0`)], 'issuer'],
    ['two equal templates', () => [one(TEMPLATE, { tenants: [TENANT] }), one(TEMPLATE, { tenants: [OTHER_TENANT] })], 'issuer'],
    ['an element\'s own policy error (template without tenants)', () => [one(ISSUER_A), one(TEMPLATE)], 'tenants'],
    ['an element without keys', () => [one(ISSUER_A), { issuer: ISSUER_B, audience: AUDIENCE }], null],
  ];
  for (const [name, options, claim] of rows) {
    test(`${name}: ERR_POLICY_INVALID`, () => {
      assert.throws(() => createVerifier(options()), (error) => {
        assert.ok(error instanceof JwtGuardError, String(error));
        assert.equal(error.code, 'ERR_POLICY_INVALID', error.message);
        assert.equal(error.claim, claim, error.message);
        return true;
      });
    });
  }

  test('distinct issuers are accepted (the refusals above are about the overlap)', () => {
    assert.doesNotThrow(() => createVerifier([one(ISSUER_A), one(ISSUER_B), one(TEMPLATE, { tenants: '*' })]));
  });
});

describe('createVerifier([...]) with remote key sources', () => {
  let server;
  before(async () => {
    server = await serve((req, res, url) => {
      if (url.pathname === '/a/keys') sendJson(res, jwks(a));
      else if (url.pathname === '/b/keys') sendJson(res, jwks(b));
      else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  after(() => server.close());

  const remote = () => createVerifier([
    { issuer: ISSUER_A, audience: AUDIENCE, keys: remoteJwks(`${server.origin}/a/keys`) },
    { issuer: ISSUER_B, audience: AUDIENCE, keys: remoteJwks(`${server.origin}/b/keys`) },
  ]);

  test('ready() loads both sources; verifySync works only after it', async () => {
    const tokenA = await sign(a, claimsOf(ISSUER_A));
    const tokenB = await sign(b, claimsOf(ISSUER_B));
    const v = remote();
    const hitsBefore = server.hits.length;
    assert.equal(syncOutcome(() => v.verifySync(tokenA)), 'ERR_KEYS_NOT_LOADED');
    assert.equal(syncOutcome(() => v.verifySync(tokenB)), 'ERR_KEYS_NOT_LOADED');
    await v.ready();
    assert.deepEqual(server.hits.slice(hitsBefore).sort(), ['/a/keys', '/b/keys']);
    assert.equal(syncOutcome(() => v.verifySync(tokenA)), 'ok');
    assert.equal(syncOutcome(() => v.verifySync(tokenB)), 'ok');
    // A's key presented with B's iss: B's keys only.
    const crossed = await sign(a, claimsOf(ISSUER_B));
    assert.equal(syncOutcome(() => v.verifySync(crossed)), 'ERR_KEY_NOT_FOUND');
  });

  test('verify() loads the chosen source by itself', async () => {
    const v = remote();
    assert.equal(await outcome(v.verify(await sign(b, claimsOf(ISSUER_B)))), 'ok');
    assert.equal(await outcome(v.verify(await sign(a, claimsOf(ISSUER_A)))), 'ok');
    assert.equal(await outcome(v.verify(await sign(a, claimsOf(ISSUER_B)))), 'ERR_KEY_NOT_FOUND');
  });

  test('ready() rejects when one source cannot be loaded', async () => {
    const v = createVerifier([
      { issuer: ISSUER_A, audience: AUDIENCE, keys: remoteJwks(`${server.origin}/a/keys`) },
      { issuer: ISSUER_B, audience: AUDIENCE, keys: remoteJwks(`${server.origin}/missing/keys`) },
    ]);
    assert.equal(await outcome(v.ready()), 'ERR_JWKS_FETCH_FAILED');
  });
});

describe('the middleware with several issuers', async () => {
  const { authenticator } = await import('../../js/authenticate.js');
  const request = (token) => new Request('https://api.test/tasks', token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  const authenticate = () => authenticator([
    { issuer: ISSUER_A, audience: AUDIENCE, keys: jwks(a) },
    { issuer: ISSUER_B, audience: AUDIENCE, keys: jwks(b) },
  ]);

  // [name, token, expected iss or HTTP status]
  const rows = [
    ['issuer A', () => sign(a, claimsOf(ISSUER_A)), ISSUER_A],
    ['issuer B', () => sign(b, claimsOf(ISSUER_B)), ISSUER_B],
    ['A\'s key with B\'s iss', () => sign(a, claimsOf(ISSUER_B), { kid: 'key-b' }), 401],
    ['an unconfigured issuer', () => sign(a, claimsOf('https://issuer-c.test')), 401],
    ['no credentials', () => undefined, 401],
  ];
  for (const [name, makeToken, expected] of rows) {
    test(`${name}: ${expected}`, async () => {
      const { auth, failure } = await authenticate().authenticate(request(await makeToken()), {});
      if (typeof expected === 'string') assert.equal(auth?.claims.iss, expected, failure && JSON.stringify(failure.body));
      else assert.equal(failure?.status, expected);
    });
  }
});
