/**
 * Request authentication shared by every middleware (`jwtguard/worker`,
 * `jwtguard/hono`, `jwtguard/express`, `jwtguard/fastify`, `jwtguard/koa`,
 * `jwtguard/nestjs`, `jwtguard/h3`, `jwtguard/elysia`): build (and keep)
 * the verifier, find the access token, verify the request as presented
 * (Bearer or DPoP, with a client certificate when the adapter has one), map
 * failures to RFC 6750 / RFC 9449 answers, and serve the RFC 9728 protected
 * resource metadata. Adapters only translate their framework's request and
 * response to and from the plain shapes used here.
 */

import { createVerifier, JwtGuardError } from '@jwtguard/jwtguard';
import { MALFORMED, failureResponse, nonceHeader, readAuthorization } from './bearer.js';
import { REPLAY_SCOPE, replayMemory } from './replay.js';
import { headerValues, isPreflight } from './request.js';
import { metadataAnswer, resourceMetadataFor } from './resource-metadata.js';

/** The settings every middleware takes beside the verifier options. */
const SETTINGS = Object.freeze(['realm', 'tokenFrom', 'resourceMetadata', 'checkPreflight', 'onRefuse']);

/**
 * The default `onRefuse`: one structured console.warn line for each 503,
 * the refusals an operator must hear of (the keys cannot be had); the others
 * are the callers' business and reach the log only through an onRefuse of
 * the app's own.
 */
function warnUnavailable(error, request, status) {
  if (status !== 503) return;
  const { code, claim, reason, detail } = error;
  console.warn(JSON.stringify({ jwtguard: 'refused', status, code, claim, reason, detail, method: request?.method ?? null, url: request?.url ?? null }));
}

/** The opt-in token sources besides `Authorization` (RFC 6750 §2.2 and §2.3 allow more than the header). */
const TOKEN_SOURCES = Object.freeze(['header', 'cookie', 'query']);

/** RFC 6750 §2.1 b64token: what a token from another source must look like too. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** An HTTP header name (RFC 9110 §5.1 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);

/**
 * Checks the middleware settings once, when the middleware is built.
 * @param {{ realm?: string, tokenFrom?: Record<string, string>, resourceMetadata?: boolean | object, checkPreflight?: boolean, onRefuse?: false | ((error: JwtGuardError, request: unknown) => void) }} [settings]
 */
function checkSettings(settings = {}) {
  if (!settings || typeof settings !== 'object') throw misuse('the middleware settings must be an object');
  for (const name of Object.keys(settings)) {
    if (!SETTINGS.includes(name)) throw misuse(`unknown middleware setting ${JSON.stringify(name)}`);
  }
  const { realm = 'api', tokenFrom = {}, resourceMetadata = false, checkPreflight = false, onRefuse } = settings;
  if (onRefuse !== undefined && onRefuse !== false && typeof onRefuse !== 'function') {
    throw misuse('onRefuse must be a function (error, request), or false for no log');
  }
  if (typeof realm !== 'string') throw misuse('realm must be a string');
  if (typeof checkPreflight !== 'boolean') throw misuse('checkPreflight must be a boolean');
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
  const refused = onRefuse === false ? () => {} : onRefuse === undefined ? warnUnavailable : (error, request) => onRefuse(error, request);
  return { realm, tokenFrom, resourceMetadata, checkPreflight, refused };
}

/**
 * Env contents one options function of the env keeps a verifier for. A
 * deployment sees one (workerd keeps one env per isolate; Node, Deno and Bun
 * pass the same bindings each request), and tests or staged configurations a
 * few. More mean the function reads something that changes per request (a
 * request object that `@hono/node-server` puts in `env`): each entry holds a
 * verifier and its key cache, so past this the least recently used is
 * dropped, and such a function costs a key fetch per request instead of
 * memory that grows with requests. Replay memory is the factory's, so
 * nothing is forgotten with a dropped verifier.
 */
export const MAX_ENV_VERIFIERS = 16;

/** What a function of a missing argument receives. */
const NO_ARGUMENT = Object.freeze({});

/**
 * The options with the factory's replay memory as `replayStore`, unless they
 * name a store of their own (each issuer's options, for an array).
 */
function withReplayMemory(options, memory) {
  if (Array.isArray(options)) return options.map((each) => withReplayMemory(each, memory));
  if (!options || typeof options !== 'object' || options.replayStore !== undefined) return options;
  return { ...options, replayStore: memory(options.now) };
}

/**
 * The proxy traps that record reads of an env, each with what its result
 * tells the function as an array, compared member by member with Object.is
 * (strings and numbers by value, bindings and other objects by identity).
 */
const ENV_READS = Object.freeze({
  get: (value) => [value],
  has: (found) => [found],
  ownKeys: (names) => [...names],
  getOwnPropertyDescriptor: (found) => (found ? [found.value, found.get, found.set, found.enumerable, found.writable, found.configurable] : []),
});

/**
 * Runs `choose(env)` with `env` seen through a proxy that records what the
 * function learnt of it: `[trap, name, answer]`. Reads after `choose`
 * returns (by a key source that kept the env) are not recorded.
 */
function readingEnv(env, choose) {
  const reads = [];
  let open = true;
  const traps = Object.fromEntries(Object.entries(ENV_READS).map(([trap, answer]) => [trap, (target, name) => {
    const result = Reflect[trap](target, name);
    if (open) reads.push([trap, name, answer(result)]);
    return result;
  }]));
  try {
    return { chosen: choose(new Proxy(env, traps)), reads };
  } finally {
    open = false;
  }
}

/** Whether `env` answers every recorded read as the env the entry was built for did. */
function sameReads(reads, env) {
  return reads.every(([trap, name, answer]) => {
    const now = ENV_READS[trap](Reflect[trap](env, name));
    return now.length === answer.length && now.every((value, i) => Object.is(value, answer[i]));
  });
}

/**
 * The verifier for a call: `options` itself, or `options(argument)`. A
 * function may also return a verifier built by createVerifier (which keeps
 * its own replay store). Every verifier built here records DPoP proofs in
 * `memory` unless its options name a `replayStore`.
 *
 * - A function of the env (Worker, Hono, gateway policies) is called once
 *   per env content: what it read of the env (its members' values, bindings
 *   by identity) keys the verifier, so a runtime that passes a new env
 *   object each request (`@hono/node-server`, Deno) still gets one verifier
 *   and one key cache, and two envs that differ in a member it read get two.
 * - A function of the request (Express, Fastify) is called per request, and
 *   a verifier is kept per returned options object (the same object for the
 *   same tenant).
 */
function verifiers(options, { env: ofEnv, memory }) {
  const build = (chosen) => createVerifier(withReplayMemory(chosen, memory));
  if (typeof options !== 'function') {
    let shared = null;
    return () => (shared ??= build(options));
  }
  const byOptions = new WeakMap();
  /** A verifier for what the function returned. */
  function adopt(chosen) {
    if (chosen && typeof chosen.verifyRequest === 'function') return chosen;
    if (!chosen || typeof chosen !== 'object') {
      throw misuse('the options function must return createVerifier options, an array of them, or a verifier');
    }
    let verifier = byOptions.get(chosen);
    if (!verifier) {
      verifier = build(chosen);
      byOptions.set(chosen, verifier);
    }
    return verifier;
  }
  /** Entries `{ reads, verifier }`, least recently used first. */
  const byContent = [];
  function forContent(env) {
    const at = byContent.findLastIndex((entry) => sameReads(entry.reads, env));
    if (at !== -1) {
      const [entry] = byContent.splice(at, 1);
      byContent.push(entry);
      return entry.verifier;
    }
    const { chosen, reads } = readingEnv(env, options);
    const verifier = adopt(chosen);
    byContent.push({ reads, verifier });
    if (byContent.length > MAX_ENV_VERIFIERS) byContent.shift();
    return verifier;
  }
  // The same argument object (an isolate's env; a request asked twice) needs no second look.
  const byArgument = new WeakMap();
  return (argument) => {
    const key = argument !== null && typeof argument === 'object' ? argument : NO_ARGUMENT;
    let verifier = byArgument.get(key);
    if (!verifier) {
      verifier = ofEnv ? forContent(key) : adopt(options(key));
      byArgument.set(key, verifier);
    }
    return verifier;
  };
}

/** The `name=value` pairs of a Cookie header line, and whether each is cookie `name`. */
const cookiePairs = (line, name) => line.split(';').map((pair) => {
  const at = pair.indexOf('=');
  return { pair, named: at > 0 && pair.slice(0, at).trim() === name };
});

/** The values of cookie `name` in the request's Cookie headers. */
function cookieValues(headers, name) {
  return headerValues(headers, 'cookie')
    .flatMap((line) => cookiePairs(line, name))
    .filter(({ named }) => named)
    .map(({ pair }) => pair.slice(pair.indexOf('=') + 1).trim().replace(/^"(.*)"$/, '$1'));
}

/** Whether one `&`-separated query pair is parameter `name` (as URLSearchParams reads it; the `&` keeps a leading `?` a name). */
const isParameter = (pair, name) => new URLSearchParams(`&${pair}`).has(name);

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
 * What is left of a request without the credentials `tokenFrom` and the
 * two fixed headers carry: the header `names` to delete, the Cookie line to
 * keep (null: none; undefined: unchanged) and the URL without the token's
 * query parameter (the other parameters as they were written).
 */
function credentialsWithout(tokenFrom) {
  return (headers, href) => {
    const names = ['authorization', 'dpop', ...(tokenFrom.header ? [tokenFrom.header.toLowerCase()] : [])];
    let cookie;
    if (tokenFrom.cookie) {
      const kept = headerValues(headers, 'cookie').flatMap((line) => cookiePairs(line, tokenFrom.cookie))
        .filter(({ pair, named }) => !named && pair.trim() !== '').map(({ pair }) => pair.trim());
      cookie = kept.length > 0 ? kept.join('; ') : null;
    }
    const url = new URL(href);
    if (tokenFrom.query) {
      url.search = url.search.slice(1).split('&').filter((pair) => pair !== '' && !isParameter(pair, tokenFrom.query)).join('&');
    }
    return { names, cookie, url: url.href };
  };
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
 * @param {{ realm?: string, tokenFrom?: { header?: string, cookie?: string, query?: string }, resourceMetadata?: boolean | object, checkPreflight?: boolean, onRefuse?: false | ((error: JwtGuardError, request: unknown) => void) }} [settings]
 * @param {{ env?: boolean, memory?: ReturnType<typeof replayMemory> }} [how] `env`: a function `options` receives the
 *   deployment's env, not a request; `memory`: the replay memory to share (a gateway's, for all its policies), else one of this factory's own
 */
export function authenticator(options, settings, { env = false, memory = replayMemory() } = {}) {
  const { realm, tokenFrom, resourceMetadata, checkPreflight, refused } = checkSettings(settings);
  const verifierFor = verifiers(options, { env, memory });
  const credentialsOf = credentialsWithout(tokenFrom);

  /**
   * `failure`, after telling onRefuse of its error. A hook that throws is
   * reported on the console; the answer goes out regardless.
   */
  function told(failure, error, request) {
    try {
      refused(error, request, failure.status);
    } catch (hookError) {
      console.error('jwtguard: onRefuse threw', hookError);
    }
    return failure;
  }

  /** The metadata document and its URL for this request, or null when not configured. */
  function metadataOf(request, argument) {
    return resourceMetadata ? resourceMetadataFor(resourceMetadata, verifierFor(argument), request.url, tokenFrom) : null;
  }

  return Object.freeze({
    /**
     * The answer to a request the adapter could not read (its Host header,
     * say): the failure's answer in this middleware's realm.
     * @param {unknown} error
     * @param {unknown} [request] what onRefuse receives
     */
    refusal(error, request) {
      const refusal = internal(error);
      return told(failureResponse({ error: refusal, realm }), refusal, request);
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
        return this.refusal(error, request);
      }
    },

    /**
     * Whether `request` is a CORS preflight this middleware lets through
     * without a token (unless `checkPreflight` is set): the adapter then
     * passes it on without `auth` and without credentials.
     * @param {{ method: string, headers: Headers | Record<string, string | string[] | undefined> }} request
     */
    passesPreflight(request) {
      return !checkPreflight && isPreflight(request);
    },

    /**
     * The request without the credentials this middleware reads, for an
     * origin that must not receive them: `Authorization`, `DPoP`, and the
     * `tokenFrom` header, cookie (the other cookies stay) and query parameter
     * (the other parameters stay as they were written).
     * @param {Request} request
     * @returns {Request}
     */
    withoutCredentials(request) {
      const { names, cookie, url } = credentialsOf(request.headers, request.url);
      const headers = new Headers(request.headers);
      for (const name of names) headers.delete(name);
      if (cookie === null) headers.delete('cookie');
      else if (cookie !== undefined) headers.set('cookie', cookie);
      return new Request(url, new Request(request, { headers }));
    },

    /**
     * The same, in place, for a Node request (`req.headers`, a plain object
     * of lower-case names, and `req.url`, the target) that goes on to the
     * next handler.
     * @param {{ headers: Record<string, string | string[] | undefined>, url?: string, originalUrl?: string }} req
     */
    stripNodeCredentials(req) {
      const base = 'http://target.invalid';
      const { names, cookie } = credentialsOf(req.headers, base);
      for (const name of names) delete req.headers[name];
      if (cookie === null) delete req.headers.cookie;
      else if (cookie !== undefined) req.headers.cookie = cookie;
      for (const member of ['url', 'originalUrl']) {
        if (typeof req[member] !== 'string') continue;
        const { url } = credentialsOf({}, `${base}${req[member]}`);
        const target = new URL(url);
        req[member] = `${target.pathname}${target.search}`;
      }
    },

    /**
     * `{ auth, headers }` (the headers for the successful answer: `DPoP-Nonce`
     * with dpopNonce) or `{ failure: { status, headers, body } }`.
     * @param {{ method: string, url: string, headers: Headers | Record<string, string | string[] | undefined> }} request the absolute URL
     * @param {unknown} argument what a function `options` receives (env, or the framework's request)
     * @param {{ waitUntil?: (promise: Promise<unknown>) => void, clientCertificate?: string | Uint8Array, [REPLAY_SCOPE]?: Map<object, Map<string, Promise<boolean>>> }} [context]
     *   `REPLAY_SCOPE`: the request's replay answers, when a gateway checks it against several policies
     */
    async authenticate(request, argument, { waitUntil, clientCertificate, [REPLAY_SCOPE]: scope } = {}) {
      const credentials = findToken(request, tokenFrom);
      let verifier;
      let metadata;
      try {
        verifier = verifierFor(argument);
        metadata = metadataOf(request, argument);
        if (credentials.problem) {
          const failure = failureResponse({ problem: credentials.problem, realm, policy: firstPolicy(verifier), resourceMetadata: metadata?.url });
          // No credentials at all is the challenge's first step, not a refusal.
          return { failure: credentials.problem === 'missing' ? failure : told(failure, new JwtGuardError('ERR_TOKEN_MALFORMED', MALFORMED), request) };
        }
        // The request as verifyRequest reads it: the token in Authorization, whatever carried it.
        const presented = {
          method: request.method,
          url: request.url,
          headers: { authorization: `${credentials.scheme} ${credentials.token}`, dpop: headerValues(request.headers, 'dpop') },
        };
        const { claims, header, key, binding, dpopNonce } = await verifier.verifyRequest(presented, { clientCertificate }, { waitUntil, [REPLAY_SCOPE]: scope });
        // With dpopNonce, the answer carries the current nonce for the client's next proof.
        return { auth: { claims, header, key, binding }, headers: nonceHeader(dpopNonce) };
      } catch (error) {
        const refusal = internal(error);
        return {
          failure: told(failureResponse({
            error: refusal,
            realm,
            policy: verifier ? firstPolicy(verifier) : {},
            scheme: credentials.scheme,
            resourceMetadata: metadata?.url,
          }), refusal, request),
        };
      }
    },
  });
}
