// Opaque access tokens against a real authorization server: panva's
// oidc-provider on 127.0.0.1 issues them (accessTokenFormat 'opaque') and
// answers introspection (RFC 7662) as JSON or signed (RFC 9701); jwtguard's
// introspection() asks it, caches the answers, and the core checks them by
// the policy. Also: the three client authentication methods, discovery of
// introspection_endpoint, revocation through the real revocation endpoint,
// a failing endpoint (slow, down, 500, oversized), a mixed router, and the
// catalog rows I01, I04, I05 and I06 on the host side.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { readFileSync } from 'node:fs';
import { INTROSPECTION_DEFAULTS, createVerifier, introspection, refusalResponse } from '@jwtguard/jwtguard';
import { failureResponse } from '../../../js/bearer.js';
import { MAX_INTROSPECTION_TTL } from '../../../js/introspection.js';
import { MAX_INTROSPECTION_RESPONSE_SIZE } from '../../../pkg/facts.js';
import { CLIENT_ID, CLIENT_SECRET, RESOURCE, SCOPE, startProvider } from '../../../scripts/local-provider.mjs';
import { fakeClock, recorder, rejectsWith, serve } from './net.mjs';

const RS_SECRET = 'resource-server-secret-for-local-tests-0123456789';
/** The resource server's registrations at the provider: one per client authentication method. */
const RS_BASIC = 'rs-basic';
const RS_POST = 'rs-post';
const RS_JWK = 'rs-private-key-jwk';
const RS_PEM = 'rs-private-key-pem';

const ecKey = await generateKeyPair('ES256', { extractable: true });
const otherKey = await generateKeyPair('RS256');
const ecPrivateJwk = { ...(await exportJWK(ecKey.privateKey)), kid: 'rs-ec-1' };
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPublicJwk = { ...rsaPem.publicKey.export({ format: 'jwk' }), kid: 'rs-rsa-1', alg: 'RS256' };

let provider;
before(async () => {
  provider = await startProvider({
    accessTokenFormat: 'opaque',
    clients: [
      { client_id: RS_BASIC, client_secret: RS_SECRET, token_endpoint_auth_method: 'client_secret_basic', introspection_signed_response_alg: 'RS256' },
      { client_id: RS_POST, client_secret: RS_SECRET, token_endpoint_auth_method: 'client_secret_post' },
      {
        client_id: RS_JWK,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [{ ...(await exportJWK(ecKey.publicKey)), kid: 'rs-ec-1' }] },
      },
      { client_id: RS_PEM, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [rsaPublicJwk] } },
    ],
  });
});
after(() => provider?.stop());

const INTROSPECTION_PATH = '/token/introspection';
const hits = () => provider.hits.get(INTROSPECTION_PATH) ?? 0;

/** A fetch that records each request (url, headers, body) before sending it. */
function recordingFetch() {
  const requests = [];
  return {
    requests,
    fetch: async (url, init) => {
      requests.push({ url: String(url), headers: { ...init.headers }, body: String(init.body ?? '') });
      return fetch(url, init);
    },
  };
}

/** A verifier of the provider's opaque tokens for the API, asking as `source` says. */
function verifierWith(sourceOptions = {}, policy = {}) {
  const clock = fakeClock(Date.now() / 1000);
  const log = recorder();
  const source = introspection({
    endpoint: `${provider.issuer}${INTROSPECTION_PATH}`,
    clientId: RS_BASIC,
    clientSecret: RS_SECRET,
    now: clock.now,
    onEvent: log.onEvent,
    ...sourceOptions,
  });
  const verifier = createVerifier({
    issuer: provider.issuer,
    audience: RESOURCE,
    scopes: [SCOPE],
    clients: [CLIENT_ID],
    introspection: source,
    ...policy,
  });
  return { verifier, clock, log };
}

/** A DPoP client's key, its proofs (signed by jose) and an opaque token the provider bound to that key. */
async function dpopClient() {
  const dpopKey = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(dpopKey.publicKey);
  const proof = (claims) => new SignJWT({ iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk }).sign(dpopKey.privateKey);
  const token = await provider.token(RESOURCE, { dpop: await proof({ htm: 'POST', htu: `${provider.issuer}/token` }) });
  return { jwk, proof, token };
}

/** Revokes `token` at the provider's revocation endpoint (RFC 7009), as the client it was issued to. */
async function revoke(token) {
  const response = await fetch(`${provider.issuer}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: CLIENT_ID, client_secret: CLIENT_SECRET }),
  });
  assert.equal(response.status, 200);
}

describe('introspection against oidc-provider', () => {
  for (const accept of ['json', 'jwt']) {
    test(`an active opaque token verifies; wrong audience and missing scope are refused (accept: ${accept})`, async () => {
      const token = await provider.token();
      assert.equal(token.split('.').length, 1, 'the provider issues opaque tokens');
      const sourceOptions = accept === 'jwt' ? { accept, issuer: provider.issuer } : {};
      const { verifier } = verifierWith(sourceOptions);
      const result = await verifier.verify(token);
      assert.equal(result.claims.active, true);
      assert.equal(result.claims.client_id, CLIENT_ID);
      assert.equal(result.claims.scope, SCOPE);
      assert.equal(result.introspected, true);
      assert.ok(Object.isFrozen(result.claims));
      await rejectsWith(verifierWith(sourceOptions, { audience: 'https://another-api.example' }).verifier.verify(token), 'ERR_AUDIENCE_INVALID');
      await rejectsWith(verifierWith(sourceOptions, { scopes: ['tasks:write'] }).verifier.verify(token), 'ERR_SCOPE_MISSING');
      await rejectsWith(verifierWith(sourceOptions, { issuer: 'https://another-as.example' }).verifier.verify(token), 'ERR_ISSUER_INVALID');
      await rejectsWith(verifierWith(sourceOptions).verifier.verify(`${token}x`), 'ERR_TOKEN_INACTIVE');
    });
  }

  test('a DPoP-bound opaque token: the answer\'s cnf.jkt binds it, so it needs its proof (verifyRequest)', async () => {
    const { jwk, proof, token } = await dpopClient();
    const { verifier } = verifierWith();
    const url = 'https://api.example.test/tasks';
    const ath = createHash('sha256').update(token).digest('base64url');
    const result = await verifier.verifyRequest({ method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: await proof({ htm: 'GET', htu: url, ath }) } });
    assert.equal(result.binding.type, 'dpop');
    assert.equal(result.binding.jkt, await calculateJwkThumbprint(jwk));
    await rejectsWith(verifier.verify(token), 'ERR_TOKEN_BOUND');
    await rejectsWith(verifier.verifyRequest({ method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: await proof({ htm: 'GET', htu: 'https://api.example.test/other', ath }) } }), 'ERR_DPOP_INVALID');
  });

  test('a DPoP-bound opaque token with dpopNonce: the proof needs a current server nonce, as with a JWT', async () => {
    const { proof, token } = await dpopClient();
    const dpopNonce = { current: () => 'nonce-now', accepted: () => ['nonce-now', 'nonce-before'] };
    const { verifier } = verifierWith({}, { dpopNonce });
    const url = 'https://api.example.test/tasks';
    const ath = createHash('sha256').update(token).digest('base64url');
    const request = async (nonce) => ({
      method: 'GET', url, headers: { authorization: `DPoP ${token}`, dpop: await proof({ htm: 'GET', htu: url, ath, ...(nonce === undefined ? {} : { nonce }) }) },
    });
    for (const nonce of [undefined, 'nonce-stale']) {
      const error = await verifier.verifyRequest(await request(nonce)).then(() => assert.fail('accepted'), (e) => e);
      assert.equal(error.code, 'ERR_DPOP_NONCE');
      assert.equal(error.dpopNonce, 'nonce-now');
      const answer = refusalResponse(error, { policy: verifier.policy, scheme: 'dpop' });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error, 'use_dpop_nonce');
      assert.equal(answer.headers['dpop-nonce'], 'nonce-now');
    }
    for (const nonce of ['nonce-now', 'nonce-before']) {
      const result = await verifier.verifyRequest(await request(nonce));
      assert.equal(result.binding.type, 'dpop');
      assert.equal(result.introspected, true);
      assert.equal(result.dpopNonce, 'nonce-now');
    }
  });

  test('each client authentication method: client_secret_basic, client_secret_post, private_key_jwt (JWK, PEM, KeyObject)', async () => {
    const token = await provider.token();
    const table = [
      [{ clientId: RS_BASIC, clientSecret: RS_SECRET }, 'authorization'],
      [{ clientId: RS_POST, clientSecret: RS_SECRET, authMethod: 'client_secret_post' }, 'client_secret'],
      [{ clientId: RS_JWK, clientSecret: undefined, privateKey: ecPrivateJwk }, 'client_assertion'],
      [{ clientId: RS_PEM, clientSecret: undefined, privateKey: rsaPem.privateKey.export({ format: 'pem', type: 'pkcs8' }), kid: 'rs-rsa-1' }, 'client_assertion'],
      [{ clientId: RS_PEM, clientSecret: undefined, privateKey: rsaPem.privateKey, kid: 'rs-rsa-1' }, 'client_assertion'],
    ];
    for (const [options, carries] of table) {
      const recording = recordingFetch();
      const { verifier } = verifierWith({ ...options, fetch: recording.fetch });
      const result = await verifier.verify(token);
      assert.equal(result.claims.active, true, options.clientId);
      const [request] = recording.requests;
      const sent = carries === 'authorization' ? request.headers.authorization : new URLSearchParams(request.body).get(carries);
      assert.ok(sent, `${options.clientId} sends ${carries}`);
    }
    // The wrong secret: the provider refuses the client (401), which is no verdict on the token.
    await rejectsWith(verifierWith({ clientSecret: 'not-the-secret-0123456789' }).verifier.verify(token), 'ERR_INTROSPECTION_FAILED');
  });

  test('issuer alone: introspection_endpoint comes from the discovery document', async () => {
    const token = await provider.token();
    const { verifier } = verifierWith({ endpoint: undefined, issuer: provider.issuer });
    assert.equal((await verifier.verify(token)).claims.active, true);
  });

  test('revoked through the real revocation endpoint: refused once the cached answer is older than cacheTtl', async () => {
    const token = await provider.token();
    const { verifier, clock } = verifierWith({ cacheTtl: 30 });
    await verifier.verify(token);
    const before = hits();
    await revoke(token);
    // Within cacheTtl the kept answer stands (the documented trade-off) and no request is made.
    assert.equal((await verifier.verify(token)).claims.active, true);
    assert.equal(hits(), before);
    clock.advance(31);
    await rejectsWith(verifier.verify(token), 'ERR_TOKEN_INACTIVE');
    assert.equal(hits(), before + 1);
  });

  test('expired: a kept answer is checked again at each request, so an expired token is refused from the cache too', async () => {
    const token = await provider.token();
    const verifierClock = fakeClock(Date.now() / 1000);
    const { verifier } = verifierWith({}, { now: verifierClock.now });
    await verifier.verify(token);
    verifierClock.advance(601 + 60); // past exp (the provider's 600 s) and the clock tolerance
    const before = hits();
    await rejectsWith(verifier.verify(token), 'ERR_TOKEN_EXPIRED');
    assert.equal(hits(), before, 'answered from the cache, still refused');
  });

  test('inactive answers are kept for inactiveTtl: a flood of one bad token is one request', async () => {
    const { verifier, clock } = verifierWith({ inactiveTtl: 10 });
    const before = hits();
    for (let i = 0; i < 5; i += 1) await rejectsWith(verifier.verify('not-a-token-the-provider-issued'), 'ERR_TOKEN_INACTIVE');
    assert.equal(hits(), before + 1);
    clock.advance(11);
    await rejectsWith(verifier.verify('not-a-token-the-provider-issued'), 'ERR_TOKEN_INACTIVE');
    assert.equal(hits(), before + 2);
  });

  test('concurrent requests with one token share one introspection; verifySync is refused', async () => {
    const token = await provider.token();
    const { verifier, log } = verifierWith();
    const before = hits();
    const results = await Promise.all(Array.from({ length: 5 }, () => verifier.verify(token)));
    assert.ok(results.every((r) => r.claims.active === true));
    assert.equal(hits(), before + 1);
    const kept = log.of('introspection-hit').length;
    await verifier.verify(token);
    assert.equal(log.of('introspection-hit').length, kept + 1);
    assert.equal(hits(), before + 1);
    assert.throws(() => verifier.verifySync(token), { code: 'ERR_POLICY_INVALID' });
  });

  test('the cache is bounded (maxEntries) and reports evictions', async () => {
    const { verifier, log } = verifierWith({ maxEntries: 2 });
    for (const n of [1, 2, 3]) await rejectsWith(verifier.verify(`bogus-${n}`), 'ERR_TOKEN_INACTIVE');
    assert.equal(log.of('introspection-evicted').length, 1);
    const before = hits();
    await rejectsWith(verifier.verify('bogus-1'), 'ERR_TOKEN_INACTIVE');
    assert.equal(hits(), before + 1, 'the evicted answer is asked for again');
  });

  test('I05 a token that shares a prefix, a suffix or all but its case with a cached one is introspected afresh', async () => {
    const token = await provider.token();
    const { verifier } = verifierWith();
    await verifier.verify(token);
    const flipped = [...token].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    for (const near of [`${token}A`, token.slice(0, -1), `A${token}`, token.slice(1), flipped]) {
      const before = hits();
      await rejectsWith(verifier.verify(near), 'ERR_TOKEN_INACTIVE');
      assert.equal(hits(), before + 1);
    }
    assert.equal((await verifier.verify(token)).claims.active, true);
  });

  test('I06 the token goes only in the POST body: never in the URL, a header, an event or an error', async () => {
    const token = await provider.token();
    const recording = recordingFetch();
    const log = recorder();
    const { verifier } = verifierWith({ fetch: recording.fetch, onEvent: log.onEvent });
    await verifier.verify(token);
    const [request] = recording.requests;
    assert.equal(new URLSearchParams(request.body).get('token'), token);
    assert.ok(!request.url.includes(token));
    assert.ok(!JSON.stringify(request.headers).includes(token));
    // A failing endpoint: its errors and events name the URL, not the token.
    const down = await serve((_req, res) => {
      res.writeHead(500);
      res.end('down');
    });
    const failing = verifierWith({ endpoint: `${down.origin}/introspect`, onEvent: log.onEvent });
    await assert.rejects(failing.verifier.verify(token), (error) => !error.message.includes(token) && !String(error.detail).includes(token));
    await down.close();
    assert.ok(log.events.length > 0);
    assert.ok(!JSON.stringify(log.events, (_k, v) => (v instanceof Error ? v.message : v)).includes(token));
  });
});

describe('an endpoint that fails: 503 temporarily_unavailable, never 401, never an accept', () => {
  const failures = [
    ['slow', (_req, res) => setTimeout(() => res.end('{"active":true}'), 2000), { timeout: 0.2 }],
    ['500', (_req, res) => {
      res.writeHead(500);
      res.end();
    }, {}],
    ['oversized', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ active: true, pad: 'x'.repeat(70 * 1024) }));
    }, {}],
    ['a redirect', (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    }, {}],
  ];
  for (const [name, handler, options] of failures) {
    test(name, async () => {
      const server = await serve(handler);
      const { verifier } = verifierWith({ endpoint: `${server.origin}/introspect`, ...options });
      await assert.rejects(verifier.verify('an-opaque-token'), (error) => {
        assert.equal(error.code, 'ERR_INTROSPECTION_FAILED', error.message);
        const answer = failureResponse({ error, realm: 'api' });
        assert.equal(answer.status, 503);
        assert.equal(answer.body.error, 'temporarily_unavailable');
        assert.ok(Number(answer.headers['retry-after']) > 0);
        return true;
      });
      await server.close();
    });
  }

  test('down, then back: a failure is not cached', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ active: true, iss: provider.issuer, aud: RESOURCE, scope: SCOPE, client_id: CLIENT_ID, exp: Math.floor(Date.now() / 1000) + 60 }));
    });
    const endpoint = `${server.origin}/introspect`;
    await server.close();
    const { verifier } = verifierWith({ endpoint });
    await rejectsWith(verifier.verify('an-opaque-token'), 'ERR_INTROSPECTION_FAILED');
    const port = Number(new URL(endpoint).port);
    const back = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ active: true, iss: provider.issuer, aud: RESOURCE, scope: SCOPE, client_id: CLIENT_ID, exp: Math.floor(Date.now() / 1000) + 60 }));
    }, port);
    assert.equal((await verifier.verify('an-opaque-token')).claims.active, true);
    await back.close();
  });
});

describe('signed answers (accept: jwt, RFC 9701)', () => {
  /** A proxy in front of the provider's endpoint that hands back `edit(answer)` instead. */
  async function proxy(edit) {
    return serve(async (req, res) => {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const upstream = await fetch(`${provider.issuer}${INTROSPECTION_PATH}`, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'], accept: req.headers.accept, authorization: req.headers.authorization ?? '' },
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': upstream.headers.get('content-type') });
      res.end(await edit(await upstream.text()));
    });
  }

  const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
  const forgeries = [
    ['a flipped signature bit', (jwt) => `${jwt.slice(0, -2)}${jwt.at(-2) === 'A' ? 'B' : 'A'}${jwt.at(-1)}`],
    ['a tampered payload (scope widened)', (jwt) => {
      const [h, , s] = jwt.split('.');
      const claims = claimsOf(jwt);
      claims.token_introspection.scope = `${SCOPE} tasks:admin`;
      return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    }],
    ['signed by another key under the provider\'s kid', async (jwt) => {
      const header = JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url'));
      return new SignJWT(claimsOf(jwt)).setProtectedHeader(header).sign(otherKey.privateKey);
    }],
    ['I01 unsigned: alg none', (jwt) => `${Buffer.from('{"alg":"none","typ":"token-introspection+jwt"}').toString('base64url')}.${jwt.split('.')[1]}.`],
    ['I01 unsigned: the plain JSON answer', (jwt) => JSON.stringify(claimsOf(jwt).token_introspection)],
  ];
  for (const [name, edit] of forgeries) {
    test(name, async () => {
      const token = await provider.token();
      const server = await proxy(edit);
      const { verifier } = verifierWith({ accept: 'jwt', issuer: provider.issuer, endpoint: `${server.origin}/introspect` });
      await rejectsWith(verifier.verify(token), 'ERR_INTROSPECTION_INVALID');
      await server.close();
    });
  }

  test('the same proxy passing the answer through verifies (the forgeries above fail for their edit alone)', async () => {
    const token = await provider.token();
    const server = await proxy((jwt) => jwt);
    const { verifier } = verifierWith({ accept: 'jwt', issuer: provider.issuer, endpoint: `${server.origin}/introspect` });
    assert.equal((await verifier.verify(token)).claims.active, true);
    await server.close();
  });

  test('a signed answer addressed to another client is refused', async () => {
    const token = await provider.token();
    // The proxy asks as RS_POST whatever the resource server sent: the
    // provider's signed answer is then for rs-post, not for us (rs-basic).
    const server = await serve(async (req, res) => {
      req.resume();
      const upstream = await fetch(`${provider.issuer}${INTROSPECTION_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: req.headers.accept },
        body: new URLSearchParams({ token, client_id: RS_POST, client_secret: RS_SECRET }),
      });
      res.writeHead(200, { 'content-type': upstream.headers.get('content-type') });
      res.end(await upstream.text());
    });
    const { verifier } = verifierWith({ accept: 'jwt', issuer: provider.issuer, endpoint: `${server.origin}/introspect` });
    await assert.rejects(verifier.verify(token), (error) => {
      assert.equal(error.code, 'ERR_INTROSPECTION_INVALID');
      assert.match(error.detail, /ERR_AUDIENCE_INVALID/);
      return true;
    });
    await server.close();
  });
});

describe('a mixed router: JWT issuers and one introspecting configuration', () => {
  let jwtProvider;
  before(async () => {
    jwtProvider = await startProvider();
  });
  after(() => jwtProvider?.stop());

  async function router() {
    const { discover } = await import('@jwtguard/jwtguard');
    const source = introspection({ endpoint: `${provider.issuer}${INTROSPECTION_PATH}`, clientId: RS_BASIC, clientSecret: RS_SECRET });
    return createVerifier([
      { issuer: jwtProvider.issuer, audience: RESOURCE, typ: 'at+jwt', keys: discover(jwtProvider.issuer) },
      { issuer: provider.issuer, audience: RESOURCE, scopes: [SCOPE], introspection: source },
    ]);
  }

  test('an opaque token goes to introspection; a JWT to its issuer configuration (Entra-shaped ones too)', async () => {
    const jwtToken = await jwtProvider.token();
    const entraKey = await generateKeyPair('RS256');
    const tenant = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const entraIssuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
    const entraToken = await new SignJWT({ iss: entraIssuer, aud: 'api://orders', tid: tenant, azp: 'daemon', ver: '2.0', roles: ['Orders.Read'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'entra-1', typ: 'JWT' }).setIssuedAt().setExpirationTime('10m').sign(entraKey.privateKey);
    const entra = { issuer: entraIssuer, audience: 'api://orders', roles: ['Orders.Read'], keys: { keys: [{ ...(await exportJWK(entraKey.publicKey)), kid: 'entra-1', alg: 'RS256' }] } };
    const { discover } = await import('@jwtguard/jwtguard');
    const verifier = createVerifier([
      entra,
      { issuer: jwtProvider.issuer, audience: RESOURCE, typ: 'at+jwt', keys: discover(jwtProvider.issuer) },
      { issuer: provider.issuer, audience: RESOURCE, scopes: [SCOPE], introspection: introspection({ endpoint: `${provider.issuer}${INTROSPECTION_PATH}`, clientId: RS_BASIC, clientSecret: RS_SECRET }) },
    ]);
    const before = hits();
    assert.equal((await verifier.verify(entraToken)).claims.tid, tenant);
    assert.equal((await verifier.verify(jwtToken)).claims.iss, jwtProvider.issuer);
    assert.equal(hits(), before, 'a JWT is never introspected');
    assert.equal((await verifier.verify(await provider.token())).claims.active, true);
    assert.equal(hits(), before + 1);
  });

  test('I04 a JWT that fails its own configuration never falls through to introspection', async () => {
    const jwtToken = await jwtProvider.token();
    const verifier = await router();
    const [h, p, s] = jwtToken.split('.');
    const before = hits();
    // Forged for the JWT issuer: refused there, with that configuration's code.
    await rejectsWith(verifier.verify(`${h}.${p}.${s.slice(0, -4)}AAAA`), 'ERR_SIGNATURE_INVALID');
    const header = JSON.parse(Buffer.from(h, 'base64url'));
    const forged = await new SignJWT(JSON.parse(Buffer.from(p, 'base64url'))).setProtectedHeader(header).sign(otherKey.privateKey);
    await rejectsWith(verifier.verify(forged), 'ERR_SIGNATURE_INVALID');
    const expired = await new SignJWT({ ...JSON.parse(Buffer.from(p, 'base64url')), exp: 1 }).setProtectedHeader(header).sign(otherKey.privateKey);
    await rejectsWith(verifier.verify(expired), 'ERR_SIGNATURE_INVALID');
    assert.equal(hits(), before);
    // A JWT of an issuer no JWT configuration accepts is the authorization
    // server's to judge; oidc-provider refuses to introspect structured
    // tokens at all (400), which is no answer: 503, never an accept.
    const stranger = await new SignJWT({ iss: 'https://stranger.example', aud: RESOURCE }).setProtectedHeader({ alg: 'RS256' }).sign(otherKey.privateKey);
    await rejectsWith(verifier.verify(stranger), 'ERR_INTROSPECTION_FAILED');
    assert.equal(hits(), before + 1);
  });

  test('at most one configuration introspects', () => {
    const source = introspection({ endpoint: `${provider.issuer}${INTROSPECTION_PATH}`, clientId: RS_BASIC, clientSecret: RS_SECRET });
    assert.throws(() => createVerifier([
      { issuer: 'https://a.example', audience: RESOURCE, introspection: source },
      { issuer: 'https://b.example', audience: RESOURCE, introspection: source },
    ]), { code: 'ERR_POLICY_INVALID' });
  });
});

test('docs/introspection.md states the defaults of INTROSPECTION_DEFAULTS', () => {
  const page = readFileSync(new URL('../../../docs/introspection.md', import.meta.url), 'utf8');
  const rows = Object.fromEntries([...page.matchAll(/^\| `(\w+)` \| (\d+) \|/gm)].map(([, name, value]) => [name, Number(value)]));
  assert.deepEqual(rows, { ...INTROSPECTION_DEFAULTS });
  // The caps it names: the response size (the core's limit) and the TTLs'.
  assert.ok(page.includes(`at most\n  ${MAX_INTROSPECTION_RESPONSE_SIZE / 1024} KiB read`) || page.includes(`at most ${MAX_INTROSPECTION_RESPONSE_SIZE / 1024} KiB read`));
  assert.equal([...page.matchAll(new RegExp(`at most ${MAX_INTROSPECTION_TTL} \\|`, 'g'))].length, 2);
});

describe('jwtguard introspect', () => {
  async function cli(args) {
    const { run } = await import('../../../js/cli/main.js');
    let stdout = '';
    let stderr = '';
    const io = {
      stdin: /** @type {any} */ ({ isTTY: true }),
      stdout: { write: (s) => { stdout += s; } },
      stderr: { write: (s) => { stderr += s; } },
      env: { JWTGUARD_CLIENT_SECRET: RS_SECRET },
    };
    const code = await run(args, io);
    return { code, stdout, stderr };
  }
  const base = () => ['--issuer', provider.issuer, '--audience', RESOURCE, '--client-id', RS_BASIC, '--require-scope', SCOPE];

  // An opaque token may begin with '-' (base64url): it goes after '--'.
  test('an active token: exit 0 and the report; an unknown one: exit 1 with its code, never the token', async () => {
    const token = await provider.token();
    const ok = await cli(['introspect', ...base(), '--', token]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^valid: the authorization server says the token is active/);
    assert.match(ok.stdout, new RegExp(`scopes    ${SCOPE} \\(required: ${SCOPE}\\)`));
    const signed = await cli(['introspect', ...base(), '--accept', 'jwt', '--json', '--', token]);
    assert.equal(signed.code, 0, signed.stderr);
    assert.equal(JSON.parse(signed.stdout).claims.active, true);
    const unknown = await cli(['introspect', 'not-a-token-the-provider-issued', ...base()]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^rejected: ERR_TOKEN_INACTIVE/);
    const scope = await cli(['introspect', ...base(), '--require-scope', 'tasks:write', '--', token]);
    assert.equal(scope.code, 1);
    assert.match(scope.stderr, /^rejected: ERR_SCOPE_MISSING/);
    assert.ok(!scope.stderr.includes(token));
    const usage = await cli(['introspect', '--issuer', provider.issuer, '--audience', RESOURCE, '--', token]);
    assert.equal(usage.code, 2);
  });
});
