// Benchmark fixtures: one key pair per algorithm and tokens signed by jose
// (an independent signer). The same JSON goes to every runtime, so every
// library in every runtime verifies exactly the same bytes.
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
export const ISSUER = 'https://login.example/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0';
export const AUDIENCE = 'api://00001111-aaaa-2222-bbbb-3333cccc4444';

/**
 * Distinct tokens per algorithm for the cold runs. More than the verified-token
 * cache's default capacity (1,000): cycling through them in order, an LRU cache
 * never hits, so every verification is a miss.
 */
export const COLD_TOKENS = 1200;

/**
 * Claims shaped like an Entra ID v2 app-only token (RS256: about 1 KB of
 * token text, like Entra's); `jti` makes each token distinct.
 */
function claims(index, now) {
  return {
    aud: AUDIENCE,
    iss: ISSUER,
    iat: now,
    nbf: now,
    exp: now + 3 * 3600,
    aio: 'k2BgYDi5hVpz0DhP8xWf1XmJ2dN5GQCcWk7jb9v3d0aXoGr7Y2YA',
    azp: 'aaaabbbb-0000-cccc-1111-dddd2222eeee',
    azpacr: '1',
    idtyp: 'app',
    oid: '00000000-0000-0000-0000-000000000001',
    rh: '1.AXkAv4j5cvGGr0GRqy180BHbR0xMbLYKPt1Jh-tTu9MzwVl5AAB5AA.',
    roles: ['Tasks.Read', 'Tasks.Write'],
    sub: '00000000-0000-0000-0000-000000000001',
    tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    ver: '2.0',
    uti: 'ZLOn3dhd2k2FaNoHEa8zAA',
    jti: `token-${index}`,
  };
}

/** `{ jwks, tokens: { [alg]: string[] } }`; tokens[alg][0] is the warm token. */
export async function makeFixtures(count = COLD_TOKENS) {
  const now = Math.floor(Date.now() / 1000);
  const keys = [];
  const tokens = {};
  for (const alg of ALGORITHMS) {
    const options = alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true };
    const { publicKey, privateKey } = await generateKeyPair(alg, options);
    const kid = `bench-${alg.toLowerCase()}`;
    keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
    const signed = [];
    for (let i = 0; i < count; i += 1) {
      signed.push(
        new SignJWT(claims(i, now)).setProtectedHeader({ alg, kid, typ: 'JWT' }).sign(privateKey),
      );
    }
    tokens[alg] = await Promise.all(signed);
  }
  return { jwks: { keys }, tokens };
}
