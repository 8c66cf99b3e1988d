import type { H3Event } from 'h3';
import type { Verifier, VerifierOptions } from './index.js';
import type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources };

// `event.context.auth` is typed wherever this module is imported (h3 2 and h3 1).
declare module 'h3' {
  interface H3EventContext {
    /**
     * Set by `defineAuthMiddleware` before the routes run; absent on a CORS
     * preflight it let through unchecked (see `checkPreflight`).
     */
    auth?: Auth;
  }
}

/** The settings of the h3 middleware. */
export interface H3Settings extends ProtectSettings {
  /**
   * The API's public origin, such as `"https://api.example.com"`: a DPoP
   * proof's `htu` and the RFC 9728 URLs are then built on it rather than on
   * the request's Host header (h3 1) or the server's request URL (h3 2).
   * Recommended behind a proxy. (`trustProxy` is refused: give `origin`.)
   */
  origin?: string;
}

/**
 * Middleware for h3 2 (`app.use`, reading `event.req`) and h3 1 (`app.use`,
 * reading `event.node.req`; Nuxt 3 and 4, Nitro 2): verifies the request's
 * token and sets `event.context.auth`, or answers 400/401/403/503 (RFC 6750,
 * RFC 9449) with `{ error, code }` as JSON. With `resourceMetadata` it also
 * serves RFC 9728 metadata at `/.well-known/oauth-protected-resource`.
 * `options` may be a function of the event (per-tenant policies): return
 * the same object for the same tenant, so its verifier and keys are kept.
 */
export declare function defineAuthMiddleware(
  options: VerifierOptions | VerifierOptions[] | ((event: H3Event) => VerifierOptions | VerifierOptions[] | Verifier),
  settings?: H3Settings,
): (event: H3Event) => Promise<Response | undefined>;
