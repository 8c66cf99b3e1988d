// remoteJwks and discover: the caching rules (max-age clamp, stale-while-
// revalidate, stale-if-error, kid-miss cooldown, single flight, Workers mode),
// the fetch rules (timeout, size cap, status, redirects, https only), the
// store, events, and the verifier's use of them. An injected fetch and clock
// make each rule observable; the fetch rules also run over real HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JwtGuardError, KEY_SOURCE_DEFAULTS, createVerifier, discover, remoteJwks } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, keyPair, sign } from '../helpers.mjs';
import { deferred, fakeClock, fakeFetch, jsonResponse, recorder, sendJson, serve } from './net.mjs';

const JWKS_URL = 'https://idp.test/keys';

let one;
let two;
before(async () => {
  one = await keyPair('ES256', 'key-one');
  two = await keyPair('ES256', 'key-two');
});

const jwksOf = (...pairs) => ({ keys: pairs.map((p) => p.jwk) });

/** A remote source over a fake fetch, a fake clock and an event recorder. */
function setup(handler, options = {}) {
  const clock = fakeClock();
  const log = recorder();
  const net = fakeFetch(handler);
  const keys = remoteJwks(JWKS_URL, { fetch: net.fetch, now: clock.now, onEvent: log.onEvent, ...options });
  const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });
  return { clock, log, net, keys, verifier };
}

async function rejects(promise, code) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof JwtGuardError, String(error));
    assert.equal(error.code, code, error.message);
    return true;
  });
}

function throwsCode(fn, code, claim) {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof JwtGuardError, String(error));
    assert.equal(error.code, code, error.message);
    if (claim !== undefined) assert.equal(error.claim, claim);
    return true;
  });
}

describe('loading', () => {
  test('verifySync throws ERR_KEYS_NOT_LOADED until ready() has fetched the keys', async () => {
    const { net, log, verifier } = setup(() => jsonResponse(jwksOf(one)));
    const token = await sign(one);
    throwsCode(() => verifier.verifySync(token), 'ERR_KEYS_NOT_LOADED');
    assert.equal(net.calls.length, 0);
    await verifier.ready();
    assert.equal(verifier.verifySync(token).key.kid, 'key-one');
    assert.deepEqual(net.calls, [JWKS_URL]);
    assert.deepEqual(log.types(), ['fetch', 'keys-changed']);
    assert.deepEqual(log.of('keys-changed')[0].added, ['key-one']);
    assert.equal(log.of('fetch')[0].reason, 'load');
  });

  test('verify() loads by itself and fetches once for many tokens', async () => {
    const { net, verifier } = setup(() => jsonResponse(jwksOf(one)));
    const token = await sign(one);
    for (let i = 0; i < 20; i += 1) assert.equal((await verifier.verify(token)).key.kid, 'key-one');
    assert.equal(net.calls.length, 1);
  });

  test('concurrent first loads share one fetch (single flight)', async () => {
    const gate = deferred();
    const { net, verifier } = setup(async () => {
      await gate.promise;
      return jsonResponse(jwksOf(one));
    });
    const token = await sign(one);
    const all = Promise.all(Array.from({ length: 50 }, () => verifier.verify(token)));
    gate.resolve();
    assert.equal((await all).length, 50);
    assert.equal(net.calls.length, 1);
  });
});

describe('max age from Cache-Control, clamped to [5 min, 24 h]', () => {
  const table = [
    [undefined, 3600],
    ['max-age=600', 600],
    ['public, max-age=7200, must-revalidate', 7200],
    ['max-age=10', 300],
    ['no-store', 300],
    ['max-age=999999', 86_400],
    ['max-age=banana', 3600],
  ];
  for (const [header, want] of table) {
    test(`${header ?? 'no header'} → ${want} s, then a refresh`, async () => {
      const { clock, net, log, keys } = setup(() => jsonResponse(jwksOf(one), header ? { 'cache-control': header } : {}));
      await keys.load();
      assert.equal(log.of('fetch')[0].maxAge, want);
      clock.advance(want - 1);
      assert.notEqual(keys.current(), null);
      assert.equal(net.calls.length, 1, 'still fresh: no fetch');
      clock.advance(1);
      const refreshed = log.next('fetch');
      assert.notEqual(keys.current(), null, 'stale keys are served while refreshing');
      assert.equal((await refreshed).reason, 'expired');
      assert.equal(net.calls.length, 2);
    });
  }

  test('the clamp and the default are options', async () => {
    const { log, keys } = setup(() => jsonResponse(jwksOf(one), { 'cache-control': 'max-age=5' }), { maxAgeFloor: 60 });
    await keys.load();
    assert.equal(log.of('fetch')[0].maxAge, 60);
    const other = setup(() => jsonResponse(jwksOf(one)), { defaultMaxAge: 900 });
    await other.keys.load();
    assert.equal(other.log.of('fetch')[0].maxAge, 900);
  });
});

describe('stale-while-revalidate and stale-if-error', () => {
  test('past max age, verification goes on with the current keys while one background refresh runs', async () => {
    const gate = deferred();
    const { clock, net, log, verifier } = setup(async (_url, _init, n) => {
      if (n === 1) return jsonResponse(jwksOf(one));
      await gate.promise;
      return jsonResponse(jwksOf(one, two));
    });
    const tokenOne = await sign(one);
    const tokenTwo = await sign(two);
    await verifier.ready();
    clock.advance(3600);
    for (let i = 0; i < 10; i += 1) assert.equal(verifier.verifySync(tokenOne).key.kid, 'key-one');
    assert.equal(net.calls.length, 2, 'one refresh in flight, however many verifications');
    assert.equal(log.of('refresh').length, 1);
    const changed = log.next('keys-changed');
    gate.resolve();
    assert.deepEqual((await changed).added, ['key-two']);
    assert.equal(verifier.verifySync(tokenTwo).key.kid, 'key-two');
  });

  test('a failed refresh keeps the last good keys for 24 h, reports it, and retries after the cooldown', async () => {
    const { clock, net, log, verifier } = setup((_url, _init, n) => (n === 1 ? jsonResponse(jwksOf(one)) : new Response('down', { status: 503 })));
    const token = await sign(one);
    await verifier.ready();
    clock.advance(3600);
    const stale = log.next('stale-served');
    assert.equal(verifier.verifySync(token).key.kid, 'key-one');
    const served = await stale;
    assert.equal(served.until, 1_800_000_000 + 3600 + 86_400);
    const [error] = log.of('error');
    assert.equal(error.error.code, 'ERR_JWKS_FETCH_FAILED');
    assert.match(error.error.message, /answered 503/);

    clock.advance(KEY_SOURCE_DEFAULTS.cooldown - 1);
    assert.equal((await verifier.verify(token)).key.kid, 'key-one');
    assert.equal(net.calls.length, 2, 'no retry within the cooldown');
    clock.advance(1);
    const again = log.next('stale-served');
    assert.equal((await verifier.verify(token)).key.kid, 'key-one');
    await again;
    assert.equal(net.calls.length, 3, 'one retry after the cooldown');

    clock.t = 1_800_000_000 + 3600 + 86_400; // the stale-if-error window is over
    throwsCode(() => verifier.verifySync(token), 'ERR_KEYS_NOT_LOADED');
    await rejects(verifier.verify(token), 'ERR_JWKS_FETCH_FAILED');
  });

  test('without keys, a failed fetch is not retried within the cooldown', async () => {
    const { clock, net, verifier } = setup(() => new Response('', { status: 500 }));
    await rejects(verifier.ready(), 'ERR_JWKS_FETCH_FAILED');
    await rejects(verifier.ready(), 'ERR_JWKS_FETCH_FAILED');
    assert.equal(net.calls.length, 1);
    clock.advance(KEY_SOURCE_DEFAULTS.cooldown);
    await rejects(verifier.ready(), 'ERR_JWKS_FETCH_FAILED');
    assert.equal(net.calls.length, 2);
  });

  const unusable = [
    ['an empty key set', { keys: [] }],
    ['a key set with no usable key', { keys: [{ kty: 'oct', kid: 'h', k: 'c2VjcmV0' }, { kty: 'RSA', kid: 'tiny', n: 'AQAB', e: 'AQAB' }] }],
  ];
  for (const [name, body] of unusable) {
    test(`a refresh answered with ${name} counts as a failure and keeps the old keys`, async () => {
      const bodies = [jwksOf(one), body];
      const { clock, log, verifier } = setup((_url, _init, n) => jsonResponse(bodies[n - 1] ?? 'x'));
      const token = await sign(one);
      await verifier.ready();
      clock.advance(3600);
      const stale = log.next('stale-served');
      verifier.verifySync(token);
      await stale;
      assert.equal(log.of('error')[0].error.code, 'ERR_JWKS_INVALID');
      assert.equal(verifier.verifySync(token).key.kid, 'key-one');
    });
  }
});

describe('unknown kid: one refresh, then a cooldown', () => {
  test('a rotated key verifies after one kid-miss refresh', async () => {
    const { clock, net, log, verifier } = setup((_url, _init, n) => jsonResponse(n === 1 ? jwksOf(one) : jwksOf(two)));
    await verifier.ready();
    clock.advance(KEY_SOURCE_DEFAULTS.cooldown);
    const token = await sign(two);
    assert.equal((await verifier.verify(token)).key.kid, 'key-two');
    assert.equal(net.calls.length, 2);
    assert.deepEqual(log.types().slice(2), ['kid-miss', 'refresh', 'fetch', 'keys-changed']);
    assert.equal(log.of('kid-miss')[0].kid, 'key-two');
    assert.deepEqual(log.of('keys-changed')[1].removed, ['key-one']);
  });

  test('within the cooldown an unknown kid fetches nothing and fails with ERR_KEY_NOT_FOUND', async () => {
    const { clock, net, log, verifier } = setup(() => jsonResponse(jwksOf(one)));
    await verifier.ready();
    const stranger = await sign({ ...two, kid: 'nobody' });
    await rejects(verifier.verify(stranger), 'ERR_KEY_NOT_FOUND');
    assert.equal(net.calls.length, 1);
    assert.equal(log.of('cooldown')[0].retryIn, KEY_SOURCE_DEFAULTS.cooldown);
    clock.advance(KEY_SOURCE_DEFAULTS.cooldown);
    await rejects(verifier.verify(stranger), 'ERR_KEY_NOT_FOUND');
    assert.equal(net.calls.length, 2, 'one refresh once the cooldown is over');
    await rejects(verifier.verify(stranger), 'ERR_KEY_NOT_FOUND');
    assert.equal(net.calls.length, 2, 'and then none for the next cooldown');
  });

  test('a failing kid-miss refresh leaves ERR_KEY_NOT_FOUND and reports the fetch error', async () => {
    const { clock, log, verifier } = setup((_url, _init, n) => (n === 1 ? jsonResponse(jwksOf(one)) : new Response('', { status: 502 })));
    await verifier.ready();
    clock.advance(KEY_SOURCE_DEFAULTS.cooldown);
    await rejects(verifier.verify(await sign(two)), 'ERR_KEY_NOT_FOUND');
    assert.equal(log.of('error')[0].error.code, 'ERR_JWKS_FETCH_FAILED');
  });
});

describe('Cloudflare Workers mode (shareInFlight: false)', () => {
  test('a request with usable keys never waits on a refresh another request started', async () => {
    const hung = deferred(); // never resolved: the request that started the fetch is gone
    const { clock, net, verifier } = setup((_url, _init, n) => (n === 1 ? jsonResponse(jwksOf(one)) : hung.promise), { shareInFlight: false, timeout: 0.2 });
    const token = await sign(one);
    await verifier.ready();
    clock.advance(3600);
    assert.equal(verifier.verifySync(token).key.kid, 'key-one'); // starts the background refresh
    assert.equal((await verifier.verify(token)).key.kid, 'key-one');
    assert.equal(net.calls.length, 2);
  });

  test('cold requests do not await each other\'s fetch, yet 200 of them cause one fetch', async () => {
    const { net, keys } = setup(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return jsonResponse(jwksOf(one));
    }, { shareInFlight: false });
    const loads = await Promise.all(Array.from({ length: 200 }, () => keys.load()));
    assert.ok(loads.every((snapshot) => JSON.parse(snapshot.jwks).keys[0].kid === 'key-one'));
    assert.equal(net.calls.length, 1);
  });

  test('a request without keys fetches for itself once another request\'s fetch is overdue', async () => {
    const hung = deferred(); // never settles by itself: the request that started it is gone
    const { clock, net, keys } = setup((_url, _init, n) => (n === 1 ? hung.promise : jsonResponse(jwksOf(one))), { shareInFlight: false, timeout: 1 });
    const first = keys.load();
    const second = keys.load();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(net.calls.length, 1, 'the second request waits on its own timers');
    clock.advance(2); // past the timeout: the first fetch is given up on
    const loaded = await second;
    assert.equal(JSON.parse(loaded.jwks).keys[0].kid, 'key-one');
    assert.equal(net.calls.length, 2);
    await rejects(first, 'ERR_JWKS_TIMEOUT'); // the hung one ends by our own timer
  });
});

describe('fetch rules', () => {
  let server;
  before(async () => {
    server = await serve((req, res, url) => {
      if (url.pathname === '/jwks') return sendJson(res, jwksOf(one));
      if (url.pathname === '/redirect') {
        res.writeHead(302, { location: '/jwks' });
        return res.end();
      }
      if (url.pathname === '/missing') {
        res.writeHead(404);
        return res.end('not here');
      }
      if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length given
        res.write(`{"keys":[{"kty":"oct","k":"${'A'.repeat(600 * 1024)}`);
        return res.end('"}]}');
      }
      if (url.pathname === '/big-declared') {
        const body = `{"pad":"${'A'.repeat(600 * 1024)}"}`;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        return res.end(body);
      }
      if (url.pathname === '/html') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>sign in</html>');
      }
      if (url.pathname === '/silent') return undefined; // never answers
      res.writeHead(500);
      return res.end();
    });
  });
  after(() => server.close());

  const load = (path, options = {}) => remoteJwks(`${server.origin}${path}`, options).load();

  test('a key set over real HTTP loads', async () => {
    const snapshot = await load('/jwks');
    assert.equal(JSON.parse(snapshot.jwks).keys[0].kid, 'key-one');
  });

  const failures = [
    ['/redirect', 'ERR_JWKS_FETCH_FAILED', /answered 302 \(redirects are not followed\)/],
    ['/missing', 'ERR_JWKS_FETCH_FAILED', /answered 404/],
    ['/big', 'ERR_JWKS_FETCH_FAILED', /over the 524288-byte limit/],
    ['/big-declared', 'ERR_JWKS_FETCH_FAILED', /over the 524288-byte limit/],
    ['/html', 'ERR_JWKS_INVALID', /^key set \(jwks\) is invalid: expected value \(from http:\/\/127\.0\.0\.1:\d+\/html\)$/],
    ['/silent', 'ERR_JWKS_TIMEOUT', /no complete answer within 0.3 s/],
  ];
  for (const [path, code, message] of failures) {
    test(`${path} → ${code}`, async () => {
      await assert.rejects(load(path, { timeout: 0.3 }), (error) => {
        assert.equal(error.code, code, error.message);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  test('the redirect target is never requested', async () => {
    const before = server.hits.filter((h) => h === '/jwks').length;
    await rejects(load('/redirect'), 'ERR_JWKS_FETCH_FAILED');
    assert.equal(server.hits.filter((h) => h === '/jwks').length, before);
  });

  test('maxResponseSize is an option', async () => {
    await rejects(load('/jwks', { maxResponseSize: 64 }), 'ERR_JWKS_FETCH_FAILED');
  });

  test('a refused connection is ERR_JWKS_FETCH_FAILED naming the cause', async () => {
    const gone = await serve(() => {});
    await gone.close();
    await assert.rejects(remoteJwks(`${gone.origin}/jwks`).load(), (error) => {
      assert.equal(error.code, 'ERR_JWKS_FETCH_FAILED');
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });

  test('a fetch that ignores its AbortSignal still times out', async () => {
    const { fetch } = fakeFetch(() => new Promise(() => {}));
    await rejects(remoteJwks(JWKS_URL, { fetch, timeout: 0.05 }).load(), 'ERR_JWKS_TIMEOUT');
  });

  test('the request asks for JSON, does not follow redirects and carries a signal', async () => {
    let seen;
    const { fetch } = fakeFetch((_url, init) => {
      seen = init;
      return jsonResponse(jwksOf(one));
    });
    await remoteJwks(JWKS_URL, { fetch }).load();
    assert.equal(seen.redirect, 'manual');
    assert.equal(seen.method, 'GET');
    assert.ok(seen.signal instanceof AbortSignal);
    assert.match(seen.headers.accept, /application\/json/);
  });
});

describe('configuration', () => {
  test('URLs must be https, or http to a loopback host', () => {
    for (const url of ['https://idp.test/keys', 'http://127.0.0.1:8080/jwks', 'http://localhost/jwks', 'http://[::1]:9/jwks']) {
      assert.equal(remoteJwks(url).kind, 'remote', url);
    }
    for (const url of ['http://idp.test/keys', 'http://127.0.0.2/jwks', 'ftp://idp.test/keys', 'keys.json', 'https://user:pw@idp.test/keys', 42]) {
      throwsCode(() => remoteJwks(url), 'ERR_POLICY_INVALID', 'jwks url');
    }
  });

  test('options are checked', () => {
    const table = [
      [{ cacheMaxAge: 10 }, '"cacheMaxAge"'],
      [{ timeout: 0 }, 'timeout'],
      [{ cooldown: -1 }, 'cooldown'],
      [{ staleIfError: '1d' }, 'staleIfError'],
      [{ maxAgeFloor: 100, maxAgeCeiling: 50 }, 'maxAgeFloor'],
      [{ fetch: 'fetch' }, 'fetch'],
      [{ store: { get() {} } }, 'store'],
      [{ shareInFlight: 1 }, 'shareInFlight'],
    ];
    for (const [options, claim] of table) throwsCode(() => remoteJwks(JWKS_URL, options), 'ERR_POLICY_INVALID', claim);
  });

  test('the documented defaults', () => {
    assert.deepEqual({ ...KEY_SOURCE_DEFAULTS }, {
      timeout: 5, maxResponseSize: 524_288, maxAgeFloor: 300, maxAgeCeiling: 86_400, defaultMaxAge: 3600, staleIfError: 86_400, cooldown: 30,
    });
  });

  test('a listener that throws does not break verification', async () => {
    const { fetch } = fakeFetch(() => jsonResponse(jwksOf(one)));
    const keys = remoteJwks(JWKS_URL, { fetch, onEvent: () => { throw new Error('listener bug'); } });
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });
    assert.equal((await verifier.verify(await sign(one))).key.kid, 'key-one');
  });
});

describe('store', () => {
  function memoryStore() {
    const data = new Map();
    const puts = [];
    return {
      data,
      puts,
      async get(key) {
        return data.get(key) ?? null;
      },
      async put(key, value, ttl) {
        puts.push({ key, ttl });
        data.set(key, value);
      },
    };
  }

  test('a fetched key set is persisted with its TTL and seeds a cold source without a fetch', async () => {
    const store = memoryStore();
    const warm = setup(() => jsonResponse(jwksOf(one), { 'cache-control': 'max-age=600' }), { store });
    await warm.keys.load();
    assert.deepEqual(store.puts, [{ key: `jwtguard:jwks:${JWKS_URL}`, ttl: 600 + 86_400 }]);

    const cold = setup(() => {
      throw new Error('must not fetch');
    }, { store });
    const token = await sign(one);
    assert.equal((await cold.verifier.verify(token)).key.kid, 'key-one');
    assert.equal(cold.net.calls.length, 0);
    assert.equal(cold.log.of('keys-changed').length, 1);
  });

  test('a stored entry past its stale-if-error window is ignored', async () => {
    const store = memoryStore();
    store.data.set(`jwtguard:jwks:${JWKS_URL}`, JSON.stringify({ text: JSON.stringify(jwksOf(two)), fetchedAt: 1_700_000_000, maxAge: 3600 }));
    const { net, keys } = setup(() => jsonResponse(jwksOf(one)), { store });
    const snapshot = await keys.load();
    assert.equal(net.calls.length, 1);
    assert.equal(JSON.parse(snapshot.jwks).keys[0].kid, 'key-one');
  });

  test('a failing store is reported and the network is used', async () => {
    const store = {
      get: async () => {
        throw new Error('kv unavailable');
      },
      put: async () => {
        throw new Error('kv unavailable');
      },
    };
    const { net, log, keys } = setup(() => jsonResponse(jwksOf(one)), { store });
    await keys.load();
    assert.equal(net.calls.length, 1);
    const messages = log.of('error').map((e) => e.error.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /store\.get .* threw: kv unavailable/);
    assert.match(messages[1], /store\.put .* threw: kv unavailable/);
  });
});

describe('discover', () => {
  const METADATA = `${ISSUER}/.well-known/openid-configuration`;

  function idp(metadata, jwks = jwksOf(one)) {
    return fakeFetch((url) => {
      if (url === METADATA) return jsonResponse(metadata);
      if (url === JWKS_URL) return jsonResponse(jwks);
      return new Response('', { status: 404 });
    });
  }

  test('reads the jwks_uri from the issuer\'s discovery document', async () => {
    const { fetch, calls } = idp({ issuer: ISSUER, jwks_uri: JWKS_URL });
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: discover(ISSUER, { fetch }) });
    assert.equal((await verifier.verify(await sign(one))).key.kid, 'key-one');
    assert.deepEqual(calls, [METADATA, JWKS_URL]);
  });

  const invalid = [
    ['names another issuer', { issuer: `${ISSUER}/`, jwks_uri: JWKS_URL }, /names issuer/],
    ['has no issuer', { jwks_uri: JWKS_URL }, /has no issuer/],
    ['has no jwks_uri', { issuer: ISSUER }, /jwks_uri must be a url/],
    ['has a plain-http jwks_uri', { issuer: ISSUER, jwks_uri: 'http://idp.test/keys' }, /jwks_uri must use https/],
    ['is not an object', [ISSUER], /did not return a json object/],
  ];
  for (const [name, metadata, message] of invalid) {
    test(`a document that ${name} is ERR_DISCOVERY_INVALID`, async () => {
      const { fetch } = idp(metadata);
      await assert.rejects(discover(ISSUER, { fetch }).load(), (error) => {
        assert.equal(error.code, 'ERR_DISCOVERY_INVALID', error.message);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  test('a {tenantid} issuer needs metadataUrl and must match the document\'s template', async () => {
    const template = 'https://login.test/{tenantid}/v2.0';
    throwsCode(() => discover(template), 'ERR_POLICY_INVALID', 'metadataUrl');
    const { fetch } = fakeFetch((url) => (url === JWKS_URL ? jsonResponse(jwksOf(one)) : jsonResponse({ issuer: template, jwks_uri: JWKS_URL })));
    const keys = discover(template, { fetch, metadataUrl: 'https://login.test/common/v2.0/.well-known/openid-configuration' });
    assert.notEqual(await keys.load(), null);
  });

  test('when a refreshed document names a new jwks_uri, the new key set takes over once loaded', async () => {
    const clock = fakeClock();
    const log = recorder();
    const moved = 'https://idp.test/keys-v2';
    const { fetch } = fakeFetch((url, _init, n) => {
      if (url === METADATA) return jsonResponse({ issuer: ISSUER, jwks_uri: n === 1 ? JWKS_URL : moved });
      return jsonResponse(url === moved ? jwksOf(two) : jwksOf(one));
    });
    const keys = discover(ISSUER, { fetch, now: clock.now, onEvent: log.onEvent });
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });
    await verifier.ready();
    clock.advance(3600);
    const loaded = log.next('keys-changed');
    assert.equal(verifier.verifySync(await sign(one)).key.kid, 'key-one'); // old set while the new one loads
    assert.equal((await loaded).url, moved);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(verifier.verifySync(await sign(two)).key.kid, 'key-two');
  });
});
