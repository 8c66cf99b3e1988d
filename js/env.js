/**
 * fromEnv: createVerifier options from environment variables, as deployments
 * configure them (process.env in Node, the `env` object in Workers).
 *
 * Every policy member and every entraId option has its variable: the table
 * is js/option-names.js (docs/configuration.md lists it). Entra ID:
 * AZURE_TENANT_ID with AZURE_API_CLIENT_ID, AZURE_AUDIENCE and/or
 * AZURE_DEFAULT_SCOPE (`<app id uri>/.default`, which gives the audience), or
 * another AZURE_API_* variable. Any issuer: JWT_ISSUER and JWT_AUDIENCE, with
 * JWT_JWKS_URI (else discovery, at JWT_DISCOVERY_URL when set). JWT_JWKS_URI
 * and JWT_DISCOVERY_URL beside the Entra variables change only where keys come
 * from. AZURE_TENANT_ID alone is left to the Azure SDK, which reads it too;
 * any other JWT_* or AZURE_API_* name is an error, so a misspelt variable
 * never silently turns a check off. With `prefix` (e.g. `INFLUXION_`),
 * exactly the prefixed names are read, and the unknown-name rule applies to
 * the prefixed families.
 */

import { KEY_SOURCE_OPTIONS } from './keys/cache.js';
import { entraId } from './entra.js';
import { discover } from './keys/discovery.js';
import { JwtGuardError, fromCore } from './errors.js';
import { normalizePolicy } from '../pkg/jwtguard.js';
import { remoteJwks } from './keys/remote.js';
import { ENTRA_ONLY, OPTION_NAMES, fromText, withPolicy } from './option-names.js';

/** The variables besides the table's: the Entra default scope, which gives the audience. */
const DEFAULT_SCOPE = 'AZURE_DEFAULT_SCOPE';

const VARIABLES = Object.freeze([...new Set([...OPTION_NAMES.map((entry) => entry.env), DEFAULT_SCOPE])]);

/** A prefix is upper-case letters, digits and underscores, ending in an underscore. */
const PREFIX = /^[A-Z][A-Z0-9_]*_$/;

/** The suffix of an Entra default scope: `<app id uri>/.default`. */
const DEFAULT_SCOPE_SUFFIX = '/.default';

/** Name prefixes this function owns. */
const OWN_PREFIXES = Object.freeze(['JWT_', 'AZURE_API_']);

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
    return value.trim() === '' ? undefined : value.trim();
  };
  /** The table's values: `{ policy, entra }`, each member or option once it is set. */
  const policy = {};
  const entra = {};
  for (const entry of OPTION_NAMES) {
    const text = read(entry.env);
    if (text === undefined) continue;
    const value = fromText(entry, text, at(entry.env));
    if (entry.policy) policy[entry.policy] = value;
    if (entry.entra) entra[entry.entra] = value;
  }
  const named = (member) => at(OPTION_NAMES.find((entry) => entry.policy === member || entry.entra === member)?.env ?? member);

  const chosen = [...ENTRA_ONLY.map((entry) => entry.env), DEFAULT_SCOPE].find((name) => name !== 'AZURE_TENANT_ID' && read(name) !== undefined);
  if (chosen !== undefined) {
    const contradicting = ['JWT_ISSUER', 'JWT_AUDIENCE'].find((name) => read(name) !== undefined);
    if (contradicting !== undefined) {
      throw invalid(at(contradicting), `contradicts ${at(chosen)}: configure Entra ID (AZURE_*) or another issuer (JWT_ISSUER), not both`);
    }
    const defaultScope = read(DEFAULT_SCOPE);
    if (defaultScope !== undefined && (!defaultScope.endsWith(DEFAULT_SCOPE_SUFFIX) || defaultScope === DEFAULT_SCOPE_SUFFIX)) {
      throw invalid(at(DEFAULT_SCOPE), 'must be "<app id uri>/.default", such as "api://<client id>/.default"');
    }
    // The App ID URI of the default scope is the v1 audience; the client id (v2) is added by entraId.
    if (entra.audience === undefined && defaultScope !== undefined) entra.audience = [defaultScope.slice(0, -DEFAULT_SCOPE_SUFFIX.length)];
    // A JWKS URL beside the Entra variables replaces only where keys come from.
    if (entra.keys !== undefined) entra.keys = naming(() => remoteJwks(entra.keys, sourceOptions), { 'jwks url': at('JWT_JWKS_URI') });
    const presetOptions = { ...entra, ...(entra.keys === undefined ? sourceOptions : {}) };
    const entraNames = new Set(OPTION_NAMES.filter((entry) => entry.entra).map((entry) => entry.policy));
    const extra = Object.fromEntries(Object.entries(policy).filter(([member]) => !entraNames.has(member)));
    const sourceOf = Object.fromEntries(OPTION_NAMES.filter((entry) => entry.entra).map((entry) => [entry.entra, at(entry.env)]));
    if (read('AZURE_AUDIENCE') === undefined) sourceOf.audience = at(DEFAULT_SCOPE);
    const preset = naming(() => entraId(presetOptions), sourceOf);
    const options = withPolicy(preset, extra, named);
    // As for any issuer below: the core's refusals (an authContext id out of
    // range, say) name the variable now, not at createVerifier.
    for (const member of Object.keys(extra)) sourceOf[member] = named(member);
    naming(() => checkPolicy({ ...options, keys: undefined }), sourceOf);
    return options;
  }
  if (policy.issuer === undefined) {
    throw invalid(at('JWT_ISSUER'), `is required, or ${at('AZURE_TENANT_ID')} with ${at('AZURE_API_CLIENT_ID')} for Entra ID`);
  }
  if (policy.audience === undefined) throw invalid(at('JWT_AUDIENCE'), `is required with ${at('JWT_ISSUER')}`);
  const sourceOf = { ...Object.fromEntries(OPTION_NAMES.filter((entry) => entry.policy).map((entry) => [entry.policy, at(entry.env)])), 'jwks url': at('JWT_JWKS_URI') };
  // The core checks the policy here, so that its refusals (a {tenantid}
  // issuer without tenants, say) name the variable; the rules stay the core's.
  naming(() => checkPolicy(policy), sourceOf);
  if (entra.keys !== undefined && entra.metadataUrl !== undefined) throw invalid(at('JWT_DISCOVERY_URL'), `contradicts ${at('JWT_JWKS_URI')}: give one key source`);
  if (entra.keys === undefined && policy.issuer.length !== 1) throw invalid(at('JWT_ISSUER'), `names one issuer for discovery; give ${at('JWT_JWKS_URI')} for several`);
  const keys = naming(
    () => (entra.keys === undefined
      ? discover(policy.issuer[0], { ...sourceOptions, ...(entra.metadataUrl === undefined ? {} : { metadataUrl: entra.metadataUrl }) })
      : remoteJwks(entra.keys, sourceOptions)),
    sourceOf,
  );
  const stray = ENTRA_ONLY.find((entry) => entry.env !== 'AZURE_TENANT_ID' && entra[entry.entra] !== undefined);
  if (stray !== undefined) throw invalid(at(stray.env), 'applies to Entra ID only');
  return /** @type {import('./index.d.ts').VerifierOptions} */ (/** @type {unknown} */ ({ ...policy, keys }));
}
