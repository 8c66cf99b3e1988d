/**
 * `jwtguard/hono`: Hono middleware. Sets `c.get('auth')` to `{ claims, header, key }`.
 *
 *   import { jwtAuth } from '@jwtguard/jwtguard/hono';
 *   app.use('/api/*', jwtAuth((env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: env.JWKS })));
 */

import { authenticator } from './protect.js';

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
 * @param {{ realm?: string }} [settings]
 */
export function jwtAuth(options, settings) {
  const authenticate = authenticator(options, settings);
  return async function jwtGuardMiddleware(c, next) {
    const { auth, failure } = await authenticate(c.req.raw, c.env, executionContext(c));
    if (failure) return c.json(failure.body, failure.status, failure.headers);
    c.set('auth', auth);
    await next();
  };
}
