/** `jwtguard verify`: the same verification the servers run, with a report. */

import { createVerifier, discover, entraId, remoteJwks } from '../node.js';
import { formatTime } from './format.js';
import { UsageError, readJson, readText } from './io.js';

const WELL_KNOWN = '/.well-known/openid-configuration';

const toList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isUrl = (text) => /^https?:\/\//i.test(text);

/**
 * Builds createVerifier options from the command-line flags. Keys come from
 * `--jwks <file|url>`, `--discovery <issuer|metadata url>` or `--entra-tenant`.
 * @param {Record<string, unknown>} flags
 * @param {{ fetch?: typeof fetch }} [io] an injected fetch for key sources
 */
export async function verifierOptions(flags, { fetch } = {}) {
  const keySources = ['jwks', 'discovery', 'entra-tenant'].filter((flag) => flags[flag] !== undefined);
  if (keySources.length !== 1) {
    throw new UsageError('give one of --jwks <file|url>, --discovery <url> or --entra-tenant <tenant>');
  }
  const policy = flags.policy ? await readJson(flags.policy, '--policy') : {};
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw new UsageError('--policy must hold a JSON object');
  }
  const lists = { 'require-role': 'roles', 'require-scope': 'scopes', 'allow-client': 'clients' };
  for (const [flag, field] of Object.entries(lists)) {
    if (flags[flag]?.length) policy[field] = [...toList(policy[field]), ...flags[flag]];
  }
  if (flags.tolerance !== undefined) {
    const seconds = Number(flags.tolerance);
    if (!Number.isInteger(seconds) || seconds < 0) throw new UsageError('--tolerance is a whole number of seconds');
    policy.clockTolerance = seconds;
  }
  const sourceOptions = fetch ? { fetch } : {};

  if (flags['entra-tenant'] !== undefined) {
    if (flags.issuer?.length) throw new UsageError('--entra-tenant sets the issuer; do not give --issuer');
    const { roles, scopes, clients, ...rest } = policy;
    const preset = entraId({
      tenant: flags['entra-tenant'],
      clientId: flags['client-id'],
      audience: flags.audience?.length ? flags.audience : undefined,
      roles,
      scopes,
      clients,
      ...sourceOptions,
    });
    return { ...preset, ...rest };
  }

  const options = { ...policy };
  for (const field of ['issuer', 'audience']) {
    if (flags[field]?.length) options[field] = [...toList(options[field]), ...flags[field]];
  }
  if (flags.discovery !== undefined) {
    const metadata = flags.discovery.endsWith(WELL_KNOWN);
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
    options.keys = await readText(flags.jwks, '--jwks');
  }
  if (!options.issuer) throw new UsageError('give --issuer (or a --policy with one)');
  if (!options.audience) throw new UsageError('give --audience (or a --policy with one)');
  return options;
}

/**
 * Verifies and returns the report to print; throws JwtGuardError when rejected.
 * @returns {Promise<string>}
 */
export async function verifyCommand(token, options, { json, now }) {
  const verifier = createVerifier({ ...options, now: () => now });
  const result = await verifier.verify(token);
  if (json) return JSON.stringify({ valid: true, ...result }, null, 2);
  const { claims, key } = result;
  const policy = verifier.policy;
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
