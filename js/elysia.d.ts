import type { Elysia } from 'elysia';
import type { Verifier, VerifierOptions } from './index.js';
import type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources };

/**
 * An Elysia plugin: verifies each request's token and derives `auth` for
 * the routes of the app that uses it, or answers 400/401/403/503 (RFC 6750,
 * RFC 9449) with `{ error, code }` as JSON. With `resourceMetadata` it also
 * serves RFC 9728 metadata at `/.well-known/oauth-protected-resource`,
 * before routing. A CORS preflight goes on unchecked with `auth` null and
 * the request without credentials (unless `checkPreflight`). `options` may
 * be a function of the request (per-tenant policies): return the same
 * object for the same tenant, so its verifier and keys are kept.
 */
export declare function jwtAuth(
  options: VerifierOptions | VerifierOptions[] | ((request: Request) => VerifierOptions | VerifierOptions[] | Verifier),
  settings?: ProtectSettings,
): Elysia<'', { decorator: {}; store: {}; derive: { readonly auth: Auth }; resolve: {} }>;
