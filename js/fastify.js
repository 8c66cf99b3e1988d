/**
 * `jwtguard/fastify`: a Fastify 5 plugin. It protects the routes of the
 * context it is registered in (an `onRequest` hook) and sets `request.auth`
 * to `{ claims, header, key, binding }`.
 *
 *   import { jwtAuth } from '@jwtguard/jwtguard/fastify';
 *   app.register(async (api) => {
 *     await api.register(jwtAuth, { options: { issuer, audience, keys: discover(issuer) } });
 *     api.get('/whoami', async (request) => request.auth.claims);
 *   });
 */

import { authenticator } from './authenticate.js';
import { WELL_KNOWN } from './resource-metadata.js';
import { JwtGuardError } from './errors.js';
import { nodeCertificate, nodeRequest, nodeSettings } from './node-request.js';

/** Fastify's own plugin options, which are not the middleware's. */
const FASTIFY_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers']);

/** Writes a plain answer through Fastify's reply (which serializes the body). */
function send(reply, { status, headers, body }) {
  return reply.code(status).headers(headers).send(body);
}

/**
 * @param {import('fastify').FastifyInstance} fastify
 * @param {{ options: object | object[] | ((request: object) => object | object[]), realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object }} pluginOptions
 */
export async function jwtAuth(fastify, pluginOptions) {
  const { options, ...rest } = pluginOptions ?? {};
  if (options === undefined) {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'register jwtAuth with { options: <createVerifier options or a function of the request> }');
  }
  const { trust, rest: settings } = nodeSettings(Object.fromEntries(Object.entries(rest).filter(([name]) => !FASTIFY_OPTIONS.has(name))));
  const guard = authenticator(options, settings);
  /**
   * `{ request }` as the shared authentication reads it, or `{ refusal }`:
   * the 400 for a request it cannot read. The scheme is Fastify's (its own
   * trustProxy setting); the host is the Host header unless jwtguard's
   * `trustProxy` or `origin` says otherwise.
   */
  const readRequest = (request) => {
    try {
      return { request: nodeRequest(request.raw, trust, { protocol: request.protocol, path: request.url }) };
    } catch (error) {
      return { refusal: guard.refusal(error) };
    }
  };

  // Marks the metadata routes this plugin serves (Fastify binds handlers, so they cannot be compared):
  // only a GET or HEAD that reached one of them is let through unauthenticated.
  const served = Symbol('jwtguard metadata route');
  if (settings.resourceMetadata) {
    // The document lives at the root (RFC 9728 §3.1): under a prefix it would be in the wrong place.
    if (fastify.prefix !== '') {
      throw new JwtGuardError('ERR_POLICY_INVALID', 'resourceMetadata needs jwtAuth registered in a context without a prefix');
    }
    const serve = async (request, reply) => {
      const { request: presented, refusal } = readRequest(request);
      const answer = refusal ?? guard.metadata(presented, request);
      return send(reply, answer ?? { status: 404, headers: {}, body: { error: 'not_found' } });
    };
    fastify.get(WELL_KNOWN, { config: { [served]: true } }, serve);
    fastify.get(`${WELL_KNOWN}/*`, { config: { [served]: true } }, serve);
  }

  if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', null);
  fastify.addHook('onRequest', async (request, reply) => {
    // A user's own route at the well-known path, or another method, is authenticated as any other.
    if ((request.method === 'GET' || request.method === 'HEAD') && request.routeOptions?.config?.[served] === true) return undefined;
    const { request: presented, refusal } = readRequest(request);
    if (refusal) return send(reply, refusal);
    if (guard.passesPreflight(presented)) {
      // A CORS preflight goes on without a token check, without request.auth and without credentials.
      guard.stripNodeCredentials(request.raw);
      return undefined;
    }
    const { auth, failure, headers } = await guard.authenticate(presented, request, { clientCertificate: nodeCertificate(request.raw) });
    if (failure) return send(reply, failure);
    reply.headers(headers);
    /** @type {any} */ (request).auth = auth;
    return undefined;
  });
}

// Registered without encapsulation (as fastify-plugin does), so the hook
// protects the routes of the context that registers it.
jwtAuth[Symbol.for('skip-override')] = true;
jwtAuth[Symbol.for('fastify.display-name')] = 'jwtguard';
