/** `jwtguard verify`: the same verification the servers run, with a report. */

import { createVerifier } from '../node.js';
import { formatTime } from './format.js';
import { UsageError, readJson, readText } from './io.js';

/** Builds createVerifier options from the command-line flags. */
export async function verifierOptions(flags) {
  const options = flags.policy ? await readJson(flags.policy, '--policy') : {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new UsageError('--policy must hold a JSON object');
  }
  const lists = { issuer: 'issuer', audience: 'audience', 'require-role': 'roles', 'require-scope': 'scopes', 'allow-client': 'clients' };
  for (const [flag, field] of Object.entries(lists)) {
    if (flags[flag]?.length) options[field] = [...toList(options[field]), ...flags[flag]];
  }
  if (flags.tolerance !== undefined) {
    const seconds = Number(flags.tolerance);
    if (!Number.isInteger(seconds) || seconds < 0) throw new UsageError('--tolerance is a whole number of seconds');
    options.clockTolerance = seconds;
  }
  if (!flags.jwks) throw new UsageError('give --jwks <file> with the issuer\'s key set');
  options.keys = await readText(flags.jwks, '--jwks');
  if (!options.issuer) throw new UsageError('give --issuer (or a --policy with one)');
  if (!options.audience) throw new UsageError('give --audience (or a --policy with one)');
  return options;
}

const toList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

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
