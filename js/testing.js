/**
 * `@jwtguard/jwtguard/testing`: a local stand-in for Entra ID (v1 or v2
 * access tokens) or any OpenID issuer, for an API's own test suites. It
 * holds an RSA key pair, serves its key set and metadata on 127.0.0.1 (or
 * only hands them over, in memory) and mints tokens shaped like the
 * issuer's. It is no identity provider: it signs whatever it is asked to.
 * And `replayStoreContract`, the checks a DPoP `replayStore` must pass.
 * Node only (node:crypto, node:http).
 */

import { createPrivateKey, createPublicKey, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { CLOUDS } from './entra.js';
import { invalid } from './preset-options.js';

export { replayStoreContract } from './replay-store-contract.js';

/** A minted token lives an hour unless the claims say otherwise. */
const LIFETIME_SECONDS = 3600;

/** Where the served stand-in answers. */
const JWKS_PATH = '/keys';
const METADATA_PATH = '/.well-known/openid-configuration';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const base64url = (text) => Buffer.from(text).toString('base64url');

/**
 * What the stand-in issues: the issuer, the claims its tokens start from,
 * and the variables fromEnv reads for it (without the key source).
 */
function shapeOf(options) {
  const { entra, issuer, audience } = options;
  if ((entra === undefined) === (issuer === undefined)) throw invalid('createTestIssuer', 'takes entra: { tenant, clientId, version } or issuer (with audience)');
  if (issuer !== undefined) {
    if (typeof issuer !== 'string' || typeof audience !== 'string') throw invalid('issuer', 'and audience must be strings');
    return {
      issuer,
      claims: { iss: issuer, aud: audience, sub: 'test-subject' },
      env: { JWT_ISSUER: issuer, JWT_AUDIENCE: audience },
    };
  }
  const { tenant, clientId = randomUUID(), version = 2, client = randomUUID() } = entra;
  if (typeof tenant !== 'string' || !GUID.test(tenant)) throw invalid('entra.tenant', 'must be a tenant GUID');
  if (!GUID.test(clientId) || !GUID.test(client)) throw invalid('entra.clientId', 'and entra.client must be GUIDs');
  if (version !== 1 && version !== 2) throw invalid('entra.version', 'must be 1 or 2');
  const hosts = CLOUDS.public;
  const v2 = version === 2;
  const iss = v2 ? `https://${hosts.v2}/${tenant}/v2.0` : `https://${hosts.v1}/${tenant}/`;
  return {
    issuer: iss,
    clientId,
    claims: {
      iss,
      aud: v2 ? clientId : `api://${clientId}`,
      tid: tenant,
      oid: randomUUID(),
      sub: randomUUID(),
      ver: v2 ? '2.0' : '1.0',
      ...(v2 ? { azp: client, azpacr: '1' } : { appid: client, appidacr: '1' }),
    },
    env: { AZURE_TENANT_ID: tenant, AZURE_API_CLIENT_ID: clientId, AZURE_API_TOKEN_VERSION: String(version) },
  };
}

/** @param {import('node:http').Server} server */
const originOf = (server) => `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

/** Serves the key set and metadata on 127.0.0.1 at `port` (0: any free one); resolves to the server and its origin. */
function serve(jwks, issuer, port) {
  const server = createServer((request, response) => {
    const origin = originOf(server);
    const path = new URL(request.url ?? '/', origin).pathname;
    const body = { [JWKS_PATH]: jwks, [METADATA_PATH]: { issuer, jwks_uri: `${origin}${JWKS_PATH}` } }[path];
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    response.end(JSON.stringify(body ?? { error: 'not_found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, origin: originOf(server) }));
  });
}

/**
 * The signing key: a private RSA JWK given (with its `kid`), to keep one key
 * across runs, or a new one.
 * @param {unknown} key
 */
function keyPair(key) {
  if (key === undefined) return { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, kid: randomUUID() };
  const jwk = /** @type {Record<string, any>} */ (key);
  if (!jwk || typeof jwk !== 'object' || jwk.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw invalid('key', 'must be a private RSA JWK with a kid (an earlier issuer\'s `key`)');
  }
  try {
    return { privateKey: createPrivateKey({ key: jwk, format: 'jwk' }), kid: jwk.kid };
  } catch (error) {
    throw invalid('key', `is not a usable RSA private key (${error.message})`);
  }
}

/**
 * A local issuer for tests.
 * @param {import('./testing.d.ts').TestIssuerOptions} options
 * @returns {Promise<import('./testing.d.ts').TestIssuer>}
 */
export async function createTestIssuer(options) {
  if (!options || typeof options !== 'object') throw invalid('createTestIssuer', 'takes an options object');
  const { serve: served = true, port = 0, now = () => Math.floor(Date.now() / 1000) } = options;
  const shape = shapeOf(options);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalid('port', 'must be a port number (0: any free one)');
  const { privateKey, kid } = keyPair(options.key);
  const jwks = Object.freeze({ keys: [Object.freeze({ ...createPublicKey(privateKey).export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' })] });
  const listening = served ? await serve(jwks, shape.issuer, port) : null;
  const jwksUri = listening ? `${listening.origin}${JWKS_PATH}` : undefined;

  /** A signed token: the issuer's claims, a time window from `now`, then `claims` (undefined removes one). */
  function mint(claims = {}) {
    const iat = now();
    const payload = Object.fromEntries(Object.entries({ ...shape.claims, iat, nbf: iat, exp: iat + LIFETIME_SECONDS, ...claims })
      .filter(([, value]) => value !== undefined));
    const input = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${base64url(JSON.stringify(payload))}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
  }

  return Object.freeze({
    key: Object.freeze({ ...privateKey.export({ format: 'jwk' }), kid }),
    issuer: shape.issuer,
    ...(shape.clientId ? { clientId: shape.clientId } : {}),
    jwks,
    jwksUri,
    metadataUrl: listening ? `${listening.origin}${METADATA_PATH}` : undefined,
    env: Object.freeze({ ...shape.env, ...(jwksUri ? { JWT_JWKS_URI: jwksUri } : {}) }),
    mint,
    close: () => new Promise((resolve) => {
      if (!listening) return resolve(undefined);
      listening.server.closeAllConnections();
      return listening.server.close(() => resolve(undefined));
    }),
  });
}
