// The browser MCP client's API: the Worker of docs/middleware.md's CORS
// example, as the test wrote it to test-results/cors/ (`documented.ts`, and
// `checking.ts` with `checkPreflight: true`, served under `/checking/`).
// Every answer is recorded (`{ method, path, status, allowMethods }`, the
// last being the preflight answer's Access-Control-Allow-Methods, which only
// the example's handler sets); GET /seen lists them for the test.
import documented from '../../test-results/cors/documented.ts';
import checking from '../../test-results/cors/checking.ts';

const seen = [];

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/seen') return Response.json(seen);
    const response = await (pathname.startsWith('/checking/') ? checking : documented).fetch(request, env, ctx);
    seen.push({ method: request.method, path: pathname, status: response.status, allowMethods: response.headers.get('access-control-allow-methods') });
    return response;
  },
};
