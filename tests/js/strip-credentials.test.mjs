// R11: a gateway's `stripAuthorization` removes the token from wherever the
// middleware reads it (Authorization, the `tokenFrom` query parameter, cookie
// and header), so the origin never receives it; everything else reaches the
// origin as the caller sent it. Through `gateway` (jwtguard/worker, called as
// a Worker's fetch) and `jwtGateway` (jwtguard/hono, in a Hono app).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Hono } from 'hono';
import { gateway } from '@jwtguard/jwtguard/worker';
import { jwtGateway } from '@jwtguard/jwtguard/hono';
import { AUDIENCE, ISSUER, keyPair, sign } from './helpers.mjs';

const pair = await keyPair('ES256');
const token = await sign(pair);
const ORIGIN = 'https://gateway.test';

/** What the origin receives, as the echo answers it. */
const SEEN = ['authorization', 'dpop', 'cookie', 'x-access-token', 'x-other'];
const echo = async (request) => Response.json({
  url: request.url,
  ...Object.fromEntries(SEEN.map((name) => [name, request.headers.get(name)])),
  ...(request.method === 'POST' ? { body: await request.text() } : {}),
});

const config = (stripAuthorization) => ({
  policies: { reader: { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } } },
  rules: [{ path: '/*', require: 'reader' }],
  forward: { stripAuthorization },
  settings: { tokenFrom: { header: 'X-Access-Token', cookie: 'at', query: 'access_token' } },
});

/** Each adapter as a function of a Request. */
function adapters(stripAuthorization) {
  const worker = gateway(config(stripAuthorization), echo);
  const hono = new Hono();
  hono.use('*', jwtGateway(config(stripAuthorization)));
  hono.all('*', (c) => echo(c.req.raw));
  return { worker: (request) => worker(request, {}, {}), hono: (request) => hono.fetch(request, {}) };
}

// [name, stripAuthorization, path, headers, what the origin receives (members of SEEN and url; the rest null)]
const rows = [
  ['R11 query parameter: removed, the other parameters as written', true,
    `/api/items?a=1&access_token=${token}&b=%20+x&c`, {}, { url: `${ORIGIN}/api/items?a=1&b=%20+x&c` }],
  ['R11 query parameter alone: no query left', true, `/api/items?access_token=${token}`, {}, { url: `${ORIGIN}/api/items` }],
  ['R11 query parameter with an encoded name (read as the same parameter)', true,
    `/api/items?%61ccess_token=${token}&page=2`, {}, { url: `${ORIGIN}/api/items?page=2` }],
  ['R11 cookie: only that cookie goes, the others stay', true, '/api/items', { cookie: `theme=dark; at=${token}; lang=en` },
    { cookie: 'theme=dark; lang=en' }],
  ['R11 cookie alone: no Cookie header left', true, '/api/items', { cookie: `at=${token}` }, {}],
  ['R11 a cookie whose name only ends like it stays', true, '/api/items', { cookie: `flat=1; at=${token}` }, { cookie: 'flat=1' }],
  ['R11 custom header: removed, the other headers stay', true, '/api/items', { 'x-access-token': token, 'x-other': 'kept' }, { 'x-other': 'kept' }],
  ['R11 Authorization: removed', true, '/api/items', { authorization: `Bearer ${token}`, 'x-other': 'kept' }, { 'x-other': 'kept' }],
  ['without stripAuthorization the origin receives what was sent', false, `/api/items?access_token=${token}`, { 'x-other': 'kept' },
    { url: `${ORIGIN}/api/items?access_token=${token}`, 'x-other': 'kept' }],
];

for (const [adapter, strip] of [['worker', true], ['hono', true], ['worker', false], ['hono', false]]) {
  describe(`${adapter} gateway, stripAuthorization ${strip}`, () => {
    const handle = adapters(strip)[adapter];
    for (const [name, stripAuthorization, path, headers, expected] of rows.filter((row) => row[1] === strip)) {
      test(name, async () => {
        const response = await handle(new Request(`${ORIGIN}${path}`, { headers }));
        const received = await response.json();
        assert.equal(response.status, 200, JSON.stringify(received));
        assert.deepEqual(received, { url: `${ORIGIN}/api/items`, ...Object.fromEntries(SEEN.map((name) => [name, null])), ...expected });
        if (stripAuthorization) assert.ok(!JSON.stringify(received).includes(token), 'the token reached the origin');
      });
    }

    test('a POST reaches the origin with its body', async () => {
      const body = JSON.stringify({ amount: 10 });
      const response = await handle(new Request(`${ORIGIN}/api/items?access_token=${token}&page=2`, { method: 'POST', body }));
      const received = await response.json();
      assert.equal(received.body, body);
      assert.equal(received.url, `${ORIGIN}/api/items?${strip ? '' : `access_token=${token}&`}page=2`);
    });
  });
}
