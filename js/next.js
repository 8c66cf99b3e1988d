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
import { toResponse, withHeaders } from './worker-request.js';

/**
 * @param {(request: Request, context: object) => Response | Promise<Response>} handler
 *   receives Next's context with `auth`; `auth` is null for a CORS preflight, which is passed on unchecked unless `checkPreflight` is set
 * @param {object | object[] | ((request: Request) => object | object[])} options createVerifier options, or a function of the request (per-tenant policies)
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, checkPreflight?: boolean, onRefuse?: false | ((error: unknown, request: unknown) => void) }} [settings]
 * @returns {(request: Request, context?: object) => Promise<Response>}
 */
export function withAuth(handler, options, settings) {
  if (typeof handler !== 'function') throw new JwtGuardError('ERR_POLICY_INVALID', 'withAuth(handler, options, settings?) takes the route handler first');
  const guard = authenticator(options, settings);
  return async function route(request, context) {
    const metadata = guard.metadata(request, request);
    if (metadata) return toResponse(metadata, request.method);
    // A CORS preflight carries no credentials: the handler answers it, without auth.
    if (guard.passesPreflight(request)) return handler(guard.withoutCredentials(request), { ...context, auth: null });
    const { auth, failure, headers } = await guard.authenticate(request, request);
    if (failure) return toResponse(failure, request.method);
    return withHeaders(await handler(request, { ...context, auth }), headers);
  };
}
