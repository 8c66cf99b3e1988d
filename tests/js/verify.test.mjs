// The npm API in Node: tokens signed by jose verify; rejected tokens give
// JwtGuardError with stable codes; the instance survives every rejection.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { factsDeclarations } from '../../scripts/facts-text.mjs';
import { before, describe, test } from 'node:test';
import { CompactSign, SignJWT } from 'jose';
import { JwtGuardError, createVerifier, errorCodes, inspectToken, localJwks } from '@jwtguard/jwtguard';
import { coreFacts } from './helpers.mjs';

const coreErrorCodes = () => JSON.parse(coreFacts()).errors.map(([code]) => code);
import { fromCore } from '../../js/errors.js';
import { AUDIENCE, ISSUER, TENANT, goodClaims, keyPair, nowSeconds, sign } from './helpers.mjs';

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

let pairs;
let jwks;
before(async () => {
  pairs = Object.fromEntries(await Promise.all(ALGORITHMS.map(async (alg) => [alg, await keyPair(alg)])));
  jwks = { keys: Object.values(pairs).map((p) => p.jwk) };
});

const verifierFor = (extra = {}) => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks, ...extra });

/** Asserts that `fn` throws a JwtGuardError with `code` (and `claim`), and returns it. */
function assertCode(fn, code, claim) {
  let thrown;
  assert.throws(fn, (error) => {
    assert.ok(error instanceof JwtGuardError, `not a JwtGuardError: ${error}`);
    assert.equal(error.name, 'JwtGuardError');
    assert.equal(error.code, code, error.message);
    if (claim !== undefined) assert.equal(error.claim, claim);
    thrown = error;
    return true;
  });
  return thrown;
}

describe('tokens signed by jose', () => {
  for (const alg of ALGORITHMS) {
    test(`${alg} verifies, sync and async`, async () => {
      const verifier = verifierFor();
      const token = await sign(pairs[alg]);
      const result = verifier.verifySync(token);
      assert.deepEqual(result.key, { kid: pairs[alg].kid, alg });
      assert.equal(result.claims.sub, 'service-principal-1');
      assert.deepEqual(result.claims.roles, ['Data.Read']);
      assert.equal(result.header.typ, 'at+jwt');
      assert.deepEqual(await verifier.verify(token), result);
    });
  }

  test('a JWKS given as JSON text or as a key source works the same', async () => {
    const token = await sign(pairs.ES256);
    for (const keys of [JSON.stringify(jwks), localJwks(jwks)]) {
      const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });
      assert.equal(verifier.verifySync(token).key.alg, 'ES256');
    }
  });

  test('HS256 with a configured shared secret', async () => {
    const secret = new TextEncoder().encode('a shared secret of at least 32 bytes!');
    const token = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret });
    assert.equal(verifier.verifySync(token).key.alg, 'HS256');
    assertCode(() => verifierFor().verifySync(token), 'ERR_KEY_NOT_FOUND');
    assertCode(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret: 'too short' }), 'ERR_KEY_INVALID');
  });
});

describe('rejections through the npm API', () => {
  const now = () => nowSeconds();
  const cases = [
    ['garbage', async () => 'not.a.token', {}, 'ERR_TOKEN_MALFORMED'],
    ['two segments', async () => (await sign(pairs.EdDSA)).split('.').slice(0, 2).join('.'), {}, 'ERR_TOKEN_MALFORMED'],
    ['alg none', async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(goodClaims())).toString('base64url')}.`, {}, 'ERR_ALG_NOT_ALLOWED', 'alg'],
    ['crit', async () => sign(pairs.EdDSA, goodClaims(), { crit: ['b64'], b64: true }), {}, 'ERR_CRIT_UNSUPPORTED', 'crit'],
    ['jku header', async () => sign(pairs.EdDSA, goodClaims(), { jku: 'https://attacker.example/jwks' }), {}, 'ERR_HEADER_INVALID', 'jku'],
    ['graph token', async () => sign(pairs.RS256, goodClaims({ aud: '00000003-0000-0000-c000-000000000000' }), { nonce: 'abc' }), {}, 'ERR_FOREIGN_TOKEN', 'nonce'],
    ['typ JWT where at+jwt is required', async () => sign(pairs.EdDSA, goodClaims(), { typ: 'JWT' }), { typ: 'at+jwt' }, 'ERR_TYP_INVALID', 'typ'],
    ['unknown kid', async () => sign({ ...pairs.EdDSA, kid: 'unknown' }), {}, 'ERR_KEY_NOT_FOUND', 'kid'],
    ['key of another signer', async () => sign({ ...(await keyPair('ES256')), kid: pairs.ES256.kid }), {}, 'ERR_SIGNATURE_INVALID'],
    ['expired', async () => sign(pairs.ES384, goodClaims({ exp: nowSeconds() - 120 })), {}, 'ERR_TOKEN_EXPIRED', 'exp'],
    ['not yet valid', async () => sign(pairs.ES384, goodClaims({ nbf: nowSeconds() + 600 })), {}, 'ERR_TOKEN_NOT_YET_VALID', 'nbf'],
    ['too old', async () => sign(pairs.ES384, goodClaims({ iat: nowSeconds() - 7200 })), { maxTokenAge: 3600 }, 'ERR_TOKEN_TOO_OLD', 'iat'],
    ['wrong issuer', async () => sign(pairs.PS256, goodClaims({ iss: 'https://evil.test' })), {}, 'ERR_ISSUER_INVALID', 'iss'],
    ['wrong audience', async () => sign(pairs.PS256, goodClaims({ aud: 'api://other' })), {}, 'ERR_AUDIENCE_INVALID', 'aud'],
    ['missing audience', async () => sign(pairs.PS256, goodClaims({ aud: undefined })), {}, 'ERR_CLAIM_MISSING', 'aud'],
    ['issuer array', async () => sign(pairs.PS256, goodClaims({ iss: [ISSUER] })), {}, 'ERR_CLAIM_INVALID', 'iss'],
    ['missing role', async () => sign(pairs.RS256), { roles: ['Data.Admin'] }, 'ERR_ROLE_MISSING', 'roles'],
    ['missing scope', async () => sign(pairs.RS256), { scopes: ['admin'] }, 'ERR_SCOPE_MISSING', 'scp'],
    ['client not allowed', async () => sign(pairs.RS256), { clients: ['other-client'] }, 'ERR_CLIENT_NOT_ALLOWED', 'azp'],
    ['tenant not allowed', async () => sign(pairs.RS256), { tenants: ['00000000-0000-0000-0000-000000000001'] }, 'ERR_TENANT_NOT_ALLOWED', 'tid'],
    ['token over the size cap', async () => sign(pairs.EdDSA, goodClaims({ pad: 'x'.repeat(20_000) })), {}, 'ERR_TOKEN_TOO_LARGE'],
  ];
  for (const [name, makeToken, policy, code, claim] of cases) {
    test(`${name} → ${code}`, async () => {
      const verifier = verifierFor({ ...policy, now });
      const token = await makeToken();
      assertCode(() => verifier.verifySync(token), code, claim);
      await assert.rejects(verifier.verify(token), (error) => error.code === code);
      // The same instance verifies a good token (one that meets this policy) right after.
      const good = goodClaims({
        roles: policy.roles ?? ['Data.Read'],
        scp: (policy.scopes ?? ['read']).join(' '),
        azp: policy.clients?.[0] ?? 'client-app-1',
        tid: policy.tenants?.[0],
      });
      assert.equal(verifier.verifySync(await sign(pairs.EdDSA, good)).key.alg, 'EdDSA');
    });
  }

  test('a 20 MB token is refused before it reaches wasm memory', () => {
    assertCode(() => verifierFor().verifySync('a'.repeat(20 * 1024 * 1024)), 'ERR_TOKEN_TOO_LARGE');
  });

  test('non-string tokens are malformed', () => {
    for (const token of [undefined, null, 42, {}, ['a.b.c']]) {
      assertCode(() => verifierFor().verifySync(token), 'ERR_TOKEN_MALFORMED');
    }
  });
});

describe('configuration', () => {
  test('the injected clock decides expiry', async () => {
    const token = await sign(pairs.EdDSA);
    const late = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks, now: () => nowSeconds() + 7200 });
    assertCode(() => late.verifySync(token), 'ERR_TOKEN_EXPIRED', 'exp');
  });

  test('policy mistakes are ERR_POLICY_INVALID', () => {
    const table = [
      { issuer: ISSUER, audiences: AUDIENCE, keys: jwks },
      { audience: AUDIENCE, keys: jwks },
      { issuer: ISSUER, audience: [], keys: jwks },
      { issuer: ISSUER, audience: AUDIENCE, clockTolerance: -5, keys: jwks },
      { issuer: ISSUER, audience: AUDIENCE, algorithms: ['none'], keys: jwks },
      { issuer: ISSUER, audience: AUDIENCE },
      { issuer: ISSUER, audience: AUDIENCE, keys: jwks, secret: 'x'.repeat(32) },
      { issuer: ISSUER, audience: AUDIENCE, keys: jwks, now: 5 },
    ];
    for (const options of table) assertCode(() => createVerifier(options), 'ERR_POLICY_INVALID');
  });

  test('the normalised policy has every default', () => {
    const { policy } = verifierFor();
    assert.equal(policy.clockTolerance, 60);
    assert.equal(policy.requireExp, true);
    assert.equal(policy.maxTokenSize, 16384);
    assert.deepEqual(policy.issuer, [ISSUER]);
  });

  test('a JWKS with no usable key is ERR_JWKS_INVALID; skipped keys are reported', async () => {
    assertCode(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [{ kty: 'oct', k: 'AA' }] } }).verifySync('a.b.c'), 'ERR_JWKS_INVALID');
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [...jwks.keys, { kty: 'RSA', kid: 'weak', n: 'AQAB', e: 'AQAB' }] } });
    verifier.verifySync(await sign(pairs.EdDSA));
    assert.deepEqual(verifier.skippedKeys(), [{ index: 5, kid: 'weak', reason: 'rsa modulus is 17 bits; 2048 to 8192 are accepted' }]);
  });

  test('a key source with nothing loaded yet gives ERR_KEYS_NOT_LOADED', async () => {
    const pending = { [Symbol.for('jwtguard.keySource')]: true, kind: 'test', current: () => null, load: async () => ({ jwks: JSON.stringify(jwks), generation: 1 }) };
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: pending });
    assertCode(() => verifier.verifySync(sign), 'ERR_TOKEN_MALFORMED');
    assertCode(() => verifier.verifySync('a.b.c'), 'ERR_KEYS_NOT_LOADED');
  });
});

describe('errors and inspection', () => {
  test('the JS code list equals the core table', () => {
    assert.deepEqual([...errorCodes], coreErrorCodes());
    assert.equal(new Set(errorCodes).size, errorCodes.length);
  });

  test('js/facts.d.ts (ErrorCode, Algorithm, PolicyMember) is generated from the core as it is now: run make facts', () => {
    const tracked = readFileSync(new URL('../../js/facts.d.ts', import.meta.url), 'utf8');
    assert.equal(tracked, factsDeclarations(JSON.parse(coreFacts())));
    assert.deepEqual([...tracked.matchAll(/'(ERR_[A-Z_]+)'/g)].map((m) => m[1]), coreErrorCodes());
  });

  test('reason is the code\'s message from the core, detail what the check found', async () => {
    const messages = new Map(JSON.parse(coreFacts()).errors);
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks });
    const token = await sign(pairs.EdDSA, goodClaims({ aud: 'api://other' }));
    const error = assertCode(() => verifier.verifySync(token), 'ERR_AUDIENCE_INVALID');
    assert.equal(error.reason, messages.get('ERR_AUDIENCE_INVALID'));
    assert.ok(error.detail, 'the core gives a detail');
    assert.equal(error.message, `${error.reason}: ${error.detail}`);
    assert.equal(error.claim, 'aud');
    const host = assertCode(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks, cache: -1 }), 'ERR_POLICY_INVALID');
    assert.equal(host.reason, messages.get('ERR_POLICY_INVALID'));
    assert.match(host.detail, /^cache must be/);
  });

  test('anything that is not a core error becomes ERR_INTERNAL', () => {
    const trap = new WebAssembly.RuntimeError('unreachable');
    const error = fromCore(trap);
    assert.equal(error.code, 'ERR_INTERNAL');
    assert.equal(error.cause, trap);
  });

  test('hints that name a JS API are the host\'s: the core names none', async () => {
    const verifier = verifierFor();
    // A bound token given to verify() or verifySync(): the hint names the method that reads its proof.
    const bound = await sign(pairs.EdDSA, goodClaims({ cnf: { jkt: 'A'.repeat(43) } }));
    const fromVerify = await verifier.verify(bound).catch((error) => error);
    for (const error of [assertCode(() => verifier.verifySync(bound), 'ERR_TOKEN_BOUND', 'cnf'), fromVerify]) {
      assert.match(error.detail, /present it with its proof through verifyRequest$/);
    }
    // Through verifyRequest the request was read: the core's detail alone.
    const request = { method: 'GET', url: 'https://api.test/x', headers: { authorization: `Bearer ${bound}` } };
    const fromRequest = await verifier.verifyRequest(request).catch((error) => error);
    assert.equal(fromRequest.code, 'ERR_TOKEN_BOUND');
    assert.match(fromRequest.detail, /present it with its proof$/);
    // An Entra v1 token where only v2 issuers are accepted: the entra preset's option.
    const v2Only = verifierFor({ issuer: `https://login.microsoftonline.com/${TENANT}/v2.0` });
    const v1Token = await sign(pairs.EdDSA, goodClaims({ iss: `https://sts.windows.net/${TENANT}/`, tid: TENANT }));
    const error = assertCode(() => v2Only.verifySync(v1Token), 'ERR_ISSUER_INVALID', 'iss');
    assert.match(error.detail, /this is an entra v1 token and only v2 issuers are accepted: .*, or accept v1 tokens \(the entra preset's version option: 1 or "any"\)$/);
  });

  test('inspectToken decodes without verifying, and says so', async () => {
    const token = await sign(pairs.EdDSA, goodClaims({ exp: 1 }));
    const inspected = inspectToken(token);
    assert.equal(inspected.verified, false);
    assert.equal(inspected.claims.exp, 1);
    assert.equal(inspected.header.alg, 'EdDSA');
    assert.equal(inspected.signatureLen, 64);
    assert.throws(() => inspectToken('x'), (e) => e.code === 'ERR_TOKEN_MALFORMED');
  });
});

/** A token whose payload is exactly `text`, signed by jose with `pair`. */
function signText(pair, text) {
  return new CompactSign(new TextEncoder().encode(text))
    .setProtectedHeader({ alg: pair.alg, kid: pair.kid, typ: 'at+jwt' })
    .sign(pair.privateKey);
}

describe('the verified claims are the payload the core checked', () => {
  // The good claims' text with `aud`'s name written as `name` (JSON text,
  // escapes kept), then `extra` members.
  const payload = (name, extra = '') => {
    const { aud, ...rest } = goodClaims();
    return `{"${name}":${JSON.stringify(aud)},${JSON.stringify(rest).slice(1, -1)}${extra}}`;
  };
  const escapedAud = String.raw`\u0061ud`;
  // [what, payload text, the claims' aud when accepted, or the refusal's detail]
  const ROWS = [
    ['an escaped name is the name', () => payload(escapedAud), { aud: AUDIENCE }],
    ['an escaped value is the value', () => payload('aud').replace('api://', String.raw`\u0061pi://`), { aud: AUDIENCE }],
    ['a duplicate spelled with an escape', () => payload(escapedAud, `,"aud":${JSON.stringify(AUDIENCE)}`), { detail: 'payload: duplicate json member "aud"' }],
    ['a duplicate written plainly after an escaped one', () => payload('aud', `,"${escapedAud}":"api://other"`), { detail: 'payload: duplicate json member "aud"' }],
    ['a nested duplicate', () => payload('aud', String.raw`,"x":{"y":1,"\u0079":2}`), { detail: 'payload: duplicate json member "y"' }],
    ['a lone surrogate JSON.parse would take', () => payload('aud', String.raw`,"note":"\ud800"`), { detail: null }],
    ['a number past f64', () => payload('aud', ',"big":1e400'), { detail: 'payload: number out of range' }],
  ];
  for (const [what, text, want] of ROWS) {
    test(what, async () => {
      const token = await signText(pairs.ES256, text());
      for (const verifier of [verifierFor({ cache: false }), verifierFor({ webCrypto: true, nodeCrypto: false, cache: false })]) {
        const results = [() => verifier.verifySync(token), () => verifier.verify(token)];
        for (const run of results) {
          if (want.aud !== undefined) {
            const result = await run();
            assert.equal(result.claims.aud, want.aud);
            assert.deepEqual(Object.keys(result.claims).filter((name) => name === 'aud'), ['aud']);
            continue;
          }
          await assert.rejects(async () => run(), (error) => {
            assert.equal(error.code, 'ERR_TOKEN_MALFORMED');
            if (want.detail !== null) assert.equal(error.detail, want.detail);
            else assert.match(error.detail, /^payload: /);
            return true;
          });
        }
      }
    });
  }

  test('no caller can change verified claims, at any depth, cached or not', async () => {
    const claims = goodClaims({ roles: ['Data.Read'], nested: { deep: { value: 1 }, list: [{ a: 1 }] } });
    const token = await sign(pairs.RS256, claims);
    const MUTATIONS = [
      ['set a claim', (result) => { result.claims.sub = 'someone-else'; }],
      ['delete a claim', (result) => { delete result.claims.iss; }],
      ['add a claim', (result) => { result.claims.admin = true; }],
      ['push a role', (result) => { result.claims.roles.push('Admin'); }],
      ['set a nested member', (result) => { result.claims.nested.deep.value = 2; }],
      ['set inside an array of objects', (result) => { result.claims.nested.list[0].a = 2; }],
      ['replace the claims', (result) => { result.claims = {}; }],
      ['set a header member', (result) => { result.header.alg = 'none'; }],
    ];
    for (const options of [{ cache: false }, {}]) {
      const verifier = verifierFor(options);
      for (const run of [() => verifier.verifySync(token), () => verifier.verify(token)]) {
        const result = await run();
        for (const [what, mutate] of MUTATIONS) assert.throws(() => mutate(result), TypeError, what);
        assert.deepEqual(result.claims.nested, claims.nested);
        assert.deepEqual(result.claims.roles, ['Data.Read']);
        assert.equal(result.claims.sub, claims.sub);
      }
    }
  });
});
