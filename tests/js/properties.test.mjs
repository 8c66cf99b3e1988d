// Property-based tests (fast-check) of the two host-layer parts that take
// input from the network: the Authorization header reader and the key-set
// cache. `make test` runs a few thousand cases; `make test-properties-long`
// sets PROPERTY_SCALE to run a hundred times more.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import fc from 'fast-check';
import { exportJWK, generateKeyPair } from 'jose';
import { readAuthorization } from '../../js/bearer.js';
import { KEY_SOURCE_DEFAULTS } from '../../js/keys/cache.js';
import { remoteJwks } from '@jwtguard/jwtguard';

const SCALE = Number(process.env.PROPERTY_SCALE ?? 1);
const runs = (n) => ({ numRuns: Math.max(1, Math.round(n * SCALE)) });

/** RFC 6750 §2.1 b64token characters. */
const TOKEN68_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/';
const token68 = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...TOKEN68_CHARS), minLength: 1, maxLength: 200 }),
    fc.integer({ min: 0, max: 2 }),
  )
  .map(([body, padding]) => body + '='.repeat(padding));
/** A scheme name in any letter case. */
const casedScheme = (name) =>
  fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length })
    .map((upper) => [...name].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join(''));

describe('Authorization header reading', () => {
  test('Bearer and DPoP with one token68, any letter case and spacing, give back that token', () => {
    const scheme = fc.constantFrom('bearer', 'dpop').chain((name) => fc.tuple(fc.constant(name), casedScheme(name)));
    fc.assert(
      fc.property(
        scheme,
        fc.integer({ min: 1, max: 4 }),
        token68,
        fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 3 }),
        ([name, written], spaces, token, around) => {
          const read = readAuthorization(`${around}${written}${' '.repeat(spaces)}${token}${around}`);
          assert.deepEqual(read, { scheme: name, token });
        },
      ),
      runs(2000),
    );
  });

  test('any header value gives a token68 or a problem, and never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constant(undefined), fc.constant(null)), (header) => {
        const read = readAuthorization(header);
        if (read.problem !== undefined) {
          assert.ok(['missing', 'malformed'].includes(read.problem));
          assert.equal(read.token, undefined);
        } else {
          assert.ok(['bearer', 'dpop'].includes(read.scheme));
          assert.match(read.token, /^[A-Za-z0-9\-._~+/]+=*$/);
          // The token is a part of the header, never more than it.
          assert.ok(header.includes(read.token));
        }
      }),
      runs(5000),
    );
  });

  test('two tokens, a comma (two headers joined) or a character outside token68 is malformed', () => {
    const outside = fc.constantFrom(',', ' x', '"', ';', '\\', '\u00e9', '%', '=a', '\u0000');
    fc.assert(
      fc.property(fc.constantFrom('Bearer', 'DPoP'), token68, outside, token68, (scheme, left, bad, right) => {
        const value = `${scheme} ${left.replace(/=+$/, '')}${bad}${right}`;
        assert.deepEqual(readAuthorization(value), { problem: 'malformed' });
      }),
      runs(2000),
    );
  });

  test('another scheme, or none, is no access token at all', () => {
    const other = fc.stringMatching(/^[A-Za-z]{1,12}$/).filter((s) => !['bearer', 'dpop'].includes(s.toLowerCase()));
    fc.assert(
      fc.property(other, token68, (scheme, token) => {
        assert.deepEqual(readAuthorization(`${scheme} ${token}`), { problem: 'missing' });
      }),
      runs(1000),
    );
    for (const empty of ['', '   ', '\t', undefined, null]) assert.deepEqual(readAuthorization(empty), { problem: 'missing' });
    // Found by this property: scheme names that are members of every JS object.
    for (const inherited of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      assert.deepEqual(readAuthorization(`${inherited} abc`), { problem: 'missing' }, inherited);
    }
  });
});

/**
 * The key-set cache against a scripted identity provider: random sequences
 * of time passing, outages, key rotations, loads and kid misses. After each
 * step the documented bounds must hold.
 */
describe('the key-set cache', () => {
  const { cooldown, maxAgeFloor, staleIfError } = KEY_SOURCE_DEFAULTS;
  const MAX_AGE = 600;
  let keys;

  before(async () => {
    keys = await Promise.all(['k1', 'k2', 'k3'].map(async (kid) => {
      const { publicKey } = await generateKeyPair('ES256');
      return { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    }));
  });

  const command = fc.oneof(
    fc.record({ type: fc.constant('advance'), seconds: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 90_000 })) }),
    fc.record({ type: fc.constant('outage'), down: fc.boolean() }),
    fc.record({ type: fc.constant('rotate') }),
    fc.record({ type: fc.constant('load') }),
    fc.record({ type: fc.constant('kid-miss'), kid: fc.oneof(fc.constantFrom('k1', 'k2', 'k3'), fc.string({ maxLength: 8 })) }),
    fc.record({ type: fc.constant('current') }),
  );

  test('one fetch per cooldown at most; keys served only while usable; a rotation is picked up on a kid miss', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), async (commands) => {
        let t = 1_000_000;
        let down = false;
        let published = 0; // index into keys of the newest key
        const fetches = []; // start times
        const goodFetches = []; // times of fetches that returned keys
        const source = remoteJwks('https://idp.example/keys', {
          now: () => t,
          fetch: async () => {
            fetches.push(t);
            if (down) return new Response('down', { status: 500 });
            goodFetches.push(t);
            const set = { keys: keys.slice(0, published + 1) };
            return new Response(JSON.stringify(set), { headers: { 'cache-control': `max-age=${MAX_AGE}` } });
          },
        });
        const settle = async () => { for (let i = 0; i < 5; i += 1) await new Promise(setImmediate); };
        const kidsOf = (snapshot) => JSON.parse(snapshot.jwks).keys.map((k) => k.kid);

        for (const step of commands) {
          switch (step.type) {
            case 'advance': t += step.seconds; break;
            case 'outage': down = step.down; break;
            case 'rotate': published = Math.min(published + 1, keys.length - 1); break;
            case 'load': await source.load().catch(() => null); break;
            case 'kid-miss': {
              const before = fetches.length;
              const sinceLast = fetches.length === 0 ? Infinity : t - fetches.at(-1);
              const snapshot = await source.refresh(step.kid).catch(() => null);
              // Outside the cooldown a kid miss fetches (once); with the IdP up the newest key is then served.
              if (sinceLast >= cooldown) {
                assert.equal(fetches.length, before + 1, 'a kid miss outside the cooldown fetches');
                if (!down) assert.ok(kidsOf(snapshot).includes(keys[published].kid), 'the rotated key is served');
              }
              break;
            }
            case 'current': source.current(); break;
          }
          await settle();
          // Bound: consecutive fetches are at least one cooldown apart.
          for (let i = 1; i < fetches.length; i += 1) {
            assert.ok(fetches[i] - fetches[i - 1] >= cooldown, `fetches at ${fetches[i - 1]} and ${fetches[i]}: closer than the ${cooldown} s cooldown`);
          }
          // Serving: keys only while the last good fetch is within max age plus staleIfError.
          const lastGood = goodFetches.at(-1);
          const served = source.current();
          if (lastGood === undefined || t >= lastGood + Math.max(MAX_AGE, maxAgeFloor) + staleIfError) {
            assert.equal(served, null, 'no keys past staleIfError');
          } else if (t < lastGood + MAX_AGE) {
            assert.notEqual(served, null, 'fresh keys are served');
          }
          await settle();
        }
      }),
      runs(300),
    );
  });
});
