/**
 * entraId: createVerifier options for access tokens from Microsoft Entra ID
 * (workforce tenants, single or multi-tenant, in the public, US Government or
 * China cloud), Azure AD B2C and Entra External ID.
 *
 * Key endpoint choice. Entra's v2 key set binds each key to an issuer
 * (`https://login.microsoftonline.com/{tenantid}/v2.0`) and the core enforces
 * that binding against the token's `iss`, so a v1 token
 * (`https://sts.windows.net/{tid}/`) never verifies with a v2 key set. The v1
 * key set holds the same keys without that binding. So:
 *   version 2      → v2 metadata and keys: the per-key issuer check applies;
 *   version 1/any  → v1 metadata and keys: v1 and v2 tokens both verify, and
 *                    the issuer is still checked exactly against the policy.
 * Set `version: 2` when the API's manifest asks for v2 tokens, to gain the
 * per-key check. docs/entra.md gathers the Entra facts this relies on.
 */

import { ANY_TENANT, ENTRA_CLOUDS, TENANT_PLACEHOLDER } from '../pkg/facts.js';
import { discover } from './keys/discovery.js';
import { anyOf, invalid, keySourceOptions, list } from './preset-options.js';

/**
 * Hosts per cloud: where metadata and the token endpoint live (`login`), and
 * the hosts of v2 and v1 issuers (docs/entra.md, "National clouds"). The
 * command line's `token --cloud` reads it too.
 */
export const CLOUDS = ENTRA_CLOUDS;

const MULTI_TENANT = Object.freeze(['organizations', 'common']);

const VERSIONS = Object.freeze([1, 2, 'any']);

/**
 * The preset's options, besides the key-source options of `discover`. `keys`
 * and `metadataUrl` change only where keys come from (a local stand-in for
 * Entra in tests): every Entra rule stays.
 */
export const ENTRA_OPTIONS = Object.freeze([
  'tenant', 'tenants', 'clientId', 'audience', 'version', 'cloud', 'roles', 'scopes', 'anyRoles',
  'anyScopes', 'clients', 'appOnly', 'appKeys', 'b2c', 'externalId', 'acrValues', 'maxAuthAge', 'authContext',
  'keys', 'metadataUrl',
]);
/** Options that only make sense for a workforce tenant. */
const WORKFORCE_ONLY = Object.freeze(['tenant', 'tenants', 'version', 'cloud', 'appKeys']);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const B2C_POLICY = /^b2c_1a?_[0-9a-z._-]+$/i;

function guid(value, option) {
  if (typeof value !== 'string' || !GUID.test(value)) throw invalid(option, 'must be a GUID');
  return value.toLowerCase();
}

function hostLabel(value, option) {
  if (typeof value !== 'string' || !HOST_LABEL.test(value)) throw invalid(option, 'must be a tenant name such as "contoso"');
  return value.toLowerCase();
}

/** Metadata URL and issuers for a workforce tenant. */
function workforce(options) {
  const { tenant, version = 'any', cloud = 'public', appKeys = false, clientId } = options;
  if (tenant === undefined) throw invalid('tenant', 'is required: a tenant GUID, "organizations" or "common" (or give b2c or externalId)');
  const multi = MULTI_TENANT.includes(tenant);
  const tid = multi ? TENANT_PLACEHOLDER : guid(tenant, 'tenant');
  if (!VERSIONS.includes(version)) throw invalid('version', 'must be 1, 2 or "any"');
  if (typeof cloud !== 'string' || !Object.hasOwn(CLOUDS, cloud)) throw invalid('cloud', 'must be "public", "usgov" or "china"');
  const hosts = CLOUDS[cloud];
  if (typeof appKeys !== 'boolean') throw invalid('appKeys', 'must be a boolean');
  if (appKeys && clientId === undefined) throw invalid('appKeys', 'needs clientId: the app-specific key set is read with ?appid=<clientId>');
  const tenants = options.tenants === ANY_TENANT
    ? ANY_TENANT
    : list(options.tenants, 'tenants')?.map((t) => guid(t, 'tenants'));
  if (tenants !== undefined && !multi) throw invalid('tenants', 'is an allow-list for tenant "organizations" or "common"');
  if (multi && tenants === undefined) {
    throw invalid('tenants', `is required with tenant "${tenant}": any Entra tenant's admin can consent to a multi-tenant app and mint app-only tokens for it that carry your roles; list the allowed tenant GUIDs (tenants: ['<guid>', …]) or accept any tenant explicitly (tenants: '*')`);
  }

  const v1 = `https://${hosts.v1}/${tid}/`;
  const v2 = `https://${hosts.v2}/${tid}/v2.0`;
  // IdentityModel maps the v1 "organizations" authority to "common" too: v1 has no organizations metadata.
  const metadataUrl = version === 2
    ? `https://${hosts.login}/${multi ? tenant : tid}/v2.0/.well-known/openid-configuration`
    : `https://${hosts.login}/${multi ? 'common' : tid}/.well-known/openid-configuration`;
  return {
    metadataUrl: appKeys ? `${metadataUrl}?appid=${encodeURIComponent(clientId)}` : metadataUrl,
    metadataIssuer: version === 2 ? v2 : v1,
    issuer: { 1: [v1], 2: [v2], any: [v1, v2] }[version],
    // Single tenant: the issuer names the tenant; `tid` must name it too.
    tenants: multi ? tenants : [tid],
  };
}

/** Metadata URL and issuer for Azure AD B2C (a user flow or custom policy). */
function b2c({ tenantName, tenantId, policy, ...rest }) {
  if (Object.keys(rest).length > 0) throw invalid('b2c', 'takes tenantName, tenantId and policy');
  const name = hostLabel(tenantName, 'b2c.tenantName');
  const id = guid(tenantId, 'b2c.tenantId');
  if (typeof policy !== 'string' || !B2C_POLICY.test(policy)) throw invalid('b2c.policy', 'must be a policy name such as "B2C_1_signin"');
  const issuer = `https://${name}.b2clogin.com/${id}/v2.0/`;
  return {
    metadataUrl: `https://${name}.b2clogin.com/${name}.onmicrosoft.com/${policy.toLowerCase()}/v2.0/.well-known/openid-configuration`,
    metadataIssuer: issuer,
    issuer: [issuer],
  };
}

/** Metadata URL and issuer for Entra External ID (CIAM): the tenant id is the issuer's host. */
function externalId({ tenantName, tenantId, ...rest }) {
  if (Object.keys(rest).length > 0) throw invalid('externalId', 'takes tenantName and tenantId');
  const name = hostLabel(tenantName, 'externalId.tenantName');
  const id = guid(tenantId, 'externalId.tenantId');
  const issuer = `https://${id}.ciamlogin.com/${id}/v2.0`;
  return {
    metadataUrl: `https://${name}.ciamlogin.com/${id}/v2.0/.well-known/openid-configuration`,
    metadataIssuer: issuer,
    issuer: [issuer],
  };
}

/**
 * Where the keys come from: Entra's metadata, unless `keys` (any
 * createVerifier key source or key set) or `metadataUrl` (a metadata document
 * elsewhere, whose issuer must still be Entra's) says otherwise.
 */
/**
 * @param {{ keys?: unknown, metadataUrl?: unknown }} options
 * @param {object} keyOptions
 * @param {{ metadataIssuer: string, metadataUrl: string }} authority
 */
function keySource({ keys, metadataUrl }, keyOptions, authority) {
  if (keys === undefined) {
    if (metadataUrl !== undefined && typeof metadataUrl !== 'string') throw invalid('metadataUrl', 'must be a URL');
    return discover(authority.metadataIssuer, { ...keyOptions, metadataUrl: metadataUrl ?? authority.metadataUrl });
  }
  if (metadataUrl !== undefined) throw invalid('keys', 'and metadataUrl cannot be combined: give one key source');
  const unused = Object.keys(keyOptions)[0];
  if (unused !== undefined) throw invalid(unused, 'is an option of the discovery keys, which keys replaces; give it to your own key source');
  return keys;
}

/**
 * createVerifier options for Entra ID access tokens.
 * @param {import('./index.d.ts').EntraIdOptions} options
 * @returns {import('./index.d.ts').VerifierOptions}
 */
export function entraId(options) {
  const keyOptions = keySourceOptions(options, ENTRA_OPTIONS, 'an entraId');

  const { clientId, appOnly = false } = options;
  if (clientId !== undefined) guid(clientId, 'clientId');
  const audience = list(options.audience, 'audience');
  if (clientId === undefined && audience === undefined) throw invalid('clientId', 'or audience is required');
  if (typeof appOnly !== 'boolean') throw invalid('appOnly', 'must be a boolean');

  const flavours = ['b2c', 'externalId'].filter((name) => options[name] !== undefined);
  if (flavours.length > 1) throw invalid('b2c', 'and externalId cannot be combined');
  const other = flavours.length === 1 ? WORKFORCE_ONLY.find((name) => options[name] !== undefined) : undefined;
  if (other !== undefined) throw invalid(other, `does not apply with ${flavours[0]}`);
  if (flavours[0] === 'b2c' && appOnly) throw invalid('appOnly', 'does not apply with b2c: B2C app permissions arrive in scp; require them with scopes');
  const flavour = options[flavours[0]];
  if (flavours.length === 1 && (!flavour || typeof flavour !== 'object')) throw invalid(flavours[0], 'must be an object');
  const authority = { b2c, externalId }[flavours[0]]?.(flavour) ?? workforce(options);

  const verifierOptions = {
    issuer: authority.issuer,
    // v2 tokens carry the client id; v1 tokens the App ID URI the client asked for.
    audience: [...(clientId === undefined ? [] : [clientId.toLowerCase()]), ...(audience ?? [`api://${clientId.toLowerCase()}`])],
    // Entra signs access tokens with RS256 only.
    algorithms: ['RS256'],
    keys: keySource(options, keyOptions, authority),
    roles: list(options.roles, 'roles'),
    scopes: list(options.scopes, 'scopes'),
    anyRoles: anyOf(options.anyRoles, 'anyRoles'),
    anyScopes: anyOf(options.anyScopes, 'anyScopes'),
    clients: list(options.clients, 'clients'),
    tenants: authority.tenants,
    // Step-up and authentication context: the core checks them like any policy member.
    acrValues: list(options.acrValues, 'acrValues'),
    maxAuthAge: options.maxAuthAge,
    authContext: list(options.authContext, 'authContext'),
    // Entra issues app-only tokens without roles when the API does not
    // require assignment: a token must carry roles or scp (or the API
    // authorises callers by clients).
    requirePermission: true,
  };
  if (appOnly) {
    // App-only tokens carry no delegated scopes; idtyp (an optional claim) says "app" when present.
    verifierOptions.forbiddenClaims = ['scp'];
    verifierOptions.claimValues = { idtyp: ['app'] };
  }
  return /** @type {import('./index.d.ts').VerifierOptions} */ (
    Object.fromEntries(Object.entries(verifierOptions).filter(([, value]) => value !== undefined))
  );
}
