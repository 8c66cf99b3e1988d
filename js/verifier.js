/**
 * createVerifier and inspectToken: the public API over the WebAssembly core.
 * The core must already be instantiated; each entry point (node.js,
 * browser.js, workerd.js) does that before re-exporting this module.
 */

import { inspect } from '../pkg/jwtguard.js';
import { INTROSPECTION_TYP, MAX_INTROSPECTION_RESPONSE_SIZE } from '../pkg/facts.js';
import { withServerNonces } from './dpop-nonce.js';
import { JwtGuardError, fromCore } from './errors.js';
import { createIssuers } from './issuers.js';
import { introspectingVerifier } from './introspection-verifier.js';
import { keyedCore } from './keyed-core.js';
import { REPLAY_SCOPE, refuseReplay } from './replay.js';
import { presentedCredentials } from './request.js';
import { tokenInput } from './token-input.js';
import { tokenPath } from './token-path.js';
import { SYNC_BACKEND, policyError, verifierSettings } from './verifier-options.js';

export { SYNC_BACKEND };

/**
 * The method of a verifier that opens a signed introspection response
 * (RFC 9701) with its policy and keys: for js/introspection.js, through
 * createVerifier's `introspection` option.
 */
const OPEN_INTROSPECTION_RESPONSE = Symbol('jwtguard.openIntrospectionResponse');

const encoder = new TextEncoder();

/**
 * Builds a verifier from a policy and keys, or, from an array of them, one
 * verifier for several issuers, each with its own keys.
 * @param {import('./index.d.ts').VerifierOptions | import('./index.d.ts').VerifierOptions[]} options
 * @returns {import('./index.d.ts').Verifier}
 */
export function createVerifier(options) {
  if (Array.isArray(options)) {
    return createIssuers(options.map((each, index) => {
      // Each element is one issuer's options; arrays do not nest.
      if (!each || typeof each !== 'object' || Array.isArray(each)) {
        throw policyError(`issuer configuration ${index} must be an object of createVerifier options`);
      }
      return createVerifier(each);
    }));
  }
  const settings = verifierSettings(options);
  if (settings.introspection !== null) {
    const source = settings.introspection;
    if (source.accept === 'jwt') {
      // RFC 9701 §5: issued by the authorization server to this resource.
      const responses = createVerifier({
        issuer: source.issuer,
        audience: source.clientId,
        typ: INTROSPECTION_TYP,
        requireExp: false,
        maxTokenAge: source.responseMaxAge,
        maxTokenSize: MAX_INTROSPECTION_RESPONSE_SIZE,
        keys: source.responseKeys,
        ...(options.now === undefined ? {} : { now: options.now }),
        ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      });
      source.useResponses({ open: (jwt, context) => responses[OPEN_INTROSPECTION_RESPONSE](jwt, context) });
    }
    return introspectingVerifier(settings);
  }
  const keyed = keyedCore(settings);
  const { verifySync, verifyAsync, remembered } = tokenPath(settings, keyed);
  const check = verifyAsync ?? verifySync;

  async function verifyLoaded(token, context) {
    try {
      return await keyed.withKeys(token, context, check);
    } catch (error) {
      throw withRequestHint(error);
    }
  }

  return Object.freeze({
    policy: Object.freeze(JSON.parse(settings.policyJson)),
    ready: () => keyed.ready(),
    verifySync: (token) => {
      try {
        return verifySync(token);
      } catch (error) {
        throw withRequestHint(error);
      }
    },
    /**
     * Loads keys if needed, then verifies, with WebCrypto where the host has
     * it (unless `webCrypto: false`). `context.waitUntil` (a Worker's
     * `ctx.waitUntil`) receives background key refreshes this call starts.
     * A token the verified-token cache holds is answered at once.
     */
    verify(token, context) {
      const hit = remembered(token, context);
      return hit === null ? verifyLoaded(token, context) : Promise.resolve(hit);
    },
    /**
     * Verifies the access token of an HTTP request as it was presented: the
     * Bearer or DPoP scheme, the DPoP proof, the client certificate. A
     * DPoP proof's `jti` is then refused if this verifier's replay store has
     * seen it (in another request: `context[REPLAY_SCOPE]` holds one
     * request's answers when a gateway checks it against several policies).
     * With `dpopNonce`, a DPoP request's proof must carry a current server
     * nonce: the result, and an `ERR_DPOP_NONCE` refusal, carry the nonce to
     * send (`dpopNonce`).
     */
    async verifyRequest(request, options, context) {
      const presented = presentedCredentials(request, options);
      return withServerNonces(settings.dpopNonce, settings.now(), presented, async (withNonces) => {
        const result = await keyed.withKeys(presented.token, context, (token, retryContext) => check(token, retryContext, withNonces));
        if (result.binding?.type === 'dpop') await refuseReplay(settings.replayStore, result.binding, settings.now(), context?.[REPLAY_SCOPE]);
        return result;
      });
    },
    /**
     * A signed introspection response (RFC 9701) verified by the core with
     * this verifier's policy and keys: resolves to its token_introspection
     * text. A kid not in the key set gets one refresh, as for a token.
     */
    async [OPEN_INTROSPECTION_RESPONSE](jwt, context) {
      tokenInput(jwt, settings.maxTokenSize);
      const open = (response, retryContext) => {
        const verifier = keyed.sync(retryContext);
        try {
          return verifier.introspectionResponse(encoder.encode(response), settings.now());
        } catch (error) {
          throw keyed.failure(error);
        }
      };
      // The core names the check that failed first in the detail.
      return keyed.withKeys(jwt, context, open, (error) => error.detail?.startsWith('ERR_KEY_NOT_FOUND'));
    },
    /** Entries of the current key set that were skipped, with reasons. */
    skippedKeys() {
      const verifier = keyed.sync();
      return verifier === null ? [] : JSON.parse(verifier.skipped());
    },
  });
}

/**
 * verify() and verifySync() take a bare token, so a bound one (the core's
 * ERR_TOKEN_BOUND: it carries cnf, and its proof is missing) gets the name
 * of the method that reads the proof from its request.
 */
function withRequestHint(error) {
  if (error?.code !== 'ERR_TOKEN_BOUND' || error.detail === null) return error;
  return new JwtGuardError(error.code, `${error.detail} through verifyRequest`, { claim: error.claim });
}

/**
 * Decodes a token without verifying it: for display only.
 * @param {string} token
 */
export function inspectToken(token) {
  tokenInput(token);
  let json;
  try {
    json = inspect(token);
  } catch (error) {
    throw fromCore(error);
  }
  return JSON.parse(json);
}
