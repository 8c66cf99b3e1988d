/**
 * The verifier of `createVerifier({ introspection, ...policy })`: each
 * token's answer comes from its introspection source (js/introspection.js,
 * cached), and the core checks it against the policy at the time of the
 * request (src/introspection.rs): `active`, issuer, audience, times,
 * clients, roles, scopes, tenants, and the `cnf` binding with the request's
 * DPoP proof or client certificate.
 */

import { WasmIntrospection } from '../pkg/jwtguard.js';
import { withServerNonces } from './dpop-nonce.js';
import { JwtGuardError, fromCore } from './errors.js';
import { REPLAY_SCOPE, refuseReplay } from './replay.js';
import { presentedCredentials } from './request.js';
import { deepFreeze } from './token-cache.js';
import { tokenInput } from './token-input.js';
import { presentation } from './token-path.js';
import { coreSlot } from './trap.js';

const encoder = new TextEncoder();

/** The verifiers made here, for the issuer router (js/issuers.js). */
const INTROSPECTING = new WeakSet();

/** Whether `verifier` asks an introspection endpoint rather than verifying JWTs. */
export function isIntrospecting(verifier) {
  return INTROSPECTING.has(verifier);
}

/**
 * @param {import('./verifier-options.js').VerifierSettings} settings with an introspection source
 * @returns {import('./index.d.ts').Verifier}
 */
export function introspectingVerifier({ policyJson, maxTokenSize, now, introspection: source, replayStore, dpopNonce, emit }) {
  let checker;
  try {
    checker = coreSlot(() => new WasmIntrospection(policyJson));
  } catch (error) {
    throw fromCore(error);
  }

  /** The core's check of `answer` about `token`, as `presented` (a bearer token when undefined). */
  function check(answer, token, presented) {
    const at = now();
    const bearer = ['bearer', undefined, undefined, undefined, undefined, undefined, undefined];
    try {
      const json = checker.get().check(answer, encoder.encode(token), at, ...(presented === undefined ? bearer : presentation(presented)));
      const { claims, binding } = JSON.parse(json);
      return deepFreeze({ header: {}, claims, key: null, binding, introspected: true });
    } catch (error) {
      const guarded = fromCore(error);
      if (error instanceof WebAssembly.RuntimeError) emit({ type: 'core-restarted', error: guarded });
      throw guarded;
    }
  }

  async function verify(token, context, presented) {
    tokenInput(token, maxTokenSize);
    const answer = await source.answer(token, context);
    return check(answer, token, presented);
  }

  const verifier = Object.freeze({
    policy: Object.freeze(JSON.parse(policyJson)),
    async ready() {},
    verifySync() {
      throw new JwtGuardError('ERR_POLICY_INVALID', 'an introspecting verifier asks the authorization server: use verify() or verifyRequest()');
    },
    verify: (token, context) => verify(token, context),
    async verifyRequest(request, options, context) {
      const presented = presentedCredentials(request, options);
      return withServerNonces(dpopNonce, now(), presented, async (withNonces) => {
        const result = await verify(presented.token, context, withNonces);
        if (result.binding?.type === 'dpop') await refuseReplay(replayStore, result.binding, now(), context?.[REPLAY_SCOPE]);
        return result;
      });
    },
    skippedKeys: () => [],
  });
  INTROSPECTING.add(verifier);
  return verifier;
}
