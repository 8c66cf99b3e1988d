/**
 * The one table of configuration names: each policy member (the core's
 * POLICY_MEMBERS) and each `entraId` option with its environment variable
 * (`fromEnv`) and its command-line flag (`jwtguard verify`), and the kind of
 * value both carry as text. `fromEnv`, the command line and the docs' tables
 * read it; a test holds it to the core's members and the preset's options,
 * so a member added without a variable or a flag fails there.
 */

import { ANY_TENANT } from '../pkg/facts.js';
import { JwtGuardError } from './errors.js';

/**
 * Kinds of value, as written in a variable (flags of kind `list` and
 * `tenants` are repeatable instead of comma-separated; `boolean` flags take
 * no value and have a `--no-` form).
 */
export const KINDS = Object.freeze({
  string: 'text',
  list: 'comma-separated list',
  tenants: '`*` or a comma-separated list of tenant GUIDs',
  seconds: 'whole number of seconds',
  bytes: 'whole number of bytes',
  boolean: '`true` or `false`',
  json: 'JSON object',
  version: '`1`, `2` or `any`',
  keys: 'JWKS URL (the flag: a JWKS file or URL)',
});

const row = (env, flag, kind, names) => Object.freeze({ env, flag, kind, ...names });

/**
 * Rows: `policy` names the policy member a row sets, `entra` the entraId
 * option (a row may set both: the same list reaches either). Entra's rows
 * for key sources (`keys`, `metadataUrl`) are the generic ones too.
 */
export const OPTION_NAMES = Object.freeze([
  row('JWT_ISSUER', 'issuer', 'list', { policy: 'issuer' }),
  row('JWT_AUDIENCE', 'audience', 'list', { policy: 'audience' }),
  row('JWT_AUDIENCE_CLAIM', 'audience-claim', 'string', { policy: 'audienceClaim' }),
  row('JWT_ALGORITHMS', 'algorithm', 'list', { policy: 'algorithms' }),
  row('JWT_TYP', 'typ', 'list', { policy: 'typ' }),
  row('JWT_CLOCK_TOLERANCE', 'tolerance', 'seconds', { policy: 'clockTolerance' }),
  row('JWT_REQUIRE_EXP', 'require-exp', 'boolean', { policy: 'requireExp' }),
  row('JWT_MAX_TOKEN_AGE', 'max-token-age', 'seconds', { policy: 'maxTokenAge' }),
  row('JWT_MAX_LIFETIME', 'max-lifetime', 'seconds', { policy: 'maxLifetime' }),
  row('JWT_SUBJECT', 'subject', 'string', { policy: 'subject' }),
  row('JWT_REQUIRED_CLAIMS', 'require-claim', 'list', { policy: 'requiredClaims' }),
  row('JWT_FORBIDDEN_CLAIMS', 'forbid-claim', 'list', { policy: 'forbiddenClaims' }),
  row('JWT_CLAIM_VALUES', 'claim-values', 'json', { policy: 'claimValues' }),
  row('JWT_ROLES_CLAIM', 'roles-claim', 'string', { policy: 'rolesClaim' }),
  row('JWT_REQUIRED_ROLES', 'require-role', 'list', { policy: 'roles', entra: 'roles' }),
  row('JWT_REQUIRED_SCOPES', 'require-scope', 'list', { policy: 'scopes', entra: 'scopes' }),
  row('JWT_ACCEPTED_ROLES', 'require-any-role', 'list', { policy: 'anyRoles', entra: 'anyRoles' }),
  row('JWT_ACCEPTED_SCOPES', 'require-any-scope', 'list', { policy: 'anyScopes', entra: 'anyScopes' }),
  row('JWT_ALLOWED_CLIENTS', 'allow-client', 'list', { policy: 'clients', entra: 'clients' }),
  row('JWT_ALLOWED_TENANTS', 'tenant-allow', 'tenants', { policy: 'tenants', entra: 'tenants' }),
  row('JWT_REQUIRE_PERMISSION', 'require-permission', 'boolean', { policy: 'requirePermission' }),
  row('JWT_DPOP_ALGORITHMS', 'dpop-algorithm', 'list', { policy: 'dpopAlgorithms' }),
  row('JWT_DPOP_MAX_AGE', 'dpop-max-age', 'seconds', { policy: 'dpopMaxAge' }),
  row('JWT_MAX_TOKEN_SIZE', 'max-token-size', 'bytes', { policy: 'maxTokenSize' }),
  row('JWT_ACR_VALUES', 'acr', 'list', { policy: 'acrValues', entra: 'acrValues' }),
  row('JWT_MAX_AUTH_AGE', 'max-auth-age', 'seconds', { policy: 'maxAuthAge', entra: 'maxAuthAge' }),
  row('JWT_AUTH_CONTEXT', 'auth-context', 'list', { policy: 'authContext', entra: 'authContext' }),
  row('JWT_JWKS_URI', 'jwks', 'keys', { entra: 'keys' }),
  row('JWT_DISCOVERY_URL', 'discovery', 'string', { entra: 'metadataUrl' }),
  row('AZURE_TENANT_ID', 'entra-tenant', 'string', { entra: 'tenant' }),
  row('AZURE_API_CLIENT_ID', 'client-id', 'string', { entra: 'clientId' }),
  row('AZURE_AUDIENCE', 'audience', 'list', { entra: 'audience' }),
  row('AZURE_API_TOKEN_VERSION', 'token-version', 'version', { entra: 'version' }),
  row('AZURE_API_CLOUD', 'cloud', 'string', { entra: 'cloud' }),
  row('AZURE_API_APP_ONLY', 'app-only', 'boolean', { entra: 'appOnly' }),
  row('AZURE_API_APP_KEYS', 'app-keys', 'boolean', { entra: 'appKeys' }),
  row('AZURE_API_B2C', 'b2c', 'json', { entra: 'b2c' }),
  row('AZURE_API_EXTERNAL_ID', 'external-id', 'json', { entra: 'externalId' }),
]);

/** Rows that only the Entra preset reads: they select it. */
export const ENTRA_ONLY = Object.freeze(OPTION_NAMES.filter((r) => r.entra && !r.policy && r.kind !== 'keys' && r.entra !== 'metadataUrl'));

const invalid = (name, why) => new JwtGuardError('ERR_POLICY_INVALID', `${name} ${why}`, { claim: name });

const WHOLE = /^[0-9]{1,15}$/;

/**
 * The value of one row from text (a variable, or one flag's value), or
 * `name` refused with why. Lists split on commas (flags pass their items
 * one by one, so a single item stays whole).
 * @param {{ kind: string }} entry
 * @param {string} text trimmed, not empty
 * @param {string} name the variable or flag, for errors
 */
export function fromText(entry, text, name) {
  switch (entry.kind) {
    case 'list':
    case 'tenants': {
      const items = text.split(',').map((item) => item.trim()).filter(Boolean);
      if (items.length === 0) throw invalid(name, 'lists nothing');
      return entry.kind === 'tenants' && items.length === 1 && items[0] === ANY_TENANT ? ANY_TENANT : items;
    }
    case 'seconds':
    case 'bytes':
      if (!WHOLE.test(text)) throw invalid(name, `must be a ${KINDS[entry.kind]}`);
      return Number(text);
    case 'boolean':
      if (text !== 'true' && text !== 'false') throw invalid(name, 'must be true or false');
      return text === 'true';
    case 'json': {
      let value;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw invalid(name, `must be a JSON object (${error.message})`);
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalid(name, 'must be a JSON object');
      return value;
    }
    case 'version':
      if (!['1', '2', 'any'].includes(text)) throw invalid(name, 'must be 1, 2 or any');
      return text === 'any' ? text : Number(text);
    default:
      return text;
  }
}

/**
 * A preset's options with policy members added by other settings (the
 * variables or flags that are not the preset's own). A member the preset
 * sets itself is refused rather than replaced, so no Entra rule (issuer,
 * algorithms, the app-only claims) is ever dropped.
 * @param {object} preset
 * @param {Record<string, unknown>} extra policy members
 * @param {(member: string) => string} nameOf the variable or flag that set a member
 * @returns {import('./index.d.ts').VerifierOptions}
 */
export function withPolicy(preset, extra, nameOf) {
  for (const member of Object.keys(extra)) {
    if (/** @type {Record<string, unknown>} */ (preset)[member] !== undefined) throw invalid(nameOf(member), `sets ${member}, which the Entra preset sets itself`);
  }
  return /** @type {import('./index.d.ts').VerifierOptions} */ ({ ...preset, ...extra });
}
