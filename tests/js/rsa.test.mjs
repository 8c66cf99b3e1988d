// RS* and PS* against node:crypto (OpenSSL): for random keys (odd sizes and
// exponents included), random claims and corrupted signatures, jwtguard
// accepts exactly when node:crypto does, except that a signature must be
// exactly k bytes. JWTGUARD_RSA_JS_CASES raises the count.
import assert from 'node:assert/strict';
import { constants, createPublicKey, generateKeyPair, randomBytes, sign, verify } from 'node:crypto';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { createVerifier } from '@jwtguard/jwtguard';
import { AUDIENCE, ISSUER, goodClaims } from './helpers.mjs';

const CASES = Number(process.env.JWTGUARD_RSA_JS_CASES ?? 24);
const KEYS = [
  { modulusLength: 2048, publicExponent: 65537 },
  { modulusLength: 2049, publicExponent: 3 },
  { modulusLength: 2055, publicExponent: 65537 },
  { modulusLength: 2056, publicExponent: 17 },
];
const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

const b64 = (data) => Buffer.from(data).toString('base64url');

function nodeOptions(alg, key) {
  return alg.startsWith('PS')
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { key, padding: constants.RSA_PKCS1_PADDING };
}

/** Signature variants: the valid one and corruptions. */
function variants(signature, n) {
  const out = [['valid', signature]];
  const flipped = Buffer.from(signature);
  const bit = randomBytes(2).readUInt16BE() % (8 * flipped.length);
  flipped[bit >> 3] ^= 1 << (bit & 7);
  out.push(['flipped bit', flipped]);
  out.push(['short', signature.subarray(1)]);
  out.push(['long', Buffer.concat([Buffer.alloc(1), signature])]);
  out.push(['s = n', n]);
  out.push(['zero', Buffer.alloc(signature.length)]);
  return out;
}

for (const [index, options] of KEYS.entries()) {
  test(`jwtguard agrees with node:crypto: ${options.modulusLength}-bit key, e = ${options.publicExponent}`, async () => {
    const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', options);
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: `k${index}`, use: 'sig' };
    const n = Buffer.from(jwk.n, 'base64url');
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: { keys: [jwk] }, cache: false });
    const checkKey = createPublicKey({ key: jwk, format: 'jwk' });
    let accepted = 0;
    let compared = 0;
    for (let i = 0; i < CASES; i += 1) {
      const alg = ALGS[i % ALGS.length];
      const hash = HASH[alg.slice(2)];
      const header = b64(JSON.stringify({ alg, kid: jwk.kid, typ: 'at+jwt' }));
      const payload = b64(JSON.stringify(goodClaims({ jti: randomBytes(8).toString('hex') })));
      const input = Buffer.from(`${header}.${payload}`);
      const signature = sign(hash, input, nodeOptions(alg, privateKey));
      // The same signature under the other scheme and under another hash.
      const otherAlg = alg.startsWith('PS') ? `RS${alg.slice(2)}` : `PS${alg.slice(2)}`;
      for (const [what, sig] of variants(signature, n)) {
        for (const [name, checkAlg] of [[alg, alg], [`${otherAlg} header`, otherAlg]]) {
          const checkHeader = b64(JSON.stringify({ alg: checkAlg, kid: jwk.kid, typ: 'at+jwt' }));
          const checkInput = Buffer.from(`${checkHeader}.${payload}`);
          const token = `${checkHeader}.${payload}.${b64(sig)}`;
          // RFC 8017 §8.1.2 and §8.2.2 step 1: a signature that is not k bytes
          // is invalid. OpenSSL accepts one whose leading zero bytes were
          // dropped (the "short" variant, for keys whose top byte is 0x01).
          const want = sig.length === n.length && verify(HASH[checkAlg.slice(2)], checkInput, nodeOptions(checkAlg, checkKey), sig);
          let got;
          try {
            got = verifier.verifySync(token).key.alg === checkAlg;
          } catch (error) {
            assert.ok(['ERR_SIGNATURE_INVALID', 'ERR_TOKEN_MALFORMED'].includes(error.code), error.message);
            got = false;
          }
          assert.equal(got, want, `${name} ${what} (${alg} signature)`);
          compared += 1;
          accepted += Number(want);
        }
      }
    }
    assert.ok(accepted === CASES && compared > accepted, `${accepted} accepted of ${compared}`);
  });
}
