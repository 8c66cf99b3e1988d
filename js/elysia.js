/**
 * `jwtguard/elysia`: an Elysia plugin (Bun, and Elysia's other adapters).
 * Derives `auth`, `{ claims, header, key, binding }`, for the routes of the
 * app that uses it.
 *
 *   import { jwtAuth } from '@jwtguard/jwtguard/elysia';
 *   new Elysia().use(jwtAuth({ issuer, audience, keys: discover(issuer) }))
 *     .get('/whoami', ({ auth }) => auth.claims);
 */

import { Elysia } from 'elysia';
import { authenticator } from './authenticate.js';
import { checkRequest } from './request-check.js';
import { toResponse, workerContext } from './worker-request.js';

/**
 * The plugin: verifies each request's token and derives `auth`, or answers.
 * @param {object | object[] | ((request: Request) => object | object[])} options createVerifier options, or a function of the request (per-tenant policies)
 * @param {{ realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, checkPreflight?: boolean }} [settings]
 */
export function jwtAuth(options, settings) {
  const guard = authenticator(options, settings);
  return new Elysia()
    // Before routing: the metadata document is served whatever routes the app has.
    .onRequest(({ request }) => {
      const metadata = guard.metadata(request, request);
      return metadata ? toResponse(metadata, request.method) : undefined;
    })
    .derive({ as: 'global' }, async ({ request, set, status }) => {
      const outcome = await checkRequest(guard, request, request, workerContext(request));
      if ('answer' in outcome) {
        Object.assign(set.headers, outcome.answer.headers);
        return status(outcome.answer.status, outcome.answer.body);
      }
      // A CORS preflight goes on without a token check, without auth and without credentials.
      if ('preflight' in outcome) return { auth: null, request: guard.withoutCredentials(request) };
      Object.assign(set.headers, outcome.headers);
      return { auth: outcome.auth };
    });
}
