// `keys` holding a URL is a configuration mistake, refused at once with the
// key source to use, not later as a JSON error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JwtGuardError, createVerifier } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, keyPair } from './helpers.mjs';

test('keys: a url string is ERR_POLICY_INVALID pointing to remoteJwks and discover', () => {
  for (const keys of ['https://login.example.com/keys', ' http://127.0.0.1:8080/jwks', 'HTTPS://IDP.EXAMPLE/.well-known/openid-configuration']) {
    assert.throws(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys }), (error) => {
      assert.ok(error instanceof JwtGuardError);
      assert.equal(error.code, 'ERR_POLICY_INVALID');
      assert.match(error.message, /keys: remoteJwks\(url\)/);
      assert.match(error.message, /keys: discover\(issuer\)/);
      return true;
    }, keys);
  }
});

test('keys: JSON text and objects are still key sets', async () => {
  const { jwk } = await keyPair('ES256', 'k');
  for (const keys of [{ keys: [jwk] }, JSON.stringify({ keys: [jwk] })]) {
    assert.deepEqual(createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys }).skippedKeys(), []);
  }
});
