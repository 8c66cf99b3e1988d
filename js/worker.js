/**
 * `jwtguard/worker`: protect a Cloudflare Workers fetch handler.
 *
 *   import { protect } from 'jwtguard/worker';
 *   export default {
 *     fetch: protect((env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: env.JWKS }),
 *       (request, env, ctx, auth) => Response.json({ client: auth.claims.azp })),
 *   };
 */

import { authenticator } from './protect.js';

/**
 * @param {object | ((env: object) => object)} options createVerifier options, or a function of the Worker's env
 * @param {(request: Request, env: object, ctx: object, auth: { claims: object, header: object, key: object }) => Response | Promise<Response>} handler
 * @param {{ realm?: string }} [settings] `realm` for WWW-Authenticate (default "api")
 * @returns {(request: Request, env: object, ctx: object) => Promise<Response>}
 */
export function protect(options, handler, settings) {
  const authenticate = authenticator(options, settings);
  return async function fetch(request, env, ctx) {
    const { auth, failure } = await authenticate(request, env);
    if (failure) return Response.json(failure.body, { status: failure.status, headers: failure.headers });
    return handler(request, env, ctx, auth);
  };
}
