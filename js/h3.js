/**
 * `jwtguard/h3`: middleware for h3 2 (`event.req`, a web Request) and h3 1
 * (`event.node.req`, what Nuxt 3 and 4 and Nitro 2 run). Sets
 * `event.context.auth` to `{ claims, header, key, binding }`.
 *
 *   import { defineAuthMiddleware } from '@jwtguard/jwtguard/h3';
 *   app.use(defineAuthMiddleware({ issuer, audience, keys: discover(issuer) }));
 *   app.get('/whoami', (event) => event.context.auth.claims);
 */

import { authenticator } from './authenticate.js';
import { JwtGuardError } from './errors.js';
import { nodeCertificate, nodeSettings } from './node-request.js';
import { checkNodeRequest, checkRequest } from './request-check.js';
import { toResponse, workerContext } from './worker-request.js';

/**
 * The members of an h3 2 request that are not the Request's own (srvx sets
 * them: the runtime, the client address, background work), carried over to
 * a preflight's request without credentials.
 */
const REQUEST_EXTRAS = Object.freeze(['runtime', 'ip', 'waitUntil', 'context']);

/**
 * h3 2 and its web request: the request, with its origin replaced by the
 * `origin` setting when there is one.
 */
function webRequest(req, origin) {
  if (origin === null) return req;
  const { pathname, search } = new URL(req.url);
  return { method: req.method, url: `${origin}${pathname}${search}`, headers: req.headers };
}

/** A preflight's h3 2 request without credentials, with h3's and srvx's own members kept. */
function strippedWebEvent(guard, event) {
  const original = event.req;
  // srvx's request on Node is Request-like, not a Request the constructor can copy; a preflight has no body.
  const stripped = guard.withoutCredentials(new Request(original.url, { method: original.method, headers: original.headers }));
  for (const name of REQUEST_EXTRAS) {
    if (original[name] !== undefined) Object.defineProperty(stripped, name, { value: original[name], configurable: true });
  }
  event.req = stripped;
  event.url = new URL(stripped.url);
}

/**
 * What an h3 2 request adds to verification: on Node (srvx keeps the Node
 * request as `runtime.node.req`), the client certificate of its TLS
 * connection; elsewhere, Cloudflare's verified one.
 */
function webContext(req) {
  const context = workerContext(req, req);
  const fromNode = nodeCertificate(req.runtime?.node?.req);
  return fromNode === undefined ? context : { ...context, clientCertificate: fromNode };
}

/**
 * The middleware: verifies each request's token and sets `event.context.auth`, or answers.
 * @param {object | object[] | ((event: object) => object | object[])} options createVerifier options, or a function of the event (per-tenant policies)
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, origin?: string, checkPreflight?: boolean }} [settings]
 * @returns {(event: any) => Promise<Response | undefined>} a middleware for `app.use` (h3 2 and 1): a Response answers, undefined goes on
 */
export function defineAuthMiddleware(options, settings = {}) {
  if (settings && typeof settings === 'object' && 'trustProxy' in settings) {
    // h3 2 reads its request URL from the runtime's server, not from Node headers this adapter could trust.
    throw new JwtGuardError('ERR_POLICY_INVALID', 'the h3 middleware takes origin, not trustProxy: give the API\'s public origin');
  }
  const { trust, rest } = nodeSettings(settings);
  const guard = authenticator(options, rest);
  return async function jwtGuardMiddleware(event) {
    // h3 2: event.req is a web Request; h3 1: the Node request, whose full path h3 keeps as originalUrl.
    const web = typeof event.req?.url === 'string' && event.req.headers instanceof Headers;
    const outcome = web
      ? await checkRequest(guard, webRequest(event.req, trust.origin), event, webContext(event.req))
      : await checkNodeRequest(guard, trust, event.node.req, {}, event);
    if ('answer' in outcome) return toResponse(outcome.answer, event.method ?? event.req.method);
    if ('preflight' in outcome) {
      // A CORS preflight goes on without a token check, without event.context.auth and without credentials.
      // h3 1: the Node request's headers (its url too, though h3 1's app sets it again for each layer
      // from the path it read first, so a tokenFrom.query parameter stays: docs/frameworks/h3.md).
      if (web) strippedWebEvent(guard, event);
      else guard.stripNodeCredentials(event.node.req);
      return undefined;
    }
    for (const [name, value] of Object.entries(outcome.headers)) {
      if (web) event.res.headers.set(name, value);
      else event.node.res.setHeader(name, value);
    }
    event.context.auth = outcome.auth;
    return undefined;
  };
}
