// The gateway's rule matching (js/gateway.js) on Node, row by row: which rule
// a path and method reach under each matching option, HEAD as GET, the
// preflight's rule and forwarding, the canonical URL forwarded, claims
// forwarded exactly, and configurations refused when built. The same rules
// against real origin frameworks are tests/servers/gateway.test.mjs.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { gatewayGuard } from '../../js/gateway.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

let pair;
let keys;

before(async () => {
  pair = await keyPair('ES256');
  keys = { keys: [pair.jwk] };
});

/** A gateway whose policies are named after the role they require; `open` requires nothing. */
function guardOf(rules, options = {}, forward = { claims: { sub: 'X-User' }, stripAuthorization: true }) {
  const base = { issuer: ISSUER, audience: AUDIENCE, keys };
  return gatewayGuard({ policies: { reader: { ...base, roles: ['Reader'] }, admin: { ...base, roles: ['Admin'] } }, rules, forward, ...options });
}

async function handle(guard, method, path, { roles, headers = {}, claims = {} } = {}) {
  const token = roles ? await sign(pair, goodClaims({ roles, ...claims })) : null;
  const request = new Request(`https://gateway.test${path}`, { method, headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  return guard.handle(request, {});
}

/** The status a request gets: the answer's, or 200 when it is forwarded. */
const statusOf = ({ answer }) => answer?.status ?? 200;

const RULES = [
  { path: '/api/admin/*', require: 'admin' },
  { path: '/api/secret', methods: ['GET'], require: 'admin' },
  { path: '/api/*', require: 'reader' },
  { path: '/*', require: null },
];

test('matching options: case folded and a final slash ignored by default; caseSensitive and strictSlash as the origin', async () => {
  // [options, method, path, token roles, status]
  const rows = [
    [{}, 'GET', '/API/admin/users', undefined, 401],
    [{}, 'GET', '/api/ADMIN', ['Reader'], 403],
    [{}, 'GET', '/api/secret/', ['Reader'], 403],
    [{}, 'GET', '/API/SECRET/', ['Admin'], 200],
    [{}, 'GET', '/api/%61dmin/x', ['Reader'], 403],
    [{ caseSensitive: true }, 'GET', '/API/admin/users', undefined, 200],
    [{ caseSensitive: true }, 'GET', '/api/ADMIN', ['Reader'], 200],
    [{ caseSensitive: true }, 'GET', '/api/admin', ['Reader'], 403],
    [{ strictSlash: true }, 'GET', '/api/secret/', ['Reader'], 200],
    [{ strictSlash: true }, 'GET', '/api/secret', ['Reader'], 403],
    [{ strictSlash: true }, 'GET', '/api/admin/', ['Reader'], 403],
  ];
  for (const [options, method, path, roles, status] of rows) {
    assert.equal(statusOf(await handle(guardOf(RULES, options), method, path, { roles })), status, `${JSON.stringify(options)} ${method} ${path}`);
  }
});

test('HEAD is GET for matching, unless a rule names HEAD', async () => {
  const guard = guardOf([
    { path: '/api/secret', methods: ['GET'], require: 'admin' },
    { path: '/api/other', methods: ['GET'], require: 'admin' },
    { path: '/api/other', methods: ['HEAD'], require: 'reader' },
    { path: '/api/*', require: 'reader' },
  ]);
  // [method, path, roles, status]
  const rows = [
    ['HEAD', '/api/secret', ['Reader'], 403],
    ['HEAD', '/api/secret', ['Admin'], 200],
    ['HEAD', '/api/other', ['Reader'], 200],
    ['GET', '/api/other', ['Reader'], 403],
    ['POST', '/api/secret', ['Reader'], 200],
  ];
  for (const [method, path, roles, status] of rows) assert.equal(statusOf(await handle(guard, method, path, { roles })), status, `${method} ${path}`);
});

test('a preflight needs a rule, is not checked unless its rule names OPTIONS, and forwards no credentials or owned headers', async () => {
  const guard = guardOf([
    { path: '/api/*', require: 'reader' },
    { path: '/cors/*', methods: ['OPTIONS', 'GET'], require: 'reader' },
    { path: '/posts/*', methods: ['POST'], require: 'reader' },
  ], {}, { claims: { sub: 'X-User' }, payload: 'X-Jwt-Payload' });
  const preflight = (method = 'POST') => ({ origin: 'https://app.test', 'access-control-request-method': method, 'x-user': 'admin', 'x-jwt-payload': 'e30', dpop: 'forged' });
  const passed = await handle(guard, 'OPTIONS', '/api/items', { headers: { ...preflight(), authorization: 'Bearer forged' } });
  assert.equal(statusOf(passed), 200);
  assert.equal(passed.auth, null);
  for (const name of ['x-user', 'x-jwt-payload', 'authorization', 'dpop']) assert.equal(passed.request.headers.get(name), null, name);
  assert.equal(passed.request.headers.get('access-control-request-method'), 'POST');
  // No rule for the path: fail closed, as any other request.
  assert.equal(statusOf(await handle(guard, 'OPTIONS', '/elsewhere', { headers: preflight() })), 404);
  // A rule for the method the preflight asks about.
  assert.equal(statusOf(await handle(guard, 'OPTIONS', '/posts/1', { headers: preflight('POST') })), 200);
  assert.equal(statusOf(await handle(guard, 'OPTIONS', '/posts/1', { headers: preflight('PUT') })), 404);
  // A rule that names OPTIONS checks the token.
  assert.equal(statusOf(await handle(guard, 'OPTIONS', '/cors/x', { headers: preflight() })), 401);
  assert.equal(statusOf(await handle(guard, 'OPTIONS', '/cors/x', { headers: preflight(), roles: ['Reader'] })), 200);
});

test('the forwarded request carries the canonical path and the query as sent; a refused path is a 400', async () => {
  const guard = guardOf(RULES);
  const forwarded = await handle(guard, 'GET', '/%61pi/./%7Eme/../users?q=%61&x=/..', { roles: ['Reader'] });
  assert.equal(forwarded.request.url, 'https://gateway.test/api/users?q=%61&x=/..');
  for (const path of ['/api%2Fadmin', '/api/%5C', '/a%00', '/api/%C0%AF', '/api/%FF']) {
    assert.deepEqual((await handle(guard, 'GET', path)).answer, { status: 400, headers: { 'content-type': 'application/json' }, body: { error: 'invalid_request', code: 'ERR_REQUEST_INVALID' } }, path);
  }
});

test('claims are forwarded exactly, or the request is refused; null is left out', async () => {
  const guard = guardOf([{ path: '/*', require: 'reader' }], {}, { claims: { name: 'X-Name', groups: 'X-Groups', extra: 'X-Extra' } });
  // [claims, X-Name, X-Groups, X-Extra] (a string, or ERR_CLAIM_INVALID when refused)
  const rows = [
    [{ name: 'Ada', groups: ['a', 'b'], extra: 7 }, 'Ada', 'a,b', '7'],
    [{ name: 'Ada Lovelace', groups: [1, 2], extra: true }, 'Ada Lovelace', '1,2', 'true'],
    [{ extra: { a: 1 } }, null, null, '{"a":1}'],
    [{ name: null, groups: null }, null, null, null],
    [{ groups: [] }, null, '', null],
    [{ name: ' admin ' }, 'ERR_CLAIM_INVALID'],
    [{ name: 'admin\t' }, 'ERR_CLAIM_INVALID'],
    [{ name: 'évian' }, 'ERR_CLAIM_INVALID'],
    [{ groups: ['a,b', 'c'] }, 'ERR_CLAIM_INVALID'],
    [{ groups: ['a', ' b'] }, 'ERR_CLAIM_INVALID'],
    [{ groups: ['a', ''] }, 'ERR_CLAIM_INVALID'],
    [{ groups: ['a', null] }, 'ERR_CLAIM_INVALID'],
  ];
  for (const [claims, ...expected] of rows) {
    const result = await handle(guard, 'GET', '/x', { roles: ['Reader'], claims });
    if (expected[0] === 'ERR_CLAIM_INVALID') {
      assert.equal(result.answer?.body.code, 'ERR_CLAIM_INVALID', JSON.stringify(claims));
      continue;
    }
    const headers = result.request.headers;
    assert.deepEqual([headers.get('x-name'), headers.get('x-groups'), headers.get('x-extra')], expected, JSON.stringify(claims));
  }
});

test('rule paths and matching options are checked when the gateway is built', () => {
  const bad = [
    [{ rules: [{ path: '/api/%61dmin/*', require: null }] }, /canonical/],
    [{ rules: [{ path: '/api/../admin', require: null }] }, /canonical/],
    [{ rules: [{ path: '/api/a:b', require: null }] }, /canonical/],
    [{ rules: [{ path: '/api?x', require: null }] }, /canonical/],
    [{ rules: [{ path: '/*', require: null }], caseSensitive: 'no' }, /caseSensitive/],
    [{ rules: [{ path: '/*', require: null }], strictSlash: 1 }, /strictSlash/],
  ];
  for (const [config, message] of bad) {
    assert.throws(() => gatewayGuard({ policies: { open: { issuer: ISSUER, audience: AUDIENCE, keys } }, ...config }), { code: 'ERR_POLICY_INVALID', message }, JSON.stringify(config));
  }
});

test('onRefuse in a gateway: each policy a rule tries reports its own refusal', async () => {
  const heard = [];
  const guard = guardOf([{ path: '/*', require: { anyOf: ['reader', 'admin'] } }], { settings: { onRefuse: (error) => heard.push(error.code) } });
  // A reader passes the rule; the admin policy it also tried refused, and said so.
  assert.equal(statusOf(await handle(guard, 'GET', '/x', { roles: ['Reader'] })), 200);
  assert.deepEqual(heard, ['ERR_ROLE_MISSING']);
  heard.length = 0;
  assert.equal(statusOf(await handle(guard, 'GET', '/x', { roles: ['Other'] })), 403);
  assert.deepEqual(heard, ['ERR_ROLE_MISSING', 'ERR_ROLE_MISSING']);
});
