// What a middleware or gateway keeps per deployment, whatever env objects the
// runtime passes (js/authenticate.js, js/replay.js): one verifier per env
// content for a function of the env, a bounded number of them, and one DPoP
// replay memory per middleware and per gateway (across its policies). The
// same runs on real servers (Node with @hono/node-server, Deno, Bun) in
// tests/servers/runtimes.test.mjs.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { MAX_ENV_VERIFIERS, authenticator } from '../../js/authenticate.js';
import { gatewayGuard } from '../../js/gateway.js';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const pair = await keyPair('ES256');
const jwks = { keys: [pair.jwk] };
const bearer = await sign(pair);
const ORIGIN = 'https://api.test';

/** The options a Worker would build from its env; the runtimes' envs hold no settings, so the defaults apply. */
const optionsOf = (env) => ({ issuer: env.JWT_ISSUER ?? ISSUER, audience: AUDIENCE, keys: env.JWKS ?? jwks });

/** `fn` and how often it was called. */
function counted(fn) {
  const counter = { calls: 0 };
  counter.fn = (env) => {
    counter.calls += 1;
    return fn(env);
  };
  return counter;
}

const get = (path, headers) => ({ method: 'GET', url: `${ORIGIN}${path}`, headers });

describe('R09, R12: a function of the env is called once per env content, not per env object', () => {
  const binding = { keys: [pair.jwk] };
  const workerd = { JWT_ISSUER: ISSUER, JWKS: binding };
  let port = 40000;
  const nodeServer = () => ({ incoming: { headers: {} }, outgoing: {} });
  const deno = () => ({ remoteAddr: { transport: 'tcp', hostname: '127.0.0.1', port: (port += 1) }, completed: Promise.resolve() });
  const copying = (env) => optionsOf({ ...env });
  // [name, options function, env of each request, calls of the function]
  const rows = [
    ['R09 the same env object (workerd)', optionsOf, Array(3).fill(() => workerd), 1],
    ['R09 a new env object each request, same settings', optionsOf, Array(3).fill(() => ({ JWT_ISSUER: ISSUER })), 1],
    ['R09 @hono/node-server: { incoming, outgoing }, new objects each request', optionsOf, Array(3).fill(nodeServer), 1],
    ['R09 Deno: the connection info, new each request', optionsOf, Array(3).fill(deno), 1],
    ['R09 a member the function never reads differs', optionsOf, [() => ({ OTHER: 'a' }), () => ({ OTHER: 'b' }), () => ({ OTHER: 'c' })], 1],
    ['R09 a binding it reads: the same object', optionsOf, Array(3).fill(() => ({ JWKS: binding })), 1],
    ['R09 a binding it reads: an equal but other object (bindings count by identity)', optionsOf, Array(2).fill(() => ({ JWKS: { keys: [pair.jwk] } })), 2],
    ['R09 a setting it reads: present, then absent', optionsOf, [() => ({ JWT_ISSUER: ISSUER }), () => ({})], 2],
    ['R09 a function that copies the whole env reads the per-request objects too', copying, Array(3).fill(nodeServer), 3],
  ];
  for (const [name, options, envs, calls] of rows) {
    test(`${name} → ${calls} call(s)`, async () => {
      const counter = counted(options);
      const guard = authenticator(counter.fn, undefined, { env: true });
      for (const env of envs) {
        const { auth, failure } = await guard.authenticate(get('/', { authorization: `Bearer ${bearer}` }), env());
        assert.equal(auth?.claims.sub, 'service-principal-1', JSON.stringify(failure?.body));
      }
      assert.equal(counter.calls, calls);
    });
  }

  test('R09 envs that differ in a member the function read never share a verifier', async () => {
    const guard = authenticator(optionsOf, undefined, { env: true });
    const status = async (env) => {
      const { auth, failure } = await guard.authenticate(get('/', { authorization: `Bearer ${bearer}` }), env);
      return auth ? 200 : failure.body.code;
    };
    assert.equal(await status({ JWT_ISSUER: ISSUER }), 200);
    assert.equal(await status({ JWT_ISSUER: 'https://other.test/' }), 'ERR_ISSUER_INVALID');
    assert.equal(await status({ JWT_ISSUER: ISSUER }), 200);
    assert.equal(await status({ JWT_ISSUER: ISSUER, JWKS: { keys: [(await keyPair('ES256')).jwk] } }), 'ERR_SIGNATURE_INVALID');
  });

  test(`R12 at most MAX_ENV_VERIFIERS (${MAX_ENV_VERIFIERS}) env contents are kept; the least recently used goes first`, async () => {
    const counter = counted((env) => ({ ...optionsOf({}), clockTolerance: env.TOLERANCE }));
    const guard = authenticator(counter.fn, undefined, { env: true });
    const use = (tolerance) => guard.authenticate(get('/', { authorization: `Bearer ${bearer}` }), { TOLERANCE: tolerance });
    for (let tolerance = 0; tolerance <= MAX_ENV_VERIFIERS; tolerance += 1) await use(tolerance);
    assert.equal(counter.calls, MAX_ENV_VERIFIERS + 1);
    await use(MAX_ENV_VERIFIERS);
    await use(1);
    assert.equal(counter.calls, MAX_ENV_VERIFIERS + 1, 'the kept contents are not built again');
    await use(0);
    assert.equal(counter.calls, MAX_ENV_VERIFIERS + 2, 'the least recently used content was dropped');
  });
});

describe('R09, R10: one DPoP replay memory per middleware and per gateway', async () => {
  const dpopKey = await generateKeyPair('ES256', { extractable: true });
  const dpopJwk = await exportJWK(dpopKey.publicKey);
  const jkt = await calculateJwkThumbprint(dpopJwk);
  const token = await sign(pair, goodClaims({ roles: ['Data.Read', 'Data.Admin'], cnf: { jkt } }));
  const ath = createHash('sha256').update(token).digest('base64url');
  const proof = (method, path) => new SignJWT({ htm: method, htu: `${ORIGIN}${path}`, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ath })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: dpopJwk })
    .sign(dpopKey.privateKey);
  const presented = (method, path, dpop) => ({ method, url: `${ORIGIN}${path}`, headers: { authorization: `DPoP ${token}`, dpop } });
  const outcome = ({ auth, failure }) => (auth ? 200 : `${failure.status} ${failure.body.error} ${failure.body.code}`);
  const REPLAYED = '401 invalid_dpop_proof ERR_DPOP_INVALID';

  test('R09 a proof used under one env content is a replay under another', async () => {
    const guard = authenticator((env) => ({ ...optionsOf(env), clockTolerance: env.TOLERANCE }), undefined, { env: true });
    const dpop = await proof('GET', '/tasks');
    assert.equal(outcome(await guard.authenticate(presented('GET', '/tasks', dpop), { TOLERANCE: 1 })), 200);
    assert.equal(outcome(await guard.authenticate(presented('GET', '/tasks', dpop), { TOLERANCE: 2 })), REPLAYED);
  });

  test('R09 a replayStore in the options is used instead of the middleware\'s memory', async () => {
    const asked = [];
    const store = {
      async seen(key) {
        asked.push(key);
        return false;
      },
    };
    const guard = authenticator((env) => ({ ...optionsOf(env), replayStore: store }), undefined, { env: true });
    const dpop = await proof('GET', '/tasks');
    // This store never answers "seen": both uses pass, and it was asked both times.
    assert.equal(outcome(await guard.authenticate(presented('GET', '/tasks', dpop), {})), 200);
    assert.equal(outcome(await guard.authenticate(presented('GET', '/tasks', dpop), {})), 200);
    assert.equal(asked.length, 2);
  });

  const policy = (roles) => (env) => ({ ...optionsOf(env), roles });
  const rules = () => gatewayGuard({
    policies: { admin: policy(['Data.Admin']), reader: policy(['Data.Read']) },
    rules: [
      { path: '/api/*', require: 'reader' },
      { path: '/api/admin/*', require: 'admin' },
      { path: '/api/audit/*', require: { allOf: ['reader', 'admin'] } },
      { path: '/api/reports/*', require: { anyOf: ['reader', 'admin'] } },
    ],
  });
  const through = async (gateway, method, path, dpop) => {
    const { answer, auth } = await gateway.handle(new Request(`${ORIGIN}${path}`, presented(method, path, dpop)), {}, {});
    return answer ? `${answer.status} ${answer.body.error} ${answer.body.code}` : auth.policies;
  };

  // [name, rule path, proof's path (= first request), then each request's path and its outcome]
  const rows = [
    ['R10 a proof the admin policy accepted, sent to the reader policy at another spelling of the path',
      '/api/admin/transfer', [['/api/admin/transfer', ['admin']], ['/api/%61dmin/transfer', REPLAYED], ['/api/admin/transfer', REPLAYED]]],
    ['R10 allOf: both policies check one proof in one request, which uses it once',
      '/api/audit/log', [['/api/audit/log', ['reader', 'admin']], ['/api/audit/log', REPLAYED]]],
    ['R10 anyOf: accepted once, then a replay',
      '/api/reports/q1', [['/api/reports/q1', ['reader']], ['/api/reports/q1', REPLAYED]]],
  ];
  for (const [name, path, requests] of rows) {
    test(name, async () => {
      const gateway = rules();
      const dpop = await proof('POST', path);
      for (const [at, expected] of requests) assert.deepEqual(await through(gateway, 'POST', at, dpop), expected, at);
    });
  }
});
