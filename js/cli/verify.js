/** `jwtguard verify`: the same verification the servers run, with a report. */

import { parseEnv } from 'node:util';
import { ANY_TENANT, createVerifier, discover, entraId, fromEnv, remoteJwks } from '../node.js';
import { ENTRA_ONLY, OPTION_NAMES, fromText, withPolicy } from '../option-names.js';
import { TIME_CLAIMS } from '../display/explain.js';
import { isNumericDate, timePhrase } from '../display/time.js';
import { formatTime } from './format.js';
import { UsageError, readJson, readJwks, readText } from './io.js';

/**
 * Whether `url` is a metadata document's URL rather than an issuer: its path
 * has an OpenID Connect or RFC 8414 well-known name (appended, or with the
 * issuer's path inserted after it).
 */
const isMetadataUrl = (url) => /\/\.well-known\/(?:openid-configuration|oauth-authorization-server)(?:\/|$)/.test(url);

/** Codes that mean the keys could not be had: not a verdict on the token. */
const KEY_LOADING_CODES = new Set(['ERR_JWKS_INVALID', 'ERR_JWKS_FETCH_FAILED', 'ERR_JWKS_TIMEOUT', 'ERR_DISCOVERY_INVALID']);

/** Where a configuration's keys came from (a file flag), to name it when they are unusable. */
const keysFrom = new WeakMap();

/** The keys could not be loaded, named by their file or URL: exit 1, not "rejected". */
export class KeysUnavailableError extends Error {
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'KeysUnavailableError';
  }
}

const toList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isUrl = (text) => /^https?:\/\//i.test(text);

/** The flags of the table's rows that select the Entra preset (not shared with a policy member's flag). */
const POLICY_FLAGS = new Set(OPTION_NAMES.filter((entry) => entry.policy).map((entry) => entry.flag));
const ENTRA_FLAGS = ENTRA_ONLY.filter((entry) => !POLICY_FLAGS.has(entry.flag));

/** Every flag that states configuration: with `--env` none of them may be given. */
const CONFIGURATION_FLAGS = [...new Set([...OPTION_NAMES.map((entry) => entry.flag), 'policy'])];

/**
 * parseArgs options for the table's flags: lists repeat, booleans take no
 * value (with a `--no-` form), the rest take one value.
 */
export const OPTION_FLAGS = Object.freeze(Object.fromEntries(OPTION_NAMES.map((entry) => [entry.flag, entry.kind === 'boolean'
  ? { type: 'boolean' }
  : { type: 'string', ...(['list', 'tenants'].includes(entry.kind) ? { multiple: true } : {}) }])));

/** A flag's value by its row's kind: lists as given (one item per flag), text parsed, booleans as they are. */
function flagValue(entry, value) {
  if (typeof value === 'boolean' || Array.isArray(value)) return value;
  return fromText(entry, value.trim(), `--${entry.flag}`);
}

/**
 * The variables of the environment, with those of `--env-file` (read as
 * Node's `--env-file` reads them) over them.
 */
async function environment(flags, env) {
  if (flags['env-file'] === undefined) return env;
  return { ...env, ...parseEnv(await readText(flags['env-file'], '--env-file')) };
}

/**
 * Builds createVerifier options from the command-line flags. Keys come from
 * `--jwks <file|url>`, `--discovery <issuer|metadata url>` or Entra ID's
 * discovery (`--entra-tenant`, where `--jwks` or `--discovery` replace only
 * where the keys come from); with `--env`, from the environment, exactly as
 * `fromEnv` reads it.
 * @param {Record<string, any>} flags parsed by the command's option table
 * @param {{ fetch?: typeof fetch, env?: Record<string, string | undefined> }} [io] an injected fetch for key sources; the environment for `--env`
 */
export async function verifierOptions(flags, { fetch, env = {} } = {}) {
  const sourceOptions = fetch ? { fetch } : {};
  if (flags.env) {
    const given = CONFIGURATION_FLAGS.find((flag) => flags[flag] !== undefined && flags[flag].length !== 0);
    if (given !== undefined) throw new UsageError(`--env reads the configuration from the environment, as the server's fromEnv does; do not give --${given}`);
    return fromEnv(await environment(flags, env), { ...sourceOptions, ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }) });
  }
  const unused = ['env-file', 'prefix'].find((flag) => flags[flag] !== undefined);
  if (unused !== undefined) throw new UsageError(`--${unused} goes with --env`);
  const keySources = ['jwks', 'discovery'].filter((flag) => flags[flag] !== undefined);
  const entra = ENTRA_FLAGS.some((entry) => flags[entry.flag] !== undefined);
  const policy = flags.policy ? await readJson(flags.policy, '--policy') : {};
  if (Array.isArray(policy)) return severalIssuers(policy, flags, flags['entra-tenant'] === undefined ? keySources : [...keySources, 'entra-tenant'], sourceOptions);
  if (keySources.length > 1 || (keySources.length === 0 && !entra)) {
    throw new UsageError('give one of --jwks <file|url>, --discovery <url> or --entra-tenant <tenant>');
  }
  if (typeof policy !== 'object' || policy === null) {
    throw new UsageError('--policy must hold a JSON object, or an array of them (one per issuer)');
  }
  withPolicyFlags(policy, flags);

  if (entra) {
    if (flags.issuer?.length) throw new UsageError('--entra-tenant sets the issuer; do not give --issuer');
    const presetOptions = {};
    const rest = { ...policy };
    for (const entry of OPTION_NAMES.filter((each) => each.entra && each.kind !== 'keys' && each.entra !== 'metadataUrl')) {
      if (entry.policy) {
        presetOptions[entry.entra] = rest[entry.policy];
        delete rest[entry.policy];
      } else if (flags[entry.flag] !== undefined && (entry.flag !== 'audience' || flags.audience.length)) {
        presetOptions[entry.entra] = flagValue(entry, flags[entry.flag]);
      }
    }
    if (flags.discovery !== undefined && !isMetadataUrl(flags.discovery)) {
      throw new UsageError('with --entra-tenant, --discovery is the url of a metadata document (…/.well-known/openid-configuration) whose issuer is the tenant\'s');
    }
    const keys = flags.jwks === undefined ? undefined : isUrl(flags.jwks) ? remoteJwks(flags.jwks, sourceOptions) : await readJwks(flags.jwks, '--jwks');
    const preset = entraId(Object.fromEntries(Object.entries({
      ...presetOptions,
      ...(keys === undefined ? sourceOptions : { keys }),
      metadataUrl: flags.discovery,
    }).filter(([, value]) => value !== undefined)));
    const flagOf = (member) => `--${OPTION_NAMES.find((entry) => entry.policy === member)?.flag ?? member}`;
    const options = withPolicy(preset, rest, flagOf);
    if (keys !== undefined && !isUrl(flags.jwks)) keysFrom.set(options, `--jwks ${flags.jwks}`);
    return options;
  }

  const options = { ...policy };
  for (const field of ['issuer', 'audience']) {
    if (flags[field]?.length) options[field] = [...toList(options[field]), ...flags[field]];
  }
  if (flags.discovery !== undefined) {
    const metadata = isMetadataUrl(flags.discovery);
    if (!options.issuer) {
      if (metadata) throw new UsageError('--discovery with a metadata url needs --issuer');
      options.issuer = flags.discovery;
    }
    const [issuer, ...others] = toList(options.issuer);
    if (others.length) throw new UsageError('--discovery checks one issuer; give one --issuer');
    options.keys = discover(issuer, { ...(metadata ? { metadataUrl: flags.discovery } : {}), ...sourceOptions });
  } else if (isUrl(flags.jwks)) {
    options.keys = remoteJwks(flags.jwks, sourceOptions);
  } else {
    options.keys = await readJwks(flags.jwks, '--jwks');
    keysFrom.set(options, `--jwks ${flags.jwks}`);
  }
  if (!options.issuer) throw new UsageError('give --issuer (or a --policy with one)');
  if (!options.audience) throw new UsageError('give --audience (or a --policy with one)');
  return options;
}

/**
 * Adds the flags that state policy members (every row of the table with a
 * policy member, but the issuer and audience) to `policy`, in place: lists
 * add to the policy file's, other values replace them.
 */
export function withPolicyFlags(policy, flags) {
  for (const entry of OPTION_NAMES) {
    if (!entry.policy || ['issuer', 'audience'].includes(entry.policy) || flags[entry.flag] === undefined) continue;
    const value = flags[entry.flag];
    if (entry.kind === 'tenants') {
      policy.tenants = value.length === 1 && value[0] === ANY_TENANT ? ANY_TENANT : [...toList(policy.tenants), ...value];
    } else if (entry.kind === 'list') {
      if (value.length) policy[entry.policy] = [...toList(policy[entry.policy]), ...value];
    } else {
      policy[entry.policy] = flagValue(entry, value);
    }
  }
  return policy;
}

/**
 * `--policy` holding an array: one configuration per issuer, each with its
 * own `keys` (a JWKS file, a JWKS url, or a metadata url with
 * /.well-known/openid-configuration or /.well-known/oauth-authorization-server).
 * Key flags do not apply.
 */
async function severalIssuers(policies, flags, keySources, sourceOptions) {
  if (keySources.length > 0) throw new UsageError('with a --policy array, each policy names its own "keys"; do not give --jwks, --discovery or --entra-tenant');
  if (policies.length === 0) throw new UsageError('the --policy array is empty');
  // --issuer and --client-id name one issuer: with an array they would be
  // dropped, so they are refused. The other policy flags (--audience, the
  // lists, --tenant-allow, --tolerance) add to every entry, never silently
  // ignored.
  const oneIssuer = ['issuer', ...ENTRA_FLAGS.map((entry) => entry.flag)].find((flag) => flags[flag] !== undefined && flags[flag].length !== 0);
  if (oneIssuer !== undefined) throw new UsageError(`with a --policy array, each policy names its own issuer; do not give --${oneIssuer}`);
  return Promise.all(policies.map(async (entry, index) => {
    if (typeof entry !== 'object' || entry === null || typeof entry.keys !== 'string') {
      throw new UsageError(`--policy[${index}] must be an object with "keys": a JWKS file, a JWKS url or a discovery url`);
    }
    const { keys, ...policy } = withPolicyFlags({ ...entry }, flags);
    if (flags.audience?.length) policy.audience = [...toList(policy.audience), ...flags.audience];
    const [issuer] = toList(policy.issuer);
    let source;
    if (isMetadataUrl(keys)) source = discover(issuer, { metadataUrl: keys, ...sourceOptions });
    else if (isUrl(keys)) source = remoteJwks(keys, sourceOptions);
    else source = await readJwks(keys, `--policy[${index}].keys`);
    const entryOptions = { ...policy, keys: source };
    keysFrom.set(entryOptions, `--policy[${index}].keys ${keys}`);
    return entryOptions;
  }));
}

/**
 * What `--dpop`, `--method`, `--url` and `--client-cert` say about how the
 * token was presented, or null for a plain bearer token.
 * @returns {Promise<{ dpop?: { proof: string, method: string, url: string }, certificate?: string } | null>}
 */
export async function presentationOf(flags) {
  const dpopFlags = ['dpop', 'method', 'url'].filter((flag) => flags[flag] !== undefined);
  if (dpopFlags.length !== 0 && dpopFlags.length !== 3) throw new UsageError('--dpop, --method and --url go together');
  const certificate = flags['client-cert'] === undefined ? undefined : await readText(flags['client-cert'], '--client-cert');
  if (dpopFlags.length === 0 && certificate === undefined) return null;
  return {
    ...(dpopFlags.length ? { dpop: { proof: flags.dpop, method: flags.method, url: flags.url } } : {}),
    ...(certificate === undefined ? {} : { certificate }),
  };
}

/**
 * Verifies and returns the report to print; throws JwtGuardError when rejected.
 * With a `presentation` the token is checked as a request would present it.
 * @returns {Promise<string>}
 */
export async function verifyCommand(token, options, { json, now, presentation = null }) {
  const configurations = Array.isArray(options) ? options : [options];
  // Each configuration's key source loads first, so a key set that cannot
  // be had is reported with its file or URL before any token is judged.
  for (const configuration of configurations) {
    if (typeof configuration.keys === 'object' && configuration.keys !== null) {
      const { keys, ...policy } = configuration;
      await loadKeys(createVerifier({ ...policy, keys }), keysFrom.get(configuration) ?? sourceName(keys));
    }
  }
  const verifier = createVerifier(Array.isArray(options) ? options.map((o) => ({ ...o, now: () => now })) : { ...options, now: () => now });
  const result = presentation === null
    ? await verifier.verify(token)
    : await verifier.verifyRequest({
      method: presentation.dpop?.method ?? 'GET',
      url: presentation.dpop?.url ?? 'https://cli.invalid/',
      headers: { authorization: `${presentation.dpop ? 'DPoP' : 'Bearer'} ${token}`, ...(presentation.dpop ? { dpop: presentation.dpop.proof } : {}) },
    }, { clientCertificate: presentation.certificate });
  if (json) return JSON.stringify({ valid: true, ...result, times: timesOf(result.claims, now) }, null, 2);
  const { claims, key, binding } = result;
  // With several issuers, the report names the configuration the token's issuer chose.
  const policy = Array.isArray(verifier.policy)
    ? verifier.policy.find((p) => toList(p.issuer).includes(claims.iss)) ?? verifier.policy[0]
    : verifier.policy;
  const lines = [
    key === null
      ? 'valid: the authorization server says the token is active, and every check of the policy passed'
      : `valid: signature verified (${key.alg}, kid ${key.kid ?? 'none'}) and every check of the policy passed`,
    `  issuer    ${claims.iss}`,
    `  audience  ${JSON.stringify(claims.aud)}`,
  ];
  if (typeof claims.exp === 'number') lines.push(`  expires   ${formatTime(claims.exp, now)}`);
  if (typeof claims.iat === 'number') lines.push(`  issued    ${formatTime(claims.iat, now)}`);
  const client = claims.azp ?? claims.appid ?? claims.client_id;
  if (client !== undefined) lines.push(`  client    ${client}`);
  if (claims.tid !== undefined) lines.push(`  tenant    ${claims.tid}`);
  if (Array.isArray(claims.roles)) lines.push(`  roles     ${claims.roles.join(', ')}${policy.roles ? ` (required: ${policy.roles.join(', ')})` : ''}`);
  if (binding?.type === 'dpop') lines.push(`  bound to  the DPoP key ${binding.jkt}; the proof verified (jti ${binding.jti})`);
  if (binding?.type === 'mtls') lines.push(`  bound to  the client certificate ${binding.x5tS256}`);
  const scopes = claims.scp ?? claims.scope;
  if (scopes !== undefined) lines.push(`  scopes    ${Array.isArray(scopes) ? scopes.join(' ') : scopes}${policy.scopes ? ` (required: ${policy.scopes.join(' ')})` : ''}`);
  return lines.join('\n');
}

/** A key source's URL for messages: remote sources carry it. */
function sourceName(keys) {
  return typeof keys.url === 'string' ? keys.url : 'the key set';
}

/** `verifier.ready()`, with key-loading failures named by where the keys come from. */
async function loadKeys(verifier, name) {
  try {
    await verifier.ready();
  } catch (error) {
    if (error?.code !== undefined && KEY_LOADING_CODES.has(error.code)) {
      throw new KeysUnavailableError(`cannot load the keys from ${name}: ${error.code}: ${error.message}`, error);
    }
    throw error;
  }
}

/**
 * Each numeric time claim of `claims` as `{ at, seconds, phrase }`: seconds
 * from now (negative: past) and the phrase ("expired 3 h 12 min ago").
 * @param {Record<string, unknown>} claims
 * @param {number} now
 */
export function timesOf(claims, now) {
  return Object.fromEntries(TIME_CLAIMS.filter((name) => isNumericDate(claims?.[name])).map((name) => {
    const at = Math.floor(/** @type {number} */ (claims[name]));
    return [name, { at, seconds: at - now, phrase: timePhrase(name, at, now) }];
  }));
}

/**
 * A refused token's report: `--json`, one object for stdout; else the text
 * for stderr, the code's line then, when the refusal is about a time claim,
 * that time for people ("expired 3 h 12 min ago").
 * @param {{ code: string, claim: string | null, reason: string, detail: string | null, message: string }} error
 * @param {Record<string, unknown> | null} claims the token's unverified claims, when readable
 * @param {{ json: boolean, now: number }} how
 */
export function refusalReport(error, claims, { json, now }) {
  const times = claims ? timesOf(claims, now) : {};
  const time = error.claim !== null && Object.hasOwn(times, error.claim) ? times[error.claim] : undefined;
  if (json) {
    const { code, claim, reason, detail } = error;
    return JSON.stringify({ valid: false, code, claim, reason, detail, ...(time ? { time: { claim, ...time } } : {}) }, null, 2);
  }
  const lines = [`rejected: ${error.code}: ${error.message}`];
  if (time) lines.push(`  ${time.phrase} (${error.claim} ${new Date(time.at * 1000).toISOString().replace('.000Z', 'Z')})`);
  return lines.join('\n');
}
