// The step-up and claims-challenge answers every middleware must give, as
// one table: the policies (members only, so a Worker can take them as a
// binding), and for each case a token, the status and the exact parameters
// of the one challenge. Used by tests/js/step-up.test.mjs (the shared
// module), tests/servers/step-up.test.mjs (Express, Connect, Fastify,
// node:http), tests/worker/step-up.test.mjs (workerd, Hono) and
// tests/js/remote/step-up.test.mjs (oidc-provider).
import assert from 'node:assert/strict';
import { parseChallenge } from './challenges.mjs';
import { AUDIENCE, ISSUER, TENANT, goodClaims, nowSeconds, sign } from './helpers.mjs';

export const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
export const AUTHORIZE = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/authorize`;

/** The policies by name, without keys. */
export const STEP_UP_POLICIES = Object.freeze({
  stepUp: { issuer: ISSUER, audience: AUDIENCE, acrValues: ['urn:mfa', 'urn:phr'], maxAuthAge: 300 },
  authAge: { issuer: ISSUER, audience: AUDIENCE, maxAuthAge: 300 },
  acr: { issuer: ISSUER, audience: AUDIENCE, acrValues: ['urn:mfa'] },
  context: { issuer: ENTRA_ISSUER, audience: AUDIENCE, authContext: ['c1'] },
  contexts: { issuer: ENTRA_ISSUER, audience: AUDIENCE, authContext: ['c1', 'c2'] },
  contextElsewhere: { issuer: ISSUER, audience: AUDIENCE, authContext: ['c1'] },
});

const base64 = (text) => btoa(text);
/** The challenges' error_description for each step-up code. */
export const LEVEL = 'ERR_AUTH_LEVEL_INSUFFICIENT: authentication level (acr) is not sufficient';
export const AGE = 'ERR_AUTH_TOO_OLD: authentication (auth_time) is older than the policy allows';
const CONTEXT = 'ERR_AUTH_CONTEXT_MISSING: required authentication context (acrs) is missing';
const C1 = base64('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}');

/**
 * The cases, signed by `pair`: `{ name, policy, token, status, code, params }`,
 * `params` being the challenge's beyond `realm` and `resource_metadata`
 * (none for 200).
 */
export async function stepUpCases(pair) {
  const now = nowSeconds();
  const entra = (claims) => goodClaims({ iss: ENTRA_ISSUER, ...claims });
  const rows = [
    ['acr too low', 'stepUp', goodClaims({ acr: 'urn:pwd', auth_time: now }), 401,
      { error: 'insufficient_user_authentication', error_description: LEVEL, acr_values: 'urn:mfa urn:phr', max_age: '300' }],
    ['sign-in too old', 'authAge', goodClaims({ auth_time: now - 1000 }), 401,
      { error: 'insufficient_user_authentication', error_description: AGE, max_age: '300' }],
    ['no auth_time', 'stepUp', goodClaims({ acr: 'urn:mfa' }), 401,
      { error: 'insufficient_user_authentication', error_description: AGE, acr_values: 'urn:mfa urn:phr', max_age: '300' }],
    ['acr absent, acrValues only', 'acr', goodClaims(), 401,
      { error: 'insufficient_user_authentication', error_description: LEVEL, acr_values: 'urn:mfa' }],
    ['step-up met', 'stepUp', goodClaims({ acr: 'urn:phr', auth_time: now - 10 }), 200, null],
    ['auth context missing, client with cp1', 'context', entra({ xms_cc: ['cp1'] }), 401,
      { error: 'insufficient_claims', error_description: CONTEXT, claims: C1, authorization_uri: AUTHORIZE }],
    ['several contexts missing, client with cp1', 'contexts', entra({ xms_cc: ['cp1'], acrs: [] }), 401, {
      error: 'insufficient_claims',
      error_description: CONTEXT,
      claims: base64('{"access_token":{"acrs":{"essential":true,"values":["c1","c2"]}}}'),
      authorization_uri: AUTHORIZE,
    }],
    ['auth context missing, another issuer: no authorization_uri', 'contextElsewhere', goodClaims({ xms_cc: ['cp1'] }), 401,
      { error: 'insufficient_claims', error_description: CONTEXT, claims: C1 }],
    ['auth context missing, client without cp1', 'context', entra({ xms_cc: ['cp2'] }), 403,
      { error: 'insufficient_claims', error_description: CONTEXT }],
    ['auth context met', 'context', entra({ xms_cc: ['cp1'], acrs: ['c1'] }), 200, null],
  ];
  return Promise.all(rows.map(async ([name, policy, claims, status, params]) => ({
    name, policy, token: await sign(pair, claims), status, code: params?.error_description.split(':')[0] ?? null, params,
  })));
}

/** The one challenge a case's answer must carry, as parseChallenge returns it. */
export const expectedChallenge = (params, metadataUrl) => ({
  scheme: 'bearer',
  params: { realm: 'api', ...(metadataUrl ? { resource_metadata: metadataUrl } : {}), ...params },
});

/** The body a case's answer must carry. */
export const expectedBody = ({ params, code }) => ({ error: params.error, code });

/**
 * Checks a middleware's HTTP answer to a case: the handler's `{ sub }` for
 * 200, else the status, the body and the one challenge, parsed and compared
 * exactly (with `resource_metadata` = `metadataUrl`).
 * @param {Response} response
 */
export async function assertStepUpAnswer(response, { name, status, params, code }, metadataUrl) {
  const body = await response.json();
  assert.equal(response.status, status, `${name}: ${JSON.stringify(body)}`);
  if (status === 200) {
    assert.equal(body.sub, 'service-principal-1', name);
    return;
  }
  assert.deepEqual(body, expectedBody({ params, code }), name);
  assert.deepEqual(parseChallenge(response.headers.get('www-authenticate')), expectedChallenge(params, metadataUrl), name);
}
