/**
 * `jwtguard/express`: middleware for Express 4 and 5, Connect, and plain
 * `http.createServer` handlers. Sets `req.auth` to `{ claims, header, key, binding }`.
 *
 *   import { jwtAuth } from '@jwtguard/jwtguard/express';
 *   app.use('/api', jwtAuth({ issuer, audience, keys: discover(issuer) }));
 *   app.get('/api/whoami', (req, res) => res.json(req.auth.claims));
 */

import { authenticator } from './authenticate.js';
import { nodeCertificate, nodeRequest, nodeSettings, sendAnswer } from './node-request.js';

/** The answer when `next` failed on a plain node:http server, which has no error handler of its own. */
const NEXT_FAILED = Object.freeze({ status: 500, headers: { 'content-type': 'application/json' }, body: { error: 'server_error', code: 'ERR_INTERNAL' } });

/**
 * @param {object | object[] | ((req: object) => object | object[])} options createVerifier options, or a function of the request (per-tenant policies)
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, origin?: string, trustProxy?: boolean, checkPreflight?: boolean }} [settings]
 * @returns {(req: object, res: object, next?: (error?: unknown) => void) => void}
 */
export function jwtAuth(options, settings) {
  const { trust, rest } = nodeSettings(settings);
  const guard = authenticator(options, rest);
  return function jwtGuardMiddleware(req, res, next = () => {}) {
    let request;
    try {
      request = nodeRequest(req, trust);
    } catch (error) {
      sendAnswer(res, guard.refusal(error), req.method);
      return;
    }
    const metadata = guard.metadata(request, req);
    if (metadata) {
      sendAnswer(res, metadata, req.method);
      return;
    }
    if (guard.passesPreflight(request)) {
      // A CORS preflight goes on without a token check, without req.auth and without credentials.
      guard.stripNodeCredentials(req);
      next();
      return;
    }
    guard.authenticate(request, req, { clientCertificate: nodeCertificate(req) }).then(({ auth, failure, headers }) => {
      if (failure) return sendAnswer(res, failure, req.method);
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      req.auth = auth;
      return next();
    }, next).catch(() => {
      // Express and Connect catch what their `next` throws; a plain node:http `next` (sync or async)
      // would otherwise end the process with an unhandled rejection.
      if (!res.headersSent) sendAnswer(res, NEXT_FAILED, req.method);
      else res.destroy();
    });
  };
}
