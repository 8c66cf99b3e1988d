/**
 * The request-level check shared by the Worker and Hono middleware: build (and
 * keep) the verifier, extract the bearer token, verify, and map failures to
 * RFC 6750 answers.
 */

import { createVerifier, JwtGuardError } from 'jwtguard';
import { bearerToken, failureResponse } from './bearer.js';

/**
 * Returns `authenticate(request, env, ctx)` → `{ auth }` or `{ failure }`.
 * `options` is createVerifier's options or `(env) => options`; with a
 * function, one verifier is built per `env` object (one per isolate in
 * Workers) and kept.
 */
export function authenticator(options, { realm = 'api' } = {}) {
  const byEnv = new WeakMap();
  let shared = null;

  function verifierFor(env) {
    if (typeof options !== 'function') return (shared ??= createVerifier(options));
    const key = env && typeof env === 'object' ? env : authenticator;
    let verifier = byEnv.get(key);
    if (!verifier) {
      verifier = createVerifier(options(env ?? {}));
      byEnv.set(key, verifier);
    }
    return verifier;
  }

  /**
   * @param {Request} request
   * @param {object} env
   * @param {{ waitUntil?: (promise: Promise<unknown>) => void }} [ctx] background key refreshes go to `ctx.waitUntil`
   */
  return async function authenticate(request, env, ctx) {
    const extracted = bearerToken(request.headers.get('authorization'));
    if (!extracted.token) return { failure: failureResponse({ problem: extracted.problem, realm }) };
    let verifier;
    try {
      verifier = verifierFor(env);
      const waitUntil = ctx?.waitUntil ? (promise) => ctx.waitUntil(promise) : undefined;
      const { claims, header, key } = await verifier.verify(extracted.token, { waitUntil });
      return { auth: { claims, header, key } };
    } catch (error) {
      const guarded = error instanceof JwtGuardError ? error : new JwtGuardError('ERR_INTERNAL', 'internal error', { cause: error });
      return { failure: failureResponse({ error: guarded, realm, scopes: verifier?.policy.scopes }) };
    }
  };
}
