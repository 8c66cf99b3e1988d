/**
 * `jwtguard/koa`: Koa middleware (Koa 2 and 3). Sets `ctx.state.auth` to
 * `{ claims, header, key, binding }`.
 *
 *   import { jwtAuth } from '@jwtguard/jwtguard/koa';
 *   app.use(jwtAuth({ issuer, audience, keys: discover(issuer) }));
 *   app.use((ctx) => { ctx.body = ctx.state.auth.claims; });
 */

import { authenticator } from './authenticate.js';
import { nodeSettings } from './node-request.js';
import { checkNodeRequest } from './request-check.js';

/**
 * The middleware: verifies each request's token and sets `ctx.state.auth`, or answers.
 * @param {object | object[] | ((ctx: object) => object | object[])} options createVerifier options, or a function of Koa's context (per-tenant policies)
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, origin?: string, trustProxy?: boolean, checkPreflight?: boolean }} [settings]
 * @returns {(ctx: any, next: () => Promise<unknown>) => Promise<void>}
 */
export function jwtAuth(options, settings) {
  const { trust, rest } = nodeSettings(settings);
  const guard = authenticator(options, rest);
  return async function jwtGuardMiddleware(ctx, next) {
    // Koa's own view of the scheme (its `proxy` setting) and the path as received, before any router rewrote it.
    const outcome = await checkNodeRequest(guard, trust, ctx.req, { protocol: ctx.protocol, path: ctx.originalUrl }, ctx);
    if ('answer' in outcome) {
      const { status, headers, body } = outcome.answer;
      ctx.status = status;
      ctx.set(headers);
      // Koa serializes an object as JSON and sends no body to a HEAD.
      ctx.body = body;
      return;
    }
    if ('preflight' in outcome) {
      // A CORS preflight goes on without a token check, without ctx.state.auth and without credentials:
      // the context's headers are the request's, its url is the request's, its originalUrl its own copy.
      guard.stripNodeCredentials(ctx);
    } else {
      ctx.set(outcome.headers);
      ctx.state.auth = outcome.auth;
    }
    await next();
  };
}
