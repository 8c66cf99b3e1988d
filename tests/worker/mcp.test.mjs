// examples/mcp-worker in workerd, driven by the MCP SDK's own client over
// Streamable HTTP. Tests cannot reach Entra ID, so a local stand-in on
// 127.0.0.1 plays the tenant's v2 authority: Entra-shaped OpenID metadata
// (and 404 for RFC 8414 metadata, as Entra answers), the v2 key set with its
// per-key issuer, and a client-credentials token endpoint that refuses the
// `resource` parameter beside a v2 scope (AADSTS9010010), as Entra does. The
// example runs unchanged with the real Entra preset: the Worker's requests to
// login.microsoftonline.com reach the stand-in through miniflare's outbound
// service, and the client's through its `fetch` option.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { SignJWT } from 'jose';
import { keyPair, nowSeconds } from '../js/helpers.mjs';
import { serve } from '../js/remote/net.mjs';
import { startWorker } from './workerd.mjs';

const toml = readFileSync(new URL('../../examples/mcp-worker/wrangler.toml', import.meta.url), 'utf8');
const vars = Object.fromEntries([...toml.split('[vars]')[1].matchAll(/^(\w+) = "([^"]*)"$/gm)].map((m) => [m[1], m[2]]));
const TENANT = vars.ENTRA_TENANT_ID;
const API = vars.ENTRA_CLIENT_ID;
const AUTHORITY = `https://login.microsoftonline.com/${TENANT}/v2.0`;
const ENTRA = 'https://login.microsoftonline.com';

/** Daemon clients registered in the stand-in tenant, with the app roles they were granted. */
const CLIENTS = {
  'aaaabbbb-0000-cccc-1111-dddd2222eeee': { secret: 'granted-secret', roles: [vars.MCP_ROLE] },
  'ffff0000-1111-2222-3333-444455556666': { secret: 'other-secret', roles: ['Reports.Read'] },
};

let key;
let entra;
let mf;
let mcpUrl;
const authorityLog = [];

/** The stand-in authority: metadata, keys and the token endpoint of an Entra tenant. */
function authority(req, res, url) {
  const json = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && url.pathname === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
    return json(200, {
      issuer: AUTHORITY,
      authorization_endpoint: `${ENTRA}/${TENANT}/oauth2/v2.0/authorize`,
      token_endpoint: `${ENTRA}/${TENANT}/oauth2/v2.0/token`,
      jwks_uri: `${ENTRA}/${TENANT}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    });
  }
  if (req.method === 'GET' && url.pathname === `/${TENANT}/discovery/v2.0/keys`) {
    const { alg, ...jwk } = key.jwk; // Entra's keys carry no alg, and each names its issuer
    return json(200, { keys: [{ ...jwk, x5t: key.kid, issuer: AUTHORITY }] });
  }
  if (req.method === 'POST' && url.pathname === `/${TENANT}/oauth2/v2.0/token`) {
    let text = '';
    req.on('data', (chunk) => { text += chunk; });
    req.on('end', async () => {
      const form = new URLSearchParams(text);
      const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':').map(decodeURIComponent);
      authorityLog.push({ client: id, scope: form.get('scope'), resource: form.get('resource') });
      if (form.get('resource') !== null) {
        return json(400, { error: 'invalid_target', error_description: 'AADSTS9010010: The resource parameter provided in the request doesn\'t match with the requested scopes.' });
      }
      if (CLIENTS[id]?.secret !== secret) return json(401, { error: 'invalid_client' });
      if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== `api://${API}/.default`) return json(400, { error: 'invalid_scope' });
      const now = nowSeconds();
      const token = await new SignJWT({
        aud: API, iss: AUTHORITY, iat: now, nbf: now, exp: now + 3600, azp: id, azpacr: '1', idtyp: 'app',
        oid: '6b9b2c9d-0000-4000-8000-000000000001', sub: '6b9b2c9d-0000-4000-8000-000000000001', tid: TENANT, ver: '2.0', roles: CLIENTS[id].roles,
      }).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
      return json(200, { token_type: 'Bearer', expires_in: 3600, access_token: token });
    });
    return undefined;
  }
  return json(404, { error: 'not_found' });
}

/** login.microsoftonline.com → the stand-in, for the Worker (outbound service) and the client (fetch). */
const toStandIn = (url) => (url.startsWith(`${ENTRA}/`) ? `${entra.origin}${url.slice(ENTRA.length)}` : url);

before(async () => {
  key = await keyPair('RS256', 'entra-test-key');
  entra = await serve(authority);
  mf = await startWorker('../../examples/mcp-worker/src/index.js', vars, {
    compatibilityFlags: ['nodejs_compat'],
    outboundService: async (request) => fetch(toStandIn(request.url), { method: request.method, headers: request.headers }),
  });
  mcpUrl = new URL('/mcp', await mf.ready);
});

after(async () => {
  await mf?.dispose();
  await entra?.close();
});

/** Entra refuses `resource` beside a v2 scope: an Entra daemon client sends the scope alone. */
class EntraDaemon extends ClientCredentialsProvider {
  validateResourceURL() {
    return undefined;
  }
}

/** An MCP client that starts with no token and finds everything from the 401; records every response it sees. */
function client(clientId, Provider = EntraDaemon) {
  const seen = [];
  const provider = new Provider({ clientId, clientSecret: CLIENTS[clientId].secret, scope: `api://${API}/.default` });
  const transport = new StreamableHTTPClientTransport(mcpUrl, {
    authProvider: provider,
    fetch: async (url, init) => {
      const response = await fetch(toStandIn(String(url)), init);
      seen.push({ url: String(url), status: response.status, challenge: response.headers.get('www-authenticate') });
      return response;
    },
  });
  return { mcp: new Client({ name: 'jwtguard-test', version: '1.0.0' }), transport, seen };
}

test('the SDK client finds the authority from the 401 and the metadata, gets a token, and reaches a tool', async () => {
  const [id] = Object.keys(CLIENTS);
  const { mcp, transport, seen } = client(id);
  await mcp.connect(transport);
  const result = await mcp.callTool({ name: 'whoami', arguments: {} });
  assert.deepEqual(JSON.parse(result.content[0].text), { client: id, roles: [vars.MCP_ROLE] });
  const sum = await mcp.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
  assert.equal(sum.content[0].text, '5');
  await mcp.close();

  // The path discovery took: 401 naming the metadata → the metadata → the authority's OpenID metadata → the token.
  const first = seen[0];
  assert.equal(first.status, 401);
  const metadataUrl = `${mcpUrl.origin}/.well-known/oauth-protected-resource`;
  assert.match(first.challenge, new RegExp(`^Bearer realm="mcp", resource_metadata="${metadataUrl.replace(/[.]/g, '\\.')}"`));
  const urls = seen.map((s) => s.url);
  assert.ok(urls.includes(metadataUrl), urls.join('\n'));
  assert.ok(urls.includes(`${ENTRA}/${TENANT}/v2.0/.well-known/openid-configuration`), urls.join('\n'));
  assert.ok(urls.includes(`${ENTRA}/${TENANT}/oauth2/v2.0/token`), urls.join('\n'));
  assert.deepEqual(authorityLog.at(-1), { client: id, scope: `api://${API}/.default`, resource: null });
});

test('the metadata names the tenant\'s v2 authority (RFC 9728 members)', async () => {
  const response = await fetch(new URL('/.well-known/oauth-protected-resource', mcpUrl));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await response.json(), {
    resource: mcpUrl.origin,
    authorization_servers: [AUTHORITY],
    bearer_methods_supported: ['header'],
    dpop_signing_alg_values_supported: ['ES256', 'ES384', 'EdDSA', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  });
});

test('a token without the app role gets 403 insufficient_scope, and no tool runs', async () => {
  const [, id] = Object.keys(CLIENTS);
  const { mcp, transport, seen } = client(id);
  await assert.rejects(mcp.connect(transport));
  const refused = seen.filter((s) => s.url === mcpUrl.href && s.status === 403);
  assert.ok(refused.length >= 1, JSON.stringify(seen));
  assert.match(refused[0].challenge, /error="insufficient_scope", error_description="ERR_ROLE_MISSING: required role is missing"/);
  assert.ok(!seen.some((s) => s.url === mcpUrl.href && s.status === 200));
});

test('a client that sends `resource` beside the v2 scope is refused by the authority (AADSTS9010010)', async () => {
  const [id] = Object.keys(CLIENTS);
  const { mcp, transport } = client(id, ClientCredentialsProvider);
  await assert.rejects(mcp.connect(transport));
  assert.deepEqual(authorityLog.at(-1), { client: id, scope: `api://${API}/.default`, resource: mcpUrl.origin });
});
