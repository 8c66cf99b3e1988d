// A real OpenID Provider on this machine, for the demo and the tests:
// panva's oidc-provider (a certified OpenID Provider implementation) on
// 127.0.0.1 with an ephemeral port, one confidential client allowed the
// client_credentials grant, and resource indicators so that it issues JWT
// access tokens (typ at+jwt, RFC 9068). A token request with a DPoP proof
// gets a DPoP-bound token (RFC 9449); the client MTLS_CLIENT_ID, whose
// certificate the test passes in the x-client-certificate header (no TLS
// listener here), gets certificate-bound tokens (RFC 8705). It can be restarted with a new signing
// key (same issuer, same port) and stopped, and it counts the requests it
// serves per path. With `accessTokenFormat: 'opaque'` it issues opaque
// access tokens instead, which resource servers introspect (RFC 7662; signed
// answers, RFC 9701, for a client registered with
// introspection_signed_response_alg) and clients revoke (RFC 7009). Users
// sign in too: the client USER_CLIENT_ID runs the authorization code flow
// through the login page of scripts/local-sign-in.mjs, and its access tokens
// carry the sign-in's acr and auth_time (RFC 9470 step-up).
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { SIGN_IN_TTL, loginPage, signInConfiguration, userClient } from './local-sign-in.mjs';

/**
 * Runs `fn` with oidc-provider's console warnings muted: it warns about its
 * in-memory storage and about Node 20, both intended for a local test provider.
 */
async function quietly(fn) {
  const warn = console.warn;
  console.warn = (...args) => {
    if (!String(args[0]).includes('oidc-provider WARNING')) warn(...args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

const { default: Provider } = await quietly(() => import('oidc-provider'));

export const CLIENT_ID = 'daemon-app';
export const CLIENT_SECRET = 'a-client-secret-for-local-tests-only-0123456789';
export const RESOURCE = 'https://api.example.test';
export const SCOPE = 'tasks:read';
export const MTLS_CLIENT_ID = 'mtls-daemon-app';

/** The header that stands in for the TLS layer's client certificate (a URL-encoded PEM). */
const CERTIFICATE_HEADER = 'x-client-certificate';

/** A fresh RS256 signing key as a private JWK with a random kid. */
async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `key-${crypto.randomUUID()}`, alg: 'RS256', use: 'sig' };
}

function provider(issuer, key, clients, accessTokenFormat) {
  const oidc = new Provider(issuer, {
    ...signInConfiguration(RESOURCE, SCOPE),
    clients: [
      { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, token_endpoint_auth_method: 'client_secret_post' },
      { client_id: MTLS_CLIENT_ID, client_secret: CLIENT_SECRET, token_endpoint_auth_method: 'client_secret_post', tls_client_certificate_bound_access_tokens: true },
      userClient,
      ...clients,
    ]
      .map((client) => ({ grant_types: ['client_credentials'], redirect_uris: [], response_types: [], ...client })),
    jwks: { keys: [key] },
    cookies: { keys: ['local-provider-cookie-key'] },
    ttl: { ClientCredentials: 600, ...SIGN_IN_TTL },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: { enabled: true },
      // Every registered client is a resource server or the token's own client.
      introspection: { enabled: true, allowedPolicy: () => true },
      jwtIntrospection: { enabled: true },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => client.clientId === token.clientId },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        getCertificate: (ctx) => {
          const pem = ctx.get(CERTIFICATE_HEADER);
          return pem ? decodeURIComponent(pem) : undefined;
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: SCOPE,
          accessTokenTTL: 600,
          accessTokenFormat,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  oidc.on('server_error', (_ctx, error) => console.error('local provider error:', error));
  return oidc;
}

/**
 * Starts the provider on 127.0.0.1 (port 0: the system picks a free one).
 * `clients` adds client registrations (oidc-provider client metadata), e.g.
 * `client_secret_basic` or `private_key_jwt` clients; all get the
 * client_credentials grant. `accessTokenFormat` is `jwt` (the default) or
 * `opaque`. `signInClock` (seconds) is the time the login page records for
 * each sign-in, the auth_time of the tokens it leads to (default: now).
 * @returns {Promise<{ issuer: string, kid: string, hits: Map<string, number>,
 *   token(): Promise<string>, restart(): Promise<void>, stop(): Promise<void> }>}
 */
export async function startProvider({ clients = [], accessTokenFormat = 'jwt', signInClock = () => Math.floor(Date.now() / 1000) } = {}) {
  let handler = null;
  const hits = new Map();
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    handler(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const local = {
    issuer,
    kid: null,
    hits,
    /** Restarts the provider with a new signing key: same issuer, new kid. */
    async restart() {
      const key = await signingKey();
      const oidc = await quietly(() => provider(issuer, key, clients, accessTokenFormat));
      const login = loginPage(oidc, signInClock);
      const callback = oidc.callback();
      handler = (req, res) => login(req, res) ?? callback(req, res);
      local.kid = key.kid;
    },
    /**
     * A client-credentials access token for `resource`, requested as curl
     * would: a form POST. With `dpop` (a proof for POST {issuer}/token) the
     * token is DPoP-bound; with `certificate` (a PEM) it is requested by the
     * mTLS client and bound to that certificate.
     */
    async token(resource = RESOURCE, { dpop, certificate } = {}) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(dpop ? { dpop } : {}),
          ...(certificate ? { [CERTIFICATE_HEADER]: encodeURIComponent(certificate) } : {}),
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: certificate ? MTLS_CLIENT_ID : CLIENT_ID,
          client_secret: CLIENT_SECRET,
          resource,
          scope: SCOPE,
        }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    /** Stops listening and drops open connections: the provider is down. */
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  await local.restart();
  return local;
}
