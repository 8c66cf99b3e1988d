/**
 * fromEnv: createVerifier options from environment variables, as deployments
 * configure them (process.env in Node, the `env` object in Workers).
 *
 * Entra ID: AZURE_TENANT_ID with AZURE_API_CLIENT_ID, AZURE_AUDIENCE and/or
 * AZURE_DEFAULT_SCOPE (`<app id uri>/.default`, which gives the audience).
 * Any issuer: JWT_ISSUER and JWT_AUDIENCE, with JWT_JWKS_URI (else discovery).
 * Both: JWT_REQUIRED_ROLES, JWT_REQUIRED_SCOPES (all of), JWT_ACCEPTED_ROLES,
 * JWT_ACCEPTED_SCOPES (one of), JWT_ALLOWED_CLIENTS, JWT_ALLOWED_TENANTS
 * (`*` or tenant GUIDs; required for a multi-tenant issuer), and step-up:
 * JWT_ACR_VALUES, JWT_MAX_AUTH_AGE (seconds), JWT_AUTH_CONTEXT (`c1`…`c99`).
 * Lists are comma-separated. AZURE_TENANT_ID alone is left to the Azure SDK,
 * which reads it too; any other JWT_* or AZURE_API_* name is an error, so a
 * misspelt variable never silently turns a check off. With `prefix` (e.g.
 * `INFLUXION_`), exactly the prefixed names are read, and the unknown-name
 * rule applies to the prefixed families.
 */

import { ANY_TENANT } from '../pkg/facts.js';
import { KEY_SOURCE_OPTIONS } from './keys/cache.js';
import { entraId } from './entra.js';
import { discover } from './keys/discovery.js';
import { JwtGuardError, fromCore } from './errors.js';
import { normalizePolicy } from '../pkg/jwtguard.js';
import { remoteJwks } from './keys/remote.js';

const VARIABLES = Object.freeze([
  'AZURE_TENANT_ID', 'AZURE_API_CLIENT_ID', 'AZURE_AUDIENCE', 'AZURE_DEFAULT_SCOPE',
  'JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URI',
  'JWT_REQUIRED_ROLES', 'JWT_REQUIRED_SCOPES', 'JWT_ACCEPTED_ROLES', 'JWT_ACCEPTED_SCOPES',
  'JWT_ALLOWED_CLIENTS', 'JWT_ALLOWED_TENANTS', 'JWT_ACR_VALUES', 'JWT_MAX_AUTH_AGE', 'JWT_AUTH_CONTEXT',
]);

/** A whole number of seconds, as a variable writes it. */
const WHOLE_SECONDS = /^[0-9]{1,15}$/;

/** A prefix is upper-case letters, digits and underscores, ending in an underscore. */
const PREFIX = /^[A-Z][A-Z0-9_]*_$/;

/** The suffix of an Entra default scope: `<app id uri>/.default`. */
const DEFAULT_SCOPE_SUFFIX = '/.default';

/** Name prefixes this function owns. */
const OWN_PREFIXES = Object.freeze(['JWT_', 'AZURE_API_']);

/** Which variable feeds which option, to name the variable in errors. */
const SOURCE_OF = Object.freeze({
  tenant: 'AZURE_TENANT_ID',
  tenants: 'JWT_ALLOWED_TENANTS',
  clientId: 'AZURE_API_CLIENT_ID',
  issuer: 'JWT_ISSUER',
  'jwks url': 'JWT_JWKS_URI',
  roles: 'JWT_REQUIRED_ROLES',
  scopes: 'JWT_REQUIRED_SCOPES',
  anyRoles: 'JWT_ACCEPTED_ROLES',
  anyScopes: 'JWT_ACCEPTED_SCOPES',
  clients: 'JWT_ALLOWED_CLIENTS',
  acrValues: 'JWT_ACR_VALUES',
  maxAuthAge: 'JWT_MAX_AUTH_AGE',
  authContext: 'JWT_AUTH_CONTEXT',
});

const invalid = (variable, why) =>
  new JwtGuardError('ERR_POLICY_INVALID', `${variable} ${why}`, { claim: variable });

/** The core's verdict on a policy (without keys); throws its ERR_POLICY_INVALID. */
function checkPolicy(policy) {
  try {
    normalizePolicy(JSON.stringify(policy));
  } catch (error) {
    throw fromCore(error);
  }
}

/** Rethrows a configuration error of `build` naming the variable it came from. */
function naming(build, sourceOf) {
  try {
    return build();
  } catch (error) {
    const variable = sourceOf[error?.claim];
    if (error?.code !== 'ERR_POLICY_INVALID' || variable === undefined) throw error;
    throw invalid(variable, `is invalid: ${error.detail}`);
  }
}

/**
 * createVerifier options from environment variables.
 * @param {Readonly<Record<string, string | undefined>>} env
 * @param {import('./index.d.ts').FromEnvOptions} [options] `prefix`, and the key source's options
 * @returns {import('./index.d.ts').VerifierOptions}
 */
export function fromEnv(env, options = {}) {
  if (!env || typeof env !== 'object') throw invalid('env', 'must be an object of environment variables');
  const { prefix = '', ...sourceOptions } = options ?? {};
  if (typeof prefix !== 'string' || (prefix !== '' && !PREFIX.test(prefix))) {
    throw invalid('prefix', 'must be upper-case letters, digits and underscores ending in "_", such as "MYAPP_"');
  }
  const unknownOption = Object.keys(sourceOptions).find((name) => !KEY_SOURCE_OPTIONS.includes(name));
  if (unknownOption !== undefined) throw invalid(JSON.stringify(unknownOption), 'is not a key-source option or prefix');
  const known = VARIABLES.map((name) => prefix + name);
  for (const name of Object.keys(env)) {
    if (OWN_PREFIXES.some((family) => name.startsWith(prefix + family)) && !known.includes(name)) {
      throw invalid(name, `is not a known variable; known: ${known.join(', ')}`);
    }
  }
  const at = (name) => prefix + name;
  const read = (name) => {
    const value = env[at(name)];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw invalid(at(name), 'must be a string');
    return value.trim();
  };
  const list = (name) => {
    const value = read(name);
    if (value === undefined) return undefined;
    const items = value.split(',').map((item) => item.trim()).filter(Boolean);
    if (items.length === 0) throw invalid(at(name), 'lists nothing');
    return items;
  };
  const seconds = (name) => {
    const value = read(name);
    if (value === undefined) return undefined;
    if (!WHOLE_SECONDS.test(value)) throw invalid(at(name), 'must be a whole number of seconds');
    return Number(value);
  };
  const tenantList = list('JWT_ALLOWED_TENANTS');
  const tenants = tenantList?.length === 1 && tenantList[0] === ANY_TENANT ? ANY_TENANT : tenantList;
  const checks = {
    roles: list('JWT_REQUIRED_ROLES'),
    scopes: list('JWT_REQUIRED_SCOPES'),
    anyRoles: list('JWT_ACCEPTED_ROLES'),
    anyScopes: list('JWT_ACCEPTED_SCOPES'),
    clients: list('JWT_ALLOWED_CLIENTS'),
    acrValues: list('JWT_ACR_VALUES'),
    maxAuthAge: seconds('JWT_MAX_AUTH_AGE'),
    authContext: list('JWT_AUTH_CONTEXT'),
  };
  const defined = (object) => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  const sourceOf = Object.fromEntries(Object.entries(SOURCE_OF).map(([option, name]) => [option, at(name)]));

  const entra = ['AZURE_API_CLIENT_ID', 'AZURE_AUDIENCE', 'AZURE_DEFAULT_SCOPE'].find((name) => read(name) !== undefined);
  const issuer = read('JWT_ISSUER');
  if (entra !== undefined) {
    const contradicting = ['JWT_ISSUER', 'JWT_AUDIENCE', 'JWT_JWKS_URI'].find((name) => read(name) !== undefined);
    if (contradicting !== undefined) {
      throw invalid(at(contradicting), `contradicts ${at(entra)}: configure Entra ID (AZURE_*) or another issuer (JWT_ISSUER), not both`);
    }
    if (read('AZURE_TENANT_ID') === undefined) throw invalid(at('AZURE_TENANT_ID'), `is required with ${at(entra)}`);
    const defaultScope = read('AZURE_DEFAULT_SCOPE');
    if (defaultScope !== undefined && (!defaultScope.endsWith(DEFAULT_SCOPE_SUFFIX) || defaultScope === DEFAULT_SCOPE_SUFFIX)) {
      throw invalid(at('AZURE_DEFAULT_SCOPE'), 'must be "<app id uri>/.default", such as "api://<client id>/.default"');
    }
    // The App ID URI of the default scope is the v1 audience; the client id (v2) is added by entraId.
    const audience = list('AZURE_AUDIENCE') ?? (defaultScope && [defaultScope.slice(0, -DEFAULT_SCOPE_SUFFIX.length)]);
    return naming(() => {
      const options = entraId(defined({
        tenant: read('AZURE_TENANT_ID'),
        clientId: read('AZURE_API_CLIENT_ID'),
        audience,
        tenants,
        ...checks,
        ...sourceOptions,
      }));
      // As for any issuer below: the core's refusals name the variable now.
      checkPolicy({ ...options, keys: undefined });
      return options;
    }, { ...sourceOf, audience: at(read('AZURE_AUDIENCE') === undefined ? 'AZURE_DEFAULT_SCOPE' : 'AZURE_AUDIENCE') });
  }
  if (issuer === undefined) {
    throw invalid(at('JWT_ISSUER'), `is required, or ${at('AZURE_TENANT_ID')} with ${at('AZURE_API_CLIENT_ID')} for Entra ID`);
  }
  const audience = list('JWT_AUDIENCE');
  if (audience === undefined) throw invalid(at('JWT_AUDIENCE'), `is required with ${at('JWT_ISSUER')}`);
  // The core checks the policy here, so that its refusals (a {tenantid}
  // issuer without tenants, say) name the variable; the rules stay the core's.
  naming(() => checkPolicy(defined({ issuer, audience, tenants, ...checks })), sourceOf);
  const jwksUri = read('JWT_JWKS_URI');
  const keys = naming(
    () => (jwksUri === undefined ? discover(issuer, sourceOptions) : remoteJwks(jwksUri, sourceOptions)),
    sourceOf,
  );
  return /** @type {import('./index.d.ts').VerifierOptions} */ (defined({ issuer, audience, keys, tenants, ...checks }));
}
