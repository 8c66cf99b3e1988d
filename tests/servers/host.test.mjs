// The request URL a Node adapter builds (catalog R01), on Express 5 and 4,
// Connect, Fastify 5 and node:http on 127.0.0.1: a Host header that is not a
// plain host[:port] is answered 400 before any token is read, so it cannot
// move a DPoP proof's htu (a proof for /intended authorising /api/whoami
// through `Host: api.example.com/intended?`); `origin` pins the origin, and
// forwarded headers count only with `trustProxy`. Requests go out with
// node:http and `setHost: false`, so the Host header is sent as written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { FRAMEWORKS, startApp } from './apps.mjs';

const PINNED = 'https://api.example.com';
const REFUSED = { error: 'invalid_request', code: 'ERR_REQUEST_INVALID' };

let pair;
let dpop;
const apps = {};

before(async () => {
  pair = await keyPair('ES256');
  const dpopKey = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(dpopKey.publicKey);
  dpop = { key: dpopKey.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
  const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } };
  for (const name of FRAMEWORKS) {
    apps[name] = {
      plain: await startApp(name, options, { resourceMetadata: true }),
      pinned: await startApp(name, options, { resourceMetadata: true, origin: PINNED }),
      proxied: await startApp(name, options, { trustProxy: true }),
    };
  }
});

after(async () => {
  await Promise.all(Object.values(apps).flatMap((variants) => Object.values(variants).map((app) => app.close())));
});

/** GET `path` with these exact headers (Host included) → `{ status, headers, body }`. */
function get(app, path, headers) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: app.port, path, headers, setHost: false, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text === '' ? null : JSON.parse(text) }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** A DPoP-bound token and a proof of its key for `htu`. */
async function bound(htu) {
  const token = await sign(pair, goodClaims({ cnf: { jkt: dpop.jkt } }));
  const proof = await new SignJWT({
    htm: 'GET', htu, iat: nowSeconds(), jti: crypto.randomUUID(), ath: createHash('sha256').update(token).digest('base64url'),
  }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: dpop.jwk }).sign(dpop.key);
  return { authorization: `DPoP ${token}`, dpop: proof };
}

// [case, Host header value (a function of the app's port), refused?]
const hosts = [
  ['a path after the host', () => 'api.example.com/intended', true],
  ['a query mark after the host', () => 'api.example.com/intended?', true],
  ['a fragment mark after the host', () => 'api.example.com/intended#', true],
  ['userinfo', () => 'attacker@api.example.com', true],
  ['a backslash', () => 'api.example.com\\intended', true],
  ['a space', () => 'api.example.com x', true],
  ['empty', () => '', true],
  ['a label of 300 characters', () => `${'a'.repeat(300)}.example`, true],
  ['a port above 65535', () => 'api.example.com:65536', true],
  ['a port that is not digits', () => 'api.example.com:80a', true],
  ['an unclosed IPv6 literal', () => '[::1', true],
  ['an IPv6 literal with a zone', () => '[fe80::1%25eth0]', true],
  ['an IPv6 literal that is not one', () => '[::g]', true],
  ['a comma (two hosts)', () => 'api.example.com,evil.example', true],
  ['the listening address', (port) => `127.0.0.1:${port}`, false],
  ['a DNS name', () => 'api.example.com', false],
  ['a DNS name with a trailing dot', () => 'api.example.com.', false],
  ['an IPv6 literal with a port', (port) => `[::1]:${port}`, false],
];

for (const name of FRAMEWORKS) {
  describe(`${name}: the request URL`, () => {
    for (const [shape, host, refused] of hosts) {
      test(`Host ${shape} → ${refused ? '400 before the token' : 'read'}`, async () => {
        const app = apps[name].plain;
        const response = await get(app, '/api/whoami', { host: host(app.port) });
        if (refused) {
          assert.equal(response.status, 400);
          assert.deepEqual(response.body, REFUSED);
          assert.equal(response.headers['www-authenticate'], undefined);
        } else {
          assert.equal(response.status, 401);
          assert.deepEqual(response.body, { error: 'unauthorized', code: null });
        }
      });
    }

    test('a proof for /intended cannot authorise /api/whoami through the Host header (? and #)', async () => {
      const app = apps[name].plain;
      for (const mark of ['?', '#']) {
        const headers = await bound('http://api.example.com/intended');
        const response = await get(app, '/api/whoami', { ...headers, host: `api.example.com/intended${mark}` });
        assert.deepEqual([response.status, response.body], [400, REFUSED], mark);
      }
      // The honest request: the proof names the URL the request went to.
      const honest = await get(app, '/api/whoami', { ...(await bound('http://api.example.com/api/whoami')), host: 'api.example.com' });
      assert.equal(honest.status, 200);
    });

    test('an absolute-form target (another authority in the request line) → 400 before the token', async () => {
      const app = apps[name].plain;
      const response = await get(app, 'http://evil.example/api/whoami', { host: `127.0.0.1:${app.port}` });
      assert.deepEqual([response.status, response.body], [400, REFUSED]);
    });

    test('origin pins the URL: the Host header is not read', async () => {
      const app = apps[name].pinned;
      const pinned = await get(app, '/api/whoami', { ...(await bound(`${PINNED}/api/whoami`)), host: 'evil.example/x?' });
      assert.equal(pinned.status, 200);
      const fromHost = await get(app, '/api/whoami', { ...(await bound('http://evil.example/api/whoami')), host: 'evil.example' });
      assert.deepEqual([fromHost.status, fromHost.body.code], [401, 'ERR_DPOP_INVALID']);
    });

    test('forwarded headers count only with trustProxy, and are checked like the Host header', async () => {
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };
      const url = 'https://api.example.com/api/whoami';
      // Without trustProxy the proxy's headers are ignored: the proof must name what the Host says.
      const ignored = await get(apps[name].plain, '/api/whoami', { ...(await bound(url)), ...forwarded, host: 'internal:8080' });
      assert.deepEqual([ignored.status, ignored.body.code], [401, 'ERR_DPOP_INVALID']);
      const proxied = apps[name].proxied;
      const trusted = await get(proxied, '/api/whoami', { ...(await bound(url)), ...forwarded, host: 'internal:8080' });
      assert.equal(trusted.status, 200);
      // RFC 7239: the last element is the one the proxy in front of the app added.
      const standard = { forwarded: 'host=evil.example;proto=http, host="api.example.com";proto=https' };
      const viaForwarded = await get(proxied, '/api/whoami', { ...(await bound(url)), ...standard, host: 'internal:8080' });
      assert.equal(viaForwarded.status, 200);
      for (const bad of [{ 'x-forwarded-host': 'api.example.com/x?' }, { 'x-forwarded-proto': 'gopher' }, { forwarded: 'host' }]) {
        const response = await get(proxied, '/api/whoami', { ...(await bound(url)), ...bad, host: 'internal:8080' });
        assert.deepEqual([response.status, response.body], [400, REFUSED], JSON.stringify(bad));
      }
    });

    test('RFC 9728: a resource taken from the Host header is private to the client; a pinned one is public', async () => {
      const { plain, pinned } = apps[name];
      const fromHost = await get(plain, '/.well-known/oauth-protected-resource', { host: 'api.example.com' });
      assert.equal(fromHost.status, 200);
      assert.equal(fromHost.body.resource, 'http://api.example.com');
      assert.match(fromHost.headers['cache-control'], /^private, max-age=\d+$/);
      assert.equal(fromHost.headers.vary, 'host');
      const fixed = await get(pinned, '/.well-known/oauth-protected-resource', { host: 'evil.example' });
      assert.equal(fixed.body.resource, PINNED);
      assert.match(fixed.headers['cache-control'], /^public, max-age=\d+$/);
      const challenge = (await get(pinned, '/api/whoami', { host: 'evil.example' })).headers['www-authenticate'];
      assert.match(challenge, new RegExp(`resource_metadata="${PINNED}/\\.well-known/oauth-protected-resource"`));
    });
  });
}

test('settings: origin must be an origin, trustProxy a boolean', async () => {
  for (const settings of [
    { origin: 'https://api.example.com/path' }, { origin: 'https://api.example.com?x' }, { origin: 'ftp://api.example.com' },
    { origin: 'https://user@api.example.com' }, { origin: 'api.example.com' }, { origin: 42 }, { trustProxy: 'yes' },
  ]) {
    await assert.rejects(startApp('express', { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } }, settings),
      (error) => error.code === 'ERR_POLICY_INVALID', JSON.stringify(settings));
  }
});
