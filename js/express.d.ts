import type { Verifier, VerifierOptions } from './index.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth, ProtectSettings, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, ProtectSettings, ResourceMetadata, TokenSources };

/** A request once the middleware has let it through. */
export type AuthenticatedRequest<Req = IncomingMessage> = Req & { auth: Auth };

/**
 * Middleware for Express 4 and 5, Connect and plain `http.createServer`
 * handlers: verifies the request's token and sets `req.auth`, or answers
 * 401/403/503 (RFC 6750) itself. `options` may be a function of the request
 * (per-tenant policies): return the same object (or a verifier) for the same
 * tenant, so its verifier and keys are kept. The verifiers it builds share
 * one DPoP replay memory, so a proof is used once across tenants too.
 */
export declare function jwtAuth<Req extends IncomingMessage = IncomingMessage>(
  options: VerifierOptions | VerifierOptions[] | ((req: Req) => VerifierOptions | VerifierOptions[] | Verifier),
  settings?: ProtectSettings,
): (req: Req, res: ServerResponse, next?: (error?: unknown) => void) => void;
