/**
 * `jwtguard token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4),
 * authenticating with a client secret (form post or HTTP Basic) or a signed
 * client assertion (RFC 7523, `private_key_jwt`), against any token endpoint
 * or Microsoft Entra ID by tenant.
 */

import { X509Certificate, constants, createHash, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { assertionInput, authenticateClient, base64url } from '../client-auth.js';
import { CLOUDS } from '../entra.js';
import { checkUrl, textWithin } from '../keys/fetch.js';
import { UsageError, readText } from './io.js';

/** How long to wait for the token endpoint. */
export const TOKEN_TIMEOUT_MS = 10_000;

/** Largest token endpoint response read. */
const MAX_RESPONSE_BYTES = 256 * 1024;


/**
 * Works out the token endpoint and the request's target parameter.
 * @param {Record<string, any>} flags parsed by the command's option table
 * @returns {{ endpoint: string, target: Record<string, string>, entraVersion: 1 | 2 | null }}
 */
export function tokenRequestTarget(flags) {
  if (flags['token-endpoint'] && flags.tenant) throw new UsageError('give --token-endpoint or --tenant, not both');
  if (flags['token-endpoint']) {
    // RFC 8707: a resource indicator and scopes may go together.
    /** @type {Record<string, string>} */
    const target = {};
    if (flags.scope) target.scope = flags.scope;
    if (flags.resource) target.resource = flags.resource;
    return { endpoint: endpointUrl(flags['token-endpoint']), target, entraVersion: null };
  }
  if (!flags.tenant) throw new UsageError('give --token-endpoint <url> or --tenant <tenant id>');
  if (flags.resource && flags.scope) throw new UsageError('give --resource (v1) or --scope (v2), not both');
  if (['common', 'consumers'].includes(flags.tenant.toLowerCase())) {
    // AADSTS9001023: the grant is not supported over /common or /consumers.
    throw new UsageError('client credentials need a tenant id or domain, not common or consumers');
  }
  const cloud = flags.cloud ?? 'public';
  const authority = flags.authority ?? (Object.hasOwn(CLOUDS, cloud) ? `https://${CLOUDS[cloud].login}` : undefined);
  if (!authority) throw new UsageError(`unknown --cloud ${JSON.stringify(flags.cloud)}; use public, usgov or china`);
  const base = `${endpointUrl(authority).replace(/\/$/, '')}/${encodeURIComponent(flags.tenant)}`;
  if (flags.resource) {
    return { endpoint: `${base}/oauth2/token`, target: { resource: flags.resource }, entraVersion: 1 };
  }
  if (!flags.scope) throw new UsageError('give --scope (e.g. api://<api-client-id>/.default) or --resource');
  return { endpoint: `${base}/oauth2/v2.0/token`, target: { scope: flags.scope }, entraVersion: 2 };
}

/** The library's URL rule: https only, plain http only to loopback, no credentials. */
function endpointUrl(text) {
  try {
    return checkUrl(text, 'ERR_POLICY_INVALID', 'token endpoint');
  } catch (error) {
    throw new UsageError(error.detail ?? error.message);
  }
}

/**
 * A signed client assertion (RFC 7523 §3; Entra's certificate credential format).
 * @param {{ clientId: string, audience: string, certificatePem: string, keyPem: string, alg: 'PS256' | 'RS256', now: number }} input
 */
function clientAssertion({ clientId, audience, certificatePem, keyPem, alg, now }) {
  let certificate;
  let key;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch (error) {
    throw new UsageError(`--certificate is not a PEM certificate: ${error.message}`);
  }
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    throw new UsageError(`--key is not a PEM private key: ${error.message}`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw new UsageError(`--key must be an RSA key, not ${key.asymmetricKeyType}`);
  if (!certificate.checkPrivateKey(key)) throw new UsageError('--key does not belong to --certificate');
  const thumbprint = base64url(createHash('sha256').update(certificate.raw).digest());
  const input = assertionInput({ alg, typ: 'JWT', 'x5t#S256': thumbprint }, { clientId, audience, now });
  const padding = alg === 'PS256'
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { padding: constants.RSA_PKCS1_PADDING };
  const signature = cryptoSign('sha256', Buffer.from(input), { key, ...padding });
  return `${input}.${base64url(signature)}`;
}

/** Reads a response body as text (the key sources' reader), refusing more than MAX_RESPONSE_BYTES. */
async function boundedText(response) {
  const text = await textWithin(response, MAX_RESPONSE_BYTES);
  if (text === null) throw new TokenError(`the token endpoint sent more than ${MAX_RESPONSE_BYTES} bytes`);
  return text;
}

/** A failed token request, with the endpoint's OAuth error when it sent one. */
export class TokenError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = 'TokenError';
    this.error = details.error ?? null;
    this.description = details.description ?? null;
    this.status = details.status ?? null;
  }
}

/**
 * Requests a token. `auth` is `{ kind: 'post' | 'basic', secret }` or `{ kind: 'assertion', assertion }`.
 * @returns {Promise<{ access_token: string, token_type?: string, expires_in?: number | string }>}
 */
export async function requestToken({ endpoint, target, clientId, auth, fetch, timeoutMs = TOKEN_TIMEOUT_MS }) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...target });
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  authenticateClient(form, headers, clientId, auth);
  let response;
  try {
    response = await (fetch ?? globalThis.fetch)(endpoint, {
      method: 'POST',
      headers,
      body: form.toString(),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (error?.name === 'TimeoutError') {
      throw new TokenError(`no answer from ${new URL(endpoint).origin} within ${timeoutMs / 1000} s (--timeout)`);
    }
    throw new TokenError(`cannot reach ${new URL(endpoint).origin}: ${error?.cause?.code ?? error?.message ?? error}`);
  }
  const text = await boundedText(response);
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // handled below
  }
  if (!response.ok) {
    if (body && typeof body.error === 'string') {
      throw new TokenError(`the token endpoint refused: ${body.error}`, {
        error: body.error,
        description: typeof body.error_description === 'string' ? body.error_description : null,
        status: response.status,
      });
    }
    throw new TokenError(`the token endpoint answered HTTP ${response.status}`, { status: response.status });
  }
  if (!body || typeof body.access_token !== 'string') {
    throw new TokenError('the token endpoint answered without an access_token');
  }
  return body;
}

/** Reads the secret or certificate flags into an `auth` for requestToken. */
export async function authFromFlags(flags, env, { clientId, audience, now }) {
  const secret = flags['client-secret'] ?? env.JWTGUARD_CLIENT_SECRET ?? env.AZURE_CLIENT_SECRET;
  const certificate = flags.certificate;
  if (secret !== undefined && certificate !== undefined) {
    throw new UsageError('give a client secret or --certificate/--key, not both');
  }
  if (certificate !== undefined) {
    if (!flags.key) throw new UsageError('--certificate needs --key <private key pem>');
    const alg = flags['assertion-alg'] ?? 'PS256';
    if (!['PS256', 'RS256'].includes(alg)) throw new UsageError('--assertion-alg is PS256 or RS256');
    const assertion = clientAssertion({
      clientId,
      audience,
      certificatePem: await readText(certificate, '--certificate'),
      keyPem: await readText(flags.key, '--key'),
      alg,
      now,
    });
    return { kind: 'assertion', assertion };
  }
  if (secret === undefined || secret === '') {
    throw new UsageError('give --client-secret (or JWTGUARD_CLIENT_SECRET / AZURE_CLIENT_SECRET), or --certificate and --key');
  }
  const kind = flags['secret-auth'] ?? 'post';
  if (!['post', 'basic'].includes(kind)) throw new UsageError('--secret-auth is post or basic');
  return { kind, secret };
}
