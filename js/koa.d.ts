import type { Middleware, ParameterizedContext } from 'koa';
import type { Verifier, VerifierOptions } from './index.js';
import type { NodeSettings } from './express.js';
import type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, NodeSettings, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources };

/** The `ctx.state` of the middleware and handlers behind `jwtAuth`. */
export interface AuthState {
  /**
   * Set by `jwtAuth` before the next middleware runs; absent on a CORS
   * preflight it let through unchecked (see `checkPreflight`).
   */
  auth: Auth;
}

/**
 * Koa middleware (Koa 2 and 3): verifies the request's token and sets
 * `ctx.state.auth`, or answers 400/401/403/503 (RFC 6750, RFC 9449) itself
 * with `{ error, code }` as JSON. With `resourceMetadata` it also serves
 * RFC 9728 metadata at `/.well-known/oauth-protected-resource`. The
 * request URL (a DPoP proof's `htu`) is built as for Express: `origin`, or
 * `trustProxy`, or Koa's `ctx.protocol` (which follows `app.proxy`) and the
 * Host header. `options` may be a function of the context (per-tenant
 * policies): return the same object for the same tenant, so its verifier
 * and keys are kept.
 */
export declare function jwtAuth<State extends object = object, Context extends object = object>(
  options: VerifierOptions | VerifierOptions[] | ((ctx: ParameterizedContext<State, Context>) => VerifierOptions | VerifierOptions[] | Verifier),
  settings?: NodeSettings,
): Middleware<State & AuthState, Context>;
