import type { Verifier, VerifierOptions } from './index.js';
import type { NodeSettings } from './express.js';
import type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, NodeSettings, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources };

/** The plugin's options: the verifier options and the middleware settings. */
export interface JwtAuthPluginOptions extends NodeSettings {
  /** createVerifier options (or an array, one per issuer), or a function of the Fastify request. */
  options: VerifierOptions | VerifierOptions[] | ((request: any) => VerifierOptions | VerifierOptions[] | Verifier);
}

/**
 * A Fastify 5 plugin: `app.register(jwtAuth, { options })` protects the
 * routes of the context it is registered in (an `onRequest` hook) and sets
 * `request.auth`. With `resourceMetadata`, register it in a context without a prefix:
 * it serves the metadata itself, and only the GET and HEAD of those routes skip
 * authentication (another route at the well-known path is protected as any other).
 */
export declare function jwtAuth(fastify: any, options: JwtAuthPluginOptions): Promise<void>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified token, set by jwtguard's plugin (null outside its contexts). */
    auth: Auth | null;
  }
}
