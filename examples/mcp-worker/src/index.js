// An MCP server on Cloudflare Workers: the MCP SDK over Streamable HTTP at
// /mcp (stateless: one server per request), protected by jwtguard's Entra ID
// preset with an app role. Unauthenticated clients get a 401 naming the
// RFC 9728 metadata, which jwtguard serves at
// /.well-known/oauth-protected-resource and derives from the policy; the
// metadata names the tenant's v2 authority, where the MCP client gets a token.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { entraId } from '@jwtguard/jwtguard';
import { protect, workersStore } from '@jwtguard/jwtguard/worker';
import { z } from 'zod';

/** The MCP server for one request, with tools that may read the caller's verified claims. */
function mcpServer(auth) {
  const server = new McpServer({ name: 'jwtguard-tasks', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: 'The calling application, as its access token says', inputSchema: {} },
    async () => ({ content: [{ type: 'text', text: JSON.stringify({ client: auth.claims.azp, roles: auth.claims.roles }) }] }),
  );
  server.registerTool(
    'add',
    { description: 'Adds two numbers', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  return server;
}

export default {
  fetch: protect(
    (env) => entraId({
      tenant: env.ENTRA_TENANT_ID,
      clientId: env.ENTRA_CLIENT_ID,
      // Daemon clients: app-only v2 tokens carrying the app role.
      version: 2,
      appOnly: true,
      roles: [env.MCP_ROLE],
      store: workersStore(),
    }),
    async (request, env, ctx, auth) => {
      if (new URL(request.url).pathname !== '/mcp') return new Response('not found', { status: 404 });
      const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      await mcpServer(auth).connect(transport);
      return transport.handleRequest(request);
    },
    { realm: 'mcp', resourceMetadata: true },
  ),
};
