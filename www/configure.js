/**
 * "Configure your API": from a verified token and the policy that accepted
 * it, the policy JSON, environment variables and a Cloudflare Worker that
 * would accept the same token.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra ID issuers: v2.0 (login.microsoftonline.com) and v1.0 (sts.windows.net). */
const ENTRA_ISSUER = /^https:\/\/(?:login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0|sts\.windows\.net\/([0-9a-f-]{36})\/)$/i;

/** The client ID inside an Entra audience: the GUID itself or api://GUID. */
function entraClientId(audience) {
  const id = audience.startsWith('api://') ? audience.slice('api://'.length) : audience;
  return GUID.test(id) ? id : null;
}

/**
 * Environment variables describing `policy`, in the names of jwtguard's
 * environment configuration: the Entra ID form when the policy has one
 * Entra issuer and one audience naming the API's client ID, else the
 * generic form. Lists are comma-separated.
 */
export function environment(policy) {
  const lines = [];
  const [issuer] = policy.issuer;
  const [audience] = policy.audience;
  const entra = policy.issuer.length === 1 && policy.audience.length === 1 ? ENTRA_ISSUER.exec(issuer) : null;
  const clientId = entra ? entraClientId(audience) : null;
  if (entra && clientId) {
    lines.push(`AZURE_TENANT_ID=${entra[1] ?? entra[2]}`, `AZURE_API_CLIENT_ID=${clientId}`);
    if (audience !== clientId) lines.push(`AZURE_AUDIENCE=${audience}`);
  } else {
    lines.push(`JWT_ISSUER=${policy.issuer.join(',')}`, `JWT_AUDIENCE=${policy.audience.join(',')}`);
  }
  const lists = [['JWT_REQUIRED_ROLES', policy.roles], ['JWT_REQUIRED_SCOPES', policy.scopes], ['JWT_ALLOWED_CLIENTS', policy.clients]];
  for (const [name, list] of lists) {
    if (Array.isArray(list) && list.length > 0) lines.push(`${name}=${list.join(',')}`);
  }
  return lines.join('\n');
}

/** A Cloudflare Worker (workerd entry of the npm package) that verifies bearer tokens with `policy`. */
export function workerSnippet(policy) {
  return `// A Cloudflare Worker that accepts the token this page verified.
// The key set comes from the JWT_JWKS variable (the JWKS as JSON text).
import { createVerifier, JwtGuardError } from 'jwtguard';

const POLICY = ${JSON.stringify(policy, null, 2)};

let verifier = null;

export default {
  async fetch(request, env) {
    verifier ??= createVerifier({ ...POLICY, keys: env.JWT_JWKS });
    const [scheme, token] = (request.headers.get('authorization') ?? '').split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      return new Response('missing bearer token', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
    }
    try {
      const { claims } = await verifier.verify(token);
      return Response.json({ caller: claims.azp ?? claims.appid ?? claims.sub });
    } catch (error) {
      if (!(error instanceof JwtGuardError)) throw error;
      return Response.json({ code: error.code }, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    }
  },
};
`;
}

/** Everything the "Configure your API" section shows for a policy that verified a token. */
export function configuration(policy) {
  return {
    policyJson: JSON.stringify(policy, null, 2),
    env: environment(policy),
    worker: workerSnippet(policy),
  };
}
