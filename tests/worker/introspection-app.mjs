// A test Worker whose API takes opaque tokens: each is introspected at the
// authorization server (ENDPOINT, as ACCEPT says: json or jwt) and checked by
// the policy; the answer comes back as the response body.
import { introspection } from '@jwtguard/jwtguard';
import { protect } from '@jwtguard/jwtguard/worker';

export default {
  fetch: protect(
    (env) => ({
      issuer: env.ISSUER,
      audience: env.AUDIENCE,
      scopes: [env.SCOPE],
      introspection: introspection({
        endpoint: env.ENDPOINT,
        issuer: env.ISSUER,
        accept: env.ACCEPT,
        clientId: env.CLIENT_ID,
        clientSecret: env.CLIENT_SECRET,
      }),
    }),
    (request, env, ctx, auth) => Response.json({ claims: auth.claims, key: auth.key }),
  ),
};
