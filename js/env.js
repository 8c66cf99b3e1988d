/**
 * fromEnv: createVerifier options from environment variables, as deployments
 * configure them (process.env in Node, the `env` object in Workers).
 *
 * Entra ID: AZURE_TENANT_ID with AZURE_API_CLIENT_ID and/or AZURE_AUDIENCE.
 * Any issuer: JWT_ISSUER and JWT_AUDIENCE, with JWT_JWKS_URI (else discovery).
 * Both: JWT_REQUIRED_ROLES, JWT_REQUIRED_SCOPES, JWT_ALLOWED_CLIENTS.
 * Lists are comma-separated. AZURE_TENANT_ID alone is left to the Azure SDK,
 * which reads it too; any other JWT_* or AZURE_API_* name is an error, so a
 * misspelt variable never silently turns a check off.
 */

import { KEY_SOURCE_OPTIONS } from './cache.js';
import { entraId } from './entra.js';
import { discover } from './discovery.js';
import { JwtGuardError } from './errors.js';
import { remoteJwks } from './remote.js';

const VARIABLES = Object.freeze([
  'AZURE_TENANT_ID', 'AZURE_API_CLIENT_ID', 'AZURE_AUDIENCE',
  'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URI',
  'JWT_REQUIRED_ROLES', 'JWT_REQUIRED_SCOPES', 'JWT_ALLOWED_CLIENTS',
]);

/** Name prefixes this function owns. */
const OWN_PREFIXES = Object.freeze(['JWT_', 'AZURE_API_']);

/** Which variable feeds which option, to name the variable in errors. */
const SOURCE_OF = Object.freeze({
  tenant: 'AZURE_TENANT_ID',
  clientId: 'AZURE_API_CLIENT_ID',
  issuer: 'JWT_ISSUER',
  'jwks url': 'JWT_JWKS_URI',
  roles: 'JWT_REQUIRED_ROLES',
  scopes: 'JWT_REQUIRED_SCOPES',
  clients: 'JWT_ALLOWED_CLIENTS',
});

const invalid = (variable, why) =>
  new JwtGuardError('ERR_POLICY_INVALID', `policy is invalid: ${variable} ${why}`, { claim: variable });

/** Rethrows a configuration error of `build` naming the variable it came from. */
function naming(build, sourceOf) {
  try {
    return build();
  } catch (error) {
    const variable = sourceOf[error?.claim];
    if (error?.code !== 'ERR_POLICY_INVALID' || variable === undefined) throw error;
    throw invalid(variable, `is invalid: ${error.message.replace(/^policy is invalid: /, '')}`);
  }
}

/**
 * createVerifier options from environment variables.
 * @param {Record<string, unknown>} env
 * @param {import('./index.d.ts').KeySourceOptions} [options] passed to the key source
 * @returns {import('./index.d.ts').VerifierOptions}
 */
export function fromEnv(env, options = {}) {
  if (!env || typeof env !== 'object') throw invalid('env', 'must be an object of environment variables');
  const unknownOption = Object.keys(options ?? {}).find((name) => !KEY_SOURCE_OPTIONS.includes(name));
  if (unknownOption !== undefined) throw invalid(JSON.stringify(unknownOption), 'is not a key-source option');
  for (const name of Object.keys(env)) {
    if (OWN_PREFIXES.some((prefix) => name.startsWith(prefix)) && !VARIABLES.includes(name)) {
      throw invalid(name, `is not a known variable; known: ${VARIABLES.join(', ')}`);
    }
  }
  const read = (name) => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw invalid(name, 'must be a string');
    return value.trim();
  };
  const list = (name) => {
    const value = read(name);
    if (value === undefined) return undefined;
    const items = value.split(',').map((item) => item.trim()).filter(Boolean);
    if (items.length === 0) throw invalid(name, 'lists nothing');
    return items;
  };
  const checks = { roles: list('JWT_REQUIRED_ROLES'), scopes: list('JWT_REQUIRED_SCOPES'), clients: list('JWT_ALLOWED_CLIENTS') };
  const defined = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

  const entra = ['AZURE_API_CLIENT_ID', 'AZURE_AUDIENCE'].find((name) => read(name) !== undefined);
  const issuer = read('JWT_ISSUER');
  if (entra !== undefined) {
    const contradicting = ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URI'].find((name) => read(name) !== undefined);
    if (contradicting !== undefined) {
      throw invalid(contradicting, `contradicts ${entra}: configure Entra ID (AZURE_*) or another issuer (JWT_ISSUER), not both`);
    }
    if (read('AZURE_TENANT_ID') === undefined) throw invalid('AZURE_TENANT_ID', `is required with ${entra}`);
    return naming(() => entraId(defined({
      tenant: read('AZURE_TENANT_ID'),
      clientId: read('AZURE_API_CLIENT_ID'),
      audience: list('AZURE_AUDIENCE'),
      ...checks,
      ...options,
    })), { ...SOURCE_OF, audience: 'AZURE_AUDIENCE' });
  }
  if (issuer === undefined) {
    throw invalid('JWT_ISSUER', 'is required, or AZURE_TENANT_ID with AZURE_API_CLIENT_ID for Entra ID');
  }
  const audience = list('JWT_AUDIENCE');
  if (audience === undefined) throw invalid('JWT_AUDIENCE', 'is required with JWT_ISSUER');
  const jwksUri = read('JWT_JWKS_URI');
  const keys = naming(
    () => (jwksUri === undefined ? discover(issuer, options) : remoteJwks(jwksUri, options)),
    SOURCE_OF,
  );
  return defined({ issuer, audience, keys, ...checks });
}
