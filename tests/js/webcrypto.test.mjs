// The WebCrypto backend decides nothing: verify() (WebCrypto) and verifySync()
// (Rust) must give identical outcomes, the result or the error code and
// message, on the same token table: valid tokens from jose for every
// algorithm, the catalog-style mutations, and the Wycheproof JWS vectors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { KeyObject, createHmac, sign as nodeSign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createVerifier } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign } from './helpers.mjs';

const DELEGATED = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384'];
const RUST_ONLY = ['EdDSA'];
/** Curve orders (SEC 2), for ECDSA signatures with s = n and s' = n − s. */
const ORDER = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

const enc = (bytes) => Buffer.from(bytes).toString('base64url');
const dec = (text) => Buffer.from(text, 'base64url');
const bigInt = (base64url) => BigInt(`0x${dec(base64url).toString('hex')}`);
const toBytes = (value, length) => Buffer.from(value.toString(16).padStart(2 * length, '0'), 'hex');

/** Counts calls of the host's SubtleCrypto.verify, to see which path ran. */
const subtle = globalThis.crypto.subtle;
const realVerify = subtle.verify;
const realImportKey = subtle.importKey;
let verifyCalls = 0;
before(() => {
  subtle.verify = function countingVerify(...args) {
    verifyCalls += 1;
    return realVerify.apply(this, args);
  };
});
after(() => {
  subtle.verify = realVerify;
});

/**
 * A clock read once, when the verifier is made: both paths then see the same
 * time, so an error message that names it cannot differ by a second tick.
 */
function frozenClock() {
  const at = Math.floor(Date.now() / 1000);
  return () => at;
}

async function outcome(run) {
  try {
    return { result: await run() };
  } catch (error) {
    assert.equal(error.name, 'JwtGuardError', `not a JwtGuardError: ${error.stack}`);
    return { code: error.code, message: error.message, claim: error.claim };
  }
}

/** Both paths on one token: [verifySync outcome, verify outcome, subtle.verify calls made by verify]. */
async function bothPaths(verifier, token) {
  const sync = await outcome(() => verifier.verifySync(token));
  const calls = verifyCalls;
  const webCrypto = await outcome(() => verifier.verify(token));
  return [sync, webCrypto, verifyCalls - calls];
}

/** Re-signs raw header and payload text with node:crypto; `saltLength` overrides the PSS salt length. */
function resign(pair, headerText, payloadText, { saltLength } = {}) {
  const input = `${enc(headerText)}.${enc(payloadText)}`;
  const { alg } = pair;
  const options = { key: KeyObject.from(pair.privateKey) };
  if (alg.startsWith('PS')) Object.assign(options, { padding: 6, saltLength: saltLength ?? Number(alg.slice(2)) / 8 });
  if (alg.startsWith('ES')) options.dsaEncoding = 'ieee-p1363';
  const signature = nodeSign(alg === 'EdDSA' ? null : `sha${alg.slice(2)}`, Buffer.from(input), options);
  return `${input}.${enc(signature)}`;
}

/** The catalog-style mutations of `token` signed by `pair`: [name, token]. */
function mutations(token, pair, pairs, impostor) {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(dec(h).toString());
  const claims = JSON.parse(dec(p).toString());
  const signature = dec(s);
  const out = [];
  const add = (name, t) => out.push([name, t]);
  for (const at of [0, signature.length >> 1, signature.length - 1]) {
    const flipped = Buffer.from(signature);
    flipped[at] ^= 0x01;
    add(`bitflip:signature@${at}`, `${h}.${p}.${enc(flipped)}`);
  }
  add('truncate:signature-text', `${h}.${p}.${s.slice(0, -4)}`);
  add('truncate:first-byte', `${h}.${p}.${enc(signature.subarray(1))}`);
  add('extend:leading-zero', `${h}.${p}.${enc(Buffer.concat([Buffer.alloc(1), signature]))}`);
  add('extend:trailing-byte', `${h}.${p}.${enc(Buffer.concat([signature, Buffer.alloc(1)]))}`);
  add('all-ones', `${h}.${p}.${enc(Buffer.alloc(signature.length, 0xff))}`);
  add('all-zeros', `${h}.${p}.${enc(Buffer.alloc(signature.length))}`);
  add('claims:swapped-unsigned', `${h}.${enc(JSON.stringify({ ...claims, roles: ['Admin'] }))}.${s}`);
  const { alg } = pair;
  if (alg.startsWith('RS') || alg.startsWith('PS')) {
    const n = dec(pair.jwk.n);
    add('rsa:s-equals-n', `${h}.${p}.${enc(n)}`);
    const above = Buffer.from(n);
    above[above.length - 1] ^= 0x02; // n is odd: still k bytes, now n + 2 or n − 2
    add('rsa:s-near-n', `${h}.${p}.${enc(above)}`);
  }
  if (alg.startsWith('PS')) {
    for (const saltLength of [0, 20, Number(alg.slice(2)) / 8 + 1]) {
      add(`pss:salt-${saltLength}`, resign(pair, JSON.stringify(header), JSON.stringify(claims), { saltLength }));
    }
  }
  if (alg.startsWith('ES')) {
    const size = signature.length / 2;
    const order = ORDER[alg];
    const r = signature.subarray(0, size);
    const sValue = BigInt(`0x${signature.subarray(size).toString('hex')}`);
    add('ecdsa:s-equals-n', `${h}.${p}.${enc(Buffer.concat([r, toBytes(order, size)]))}`);
    add('ecdsa:r-equals-n', `${h}.${p}.${enc(Buffer.concat([toBytes(order, size), signature.subarray(size)]))}`);
    add('ecdsa:r-zero', `${h}.${p}.${enc(Buffer.concat([Buffer.alloc(size), signature.subarray(size)]))}`);
    add('ecdsa:s-plus-n', `${h}.${p}.${enc(Buffer.concat([r, toBytes(sValue + order, size + 1)]))}`);
    // The malleated twin (r, n − s) is valid ECDSA: both paths must accept it.
    add('ecdsa:high-s-twin', `${h}.${p}.${enc(Buffer.concat([r, toBytes(order - sValue, size)]))}`);
    add('ecdsa:der-encoded', `${h}.${p}.${enc(derSignature(pair, `${h}.${p}`))}`);
  }
  // Keys: another key under this kid, another key's kid, another alg for this key, no kid.
  const other = pairs.find((o) => o.alg !== alg);
  add('wrong-key:same-kid', resign(impostor, JSON.stringify(header), JSON.stringify(claims)));
  add('kid:other-key', resign(pair, JSON.stringify({ ...header, kid: other.kid }), JSON.stringify(claims)));
  add('kid:unknown', resign(pair, JSON.stringify({ ...header, kid: 'unknown' }), JSON.stringify(claims)));
  add('kid:removed', resign(pair, JSON.stringify({ alg, typ: header.typ }), JSON.stringify(claims)));
  add('kid:number', resign(pair, JSON.stringify({ ...header, kid: 7 }), JSON.stringify(claims)));
  const sameFamily = DELEGATED.find((a) => a !== alg && a.slice(0, 2) === alg.slice(0, 2));
  if (sameFamily && !sameFamily.startsWith('ES')) {
    add('alg:other-hash-same-key', resign({ ...pair, alg: sameFamily }, JSON.stringify({ ...header, alg: sameFamily }), JSON.stringify(claims)));
  }
  add('alg:none', `${enc(JSON.stringify({ ...header, alg: 'none' }))}.${p}.`);
  add('alg:HS256-with-public-key', hs256WithPublicKey(pair, header, claims));
  add('claims:expired', resign(pair, JSON.stringify(header), JSON.stringify({ ...claims, exp: claims.iat - 3600 })));
  add('claims:audience', resign(pair, JSON.stringify(header), JSON.stringify({ ...claims, aud: 'api://other' })));
  add('header:crit', resign(pair, JSON.stringify({ ...header, crit: ['x'], x: 1 }), JSON.stringify(claims)));
  return out;
}

/** An ECDSA signature in DER form (what node:crypto makes by default), not the JWS r || s. */
function derSignature(pair, input) {
  return nodeSign(`sha${pair.alg.slice(2)}`, Buffer.from(input), KeyObject.from(pair.privateKey));
}

/** The classic confusion: HS256 keyed with the public key's JWK text. */
function hs256WithPublicKey(pair, header, claims) {
  const input = `${enc(JSON.stringify({ ...header, alg: 'HS256' }))}.${enc(JSON.stringify(claims))}`;
  return `${input}.${enc(createHmac('sha256', JSON.stringify(pair.jwk)).update(input).digest())}`;
}

describe('verify (WebCrypto) and verifySync (Rust) agree', () => {
  let pairs;
  let impostors;
  let verifier;
  before(async () => {
    pairs = await Promise.all([...DELEGATED, ...RUST_ONLY].map((alg) => keyPair(alg)));
    impostors = await Promise.all([...DELEGATED, ...RUST_ONLY].map((alg) => keyPair(alg)));
    verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: pairs.map((p) => p.jwk) }, cache: false, webCrypto: true, now: frozenClock() });
  });

  test('on valid tokens and every mutation, for every algorithm', async () => {
    const disagreements = [];
    let cases = 0;
    let accepted = 0;
    for (const pair of pairs) {
      const token = await sign(pair, goodClaims({ jti: `valid-${pair.alg}` }));
      const [sync, , calls] = await bothPaths(verifier, token);
      assert.ok(sync.result, `${pair.alg}: valid token rejected: ${sync.code}`);
      assert.equal(calls, DELEGATED.includes(pair.alg) ? 1 : 0, `${pair.alg}: subtle.verify calls`);
      const impostor = impostors[pairs.indexOf(pair)];
      for (const [name, mutated] of [['valid', token], ...mutations(token, pair, pairs, impostor)]) {
        cases += 1;
        const [a, b] = await bothPaths(verifier, mutated);
        if (a.result) accepted += 1;
        try {
          assert.deepEqual(b, a);
        } catch {
          disagreements.push(`${pair.alg} ${name}: verifySync ${a.code ?? 'accepts'}, verify ${b.code ?? 'accepts'}`);
        }
      }
    }
    console.log(`webcrypto equivalence: ${cases} tokens, ${accepted} accepted by both, ${cases - accepted - disagreements.length} rejected alike`);
    assert.deepEqual(disagreements, []);
    // Each valid token and its kid-less re-signing (every fitting key is
    // tried), and the two ECDSA high-s twins; everything else is rejected.
    assert.equal(accepted, 2 * pairs.length + 2);
  });

  test('tokens without a kid: every fitting key is tried, in the core order', async () => {
    const first = await keyPair('RS256', 'first');
    const second = await keyPair('RS256', 'second');
    const unlabelled = [first, second].map((p) => ({ ...p.jwk, kid: undefined }));
    const keys = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: unlabelled }, cache: false, webCrypto: true, now: frozenClock() });
    for (const pair of [first, second]) {
      const token = resign(pair, JSON.stringify({ alg: 'RS256', typ: 'at+jwt' }), JSON.stringify(goodClaims()));
      const [sync, webCrypto, calls] = await bothPaths(keys, token);
      assert.ok(sync.result);
      assert.deepEqual(webCrypto, sync);
      // The core offers a key only when the signature is below its modulus
      // (random keys: the second key's signature may be above the first's n).
      const offered = [first, second].filter((p) => bigInt(token.split('.')[2]) < bigInt(p.jwk.n));
      assert.equal(calls, offered.indexOf(pair) + 1);
    }
  });

  test('the verified-token cache answers a repeat on the WebCrypto path too', async () => {
    const pair = pairs[0];
    const cached = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, webCrypto: true, now: frozenClock() });
    const token = await sign(pair);
    const calls = verifyCalls;
    const first = await cached.verify(token);
    const again = await cached.verify(token);
    assert.equal(again, first);
    assert.equal(cached.verifySync(token), first);
    assert.equal(verifyCalls - calls, 1);
  });

  test("Node's entry leaves verify() in Rust unless webCrypto: true", async () => {
    const byDefault = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pairs[0].jwk] }, cache: false });
    const asked = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pairs[0].jwk] }, cache: false, webCrypto: true, now: frozenClock() });
    const token = await sign(pairs[0]);
    const calls = verifyCalls;
    assert.ok(await byDefault.verify(token));
    assert.equal(verifyCalls, calls);
    assert.deepEqual(await asked.verify(token), await byDefault.verify(token));
    assert.equal(verifyCalls, calls + 1);
  });

  test('webCrypto: false keeps verify() in Rust; a non-boolean is refused', async () => {
    const rust = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pairs[0].jwk] }, webCrypto: false });
    const calls = verifyCalls;
    assert.ok(await rust.verify(await sign(pairs[0])));
    assert.equal(verifyCalls, calls);
    assert.throws(
      () => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pairs[0].jwk] }, webCrypto: 'yes' }),
      { code: 'ERR_POLICY_INVALID' },
    );
  });

  test('a key the host cannot import or verify with falls back to Rust, never to acceptance', async () => {
    const pair = pairs.find((p) => p.alg === 'ES256');
    const good = await sign(pair);
    const bad = resign(impostors[pairs.indexOf(pair)], JSON.stringify({ alg: 'ES256', kid: pair.kid, typ: 'at+jwt' }), JSON.stringify(goodClaims()));
    const unsupported = async () => {
      throw new DOMException('not supported here', 'NotSupportedError');
    };
    const countingVerify = subtle.verify;
    for (const method of ['importKey', 'verify']) {
      // A fresh verifier each time: CryptoKey imports are cached per verifier.
      const fresh = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, webCrypto: true, now: frozenClock() });
      subtle[method] = unsupported;
      try {
        for (const token of [good, bad]) {
          const [sync, webCrypto] = await bothPaths(fresh, token);
          assert.deepEqual(webCrypto, sync, method);
        }
        assert.ok((await outcome(() => fresh.verify(good))).result);
        assert.equal((await outcome(() => fresh.verify(bad))).code, 'ERR_SIGNATURE_INVALID');
      } finally {
        subtle.importKey = realImportKey;
        subtle.verify = countingVerify;
      }
    }
  });

  test('CryptoKeys are dropped when the key set changes', async () => {
    const before = await keyPair('PS256', 'rotating');
    const afterPair = await keyPair('PS256', 'rotating');
    let snapshot = { jwks: JSON.stringify({ keys: [before.jwk] }), generation: 1_000_001 };
    const source = {
      [Symbol.for('jwtguard.keySource')]: true,
      kind: 'test',
      current: () => snapshot,
      load: async () => snapshot,
      refresh: async () => snapshot,
    };
    const rotating = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: source, cache: false, webCrypto: true, now: frozenClock() });
    assert.ok(await rotating.verify(await sign(before)));
    snapshot = { jwks: JSON.stringify({ keys: [afterPair.jwk] }), generation: 1_000_002 };
    // Same kid, same index: a stale CryptoKey would reject this token.
    const token = await sign(afterPair);
    const [sync, webCrypto] = await bothPaths(rotating, token);
    assert.ok(sync.result);
    assert.deepEqual(webCrypto, sync);
  });
});

describe('Wycheproof JWS vectors through both paths', () => {
  for (const file of ['json_web_signature_test.json', 'json_web_key_test.json']) {
    test(file, async () => {
      const doc = JSON.parse(readFileSync(new URL(`../vectors/wycheproof/${file}`, import.meta.url), 'utf8'));
      let cases = 0;
      let delegated = 0;
      const disagreements = [];
      for (const group of doc.testGroups) {
        const options = { issuer: 'https://wycheproof.invalid', audience: 'wycheproof', cache: false, webCrypto: true, now: frozenClock() };
        const pub = group.public;
        if (pub && pub.keys) options.keys = pub;
        else if (pub) options.keys = { keys: [pub] };
        else if (group.private.keys) options.keys = group.private;
        else options.secret = dec(group.private.k);
        if (group.private?.kid && options.secret) options.kid = group.private.kid;
        let verifier;
        try {
          verifier = createVerifier(options);
        } catch {
          verifier = null;
        }
        for (const testCase of group.tests) {
          cases += 1;
          if (verifier === null) continue; // no usable key: neither path has a verifier
          const token = typeof testCase.jws === 'string' ? testCase.jws : JSON.stringify(testCase.jws);
          const [a, b, calls] = await bothPaths(verifier, token);
          delegated += calls > 0 ? 1 : 0;
          try {
            assert.deepEqual(b, a);
          } catch {
            disagreements.push(`${file}#${testCase.tcId} ${testCase.comment}: verifySync ${a.code ?? 'accepts'}, verify ${b.code ?? 'accepts'}`);
          }
        }
      }
      console.log(`wycheproof ${file}: ${cases} cases, ${delegated} reached WebCrypto, ${disagreements.length} disagreements`);
      assert.equal(cases, doc.numberOfTests);
      assert.ok(delegated > 0, 'no case reached WebCrypto');
      assert.deepEqual(disagreements, []);
    });
  }
});
