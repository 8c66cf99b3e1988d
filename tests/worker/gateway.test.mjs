// Gateway rules in workerd: `gateway` (jwtguard/worker) and `jwtGateway`
// (jwtguard/hono) with one rule table, a row per requirement kind, the
// closest match, CORS preflight, forwarded claims and the stripped credential.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { startWorker } from './workerd.mjs';

const PARTNER_ISSUER = 'https://partner.test/';

let mf;
let pair;
let partner;

before(async () => {
  pair = await keyPair('ES256');
  partner = await keyPair('ES256', 'partner-key');
  mf = await startWorker('./gateway-app.mjs', {
    ISSUER,
    AUDIENCE,
    JWKS: JSON.stringify({ keys: [pair.jwk] }),
    PARTNER_ISSUER,
    PARTNER_JWKS: JSON.stringify({ keys: [partner.jwk] }),
  });
});

after(() => mf?.dispose());

const token = (roles, extra = {}) => sign(pair, goodClaims({ roles, ...extra }));
const reader = () => token(['Data.Read']);
const writer = () => token(['Data.Write']);
const both = () => token(['Data.Read', 'Data.Write']);
const partnerToken = () => sign(partner, goodClaims({ iss: PARTNER_ISSUER, roles: ['Partner'] }));
const expired = () => token(['Data.Read'], { exp: nowSeconds() - 600 });
const none = async () => undefined;

// [name, method, path, token, status, policies that accepted (or code when refused)]
const rows = [
  ['none: a public path needs no token', 'GET', '/public/page', none, 200, null],
  ['one policy: accepted', 'GET', '/api/items', reader, 200, ['reader']],
  ['one policy: no token', 'GET', '/api/items', none, 401, null],
  ['closest match: a rule for POST beats the path\'s rule', 'POST', '/api/items', reader, 403, 'ERR_ROLE_MISSING'],
  ['closest match: POST with the writer role', 'POST', '/api/items', writer, 200, ['writer']],
  ['closest match: GET still needs the reader role', 'GET', '/api/items', writer, 403, 'ERR_ROLE_MISSING'],
  ['any of: the partner issuer', 'GET', '/api/reports', partnerToken, 200, ['partner']],
  ['any of: the reader', 'GET', '/api/reports', reader, 200, ['reader']],
  ['any of: neither (a writer: the 403 says more than a 401)', 'GET', '/api/reports', writer, 403, 'ERR_ROLE_MISSING'],
  ['all of: both roles', 'GET', '/api/audit/log', both, 200, ['reader', 'writer']],
  ['all of: one role only', 'GET', '/api/audit/log', reader, 403, 'ERR_ROLE_MISSING'],
  ['optional: no token passes, auth null', 'GET', '/feed/latest', none, 200, null],
  ['optional: a valid token is checked and set', 'GET', '/feed/latest', reader, 200, ['reader']],
  ['optional: an expired token passes, auth null', 'GET', '/feed/latest', expired, 200, null],
  ['no rule: refused (fail closed)', 'GET', '/elsewhere', reader, 404, null],
];

for (const [via, prefix] of [['worker', ''], ['hono', '/hono']]) {
  describe(`gateway rules (${via}) in workerd`, () => {
    const call = async (method, path, headers = {}) => mf.dispatchFetch(`https://gateway.test${prefix}${path}`, { method, headers });

    for (const [name, method, path, makeToken, status, expected] of rows) {
      test(`${name} → ${status}`, async () => {
        const t = await makeToken();
        const response = await call(method, path, t ? { authorization: `Bearer ${t}` } : {});
        const body = await response.json();
        assert.equal(response.status, status, JSON.stringify(body));
        if (status === 200) assert.deepEqual(body.policies, expected);
        else if (typeof expected === 'string') assert.equal(body.code, expected);
      });
    }

    test('[preflight] CORS preflight passes to the origin without credentials or forged claims; it needs a rule; a rule naming OPTIONS checks it', async () => {
      const preflight = { origin: 'https://app.test', 'access-control-request-method': 'POST' };
      const passed = await call('OPTIONS', '/api/items', { ...preflight, 'x-user': 'admin', authorization: 'Bearer forged' });
      assert.equal(passed.status, 200);
      const body = await passed.json();
      assert.deepEqual([body.method, body.policies, body.headers['access-control-request-method']], ['OPTIONS', null, 'POST']);
      assert.deepEqual([body.headers['x-user'], body.headers.authorization], [null, null]);
      assert.equal((await call('OPTIONS', '/elsewhere', preflight)).status, 404);
      assert.equal((await call('OPTIONS', '/cors/thing', preflight)).status, 401);
      // OPTIONS without Access-Control-Request-Method is no preflight: the path's rule (reader) applies.
      assert.equal((await call('OPTIONS', '/api/items')).status, 401);
    });

    test('forwarding: claims as headers, arrays joined, the payload as base64url, Authorization stripped', async () => {
      const t = await both();
      const response = await call('GET', '/api/audit/log', { authorization: `Bearer ${t}` });
      const { headers } = await response.json();
      assert.equal(headers['x-user'], 'service-principal-1');
      assert.equal(headers['x-roles'], 'Data.Read,Data.Write');
      assert.deepEqual(JSON.parse(Buffer.from(headers['x-jwt-payload'], 'base64url').toString()), JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString()));
      assert.equal(headers.authorization, null);
    });

    test('forwarded header names cannot be forged by the caller', async () => {
      const response = await call('GET', '/public/page', { 'x-user': 'admin', 'x-jwt-payload': 'e30' });
      const { headers } = await response.json();
      assert.deepEqual([headers['x-user'], headers['x-jwt-payload']], [null, null]);
    });

    test('a claim that is not header-safe is refused, not forwarded', async () => {
      const t = await token(['Data.Read'], { name: 'evil\r\nX-Admin: 1' });
      const response = await call('GET', '/api/items', { authorization: `Bearer ${t}` });
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), { error: 'invalid_token', code: 'ERR_CLAIM_INVALID' });
    });
  });
}

test('[rfc9728] the gateway serves RFC 9728 metadata and names it in its 401s', async () => {
  const denied = await mf.dispatchFetch('https://gateway.test/api/items');
  assert.match(denied.headers.get('www-authenticate'), /resource_metadata="https:\/\/gateway\.test\/\.well-known\/oauth-protected-resource"/);
  const response = await mf.dispatchFetch('https://gateway.test/.well-known/oauth-protected-resource');
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  const document = await response.json();
  assert.deepEqual([document.resource, document.authorization_servers], ['https://gateway.test', [ISSUER]]);
});

test('a rule table that names an unknown policy is refused when built', async () => {
  const { gatewayGuard } = await import('../../js/gateway.js');
  const policies = { reader: { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [] } } };
  const bad = [
    { policies, rules: [{ path: '/api/*', require: 'writer' }] },
    { policies, rules: [{ path: '/api/*/x', require: 'reader' }] },
    { policies, rules: [{ path: '/api/*', require: { anyOf: [] } }] },
    { policies, rules: [{ path: '/api/*' }] },
    { policies, rules: [{ path: '/api/*', require: 'reader', methods: ['FETCH'] }] },
    { policies, rules: [{ path: '/api/*', require: 'reader' }], forward: { claims: { sub: 'X User' } } },
  ];
  for (const config of bad) assert.throws(() => gatewayGuard(config), { code: 'ERR_POLICY_INVALID' }, JSON.stringify(config));
});
