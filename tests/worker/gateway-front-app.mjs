// The red-team table's Worker gateway (tests/servers/gateway.test.mjs): the
// rule table of tests/servers/gateway-config.mjs in front of the origin the
// host's first label names (`express4.gateway.test` → ORIGINS.express4).
import { gateway } from '@jwtguard/jwtguard/worker';
import { gatewayConfig } from '../servers/gateway-config.mjs';

let front;

export default {
  fetch(request, env, ctx) {
    front ??= gateway(gatewayConfig({ issuer: env.ISSUER, audience: env.AUDIENCE, keys: JSON.parse(env.JWKS) }), (forwarded) => {
      const url = new URL(forwarded.url);
      const origin = JSON.parse(env.ORIGINS)[url.hostname.split('.')[0]];
      return fetch(new Request(`${origin}${url.pathname}${url.search}`, forwarded));
    });
    return front(request, env, ctx);
  },
};
