import type { MiddlewareHandler } from 'hono';
import type { VerifierOptions } from './index.js';
import type { Auth, GatewayAuth, GatewayConfig, ProtectSettings } from './worker.js';

export type { Auth, GatewayAuth, GatewayConfig };

// `c.get('auth')` and `c.var.auth` are typed wherever this module is imported.
declare module 'hono' {
  interface ContextVariableMap {
    auth: Auth;
  }
}

/**
 * Hono middleware: verifies the bearer token and sets `c.get('auth')`.
 * `Env` is the Worker's environment (`c.env`); give it as `jwtAuth<Env>(…)`.
 * A function `options` is called once per env content (what it read of
 * `c.env`), not per env object, so runtimes that pass a new `c.env` each
 * request (Node's `@hono/node-server`, Deno) keep one verifier; its
 * verifiers share one DPoP replay memory.
 */
export declare function jwtAuth<Env extends object = Record<string, any>>(
  options: VerifierOptions | VerifierOptions[] | ((env: Env) => VerifierOptions | VerifierOptions[]),
  settings?: ProtectSettings,
): MiddlewareHandler<{ Bindings: Env; Variables: { auth: Auth } }>;

/**
 * Gateway rules as Hono middleware: sets `c.get('auth')` (a GatewayAuth, or
 * null) and replaces `c.req.raw` with the request to forward. Read it as
 * `c.get('auth') as GatewayAuth | null` behind this middleware.
 */
export declare function jwtGateway<Env extends object = Record<string, any>>(
  config: GatewayConfig<Env>,
): MiddlewareHandler<{ Bindings: Env; Variables: { auth: GatewayAuth | null } }>;
