// The verified-token cache: every rule in js/token-cache.js has a row here that
// fails when the rule is dropped. A hit is observed as object identity: the
// cache returns the very result object it stored, a full verification a new one.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { JwtGuardError, createVerifier } from '@jwtguard/jwtguard';
import { DEFAULT_CACHE_ENTRIES, MAX_CACHE_ENTRIES, cacheCapacity, createTokenCache } from '../../js/token-cache.js';
import { KEY_SOURCE } from '../../js/keys/source.js';
import { WasmVerifier, normalizePolicy } from '../../pkg/jwtguard.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const T = 1_900_000_000;
const TOLERANCE = 60; // the policy default
const claimsAt = (overrides = {}) => goodClaims({ iat: T, nbf: T, exp: T + 600, ...overrides });

/** A key source whose key set the test replaces, bumping the generation. */
function mutableSource(jwks) {
  let snapshot = { jwks: JSON.stringify(jwks), generation: 1 };
  return {
    [KEY_SOURCE]: true,
    kind: 'test',
    current: () => snapshot,
    load: async () => snapshot,
    replace(next) {
      snapshot = { jwks: JSON.stringify(next), generation: snapshot.generation + 1 };
    },
  };
}

function setup(extra = {}) {
  const clock = { now: T };
  const source = mutableSource(extra.jwks ?? jwks);
  const verifier = createVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: source,
    now: () => clock.now,
    ...extra.options,
  });
  return { clock, source, verifier };
}

function rejects(fn, code) {
  assert.throws(fn, (error) => error instanceof JwtGuardError && error.code === code, `expected ${code}`);
}

let pair;
let other; // same kid, different key material
let jwks;
let token;
before(async () => {
  pair = await keyPair('ES256', 'k1');
  other = await keyPair('ES256', 'k1');
  jwks = { keys: [pair.jwk] };
  token = await sign(pair, claimsAt());
});

describe('verified-token cache through createVerifier', () => {
  test('a repeated token is a hit: the same frozen result', () => {
    const { verifier } = setup();
    const first = verifier.verifySync(token);
    assert.equal(verifier.verifySync(token), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.claims) && Object.isFrozen(first.claims.roles));
  });

  test('a hit needs the full token: a changed signature is verified, and fails', () => {
    const { verifier } = setup();
    verifier.verifySync(token);
    const dot = token.lastIndexOf('.');
    const flipped = token.slice(dot + 1, dot + 2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, dot + 1)}${flipped}${token.slice(dot + 2)}`;
    rejects(() => verifier.verifySync(tampered), 'ERR_SIGNATURE_INVALID');
    rejects(() => verifier.verifySync(`${token.slice(0, dot)}.`), 'ERR_TOKEN_MALFORMED');
  });

  // Each row changes the key set after the token was cached.
  const rotations = [
    { name: 'the signing key left the set', next: () => ({ keys: [{ ...other.jwk, kid: 'k2' }] }), code: 'ERR_KEY_NOT_FOUND' },
    { name: 'the kid now names another key', next: () => ({ keys: [other.jwk] }), code: 'ERR_SIGNATURE_INVALID' },
    { name: 'same keys, new generation', next: () => jwks, code: null },
  ];
  for (const row of rotations) {
    test(`a new key-set generation is a miss: ${row.name}`, () => {
      const { verifier, source } = setup();
      const cached = verifier.verifySync(token);
      source.replace(row.next());
      if (row.code) rejects(() => verifier.verifySync(token), row.code);
      else assert.notEqual(verifier.verifySync(token), cached, 'verified again, not served from the cache');
    });
  }

  // Each row moves the injected clock after the token was cached at T.
  const times = [
    { name: 'past exp + tolerance', now: T + 600 + TOLERANCE, code: 'ERR_TOKEN_EXPIRED' },
    { name: 'before nbf - tolerance (clock went back)', now: T - TOLERANCE - 1, code: 'ERR_TOKEN_NOT_YET_VALID' },
    { name: 'past maxTokenAge', now: T + 301 + TOLERANCE, code: 'ERR_TOKEN_TOO_OLD', options: { maxTokenAge: 300 } },
    { name: 'still valid', now: T + 100, code: null },
  ];
  for (const row of times) {
    test(`time claims are re-checked on every hit: ${row.name}`, () => {
      const { verifier, clock } = setup({ options: row.options });
      const cached = verifier.verifySync(token);
      clock.now = row.now;
      if (row.code) rejects(() => verifier.verifySync(token), row.code);
      else assert.equal(verifier.verifySync(token), cached);
    });
  }

  test('an entry dies at exp: within the tolerance the token verifies afresh, and is not cached again', () => {
    const { verifier, clock } = setup();
    const cached = verifier.verifySync(token);
    clock.now = T + 600; // exp; the tolerance still accepts it
    const again = verifier.verifySync(token);
    assert.notEqual(again, cached);
    assert.notEqual(verifier.verifySync(token), again);
  });

  test('the cache is a bounded LRU', async () => {
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((jti) => sign(pair, claimsAt({ jti }))));
    const { verifier } = setup({ options: { cache: 2 } });
    const ra = verifier.verifySync(a);
    const rb = verifier.verifySync(b);
    assert.equal(verifier.verifySync(a), ra); // a is now the most recently used
    verifier.verifySync(c); // evicts b, the least recently used
    assert.equal(verifier.verifySync(a), ra);
    assert.notEqual(verifier.verifySync(b), rb);
  });

  test('cache: false verifies every time', () => {
    const { verifier } = setup({ options: { cache: false } });
    assert.notEqual(verifier.verifySync(token), verifier.verifySync(token));
  });

  test('async verify() uses the same cache', async () => {
    const { verifier } = setup();
    assert.equal(await verifier.verify(token), verifier.verifySync(token));
  });

  /** Whether `promise` has settled one microtask after the call that made it. */
  async function settledInOneTick(promise) {
    let settled = false;
    promise.then(() => { settled = true; }, () => { settled = true; });
    await Promise.resolve();
    return settled;
  }

  test('verify() answers a remembered token at once, without its chain of awaits; a miss or a refusal takes the whole path', async () => {
    const { verifier, clock } = setup();
    const missed = verifier.verify(token);
    assert.equal(await settledInOneTick(missed), false, 'a first verification loads keys and awaits');
    const first = await missed;
    const hit = verifier.verify(token);
    assert.equal(await settledInOneTick(hit), true, 'a hit is answered without awaiting');
    assert.equal(await hit, first);
    clock.now = T + 600 + TOLERANCE;
    await assert.rejects(verifier.verify(token), { code: 'ERR_TOKEN_EXPIRED' });
    await assert.rejects(verifier.verify(''), { code: 'ERR_TOKEN_MALFORMED' });
  });

  for (const bad of [-1, 1.5, MAX_CACHE_ENTRIES + 1, 'yes', null, {}]) {
    test(`cache option ${JSON.stringify(bad)} is ERR_POLICY_INVALID`, () => {
      rejects(() => setup({ options: { cache: bad } }), 'ERR_POLICY_INVALID');
    });
  }
});

describe('createTokenCache rules', () => {
  const result = (exp, more = {}) => ({ claims: { exp, nbf: T, iat: T, ...more } });
  const context = (overrides = {}) => ({ generation: 1, policy: 'policy-a', now: T, core: { checkTimes: () => {} }, ...overrides });
  const asking = (checkTimes) => ({ checkTimes });

  const misses = [
    { name: 'another generation', lookup: { generation: 2 } },
    { name: 'another policy', lookup: { policy: 'policy-b' } },
    { name: 'at exp', lookup: { now: T + 600 } },
  ];
  for (const row of misses) {
    test(`miss: ${row.name}`, () => {
      const cache = createTokenCache(10);
      cache.set('t', result(T + 600), context());
      assert.equal(cache.get('t', context()), cache.get('t', context()));
      assert.equal(cache.get('t', context(row.lookup)), null);
      assert.equal(cache.size, 0, 'the dead entry is dropped');
    });
  }

  test('outside the seconds the times passed at, the core checks them with the stored times and now, and its error is thrown', () => {
    const cache = createTokenCache(10);
    cache.set('t', result(T + 600), context());
    const calls = [];
    const record = asking((...args) => calls.push(args));
    assert.ok(cache.get('t', context({ now: T + 5.5, core: record })));
    assert.deepEqual(calls, [[T + 600, T, T, undefined, T + 5.5]]);
    cache.set('a', result(T + 600, { auth_time: T - 30 }), context());
    cache.get('a', context({ now: T - 1, core: record }));
    assert.deepEqual(calls[1], [T + 600, T, T, T - 30, T - 1]);
    const failure = new Error('times');
    assert.throws(() => cache.get('t', context({ now: T + 6, core: asking(() => { throw failure; }) })), (e) => e === failure);
    assert.equal(cache.has('t'), false, 'an entry whose times failed is dropped');
  });

  // The span an entry keeps: set at T, then the core says yes at T + 5.
  // Each row: the `now` of a later hit, and whether the core is asked again.
  const spans = [
    { now: T, asked: false, why: 'the second it was verified at' },
    { now: T + 0.9, asked: false, why: 'a fraction later: the same second' },
    { now: T + 3, asked: false, why: 'between two seconds that passed' },
    { now: T + 5, asked: false, why: 'the span\'s last second' },
    { now: T + 6, asked: true, why: 'after the span' },
    { now: T - 1, asked: true, why: 'before the span (the clock went back)' },
  ];
  for (const row of spans) {
    test(`the core is ${row.asked ? '' : 'not '}asked at ${row.why}`, () => {
      const cache = createTokenCache(10);
      cache.set('t', result(T + 600), context());
      assert.ok(cache.get('t', context({ now: T + 5 })));
      let asked = false;
      assert.ok(cache.get('t', context({ now: row.now, core: asking(() => { asked = true; }) })));
      assert.equal(asked, row.asked);
    });
  }

  test('a token already at exp is not stored', () => {
    const cache = createTokenCache(10);
    cache.set('t', result(T), context());
    assert.equal(cache.size, 0);
  });

  test('capacity option', () => {
    assert.equal(cacheCapacity(undefined), DEFAULT_CACHE_ENTRIES);
    assert.equal(cacheCapacity(true), DEFAULT_CACHE_ENTRIES);
    assert.equal(cacheCapacity(false), 0);
    assert.equal(cacheCapacity(0), 0);
    assert.equal(cacheCapacity(5), 5);
  });
});

// The cache skips the core within the seconds the times already passed at
// (js/token-cache.js): sound only while, for every policy and token, the
// seconds at which the core's time checks pass form one unbroken span. Each
// row is a policy and a token's times; every second of a window around them
// is asked of the core, and the passing ones must be contiguous.
describe('the core\'s time checks pass on one unbroken span of seconds', () => {
  const policies = [
    {},
    { clockTolerance: 0 },
    { clockTolerance: 30, maxTokenAge: 100 },
    { maxLifetime: 300 },
    { requireExp: false, maxTokenAge: 50 },
    { maxAuthAge: 40, clockTolerance: 5 },
  ];
  const times = [
    { exp: T + 600, nbf: T, iat: T },
    { exp: T + 600 },
    { exp: T + 100, nbf: T + 50, iat: T - 20 },
    { exp: T + 600, iat: T + 30, authTime: T - 10 },
    { nbf: T + 10, iat: T },
    { exp: T - 100, iat: T - 200 },
    {},
  ];
  const WINDOW = { from: T - 400, to: T + 900 };
  for (const policy of policies) {
    for (const row of times) {
      test(`${JSON.stringify(policy)} ${JSON.stringify(row)}`, () => {
        const core = new WasmVerifier(normalizePolicy(JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, ...policy })), JSON.stringify(jwks));
        const passing = [];
        for (let now = WINDOW.from; now <= WINDOW.to; now += 1) {
          try {
            core.checkTimes(row.exp, row.nbf, row.iat, row.authTime, now);
            passing.push(now);
          } catch (error) {
            assert.ok(typeof error.code === 'string' && error.code.startsWith('ERR_'), 'a refusal with a code');
          }
        }
        if (passing.length > 0) assert.equal(passing.at(-1) - passing[0] + 1, passing.length, 'no gap between passing seconds');
      });
    }
  }
});
