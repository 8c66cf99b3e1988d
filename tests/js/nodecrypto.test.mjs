// Same verdicts on every path: the core alone (nodeCrypto: false), the
// node:crypto backend (Node's default, through verifySync and verify) and the
// WebCrypto backend (webCrypto: true) must give identical outcomes, the result
// or the error code and message, on valid tokens for every algorithm, the
// catalog-style mutations (mutations.mjs) and the Wycheproof JWS vectors.
import assert from 'node:assert/strict';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { createVerifier } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, goodClaims, keyPair, sign, swappableKeys } from './helpers.mjs';
import { DELEGATED, dec, ed25519EdgeSignatures, frozenClock, mutations, outcome, resign, wycheproofAgreement, wycheproofDocument, wycheproofOptions } from './mutations.mjs';

/**
 * Counts calls of node:crypto's verify, to see which path ran. The backend
 * imports it as an ES module binding; syncBuiltinESMExports carries the
 * replacement over to that binding.
 */
const nodeCrypto = createRequire(import.meta.url)('node:crypto');
const realVerify = nodeCrypto.verify;
let nodeCalls = 0;
function replaceVerify(replacement) {
  nodeCrypto.verify = replacement;
  syncBuiltinESMExports();
}
function countingVerify(...args) {
  nodeCalls += 1;
  return realVerify.apply(this, args);
}
before(() => replaceVerify(countingVerify));
after(() => replaceVerify(realVerify));

/** One set of options, three verifiers: the core alone, node:crypto (the default) and WebCrypto. */
function threePaths(options) {
  return {
    core: createVerifier({ ...options, nodeCrypto: false }),
    node: createVerifier(options),
    web: createVerifier({ ...options, nodeCrypto: false, webCrypto: true }),
  };
}

/**
 * Every path on one token: the outcomes by name, and how many times the
 * node:crypto path called node:crypto's verify.
 */
async function everyPath(paths, token) {
  const core = await outcome(() => paths.core.verifySync(token));
  const calls = nodeCalls;
  const nodeSync = await outcome(() => paths.node.verifySync(token));
  const nodeAsync = await outcome(() => paths.node.verify(token));
  const made = nodeCalls - calls;
  const webCrypto = await outcome(() => paths.web.verify(token));
  return { outcomes: { nodeSync, nodeAsync, webCrypto }, core, calls: made };
}

/** The paths that differ from the core's outcome, named. */
function disagreeing({ outcomes, core }) {
  return Object.entries(outcomes)
    .filter(([, got]) => {
      try {
        assert.deepEqual(got, core);
        return false;
      } catch {
        return true;
      }
    })
    .map(([name, got]) => `${name} ${got.code ?? 'accepts'}`);
}

describe('the core, node:crypto and WebCrypto agree', () => {
  let pairs;
  let impostors;
  let paths;
  before(async () => {
    pairs = await Promise.all(DELEGATED.map((alg) => keyPair(alg)));
    impostors = await Promise.all(DELEGATED.map((alg) => keyPair(alg)));
    paths = threePaths({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: pairs.map((p) => p.jwk) }, cache: false, now: frozenClock() });
  });

  test('on valid tokens and every mutation, for every algorithm', async () => {
    const disagreements = [];
    let cases = 0;
    let accepted = 0;
    for (const pair of pairs) {
      const token = await sign(pair, goodClaims({ jti: `valid-${pair.alg}` }));
      const valid = await everyPath(paths, token);
      assert.ok(valid.core.result, `${pair.alg}: valid token rejected: ${valid.core.code}`);
      // verifySync and verify each call node:crypto once.
      assert.equal(valid.calls, 2, `${pair.alg}: node:crypto calls`);
      const impostor = impostors[pairs.indexOf(pair)];
      for (const [name, mutated] of [['valid', token], ...mutations(token, pair, pairs, impostor)]) {
        cases += 1;
        const seen = await everyPath(paths, mutated);
        if (seen.core.result) accepted += 1;
        const wrong = disagreeing(seen);
        if (wrong.length > 0) disagreements.push(`${pair.alg} ${name}: core ${seen.core.code ?? 'accepts'}, ${wrong.join(', ')}`);
      }
    }
    console.log(`three-path equivalence: ${cases} tokens, ${accepted} accepted by all, ${cases - accepted - disagreements.length} rejected alike`);
    assert.deepEqual(disagreements, []);
    // Each valid token and its kid-less re-signing, and the two ECDSA high-s
    // twins; everything else is rejected.
    assert.equal(accepted, 2 * pairs.length + 2);
  });

  test('nodeCrypto: false keeps both methods in the core; a non-boolean is refused', async () => {
    const token = await sign(pairs[0]);
    const calls = nodeCalls;
    assert.ok(paths.core.verifySync(token));
    assert.ok(await paths.core.verify(token));
    assert.equal(nodeCalls, calls);
    assert.throws(
      () => createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pairs[0].jwk] }, nodeCrypto: 'no' }),
      { code: 'ERR_POLICY_INVALID', message: /nodeCrypto must be true or false/ },
    );
  });

  test('a shared secret (HS256) never goes to node:crypto', async () => {
    const secret = new Uint8Array(32).fill(7);
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, secret, cache: false });
    const { SignJWT } = await import('jose');
    const token = await new SignJWT(goodClaims()).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(secret);
    const calls = nodeCalls;
    assert.ok(verifier.verifySync(token));
    assert.equal(nodeCalls, calls);
  });

  test('a node:crypto failure falls back to the core, never to acceptance', async () => {
    for (const alg of ['RS256', 'ES256']) {
      const pair = pairs.find((p) => p.alg === alg);
      const good = await sign(pair);
      const bad = resign(impostors[pairs.indexOf(pair)], JSON.stringify({ alg, kid: pair.kid, typ: 'at+jwt' }), JSON.stringify(goodClaims()));
      const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, now: frozenClock() };
      const core = createVerifier({ ...options, nodeCrypto: false });
      const failing = createVerifier(options);
      replaceVerify(() => {
        throw new Error('unsupported here');
      });
      try {
        for (const token of [good, bad]) {
          const expected = await outcome(() => core.verifySync(token));
          assert.deepEqual(await outcome(() => failing.verifySync(token)), expected, alg);
          assert.deepEqual(await outcome(() => failing.verify(token)), expected, alg);
        }
        assert.equal((await outcome(() => failing.verifySync(bad))).code, 'ERR_SIGNATURE_INVALID');
      } finally {
        replaceVerify(countingVerify);
      }
    }
  });

  test('a node:crypto that says "valid" to everything cannot pass a token the core refuses before the signature', async () => {
    const pair = pairs.find((p) => p.alg === 'PS256');
    const good = await sign(pair);
    const [h, p] = good.split('.');
    const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, now: frozenClock() };
    const lenient = createVerifier(options);
    replaceVerify(() => true);
    try {
      // Encodings the core refuses before any key is offered: an empty
      // signature, a byte too many, s ≥ n.
      for (const signature of ['', `${good.split('.')[2]}AA`, Buffer.from(dec(pair.jwk.n)).toString('base64url')]) {
        const { code } = await outcome(() => lenient.verifySync(`${h}.${p}.${signature}`));
        assert.ok(code === 'ERR_TOKEN_MALFORMED' || code === 'ERR_SIGNATURE_INVALID', `${signature.slice(0, 8)}: ${code}`);
      }
    } finally {
      replaceVerify(countingVerify);
    }
  });

  test('KeyObjects are dropped when the key set changes', async () => {
    const first = await keyPair('ES384', 'rotating');
    const second = await keyPair('ES384', 'rotating');
    const { source, set } = swappableKeys({ keys: [first.jwk] }, 2_000_001);
    const rotating = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: source, cache: false, now: frozenClock() });
    assert.ok(await rotating.verify(await sign(first)));
    set({ keys: [second.jwk] }, 2_000_002);
    // Same kid, same index: a stale KeyObject would reject this token.
    assert.ok(rotating.verifySync(await sign(second)));
    const old = await sign(first);
    assert.equal((await outcome(() => rotating.verifySync(old))).code, 'ERR_SIGNATURE_INVALID');
  });
});

describe('Wycheproof JWS vectors through every path', () => {
  for (const file of ['json_web_signature_test.json', 'json_web_key_test.json']) {
    test(file, async () => {
      const { cases, total, delegated, disagreements } = await wycheproofAgreement(file, (group) => threePaths(wycheproofOptions(group)), async (paths, token) => {
        const seen = await everyPath(paths, token);
        const wrong = disagreeing(seen);
        return { calls: seen.calls, wrong: wrong.length > 0 ? `core ${seen.core.code ?? 'accepts'}, ${wrong.join(', ')}` : null };
      });
      console.log(`wycheproof ${file}: ${cases} cases, ${delegated} reached node:crypto, ${disagreements.length} disagreements`);
      assert.equal(cases, total);
      assert.ok(delegated > 0, 'no case reached node:crypto');
      assert.deepEqual(disagreements, []);
    });
  }
});

describe('Ed25519: OpenSSL against the core\'s strict rules', () => {
  test('node:crypto gives Wycheproof\'s verdict on every Ed25519 vector (the core does too: src/wycheproof_tests.rs)', () => {
    const doc = wycheproofDocument('ed25519_test.json');
    const differing = [];
    let cases = 0;
    for (const group of doc.testGroups) {
      const key = nodeCrypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(group.publicKey.pk, 'hex').toString('base64url') }, format: 'jwk' });
      for (const testCase of group.tests) {
        cases += 1;
        let valid;
        try {
          valid = realVerify(null, Buffer.from(testCase.msg, 'hex'), key, Buffer.from(testCase.sig, 'hex'));
        } catch (error) {
          valid = `throws ${error.code}`;
        }
        if (valid !== (testCase.result === 'valid')) differing.push(`#${testCase.tcId} ${testCase.comment}: ${valid}`);
      }
    }
    assert.equal(cases, doc.numberOfTests);
    assert.deepEqual(differing, []);
  });

  test('a small-order R with a valid equation: OpenSSL alone accepts it, no path does', async () => {
    const pair = await keyPair('EdDSA');
    const token = await sign(pair);
    const input = token.slice(0, token.lastIndexOf('.'));
    const paths = threePaths({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, now: frozenClock() });
    for (const [name, signature] of ed25519EdgeSignatures(pair, input)) {
      const openssl = realVerify(null, Buffer.from(input), nodeCrypto.createPublicKey({ key: pair.jwk, format: 'jwk' }), signature);
      // S + L: OpenSSL checks S < L itself. R = identity, S = k·a: only the core's check refuses it.
      assert.equal(openssl, name === 'small-order-r', `${name}: OpenSSL alone`);
      const seen = await everyPath(paths, `${input}.${Buffer.from(signature).toString('base64url')}`);
      assert.equal(seen.core.code, 'ERR_SIGNATURE_INVALID', name);
      assert.deepEqual(disagreeing(seen), [], name);
      assert.equal(seen.calls, 0, `${name}: offered to node:crypto`);
    }
  });
});

describe('verifyRequest on every path', () => {
  test('bearer, DPoP-bound and certificate-bound tokens, with good and bad proofs: one node:crypto call each, the core\'s outcomes', async () => {
    const { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } = await import('jose');
    const pair = await keyPair('ES256');
    const dpopKey = await generateKeyPair('ES256', { extractable: true });
    const dpopJwk = await exportJWK(dpopKey.publicKey);
    const url = 'https://api.example/tasks';
    const fingerprint = 'ab'.repeat(32);
    const proof = (token, claims = {}) => new SignJWT({ htm: 'GET', htu: url, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ath: nodeCrypto.createHash('sha256').update(token).digest('base64url'), ...claims })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: dpopJwk })
      .sign(dpopKey.privateKey);
    const request = (authorization, dpop) => ({ method: 'GET', url, headers: { authorization, ...(dpop === undefined ? {} : { dpop }) } });
    const bearer = await sign(pair);
    const dpopBound = await sign(pair, goodClaims({ cnf: { jkt: await calculateJwkThumbprint(dpopJwk) } }));
    const certBound = await sign(pair, goodClaims({ cnf: { 'x5t#S256': Buffer.from(fingerprint, 'hex').toString('base64url') } }));
    const forged = resign(await keyPair('ES256', pair.kid), JSON.stringify({ alg: 'ES256', kid: pair.kid, typ: 'at+jwt' }), JSON.stringify(goodClaims()));
    const rows = [
      ['bearer', async () => [request(`Bearer ${bearer}`)], true],
      ['forged bearer', async () => [request(`Bearer ${forged}`)], false],
      ['DPoP-bound with its proof', async () => [request(`DPoP ${dpopBound}`, await proof(dpopBound))], true],
      ['DPoP-bound, proof for another method', async () => [request(`DPoP ${dpopBound}`, await proof(dpopBound, { htm: 'POST' }))], false],
      ['DPoP-bound as a bearer token', async () => [request(`Bearer ${dpopBound}`)], false],
      ['certificate-bound with its certificate', async () => [request(`Bearer ${certBound}`), { clientCertificate: fingerprint }], true],
      ['certificate-bound, another certificate', async () => [request(`Bearer ${certBound}`), { clientCertificate: 'cd'.repeat(32) }], false],
    ];
    const options = { issuer: ISSUER, audience: AUDIENCE, keys: { keys: [pair.jwk] }, cache: false, now: frozenClock() };
    for (const [name, args, accepted] of rows) {
      // A fresh verifier per path: each has its own DPoP replay store.
      const paths = threePaths(options);
      const made = await args();
      const core = await outcome(() => paths.core.verifyRequest(...made));
      assert.equal(core.result !== undefined, accepted, `${name}: ${core.code}`);
      const calls = nodeCalls;
      const node = await outcome(() => paths.node.verifyRequest(...made));
      assert.equal(nodeCalls - calls, 1, `${name}: node:crypto calls`);
      const web = await outcome(() => paths.web.verifyRequest(...made));
      assert.deepEqual(node, core, `${name}: node:crypto`);
      assert.deepEqual(web, core, `${name}: WebCrypto`);
    }
  });
});
