// A Worker that accepts DPoP-bound and certificate-bound tokens: `protect`
// with the DpopReplayStore Durable Object as its replay store.
import { DpopReplayStore, durableObjectReplayStore, protect } from '@jwtguard/jwtguard/worker';

export { DpopReplayStore };

export default {
  fetch: protect(
    (env) => ({
      issuer: env.ISSUER,
      audience: env.AUDIENCE,
      keys: env.JWKS,
      replayStore: durableObjectReplayStore(env.REPLAY),
    }),
    (request, env, ctx, auth) => Response.json({ binding: auth.binding, sub: auth.claims.sub }),
  ),
};
