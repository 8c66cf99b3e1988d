import type { VerifierOptions } from './index.js';
import type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources };

/**
 * The second argument Next.js passes a route handler: `params`, a Promise of
 * the dynamic segments (Next 15 and later).
 */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

/** withAuth's settings: the shared middleware settings and the app's public origin. */
export interface NextSettings extends ProtectSettings {
  /**
   * The app's public origin, such as `"https://app.example.com"`: the request
   * URL is read at that origin (a DPoP proof's `htu` is checked against it,
   * and RFC 9728 URLs are built from it) instead of `request.url`, which
   * Next rebuilds itself (an edge route under `next start` sees `localhost`).
   * Set it for DPoP and resource metadata.
   */
  origin?: string;
}

/**
 * Wraps a Next.js App Router route handler (Node.js or Edge runtime). A
 * request without a valid token gets 401 with an RFC 6750 challenge, one
 * whose token lacks what the policy asks (a role, scope, client, tenant)
 * 403, and one the keys cannot be loaded for 503; otherwise `handler` runs
 * with Next's context and `auth`. A function `options` is called with the
 * request (per-tenant policies); a verifier is kept per returned object.
 */
export declare function withAuth<Context extends object = RouteContext>(
  handler: (request: Request, context: Context & { auth: Auth }) => Response | Promise<Response>,
  options: VerifierOptions | VerifierOptions[] | ((request: Request) => VerifierOptions | VerifierOptions[]),
  settings: NextSettings & { checkPreflight: true },
): (request: Request, context: Context) => Promise<Response>;
/**
 * By default a CORS preflight reaches `handler` unchecked, with `auth` null
 * (and without credentials): answer it with your CORS headers.
 */
export declare function withAuth<Context extends object = RouteContext>(
  handler: (request: Request, context: Context & { auth: Auth | null }) => Response | Promise<Response>,
  options: VerifierOptions | VerifierOptions[] | ((request: Request) => VerifierOptions | VerifierOptions[]),
  settings?: NextSettings,
): (request: Request, context: Context) => Promise<Response>;
