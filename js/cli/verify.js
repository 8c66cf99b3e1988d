/** `jwtguard verify`: the same verification the servers run, with a report. */

import { ANY_TENANT, createVerifier, discover, entraId, remoteJwks } from '../node.js';
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

/**
 * Builds createVerifier options from the command-line flags. Keys come from
 * `--jwks <file|url>`, `--discovery <issuer|metadata url>` or `--entra-tenant`.
 * @param {Record<string, any>} flags parsed by the command's option table
 * @param {{ fetch?: typeof fetch }} [io] an injected fetch for key sources
 */
export async function verifierOptions(flags, { fetch } = {}) {
  const keySources = ['jwks', 'discovery', 'entra-tenant'].filter((flag) => flags[flag] !== undefined);
  const policy = flags.policy ? await readJson(flags.policy, '--policy') : {};
  const sourceOptions = fetch ? { fetch } : {};
  if (Array.isArray(policy)) return severalIssuers(policy, flags, keySources, sourceOptions);
  if (keySources.length !== 1) {
    throw new UsageError('give one of --jwks <file|url>, --discovery <url> or --entra-tenant <tenant>');
  }
  if (typeof policy !== 'object' || policy === null) {
    throw new UsageError('--policy must hold a JSON object, or an array of them (one per issuer)');
  }
  withPolicyFlags(policy, flags);

  if (flags['entra-tenant'] !== undefined) {
    if (flags.issuer?.length) throw new UsageError('--entra-tenant sets the issuer; do not give --issuer');
    const { roles, scopes, anyRoles, anyScopes, clients, tenants, ...rest } = policy;
    const preset = entraId({
      tenant: flags['entra-tenant'],
      clientId: flags['client-id'],
      audience: flags.audience?.length ? flags.audience : undefined,
      roles,
      scopes,
      anyRoles,
      anyScopes,
      clients,
      tenants,
      ...sourceOptions,
    });
    return { ...preset, ...rest };
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

/** Adds the flags that state policy (lists, tenants, tolerance, step-up) to `policy`, in place. */
function withPolicyFlags(policy, flags) {
  const lists = {
    'require-role': 'roles', 'require-scope': 'scopes', 'allow-client': 'clients', 'require-any-role': 'anyRoles', 'require-any-scope': 'anyScopes',
    acr: 'acrValues', 'auth-context': 'authContext',
  };
  for (const [flag, field] of Object.entries(lists)) {
    if (flags[flag]?.length) policy[field] = [...toList(policy[field]), ...flags[flag]];
  }
  if (flags['tenant-allow']?.length) {
    policy.tenants = flags['tenant-allow'].length === 1 && flags['tenant-allow'][0] === ANY_TENANT
      ? ANY_TENANT
      : [...toList(policy.tenants), ...flags['tenant-allow']];
  }
  for (const [flag, field] of [['tolerance', 'clockTolerance'], ['max-auth-age', 'maxAuthAge']]) {
    if (flags[flag] === undefined) continue;
    const seconds = Number(flags[flag]);
    if (!Number.isInteger(seconds) || seconds < 0) throw new UsageError(`--${flag} is a whole number of seconds`);
    policy[field] = seconds;
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
  const oneIssuer = ['issuer', 'client-id'].find((flag) => flags[flag] !== undefined && flags[flag].length !== 0);
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
  if (json) return JSON.stringify({ valid: true, ...result }, null, 2);
  const { claims, key, binding } = result;
  // With several issuers, the report names the configuration the token's issuer chose.
  const policy = Array.isArray(verifier.policy)
    ? verifier.policy.find((p) => toList(p.issuer).includes(claims.iss)) ?? verifier.policy[0]
    : verifier.policy;
  const lines = [
    `valid: signature verified (${key.alg}, kid ${key.kid ?? 'none'}) and every check of the policy passed`,
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
