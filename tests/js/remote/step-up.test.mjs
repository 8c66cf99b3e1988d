// Step-up (RFC 9470) with a real OpenID Provider: panva's oidc-provider on
// 127.0.0.1 signs a user in through the authorization code flow (a scripted
// user agent fills in its login page) and issues JWT access tokens that carry
// the sign-in's acr and auth_time. An Express API protected by jwtguard
// (its routes need a multi-factor sign-in, a recent one, or both) answers the
// first token 401 insufficient_user_authentication; the client passes the
// challenge's acr_values and max_age to a new authorization request, the
// provider signs the user in again, and the retry gets through. A client that
// leaves out what the challenge asked for gets a token the API still
// refuses. The same policies through createVerifier give the same verdicts.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { createVerifier, discover } from '@jwtguard/jwtguard';
import { jwtAuth } from '@jwtguard/jwtguard/express';
import { RESOURCE, SCOPE, startProvider } from '../../../scripts/local-provider.mjs';
import { ACR_MFA, ACR_PASSWORD, USER, USER_CLIENT_ID } from '../../../scripts/local-sign-in.mjs';
import { parseChallenge } from '../challenges.mjs';
import { AGE, LEVEL, expectedChallenge } from '../step-up-cases.mjs';
import { fakeClock, rejectsWith } from './net.mjs';
import { userAgent } from './user-agent.mjs';

/** How long ago the user's first sign-in happened, by the provider's sign-in clock. */
const EARLIER = 3600;
const MAX_AUTH_AGE = 300;

/** The API's routes by name: the step-up members of each one's policy. */
const ROUTES = {
  mfa: { acrValues: [ACR_MFA] },
  recent: { maxAuthAge: MAX_AUTH_AGE },
  both: { acrValues: [ACR_MFA], maxAuthAge: MAX_AUTH_AGE },
};

const PASSWORD = ['username', 'password'];
const PASSWORD_AND_OTP = [...PASSWORD, 'otp'];

/**
 * Each flow on a fresh user agent: the route; the first answer's
 * error_description and step-up parameters; the parameters the client passes
 * on to its second authorization request; the fields of the login page the
 * provider shows then (null: none, its session sufficed); the retry's
 * refusal (null: 200).
 */
const FLOWS = [
  ['mfa, the client passes acr_values', 'mfa', LEVEL, { acr_values: ACR_MFA }, ['acr_values'], PASSWORD_AND_OTP, null],
  ['mfa, the client drops acr_values', 'mfa', LEVEL, { acr_values: ACR_MFA }, [], null, LEVEL],
  ['recent, the client passes max_age', 'recent', AGE, { max_age: String(MAX_AUTH_AGE) }, ['max_age'], PASSWORD, null],
  ['recent, the client drops max_age', 'recent', AGE, { max_age: String(MAX_AUTH_AGE) }, [], null, AGE],
  ['both, the client passes both', 'both', AGE, { acr_values: ACR_MFA, max_age: String(MAX_AUTH_AGE) }, ['acr_values', 'max_age'], PASSWORD_AND_OTP, null],
  ['both, the client passes max_age only', 'both', AGE, { acr_values: ACR_MFA, max_age: String(MAX_AUTH_AGE) }, ['max_age'], PASSWORD, LEVEL],
];

/** The sign-in clock: the provider records each sign-in at its time. */
const clock = fakeClock();
let provider;
let api;
const verifiers = {};

before(async () => {
  provider = await startProvider({ signInClock: clock.now });
  const keys = discover(provider.issuer);
  const policy = (name) => ({ issuer: provider.issuer, audience: RESOURCE, typ: 'at+jwt', clients: [USER_CLIENT_ID], scopes: [SCOPE], keys, ...ROUTES[name] });
  const app = express();
  for (const name of Object.keys(ROUTES)) {
    app.get(`/api/${name}`, jwtAuth(policy(name)), (req, res) => res.json({ sub: req.auth.claims.sub, acr: req.auth.claims.acr, auth_time: req.auth.claims.auth_time }));
    verifiers[name] = createVerifier(policy(name));
  }
  const server = createServer(app);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
});

after(async () => {
  await api?.close();
  await provider?.stop();
});

const call = (route, token) => fetch(`${api.origin}/api/${route}`, { headers: { authorization: `Bearer ${token}` } });
const codeOf = (description) => description.split(':')[0];
const now = () => Math.floor(Date.now() / 1000);

describe('step-up against oidc-provider', () => {
  for (const [name, route, description, stepUp, passed, login, refusal] of FLOWS) {
    test(name, async () => {
      const browser = userAgent(provider.issuer);
      clock.t = now() - EARLIER;
      const firstSignIn = clock.t;
      const first = await browser.signIn();
      assert.deepEqual(first.pages, [{ reasons: ['no_session'], fields: PASSWORD }]);

      const refused = await call(route, first.token);
      assert.equal(refused.status, 401);
      assert.deepEqual(await refused.json(), { error: 'insufficient_user_authentication', code: codeOf(description) });
      const challenge = parseChallenge(refused.headers.get('www-authenticate'));
      assert.deepEqual(challenge, expectedChallenge({ error: 'insufficient_user_authentication', error_description: description, ...stepUp }));
      await rejectsWith(verifiers[route].verify(first.token), codeOf(description));

      // An hour later by the sign-in clock: the client asks again with what it chose to pass on.
      clock.t = now();
      const second = await browser.signIn(Object.fromEntries(passed.map((param) => [param, challenge.params[param]])));
      assert.deepEqual(second.pages.map((page) => page.fields), login ? [login] : []);

      const retry = await call(route, second.token);
      const body = await retry.json();
      if (refusal) {
        assert.equal(retry.status, 401, JSON.stringify(body));
        assert.deepEqual(body, { error: 'insufficient_user_authentication', code: codeOf(refusal) });
        assert.deepEqual(parseChallenge(retry.headers.get('www-authenticate')),
          expectedChallenge({ error: 'insufficient_user_authentication', error_description: refusal, ...stepUp }));
        await rejectsWith(verifiers[route].verify(second.token), codeOf(refusal));
        return;
      }
      assert.equal(retry.status, 200, JSON.stringify(body));
      // The provider's session says how and when the user signed in again.
      const acr = login.includes('otp') ? ACR_MFA : ACR_PASSWORD;
      assert.deepEqual(body, { sub: USER.username, acr, auth_time: clock.t });
      assert.ok(body.auth_time > firstSignIn);
      assert.equal((await verifiers[route].verify(second.token)).claims.auth_time, clock.t);
    });
  }
});
