// No option turns a check off (catalog F13, F14): every whole-number policy
// member and numeric host option refuses NaN, ±Infinity, negatives,
// fractions, strings, null and booleans with ERR_POLICY_INVALID before
// anything reaches the core (JSON.stringify writes NaN as null), and a clock
// that returns anything but Unix seconds refuses the call instead of reading
// as 1970.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createVerifier, remoteJwks } from '@jwtguard/jwtguard';
import { durableObjectReplayStore } from '@jwtguard/jwtguard/worker';
import { WHOLE_NUMBER_MEMBERS } from '../../pkg/facts.js';
import { KEY_SOURCE_DEFAULTS } from '../../js/keys/cache.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

/** Values that are not a whole number ≥ 0, as a configuration might carry them. */
const NOT_WHOLE = [NaN, Infinity, -Infinity, -1, 1.5, '60', null, true];

/** Seconds in 2020: long before the tokens below expire... or after the old ones did. */
const IN_2020 = 1_600_000_000;

let pair;
let jwks;
before(async () => {
  pair = await keyPair('ES256');
  jwks = { keys: [pair.jwk] };
});

const base = () => ({ issuer: ISSUER, audience: AUDIENCE, keys: jwks });
const policyInvalid = (claim) => (error) => error.code === 'ERR_POLICY_INVALID' && error.claim === claim;

describe('whole-number policy members', () => {
  test('the list comes from the core and names real members', () => {
    assert.deepEqual([...WHOLE_NUMBER_MEMBERS].sort(), ['clockTolerance', 'dpopMaxAge', 'maxAuthAge', 'maxLifetime', 'maxTokenAge', 'maxTokenSize']);
  });

  for (const member of WHOLE_NUMBER_MEMBERS) {
    for (const value of NOT_WHOLE) {
      test(`${member}: ${String(value)} is refused by name`, () => {
        assert.throws(() => createVerifier({ ...base(), [member]: value }), policyInvalid(member));
      });
    }
  }

  test('maxTokenAge: NaN no longer lets a token issued in 1970 through', async () => {
    const ancient = await sign(pair, goodClaims({ iat: 0 }));
    assert.throws(() => createVerifier({ ...base(), maxTokenAge: NaN }), policyInvalid('maxTokenAge'));
    const capped = createVerifier({ ...base(), maxTokenAge: 3600 });
    assert.throws(() => capped.verifySync(ancient), (error) => error.code === 'ERR_TOKEN_TOO_OLD');
  });
});

describe('numeric host options', () => {
  for (const option of Object.keys(KEY_SOURCE_DEFAULTS)) {
    // Seconds may be fractional; everything else on the list is refused.
    for (const value of NOT_WHOLE.filter((v) => v !== 1.5 || option === 'maxResponseSize')) {
      test(`key source ${option}: ${String(value)} is refused by name`, () => {
        assert.throws(() => remoteJwks('https://issuer.test/keys', { [option]: value }), policyInvalid(option));
      });
    }
  }
  for (const value of [NaN, Infinity, -1, 1.5, '60', null]) {
    test(`cache: ${String(value)} is refused`, () => {
      assert.throws(() => createVerifier({ ...base(), cache: value }), (error) => error.code === 'ERR_POLICY_INVALID');
    });
  }
  const namespace = { idFromName: (name) => name, get: () => ({ fetch: async () => Response.json({ seen: false }) }) };
  for (const value of [...NOT_WHOLE, 0]) {
    test(`durableObjectReplayStore shards: ${String(value)} is refused by name`, () => {
      assert.throws(() => durableObjectReplayStore(namespace, { shards: value }), policyInvalid('shards'));
    });
  }
});

// [what now() returns, or does]
const brokenClocks = [
  ['null', () => null],
  ['false', () => false],
  ['an empty string', () => ''],
  ['an empty array', () => []],
  ['an object', () => ({})],
  ['a numeric string', () => '1700000000'],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-1', () => -1],
  ['undefined', () => undefined],
  ['past the NumericDate range', () => 253_402_300_800],
  ['an exception', () => { throw new Error('clock unavailable'); }],
];

describe('the clock', () => {
  for (const [what, now] of brokenClocks) {
    test(`now() returning ${what} refuses the verification, naming now`, async () => {
      const expired = await sign(pair, goodClaims({ iat: IN_2020 - 60, nbf: IN_2020 - 60, exp: IN_2020 }));
      const verifier = createVerifier({ ...base(), now, cache: false });
      assert.throws(() => verifier.verifySync(expired), policyInvalid('now'));
      await assert.rejects(verifier.verify(expired), policyInvalid('now'));
    });
  }

  test('a fractional clock is fine: the core rounds down', async () => {
    const verifier = createVerifier({ ...base(), now: () => Date.now() / 1000 });
    assert.equal(verifier.verifySync(await sign(pair)).claims.sub, 'service-principal-1');
  });

  test('now must be a function', () => {
    for (const now of [1_700_000_000, '1700000000', null]) {
      assert.throws(() => createVerifier({ ...base(), now }), policyInvalid('now'));
    }
  });

  test('a key source\'s clock is checked the same way', async () => {
    const keys = remoteJwks('https://issuer.test/keys', {
      now: () => null,
      fetch: async () => new Response(JSON.stringify(jwks), { headers: { 'content-type': 'application/json' } }),
    });
    await assert.rejects(createVerifier({ ...base(), keys }).verify(await sign(pair)), policyInvalid('now'));
  });
});
