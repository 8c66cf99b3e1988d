/**
 * Request authentication shared by every middleware (`jwtguard/worker`,
 * `jwtguard/hono`, `jwtguard/express`, `jwtguard/fastify`): build (and keep)
 * the verifier, find the access token, verify the request as presented
 * (Bearer or DPoP, with a client certificate when the adapter has one), map
 * failures to RFC 6750 / RFC 9449 answers, and serve the RFC 9728 protected
 * resource metadata. Adapters only translate their framework's request and
 * response to and from the plain shapes used here.
 */

import { createVerifier, JwtGuardError } from '@jwtguard/jwtguard';
import { failureResponse, readAuthorization } from './bearer.js';
import { headerValues } from './request.js';
import { metadataAnswer, resourceMetadataFor } from './resource-metadata.js';

/** The settings every middleware takes beside the verifier options. */
const SETTINGS = Object.freeze(['realm', 'tokenFrom', 'resourceMetadata']);

/** The opt-in token sources besides `Authorization` (RFC 6750 §2.2 and §2.3 allow more than the header). */
const TOKEN_SOURCES = Object.freeze(['header', 'cookie', 'query']);

/** RFC 6750 §2.1 b64token: what a token from another source must look like too. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** An HTTP header name (RFC 9110 §5.1 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);

/**
 * Checks the middleware settings once, when the middleware is built.
 * @param {{ realm?: string, tokenFrom?: Record<string, string>, resourceMetadata?: boolean | object }} [settings]
 */
function checkSettings(settings = {}) {
  if (!settings || typeof settings !== 'object') throw misuse('the middleware settings must be an object');
  for (const name of Object.keys(settings)) {
    if (!SETTINGS.includes(name)) throw misuse(`unknown middleware setting ${JSON.stringify(name)}`);
  }
  const { realm = 'api', tokenFrom = {}, resourceMetadata = false } = settings;
  if (typeof realm !== 'string') throw misuse('realm must be a string');
  if (!tokenFrom || typeof tokenFrom !== 'object') throw misuse('tokenFrom must be an object');
  for (const [source, name] of Object.entries(tokenFrom)) {
    if (!TOKEN_SOURCES.includes(source)) throw misuse(`tokenFrom.${source} is not a token source (header, cookie, query)`);
    if (typeof name !== 'string' || !HEADER_NAME.test(name)) throw misuse(`tokenFrom.${source} must be a name`);
    if (source === 'header' && ['authorization', 'dpop'].includes(name.toLowerCase())) {
      throw misuse(`tokenFrom.header cannot be ${name}: it is read already`);
    }
  }
  if (resourceMetadata !== false && resourceMetadata !== true && (typeof resourceMetadata !== 'object' || resourceMetadata === null)) {
    throw misuse('resourceMetadata must be true (derived from the policy) or the document\'s members');
  }
  return { realm, tokenFrom, resourceMetadata };
}

/**
 * The verifier for a call: `options` itself, or `options(argument)` (the
 * Worker's env, or the Node request). Verifiers are kept per argument object
 * (env lives as long as the isolate) and per returned options object (a
 * function of the request returns the same object for the same tenant), so
 * keys are fetched once, not per request. A function may also return a
 * verifier built by createVerifier.
 */
function verifiers(options) {
  if (typeof options !== 'function') {
    let shared = null;
    return () => (shared ??= createVerifier(options));
  }
  const byArgument = new WeakMap();
  const byOptions = new WeakMap();
  return (argument) => {
    const key = argument && typeof argument === 'object' ? argument : byArgument;
    let verifier = byArgument.get(key);
    if (verifier) return verifier;
    const chosen = options(argument ?? {});
    if (chosen && typeof chosen.verifyRequest === 'function') {
      verifier = chosen;
    } else if (chosen && typeof chosen === 'object') {
      verifier = byOptions.get(chosen) ?? createVerifier(chosen);
      byOptions.set(chosen, verifier);
    } else {
      throw misuse('the options function must return createVerifier options, an array of them, or a verifier');
    }
    byArgument.set(key, verifier);
    return verifier;
  };
}

/** The values of cookie `name` in the request's Cookie headers. */
function cookieValues(headers, name) {
  const values = [];
  for (const line of headerValues(headers, 'cookie')) {
    for (const pair of line.split(';')) {
      const at = pair.indexOf('=');
      if (at > 0 && pair.slice(0, at).trim() === name) values.push(pair.slice(at + 1).trim().replace(/^"(.*)"$/, '$1'));
    }
  }
  return values;
}

/**
 * The access token and its scheme, or the problem. `Authorization` comes
 * first; the opt-in sources carry bearer tokens only, and a request that
 * uses more than one method is malformed (RFC 6750 §3.1 invalid_request).
 */
function findToken(request, tokenFrom) {
  const authorization = headerValues(request.headers, 'authorization');
  const fromHeader = authorization.length > 1 ? { problem: 'malformed' } : readAuthorization(authorization[0]);
  const others = [
    ...(tokenFrom.header ? headerValues(request.headers, tokenFrom.header.toLowerCase()) : []),
    ...(tokenFrom.cookie ? cookieValues(request.headers, tokenFrom.cookie) : []),
    ...(tokenFrom.query ? new URL(request.url).searchParams.getAll(tokenFrom.query) : []),
  ];
  if (others.length === 0) return fromHeader;
  if (fromHeader.problem !== 'missing' || others.length > 1) return { problem: 'malformed' };
  const token = others[0].trim();
  return TOKEN68.test(token) ? { scheme: 'bearer', token } : { problem: 'malformed' };
}

/**
 * The policy the answers describe: a several-issuer verifier's first
 * configuration (the algorithms are the same unless configured otherwise).
 */
function firstPolicy(verifier) {
  return Array.isArray(verifier.policy) ? verifier.policy[0] : verifier.policy;
}

const internal = (error) => (error instanceof JwtGuardError ? error : new JwtGuardError('ERR_INTERNAL', null, { cause: error }));

/**
 * @param {object | object[] | ((argument: any) => object | object[])} options createVerifier options, or a function of the env / request
 * @param {{ realm?: string, tokenFrom?: { header?: string, cookie?: string, query?: string }, resourceMetadata?: boolean | object }} [settings]
 */
export function authenticator(options, settings) {
  const { realm, tokenFrom, resourceMetadata } = checkSettings(settings);
  const verifierFor = verifiers(options);

  /** The metadata document and its URL for this request, or null when not configured. */
  function metadataOf(request, argument) {
    return resourceMetadata ? resourceMetadataFor(resourceMetadata, verifierFor(argument), request.url, tokenFrom) : null;
  }

  return Object.freeze({
    /**
     * The answer to a request the adapter could not read (its Host header,
     * say): the failure's answer in this middleware's realm.
     * @param {unknown} error
     */
    refusal(error) {
      return failureResponse({ error: internal(error), realm });
    },

    /**
     * The answer to a request for the protected resource metadata
     * (`GET /.well-known/oauth-protected-resource[/path]`), or null for any
     * other request.
     * @param {{ method: string, url: string }} request
     */
    metadata(request, argument) {
      if (!resourceMetadata) return null;
      try {
        return metadataAnswer(request, () => metadataOf(request, argument));
      } catch (error) {
        return this.refusal(error);
      }
    },

    /**
     * `{ auth }` or `{ failure: { status, headers, body } }`.
     * @param {{ method: string, url: string, headers: Headers | Record<string, string | string[] | undefined> }} request the absolute URL
     * @param {unknown} argument what a function `options` receives (env, or the framework's request)
     * @param {{ waitUntil?: (promise: Promise<unknown>) => void, clientCertificate?: string | Uint8Array }} [context]
     */
    async authenticate(request, argument, { waitUntil, clientCertificate } = {}) {
      const credentials = findToken(request, tokenFrom);
      let verifier;
      let metadata;
      try {
        verifier = verifierFor(argument);
        metadata = metadataOf(request, argument);
        const { dpopAlgorithms } = firstPolicy(verifier);
        if (credentials.problem) {
          return { failure: failureResponse({ problem: credentials.problem, realm, dpopAlgorithms, resourceMetadata: metadata?.url }) };
        }
        // The request as verifyRequest reads it: the token in Authorization, whatever carried it.
        const presented = {
          method: request.method,
          url: request.url,
          headers: { authorization: `${credentials.scheme} ${credentials.token}`, dpop: headerValues(request.headers, 'dpop') },
        };
        const { claims, header, key, binding } = await verifier.verifyRequest(presented, { clientCertificate }, { waitUntil });
        return { auth: { claims, header, key, binding } };
      } catch (error) {
        const policy = verifier ? firstPolicy(verifier) : {};
        return {
          failure: failureResponse({
            error: internal(error),
            realm,
            scopes: policy.scopes,
            scheme: credentials.scheme,
            dpopAlgorithms: policy.dpopAlgorithms,
            resourceMetadata: metadata?.url,
          }),
        };
      }
    },
  });
}
