// DPoP server nonces (js/dpop-nonce.js and dpopNonce of createVerifier): the
// HMAC windows checked against node:crypto's HMAC (independent of the
// module's WebCrypto), the option's bounds, and the core's nonce rule
// through verifyRequest with proofs signed by jose.
import assert from 'node:assert/strict';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { createVerifier } from '@jwtguard/jwtguard';
import { DEFAULT_NONCE_WINDOW, MAX_NONCE_WINDOW, MIN_NONCE_SECRET_BYTES, dpopNonces } from '../../js/dpop-nonce.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const SECRET = 'a nonce secret of at least thirty-two bytes';
const T = 1_900_000_123;
/** The nonce of window `index`, as the module's comment defines it, by node:crypto. */
const expected = (secret, index) => createHmac('sha256', secret).update(`jwtguard dpop nonce ${index}`).digest('base64url');

describe('dpopNonces: stateless windows', () => {
  const rows = [
    // [name, window, now]
    ['default window', undefined, T],
    ['one-second window', 1, T],
    ['at a window start', 60, 1_900_000_020],
    ['at a window end', 60, 1_900_000_019],
    ['the longest window', MAX_NONCE_WINDOW, T],
  ];
  for (const [name, window, now] of rows) {
    test(name, async () => {
      const nonces = dpopNonces({ secret: SECRET, ...(window === undefined ? {} : { window }) });
      const index = Math.floor(now / (window ?? DEFAULT_NONCE_WINDOW));
      assert.equal(await nonces.current(now), expected(SECRET, index));
      assert.deepEqual(await nonces.accepted(now), [expected(SECRET, index), expected(SECRET, index - 1)]);
    });
  }

  test('a nonce is accepted in its window and the next, not after; another secret\'s never', async () => {
    const nonces = dpopNonces({ secret: SECRET, window: 60 });
    const foreign = dpopNonces({ secret: new TextEncoder().encode(`${SECRET}, but another`), window: 60 });
    const given = await nonces.current(T);
    const start = Math.floor(T / 60) * 60;
    assert.ok((await nonces.accepted(start + 59)).includes(given), 'current');
    assert.ok((await nonces.accepted(start + 60)).includes(given), 'previous');
    assert.ok((await nonces.accepted(start + 119)).includes(given), 'previous, to its end');
    assert.ok(!(await nonces.accepted(start + 120)).includes(given), 'stale');
    assert.ok(!(await nonces.accepted(start - 1)).includes(given), 'not before its window');
    assert.ok(!(await nonces.accepted(T)).includes(await foreign.current(T)), 'foreign');
    // Two servers with one secret make the same nonces: a fleet shares them without storage.
    assert.equal(await dpopNonces({ secret: new TextEncoder().encode(SECRET), window: 60 }).current(T), given);
  });

  const refused = [
    ['no secret', {}],
    ['secret a number', { secret: 42 }],
    ['secret too short', { secret: 'x'.repeat(MIN_NONCE_SECRET_BYTES - 1) }],
    ['secret bytes too short', { secret: new Uint8Array(MIN_NONCE_SECRET_BYTES - 1) }],
    ['window NaN', { secret: SECRET, window: Number.NaN }],
    ['window negative', { secret: SECRET, window: -60 }],
    ['window zero', { secret: SECRET, window: 0 }],
    ['window a fraction', { secret: SECRET, window: 1.5 }],
    ['window a string', { secret: SECRET, window: '300' }],
    ['window Infinity', { secret: SECRET, window: Infinity }],
    ['window over the limit', { secret: SECRET, window: MAX_NONCE_WINDOW + 1 }],
    ['unknown member', { secret: SECRET, windows: 60 }],
    ['a provider without accepted', { current: () => 'n' }],
    ['a provider with accepted not a function', { current: () => 'n', accepted: ['n'] }],
    ['not an object', 'secret'],
  ];
  for (const [name, dpopNonce] of refused) {
    test(`createVerifier refuses dpopNonce: ${name}`, () => {
      assert.throws(
        () => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [] }, dpopNonce }),
        (error) => error.code === 'ERR_POLICY_INVALID' && /dpopNonce/.test(error.message),
      );
    });
  }
  test('a secret of exactly the minimum is accepted', () => {
    assert.doesNotThrow(() => dpopNonces({ secret: new Uint8Array(MIN_NONCE_SECRET_BYTES) }));
  });
});

describe('verifyRequest with dpopNonce: the core\'s nonce rule', () => {
  let issuer;
  let client;
  let token;
  const url = 'https://api.test/orders';

  before(async () => {
    issuer = await keyPair('ES256');
    client = await generateKeyPair('ES256', { extractable: true });
    client.jwk = await exportJWK(client.publicKey);
    token = await sign(issuer, goodClaims({ iat: T - 10, nbf: T - 10, exp: T + 600, cnf: { jkt: await calculateJwkThumbprint(client.jwk) } }));
  });

  const proof = (claims) => new SignJWT({
    htm: 'GET', htu: url, iat: T, jti: randomUUID(), ath: createHash('sha256').update(token).digest('base64url'), ...claims,
  }).setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: client.jwk }).sign(client.privateKey);

  const verifierWith = (dpopNonce) => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [issuer.jwk] }, now: () => T, dpopNonce });
  const present = async (verifier, claims) => verifier.verifyRequest({
    method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: await proof(claims) },
  }).then((result) => ({ ok: result }), (error) => ({ error }));

  test('current, previous, missing, stale, foreign and malformed nonces', async () => {
    const window = 60;
    const current = expected(SECRET, Math.floor(T / window));
    const rows = [
      // [name, proof claims, code or null]
      ['current nonce', { nonce: current }, null],
      ['previous window\'s nonce', { nonce: expected(SECRET, Math.floor(T / window) - 1) }, null],
      ['no nonce', {}, 'ERR_DPOP_NONCE'],
      ['stale nonce (two windows ago)', { nonce: expected(SECRET, Math.floor(T / window) - 2) }, 'ERR_DPOP_NONCE'],
      ['next window\'s nonce', { nonce: expected(SECRET, Math.floor(T / window) + 1) }, 'ERR_DPOP_NONCE'],
      ['foreign secret\'s nonce', { nonce: expected(`${SECRET}!`, Math.floor(T / window)) }, 'ERR_DPOP_NONCE'],
      ['nonce a number', { nonce: 7 }, 'ERR_DPOP_INVALID'],
      ['nonce empty', { nonce: '' }, 'ERR_DPOP_INVALID'],
      ['nonce over the limit', { nonce: 'n'.repeat(257) }, 'ERR_DPOP_INVALID'],
    ];
    for (const [name, claims, code] of rows) {
      const outcome = await present(verifierWith({ secret: SECRET, window }), claims);
      if (code === null) {
        assert.equal(outcome.error, undefined, name);
        assert.equal(outcome.ok.binding.type, 'dpop', name);
        assert.equal(outcome.ok.dpopNonce, current, name);
      } else {
        assert.equal(outcome.error?.code, code, name);
        assert.equal(outcome.error.claim, 'nonce', name);
        // Only the nonce refusal tells the client the nonce to retry with.
        assert.equal(outcome.error.dpopNonce, code === 'ERR_DPOP_NONCE' ? current : undefined, name);
      }
    }
  });

  test('without dpopNonce a proof needs no nonce, and the result names none', async () => {
    const outcome = await present(verifierWith(undefined), {});
    assert.equal(outcome.ok.binding.type, 'dpop');
    assert.equal('dpopNonce' in outcome.ok, false);
  });

  test('a provider of its own: its nonces, checked', async () => {
    const provider = { current: () => 'own-nonce-2', accepted: async () => ['own-nonce-2', 'own-nonce-1'] };
    assert.equal((await present(verifierWith(provider), { nonce: 'own-nonce-1' })).ok.dpopNonce, 'own-nonce-2');
    assert.equal((await present(verifierWith(provider), { nonce: 'own-nonce-0' })).error.code, 'ERR_DPOP_NONCE');
    // A provider's nonce goes into a header: one it cannot hold is a misconfiguration, never sent.
    for (const bad of ['with "quote"', 'with space', '', 42]) {
      const broken = { current: () => bad, accepted: () => [bad] };
      assert.equal((await present(verifierWith(broken), { nonce: 'x' })).error.code, 'ERR_POLICY_INVALID', String(bad));
    }
    assert.equal((await present(verifierWith({ current: () => 'n', accepted: () => 'n' }), { nonce: 'n' })).error.code, 'ERR_POLICY_INVALID');
  });

  test('a bearer token is not asked for a nonce', async () => {
    const bearer = await sign(issuer, goodClaims({ iat: T - 10, nbf: T - 10, exp: T + 600 }));
    const result = await verifierWith({ secret: SECRET }).verifyRequest({ method: 'GET', url, headers: { authorization: `Bearer ${bearer}` } });
    assert.equal(result.binding, null);
    assert.equal('dpopNonce' in result, false);
  });
});
