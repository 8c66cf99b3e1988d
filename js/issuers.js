/**
 * Several issuers, one verifier: `createVerifier([optionsA, optionsB, …])`.
 * Each configuration keeps its own keys and policy; the core's router reads
 * a token's `iss` (and `tid`) only to choose exactly one of them, which then
 * checks everything. Overlapping issuers are refused when it is built.
 */

import { WasmRouter } from '../pkg/jwtguard.js';
import { JwtGuardError, fromCore } from './errors.js';
import { readRequest } from './request.js';
import { tokenInput } from './token-input.js';
import { coreSlot } from './trap.js';

const encoder = new TextEncoder();

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
  const policiesJson = JSON.stringify(policies);
  let router;
  try {
    // After a trap restarted the core, the router is built again in the new instance.
    router = coreSlot(() => new WasmRouter(policiesJson));
  } catch (error) {
    throw fromCore(error);
  }

  // A token over every configuration's size cap is refused as a single
  // verifier refuses it, before it is copied into wasm memory to be routed.
  const maxTokenSize = Math.max(...policies.map((p) => p.maxTokenSize));

  /** The verifier for `token`'s issuer. */
  function route(token) {
    tokenInput(token, maxTokenSize);
    try {
      return verifiers[router.get().route(encoder.encode(token))];
    } catch (error) {
      throw fromCore(error);
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
