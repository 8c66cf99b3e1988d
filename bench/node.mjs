// Node cases: jwtguard, jose, aws-jwt-verify, fast-jwt, and raw node:crypto
// (the signature check alone: the native floor, not a JWT verifier).
import { createPublicKey, verify as cryptoVerify, constants } from 'node:crypto';
import * as joseModule from 'jose';
import { JwtVerifier } from 'aws-jwt-verify';
import { createVerifier as fastJwtVerifier } from 'fast-jwt';
import * as api from '../js/node.js';
import { AUDIENCE, ISSUER } from './fixtures.mjs';
import { ROW, commonLibraries, jwtguard } from './libraries.mjs';

const jwkFor = (fixtures, alg) => fixtures.jwks.keys.find((k) => k.alg === alg);

function awsJwtVerify(fixtures, alg) {
  if (alg.startsWith('PS')) return null; // aws-jwt-verify 5 has no RSASSA-PSS
  const verifier = JwtVerifier.create({ issuer: ISSUER, audience: AUDIENCE, jwksUri: 'https://login.example/keys' });
  verifier.cacheJwks(fixtures.jwks);
  return { verify: (token) => verifier.verifySync(token), isAsync: false };
}

function fastJwt(fixtures, alg) {
  const key = createPublicKey({ key: jwkFor(fixtures, alg), format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  // fast-jwt's own verified-token cache (LRU, 1,000 entries), the closest match to jwtguard's defaults.
  const verifier = fastJwtVerifier({ key, algorithms: [alg], allowedIss: ISSUER, allowedAud: AUDIENCE, cache: true });
  return { verify: (token) => verifier(token), isAsync: false };
}

const HASH = { RS256: 'sha256', PS256: 'sha256', ES256: 'sha256', ES384: 'sha384', EdDSA: null };

function nodeCrypto(fixtures, alg) {
  const key = createPublicKey({ key: jwkFor(fixtures, alg), format: 'jwk' });
  const options = alg.startsWith('PS')
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : alg.startsWith('ES')
      ? { key, dsaEncoding: 'ieee-p1363' }
      : key;
  return {
    verify: (token) => {
      const dot = token.lastIndexOf('.');
      const signature = Buffer.from(token.slice(dot + 1), 'base64url');
      return cryptoVerify(HASH[alg], Buffer.from(token.slice(0, dot)), options, signature);
    },
    isAsync: false,
  };
}

/** `[name, factory]` in table order; jose is the reference for ratios. */
export function nodeLibraries() {
  return [
    [ROW.nodeDefault, jwtguard(api)],
    [ROW.nodeDefaultNoCache, jwtguard(api, { cache: false })],
    [ROW.webCryptoInNode, jwtguard(api, { cache: false, webCrypto: true, nodeCrypto: false }, 'verify')],
    ...commonLibraries(api, joseModule),
    [ROW.awsJwtVerify, awsJwtVerify],
    [ROW.fastJwt, fastJwt],
    [ROW.nodeCrypto, nodeCrypto],
  ];
}

/**
 * The clocks of a measurement in Node (bench/measure.mjs): wall time, and
 * this process's CPU time (every thread), both in milliseconds.
 */
export const NODE_CLOCKS = Object.freeze({
  clock: () => performance.now(),
  cpuClock: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
});
