// What both routes share. generated.js is written by next.test.mjs before
// `next build`: the key set (made with jose) and the origin `next start`
// will listen on, which a DPoP proof's htu names.
import { jwks, origin } from '../generated.js';

export const ISSUER = 'https://issuer.test/tenant-1/v2.0';
export const AUDIENCE = 'api://jwtguard-tests';

export const options = { issuer: ISSUER, audience: AUDIENCE, keys: jwks, roles: ['Data.Read'] };

/** withAuth's settings: the public origin, since Next rebuilds request.url itself. */
export const settings = { origin };

/** The route's answer: whom the token names, how it was bound, and the route's params. */
export async function whoami(request, { params, auth }) {
  return Response.json({ sub: auth.claims.sub, binding: auth.binding?.type ?? null, params: await params });
}
