// What the core's `prepare` offers the host (js/prepared-token.js reads it
// from WasmPrepared.offer in one crossing): for tokens signed by jose, the
// algorithm, the keys to try in the core's order, the signing input's length
// and the signature, each compared with what the token and the key set say.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import '@jwtguard/jwtguard';
import { WasmVerifier, normalizePolicy } from '../../pkg/jwtguard.js';
import { preparedToken } from '../../js/prepared-token.js';
import { AUDIENCE, DELEGATED_SAMPLE, ISSUER, keyPair, sign } from './helpers.mjs';

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
        const handle = core.prepare(encoder.encode(token));
        try {
          const offered = preparedToken(handle);
          assert.equal(offered.alg, alg);
          assert.deepEqual(offered.keys, row.offered);
          assert.equal(offered.signingInputLength, token.lastIndexOf('.'));
          assert.deepEqual(offered.signature, signatureOf(token));
        } finally {
          handle.free();
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
    const handle = core.prepare(encoder.encode(`${token.slice(0, dot)}.${zeroR}`));
    try {
      assert.deepEqual(preparedToken(handle).keys, []);
    } finally {
      handle.free();
    }
  });
});
