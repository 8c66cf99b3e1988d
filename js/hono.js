/**
 * `jwtguard/hono`: Hono middleware. Sets `c.get('auth')` to `{ claims, header, key }`.
 *
 *   import { jwtAuth } from '@jwtguard/jwtguard/hono';
 *   app.use('/api/*', jwtAuth((env) => ({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: env.JWKS })));
 */

import { authenticator } from './authenticate.js';
import { gatewayGuard } from './gateway.js';
import { toResponse, workerContext } from './worker-request.js';

/** Hono's `c.executionCtx` throws outside runtimes that have one (Node). */
function executionContext(c) {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** The successful answer's headers (`DPoP-Nonce`), on the response the route made. */
function setHeaders(c, headers) {
  for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
}

/**
 * @param {object | ((env: object) => object)} options createVerifier options, or a function of `c.env`
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, checkPreflight?: boolean }} [settings]
 */
export function jwtAuth(options, settings) {
  const guard = authenticator(options, settings, { env: true });
  return async function jwtGuardMiddleware(c, next) {
    const request = c.req.raw;
    const metadata = guard.metadata(request, c.env);
    if (metadata) return toResponse(metadata, request.method);
    if (guard.passesPreflight(request)) {
      // A CORS preflight goes on without a token check, without auth and without credentials.
      c.req.raw = guard.withoutCredentials(request);
      await next();
      return undefined;
    }
    const { auth, failure, headers } = await guard.authenticate(request, c.env, workerContext(request, executionContext(c)));
    if (failure) return toResponse(failure);
    c.set('auth', auth);
    await next();
    setHeaders(c, headers);
    return undefined;
  };
}

/**
 * Gateway rules as Hono middleware: the closest rule's requirement, then
 * `c.get('auth')` (null when no token was needed) and `c.req.raw` replaced by
 * the request to forward (claims as headers, Authorization stripped, as configured).
 * @param {Parameters<typeof gatewayGuard>[0]} config
 */
export function jwtGateway(config) {
  const guard = gatewayGuard(config);
  return async function jwtGuardGateway(c, next) {
    const request = c.req.raw;
    const { answer, request: forwarded, auth, headers } = await guard.handle(request, c.env, workerContext(request, executionContext(c)));
    if (answer) return toResponse(answer, request.method);
    c.req.raw = forwarded;
    c.set('auth', auth);
    await next();
    setHeaders(c, headers);
  };
}
