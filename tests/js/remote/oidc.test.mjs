// Proof against a real OpenID Provider: panva's oidc-provider on 127.0.0.1
// issues client-credentials access tokens (typ at+jwt); jwtguard verifies them
// through discover() over real HTTP, follows a key rotation, rides out the
// provider going down, keeps a flood of random kids from becoming a flood of
// fetches, and refuses a discovery document for another issuer.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { KEY_SOURCE_DEFAULTS, createVerifier, discover } from '@jwtguard/jwtguard';
import { CLIENT_ID, RESOURCE, SCOPE, startProvider } from '../../../scripts/local-provider.mjs';
import { fakeClock, recorder, rejectsWith } from './net.mjs';

const JWKS_PATH = '/jwks';
const DISCOVERY_PATH = '/.well-known/openid-configuration';

let provider = null;
afterEach(async () => {
  await provider?.stop();
  provider = null;
});

/**
 * A verifier for the provider's tokens through discover(). The key source
 * runs on a clock the test moves; the verifier checks times on the real clock.
 */
function verifierFor(issuer, options = {}) {
  const clock = fakeClock(Date.now() / 1000);
  const log = recorder();
  const keys = discover(issuer, { now: clock.now, onEvent: log.onEvent, ...options });
  const verifier = createVerifier({
    issuer,
    audience: RESOURCE,
    typ: 'at+jwt',
    scopes: [SCOPE],
    clients: [CLIENT_ID],
    keys,
  });
  return { verifier, clock, log };
}

/** `token` with its header's kid replaced: same payload, signature no longer matters. */
function withKid(token, kid) {
  const [header, ...rest] = token.split('.');
  const decoded = JSON.parse(Buffer.from(header, 'base64url'));
  return [Buffer.from(JSON.stringify({ ...decoded, kid })).toString('base64url'), ...rest].join('.');
}

describe('oidc-provider on 127.0.0.1', () => {
  test('a client-credentials token (form POST) verifies through discover() over HTTP', async () => {
    provider = await startProvider();
    const token = await provider.token();
    const { verifier, log } = verifierFor(provider.issuer);
    const result = await verifier.verify(token);
    assert.equal(result.header.typ, 'at+jwt');
    assert.deepEqual(result.key, { kid: provider.kid, alg: 'RS256' });
    assert.equal(result.claims.client_id, CLIENT_ID);
    assert.equal(result.claims.iss, provider.issuer);
    assert.equal(result.claims.aud, RESOURCE);
    assert.equal(result.claims.scope, SCOPE);
    for (let i = 0; i < 10; i += 1) await verifier.verify(await provider.token());
    assert.equal(provider.hits.get(DISCOVERY_PATH), 1);
    assert.equal(provider.hits.get(JWKS_PATH), 1);
    assert.deepEqual(log.of('fetch').map((e) => new URL(e.url).pathname), [DISCOVERY_PATH, JWKS_PATH]);
  });

  test('key rotation: after a restart with a new key, the next token verifies after one kid-miss refresh', async () => {
    provider = await startProvider();
    const { verifier, clock, log } = verifierFor(provider.issuer);
    await verifier.verify(await provider.token());
    const oldKid = provider.kid;

    await provider.restart();
    const rotated = await provider.token();
    assert.notEqual(provider.kid, oldKid);
    // Right after the first fetch the kid-miss refresh is cooling down.
    await rejectsWith(verifier.verify(rotated), 'ERR_KEY_NOT_FOUND');
    assert.equal(log.of('cooldown').length, 1);
    assert.equal(provider.hits.get(JWKS_PATH), 1);

    clock.advance(KEY_SOURCE_DEFAULTS.cooldown);
    const result = await verifier.verify(rotated);
    assert.equal(result.key.kid, provider.kid);
    assert.equal(provider.hits.get(JWKS_PATH), 2, 'exactly one refresh');
    const changed = log.of('keys-changed').at(-1);
    assert.deepEqual([changed.added, changed.removed], [[provider.kid], [oldKid]]);
    assert.deepEqual(log.of('refresh').map((e) => e.reason), ['kid-miss']);
  });

  test('provider down: stale keys keep verifying, and the failure is reported', async () => {
    provider = await startProvider();
    const { verifier, clock, log } = verifierFor(provider.issuer);
    const token = await provider.token();
    await verifier.verify(token);
    await provider.stop();
    provider = null;

    clock.advance(KEY_SOURCE_DEFAULTS.defaultMaxAge); // oidc-provider sends no max-age
    const stale = log.next('stale-served');
    assert.equal(verifier.verifySync(token).claims.client_id, CLIENT_ID);
    const served = await stale;
    assert.ok(served.age >= KEY_SOURCE_DEFAULTS.defaultMaxAge);
    const errors = log.of('error').map((e) => e.error);
    assert.ok(errors.length >= 1);
    for (const error of errors) {
      assert.equal(error.code, 'ERR_JWKS_FETCH_FAILED');
      // Refused, or a pooled keep-alive socket the stopped provider closed:
      // which one depends on whether the client has seen the close yet (the
      // WebCrypto path of verify() above resolves a few ticks later).
      assert.match(error.message, /ECONNREFUSED|UND_ERR_SOCKET/);
    }
    assert.equal((await verifier.verify(token)).claims.client_id, CLIENT_ID);

    clock.advance(KEY_SOURCE_DEFAULTS.staleIfError); // last good keys are too old now
    await rejectsWith(verifier.verify(token), 'ERR_JWKS_FETCH_FAILED');
  });

  test('1,000 tokens with random kids cause at most one fetch per cooldown window', async () => {
    provider = await startProvider();
    const { verifier, clock, log } = verifierFor(provider.issuer);
    const token = await provider.token();
    await verifier.verify(token);
    const flood = () => Array.from({ length: 1000 }, () => withKid(token, crypto.randomUUID()));
    const fetches = () => provider.hits.get(JWKS_PATH);

    const perWindow = [];
    for (let window = 0; window < 3; window += 1) {
      const before = fetches();
      const results = await Promise.allSettled(flood().map((t) => verifier.verify(t)));
      assert.ok(results.every((r) => r.status === 'rejected' && r.reason.code === 'ERR_KEY_NOT_FOUND'));
      perWindow.push(fetches() - before);
      clock.advance(KEY_SOURCE_DEFAULTS.cooldown);
    }
    // The first window starts right after the initial fetch, so it is cooling down already.
    assert.deepEqual(perWindow, [0, 1, 1]);
    assert.equal(log.of('kid-miss').length, 3000);
    assert.equal(verifier.verifySync(token).claims.client_id, CLIENT_ID, 'real tokens still verify');
  });

  test('a discovery document naming another issuer is ERR_DISCOVERY_INVALID', async () => {
    provider = await startProvider();
    // A trailing slash is another issuer: the document says it without one.
    const trailing = verifierFor(`${provider.issuer}/`).verifier;
    await rejectsWith(trailing.verify(await provider.token()), 'ERR_DISCOVERY_INVALID');
    const metadataUrl = `${provider.issuer}${DISCOVERY_PATH}`;
    const elsewhere = discover('https://idp.example', { metadataUrl });
    await assert.rejects(elsewhere.load(), (error) => {
      assert.equal(error.code, 'ERR_DISCOVERY_INVALID');
      assert.match(error.message, /names issuer "http:\/\/127\.0\.0\.1:\d+", expected "https:\/\/idp\.example"/);
      return true;
    });
  });
});
