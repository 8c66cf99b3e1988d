/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728): the document a resource
 * server publishes at `/.well-known/oauth-protected-resource` so a client
 * (an MCP client, for one) can find the authorization server from a 401.
 */

import { JwtGuardError } from './errors.js';

/** RFC 9728 §3: the well-known path segment. */
export const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** How long clients and caches may keep the document: it changes only with a deployment. */
const MAX_AGE_SECONDS = 3600;

/** Entra's v1 issuer host, and the host of the v2 authority clients sign in with (public cloud). */
const ENTRA_V1 = /^https:\/\/sts\.windows\.net\/([^/]+)\/$/;
const ENTRA_V2_AUTHORITY = (tenant) => `https://login.microsoftonline.com/${tenant}/v2.0`;

/** A `{tenantid}` issuer accepts any allowed tenant: its authority is `organizations`. */
const TENANT_TEMPLATE = '{tenantid}';

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', `resourceMetadata: ${message}`);

const list = (value) => (value === undefined ? [] : [value].flat());
const unique = (values) => [...new Set(values)];

/**
 * The authorization servers clients sign in with for tokens of `issuers`.
 * An Entra v1 issuer stands for its tenant's v2 authority: the one the
 * policy names too (any cloud), else the public cloud's.
 */
function authoritiesOf(issuers) {
  const authorities = issuers.map((issuer) => {
    const v1 = ENTRA_V1.exec(issuer);
    if (!v1) return issuer;
    return issuers.find((other) => other !== issuer && other.endsWith(`/${v1[1]}/v2.0`)) ?? ENTRA_V2_AUTHORITY(v1[1]);
  });
  return unique(authorities.map((authority) => authority.replace(TENANT_TEMPLATE, 'organizations')));
}

/** Checks a resource identifier (RFC 9728 §1.2): an absolute https or http URL without a fragment. */
function checkResource(resource) {
  if (typeof resource !== 'string' || !URL.canParse(resource)) throw misuse('resource must be an absolute URL');
  const url = new URL(resource);
  if (!['https:', 'http:'].includes(url.protocol) || url.hash !== '') {
    throw misuse('resource must be an https (or http) URL without a fragment');
  }
  return resource;
}

/**
 * The members derived from the verifier's policy (or policies). `resource`
 * is the first https audience, else the origin the request came to.
 */
function derive(verifier, requestUrl, tokenFrom) {
  const policies = [verifier.policy].flat();
  const audiences = policies.flatMap((p) => list(p.audience));
  const scopes = policies.flatMap((p) => [...list(p.scopes), ...list(p.anyScopes).flat()]);
  const dpop = unique(policies.flatMap((p) => list(p.dpopAlgorithms)));
  return {
    resource: audiences.find((a) => a.startsWith('https://')) ?? new URL(requestUrl).origin,
    authorization_servers: authoritiesOf(policies.flatMap((p) => list(p.issuer))),
    ...(scopes.length ? { scopes_supported: unique(scopes) } : {}),
    bearer_methods_supported: ['header', ...(tokenFrom.query ? ['query'] : [])],
    ...(dpop.length ? { dpop_signing_alg_values_supported: dpop } : {}),
  };
}

/**
 * The document and the absolute URL it is served at. `setting` is `true`
 * (derived from the policy) or members merged over the derived ones (a
 * member given as `undefined` drops a derived one); its `resource` may be a
 * path (`/mcp`), on the origin the request came to. The URL is the request's
 * origin with the well-known path inserted before the resource's path (§3.1).
 * `fromRequest` says the `resource` is the request's own origin.
 * @returns {{ url: string, path: string, document: object, fromRequest: boolean }}
 */
export function resourceMetadataFor(setting, verifier, requestUrl, tokenFrom = {}) {
  const derived = derive(verifier, requestUrl, tokenFrom);
  const { origin } = new URL(requestUrl);
  const onOrigin = typeof setting.resource === 'string' && setting.resource.startsWith('/') && !setting.resource.startsWith('//');
  const document = setting === true ? derived : { ...derived, ...setting, ...(onOrigin ? { resource: `${origin}${setting.resource}` } : {}) };
  checkResource(document.resource);
  if (document.authorization_servers !== undefined && !Array.isArray(document.authorization_servers)) {
    throw misuse('authorization_servers must be an array of issuer URLs');
  }
  const suffix = new URL(document.resource).pathname.replace(/\/$/, '');
  const path = `${WELL_KNOWN}${suffix}`;
  // A resource on the request's origin came from its Host header (on Node without `origin`).
  const fromRequest = document.resource === origin || onOrigin;
  const members = Object.fromEntries(Object.entries(document).filter(([, value]) => value !== undefined));
  return { url: `${origin}${path}`, path, document: members, fromRequest };
}

/**
 * The answer to a metadata request: the document for `GET` or `HEAD` of the
 * well-known path or its resource-suffixed form, 404 for another path under
 * it (the well-known paths are public, wherever the middleware is mounted),
 * or null for any other request.
 * Shared caches may keep it unless its `resource` came from a Host header
 * the client chose (`request.hostFromClient`, the Node adapters without
 * `origin`): then it is private to the client, so a forged Host cannot
 * place another `resource` in a cache that others read.
 * @param {{ method: string, url: string, hostFromClient?: boolean }} request
 * @param {() => { path: string, document: object, fromRequest: boolean }} metadata
 */
export function metadataAnswer(request, metadata) {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  const { pathname } = new URL(request.url);
  if (pathname !== WELL_KNOWN && !pathname.startsWith(`${WELL_KNOWN}/`)) return null;
  const { path, document, fromRequest } = metadata();
  if (pathname !== WELL_KNOWN && pathname !== path) {
    return { status: 404, headers: { 'content-type': 'application/json' }, body: { error: 'not_found', code: null } };
  }
  const shared = !(fromRequest && request.hostFromClient === true);
  return {
    status: 200,
    headers: {
      'content-type': 'application/json',
      'cache-control': `${shared ? 'public' : 'private'}, max-age=${MAX_AGE_SECONDS}`,
      ...(shared ? {} : { vary: 'host' }),
      // Any web client may read it (RFC 9728 publishes it to all clients).
      'access-control-allow-origin': '*',
    },
    body: document,
  };
}
