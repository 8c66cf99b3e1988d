import type { VerifierOptions } from './index.d.ts';
import type { Auth, GatewayAuth, GatewayConfig, ProtectSettings } from './worker.d.ts';

export type { Auth, GatewayAuth, GatewayConfig };

/** Hono middleware: verifies the bearer token and sets `c.get('auth')`. */
export declare function jwtAuth<Env = unknown>(
  options: VerifierOptions | VerifierOptions[] | ((env: Env) => VerifierOptions | VerifierOptions[]),
  settings?: ProtectSettings,
): (c: any, next: () => Promise<void>) => Promise<Response | void>;

/**
 * Gateway rules as Hono middleware: sets `c.get('auth')` (a GatewayAuth, or
 * null) and replaces `c.req.raw` with the request to forward.
 */
export declare function jwtGateway<Env = unknown>(config: GatewayConfig<Env>): (c: any, next: () => Promise<void>) => Promise<Response | void>;
