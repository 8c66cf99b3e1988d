import type { Jwks, ReplayStore } from './index.js';

/** The issuer a test stands in for: Entra ID (v1 or v2 access tokens), or any OpenID issuer. */
export type TestIssuerOptions = (
  | {
    /** Entra ID: the tenant GUID, the API's client id (a random GUID when left out), the token version (default 2) and the calling client's id (random when left out). */
    entra: { tenant: string; clientId?: string; version?: 1 | 2; client?: string };
    issuer?: undefined;
  }
  | {
    entra?: undefined;
    /** Any issuer: its `iss` and the `aud` of its tokens. */
    issuer: string;
    audience: string;
  }
) & {
  /** Serve the key set and metadata on 127.0.0.1 (default true); false keeps them in memory only (`jwks`). */
  serve?: boolean;
  /** The port to serve on (default 0: any free one). */
  port?: number;
  /** The signing key: an earlier issuer's `key` (a private RSA JWK with its `kid`), to keep one key across runs. Default: a new key. */
  key?: Record<string, unknown>;
  /** The clock minted tokens are stamped with, in seconds (default the system clock). */
  now?: () => number;
};

/** A local issuer for an API's tests. It is no identity provider: it signs whatever it is asked to. */
export interface TestIssuer {
  /** The private signing key as a JWK (with its `kid`): give it as `key` to a later issuer to keep the key. A secret of the test only. */
  readonly key: Readonly<Record<string, unknown>>;
  /** The `iss` of its tokens (Entra's own issuer for the tenant and version). */
  readonly issuer: string;
  /** Entra: the API's client id, the `aud` of v2 tokens (`api://<clientId>` for v1). */
  readonly clientId?: string;
  /** The public key set: give it as `keys` (to `entraId` or `createVerifier`) for an in-memory key source. */
  readonly jwks: Jwks;
  /** The key set's URL on 127.0.0.1, when served. */
  readonly jwksUri?: string;
  /** The metadata document's URL on 127.0.0.1, when served (its `issuer` is the issuer above). */
  readonly metadataUrl?: string;
  /** The variables `fromEnv` reads for this issuer (`AZURE_*` or `JWT_ISSUER`/`JWT_AUDIENCE`), with `JWT_JWKS_URI` when served. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * A signed RS256 token with the issuer's claims (Entra: `iss`, `aud`, `tid`,
   * `oid`, `sub`, `ver`, `azp`/`appid`), `iat`, `nbf` and `exp` an hour on,
   * then `claims` over them; a claim given as `undefined` is left out.
   */
  mint(claims?: Record<string, unknown>): string;
  /** Stops serving. */
  close(): Promise<void>;
}

/** Starts a local issuer for tests: its key pair, key set (served or in memory) and `mint`. */
export declare function createTestIssuer(options: TestIssuerOptions): Promise<TestIssuer>;

/** What `replayStoreContract` takes beside the store. */
export interface ReplayStoreContractOptions {
  /** Lets that many seconds pass for the store: a fake clock's step, or a wait (the default waits them out: 3 s in all). */
  advance?: (seconds: number) => Promise<unknown> | unknown;
  /** The same kind of store with its backend unavailable: its `seen` must reject. Without it that check is skipped. */
  failing?: ReplayStore;
  /** How many concurrent first sights of one key are sent (default 16, at least 2). */
  concurrency?: number;
}

/**
 * Runs the checks every DPoP `replayStore` must pass: a first sight is
 * `false`, a second `true`; distinct keys are independent; a key is kept
 * for its `ttlSeconds` and forgotten after; of concurrent first sights of one key
 * exactly one is `false`; a failing store rejects. Throws an AssertionError
 * naming the failed check; resolves with the checks that passed and those
 * skipped.
 */
export declare function replayStoreContract(store: ReplayStore, options?: ReplayStoreContractOptions): Promise<{ passed: string[]; skipped: string[] }>;
