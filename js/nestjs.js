/**
 * `jwtguard/nestjs`: a NestJS guard (on `@nestjs/platform-express` and
 * `@nestjs/platform-fastify`). Sets `req.auth` to `{ claims, header, key, binding }`;
 * `@Roles(...)`, `@Scopes(...)` and `@Public()` give a route its own policy.
 *
 *   @Module({
 *     imports: [JwtGuardModule.forRoot({ options: { issuer, audience, keys: discover(issuer) } })],
 *     providers: [{ provide: APP_GUARD, useExisting: JwtGuard }],
 *   })
 *
 * Plain ESM without a decorator build step: the decorators are applied as
 * the functions they are.
 */

import { HttpException, Inject, Injectable, Module, RequestMethod, SetMetadata } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { authenticator } from './authenticate.js';
import { JwtGuardError } from './errors.js';
import { nodeRequest, nodeSettings, sendAnswer } from './node-request.js';
import { checkNodeRequest } from './request-check.js';

/** The injection token of the module's configuration (`forRoot`'s argument, `forRootAsync`'s factory result). */
const JWTGUARD_CONFIG = Symbol.for('jwtguard.nestjs.config');

/** The injection token of the request authentication built from it, shared by the guard and the metadata middleware. */
const GUARD = Symbol.for('jwtguard.nestjs.guard');

/** Metadata keys of the decorators. */
const PUBLIC = 'jwtguard:public';
const ROLES = 'jwtguard:roles';
const SCOPES = 'jwtguard:scopes';

const misuse = (message) => new JwtGuardError('ERR_POLICY_INVALID', message);

/** The names a `@Roles` or `@Scopes` decorator was given: one or more strings. */
function names(decorator, given) {
  if (given.length === 0 || !given.every((name) => typeof name === 'string' && name !== '')) {
    throw misuse(`@${decorator}() needs one or more names`);
  }
  return given;
}

/**
 * A route (or every route of a controller) needs these roles in the
 * token's roles claim, besides the module policy's own `roles`.
 * @param {...string} roles
 */
export const Roles = (...roles) => SetMetadata(ROLES, names('Roles', roles));

/**
 * A route (or every route of a controller) needs these scopes in `scp` or
 * `scope`, besides the module policy's own `scopes`.
 * @param {...string} scopes
 */
export const Scopes = (...scopes) => SetMetadata(SCOPES, names('Scopes', scopes));

/** A route (or controller) the guard lets through without a token: `req.auth` stays unset. */
export const Public = () => SetMetadata(PUBLIC, true);

/** The union of two lists of names, without repeats. */
const union = (base, added) => [...new Set([...(base ?? []), ...added])];

/**
 * The request authentication of one module configuration, and the options
 * of each route policy: the module's options with the route's roles and
 * scopes added (kept per requirement, so each has one verifier and one key cache).
 * @param {{ options: object | object[], [setting: string]: unknown }} config
 */
function nestGuard(config) {
  if (!config || typeof config !== 'object') throw misuse('JwtGuardModule needs { options: <createVerifier options>, ...settings }');
  const { options, ...settings } = config;
  // A verifier cannot take a route's roles and scopes: its policy is fixed.
  if (!options || typeof options !== 'object' || typeof options.verifyRequest === 'function') {
    throw misuse('JwtGuardModule options must be createVerifier options or an array of them (route policies come from @Roles and @Scopes)');
  }
  const { trust, rest } = nodeSettings(settings);
  // The options "function" of the shared authentication receives the route's options themselves.
  const guard = authenticator((routeOptions) => routeOptions, rest);
  const routes = new Map();
  const withRoute = (each, roles, scopes) => ({
    ...each,
    ...(roles.length > 0 ? { roles: union(each.roles, roles) } : {}),
    ...(scopes.length > 0 ? { scopes: union(each.scopes, scopes) } : {}),
  });
  /** The options of a route that needs `roles` and `scopes` (each possibly empty). */
  function routeOptions(roles, scopes) {
    const key = JSON.stringify([roles, scopes]);
    if (!routes.has(key)) {
      routes.set(key, Array.isArray(options) ? options.map((each) => withRoute(each, roles, scopes)) : withRoute(options, roles, scopes));
    }
    return routes.get(key);
  }
  const tokenFrom = /** @type {{ query?: string } | undefined} */ (rest.tokenFrom);
  return { guard, trust, tokenFrom, routeOptions, base: routeOptions([], []) };
}

/**
 * The guard: authenticates each HTTP request of the routes it protects and
 * sets `req.auth`, or throws an `HttpException` whose body is the answer's
 * `{ error, code }`; its headers (`WWW-Authenticate`, `DPoP-Nonce`,
 * `Retry-After`) are set on the response first, so Nest's exception filter
 * sends them.
 */
export class JwtGuard {
  /**
   * @param {ReturnType<typeof nestGuard>} nest
   * @param {Reflector} reflector
   * @param {HttpAdapterHost} adapterHost
   */
  constructor(nest, reflector, adapterHost) {
    this.nest = nest;
    this.reflector = reflector;
    this.adapterHost = adapterHost;
  }

  /** @param {import('@nestjs/common').ExecutionContext} context */
  async canActivate(context) {
    if (context.getType() !== 'http') throw misuse(`JwtGuard protects HTTP routes, not ${context.getType()}`);
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride(PUBLIC, targets) === true) return true;
    const { guard, trust, tokenFrom, routeOptions } = this.nest;
    const policy = routeOptions(this.reflector.getAllAndMerge(ROLES, targets), this.reflector.getAllAndMerge(SCOPES, targets));
    const http = context.switchToHttp();
    // Express's request, or Fastify's (whose Node request is `raw`).
    const req = /** @type {any} */ (http.getRequest());
    const res = http.getResponse();
    const raw = req.raw ?? req;
    // Express's originalUrl is the whole path in a sub-router; Fastify's is a copy of the Node request's url
    // made the first time it is read, so it is left unread (a preflight's is then read without its credentials).
    const path = req.raw ? raw.url : req.originalUrl;
    const outcome = await checkNodeRequest(guard, trust, raw, { protocol: req.protocol, path }, policy);
    if ('answer' in outcome) {
      const { status, headers, body } = outcome.answer;
      this.setHeaders(res, headers);
      throw new HttpException(body, status);
    }
    if ('preflight' in outcome) {
      // A CORS preflight goes on without a token check, without req.auth and without credentials.
      guard.stripNodeCredentials(raw);
      if (tokenFrom?.query && req.query && typeof req.query === 'object') delete req.query[tokenFrom.query];
      return true;
    }
    this.setHeaders(res, outcome.headers);
    req.auth = outcome.auth;
    return true;
  }

  /** Sets headers on the platform's response through Nest's own adapter. */
  setHeaders(res, headers) {
    for (const [name, value] of Object.entries(headers)) this.adapterHost.httpAdapter.setHeader(res, name, value);
  }
}
Injectable()(JwtGuard);
Inject(GUARD)(JwtGuard, undefined, 0);
Inject(Reflector)(JwtGuard, undefined, 1);
Inject(HttpAdapterHost)(JwtGuard, undefined, 2);

/**
 * The module: `forRoot(config)` or `forRootAsync({ imports, inject, useFactory })`.
 * It is global: `JwtGuard` can be used by any module's controllers. With
 * `resourceMetadata`, it serves RFC 9728 metadata at
 * `/.well-known/oauth-protected-resource`.
 */
export class JwtGuardModule {
  /** @param {ReturnType<typeof nestGuard>} nest */
  constructor(nest) {
    this.nest = nest;
  }

  /** Serves the metadata document in a Nest middleware, before routing (a 404 otherwise). */
  configure(consumer) {
    const { guard, trust, base } = this.nest;
    consumer.apply((req, res, next) => {
      let request;
      try {
        request = nodeRequest(req, trust);
      } catch {
        // Not a metadata request this middleware can read: the routes' guard answers it.
        next();
        return;
      }
      const metadata = guard.metadata(request, base);
      if (metadata) sendAnswer(res, metadata, req.method);
      else next();
    }).forRoutes({ path: '.well-known/*path', method: RequestMethod.GET }, { path: '.well-known/*path', method: RequestMethod.HEAD });
  }

  /**
   * @param {{ options: object | object[], realm?: string, tokenFrom?: object, resourceMetadata?: boolean | object, origin?: string, trustProxy?: boolean, checkPreflight?: boolean, onRefuse?: false | Function }} config
   */
  static forRoot(config) {
    return dynamicModule([{ provide: JWTGUARD_CONFIG, useValue: config }], []);
  }

  /**
   * @param {{ imports?: any[], inject?: any[], useFactory: (...dependencies: any[]) => object | Promise<object> }} how
   */
  static forRootAsync({ imports = [], inject = [], useFactory } = /** @type {any} */ ({})) {
    if (typeof useFactory !== 'function') throw misuse('JwtGuardModule.forRootAsync needs useFactory');
    return dynamicModule([{ provide: JWTGUARD_CONFIG, useFactory, inject }], imports);
  }
}
Module({})(JwtGuardModule);
Inject(GUARD)(JwtGuardModule, undefined, 0);

/** The module with the configuration's provider, the shared authentication and the guard. */
function dynamicModule(configProviders, imports) {
  return {
    module: JwtGuardModule,
    global: true,
    imports,
    providers: [...configProviders, { provide: GUARD, useFactory: nestGuard, inject: [JWTGUARD_CONFIG] }, JwtGuard],
    exports: [JwtGuard, GUARD],
  };
}
