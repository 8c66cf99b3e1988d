/**
 * `jwtguard/hono`: Hono middleware. Sets `c.get('auth')` to `{ claims, header, key }`.
 *
 *   import { jwtAuth } from 'jwtguard/hono';
 *   app.use('/api/*', jwtAuth((env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: env.JWKS })));
 */

import { authenticator } from './authenticate.js';
import { toResponse, workerContext } from './worker.js';

/** Hono's `c.executionCtx` throws outside runtimes that have one (Node). */
function executionContext(c) {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/**
 * @param {object | ((env: object) => object)} options createVerifier options, or a function of `c.env`
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object }} [settings]
 */
export function jwtAuth(options, settings) {
  const guard = authenticator(options, settings);
  return async function jwtGuardMiddleware(c, next) {
    const request = c.req.raw;
    const metadata = guard.metadata(request, c.env);
    if (metadata) return toResponse(metadata, request.method);
    const { auth, failure } = await guard.authenticate(request, c.env, workerContext(request, executionContext(c)));
    if (failure) return toResponse(failure);
    c.set('auth', auth);
    await next();
  };
}
