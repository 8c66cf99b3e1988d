import type { JwtGuardError, ReplayStore, Result, VerifierOptions } from './index.js';

/** What a protected handler receives as its fourth argument. */
export type Auth = Pick<Result, 'claims' | 'header' | 'key' | 'binding'>;

/**
 * Where else a bearer token may come from, besides `Authorization: Bearer|DPoP`
 * (RFC 6750 §2.2, §2.3). Off by default; a request using two methods is malformed.
 */
export interface TokenSources {
  /** A request header that holds the bare token. */
  header?: string;
  /** A cookie that holds the bare token. */
  cookie?: string;
  /** A query parameter that holds the bare token (RFC 6750 §2.3; it ends up in logs). */
  query?: string;
}

/** OAuth 2.0 Protected Resource Metadata (RFC 9728 §2), as far as jwtguard derives it. */
export interface ResourceMetadata {
  /** The resource identifier: an https URL. Derived: the first https audience, else the request's origin. */
  resource?: string;
  /** Issuers clients get tokens from. Derived: the policy's issuers (for Entra, the tenant's v2 authority). */
  authorization_servers?: string[];
  scopes_supported?: string[];
  bearer_methods_supported?: Array<'header' | 'body' | 'query'>;
  dpop_signing_alg_values_supported?: string[];
  resource_name?: string;
  resource_documentation?: string;
  [member: string]: unknown;
}

/** Middleware settings (every middleware: worker, hono, express, fastify, koa, nestjs, h3, elysia). */
export interface ProtectSettings {
  /** The `realm` of `WWW-Authenticate` challenges. Default "api". */
  realm?: string;
  /** Opt-in token sources besides `Authorization`. */
  tokenFrom?: TokenSources;
  /**
   * Serve RFC 9728 metadata at `/.well-known/oauth-protected-resource` (and
   * the resource-path-suffixed form), and name it in every 401:
   * `true` derives it from the policy; an object gives its members.
   */
  resourceMetadata?: boolean | ResourceMetadata;
  /**
   * Check CORS preflights (`OPTIONS` with `Access-Control-Request-Method`)
   * like any request. Default false: a preflight, which a browser sends
   * without credentials, goes on to the next handler without a token check,
   * without `auth` and with any credentials removed.
   */
  checkPreflight?: boolean;
  /**
   * Called with the whole error (`code`, `claim`, `reason`, `detail`) and the
   * request as the middleware read it, for each refusal: 400, 401, 403, 500
   * and 503 (not for a request that carries no token at all, the challenge's
   * first step). `detail` may name policy values (accepted audiences,
   * tenants, clients): it is for the log, never sent to the client.
   * Default: one structured `console.warn` line (JSON) per 503 only; `false`:
   * nothing. A hook that throws is reported with `console.error`; the answer
   * goes out regardless.
   */
  onRefuse?: false | ((error: JwtGuardError, request: RefusedRequest) => void);
}

/** The request `onRefuse` receives: a `Request` on Workers and Hono, the request's method, absolute URL and headers on Node. */
export interface RefusedRequest {
  readonly method: string;
  readonly url: string;
}

/**
 * Wraps a Workers fetch handler: requests without a valid bearer token get
 * 401 with an RFC 6750 challenge; a valid token that lacks what the policy
 * asks (a role, scope, allowed client or tenant, any permission) gets 403,
 * and a request the keys cannot be loaded for 503.
 * `Env` is the Worker's environment (what `wrangler types` generates); give
 * it as `protect<Env>(…)` or annotate the handler's `env`. A function
 * `options` is called once per env content (what it read of `env`), not per
 * env object, and its verifiers share one DPoP replay memory.
 */
export declare function protect<Env = Record<string, any>, Ctx = unknown>(
  options: VerifierOptions | VerifierOptions[] | ((env: Env) => VerifierOptions | VerifierOptions[]),
  handler: (request: Request, env: Env, ctx: Ctx, auth: Auth) => Response | Promise<Response>,
  settings: ProtectSettings & { checkPreflight: true },
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;
/**
 * By default a CORS preflight reaches `handler` unchecked, with `auth` null
 * (and without credentials): answer it with your CORS headers.
 */
export declare function protect<Env = Record<string, any>, Ctx = unknown>(
  options: VerifierOptions | VerifierOptions[] | ((env: Env) => VerifierOptions | VerifierOptions[]),
  handler: (request: Request, env: Env, ctx: Ctx, auth: Auth | null) => Response | Promise<Response>,
  settings?: ProtectSettings,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;

/** What a gateway rule requires: a policy by name, any or all of several, an optional one, or nothing (`null`). */
export type Requirement = string | { anyOf: string[] } | { allOf: string[] } | { optional: string } | null;

/** One row of the gateway's rule table. */
export interface GatewayRule {
  /**
   * An exact path (`/health`) or a prefix ending in `/*` (`/api/*`), canonical and of letters, digits, `-._~`
   * and `/` only; matched against the request's canonical path. Exact paths, then longer prefixes, then rules
   * with `methods`, are closer. Matching rules: docs/gateway.md.
   */
  path: string;
  /**
   * The methods the rule applies to; every method when absent. A rule for `GET` applies to `HEAD` too,
   * unless another rule names `HEAD`. Name `OPTIONS` to check CORS preflight requests.
   */
  methods?: Array<'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'>;
  require: Requirement;
}

/** A gateway: named policies, the rule table, and what reaches the origin. */
export interface GatewayConfig<Env = object> {
  /** createVerifier options (or an array, or a function of env, called once per env content) by policy name. One DPoP replay memory serves them all. */
  policies: Record<string, VerifierOptions | VerifierOptions[] | ((env: Env) => VerifierOptions | VerifierOptions[])>;
  /** Requests no rule matches are refused (404). */
  rules: GatewayRule[];
  forward?: {
    /** Claim name → request header, sent exactly or the request refused (401 ERR_CLAIM_INVALID); null leaves it out. Forms: docs/gateway.md. */
    claims?: Record<string, string>;
    /** A header that carries the whole verified payload as base64url JSON. */
    payload?: string;
    /**
     * Remove the credentials before forwarding: `Authorization`, `DPoP`, and the `tokenFrom` header, cookie (only that
     * cookie) and query parameter (only that parameter). A CORS preflight is always forwarded without them.
     */
    stripAuthorization?: boolean;
  };
  /** realm, tokenFrom and resourceMetadata (derived from the first policy), as for `protect`. */
  settings?: ProtectSettings;
  /** Match paths in their case, as the origin routes. Default, and the frameworks' defaults: docs/gateway.md. */
  caseSensitive?: boolean;
  /** `/a/` and `/a` are different paths, as the origin routes. Default, and the frameworks' defaults: docs/gateway.md. */
  strictSlash?: boolean;
}

/** What a gateway's handler receives: the accepting policies' names beside the verified token. */
export type GatewayAuth = Auth & { policies: string[] };

/**
 * A Worker in front of an origin: checks each request against the closest
 * rule, then calls `handler` with the request to forward (usually `fetch(request)`).
 * `auth` is null when the rule needs no token or an optional token was absent or invalid.
 */
export declare function gateway<Env = object, Ctx = unknown>(
  config: GatewayConfig<Env>,
  handler: (request: Request, env: Env, ctx: Ctx, auth: GatewayAuth | null) => Response | Promise<Response>,
): (request: Request, env: Env, ctx: Ctx) => Promise<Response>;

/** A KV namespace, as far as the key store uses it. */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options: { expirationTtl: number }): Promise<void>;
}

/** A Cache API cache (`caches.default`), as far as the key store uses it. */
export interface CacheLike {
  match(request: string): Promise<Response | undefined>;
  put(request: string, response: Response): Promise<void>;
}

/**
 * A key-source store for Workers: the Cache API (`caches.default`), then an
 * optional KV namespace. Pass it as `store` to remoteJwks, discover, entraId or fromEnv.
 */
export declare function workersStore(options?: { kv?: KvNamespaceLike; cache?: CacheLike }): {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
};

/** The storage a Durable Object gets, as far as DpopReplayStore uses it. */
export interface DurableObjectStorageLike {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(): Promise<Map<string, unknown>>;
  getAlarm(): Promise<number | null>;
  setAlarm(at: number): Promise<void>;
}

/** A Durable Object that remembers DPoP proof ids until they expire: export it and bind it. */
export declare class DpopReplayStore {
  constructor(state: { storage: DurableObjectStorageLike }, env?: unknown);
  fetch(request: Request): Promise<Response>;
  alarm(): Promise<void>;
}

/** A Durable Object namespace, as far as the replay store uses it. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(url: string, init: RequestInit): Promise<Response> };
}

/** A `replayStore` over the DpopReplayStore Durable Object bound as `namespace`, in `shards` objects (default 16). */
export declare function durableObjectReplayStore(namespace: DurableObjectNamespaceLike, options?: { shards?: number }): ReplayStore;
