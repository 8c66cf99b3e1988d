/**
 * introspection: a source of answers about opaque access tokens, from the
 * authorization server's introspection endpoint (RFC 7662), as plain JSON
 * or signed (RFC 9701, `accept: 'jwt'`). The resource server authenticates
 * as an OAuth client (client_secret_basic, client_secret_post or
 * private_key_jwt); the token goes only in the form body of a POST; the
 * request follows the key sources' fetch rules (js/keys/fetch.js); answers
 * are cached by js/introspection-cache.js. A signed answer is verified by the
 * core against the authorization server's keys before anything in it is
 * read; the answer's claims are checked by the core in
 * js/introspection-verifier.js.
 */

import { INTROSPECTION_TYP, MAX_INTROSPECTION_RESPONSE_SIZE } from '../pkg/facts.js';
import { assertionInput, assertionKey, authenticateClient, base64url } from './client-auth.js';
import { kindOf } from './clock.js';
import { JwtGuardError } from './errors.js';
import { introspectionCache } from './introspection-cache.js';
import { cachedDocument, keySourceSettings } from './keys/cache.js';
import { metadataUrls, parseMetadata, discover } from './keys/discovery.js';
import { checkUrl, postForm } from './keys/fetch.js';

/** Defaults of the introspection options, in seconds unless named otherwise. */
export const INTROSPECTION_DEFAULTS = Object.freeze({
  /** An active answer is kept this long at most (and never past the token's exp). */
  cacheTtl: 60,
  /** An inactive answer is kept this long: bad tokens cost one call each, not one per request. */
  inactiveTtl: 10,
  /** Seconds for one introspection request, body included: a server that slow is treated as down. */
  timeout: 5,
  /** Answers kept at most; the least recently used is dropped first. */
  maxEntries: 10_000,
  /** How old a signed answer's iat may be (RFC 9701), before the clock tolerance. */
  responseMaxAge: 60,
});

/**
 * The longest `cacheTtl` and `inactiveTtl`: a revoked token stays accepted
 * for as long as its active answer is kept, so no more than 5 minutes.
 */
export const MAX_INTROSPECTION_TTL = 300;

/** The client authentication methods (RFC 7591 §2 names). */
const AUTH_METHODS = Object.freeze(['client_secret_basic', 'client_secret_post', 'private_key_jwt']);

/** Every option introspection() accepts. */
const OPTIONS = Object.freeze([
  ...Object.keys(INTROSPECTION_DEFAULTS),
  'endpoint', 'issuer', 'clientId', 'clientSecret', 'privateKey', 'kid', 'authMethod', 'accept', 'jwks', 'fetch', 'onEvent', 'now',
]);

/** Marks an introspection source, for createVerifier. */
export const INTROSPECTION = Symbol.for('jwtguard.introspection');

const optionError = (name, why) => new JwtGuardError('ERR_POLICY_INVALID', `introspection ${name} ${why}`, { claim: name });

/** Whether `value` is a source made by introspection(). */
export function isIntrospection(value) {
  return Boolean(value) && typeof value === 'object' && value[INTROSPECTION] === true;
}

/** Checks the numeric options and fills in the defaults. */
function numbers(options) {
  const settings = { ...INTROSPECTION_DEFAULTS };
  for (const name of Object.keys(INTROSPECTION_DEFAULTS)) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw optionError(name, `must be a number ≥ 0, not ${kindOf(value)}`);
    settings[name] = value;
  }
  for (const name of ['cacheTtl', 'inactiveTtl']) {
    if (settings[name] > MAX_INTROSPECTION_TTL) throw optionError(name, `must be at most ${MAX_INTROSPECTION_TTL} s: a revoked token stays accepted while its answer is kept`);
  }
  if (settings.timeout <= 0) throw optionError('timeout', 'must be above 0');
  if (!Number.isSafeInteger(settings.maxEntries)) throw optionError('maxEntries', 'must be a whole number');
  return settings;
}

/** How the client authenticates: `{ method, secret }` or `{ method, key }` (a promise of the assertion key). */
function clientAuthentication(options) {
  const { clientId, clientSecret, privateKey, kid, authMethod } = options;
  if (typeof clientId !== 'string' || clientId === '') throw optionError('clientId', 'must be a non-empty string');
  if ((clientSecret === undefined) === (privateKey === undefined)) throw optionError('clientSecret', 'or privateKey: give exactly one');
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) throw optionError('kid', 'must be a non-empty string');
  const method = authMethod ?? (clientSecret === undefined ? 'private_key_jwt' : 'client_secret_basic');
  if (!AUTH_METHODS.includes(method)) throw optionError('authMethod', `must be one of ${AUTH_METHODS.join(', ')}`);
  if (method === 'private_key_jwt') {
    if (privateKey === undefined) throw optionError('authMethod', 'private_key_jwt needs privateKey');
    const key = assertionKey(privateKey, kid);
    key.catch(() => {}); // reported when the first request awaits it
    return { method, key };
  }
  if (typeof clientSecret !== 'string' || clientSecret === '') throw optionError('clientSecret', `must be a non-empty string with ${method}`);
  return { method, secret: clientSecret };
}

/**
 * A source of introspection answers for createVerifier's `introspection`.
 * @param {import('./index.d.ts').IntrospectionOptions} options
 * @returns {import('./index.d.ts').IntrospectionSource}
 */
export function introspection(options) {
  if (!options || typeof options !== 'object') throw optionError('options', 'must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTIONS.includes(name)) throw optionError(JSON.stringify(name), 'is not an introspection option');
  }
  const settings = numbers(options);
  const accept = options.accept ?? 'json';
  if (accept !== 'json' && accept !== 'jwt') throw optionError('accept', "must be 'json' or 'jwt'");
  const { endpoint, issuer } = options;
  if (endpoint === undefined && issuer === undefined) throw optionError('endpoint', 'or issuer: give at least one');
  if (issuer !== undefined && (typeof issuer !== 'string' || issuer === '')) throw optionError('issuer', 'must be a non-empty string');
  if (accept === 'jwt' && issuer === undefined) throw optionError('issuer', "is required with accept: 'jwt': a signed answer's iss must name it");
  if (options.jwks !== undefined && accept !== 'jwt') throw optionError('jwks', "is read only with accept: 'jwt'");
  const auth = clientAuthentication(options);
  // The fetch rules, clock and events of the key sources.
  const fetchSettings = keySourceSettings({
    timeout: settings.timeout,
    maxResponseSize: MAX_INTROSPECTION_RESPONSE_SIZE,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const keyOptions = {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
  };

  /** The endpoint: given, or `introspection_endpoint` of the issuer's metadata. */
  let endpointOf;
  if (endpoint !== undefined) {
    const url = checkUrl(endpoint, 'ERR_POLICY_INVALID', 'endpoint');
    endpointOf = async () => url;
  } else {
    const candidates = metadataUrls(issuer);
    const metadata = cachedDocument(candidates[0], {
      kind: 'discovery',
      candidates,
      parse: parseMetadata(issuer, 'introspection_endpoint'),
      onUpdate() {},
      settings: fetchSettings,
    });
    endpointOf = async (context) => /** @type {string} */ ((await metadata.get(context)).value);
  }

  // A signed answer's keys: given (a JWKS or key source), or by discovery.
  const responseKeys = accept !== 'jwt' ? null : options.jwks ?? discover(issuer, keyOptions);

  /**
   * The client's authentication for one request to `url`.
   * @returns {Promise<Parameters<typeof authenticateClient>[3]>}
   */
  async function authFor(url) {
    if (auth.method === 'client_secret_basic') return { kind: 'basic', secret: auth.secret };
    if (auth.method === 'client_secret_post') return { kind: 'post', secret: auth.secret };
    const key = await auth.key;
    const header = { alg: key.alg, typ: 'JWT', ...(key.kid === undefined ? {} : { kid: key.kid }) };
    // RFC 7523 §3: the audience identifies the authorization server; its
    // issuer where known, else the endpoint the assertion is sent to.
    const input = assertionInput(header, { clientId: options.clientId, audience: issuer ?? url, now: Math.floor(fetchSettings.now()) });
    return { kind: 'assertion', assertion: `${input}.${base64url(await key.sign(input))}` };
  }

  /** One introspection request; resolves to the response body's text. */
  async function introspect(token, context) {
    const url = await endpointOf(context);
    const form = new URLSearchParams({ token, token_type_hint: 'access_token' });
    /** @type {Record<string, string>} */
    const headers = { accept: accept === 'jwt' ? `application/${INTROSPECTION_TYP}` : 'application/json' };
    authenticateClient(form, headers, options.clientId, await authFor(url));
    const { text } = await postForm(url, {
      body: form.toString(),
      headers,
      failed: 'ERR_INTROSPECTION_FAILED',
      timedOut: 'ERR_INTROSPECTION_FAILED',
    }, fetchSettings);
    fetchSettings.emit({ type: 'introspection', url });
    return text;
  }

  /** The answer's JSON text: as sent, or out of the verified signed answer. */
  async function answerText(token, context) {
    const text = await introspect(token, context);
    if (responses === null) return text;
    try {
      return await responses.open(text.trim(), context);
    } catch (error) {
      // Its size or shape, refused before the core saw it: still the answer's fault.
      if (!String(error?.code).startsWith('ERR_TOKEN_')) throw error;
      throw new JwtGuardError('ERR_INTROSPECTION_INVALID', `${error.code}: ${error.detail ?? error.reason}`);
    }
  }

  /** Set by the verifier that owns this source (createVerifier): the signed answers' verifier. */
  let responses = null;

  const cache = introspectionCache({
    maxEntries: settings.maxEntries,
    cacheTtl: settings.cacheTtl,
    inactiveTtl: settings.inactiveTtl,
    now: fetchSettings.now,
    emit: fetchSettings.emit,
    shareInFlight: fetchSettings.shareInFlight,
  }, (token, context) => answerText(token, context).catch((error) => {
    fetchSettings.emit({ type: 'error', error });
    throw error;
  }));

  return Object.freeze({
    [INTROSPECTION]: true,
    accept,
    issuer: issuer ?? null,
    clientId: options.clientId,
    responseKeys,
    responseMaxAge: settings.responseMaxAge,
    /**
     * Connects the verifier of signed answers (createVerifier builds it
     * from the policy and `responseKeys`): `open(jwt, context)` resolves to
     * the text of its `token_introspection`.
     */
    useResponses(verifier) {
      responses = verifier;
    },
    /** The answer about `token` (RFC 7662 JSON text), cached. */
    answer: (token, context) => cache.answer(token, context),
  });
}
