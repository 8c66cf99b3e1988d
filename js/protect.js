/**
 * The request-level check shared by the Worker and Hono middleware: build (and
 * keep) the verifier, read the credentials, verify the request as presented
 * (Bearer or DPoP, with Cloudflare's verified client certificate), and map
 * failures to RFC 6750 / RFC 9449 answers.
 */

import { createVerifier, JwtGuardError } from '@jwtguard/jwtguard';
import { failureResponse, readAuthorization } from './bearer.js';
import { cloudflareCertificate } from './request.js';

/**
 * Returns `authenticate(request, env, ctx)` → `{ auth }` or `{ failure }`.
 * `options` is createVerifier's options (an object, or an array of them for
 * several issuers) or `(env) => options`; with a
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
    const credentials = readAuthorization(request.headers.get('authorization'));
    let verifier;
    try {
      verifier = verifierFor(env);
      const { dpopAlgorithms } = policyOf(verifier);
      if (credentials.problem) return { failure: failureResponse({ problem: credentials.problem, realm, dpopAlgorithms }) };
      const waitUntil = ctx?.waitUntil ? (promise) => ctx.waitUntil(promise) : undefined;
      const { claims, header, key, binding } = await verifier.verifyRequest(
        request,
        { clientCertificate: cloudflareCertificate(request) },
        { waitUntil },
      );
      return { auth: { claims, header, key, binding } };
    } catch (error) {
      const guarded = error instanceof JwtGuardError ? error : new JwtGuardError('ERR_INTERNAL', null, { cause: error });
      const policy = verifier ? policyOf(verifier) : {};
      return {
        failure: failureResponse({
          error: guarded, realm, scopes: policy.scopes, scheme: credentials.scheme, dpopAlgorithms: policy.dpopAlgorithms,
        }),
      };
    }
  };
}

/**
 * The policy the answers describe: a several-issuer verifier's first
 * configuration (the algorithms are the same unless configured otherwise).
 */
function policyOf(verifier) {
  return Array.isArray(verifier.policy) ? verifier.policy[0] : verifier.policy;
}
