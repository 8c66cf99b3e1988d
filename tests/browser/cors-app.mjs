// The browser MCP client's API, a Worker on another origin than the page:
// `protect` in front of a handler that answers the CORS preflight itself, and
// an outer layer that adds the CORS headers a real app sends to every answer,
// refusals included, so the page can read WWW-Authenticate (exposed). Under
// `/checking/` the same with `checkPreflight: true`. Every request is
// recorded as it arrived and as the handler saw it; GET /seen (outside
// `protect`, not CORS-enabled) lists them for the test.
import { protect } from '@jwtguard/jwtguard/worker';

const options = (env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, acrValues: JSON.parse(env.ACR_VALUES), keys: env.JWKS });

/**
 * Requests in arrival order: `{ method, path, handler }`, `handler` being
 * what the handler saw (null: not reached): the claims it was given and the
 * scheme of the Authorization header that reached it.
 */
const seen = [];

/** The CORS headers of every answer to the page's origin (credentialed requests need the exact origin). */
const corsHeaders = (env) => ({
  'access-control-allow-origin': env.PAGE_ORIGIN,
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers': 'www-authenticate, dpop-nonce',
  vary: 'origin',
});

/** The app's own handler: it answers the preflight (auth null) and the checked request. */
function handler(request, env, ctx, auth) {
  seen.at(-1).handler = { auth: auth && { sub: auth.claims.sub, acr: auth.claims.acr }, authorization: request.headers.get('authorization')?.split(' ')[0] ?? null };
  if (request.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, dpop, content-type', 'access-control-max-age': '600' },
    });
  }
  return Response.json({ sub: auth.claims.sub, acr: auth.claims.acr });
}

const apps = Object.fromEntries([false, true].map((checkPreflight) => [checkPreflight, protect(options, handler, { checkPreflight })]));

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === '/seen') return Response.json(seen);
    seen.push({ method: request.method, path: pathname, handler: null });
    const answer = await apps[pathname.startsWith('/checking/')](request, env, ctx);
    const response = new Response(answer.body, answer);
    for (const [name, value] of Object.entries(corsHeaders(env))) response.headers.set(name, value);
    return response;
  },
};
