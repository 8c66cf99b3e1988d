/**
 * `jwtguard/next`: Next.js App Router route handlers, on the Node.js and
 * Edge runtimes. The wrapped handler receives `(request, { ...context, auth })`:
 * Next's context (`params`, a Promise since Next 15) with the verified token.
 *
 *   import { withAuth } from '@jwtguard/jwtguard/next';
 *   export const GET = withAuth((request, { auth }) => Response.json(auth.claims), { issuer, audience, keys });
 */

import { authenticator } from './authenticate.js';
import { JwtGuardError } from './errors.js';
import { readOrigin } from './node-request.js';
import { checkRequest } from './request-check.js';
import { toResponse, withHeaders } from './worker-request.js';

/**
 * The request as the authentication reads it: as Next gave it, or, with the
 * `origin` setting, at that origin (the URL a DPoP proof's `htu` names and
 * RFC 9728 URLs are built from). Next rebuilds `request.url` itself: in an
 * edge route under `next start` its host is `localhost`, whatever the client called.
 */
function atOrigin(origin) {
  if (origin === null) return (request) => request;
  return (request) => {
    const { pathname, search } = new URL(request.url);
    return { method: request.method, url: `${origin}${pathname}${search}`, headers: request.headers };
  };
}

/**
 * @param {(request: Request, context: object) => Response | Promise<Response>} handler
 *   receives Next's context with `auth`; `auth` is null for a CORS preflight, which is passed on unchecked unless `checkPreflight` is set
 * @param {object | object[] | ((request: Request) => object | object[])} options createVerifier options, or a function of the request (per-tenant policies)
 * @param {{ origin?: string, realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, checkPreflight?: boolean, onRefuse?: false | ((error: unknown, request: unknown) => void) }} [settings]
 * @returns {(request: Request, context?: object) => Promise<Response>}
 */
export function withAuth(handler, options, settings = {}) {
  if (typeof handler !== 'function') throw new JwtGuardError('ERR_POLICY_INVALID', 'withAuth(handler, options, settings?) takes the route handler first');
  if (!settings || typeof settings !== 'object') throw new JwtGuardError('ERR_POLICY_INVALID', 'the middleware settings must be an object');
  const { origin, ...shared } = settings;
  const seen = atOrigin(origin === undefined ? null : readOrigin(origin));
  const guard = authenticator(options, shared);
  return async function route(request, context) {
    const outcome = await checkRequest(guard, seen(request), request);
    if ('answer' in outcome) return toResponse(outcome.answer, request.method);
    // A CORS preflight carries no credentials: the handler answers it, without auth.
    if ('preflight' in outcome) return handler(guard.withoutCredentials(request), { ...context, auth: null });
    return withHeaders(await handler(request, { ...context, auth: outcome.auth }), outcome.headers);
  };
}
