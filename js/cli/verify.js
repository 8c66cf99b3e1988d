/** `jwtguard verify`: the same verification the servers run, with a report. */

import { createVerifier, discover, entraId, remoteJwks } from '../node.js';
import { formatTime } from './format.js';
import { dirname, resolve } from 'node:path';
import { UsageError, readJson, readText } from './io.js';

const WELL_KNOWN = '/.well-known/openid-configuration';

const toList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isUrl = (text) => /^https?:\/\//i.test(text);

/** Policy flags that add to the policy (every element of a policy array). */
const LIST_FLAGS = Object.freeze({ 'require-role': 'roles', 'require-scope': 'scopes', 'allow-client': 'clients' });
/** The flags that name keys (or the issuer they belong to); one configuration's, never an array's. */
const KEY_FLAGS = Object.freeze(['jwks', 'discovery', 'entra-tenant', 'issuer', 'client-id']);
/** Policy members that go to entraId with --entra-tenant (or an element's entraTenant). */
const ENTRA_OPTIONS = Object.freeze(['roles', 'scopes', 'anyRoles', 'anyScopes', 'clients', 'tenants', 'version', 'cloud', 'appOnly', 'appKeys']);
/** Members of a policy array's element that name its keys, as the flags do. */
const KEY_MEMBERS = Object.freeze({ jwks: 'jwks', discovery: 'discovery', entraTenant: 'entra-tenant' });

/**
 * Builds createVerifier options from the command-line flags. Keys come from
 * `--jwks <file|url>`, `--discovery <issuer|metadata url>` or `--entra-tenant`.
 * A `--policy` file holding an array configures several issuers: each element
 * is a policy with its own keys (`jwks`, `discovery` or `entraTenant` with
 * `clientId`), and the result is an array of options for createVerifier.
 * @param {Record<string, unknown>} flags
 * @param {{ fetch?: typeof fetch }} [io] an injected fetch for key sources
 */
export async function verifierOptions(flags, { fetch } = {}) {
  const sourceOptions = fetch ? { fetch } : {};
  const policy = flags.policy ? await readJson(flags.policy, '--policy') : {};
  if (Array.isArray(policy)) return issuersOptions(policy, flags, sourceOptions);
  if (typeof policy !== 'object' || policy === null) {
    throw new UsageError('--policy must hold a JSON object, or an array of them (one per issuer)');
  }
  const keySources = ['jwks', 'discovery', 'entra-tenant'].filter((flag) => flags[flag] !== undefined);
  if (keySources.length !== 1) {
    throw new UsageError('give one of --jwks <file|url>, --discovery <url> or --entra-tenant <tenant>');
  }
  return configuration(withPolicyFlags(policy, flags), flags, sourceOptions, (path) => readText(path, '--jwks'));
}

/** `policy` with the flags that add to every policy: lists, tenants, tolerance. */
function withPolicyFlags(policy, flags) {
  const result = { ...policy };
  for (const [flag, field] of Object.entries(LIST_FLAGS)) {
    if (flags[flag]?.length) result[field] = [...toList(result[field]), ...flags[flag]];
  }
  if (flags['tenant-allow']?.length) result.tenants = tenantsWith(result.tenants, flags['tenant-allow']);
  if (flags.tolerance !== undefined) {
    const seconds = Number(flags.tolerance);
    if (!Number.isInteger(seconds) || seconds < 0) throw new UsageError('--tolerance is a whole number of seconds');
    result.clockTolerance = seconds;
  }
  return result;
}

/**
 * `tenants` with the `--tenant-allow` values added. `*` (any tenant, written
 * out) stays the string `'*'`; the core refuses `*` among GUIDs.
 */
function tenantsWith(tenants, allowed) {
  const all = [...toList(tenants), ...allowed];
  return all.length === 1 && all[0] === '*' ? '*' : all;
}

/**
 * One issuer's createVerifier options: `policy` (policy flags applied), with
 * keys named by `keys` (the flags, or an array element's members in the
 * flags' names). `readJwks(path)` reads a JWKS file.
 */
async function configuration(policy, keys, sourceOptions, readJwks) {
  if (keys['entra-tenant'] !== undefined) {
    if (keys.issuer?.length || policy.issuer !== undefined) throw new UsageError('--entra-tenant sets the issuer; do not give --issuer or a policy issuer');
    // The preset's own options (and the lists it checks) go to entraId; the
    // other policy members are added to what it returns.
    const presetOptions = {};
    const rest = {};
    for (const [name, value] of Object.entries(policy)) (ENTRA_OPTIONS.includes(name) ? presetOptions : rest)[name] = value;
    const preset = entraId({
      ...presetOptions,
      tenant: keys['entra-tenant'],
      clientId: keys['client-id'],
      audience: keys.audience?.length ? keys.audience : undefined,
      ...sourceOptions,
    });
    return { ...preset, ...rest };
  }

  const options = { ...policy };
  for (const field of ['issuer', 'audience']) {
    if (keys[field]?.length) options[field] = [...toList(options[field]), ...keys[field]];
  }
  if (keys.discovery !== undefined) {
    const metadata = keys.discovery.endsWith(WELL_KNOWN);
    if (!options.issuer) {
      if (metadata) throw new UsageError('--discovery with a metadata url needs --issuer');
      options.issuer = keys.discovery;
    }
    const [issuer, ...others] = toList(options.issuer);
    if (others.length) throw new UsageError('--discovery checks one issuer; give one --issuer');
    options.keys = discover(issuer, { ...(metadata ? { metadataUrl: keys.discovery } : {}), ...sourceOptions });
  } else if (isUrl(keys.jwks)) {
    options.keys = remoteJwks(keys.jwks, sourceOptions);
  } else {
    options.keys = await readJwks(keys.jwks);
  }
  if (!options.issuer) throw new UsageError('give --issuer (or a --policy with one)');
  if (!options.audience) throw new UsageError('give --audience (or a --policy with one)');
  return options;
}

/**
 * Options for several issuers from a `--policy` array. Each element names its
 * own keys: `jwks` (a file, relative to the policy file, or a URL),
 * `discovery` (the issuer or its metadata URL) or `entraTenant` (with
 * `clientId`). The policy flags add to every element; the key flags and
 * `--issuer` belong to one issuer and are refused.
 */
async function issuersOptions(elements, flags, sourceOptions) {
  const given = KEY_FLAGS.find((flag) => flags[flag] !== undefined && flags[flag].length !== 0);
  if (given !== undefined) {
    throw new UsageError(`--${given} does not apply when --policy holds an array: give each element its own issuer and keys (jwks, discovery or entraTenant)`);
  }
  if (elements.length === 0) throw new UsageError('--policy holds an empty array: give one policy per issuer');
  const base = dirname(resolve(flags.policy));
  return Promise.all(elements.map(async (element, index) => {
    const at = `--policy element ${index}`;
    if (typeof element !== 'object' || element === null || Array.isArray(element)) throw new UsageError(`${at} must be a JSON object`);
    const { jwks, discovery, entraTenant, clientId, ...policy } = element;
    const keys = { jwks, discovery, 'entra-tenant': entraTenant, 'client-id': clientId, audience: flags.audience };
    const named = Object.keys(KEY_MEMBERS).filter((member) => element[member] !== undefined);
    if (named.length !== 1) throw new UsageError(`${at}: give exactly one of "jwks" (a file or url), "discovery" (a url) or "entraTenant"`);
    for (const member of named) {
      if (typeof element[member] !== 'string' || element[member] === '') throw new UsageError(`${at}: "${member}" must be a non-empty string`);
    }
    if (clientId !== undefined && entraTenant === undefined) throw new UsageError(`${at}: "clientId" goes with "entraTenant"`);
    return configuration(withPolicyFlags(policy, flags), keys, sourceOptions, (path) => readText(resolve(base, path), `${at} jwks`));
  }));
}

/**
 * Verifies and returns the report to print; throws JwtGuardError when rejected.
 * @returns {Promise<string>}
 */
export async function verifyCommand(token, options, { json, now }) {
  const clock = (each) => ({ ...each, now: () => now });
  const verifier = createVerifier(Array.isArray(options) ? options.map(clock) : clock(options));
  const result = await verifier.verify(token);
  if (json) return JSON.stringify({ valid: true, ...result }, null, 2);
  const { claims, key } = result;
  const policy = Array.isArray(verifier.policy) ? acceptingPolicy(verifier.policy, claims) : verifier.policy;
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
  const scopes = claims.scp ?? claims.scope;
  if (scopes !== undefined) lines.push(`  scopes    ${Array.isArray(scopes) ? scopes.join(' ') : scopes}${policy.scopes ? ` (required: ${policy.scopes.join(' ')})` : ''}`);
  return lines.join('\n');
}

/** Of several issuers' policies, the one whose issuer accepted `claims` (iss, with tid for a template). */
function acceptingPolicy(policies, { iss, tid }) {
  const accepts = (issuer) => issuer === iss || (typeof tid === 'string' && issuer.replace('{tenantid}', tid.toLowerCase()) === iss);
  return policies.find((policy) => policy.issuer.some(accepts)) ?? {};
}
