// The gateway red-team table: request shapes that made the gateway and the
// origin disagree about the path or the method (encoded letters, case, a
// trailing slash, HEAD, a preflight carrying forged identity headers), sent
// to real origin frameworks with the gateway in front. Targets: the Worker
// `gateway` in workerd in front of Express 5, Express 4, Fastify 5 and Hono
// (each on 127.0.0.1), and Hono's `jwtGateway` in the same app on Node. One
// server per target, reused by every row.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from '../js/helpers.mjs';
import { startWorker } from '../worker/workerd.mjs';
import { startOrigins } from './gateway-origins.mjs';

const BEHIND_WORKER = ['express', 'express4', 'fastify', 'hono'];

let pair;
let origins;
let worker;

before(async () => {
  pair = await keyPair('ES256');
  const keys = { keys: [pair.jwk] };
  origins = await startOrigins({ issuer: ISSUER, audience: AUDIENCE, keys });
  worker = await startWorker('./gateway-front-app.mjs', {
    ISSUER,
    AUDIENCE,
    JWKS: JSON.stringify(keys),
    ORIGINS: JSON.stringify(Object.fromEntries(BEHIND_WORKER.map((name) => [name, origins[name].origin]))),
  });
});

after(async () => {
  await worker?.dispose();
  await Promise.all(Object.values(origins ?? {}).map((origin) => origin.close()));
});

const SUB = goodClaims().sub;
const reader = () => sign(pair, goodClaims({ roles: ['Reader'] }));
const admin = () => sign(pair, goodClaims({ roles: ['Admin'] }));
const none = async () => undefined;
const FORGED = { 'x-user': 'admin', 'x-roles': 'Admin' };
const PREFLIGHT = { origin: 'https://app.test', 'access-control-request-method': 'POST', authorization: 'Bearer forged', ...FORGED };

// [name, method, path, token, extra headers, status, what the origin's handler saw (status 200, not HEAD)]
const ROWS = [
  ['an encoded letter does not reach the admin handler with a reader token', 'GET', '/api/%61dmin/users', reader, {}, 403, null],
  ['an encoded letter under the open catch-all needs the admin token', 'GET', '/%61pi/admin/users', none, {}, 401, null],
  ['an encoded letter with the admin token reaches the admin handler', 'GET', '/api/%61dmin/users', admin, {}, 200, { route: 'admin', user: SUB }],
  ['case: /API/admin under the open catch-all needs the admin token', 'GET', '/API/admin/users', none, {}, 401, null],
  ['case: /Api/Admin under the open catch-all needs the admin token', 'GET', '/Api/Admin/users', none, {}, 401, null],
  ['case: /api/ADMIN is refused to a reader', 'GET', '/api/ADMIN/users', reader, {}, 403, null],
  ['a trailing slash is the same prefix rule', 'GET', '/api/admin/users/', reader, {}, 403, null],
  ['an exact rule with a trailing slash is refused to a reader', 'GET', '/api/secret/', reader, {}, 403, null],
  ['an exact rule in another case is refused to a reader', 'GET', '/api/Secret', reader, {}, 403, null],
  ['the exact rule beats the prefix: the admin token passes', 'GET', '/api/secret', admin, {}, 200, { route: 'secret', user: SUB }],
  ['the prefix rule: a reader reaches the reader handler', 'GET', '/api/users', reader, {}, 200, { route: 'reader', user: SUB }],
  ['HEAD is GET: a GET-only admin rule refuses a reader\'s HEAD', 'HEAD', '/api/secret', reader, {}, 403, null],
  ['HEAD is GET: the admin token\'s HEAD passes', 'HEAD', '/api/secret', admin, {}, 200, null],
  ['a preflight reaches the origin without the forged identity or credentials', 'OPTIONS', '/api/echo', none, PREFLIGHT, 200,
    { route: 'echo', user: null, roles: null, authorization: null }],
  ['forged identity headers on the open catch-all are removed', 'GET', '/public', none, FORGED, 200, { route: 'public', user: null, roles: null }],
  ['an encoded slash is refused', 'GET', '/api%2Fadmin/users', none, {}, 400, null],
  ['an overlong "/" is refused', 'GET', '/api/%C0%AFadmin/users', none, {}, 400, null],
];

async function send(target, method, path, makeToken, extra) {
  const token = await makeToken();
  const headers = { ...extra, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  if (target === 'hono-gateway') return fetch(`${origins[target].origin}${path}`, { method, headers });
  return worker.dispatchFetch(`https://${target}.gateway.test${path}`, { method, headers });
}

for (const target of [...BEHIND_WORKER, 'hono-gateway']) {
  describe(target === 'hono-gateway' ? 'Hono jwtGateway in the same app on Node' : `the Worker gateway in workerd in front of ${target}`, () => {
    for (const [name, method, path, makeToken, extra, status, seen] of ROWS) {
      test(`${name}: ${method} ${path} → ${status}`, async () => {
        const response = await send(target, method, path, makeToken, extra);
        const text = await response.text();
        assert.equal(response.status, status, text);
        if (seen) assert.deepEqual(Object.fromEntries(Object.keys(seen).map((k) => [k, JSON.parse(text)[k]])), seen, text);
        if (status === 400) assert.deepEqual(JSON.parse(text), { error: 'invalid_request', code: 'ERR_REQUEST_INVALID' });
      });
    }
  });
}
