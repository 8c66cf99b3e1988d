// The unions generated from the core's tables (`make facts`).
import type { Algorithm, ErrorCode, PolicyMember } from './facts.js';

export type { Algorithm, ErrorCode, PolicyMember };

/** The claim checks. Every host (npm, Worker, page, CLI) runs this same policy. */
export interface Policy {
  /** Accepted issuers, exact; `{tenantid}` is filled from the token's GUID `tid`. Required. */
  issuer: string | string[];
  /** Accepted audiences; `aud` (or the `audienceClaim`) must contain one. Required. */
  audience: string | string[];
  /**
   * The claim the audience is read from: `'aud'` (default) or `'client_id'`
   * (a string), for tokens that carry no `aud`, such as Amazon Cognito access
   * tokens. It never replaces `audience`, which stays required. The Cognito
   * preset sets it.
   */
  audienceClaim?: 'aud' | 'client_id';
  /** Allowed algorithms. Default: every supported one (keys still bind their own). */
  algorithms?: Algorithm[];
  /**
   * Accepted `typ` values (`at+jwt`, `JWT`), compared as media types:
   * case-insensitive, and a value without `/` stands for `application/` and
   * the value (`at+jwt` matches `application/at+jwt`). A token without `typ` fails.
   */
  typ?: string | string[];
  /** Clock skew in seconds for exp, nbf, iat. Default and range: see docs/reference.md. */
  clockTolerance?: number;
  /** Whether `exp` is required. Default true. */
  requireExp?: boolean;
  /** Maximum seconds since `iat`, which it makes required. */
  maxTokenAge?: number;
  /** Maximum `exp - iat` in seconds, which makes both required. */
  maxLifetime?: number;
  /** Required exact `sub`. */
  subject?: string;
  /** Claims that must be present and not null. */
  requiredClaims?: string[];
  /** Claims that must be absent (or null), e.g. `["scp"]` for app-only tokens. */
  forbiddenClaims?: string[];
  /** Accepted values of string claims, checked when present, e.g. `{ idtyp: ["app"] }`. */
  claimValues?: Record<string, string[]>;
  /**
   * The array claim holding the roles that `roles`, `anyRoles` and
   * `requirePermission` read. Default `'roles'`; the Cognito preset sets
   * `'cognito:groups'`.
   */
  rolesClaim?: string;
  /** Roles that must all be in `roles` (or the `rolesClaim`). */
  roles?: string | string[];
  /** Scopes that must all be in `scp` / `scope`. */
  scopes?: string | string[];
  /** Roles of which at least one must be in `roles` (or the `rolesClaim`); a non-empty list. */
  anyRoles?: string[];
  /** Scopes of which at least one must be in `scp` / `scope` (non-empty). */
  anyScopes?: string[];
  /** Allowed clients (`azp`, `appid`, `client_id`). */
  clients?: string | string[];
  /** Allowed tenants (`tid` GUIDs), or `'*'` for any tenant. Required with a `{tenantid}` issuer. */
  tenants?: string | string[];
  /** The token must carry `roles` or `scp`/`scope`, unless `clients` is set. The Entra preset sets it. */
  requirePermission?: boolean;
  /** Algorithms accepted for DPoP proofs; asymmetric only. Default: every asymmetric one built in. */
  dpopAlgorithms?: Algorithm[];
  /** How far a DPoP proof's `iat` may lie from now, in seconds, plus `clockTolerance`. Default and range: see docs/reference.md. */
  dpopMaxAge?: number;
  /** Token size cap in bytes. Default and range: see docs/reference.md. */
  maxTokenSize?: number;
  /**
   * Step-up (RFC 9470): accepted `acr` values; a token with another `acr`, or
   * none, is refused with ERR_AUTH_LEVEL_INSUFFICIENT (401
   * `insufficient_user_authentication` with `acr_values`).
   */
  acrValues?: string | string[];
  /**
   * Step-up (RFC 9470): the most seconds since the user signed in
   * (`auth_time`, then required), plus `clockTolerance`; else
   * ERR_AUTH_TOO_OLD (401 `insufficient_user_authentication` with `max_age`).
   */
  maxAuthAge?: number;
  /**
   * Entra Conditional Access authentication context ids (`c1`…`c99`) that
   * must all be in the token's `acrs`; else ERR_AUTH_CONTEXT_MISSING (a
   * claims challenge when the token's `xms_cc` holds `cp1`, else 403).
   */
  authContext?: string | string[];
}

/** The caller's request, for work that outlives a verification (a Worker's `ctx.waitUntil`). */
export interface RequestContext {
  waitUntil?(promise: Promise<unknown>): void;
}

/** A JSON Web Key Set. */
export interface Jwks {
  keys: Array<Record<string, unknown>>;
}

/** What a key source hands the verifier: JWKS text and a generation that changes with the keys. */
export interface KeySnapshot {
  jwks: string;
  generation: number;
}

/**
 * A source of keys: in memory (`localJwks`), fetched (`remoteJwks`) or found
 * through discovery (`discover`). Marked with `Symbol.for('jwtguard.keySource')`.
 */
export interface KeySource {
  readonly kind: string;
  /** The keys loaded now, or null; never waits. Remote: past max age, starts a background refresh. */
  current(context?: RequestContext): KeySnapshot | null;
  /** Makes sure keys are loaded (remote: from memory, the store, else the network). */
  load(context?: RequestContext): Promise<KeySnapshot>;
  /**
   * Called by the verifier once when a token's key is not in the set. Remote:
   * fetches unless a fetch ran within the cooldown; rejects if the fetch fails.
   * @param kid the token's kid, null when it has none
   */
  refresh(kid?: string | null, context?: RequestContext): Promise<KeySnapshot | null>;
}

/** A fetching key source. */
export interface RemoteKeySource extends KeySource {
  readonly kind: 'remote' | 'discovery';
  /** The JWKS URL (`remote`) or the discovery document URL (`discovery`). */
  readonly url: string;
}

/** What a remote key source reports through `onEvent`; `url` is the document concerned. */
export type KeySourceEvent =
  | { type: 'fetch'; url: string; reason: 'load' | 'expired' | 'kid-miss'; status: number; maxAge: number }
  | { type: 'refresh'; url: string; reason: 'expired' | 'kid-miss' }
  | { type: 'kid-miss'; url: string; kid: string | null }
  | { type: 'cooldown'; url: string; kid: string | null; retryIn: number }
  | { type: 'stale-served'; url: string; age: number; until: number }
  | { type: 'keys-changed'; url: string; added: string[]; removed: string[]; generation: number }
  | { type: 'error'; url: string; error: JwtGuardError };

/** Persistent text storage with a TTL, e.g. over Workers KV or the Cache API. */
export interface KeyStore {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, ttlSeconds: number): Promise<void>;
}

/** Options of `remoteJwks` and `discover`. Times are in seconds. */
export interface KeySourceOptions {
  /** The fetch to use (tests, proxies). Default: the global fetch. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Where fetched documents persist across isolates or restarts. Default: memory only. */
  store?: KeyStore;
  /** Receives every cache event; a listener that throws is ignored. */
  onEvent?: (event: KeySourceEvent) => void;
  /** The cache clock, in Unix seconds, checked on every reading as createVerifier's `now` is. Default: `Date.now() / 1000`. */
  now?: () => number;
  /** Seconds for one request, body included. Default: docs/keys.md. */
  timeout?: number;
  /** Response size cap in bytes, a whole number. Default: the core's key-set size limit (docs/keys.md). */
  maxResponseSize?: number;
  /** Lower clamp of Cache-Control max-age. Default: docs/keys.md. */
  maxAgeFloor?: number;
  /** Upper clamp of Cache-Control max-age. Default: docs/keys.md. */
  maxAgeCeiling?: number;
  /** Max age when the response gives none. Default: docs/keys.md. */
  defaultMaxAge?: number;
  /** How long past max age the last good keys serve while refreshes fail. Default: docs/keys.md. */
  staleIfError?: number;
  /** Minimum seconds between kid-miss fetches, and before retrying a failed fetch. Default: docs/keys.md. */
  cooldown?: number;
  /** Whether callers await a fetch another caller started. Default: true, except on Cloudflare Workers. */
  shareInFlight?: boolean;
}

/** Options of `discover`. */
export interface DiscoveryOptions extends KeySourceOptions {
  /**
   * The metadata document, used alone. Default: the issuer's well-known
   * URLs, tried in order until one answers other than 404:
   * `{issuer}/.well-known/openid-configuration`, then for an issuer with a
   * path `{origin}/.well-known/openid-configuration{path}`, then
   * `{origin}/.well-known/oauth-authorization-server{path}` (RFC 8414 §3.1;
   * `{issuer}/.well-known/oauth-authorization-server` without a path).
   * Required for a `{tenantid}` issuer.
   */
  metadataUrl?: string;
}

/** The defaults of the numeric `KeySourceOptions`. */
export declare const KEY_SOURCE_DEFAULTS: Readonly<{
  timeout: number;
  maxResponseSize: number;
  maxAgeFloor: number;
  maxAgeCeiling: number;
  defaultMaxAge: number;
  staleIfError: number;
  cooldown: number;
}>;

/** Options of the Entra ID preset; key-source options are passed to its key source. */
export interface EntraIdOptions extends KeySourceOptions {
  /** A tenant GUID, or `organizations` / `common` (multi-tenant). Not with `b2c` / `externalId`. */
  tenant?: string;
  /** Allowed tenants (GUIDs) for a multi-tenant API, or `'*'` for any tenant. Required with `organizations` / `common`. */
  tenants?: string | string[];
  /** The API's application (client) id. Alone, `clientId` and `api://clientId` are accepted audiences. */
  clientId?: string;
  /** Accepted audiences (App ID URIs); with `clientId`, the client id is accepted too. */
  audience?: string | string[];
  /** Token version the API accepts. Default `'any'`. 2 reads the v2 keys and checks each key's issuer. */
  version?: 1 | 2 | 'any';
  /** Default `public`. */
  cloud?: 'public' | 'usgov' | 'china';
  roles?: string | string[];
  scopes?: string | string[];
  /** At least one of these roles. */
  anyRoles?: string[];
  /** At least one of these scopes. */
  anyScopes?: string[];
  /** Allowed calling clients (`appid` in v1, `azp` in v2); also the permission of an API that authorises callers by client id. */
  clients?: string | string[];
  /** Accepted `acr` values (step-up, RFC 9470); see `Policy.acrValues`. */
  acrValues?: string | string[];
  /** The most seconds since the user signed in (`auth_time`); see `Policy.maxAuthAge`. */
  maxAuthAge?: number;
  /** Conditional Access authentication context ids (`c1`…`c99`) required in `acrs`; see `Policy.authContext`. */
  authContext?: string | string[];
  /** Require app-only tokens: no `scp`, and `idtyp` is `app` when present. */
  appOnly?: boolean;
  /** Read the app-specific key set (`?appid=<clientId>`), for apps with custom signing keys. */
  appKeys?: boolean;
  /** Azure AD B2C: a user flow or custom policy of a B2C tenant. */
  b2c?: { tenantName: string; tenantId: string; policy: string };
  /** Entra External ID (CIAM). */
  externalId?: { tenantName: string; tenantId: string };
  /**
   * Keys from here instead of Entra's metadata (a local stand-in in tests,
   * such as `createTestIssuer`'s `jwks`): only where keys come from changes,
   * every Entra rule stays. Not with key-source options or `metadataUrl`.
   */
  keys?: Jwks | string | KeySource;
  /** Entra's metadata document read from here instead; its `issuer` must still be Entra's for the tenant and version. */
  metadataUrl?: string;
}

/** Options of the Amazon Cognito preset; key-source options are passed to its key source. */
export interface CognitoOptions extends KeySourceOptions {
  /** The user pool's AWS region, e.g. `'us-east-1'`. */
  region: string;
  /** The user pool id, `<region>_<id>`, e.g. `'us-east-1_Abc123XYZ'`; its region must be `region`. */
  userPoolId: string;
  /** The app client id (or ids) the tokens were issued to: `client_id` of access tokens, `aud` of ID tokens. */
  clientId: string | string[];
  /** Which tokens this verifier accepts: `token_use` must say the same. */
  tokenUse: 'access' | 'id';
  /** Groups that must all be in `cognito:groups`. */
  groups?: string | string[];
  /** Groups of which at least one must be in `cognito:groups`. */
  anyGroups?: string[];
  /** Access tokens only: scopes that must all be in `scope`. */
  scopes?: string | string[];
  /** Access tokens only: scopes of which at least one must be in `scope`. */
  anyScopes?: string[];
}

export interface VerifierOptions extends Policy {
  /** A JWKS (object or JSON text) or a key source. Give this, `secret` or `introspection`. */
  keys?: Jwks | string | KeySource;
  /**
   * Opaque tokens: ask the authorization server about each one (RFC 7662)
   * through `introspection({ ... })`, and check its answer by this policy.
   * Instead of `keys` and `secret`; `cache` does not apply (the source
   * caches). In an array of configurations, at most one introspects: it
   * gets the tokens that are not a JWT, and JWTs of no configured issuer.
   */
  introspection?: IntrospectionSource;
  /**
   * An HMAC shared secret, for HS256/384/512: each algorithm needs a secret
   * at least as long as its hash (see docs/reference.md), and a secret too
   * short for HS256 is ERR_KEY_INVALID. Give this, `keys` or `introspection`.
   */
  secret?: string | Uint8Array | ArrayBuffer;
  /** The `kid` of the shared secret, if tokens carry one. */
  kid?: string;
  /**
   * The clock: returns Unix seconds, a finite number from 0 to the core's
   * latest NumericDate (`MAX_NUMERIC_DATE`, see docs/reference.md).
   * Any other reading (or a clock that throws) fails the call with
   * ERR_POLICY_INVALID naming `now`. Default: `Date.now() / 1000`.
   */
  now?: () => number;
  /**
   * The verified-token cache: `true` (default), `false` or `0` (off), or a
   * number of entries; its default size and ceiling: see docs/reference.md. A repeated token is
   * answered from the cache only with the same key-set generation and policy,
   * after its time claims pass again at `now`; an entry dies at the token's `exp`.
   */
  cache?: boolean | number;
  /**
   * Whether `verify()` and `verifyRequest()` hand the signature checks of
   * every asymmetric algorithm (see docs/reference.md) to the host's WebCrypto (`crypto.subtle`), where
   * it exists. Default `true` in browsers and Workers, `false` in Node (whose
   * WebCrypto runs on its thread pool; Node uses node:crypto instead, see
   * `nodeCrypto`). A runtime without WebCrypto Ed25519 leaves EdDSA to the
   * core. Every other decision stays in the core either way (the header,
   * the algorithm policy, the key, the signature's exact encoding, the
   * claims), and every path gives the same outcome. HS* (a `secret`) is
   * always checked in the core. Outside Node, `verifySync()` checks every
   * signature in the core.
   */
  webCrypto?: boolean;
  /**
   * Node only: whether `verifySync()`, `verify()` and `verifyRequest()` hand
   * the signature checks of every asymmetric algorithm to node:crypto (a
   * KeyObject per admitted key, the core's exact encodings, and for Ed25519
   * S < L and no small-order R, checked first). Default `true` in Node's
   * entry; `false` leaves every signature to the core (or to WebCrypto, with
   * `webCrypto: true`). Ignored elsewhere. HS* is always checked in the core.
   */
  nodeCrypto?: boolean;
  /**
   * Where `verifyRequest` records DPoP proof ids until they expire. Default:
   * a bounded in-memory cache per verifier; the middleware and gateways give
   * every verifier they build one cache per middleware (per gateway, across
   * its policies) unless the options name a store. Give a shared store (a
   * Durable Object on Workers: `durableObjectReplayStore`; Redis or Valkey
   * on Node: `redisReplayStore` from `@jwtguard/jwtguard/redis`) when
   * several instances serve one API.
   */
  replayStore?: ReplayStore;
  /**
   * DPoP server nonces (RFC 9449 §9): a DPoP request's proof must carry a
   * current nonce, else `verifyRequest` refuses it with `ERR_DPOP_NONCE`
   * (the middleware answer 401 `use_dpop_nonce` with a `DPoP-Nonce`
   * header). `{ secret, window }` makes them without storage: the
   * HMAC-SHA-256 of the time window's index (`window` seconds, default
   * 300, 1 to 86400) under `secret` (at least 32 bytes), base64url; the
   * current and the previous window's nonce are accepted, so servers that
   * share the secret share the nonces. Or a provider of your own.
   */
  dpopNonce?: { secret: string | Uint8Array | ArrayBuffer; window?: number } | DpopNonceProvider;
  /**
   * Receives `{ type: 'core-restarted', error }` when a call of this verifier
   * hit a WebAssembly trap: the call fails with ERR_INTERNAL, the core is
   * instantiated again, and every verifier reloads its keys into it.
   */
  onEvent?: (event: VerifierEvent) => void;
}

/** What `onEvent` of createVerifier receives. */
export type VerifierEvent = { type: 'core-restarted'; error: JwtGuardError };

/**
 * Server nonces for DPoP proofs: `current(now)` the nonce a client's next
 * proof should carry (sent in `DPoP-Nonce`), `accepted(now)` every nonce a
 * proof may carry at `now` (Unix seconds). Each nonce is 1 to 256 printable
 * ASCII characters without `"` or `\` (RFC 9449 §8.1).
 */
export interface DpopNonceProvider {
  current(now: number): string | Promise<string>;
  accepted(now: number): readonly string[] | Promise<readonly string[]>;
}

/** Options of `introspection()`. Give `endpoint`, `issuer` or both; `clientSecret` or `privateKey`. */
export interface IntrospectionOptions {
  /** The introspection endpoint (https; plain http only to localhost). Default: `introspection_endpoint` of the issuer's metadata. */
  endpoint?: string;
  /** The authorization server's issuer: discovery, and the `iss` of signed answers. Required with `accept: 'jwt'`. */
  issuer?: string;
  /** The resource server's client id at the authorization server. */
  clientId: string;
  /** Its client secret (`client_secret_basic` by default, or `client_secret_post`). */
  clientSecret?: string;
  /** Its private key for `private_key_jwt`: a PKCS #8 PEM, a Node `KeyObject`, a private JWK (with `kid`) or a `CryptoKey`; RSA, P-256, P-384 or Ed25519. */
  privateKey?: string | object;
  /** The `kid` of the client assertion's key, when `privateKey` is not a JWK naming it. */
  kid?: string;
  /** Default `client_secret_basic` with a secret, `private_key_jwt` with a key. */
  authMethod?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  /** `'json'` (default, RFC 7662) or `'jwt'`: signed answers (RFC 9701), verified before they are read. */
  accept?: 'json' | 'jwt';
  /** With `accept: 'jwt'`: the authorization server's keys (a JWKS or key source). Default: `discover(issuer)`. */
  jwks?: Jwks | string | KeySource;
  /** Seconds an active answer is kept, never past the token's `exp`. Default 60, at most 300. */
  cacheTtl?: number;
  /** Seconds any other answer is kept. Default 10, at most 300. */
  inactiveTtl?: number;
  /** Seconds for one introspection request, body included. Default 5. */
  timeout?: number;
  /** Answers kept at most (least recently used dropped first). Default 10,000. */
  maxEntries?: number;
  /** With `accept: 'jwt'`: how old a signed answer's `iat` may be, in seconds. Default 60. */
  responseMaxAge?: number;
  /** The fetch to use. Default: the global `fetch`. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** Receives the source's events; never the token. */
  onEvent?: (event: IntrospectionEvent) => void;
  /** The cache's clock in Unix seconds. Default: `Date.now() / 1000`. */
  now?: () => number;
}

/** What `onEvent` of `introspection()` receives (discovery's events are those of key sources). */
export type IntrospectionEvent =
  | { type: 'introspection'; url: string }
  | { type: 'introspection-hit' }
  | { type: 'introspection-evicted' }
  | { type: 'error'; error: JwtGuardError }
  | KeySourceEvent;

/** A source of introspection answers, for `createVerifier({ introspection })`. */
export interface IntrospectionSource {
  readonly accept: 'json' | 'jwt';
  readonly issuer: string | null;
  readonly clientId: string;
}

/** Defaults of `introspection()`, in seconds unless named otherwise. */
export declare const INTROSPECTION_DEFAULTS: Readonly<{
  cacheTtl: number;
  inactiveTtl: number;
  timeout: number;
  maxEntries: number;
  responseMaxAge: number;
}>;

/** A source of answers about opaque tokens from the authorization server's introspection endpoint. */
export declare function introspection(options: IntrospectionOptions): IntrospectionSource;

/** Records a key for `ttlSeconds` and answers whether it had been recorded before. */
export interface ReplayStore {
  seen(key: string, ttlSeconds: number): Promise<boolean>;
}

/** What bound the token to its caller, as `verifyRequest` checked it. */
export type Binding =
  | { type: 'dpop'; jkt: string; jti: string; proofExpires: number }
  | { type: 'mtls'; x5tS256: string };

/** A verified token. Frozen: the same object may be returned for a repeated token. */
export interface Result {
  /** The JWT's protected header; `{}` for an introspected token. */
  header: Record<string, unknown>;
  /** The JWT's claims, or the authorization server's introspection answer (`active` among them). */
  claims: Record<string, unknown>;
  /** The key that verified a JWT; `null` for an introspected token. */
  key: { kid: string | null; alg: Algorithm } | null;
  /** `null` for a bearer token. */
  binding: Binding | null;
  /** From `verifyRequest` with `dpopNonce`, for a DPoP request: the current nonce, for the answer's `DPoP-Nonce` header. */
  dpopNonce?: string;
  /** `true` when the authorization server was asked (`introspection`), absent for a JWT. */
  introspected?: true;
}

/** An HTTP request: a Fetch API `Request`, or its method, absolute URL and headers (a `Headers` or Node's plain object). */
export type RequestLike =
  | Request
  | { method: string; url: string; headers: Headers | Record<string, string | string[] | undefined> };

export interface RequestOptions {
  /** The mTLS client certificate: DER bytes, PEM text, or its SHA-256 fingerprint as 64 hex digits (colons allowed). */
  clientCertificate?: Uint8Array | ArrayBuffer | string;
}

/** An entry of a JWKS that was not admitted, and why. */
export interface SkippedKey {
  index: number;
  kid: string | null;
  reason: string;
}

export interface Verifier {
  /** The normalised policy, every default filled in (one per issuer for several issuers). */
  readonly policy: (Required<Pick<Policy, 'issuer' | 'audience'>> & Policy) | ReadonlyArray<Required<Pick<Policy, 'issuer' | 'audience'>> & Policy>;
  /**
   * Loads keys if needed, then verifies, with the host's native crypto for
   * the signature where it has it (node:crypto in Node, WebCrypto elsewhere:
   * see `nodeCrypto` and `webCrypto`); on ERR_KEY_NOT_FOUND asks the key
   * source once for fresh keys. A bearer token the verified-token cache
   * holds (its times checked again at this call) is answered without
   * awaiting anything.
   */
  verify(token: string, context?: RequestContext): Promise<Result>;
  /**
   * Verifies synchronously with the keys already loaded (throws
   * ERR_KEYS_NOT_LOADED before): in Node the signature goes to node:crypto
   * (see `nodeCrypto`), elsewhere the core checks everything.
   */
  verifySync(token: string): Result;
  /**
   * Verifies a request's access token as presented: `Authorization: Bearer`
   * or `DPoP` with its `DPoP` proof, and the client certificate. A token
   * with `cnf` needs its proof; a DPoP proof's `jti` is accepted once.
   */
  verifyRequest(request: RequestLike, options?: RequestOptions, context?: RequestContext): Promise<Result>;
  /** Loads the keys of a remote source; rejects with ERR_JWKS_FETCH_FAILED, ERR_JWKS_TIMEOUT, ERR_DISCOVERY_INVALID... */
  ready(): Promise<void>;
  /** Entries of the current key set that were skipped. */
  skippedKeys(): SkippedKey[];
}

/** A decoded, unverified token: for display only. */
export interface Inspection {
  verified: false;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signatureLen: number;
}

/** A verifier for one issuer, or, from an array, for several issuers each with its own keys. */
export declare function createVerifier(options: VerifierOptions | VerifierOptions[]): Verifier;
export declare function localJwks(jwks: Jwks | string): KeySource;
/** A key source for the JWKS at `url` (https, or http to localhost/127.0.0.1/[::1]). */
export declare function remoteJwks(url: string, options?: KeySourceOptions): RemoteKeySource;
/** A key source found through the issuer's metadata (OpenID Connect Discovery or RFC 8414); the document must name `issuer` exactly. */
export declare function discover(issuer: string, options?: DiscoveryOptions): RemoteKeySource;
/** createVerifier options for Microsoft Entra ID, Azure AD B2C or Entra External ID access tokens. */
export declare function entraId(options: EntraIdOptions): VerifierOptions;
/** createVerifier options for Amazon Cognito user pool access or ID tokens. */
export declare function cognito(options: CognitoOptions): VerifierOptions;
/** Options of `fromEnv`: a variable-name prefix, and the key source's options. */
export interface FromEnvOptions extends KeySourceOptions {
  /** Read exactly `<prefix>AZURE_TENANT_ID`, `<prefix>JWT_ISSUER`, …, e.g. `'MYAPP_'`. */
  prefix?: string;
}

/**
 * createVerifier options from AZURE_* / JWT_* environment variables:
 * `process.env`, or a Worker's typed `env` (other members, such as KV
 * bindings, are not read).
 */
export declare function fromEnv(env: object, options?: FromEnvOptions): VerifierOptions;
export declare function inspectToken(token: string): Inspection;
export declare const errorCodes: readonly ErrorCode[];

/** The `tenants` value that accepts any tenant, written out: `'*'`. */
export declare const ANY_TENANT: '*';

/** The clock tolerance, in seconds, when a policy sets none (from the core). */
export declare const DEFAULT_CLOCK_TOLERANCE: number;

/** One check of a verification (docs/reference.md, "Check order"). */
export interface VerificationCheck {
  /** A stable name, e.g. `'audience'`. */
  readonly id: string;
  /** What it checks, for people. */
  readonly title: string;
  /** The codes it fails with. */
  readonly codes: readonly ErrorCode[];
  /** The claims it reads: a missing one fails with ERR_CLAIM_MISSING, a malformed one with ERR_CLAIM_INVALID. */
  readonly claims: readonly string[];
}

/** Every check of a verification, in the order the core runs them (from the core). */
export declare const VERIFICATION_CHECKS: readonly VerificationCheck[];

export declare class JwtGuardError extends Error {
  readonly name: 'JwtGuardError';
  readonly code: ErrorCode;
  readonly claim: string | null;
  /** The generic reason for the code: names the check, carries no token data. */
  readonly reason: string;
  /** What the check expected and found (for logs), or null; never token bytes or key material. */
  readonly detail: string | null;
  /** With `ERR_DPOP_NONCE` from `verifyRequest`: the nonce to send in the answer's `DPoP-Nonce` header. */
  readonly dpopNonce?: string;
  /**
   * ERR_AUTH_CONTEXT_MISSING for a client whose token's `xms_cc` holds `cp1`:
   * the OpenID Connect claims request to sign in again with (JSON text) and,
   * for an Entra issuer, the tenant's authorize endpoint. Null otherwise.
   */
  readonly claimsChallenge: ClaimsChallenge | null;
  /** The message is `reason`, then ": " and `detail` when there is one. */
  constructor(code: ErrorCode, detail?: string | null, details?: { claim?: string | null; claimsChallenge?: ClaimsChallenge | null; cause?: unknown });
}

/** An HTTP answer to a failed authentication: status, headers (with `www-authenticate`), JSON body. */
export interface RefusalResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: string; code: ErrorCode | null };
}

/**
 * The answer every middleware gives to a `verifyRequest` failure: 401 with an
 * RFC 6750 / RFC 9449 challenge, 403 `insufficient_scope`, RFC 9470 step-up
 * (`insufficient_user_authentication` with `acr_values` / `max_age`), Entra
 * claims challenges (`insufficient_claims`), 400, 500 or 503.
 * @param error what `verifyRequest` threw
 * @param options `policy`: the verifier's `policy`; `realm` (default `"api"`);
 *   `scheme`: how the request presented its token (default `"bearer"`);
 *   `resourceMetadata`: the RFC 9728 metadata URL every 401 names
 */
export declare function refusalResponse(
  error: unknown,
  options?: { policy?: Policy | ReadonlyArray<Policy>; realm?: string; scheme?: 'bearer' | 'dpop'; resourceMetadata?: string },
): RefusalResponse;

/** What a client that can answer a claims challenge is asked for. */
export interface ClaimsChallenge {
  /** The claims request, JSON text, e.g. `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`. */
  readonly claims: string;
  /** The authorize endpoint of the token's Entra tenant, or null for another issuer. */
  readonly authorizationUri: string | null;
}
