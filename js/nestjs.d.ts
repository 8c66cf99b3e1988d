import type { CanActivate, CustomDecorator, DynamicModule, ExecutionContext, InjectionToken, ModuleMetadata, OptionalFactoryDependency } from '@nestjs/common';
import type { VerifierOptions } from './index.js';
import type { NodeSettings } from './express.js';
import type { Auth, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources } from './worker.js';

export type { Auth, NodeSettings, ProtectSettings, RefusedRequest, ResourceMetadata, TokenSources };

/**
 * The module's configuration: the createVerifier options (one issuer, or an
 * array of them) every protected route starts from, and the Node adapters'
 * settings (`origin`, `trustProxy`, `realm`, `tokenFrom`, `resourceMetadata`,
 * `checkPreflight`, `onRefuse`). Route policies come from `@Roles` and
 * `@Scopes`, not from a function of the request.
 */
export interface JwtGuardConfig extends NodeSettings {
  options: VerifierOptions | VerifierOptions[];
}

/** A request behind the guard: Express's or Fastify's, with `auth`. */
export type AuthenticatedRequest<Req = object> = Req & { auth: Auth };

/**
 * The guard (`CanActivate`) for `APP_GUARD` or `@UseGuards(JwtGuard)`:
 * verifies the request's token against the route's policy and sets
 * `req.auth`, or throws an `HttpException` (400, 401, 403, 503) whose body
 * is `{ error, code }`; its `WWW-Authenticate` (RFC 6750, RFC 9449),
 * `DPoP-Nonce` and `Retry-After` headers are set on the response first, so
 * Nest's exception filter sends them. A CORS preflight passes unchecked,
 * without `req.auth` and without credentials (unless `checkPreflight`).
 */
export declare class JwtGuard implements CanActivate {
  private constructor();
  canActivate(context: ExecutionContext): Promise<boolean>;
}

/**
 * The module (global once imported): provides `JwtGuard` to every module.
 * With `resourceMetadata` it serves RFC 9728 metadata at
 * `/.well-known/oauth-protected-resource`.
 */
export declare class JwtGuardModule {
  private constructor();
  /** The module with its configuration given now. */
  static forRoot(config: JwtGuardConfig): DynamicModule;
  /** The module with its configuration made by a factory (of `inject`ed providers, from `imports`). */
  static forRootAsync(how: {
    imports?: ModuleMetadata['imports'];
    inject?: Array<InjectionToken | OptionalFactoryDependency>;
    useFactory: (...dependencies: any[]) => JwtGuardConfig | Promise<JwtGuardConfig>;
  }): DynamicModule;
}

/**
 * The route (or every route of the controller) needs these roles in the
 * token's roles claim (`rolesClaim`), besides the module policy's `roles`;
 * a controller's and a handler's roles add up. 403 `insufficient_scope` otherwise.
 */
export declare function Roles(...roles: [string, ...string[]]): CustomDecorator<string>;

/**
 * The route (or every route of the controller) needs these scopes in `scp`
 * or `scope`, besides the module policy's `scopes`; a controller's and a
 * handler's scopes add up. 403 `insufficient_scope` with `scope="…"` otherwise.
 */
export declare function Scopes(...scopes: [string, ...string[]]): CustomDecorator<string>;

/** The route (or every route of the controller) is let through without a token; `req.auth` stays unset. */
export declare function Public(): CustomDecorator<string>;
