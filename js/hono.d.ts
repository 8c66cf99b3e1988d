import type { VerifierOptions } from './index.d.ts';
import type { Auth, ProtectSettings } from './worker.d.ts';

export type { Auth };

/** Hono middleware: verifies the bearer token and sets `c.get('auth')`. */
export declare function jwtAuth<Env = unknown>(
  options: VerifierOptions | VerifierOptions[] | ((env: Env) => VerifierOptions | VerifierOptions[]),
  settings?: ProtectSettings,
): (c: any, next: () => Promise<void>) => Promise<Response | void>;
