// The route handler the Next.js tests call, under Node and bundled into the
// Edge Runtime (next-handlers.test.mjs): it answers with what withAuth gave it.
import { withAuth } from '@jwtguard/jwtguard/next';

/** A GET route handler behind withAuth: its answer shows `auth`, the route's params and the request's credentials. */
export function route(options, settings) {
  return withAuth(async (request, { params, auth }) => Response.json({
    sub: auth?.claims.sub ?? null,
    binding: auth?.binding ? { type: auth.binding.type, jkt: auth.binding.jkt } : null,
    params: await params,
    credentials: request.headers.has('authorization'),
  }), options, settings);
}
