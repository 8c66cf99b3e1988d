// The Amazon Cognito preset: its options, the policy it writes, and the
// token table of tests/fixtures/cognito.mjs (shaped after AWS's documented
// examples) signed by jose as the test runs, verified through the preset's
// own policy (catalog F12). The Rust table (tests/catalog/f_claims.rs) runs
// the same rows signed by jose ahead of time.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { JwtGuardError, cognito, createVerifier } from '@jwtguard/jwtguard';
import { ACCESS_CLAIMS, CLIENT_ID, HEADER, ISSUER, NOW, POLICIES, PRESETS, REGION, ROWS, USER_POOL_ID } from '../fixtures/cognito.mjs';
import { keyPair } from './helpers.mjs';
import { fakeFetch, jsonResponse } from './remote/net.mjs';

let pair;
before(async () => {
  pair = await keyPair('RS256', HEADER.kid);
});

const signed = (claims) => new SignJWT(claims).setProtectedHeader(HEADER).sign(pair.privateKey);

/** The preset's options with the keys in memory (the discovery is tested below). */
const verifierFor = (kind) => createVerifier({ ...cognito(PRESETS[kind]), keys: { keys: [pair.jwk] }, now: () => NOW });

describe('cognito(): the policy it writes', () => {
  for (const kind of ['access', 'id']) {
    test(`${kind} tokens: exactly the policy of the fixtures (which the Rust table runs)`, () => {
      const { keys, ...policy } = cognito(PRESETS[kind]);
      assert.deepEqual(policy, POLICIES[kind]);
      assert.equal(keys.kind, 'discovery');
      assert.equal(keys.url, `${ISSUER}/.well-known/openid-configuration`);
    });
  }

  test('scopes and any-of lists go where roles and scopes are read', () => {
    const options = cognito({ ...PRESETS.access, groups: undefined, anyGroups: ['admins', 'ops'], scopes: 'orders/read', anyScopes: ['a', 'b'] });
    assert.deepEqual([options.roles, options.anyRoles, options.scopes, options.anyScopes], [undefined, ['admins', 'ops'], ['orders/read'], ['a', 'b']]);
    assert.deepEqual(cognito({ ...PRESETS.id, clientId: [CLIENT_ID, 'second+client_2'] }).audience, [CLIENT_ID, 'second+client_2']);
  });
});

describe('cognito(): bad options are ERR_POLICY_INVALID naming the option', () => {
  const base = PRESETS.access;
  // [what, options, the option named]
  const table = [
    ['no options', null, 'options'],
    ['no region', { ...base, region: undefined }, 'region'],
    ['a region in capitals', { ...base, region: 'US-WEST-2' }, 'region'],
    ['a region with a host', { ...base, region: 'us-west-2.evil.example' }, 'region'],
    ['a China region (not under amazonaws.com)', { ...base, region: 'cn-north-1', userPoolId: 'cn-north-1_aBc' }, 'region'],
    ['no user pool id', { ...base, userPoolId: undefined }, 'userPoolId'],
    ['a pool of another region', { ...base, userPoolId: 'us-east-1_aBcD3fGh1' }, 'userPoolId'],
    ['a pool id without its id part', { ...base, userPoolId: 'us-west-2_' }, 'userPoolId'],
    ['a pool id with a path', { ...base, userPoolId: 'us-west-2_abc/../x' }, 'userPoolId'],
    ['a pool id with a dash in its id part', { ...base, userPoolId: 'us-west-2_ab-c' }, 'userPoolId'],
    ['a pool id over 55 characters', { ...base, userPoolId: `us-west-2_${'a'.repeat(46)}` }, 'userPoolId'],
    ['no client id', { ...base, clientId: undefined }, 'clientId'],
    ['an empty client id', { ...base, clientId: '' }, 'clientId'],
    ['an empty list of client ids', { ...base, clientId: [] }, 'clientId'],
    ['a client id with a space', { ...base, clientId: 'abc def' }, 'clientId'],
    ['a client id over 128 characters', { ...base, clientId: 'a'.repeat(129) }, 'clientId'],
    ['no tokenUse', { ...base, tokenUse: undefined }, 'tokenUse'],
    ['tokenUse in capitals', { ...base, tokenUse: 'ACCESS' }, 'tokenUse'],
    ['tokenUse refresh', { ...base, tokenUse: 'refresh' }, 'tokenUse'],
    ['an empty group', { ...base, groups: [''] }, 'groups'],
    ['an empty list of groups', { ...base, groups: [] }, 'groups'],
    ['anyGroups as a string', { ...base, anyGroups: 'admins' }, 'anyGroups'],
    ['scopes for ID tokens', { ...PRESETS.id, scopes: ['openid'] }, 'scopes'],
    ['anyScopes for ID tokens', { ...PRESETS.id, anyScopes: ['openid'] }, 'anyScopes'],
    ['an audience (the preset writes it)', { ...base, audience: 'x' }, '"audience"'],
    ['an issuer (the preset writes it)', { ...base, issuer: ISSUER }, '"issuer"'],
  ];
  for (const [what, options, claim] of table) {
    test(what, () => {
      assert.throws(() => cognito(options), (error) => {
        assert.ok(error instanceof JwtGuardError, String(error));
        assert.equal(error.code, 'ERR_POLICY_INVALID', error.message);
        assert.equal(error.claim, claim, error.message);
        return true;
      });
    });
  }

  test('GovCloud and other commercial regions are accepted', () => {
    for (const region of ['us-gov-west-1', 'eu-central-2', 'ap-southeast-4', 'il-central-1']) {
      assert.equal(cognito({ ...base, region, userPoolId: `${region}_Abc123` }).issuer, `https://cognito-idp.${region}.amazonaws.com/${region}_Abc123`);
    }
  });
});

describe('the audience claim is written out, never reached by omission', () => {
  const keys = { keys: [] };
  // [what, policy members, whether createVerifier accepts them]
  const table = [
    ['audienceClaim client_id without audience', { issuer: ISSUER, audienceClaim: 'client_id' }, false],
    ['audienceClaim client_id with an empty audience list', { issuer: ISSUER, audience: [], audienceClaim: 'client_id' }, false],
    ['audienceClaim azp', { issuer: ISSUER, audience: CLIENT_ID, audienceClaim: 'azp' }, false],
    ['audienceClaim null', { issuer: ISSUER, audience: CLIENT_ID, audienceClaim: null }, false],
    ['audienceClaim an array', { issuer: ISSUER, audience: CLIENT_ID, audienceClaim: ['client_id'] }, false],
    ['rolesClaim empty', { issuer: ISSUER, audience: CLIENT_ID, rolesClaim: '' }, false],
    ['audienceClaim client_id with an audience', { issuer: ISSUER, audience: CLIENT_ID, audienceClaim: 'client_id' }, true],
    ['audienceClaim aud (the default, written out)', { issuer: ISSUER, audience: CLIENT_ID, audienceClaim: 'aud' }, true],
  ];
  for (const [what, policy, accepted] of table) {
    test(what, () => {
      const build = () => createVerifier({ ...policy, keys });
      if (accepted) build();
      else assert.throws(build, { code: 'ERR_POLICY_INVALID' });
    });
  }

  test('the normalised policy leaves the defaults out and keeps what was written', () => {
    assert.equal('audienceClaim' in createVerifier({ issuer: ISSUER, audience: CLIENT_ID, keys }).policy, false);
    const written = createVerifier({ issuer: ISSUER, audience: CLIENT_ID, audienceClaim: 'client_id', rolesClaim: 'cognito:groups', keys }).policy;
    assert.equal(written.audienceClaim, 'client_id');
    assert.equal(written.rolesClaim, 'cognito:groups');
  });
});

describe('F12: Cognito tokens through the preset', () => {
  for (const [name, kind, claims, want] of ROWS) {
    test(`${kind} preset: ${name}`, async () => {
      const verifier = verifierFor(kind);
      const token = await signed(claims);
      if (want === null) {
        const { claims: verified } = verifier.verifySync(token);
        assert.equal(verified.token_use, kind);
        return;
      }
      assert.throws(() => verifier.verifySync(token), (error) => {
        assert.equal(error.code, want, error.message);
        return true;
      });
    });
  }

  test('the keys come from the pool\'s OpenID configuration', async () => {
    const jwksUri = `${ISSUER}/.well-known/jwks.json`;
    const { fetch, calls } = fakeFetch((url) => {
      if (url === `${ISSUER}/.well-known/openid-configuration`) return jsonResponse({ issuer: ISSUER, jwks_uri: jwksUri });
      if (url === jwksUri) return jsonResponse({ keys: [pair.jwk] });
      return new Response('', { status: 404 });
    });
    const verifier = createVerifier({ ...cognito({ ...PRESETS.access, fetch }), now: () => NOW });
    const { claims } = await verifier.verify(await signed(ACCESS_CLAIMS));
    assert.equal(claims.client_id, CLIENT_ID);
    assert.deepEqual(calls, [`${ISSUER}/.well-known/openid-configuration`, jwksUri]);
    assert.equal(ISSUER, `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`);
  });
});
