// What the core's `prepare` offers the host (js/prepared-token.js reads it
// from the core's memory, at the address `prepare` returns): for tokens
// signed by jose, the algorithm, the keys to try in the core's order, the
// signing input's length and the signature, each compared with what the
// token and the key set say; and the slot that holds the token until the
// host releases it.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import '@jwtguard/jwtguard';
import { WasmVerifier, normalizePolicy } from '../../pkg/jwtguard.js';
import { preparedToken } from '../../js/prepared-token.js';
import { AUDIENCE, DELEGATED_SAMPLE, ISSUER, goodClaims, keyPair, nowSeconds, sign } from './helpers.mjs';

const encoder = new TextEncoder();
const policy = normalizePolicy(JSON.stringify({ issuer: ISSUER, audience: AUDIENCE }));

/** The signature segment decoded by Node, independently of the core. */
const signatureOf = (token) => new Uint8Array(Buffer.from(token.slice(token.lastIndexOf('.') + 1), 'base64url'));

let pairs;
before(async () => {
  // Two keys per algorithm: a decoy first, then the signer; one more key
  // shares the signer's kid, so a token with that kid offers two keys. An
  // RSA key is offered only when the signature is below its modulus: the
  // twin's modulus is made larger than the signer's.
  const modulus = (pair) => BigInt(`0x${Buffer.from(pair.jwk.n, 'base64url').toString('hex')}`);
  pairs = {};
  for (const alg of DELEGATED_SAMPLE) {
    const [decoy, signer] = await Promise.all([keyPair(alg, `${alg}-decoy`), keyPair(alg, `${alg}-signer`)]);
    let twin = await keyPair(alg, `${alg}-signer`);
    while (signer.jwk.n !== undefined && modulus(twin) < modulus(signer)) twin = await keyPair(alg, `${alg}-signer`);
    pairs[alg] = { decoy, signer, twin };
  }
});

describe('preparedToken: the offer of the core\'s prepare', () => {
  // Each row: the keys in the set (by role) and the indices the core offers.
  const rows = [
    { name: 'the kid names one key', set: ['decoy', 'signer'], offered: [1] },
    { name: 'two keys share the kid, tried in the set\'s order', set: ['twin', 'decoy', 'signer'], offered: [0, 2] },
  ];
  for (const alg of DELEGATED_SAMPLE) {
    for (const row of rows) {
      test(`${alg}: ${row.name}`, async () => {
        const set = row.set.map((role) => pairs[alg][role].jwk);
        const core = new WasmVerifier(policy, JSON.stringify({ keys: set }));
        const token = await sign(pairs[alg].signer);
        for (const lasting of [false, true]) {
          const offered = preparedToken(core.prepare(encoder.encode(token)), lasting);
          try {
            assert.equal(offered.alg, alg);
            assert.deepEqual(offered.keys, row.offered);
            assert.equal(offered.signingInputLength, token.lastIndexOf('.'));
            assert.deepEqual(offered.signature, signatureOf(token));
          } finally {
            core.release(offered.slot);
          }
        }
      });
    }
  }

  test('a token whose signature fits no key offers no keys', async () => {
    const core = new WasmVerifier(policy, JSON.stringify({ keys: [pairs.ES256.signer.jwk] }));
    const token = await sign(pairs.ES256.signer);
    const dot = token.lastIndexOf('.');
    // r = 0 is outside [1, n − 1], so the core offers no key (src/crypto/ecdsa.rs).
    const zeroR = Buffer.concat([Buffer.alloc(32), Buffer.from(token.slice(dot + 1), 'base64url').subarray(32)]).toString('base64url');
    const offered = preparedToken(core.prepare(encoder.encode(`${token.slice(0, dot)}.${zeroR}`)), false);
    try {
      assert.deepEqual(offered.keys, []);
    } finally {
      core.release(offered.slot);
    }
  });
});

describe('the core\'s slots: a token from prepare until release', () => {
  // Each row: the calls in order, on tokens A and B of one core, and what
  // each `finish` must give: the token's own subject, or the error code.
  const rows = [
    {
      name: 'two tokens in flight at once each finish as themselves',
      steps: [['prepare', 'A'], ['prepare', 'B'], ['finish', 'B', 'B'], ['finish', 'A', 'A'], ['release', 'A'], ['release', 'B']],
    },
    {
      name: 'a second finish of one token is an internal error',
      steps: [['prepare', 'A'], ['finish', 'A', 'A'], ['finish', 'A', 'ERR_INTERNAL'], ['release', 'A']],
    },
    {
      name: 'a released token cannot be finished',
      steps: [['prepare', 'A'], ['release', 'A'], ['finish', 'A', 'ERR_INTERNAL']],
    },
    {
      name: 'a finished token keeps its slot until released: the next token takes another',
      steps: [['prepare', 'A'], ['finish', 'A', 'A'], ['prepare', 'B'], ['release', 'A'], ['finish', 'B', 'B'], ['release', 'B']],
    },
    {
      name: 'a released slot is reused, and releasing it twice frees it once',
      steps: [['prepare', 'A'], ['release', 'A'], ['release', 'A'], ['prepare', 'B'], ['prepare', 'A'], ['finish', 'A', 'A'], ['finish', 'B', 'B']],
    },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      const pair = pairs.RS256.signer;
      const core = new WasmVerifier(policy, JSON.stringify({ keys: [pair.jwk] }));
      const tokens = { A: await sign(pair, goodClaims({ sub: 'subject-A' })), B: await sign(pair, goodClaims({ sub: 'subject-B' })) };
      const slots = {};
      const taken = new Set();
      for (const [call, name, expected] of row.steps) {
        if (call === 'prepare') {
          const { slot, keys } = preparedToken(core.prepare(encoder.encode(tokens[name])), false);
          assert.ok(!taken.has(slot), `slot ${slot} is held by another token`);
          taken.add(slot);
          slots[name] = { slot, key: keys[0] };
        } else if (call === 'release') {
          core.release(slots[name].slot);
          taken.delete(slots[name].slot);
        } else if (expected.startsWith('ERR_')) {
          assert.throws(() => core.finish(slots[name].slot, slots[name].key, nowSeconds()), (error) => error.code === expected);
        } else {
          assert.equal(JSON.parse(core.finish(slots[name].slot, slots[name].key, nowSeconds())).claims.sub, `subject-${expected}`);
        }
      }
    });
  }

  test('a lasting signature outlives the next read; a shared one is the next read\'s', async () => {
    const pair = pairs.RS256.signer;
    const core = new WasmVerifier(policy, JSON.stringify({ keys: [pair.jwk] }));
    const [first, second] = await Promise.all([sign(pair, goodClaims({ sub: '1' })), sign(pair, goodClaims({ sub: '2' }))]);
    const lasting = preparedToken(core.prepare(encoder.encode(first)), true);
    const shared = preparedToken(core.prepare(encoder.encode(first)), false);
    const next = preparedToken(core.prepare(encoder.encode(second)), false);
    assert.deepEqual(lasting.signature, signatureOf(first));
    assert.deepEqual(shared.signature, signatureOf(second));
    assert.deepEqual(next.signature, signatureOf(second));
    for (const { slot } of [lasting, shared, next]) core.release(slot);
  });
});
