/**
 * "Configure your API": from a verified token and the policy that accepted
 * it, the policy JSON, the environment variables fromEnv reads, and a
 * Cloudflare Worker configured by them that would accept the same token.
 */

import { DEFAULT_CLOCK_TOLERANCE } from '@jwtguard/jwtguard';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra ID issuers: v2.0 (login.microsoftonline.com) and v1.0 (sts.windows.net). */
const ENTRA_ISSUER = /^https:\/\/(?:login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0|sts\.windows\.net\/([0-9a-f-]{36})\/)$/i;

/** The client ID inside an Entra audience: the GUID itself or api://GUID. */
function entraClientId(audience) {
  const id = audience.startsWith('api://') ? audience.slice('api://'.length) : audience;
  return GUID.test(id) ? id : null;
}

/** The policy's `tenants` as a list (`"*"` is `["*"]`), or null when it has none. */
function tenantList(tenants) {
  const list = typeof tenants === 'string' ? [tenants] : Array.isArray(tenants) ? tenants : [];
  return list.length > 0 ? list : null;
}


/**
 * Environment variables describing `policy`, in the names fromEnv reads: the
 * Entra ID form when the policy has one Entra issuer and one audience naming
 * the API's client ID, else the generic form. Lists are comma-separated.
 * fromEnv configures one issuer, so a policy with several has no variables
 * (null).
 */
export function environment(policy) {
  if (policy.issuer.length !== 1) return null;
  const lines = [];
  const [issuer] = policy.issuer;
  const [audience] = policy.audience;
  const tenants = tenantList(policy.tenants);
  const entra = policy.audience.length === 1 ? ENTRA_ISSUER.exec(issuer) : null;
  const clientId = entra ? entraClientId(audience) : null;
  const tenant = entra ? (entra[1] ?? entra[2]).toLowerCase() : null;
  // The Entra form names one tenant, which is then the only one allowed; any
  // other tenants setting needs the generic form, which writes it out.
  const entraForm = Boolean(entra && clientId) && (tenants === null || (tenants.length === 1 && tenants[0].toLowerCase() === tenant));
  if (entraForm) {
    lines.push(`AZURE_TENANT_ID=${entra[1] ?? entra[2]}`, `AZURE_API_CLIENT_ID=${clientId}`);
    if (audience !== clientId) lines.push(`AZURE_AUDIENCE=${audience}`);
  } else {
    lines.push(`JWT_ISSUER=${issuer}`, `JWT_AUDIENCE=${policy.audience.join(',')}`);
  }
  const tolerance = policy.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE;
  if (tolerance !== DEFAULT_CLOCK_TOLERANCE) lines.push(`JWT_CLOCK_TOLERANCE=${tolerance}`);
  if (policy.maxTokenAge !== undefined) lines.push(`JWT_MAX_TOKEN_AGE=${policy.maxTokenAge}`);
  if (policy.maxAuthAge !== undefined) lines.push(`JWT_MAX_AUTH_AGE=${policy.maxAuthAge}`);
  const lists = [
    ['JWT_REQUIRED_ROLES', policy.roles], ['JWT_REQUIRED_SCOPES', policy.scopes],
    ['JWT_ACCEPTED_ROLES', policy.anyRoles], ['JWT_ACCEPTED_SCOPES', policy.anyScopes],
    ['JWT_ALLOWED_CLIENTS', policy.clients],
    ['JWT_ACR_VALUES', policy.acrValues], ['JWT_AUTH_CONTEXT', policy.authContext],
    // The Entra form's AZURE_TENANT_ID names the tenant, which fromEnv then requires itself.
    ['JWT_ALLOWED_TENANTS', entraForm ? undefined : tenants],
  ];
  for (const [name, list] of lists) {
    if (Array.isArray(list) && list.length > 0) lines.push(`${name}=${list.join(',')}`);
  }
  return lines.join('\n');
}

/** The caller's name in the example handlers: the client id in Entra, Auth0 and others, else the subject. */
const CALLER = 'claims.azp ?? claims.appid ?? claims.client_id ?? claims.sub';

/**
 * A Cloudflare Worker (the package's workerd entry and jwtguard/worker's
 * protect, as in examples/worker/) configured by those variables through
 * fromEnv, so that what the page shows and what the Worker reads agree.
 */
const WORKER = `// A Cloudflare Worker that accepts the token this page verified. Its policy
// comes from the environment variables above (wrangler.toml [vars]); the keys
// from the issuer's discovery document, or from JWT_JWKS_URI when set.
import { fromEnv } from '@jwtguard/jwtguard';
import { protect } from '@jwtguard/jwtguard/worker';

export default {
  fetch: protect(
    (env) => fromEnv(env),
    (request, env, ctx, { claims }) =>
      Response.json({ caller: ${CALLER} }),
  ),
};
`;

/** The same API on Express (jwtguard/express), configured from process.env. */
const EXPRESS = `// An Express app that accepts the token this page verified, configured by
// the same environment variables (process.env).
import express from 'express';
import { fromEnv } from '@jwtguard/jwtguard';
import { jwtAuth } from '@jwtguard/jwtguard/express';

const app = express();
app.use('/api', jwtAuth(fromEnv(process.env)));
app.get('/api/whoami', (req, res) => {
  const { claims } = req.auth;
  res.json({ caller: ${CALLER} });
});
app.listen(3000);
`;

/** The same API on Fastify (jwtguard/fastify), configured from process.env. */
const FASTIFY = `// A Fastify app that accepts the token this page verified, configured by
// the same environment variables (process.env). The plugin protects the
// routes of the context it is registered in.
import Fastify from 'fastify';
import { fromEnv } from '@jwtguard/jwtguard';
import { jwtAuth } from '@jwtguard/jwtguard/fastify';

const app = Fastify();
app.register(async (api) => {
  await api.register(jwtAuth, { options: fromEnv(process.env) });
  api.get('/whoami', async (request) => {
    const { claims } = request.auth;
    return { caller: ${CALLER} };
  });
}, { prefix: '/api' });
await app.listen({ port: 3000 });
`;

/**
 * Everything the "Configure your API" section shows for a policy that
 * verified a token; `env` and the snippets are null when fromEnv cannot express
 * the policy (several issuers).
 */
export function configuration(policy) {
  const env = environment(policy);
  return {
    policyJson: JSON.stringify(policy, null, 2),
    env,
    worker: env === null ? null : WORKER,
    express: env === null ? null : EXPRESS,
    fastify: env === null ? null : FASTIFY,
  };
}
