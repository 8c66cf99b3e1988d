import type { Verifier, VerifierOptions } from './index.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources };

/**
 * The settings of the Node adapters (Express, Connect, node:http, Fastify):
 * where the request's absolute URL comes from. A DPoP proof's `htu` is
 * checked against that URL, and RFC 9728's `resource` and
 * `resource_metadata` URLs are built from it. A Host header (or forwarded
 * host) that is not a plain `host[:port]`, or a target that is not a path,
 * gets 400 `invalid_request` (`ERR_REQUEST_INVALID`) before any token is read.
 */
export interface NodeSettings extends ProtectSettings {
  /**
   * The API's public origin, such as `"https://api.example.com"`: the Host
   * header and forwarded headers are then not read at all. Recommended in
   * production, and behind any proxy.
   */
  origin?: string;
  /**
   * Read the scheme and host from the proxy in front of the app: `Forwarded`
   * (RFC 7239), else `X-Forwarded-Proto` / `X-Forwarded-Host`, the last value
   * of each. Only when every request reaches the app through that proxy.
   * Default false: the scheme is the framework's (Express's `req.protocol`,
   * Fastify's `request.protocol`, which follow their own proxy settings) or
   * the socket's, and the host is the Host header.
   */
  trustProxy?: boolean;
}

declare global {
  // Express's own Request type (from @types/express) gains `auth` when this
  // module is imported, so `req.auth.claims` compiles under `strict`.
  namespace Express {
    interface Request {
      /**
       * Set by `jwtAuth` before the next handler runs: present on every
       * route behind it (undefined on routes it does not protect).
       */
      auth: Auth;
    }
  }
}

/** A request once the middleware has let it through. */
export type AuthenticatedRequest<Req = IncomingMessage> = Req & { auth: Auth };

/**
 * Middleware for Express 4 and 5, Connect and plain `http.createServer`
 * handlers: verifies the request's token and sets `req.auth`, or answers
 * 401/403/503 (RFC 6750) itself. `options` may be a function of the request
 * (per-tenant policies): return the same object (or a verifier) for the same
 * tenant, so its verifier and keys are kept. The verifiers it builds share
 * one DPoP replay memory, so a proof is used once across tenants too. On a
 * plain `http.createServer` handler, an error thrown (or a promise rejected)
 * by `next` is answered 500 `{ error: "server_error", code: "ERR_INTERNAL" }`
 * when nothing was sent yet.
 */
export declare function jwtAuth<Req extends IncomingMessage = IncomingMessage>(
  options: VerifierOptions | VerifierOptions[] | ((req: Req) => VerifierOptions | VerifierOptions[] | Verifier),
  settings?: NodeSettings,
): (req: Req, res: ServerResponse, next?: (error?: unknown) => void) => void;
