// The WebCrypto backend decides nothing: verify() (WebCrypto) and verifySync()
// (Rust: nodeCrypto: false) must give identical outcomes, the result or the
// error code and message, on the same token table: valid tokens from jose for
// every algorithm, the catalog-style mutations (mutations.mjs), and the
// Wycheproof JWS vectors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createVerifier } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign, swappableKeys } from './helpers.mjs';
import { DELEGATED, bigInt, frozenClock, mutations, outcome, resign, wycheproofAgreement, wycheproofOptions } from './mutations.mjs';


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

/** Both paths on one token: [verifySync outcome, verify outcome, subtle.verify calls made by verify]. */
async function bothPaths(verifier, token) {
  const sync = await outcome(() => verifier.verifySync(token));
  const calls = verifyCalls;
  const webCrypto = await outcome(() => verifier.verify(token));
  return [sync, webCrypto, verifyCalls - calls];
}

describe('verify (WebCrypto) and verifySync (Rust) agree', () => {
  let pairs;
  let impostors;
  let verifier;
  before(async () => {
    pairs = await Promise.all(DELEGATED.map((alg) => keyPair(alg)));
    impostors = await Promise.all(DELEGATED.map((alg) => keyPair(alg)));
    verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: pairs.map((p) => p.jwk) }, cache: false, webCrypto: true, nodeCrypto: false, now: frozenClock() });
  });

  test('on valid tokens and every mutation, for every algorithm', async () => {
    const disagreements = [];
    let cases = 0;
    let accepted = 0;
    for (const pair of pairs) {
      const token = await sign(pair, goodClaims({ jti: `valid-${pair.alg}` }));
      const [sync, , calls] = await bothPaths(verifier, token);
      assert.ok(sync.result, `${pair.alg}: valid token rejected: ${sync.code}`);
      assert.equal(calls, 1, `${pair.alg}: subtle.verify calls`);
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
    const keys = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: unlabelled }, cache: false, webCrypto: true, nodeCrypto: false, now: frozenClock() });
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
    const cached = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, webCrypto: true, nodeCrypto: false, now: frozenClock() });
    const token = await sign(pair);
    const calls = verifyCalls;
    const first = await cached.verify(token);
    const again = await cached.verify(token);
    assert.equal(again, first);
    assert.equal(cached.verifySync(token), first);
    assert.equal(verifyCalls - calls, 1);
  });

  test("Node's entry keeps verify() off WebCrypto unless webCrypto: true", async () => {
    const byDefault = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pairs[0].jwk] }, cache: false });
    const asked = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pairs[0].jwk] }, cache: false, webCrypto: true, nodeCrypto: false, now: frozenClock() });
    const token = await sign(pairs[0]);
    const calls = verifyCalls;
    assert.ok(await byDefault.verify(token));
    assert.equal(verifyCalls, calls);
    assert.deepEqual(await asked.verify(token), await byDefault.verify(token));
    assert.equal(verifyCalls, calls + 1);
  });

  test('webCrypto: false keeps verify() off WebCrypto; a non-boolean is refused', async () => {
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
      const fresh = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, webCrypto: true, nodeCrypto: false, now: frozenClock() });
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
    const { source, set } = swappableKeys({ keys: [before.jwk] }, 1_000_001);
    const rotating = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: source, cache: false, webCrypto: true, nodeCrypto: false, now: frozenClock() });
    assert.ok(await rotating.verify(await sign(before)));
    set({ keys: [afterPair.jwk] }, 1_000_002);
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
      const setup = (group) => createVerifier(wycheproofOptions(group, { webCrypto: true, nodeCrypto: false }));
      const { cases, total, delegated, disagreements } = await wycheproofAgreement(file, setup, async (verifier, token) => {
        const [a, b, calls] = await bothPaths(verifier, token);
        try {
          assert.deepEqual(b, a);
          return { calls, wrong: null };
        } catch {
          return { calls, wrong: `verifySync ${a.code ?? 'accepts'}, verify ${b.code ?? 'accepts'}` };
        }
      });
      console.log(`wycheproof ${file}: ${cases} cases, ${delegated} reached WebCrypto, ${disagreements.length} disagreements`);
      assert.equal(cases, total);
      assert.ok(delegated > 0, 'no case reached WebCrypto');
      assert.deepEqual(disagreements, []);
    });
  }
});
