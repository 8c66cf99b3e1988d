/**
 * Several issuers, one verifier: `createVerifier([optionsA, optionsB, …])`.
 * Each configuration keeps its own keys and policy; the core's router reads
 * a token's `iss` (and `tid`) only to choose exactly one of them, which then
 * checks everything. Overlapping issuers are refused when it is built.
 */

import { WasmRouter } from '../pkg/jwtguard.js';
import { JwtGuardError, fromCore } from './errors.js';
import { isIntrospecting } from './introspection-verifier.js';
import { readRequest } from './request.js';
import { tokenInput } from './token-input.js';
import { coreSlot } from './trap.js';

const encoder = new TextEncoder();

/** The router's refusals of a token no JWT configuration is for: not a compact JWS, or no accepted `iss`. */
const UNROUTED = new Set(['ERR_TOKEN_MALFORMED', 'ERR_CLAIM_MISSING', 'ERR_CLAIM_INVALID', 'ERR_ISSUER_INVALID']);

/**
 * One verifier over `verifiers`, each built by createVerifier for one issuer.
 * @param {import('./index.d.ts').Verifier[]} verifiers
 * @returns {import('./index.d.ts').Verifier}
 */
export function createIssuers(verifiers) {
  // Each verifier here has one issuer, so one policy.
  const policies = verifiers.map((v) => /** @type {import('./index.d.ts').Policy & { maxTokenSize: number }} */ (v.policy));
  if (verifiers.length === 0) {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'at least one issuer configuration is required');
  }
  const introspecting = verifiers.filter(isIntrospecting);
  if (introspecting.length > 1) {
    throw new JwtGuardError('ERR_POLICY_INVALID', 'at most one issuer configuration may introspect: opaque tokens carry no issuer to route by');
  }
  const [introspector = null] = introspecting;
  // The core's router chooses among the JWT configurations.
  const jwtVerifiers = verifiers.filter((v) => !isIntrospecting(v));
  const policiesJson = JSON.stringify(jwtVerifiers.map((v) => v.policy));
  let router;
  try {
    // After a trap restarted the core, the router is built again in the new instance.
    router = jwtVerifiers.length === 0 ? null : coreSlot(() => new WasmRouter(policiesJson));
  } catch (error) {
    throw fromCore(error);
  }

  // A token over every configuration's size cap is refused as a single
  // verifier refuses it, before it is copied into wasm memory to be routed.
  const maxTokenSize = Math.max(...policies.map((p) => p.maxTokenSize));

  /** The verifier for `token`'s issuer. */
  function route(token) {
    tokenInput(token, maxTokenSize);
    if (jwtVerifiers.length === 0) return introspector;
    try {
      return jwtVerifiers[router.get().route(encoder.encode(token))];
    } catch (error) {
      const guarded = fromCore(error);
      // Not a JWT (no compact JWS), or a JWT of no configured issuer: the
      // introspecting configuration's authorization server decides.
      if (introspector !== null && UNROUTED.has(guarded.code)) return introspector;
      throw guarded;
    }
  }

  return Object.freeze({
    policy: Object.freeze(policies),
    async ready() {
      await Promise.all(verifiers.map((v) => v.ready()));
    },
    verifySync: (token) => route(token).verifySync(token),
    // async: a token that cannot be routed rejects, as a single verifier's verify does.
    verify: async (token, context) => route(token).verify(token, context),
    async verifyRequest(request, options, context) {
      const presented = readRequest(request, options);
      // A request without one token is refused by any configuration alike.
      const chosen = presented.problem ? verifiers[0] : route(presented.token);
      return chosen.verifyRequest(request, options, context);
    },
    /** Skipped key-set entries of every configuration, each with its index. */
    skippedKeys() {
      return verifiers.flatMap((v, configuration) => v.skippedKeys().map((entry) => ({ ...entry, configuration })));
    },
  });
}
