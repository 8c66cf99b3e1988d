// Step-up (RFC 9470) and Entra authentication contexts: the policy members
// the core checks (acrValues, maxAuthAge, authContext), and the answers
// every middleware gives through one helper (js/bearer.js), compared as
// parsed WWW-Authenticate parameters.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JwtGuardError, createVerifier, refusalResponse } from '@jwtguard/jwtguard';
import { authenticator } from '../../js/authenticate.js';
import { gatewayGuard } from '../../js/gateway.js';
import { parseChallenge } from './challenges.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from './helpers.mjs';
import { AUTHORIZE, ENTRA_ISSUER, STEP_UP_POLICIES, expectedBody, expectedChallenge, stepUpCases } from './step-up-cases.mjs';

const pair = await keyPair('ES256');
const keys = { keys: [pair.jwk] };
const request = (token, scheme = 'Bearer') => ({ method: 'GET', url: 'https://api.test/orders', headers: { authorization: `${scheme} ${token}` } });

describe('the core checks acrValues, maxAuthAge and authContext', () => {
  const now = nowSeconds();
  // [name, policy members, claims added, code or null (accepted)]
  const rows = [
    ['acr accepted', { acrValues: ['urn:mfa', 'urn:phr'] }, { acr: 'urn:phr' }, null],
    ['acr too low', { acrValues: ['urn:mfa'] }, { acr: 'urn:pwd' }, 'ERR_AUTH_LEVEL_INSUFFICIENT'],
    ['acr absent', { acrValues: ['urn:mfa'] }, {}, 'ERR_AUTH_LEVEL_INSUFFICIENT'],
    ['acr a number', { acrValues: ['1'] }, { acr: 1 }, 'ERR_CLAIM_INVALID'],
    ['auth_time recent', { maxAuthAge: 300 }, { auth_time: now - 200 }, null],
    ['auth_time old', { maxAuthAge: 300 }, { auth_time: now - 1000 }, 'ERR_AUTH_TOO_OLD'],
    ['auth_time absent', { maxAuthAge: 300 }, {}, 'ERR_AUTH_TOO_OLD'],
    ['auth_time in the future', { maxAuthAge: 300 }, { auth_time: now + 3600 }, 'ERR_CLAIM_INVALID'],
    ['auth_time a string', { maxAuthAge: 300 }, { auth_time: String(now) }, 'ERR_CLAIM_INVALID'],
    ['acrs holds c1', { authContext: ['c1'] }, { acrs: ['c1'] }, null],
    ['acrs lacks c1', { authContext: ['c1'] }, { acrs: ['c2'] }, 'ERR_AUTH_CONTEXT_MISSING'],
    ['acrs not an array', { authContext: ['c1'] }, { acrs: 'c1' }, 'ERR_CLAIM_INVALID'],
    ['xms_cc cp1 without acrs', { authContext: ['c1'] }, { xms_cc: ['cp1'] }, 'ERR_AUTH_CONTEXT_MISSING'],
  ];
  for (const [name, members, claims, code] of rows) {
    test(`${name} → ${code ?? 'accepted'}`, async () => {
      const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys, ...members });
      const token = await sign(pair, goodClaims(claims));
      if (code === null) assert.equal((await verifier.verify(token)).claims.sub, 'service-principal-1');
      else await assert.rejects(verifier.verify(token), { code });
    });
  }

  test('members are checked at load: c1…c99, whole seconds, non-empty strings', () => {
    for (const members of [{ authContext: ['c0'] }, { authContext: 'c100' }, { maxAuthAge: -1 }, { maxAuthAge: 1.5 }, { maxAuthAge: null }, { acrValues: [''] }, { acrValues: [2] }]) {
      assert.throws(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys, ...members }), { code: 'ERR_POLICY_INVALID' }, JSON.stringify(members));
    }
  });

  test('a cached token is refused once the sign-in is older than maxAuthAge', async () => {
    let clock = nowSeconds();
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys, maxAuthAge: 300, clockTolerance: 0, now: () => clock });
    const token = await sign(pair, goodClaims({ auth_time: clock - 100 }));
    await verifier.verify(token);
    await verifier.verify(token);
    clock += 201;
    await assert.rejects(verifier.verify(token), { code: 'ERR_AUTH_TOO_OLD' });
  });

  test('claimsChallenge: only for a client with cp1, with the Entra tenant\'s authorize endpoint', async () => {
    const verifier = createVerifier({ issuer: ENTRA_ISSUER, audience: AUDIENCE, keys, authContext: ['c1', 'c7'] });
    const capable = await sign(pair, goodClaims({ iss: ENTRA_ISSUER, xms_cc: ['cp1'], acrs: ['c7'] }));
    const error = await verifier.verify(capable).catch((e) => e);
    assert.deepEqual({ ...error.claimsChallenge }, {
      claims: '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}',
      authorizationUri: AUTHORIZE,
    });
    const plain = await sign(pair, goodClaims({ iss: ENTRA_ISSUER }));
    assert.equal((await verifier.verify(plain).catch((e) => e)).claimsChallenge, null);
  });
});

describe('the answers (RFC 9470 §3, Entra claims challenges), one helper for every middleware', () => {
  const metadataUrl = 'https://api.test/.well-known/oauth-protected-resource/orders';
  const policyOf = (name) => ({ ...STEP_UP_POLICIES[name], keys });
  test('every case, in the shared middleware module and through refusalResponse', async () => {
    const cases = await stepUpCases(pair);
    for (const { name, policy, token, status, params, code } of cases) {
      const options = policyOf(policy);
      const guard = authenticator(options, { resourceMetadata: { resource: 'https://api.test/orders' } });
      const { auth, failure } = await guard.authenticate(request(token), {});
      if (status === 200) {
        assert.equal(auth?.claims.sub, 'service-principal-1', name);
        continue;
      }
      assert.equal(failure.status, status, name);
      assert.deepEqual(parseChallenge(failure.headers['www-authenticate']), expectedChallenge(params, metadataUrl), name);
      assert.deepEqual(failure.body, expectedBody({ params, code }), name);
      // verifyRequest and the exported helper give the same answer.
      const verifier = createVerifier(options);
      const error = await verifier.verifyRequest(request(token)).catch((e) => e);
      assert.deepEqual(refusalResponse(error, { policy: verifier.policy, resourceMetadata: metadataUrl }), failure, name);
    }
  });

  test('the gateway: every case through its rule for the policy', async () => {
    const policies = Object.fromEntries(Object.keys(STEP_UP_POLICIES).map((name) => [name, policyOf(name)]));
    const rules = Object.keys(policies).map((name) => ({ path: `/${name}`, require: name }));
    const guard = gatewayGuard({ policies, rules, settings: { resourceMetadata: { resource: 'https://api.test/orders' } } });
    for (const { name, policy, token, status, params, code } of await stepUpCases(pair)) {
      const { answer, auth } = await guard.handle(new Request(`https://api.test/${policy}`, { headers: { authorization: `Bearer ${token}` } }), {});
      if (status === 200) {
        assert.equal(auth?.claims.sub, 'service-principal-1', name);
        continue;
      }
      assert.equal(answer.status, status, name);
      assert.deepEqual(parseChallenge(answer.headers['www-authenticate']), expectedChallenge(params, metadataUrl), name);
      assert.deepEqual(answer.body, expectedBody({ params, code }), name);
    }
  });

  test('a DPoP-scheme request gets the step-up parameters in its DPoP challenge', () => {
    const policy = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys, maxAuthAge: 60, dpopAlgorithms: ['ES256'] }).policy;
    const answer = refusalResponse(new JwtGuardError('ERR_AUTH_TOO_OLD'), { policy, scheme: 'dpop' });
    assert.equal(answer.status, 401);
    assert.deepEqual(parseChallenge(answer.headers['www-authenticate']), {
      scheme: 'dpop',
      params: {
        algs: 'ES256',
        error: 'insufficient_user_authentication',
        error_description: 'ERR_AUTH_TOO_OLD: authentication (auth_time) is older than the policy allows',
        max_age: '60',
      },
    });
    // Anything but a JwtGuardError is a server error, never a challenge built from foreign input.
    assert.equal(refusalResponse(Object.assign(new Error('x'), { code: 'ERR_AUTH_TOO_OLD' })).status, 500);
  });
});

test('inspect and the page explain acr, amr, auth_time, acrs and xms_cc', async () => {
  const { explainClaim } = await import('@jwtguard/jwtguard/display');
  const { inspectCommand } = await import('../../js/cli/inspect.js');
  const want = { acr: /acrValues/, amr: /RFC 8176/, auth_time: /maxAuthAge/, acrs: /authContext/, xms_cc: /cp1 .*claims challenges/ };
  for (const [name, pattern] of Object.entries(want)) assert.match(explainClaim(name) ?? '', pattern, name);
  const token = await sign(pair, goodClaims({ acr: 'urn:mfa', amr: ['pwd', 'otp'], auth_time: nowSeconds() - 60, acrs: ['c1'], xms_cc: ['cp1'] }));
  const text = inspectCommand(token, { json: false, now: nowSeconds() });
  for (const name of Object.keys(want)) assert.ok(text.includes(explainClaim(name)), name);
});
