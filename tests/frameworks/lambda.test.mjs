// jwtguard/lambda: the API Gateway Lambda authorizer invoked with the event
// shapes AWS documents (tests/fixtures/lambda/, each with its source): an
// HTTP API's payload format 2.0 (simple and IAM policy responses), a REST
// API's TOKEN and REQUEST authorizers. Tokens and DPoP proofs are made by jose.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { JwtGuardError } from '@jwtguard/jwtguard';
import { lambdaAuthorizer } from '@jwtguard/jwtguard/lambda';
import { importFirstBlock } from '../docs.mjs';
import { dpopClient } from '../js/dpop-client.mjs';
import { AUDIENCE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from '../js/helpers.mjs';
import { STEP_UP_POLICIES } from '../js/step-up-cases.mjs';

/** A fixture event, without its `_source`, with `edit` applied to a fresh copy. */
function fixture(name, edit = () => {}) {
  const { _source, ...event } = JSON.parse(readFileSync(new URL(`../fixtures/lambda/${name}.json`, import.meta.url), 'utf8'));
  assert.match(_source, /^Shape of .* https:\/\/docs\.aws\.amazon\.com\//);
  edit(event);
  return event;
}

/** The HTTP API event with these headers (lower case, as HTTP APIs send them) as its identity source too. */
const httpEvent = (headers) => fixture('http-api-v2', (event) => {
  Object.assign(event.headers, headers);
  event.identitySource = Object.values(headers);
});
/** The REST REQUEST event with these headers (in the client's case), single- and multi-valued. */
const restRequestEvent = (headers) => fixture('rest-request', (event) => {
  for (const [name, value] of Object.entries(headers)) {
    event.headers[name] = value;
    event.multiValueHeaders[name] = [value];
  }
});
/** The REST TOKEN event: its token is the whole Authorization header. */
const tokenEvent = ({ Authorization = '' }) => fixture('rest-token', (event) => {
  event.authorizationToken = Authorization;
});

const HTTP_ARN = 'arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5/prod/GET/orders/7';
const REST_ARN = 'arn:aws:execute-api:eu-west-1:111122223333:f6g7h8i9j0/prod/GET/orders/7';
/** The URLs the clients called, which a DPoP proof's htu names. */
const HTTP_URL = 'https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders/7?view=full';
const REST_URL = 'https://f6g7h8i9j0.execute-api.eu-west-1.amazonaws.com/prod/orders/7?view=full';

const policy = (principalId, Effect, Resource, context) => ({
  principalId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect, Resource }] },
  context,
});

/** What a call gave: the answer, or `thrown: message` and its code. */
async function outcome(handler, event) {
  try {
    return await handler(event);
  } catch (error) {
    return { thrown: error.message, code: error.code ?? null };
  }
}

/** The tokens and headers the tables use, made once. */
async function credentials() {
  const pair = await keyPair('ES256', 'lambda');
  const stranger = await keyPair('ES256', 'lambda');
  const client = await dpopClient();
  const claims = goodClaims();
  const bound = await sign(pair, goodClaims({ cnf: { jkt: client.jkt } }));
  const bearer = async (tokenClaims, by = pair) => ({ Authorization: `Bearer ${await sign(by, tokenClaims)}` });
  /** DPoP headers for one request to `url`, in the client's case. */
  const dpop = async (url) => {
    const { authorization, dpop: proof } = await client.headers(bound, url);
    return { Authorization: authorization, DPoP: proof };
  };
  return {
    jwks: { keys: [pair.jwk] },
    // The context of an accepted token: its claims, the roles array as JSON text.
    context: { ...claims, roles: '["Data.Read"]' },
    valid: await bearer(claims),
    invalid: await bearer(claims, stranger),
    expired: await bearer(goodClaims({ exp: 1_000_000 })),
    wrongRole: await bearer(goodClaims({ roles: ['Data.Write'] })),
    boundAsBearer: { Authorization: `Bearer ${bound}` },
    dpop,
    jkt: client.jkt,
  };
}

const OPTIONS = (jwks) => ({ issuer: ISSUER, audience: AUDIENCE, keys: jwks, roles: ['Data.Read'] });

describe('lambdaAuthorizer', () => {
  let made;
  /** Errors onRefuse received, by the request's URL. */
  const refusals = [];
  const onRefuse = (error) => refusals.push(error.code);
  const authorizers = {};
  before(async () => {
    made = await credentials();
    // One authorizer per configuration, at "module scope": every invocation below reuses it.
    const options = OPTIONS(made.jwks);
    authorizers.simple = lambdaAuthorizer(options, { onRefuse });
    authorizers.httpPolicy = lambdaAuthorizer(options, { response: 'policy', onRefuse });
    authorizers.rest = lambdaAuthorizer(options, { response: 'policy', onRefuse });
    authorizers.stage = lambdaAuthorizer(options, { resource: 'stage', onRefuse });
  });

  const refusedContext = (error, code) => ({ error, ...(code ? { code } : {}) });

  // [name, authorizer, event from the credentials, expected answer from the credentials, code onRefuse heard (null: none)]
  const rows = [
    ['HTTP API simple: valid', 'simple', (c) => httpEvent({ authorization: c.valid.Authorization }), (c) => ({ isAuthorized: true, context: c.context }), null],
    ['HTTP API simple: missing', 'simple', () => httpEvent({}), () => ({ isAuthorized: false, context: refusedContext('unauthorized') }), null],
    ['HTTP API simple: invalid signature', 'simple', (c) => httpEvent({ authorization: c.invalid.Authorization }),
      () => ({ isAuthorized: false, context: refusedContext('invalid_token', 'ERR_SIGNATURE_INVALID') }), 'ERR_SIGNATURE_INVALID'],
    ['HTTP API simple: expired', 'simple', (c) => httpEvent({ authorization: c.expired.Authorization }),
      () => ({ isAuthorized: false, context: refusedContext('invalid_token', 'ERR_TOKEN_EXPIRED') }), 'ERR_TOKEN_EXPIRED'],
    ['HTTP API simple: wrong role', 'simple', (c) => httpEvent({ authorization: c.wrongRole.Authorization }),
      () => ({ isAuthorized: false, context: refusedContext('insufficient_scope', 'ERR_ROLE_MISSING') }), 'ERR_ROLE_MISSING'],
    ['[dpop] HTTP API simple: DPoP-bound with its proof', 'simple', async (c) => {
      const { Authorization, DPoP } = await c.dpop(HTTP_URL);
      return httpEvent({ authorization: Authorization, dpop: DPoP });
    }, (c) => ({ isAuthorized: true, context: { ...c.context, cnf: JSON.stringify({ jkt: c.jkt }) } }), null],
    ['HTTP API simple: DPoP-bound as a bearer token', 'simple', (c) => httpEvent({ authorization: c.boundAsBearer.Authorization }),
      () => ({ isAuthorized: false, context: refusedContext('invalid_token', 'ERR_TOKEN_BOUND') }), 'ERR_TOKEN_BOUND'],
    ['HTTP API simple: a DPoP proof for another URL', 'simple', async (c) => {
      const { Authorization, DPoP } = await c.dpop('https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/orders/8');
      return httpEvent({ authorization: Authorization, dpop: DPoP });
    }, () => ({ isAuthorized: false, context: refusedContext('invalid_dpop_proof', 'ERR_DPOP_INVALID') }), 'ERR_DPOP_INVALID'],

    ['HTTP API policy: valid', 'httpPolicy', (c) => httpEvent({ authorization: c.valid.Authorization }),
      (c) => policy('service-principal-1', 'Allow', HTTP_ARN, c.context), null],
    ['HTTP API policy: missing', 'httpPolicy', () => httpEvent({}), () => policy('unknown', 'Deny', HTTP_ARN, refusedContext('unauthorized')), null],
    ['HTTP API policy: wrong role', 'httpPolicy', (c) => httpEvent({ authorization: c.wrongRole.Authorization }),
      () => policy('unknown', 'Deny', HTTP_ARN, refusedContext('insufficient_scope', 'ERR_ROLE_MISSING')), 'ERR_ROLE_MISSING'],
    ['HTTP API simple, stage resource: valid', 'stage', (c) => httpEvent({ authorization: c.valid.Authorization }), (c) => ({ isAuthorized: true, context: c.context }), null],

    ['REST TOKEN: valid', 'rest', (c) => tokenEvent(c.valid), (c) => policy('service-principal-1', 'Allow', REST_ARN, c.context), null],
    ['REST TOKEN: missing', 'rest', () => tokenEvent({}), () => ({ thrown: 'Unauthorized', code: null }), null],
    ['REST TOKEN: invalid signature', 'rest', (c) => tokenEvent(c.invalid), () => ({ thrown: 'Unauthorized', code: null }), 'ERR_SIGNATURE_INVALID'],
    ['REST TOKEN: expired', 'rest', (c) => tokenEvent(c.expired), () => ({ thrown: 'Unauthorized', code: null }), 'ERR_TOKEN_EXPIRED'],
    ['REST TOKEN: wrong role', 'rest', (c) => tokenEvent(c.wrongRole),
      () => policy('unknown', 'Deny', REST_ARN, refusedContext('insufficient_scope', 'ERR_ROLE_MISSING')), 'ERR_ROLE_MISSING'],
    ['REST TOKEN: the DPoP scheme (the proof cannot reach a TOKEN authorizer)', 'rest', async (c) => tokenEvent(await c.dpop(REST_URL)),
      () => ({ thrown: 'Unauthorized', code: null }), 'ERR_DPOP_INVALID'],
    ['REST TOKEN: DPoP-bound as a bearer token', 'rest', (c) => tokenEvent(c.boundAsBearer), () => ({ thrown: 'Unauthorized', code: null }), 'ERR_TOKEN_BOUND'],

    ['REST REQUEST: valid', 'rest', (c) => restRequestEvent(c.valid), (c) => policy('service-principal-1', 'Allow', REST_ARN, c.context), null],
    ['REST REQUEST: missing', 'rest', () => restRequestEvent({}), () => ({ thrown: 'Unauthorized', code: null }), null],
    ['REST REQUEST: invalid signature', 'rest', (c) => restRequestEvent(c.invalid), () => ({ thrown: 'Unauthorized', code: null }), 'ERR_SIGNATURE_INVALID'],
    ['REST REQUEST: expired', 'rest', (c) => restRequestEvent(c.expired), () => ({ thrown: 'Unauthorized', code: null }), 'ERR_TOKEN_EXPIRED'],
    ['REST REQUEST: wrong role', 'rest', (c) => restRequestEvent(c.wrongRole),
      () => policy('unknown', 'Deny', REST_ARN, refusedContext('insufficient_scope', 'ERR_ROLE_MISSING')), 'ERR_ROLE_MISSING'],
    ['[dpop] REST REQUEST: DPoP-bound with its proof', 'rest', async (c) => restRequestEvent(await c.dpop(REST_URL)),
      (c) => policy('service-principal-1', 'Allow', REST_ARN, { ...c.context, cnf: JSON.stringify({ jkt: c.jkt }) }), null],
    ['REST REQUEST: DPoP-bound as a bearer token', 'rest', (c) => restRequestEvent(c.boundAsBearer), () => ({ thrown: 'Unauthorized', code: null }), 'ERR_TOKEN_BOUND'],
    ['REST REQUEST, stage resource: valid', 'stage', (c) => restRequestEvent(c.valid),
      (c) => policy('service-principal-1', 'Allow', 'arn:aws:execute-api:eu-west-1:111122223333:f6g7h8i9j0/prod/*', c.context), null],
    ['REST REQUEST, stage resource: wrong role', 'stage', (c) => restRequestEvent(c.wrongRole),
      () => policy('unknown', 'Deny', 'arn:aws:execute-api:eu-west-1:111122223333:f6g7h8i9j0/prod/*', refusedContext('insufficient_scope', 'ERR_ROLE_MISSING')), 'ERR_ROLE_MISSING'],
  ];

  for (const [name, which, event, expected, heard] of rows) {
    test(name, async () => {
      refusals.length = 0;
      assert.deepEqual(await outcome(authorizers[which], await event(made)), expected(made));
      assert.deepEqual(refusals, heard === null ? [] : [heard]);
    });
  }

  test('a TOKEN authorizer refuses the DPoP scheme with a reason that names the REQUEST authorizer', async () => {
    let heard;
    const handler = lambdaAuthorizer(OPTIONS(made.jwks), { onRefuse: (error) => { heard = error; } });
    await assert.rejects(handler(tokenEvent(await made.dpop(REST_URL))), { message: 'Unauthorized' });
    assert.equal(heard.code, 'ERR_DPOP_INVALID');
    assert.match(heard.detail, /TOKEN authorizer cannot see the DPoP header: use a REQUEST authorizer/);
  });
});

describe('lambdaAuthorizer and a policy that asks for step-up', () => {
  // An authorizer answers API Gateway, not the client: no WWW-Authenticate, so no acr_values or max_age
  // reach the client. What is left of the refusal is the context's error and code (docs/frameworks/lambda.md).
  const refused = { error: 'insufficient_user_authentication', code: 'ERR_AUTH_LEVEL_INSUFFICIENT' };
  let pair;
  let handlers;
  before(async () => {
    pair = await keyPair('ES256', 'lambda');
    const options = { ...STEP_UP_POLICIES.stepUp, keys: { keys: [pair.jwk] } };
    handlers = { simple: lambdaAuthorizer(options, { onRefuse: false }), policy: lambdaAuthorizer(options, { response: 'policy', onRefuse: false }) };
  });
  const withoutAcr = async () => `Bearer ${await sign(pair, goodClaims({ auth_time: nowSeconds() }))}`;
  // [name, handler, event from the Authorization value, expected answer]
  const rows = [
    ['HTTP API simple: isAuthorized false (API Gateway answers 403), the context names the error', 'simple', (authorization) => httpEvent({ authorization }),
      { isAuthorized: false, context: refused }],
    ['HTTP API policy: a Deny policy (403) with the same context', 'policy', (authorization) => httpEvent({ authorization }), policy('unknown', 'Deny', HTTP_ARN, refused)],
    ['REST TOKEN: Unauthorized is thrown (401, API Gateway\'s own answer, without the context)', 'policy', (Authorization) => tokenEvent({ Authorization }), { thrown: 'Unauthorized', code: null }],
    ['REST REQUEST: the same', 'policy', (Authorization) => restRequestEvent({ Authorization }), { thrown: 'Unauthorized', code: null }],
  ];
  for (const [name, which, event, expected] of rows) {
    test(`a token without acr: ${name}`, async () => {
      assert.deepEqual(await outcome(handlers[which], event(await withoutAcr())), expected);
    });
  }
  test('a token with the right acr, signed in recently: allowed', async () => {
    const claims = goodClaims({ acr: 'urn:mfa', auth_time: nowSeconds() - 10 });
    const answer = await handlers.simple(httpEvent({ authorization: `Bearer ${await sign(pair, claims)}` }));
    assert.equal(answer.isAuthorized, true);
    assert.equal(answer.context.acr, 'urn:mfa');
  });
});

test('lambdaAuthorizer reads no client certificate: a certificate-bound token is refused ERR_TOKEN_BOUND', async () => {
  const pair = await keyPair('ES256', 'lambda');
  const handler = lambdaAuthorizer(OPTIONS({ keys: [pair.jwk] }), { onRefuse: false });
  const token = await sign(pair, goodClaims({ cnf: { 'x5t#S256': 'x4E5cjHMHcMyOkBXGk7m6bCb3A7VZtsLQjY0zc8X4S0' } }));
  assert.deepEqual(await handler(httpEvent({ authorization: `Bearer ${token}` })),
    { isAuthorized: false, context: { error: 'invalid_token', code: 'ERR_TOKEN_BOUND' } });
});

test('[per-request] lambdaAuthorizer with options as a function of the event: each tenant its own issuer and keys', async () => {
  const [one, two] = [await keyPair('ES256', 'tenant-one'), await keyPair('ES256', 'tenant-two')];
  const tenants = {
    one: { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [one.jwk] } },
    two: { issuer: 'https://issuer.test/tenant-2/v2.0', audience: AUDIENCE, keys: { keys: [two.jwk] } },
  };
  const handler = lambdaAuthorizer((event) => tenants[event.headers['x-tenant']], { onRefuse: false });
  const asTwo = `Bearer ${await sign(two, goodClaims({ iss: 'https://issuer.test/tenant-2/v2.0' }))}`;
  // [tenant, authorization, answer's isAuthorized and context's iss or code]
  const rows = [
    ['one', `Bearer ${await sign(one, goodClaims())}`, [true, ISSUER]],
    ['two', asTwo, [true, 'https://issuer.test/tenant-2/v2.0']],
    ['one', asTwo, [false, 'ERR_KEY_NOT_FOUND']],
  ];
  for (const [tenant, authorization, expected] of rows) {
    const { isAuthorized, context } = await handler(httpEvent({ 'x-tenant': tenant, authorization }));
    assert.deepEqual([isAuthorized, isAuthorized ? context.iss : context.code], expected, tenant);
  }
});

test('lambdaAuthorizer checks a CORS preflight event like any other: without a token it is refused', async () => {
  const handler = lambdaAuthorizer(OPTIONS({ keys: [] }), { onRefuse: false });
  const preflight = fixture('http-api-v2', (event) => {
    event.requestContext.http.method = 'OPTIONS';
    Object.assign(event.headers, { origin: 'https://app.example', 'access-control-request-method': 'GET' });
  });
  assert.deepEqual(await handler(preflight), { isAuthorized: false, context: { error: 'unauthorized' } });
});

describe('lambdaAuthorizer keeps one verifier per container', () => {
  test('the options are read when the first event arrives, never again', async () => {
    const pair = await keyPair('ES256', 'once');
    let reads = 0;
    // createVerifier reads `issuer` when it builds a verifier: the count says how many were built.
    const options = {
      get issuer() {
        reads += 1;
        return ISSUER;
      },
      audience: AUDIENCE,
      keys: { keys: [pair.jwk] },
    };
    const handler = lambdaAuthorizer(options);
    assert.equal(reads, 0);
    const authorization = `Bearer ${await sign(pair)}`;
    assert.equal((await handler(httpEvent({ authorization }))).isAuthorized, true);
    const afterFirst = reads;
    assert.ok(afterFirst > 0);
    for (let i = 0; i < 4; i += 1) {
      assert.equal((await handler(httpEvent({ authorization }))).isAuthorized, true);
    }
    assert.equal(reads, afterFirst);
  });
});

describe('lambdaAuthorizer refuses what it cannot answer', () => {
  const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [] } };
  // [name, call, code]
  const building = [
    ['an unknown setting', () => lambdaAuthorizer(options, { realm: 'api' }), 'ERR_POLICY_INVALID'],
    ['another response kind', () => lambdaAuthorizer(options, { response: 'iam' }), 'ERR_POLICY_INVALID'],
    ['another resource choice', () => lambdaAuthorizer(options, { resource: '*' }), 'ERR_POLICY_INVALID'],
  ];
  for (const [name, call, code] of building) {
    test(`when built: ${name}`, () => assert.throws(call, (error) => error instanceof JwtGuardError && error.code === code));
  }

  // [name, event, code]
  const events = [
    ['no event', undefined, 'ERR_REQUEST_INVALID'],
    ['a WebSocket or unknown type', { type: 'MESSAGE', methodArn: REST_ARN }, 'ERR_REQUEST_INVALID'],
    ['a method ARN that is not execute-api', fixture('rest-token', (event) => { event.methodArn = 'arn:aws:s3:::bucket'; }), 'ERR_REQUEST_INVALID'],
    ['an HTTP API event without its route ARN', fixture('http-api-v2', (event) => { delete event.routeArn; }), 'ERR_REQUEST_INVALID'],
  ];
  for (const [name, event, code] of events) {
    test(`when invoked: ${name} (API Gateway answers 500)`, async () => {
      await assert.rejects(lambdaAuthorizer(options)(event), (error) => error instanceof JwtGuardError && error.code === code);
    });
  }

  test('keys that cannot be loaded throw the code (API Gateway answers 500), never an Allow', async () => {
    const failing = {
      [Symbol.for('jwtguard.keySource')]: true,
      kind: 'failing',
      current: () => null,
      load: async () => { throw new JwtGuardError('ERR_JWKS_FETCH_FAILED', 'the test source has no keys'); },
      refresh: async () => { throw new JwtGuardError('ERR_JWKS_FETCH_FAILED', 'the test source has no keys'); },
    };
    const handler = lambdaAuthorizer({ issuer: ISSUER, audience: AUDIENCE, keys: failing }, { onRefuse: false });
    const pair = await keyPair('ES256', 'none');
    await assert.rejects(handler(tokenEvent({ Authorization: `Bearer ${await sign(pair)}` })), (error) => error instanceof JwtGuardError && error.code === 'ERR_JWKS_FETCH_FAILED');
  });
});

test('docs/frameworks/lambda.md: its first block runs as written', async () => {
  const pair = await keyPair('ES256', 'docs');
  Object.assign(process.env, { JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWKS: JSON.stringify({ keys: [pair.jwk] }) });
  const { handler } = await importFirstBlock('docs/frameworks/lambda.md');
  const call = async (claims) => handler(httpEvent(claims ? { authorization: `Bearer ${await sign(pair, claims)}` } : {}));
  const claims = goodClaims({ roles: ['Orders.Read'] });
  assert.deepEqual(await call(claims), { isAuthorized: true, context: { ...claims, roles: '["Orders.Read"]' } });
  assert.deepEqual(await call(goodClaims()), { isAuthorized: false, context: { error: 'insufficient_scope', code: 'ERR_ROLE_MISSING' } });
  assert.deepEqual(await call(null), { isAuthorized: false, context: { error: 'unauthorized' } });
});
