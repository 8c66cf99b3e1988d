// The attack catalog (A01–H05) through the npm API in Node: a representative
// subset per class, each row tagged with its catalog id. The full catalog runs
// in Rust (tests/catalog/), natively and in wasm. After every rejection the same
// verifier must still verify a good token, and no message may echo the token.
import assert from 'node:assert/strict';
import { KeyObject, sign as nodeSign } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { JwtGuardError, createVerifier, inspectToken } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, TENANT, goodClaims, keyPair, sign } from './helpers.mjs';

const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const enc = (text) => Buffer.from(text).toString('base64url');

let pairs;
let jwks;
before(async () => {
  pairs = Object.fromEntries(await Promise.all(ALGORITHMS.map(async (alg) => [alg, await keyPair(alg)])));
  jwks = { keys: Object.values(pairs).map((p) => p.jwk) };
});

/** Signs a signing input as given (possibly mis-encoded) with an Ed25519 pair (node:crypto). */
function signInput(pair, input) {
  const signature = nodeSign(null, Buffer.from(input), KeyObject.from(pair.privateKey));
  return `${input}.${signature.toString('base64url')}`;
}

/** Signs raw header and payload text with an Ed25519 pair, byte for byte. */
function signRaw(pair, header, payload) {
  return signInput(pair, `${enc(header)}.${enc(payload)}`);
}

const payloadOf = (claims) => JSON.stringify(claims);

// [id, case, make token (async), extra options, expected code or null for accepted]
const rows = [
  ['A01', 'alg none, empty signature', async () => `${enc('{"alg":"none"}')}.${enc(payloadOf(goodClaims()))}.`, {}, 'ERR_ALG_NOT_ALLOWED'],
  ['A01', 'alg NoNe with an eddsa signature', async () => {
    const t = await sign(pairs.EdDSA);
    const [, p, s] = t.split('.');
    return `${enc('{"alg":"NoNe","kid":"eddsa-key"}')}.${p}.${s}`;
  }, {}, 'ERR_ALG_NOT_ALLOWED'],
  ['A02', 'HS256 keyed with the rsa modulus', async () => {
    const n = Buffer.from(pairs.RS256.jwk.n, 'base64url');
    return new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256', kid: pairs.RS256.kid }).sign(n);
  }, {}, 'ERR_KEY_NOT_FOUND'],
  ['A03', 'ES384 naming the ES256 key', async () => sign({ ...(await keyPair('ES384')), kid: 'es256-key' }), {}, 'ERR_KEY_NOT_FOUND'],
  ['A06', 'HS256 with a secret published as an oct key', async () =>
    new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256', kid: 'oct' }).sign(new TextEncoder().encode('secret')),
    { extraKeys: [{ kty: 'oct', kid: 'oct', k: enc('secret') }] }, 'ERR_KEY_NOT_FOUND'],
  ['B01', 'attacker key embedded in the header', async () => {
    const attacker = await keyPair('ES256', 'es256-key');
    return sign(attacker, goodClaims(), { jwk: attacker.jwk });
  }, {}, 'ERR_HEADER_INVALID'],
  ['B02', 'jku naming an attacker url', async () => sign(pairs.EdDSA, goodClaims(), { jku: 'https://attacker.example/jwks.json' }), {}, 'ERR_HEADER_INVALID'],
  ['B02', 'x5u naming the metadata service', async () => sign(pairs.EdDSA, goodClaims(), { x5u: 'http://169.254.169.254/latest/meta-data/' }), {}, 'ERR_HEADER_INVALID'],
  ['B04', 'kid in another case', async () => sign({ ...pairs.EdDSA, kid: 'EDDSA-KEY' }), {}, 'ERR_KEY_NOT_FOUND'],
  ['B05', 'key published with use enc', async () => sign({ ...pairs.PS256, kid: 'enc-key' }),
    { extraKeys: 'encKey' }, 'ERR_KEY_NOT_FOUND'],
  ['C01', 'crit naming a present member', async () => signRaw(pairs.EdDSA, '{"alg":"EdDSA","kid":"eddsa-key","crit":["exp"],"exp":1}', payloadOf(goodClaims())), {}, 'ERR_CRIT_UNSUPPORTED'],
  ['C03', 'an ID token where at+jwt is required', async () => sign(pairs.ES256, goodClaims({ aud: 'client-app-1', nonce: 'n' }), { typ: 'JWT' }), { typ: 'at+jwt' }, 'ERR_TYP_INVALID'],
  ['C05', 'flattened json serialization', async () => {
    const [protectedHeader, payload, signature] = (await sign(pairs.EdDSA)).split('.');
    return JSON.stringify({ protected: protectedHeader, payload, signature });
  }, {}, 'ERR_TOKEN_MALFORMED'],
  ['D01', 'bearer prefix left on', async () => `Bearer ${await sign(pairs.EdDSA)}`, {}, 'ERR_TOKEN_MALFORMED'],
  ['D02', 'padded payload segment, signed as sent', async () => {
    const [h, p] = (await sign(pairs.EdDSA, goodClaims({ pad: 'ab' }))).split('.');
    return signInput(pairs.EdDSA, `${h}.${p}${'='.repeat((4 - (p.length % 4)) % 4 || 2)}`);
  }, {}, 'ERR_TOKEN_MALFORMED'],
  ['D03', 'duplicate aud, evil first', async () => {
    const c = goodClaims();
    return signRaw(pairs.EdDSA, '{"alg":"EdDSA","kid":"eddsa-key"}',
      `{"aud":"api://evil","iss":"${c.iss}","aud":"${c.aud}","exp":${c.exp}}`);
  }, {}, 'ERR_TOKEN_MALFORMED'],
  ['D04', 'array payload read positionally', async () => {
    const c = goodClaims();
    return signRaw(pairs.EdDSA, '{"alg":"EdDSA","kid":"eddsa-key"}', `[${c.exp},null,"admin","${c.iss}","${c.aud}"]`);
  }, {}, 'ERR_TOKEN_MALFORMED'],
  ['D06', 'exp as a string', async () => sign(pairs.ES256, goodClaims({ exp: String(goodClaims().exp) })), {}, 'ERR_CLAIM_INVALID'],
  ['D06', 'exp = 1e400', async () => {
    const c = goodClaims();
    return signRaw(pairs.EdDSA, '{"alg":"EdDSA","kid":"eddsa-key"}', `{"iss":"${c.iss}","aud":"${c.aud}","exp":1e400}`);
  }, {}, 'ERR_TOKEN_MALFORMED'],
  ['E01', 'ES256 signature of zeros', async () => {
    const [h, p] = (await sign(pairs.ES256)).split('.');
    return `${h}.${p}.${Buffer.alloc(64).toString('base64url')}`;
  }, {}, 'ERR_SIGNATURE_INVALID'],
  ['E02', 'ES256 signature with a 00 appended', async () => {
    const [h, p, s] = (await sign(pairs.ES256)).split('.');
    return `${h}.${p}.${Buffer.concat([Buffer.from(s, 'base64url'), Buffer.alloc(1)]).toString('base64url')}`;
  }, {}, 'ERR_SIGNATURE_INVALID'],
  ['E08', 'forgery under a small-order ed25519 key', async () => {
    const [h, p] = (await sign({ ...pairs.EdDSA, kid: 'weak' })).split('.');
    const forged = Buffer.alloc(64);
    forged[0] = 1;
    return `${h}.${p}.${forged.toString('base64url')}`;
  }, { extraKeys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'weak', x: enc(Buffer.from([1, ...Array(31).fill(0)])) }] }, 'ERR_KEY_NOT_FOUND'],
  ['F02', 'nbf in the future', async () => sign(pairs.RS256, goodClaims({ nbf: goodClaims().exp })), {}, 'ERR_TOKEN_NOT_YET_VALID'],
  ['F04', 'iss missing', async () => sign(pairs.RS256, goodClaims({ iss: undefined })), {}, 'ERR_CLAIM_MISSING'],
  ['F04', 'iss an array holding the issuer', async () => sign(pairs.RS256, goodClaims({ iss: ['https://evil', ISSUER] })), {}, 'ERR_CLAIM_INVALID'],
  ['F05', 'aud a number', async () => sign(pairs.RS256, goodClaims({ aud: 123 })), {}, 'ERR_CLAIM_INVALID'],
  ['F08', 'roles a string containing the role', async () => sign(pairs.RS256, goodClaims({ roles: 'superadmin' })), { roles: ['admin'] }, 'ERR_CLAIM_INVALID'],
  ['F08', 'scope split on a non-breaking space', async () => sign(pairs.RS256, goodClaims({ scp: 'read\u00a0admin' })), { scopes: ['admin'] }, 'ERR_SCOPE_MISSING'],
  ['G06', 'another tenant under the template', async () => {
    const other = '00000000-0000-0000-0000-0000000000aa';
    return sign(pairs.RS256, goodClaims({ tid: other, iss: `https://login.microsoftonline.com/${other}/v2.0` }));
  }, { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', tenants: [TENANT] }, 'ERR_TENANT_NOT_ALLOWED'],
  ['H02', 'claims nested 100 deep', async () => sign(pairs.EdDSA, goodClaims({ x: JSON.parse(`${'['.repeat(100)}1${']'.repeat(100)}`) })), {}, 'ERR_TOKEN_MALFORMED'],
  ['H04', 'five keys share the kid', async () => sign({ ...pairs.EdDSA, kid: 'shared' }), { extraKeys: 'fiveShared' }, 'ERR_KEY_NOT_FOUND'],
  ['H05', 'aud of 1001 entries', async () => sign(pairs.EdDSA, goodClaims({ aud: [...Array(1000).keys()].map(String).concat(AUDIENCE) })), { maxTokenSize: 65536 }, 'ERR_TOKEN_MALFORMED'],
];

async function extraKeys(spec) {
  if (spec === undefined) return [];
  if (Array.isArray(spec)) return spec;
  if (spec === 'encKey') return [{ ...pairs.PS256.jwk, kid: 'enc-key', use: 'enc' }];
  if (spec === 'fiveShared') {
    const others = await Promise.all([0, 1, 2, 3].map(async () => {
      const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      return { ...(await exportJWK(publicKey)), kid: 'shared' };
    }));
    return [...others, { ...pairs.EdDSA.jwk, kid: 'shared' }];
  }
  throw new Error(`unknown key spec ${spec}`);
}

describe('the catalog through the npm API', () => {
  for (const [id, name, makeToken, options, code] of rows) {
    test(`${id} ${name} → ${code}`, async () => {
      const { extraKeys: spec, ...policy } = options;
      const keys = { keys: [...jwks.keys, ...(await extraKeys(spec))] };
      const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, ...policy, keys });
      const token = await makeToken();
      assert.throws(() => verifier.verifySync(token), (error) => {
        assert.ok(error instanceof JwtGuardError, String(error));
        assert.equal(error.code, code, error.message);
        for (const part of token.split('.').filter((s) => s.length >= 16)) {
          assert.ok(!error.message.includes(part), 'the message echoes the token');
        }
        return true;
      });
      // A good token for this policy: the same instance must still accept it.
      const good = await sign(pairs.EdDSA, goodClaims({
        iss: policy.issuer?.replace('{tenantid}', TENANT) ?? ISSUER,
        roles: policy.roles ?? ['Data.Read'],
        scp: (policy.scopes ?? ['read']).join(' '),
      }));
      assert.equal(verifier.verifySync(good).key.alg, 'EdDSA', 'the verifier still works');
    });
  }

  test('B02 no token content makes the package fetch anything', async () => {
    const original = globalThis.fetch;
    let calls = 0;
    globalThis.fetch = async (...args) => {
      calls += 1;
      return original(...args);
    };
    try {
      const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks });
      for (const header of [{ jku: 'https://attacker.example/jwks' }, { x5u: 'https://attacker.example/cert' }, { kid: 'unknown-kid' }]) {
        const token = await sign(pairs.EdDSA, goodClaims(), header);
        await assert.rejects(verifier.verify(token), JwtGuardError);
      }
    } finally {
      globalThis.fetch = original;
    }
    assert.equal(calls, 0);
  });

  test('D07 signed __proto__ and constructor claims stay plain data', async () => {
    const c = goodClaims();
    const payload = `{"iss":"${c.iss}","aud":"${c.aud}","exp":${c.exp},"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}},"roles":["x"]}`;
    const token = await signRaw(pairs.EdDSA, '{"alg":"EdDSA","kid":"eddsa-key","__proto__":{"admin":true}}', payload);
    const { claims, header } = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: jwks }).verifySync(token);
    for (const object of [claims, header]) {
      assert.equal(Object.getPrototypeOf(object), Object.prototype);
      assert.equal(object.admin, undefined);
      assert.ok(Object.hasOwn(object, '__proto__'));
    }
    assert.deepEqual(claims.__proto__, { admin: true });
    for (const nested of [claims.__proto__, claims.constructor, claims.constructor.prototype, header.__proto__]) {
      assert.ok(Object.isFrozen(nested), 'a signed __proto__ or constructor member is frozen like any other');
    }
    assert.equal({}.admin, undefined, 'Object.prototype is untouched');
    const inspected = inspectToken(token);
    assert.equal(inspected.claims.admin, undefined);
    assert.ok(Object.hasOwn(inspected.claims, '__proto__'));
  });

  test('E06 PS256 s + n is rejected', async () => {
    // Find a key and signature for which s + n still fits in k bytes.
    for (let attempt = 0; attempt < 40; attempt += 1) {
      const pair = await keyPair('PS256', 'ps-key');
      const n = BigInt(`0x${Buffer.from(pair.jwk.n, 'base64url').toString('hex')}`);
      const k = Buffer.from(pair.jwk.n, 'base64url').length;
      if ((1n << BigInt(8 * k)) - n < n / 8n) continue;
      for (let i = 0; i < 20; i += 1) {
        const token = await sign(pair);
        const [h, p, s] = token.split('.');
        const sum = BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`) + n;
        const hex = sum.toString(16).padStart(2 * k, '0');
        if (hex.length > 2 * k) continue;
        const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] } });
        assert.equal(verifier.verifySync(token).key.alg, 'PS256');
        assert.throws(() => verifier.verifySync(`${h}.${p}.${Buffer.from(hex, 'hex').toString('base64url')}`), (e) => e.code === 'ERR_SIGNATURE_INVALID');
        return;
      }
    }
    assert.fail('no key admitted s + n within k bytes');
  });
});
