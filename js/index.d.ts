/** Signature algorithms the core supports. */
export type Algorithm =
  | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'EdDSA' | 'HS256' | 'HS384' | 'HS512';

/** Every stable error code. */
export type ErrorCode =
  | 'ERR_TOKEN_MALFORMED' | 'ERR_TOKEN_TOO_LARGE' | 'ERR_HEADER_INVALID' | 'ERR_ALG_NOT_ALLOWED'
  | 'ERR_CRIT_UNSUPPORTED' | 'ERR_TYP_INVALID' | 'ERR_KEY_NOT_FOUND' | 'ERR_KEY_INVALID'
  | 'ERR_JWKS_INVALID' | 'ERR_SIGNATURE_INVALID' | 'ERR_TOKEN_EXPIRED' | 'ERR_TOKEN_NOT_YET_VALID'
  | 'ERR_TOKEN_TOO_OLD' | 'ERR_ISSUER_INVALID' | 'ERR_AUDIENCE_INVALID' | 'ERR_CLAIM_MISSING'
  | 'ERR_CLAIM_INVALID' | 'ERR_ROLE_MISSING' | 'ERR_SCOPE_MISSING' | 'ERR_CLIENT_NOT_ALLOWED'
  | 'ERR_TENANT_NOT_ALLOWED' | 'ERR_FOREIGN_TOKEN' | 'ERR_POLICY_INVALID' | 'ERR_KEYS_NOT_LOADED'
  | 'ERR_JWKS_FETCH_FAILED' | 'ERR_JWKS_TIMEOUT' | 'ERR_DISCOVERY_INVALID' | 'ERR_INTERNAL';

/** The claim checks. Every host (npm, Worker, page, CLI) runs this same policy. */
export interface Policy {
  /** Accepted issuers, exact; `{tenantid}` is filled from the token's GUID `tid`. Required. */
  issuer: string | string[];
  /** Accepted audiences; `aud` must contain one. Required. */
  audience: string | string[];
  /** Allowed algorithms. Default: every supported one (keys still bind their own). */
  algorithms?: Algorithm[];
  /** Accepted `typ` values (`at+jwt`, `JWT`); case-insensitive, `application/` ignored. */
  typ?: string | string[];
  /** Clock skew in seconds for exp, nbf, iat. Default 60, at most 86400. */
  clockTolerance?: number;
  /** Whether `exp` is required. Default true. */
  requireExp?: boolean;
  /** Maximum seconds since `iat`. */
  maxTokenAge?: number;
  /** Maximum `exp - iat` in seconds. */
  maxLifetime?: number;
  /** Required exact `sub`. */
  subject?: string;
  /** Claims that must be present and not null. */
  requiredClaims?: string[];
  /** Roles that must all be in `roles`. */
  roles?: string | string[];
  /** Scopes that must all be in `scp` / `scope`. */
  scopes?: string | string[];
  /** Allowed clients (`azp`, `appid`, `client_id`). */
  clients?: string | string[];
  /** Allowed tenants (`tid`). */
  tenants?: string | string[];
  /** Token size cap in bytes. Default 16384, at most 262144. */
  maxTokenSize?: number;
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

/** A source of keys: in memory (`localJwks`) or remote. */
export interface KeySource {
  readonly kind: string;
  current(): KeySnapshot | null;
  load(): Promise<KeySnapshot>;
}

export interface VerifierOptions extends Policy {
  /** A JWKS (object or JSON text) or a key source. Give this or `secret`. */
  keys?: Jwks | string | KeySource;
  /** An HMAC shared secret (at least 32 bytes), for HS256/384/512. Give this or `keys`. */
  secret?: string | Uint8Array | ArrayBuffer;
  /** The `kid` of the shared secret, if tokens carry one. */
  kid?: string;
  /** The clock: returns Unix seconds. Default: `Date.now() / 1000`. */
  now?: () => number;
  /**
   * The verified-token cache: `true` (default, 1,000 entries), `false` or `0`
   * (off), or a number of entries (at most 100,000). A repeated token is
   * answered from the cache only with the same key-set generation and policy,
   * after its time claims pass again at `now`; an entry dies at the token's `exp`.
   */
  cache?: boolean | number;
}

/** A verified token. Frozen: the same object may be returned for a repeated token. */
export interface Result {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  key: { kid: string | null; alg: Algorithm };
}

/** An entry of a JWKS that was not admitted, and why. */
export interface SkippedKey {
  index: number;
  kid: string | null;
  reason: string;
}

export interface Verifier {
  /** The normalised policy, every default filled in. */
  readonly policy: Required<Pick<Policy, 'issuer' | 'audience'>> & Policy;
  /** Loads keys if needed, then verifies. */
  verify(token: string): Promise<Result>;
  /** Verifies with the keys already loaded; throws ERR_KEYS_NOT_LOADED before. */
  verifySync(token: string): Result;
  /** Loads the keys of a remote source. */
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

export declare function createVerifier(options: VerifierOptions): Verifier;
export declare function localJwks(jwks: Jwks | string): KeySource;
export declare function inspectToken(token: string): Inspection;
export declare const errorCodes: readonly ErrorCode[];

export declare class JwtGuardError extends Error {
  readonly name: 'JwtGuardError';
  readonly code: ErrorCode;
  readonly claim: string | null;
  constructor(code: ErrorCode, message: string, details?: { claim?: string | null; cause?: unknown });
}
