/**
 * `jwtguard introspect`: asks the authorization server about an opaque
 * token (RFC 7662, or RFC 9701 with --accept jwt), authenticating as the
 * resource server's client as `jwtguard token` does, and checks the answer
 * with the same code and policy as the servers.
 */

import { introspection } from '../node.js';
import { UsageError, readText } from './io.js';
import { withPolicyFlags } from './verify.js';

const toList = (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * createVerifier options for the flags: the policy flags, and an
 * introspection source with the client's secret or private key.
 * @param {Record<string, any>} flags parsed by the command's option table
 * @param {{ env: Record<string, string | undefined>, fetch?: typeof fetch }} io
 */
export async function introspectionOptions(flags, { env, fetch }) {
  const issuer = toList(flags.issuer);
  if (issuer.length !== 1) throw new UsageError('give one --issuer: the authorization server');
  if (!flags.audience?.length) throw new UsageError('give --audience');
  if (!flags['client-id']) throw new UsageError('give --client-id: the resource server\'s client at the authorization server');
  const secret = flags['client-secret'] ?? env.JWTGUARD_CLIENT_SECRET;
  if ((secret === undefined) === (flags.key === undefined)) {
    throw new UsageError('give --client-secret (or JWTGUARD_CLIENT_SECRET), or --key <private key pem>');
  }
  const secretAuth = flags['secret-auth'] ?? 'basic';
  if (!['basic', 'post'].includes(secretAuth)) throw new UsageError('--secret-auth is basic or post');
  const accept = flags.accept ?? 'json';
  if (!['json', 'jwt'].includes(accept)) throw new UsageError('--accept is json or jwt');
  let timeout;
  if (flags.timeout !== undefined) {
    timeout = Number(flags.timeout);
    if (!(timeout > 0 && timeout <= 300)) throw new UsageError('--timeout is a number of seconds between 0 and 300');
  }
  const source = introspection({
    issuer: issuer[0],
    ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
    clientId: flags['client-id'],
    ...(secret === undefined
      ? { privateKey: await readText(flags.key, '--key'), ...(flags.kid === undefined ? {} : { kid: flags.kid }) }
      : { clientSecret: secret, authMethod: secretAuth === 'post' ? 'client_secret_post' : 'client_secret_basic' }),
    accept,
    // One question per run: nothing to keep.
    cacheTtl: 0,
    inactiveTtl: 0,
    ...(timeout === undefined ? {} : { timeout }),
    ...(fetch === undefined ? {} : { fetch }),
  });
  return { ...withPolicyFlags({}, flags), issuer: issuer[0], audience: flags.audience, introspection: source };
}
