//! Every resource limit, with the reason for its value.
//!
//! Each limit that input can hit has its own error, so an operator can tell
//! which one fired. The token size limit is the only one a policy can change
//! (`maxTokenSize`), up to [`MAX_TOKEN_SIZE_CEILING`].

/// Default cap on a compact token, in bytes. Entra ID access tokens with many
/// groups or roles reach 4–6 KiB; 16 KiB leaves room while keeping an
/// attacker's pre-authentication parsing work small.
pub const DEFAULT_MAX_TOKEN_SIZE: usize = 16 * 1024;

/// The highest `maxTokenSize` a policy may set. Past this, a token is not an
/// access token but a payload smuggled in a header.
pub const MAX_TOKEN_SIZE_CEILING: usize = 256 * 1024;

/// Nesting depth of header and payload JSON. Real claims nest two or three
/// levels; serde_json's own limit is 128, far more than any token needs.
pub const MAX_JSON_DEPTH: usize = 16;

/// Members in one JSON object of a header or payload. Entra tokens carry about
/// 30 claims; a thousand leaves room for custom claims.
pub const MAX_JSON_MEMBERS: usize = 1000;

/// Elements in one JSON array of a header or payload (roles, groups, `aud`).
/// Entra caps group claims at 200 (tokens switch to an overage claim).
pub const MAX_JSON_ARRAY_LEN: usize = 1000;

/// Members in a protected header. Real headers have 2 to 6.
pub const MAX_HEADER_MEMBERS: usize = 16;

/// Length of a `kid`, in bytes, in a token or a JWK. Real ones are under 100.
pub const MAX_KID_LEN: usize = 256;

/// Size of a JWKS document, in bytes. Entra's common key set is about 10 KiB;
/// this matches the host layer's default response cap.
pub const MAX_JWKS_SIZE: usize = 512 * 1024;

/// Keys in one JWKS. Identity providers publish 2 to 10.
pub const MAX_JWKS_KEYS: usize = 100;

/// Keys tried for one token: those fitting its `alg` when it has no `kid`,
/// or those sharing its `kid`. Each try costs a signature verification, so
/// neither an unlabelled token nor a key set repeating one `kid` can make us
/// try every key.
pub const MAX_KEYS_TRIED: usize = 4;

/// Smallest RSA modulus accepted, in bits (NIST SP 800-131A; RFC 7518 §3.3).
pub const RSA_MIN_BITS: usize = 2048;

/// Largest RSA modulus accepted, in bits. Bounds the cost of one verification.
pub const RSA_MAX_BITS: usize = 8192;

/// Largest RSA public exponent accepted, 2^33 − 1. Real keys use 65537; the
/// bound keeps a verification to at most 33 squarings and 33 multiplications.
pub const RSA_MAX_EXPONENT: u64 = (1 << 33) - 1;

/// Shortest shared secret for HS256, in bytes: as long as the hash output
/// (RFC 7518 §3.2), so the secret is not the easier thing to guess. A
/// shorter secret is refused (`ERR_KEY_INVALID`).
pub const HS256_MIN_SECRET_LEN: usize = 32;

/// Shortest shared secret for HS384, in bytes: as long as the hash output
/// (RFC 7518 §3.2). A shorter secret's key does not permit HS384.
pub const HS384_MIN_SECRET_LEN: usize = 48;

/// Shortest shared secret for HS512, in bytes: as long as the hash output
/// (RFC 7518 §3.2). A shorter secret's key does not permit HS512.
pub const HS512_MIN_SECRET_LEN: usize = 64;

/// Latest time accepted in `exp`, `nbf` and `iat`: 9999-12-31T23:59:59Z.
/// A larger value is a type-confusion attempt, not a date.
pub const MAX_NUMERIC_DATE: i64 = 253_402_300_799;

/// Longest clock tolerance a policy may set, in seconds (one day).
pub const MAX_CLOCK_TOLERANCE: u64 = 86_400;

/// Longest `dpopMaxAge` a policy may set, in seconds. A DPoP proof is made for
/// one request moments before it is sent (RFC 9449 §11.1); the replay cache
/// must hold every `jti` for this long, so a longer window only costs memory
/// and widens what a stolen proof is good for.
pub const MAX_DPOP_MAX_AGE: u64 = 300;

/// Size of a DPoP proof, in bytes. A proof is a header holding one public JWK
/// (an 8192-bit RSA key is about 1.4 KB of base64url) and a few claims.
pub const MAX_DPOP_PROOF_SIZE: usize = 8 * 1024;

/// Length of a DPoP proof's `jti`, in bytes. Clients use a UUID or 96 random
/// bits; the host keeps each one until the proof expires.
pub const MAX_JTI_LEN: usize = 256;

/// Length of a DPoP `htu` or request URL, in bytes: the common URL limit of
/// servers and proxies is 8 KB for the whole request line, most far less.
pub const MAX_HTU_LEN: usize = 4096;

/// Size of a token introspection response (RFC 7662 JSON or an RFC 9701
/// JWT), in bytes. A response carries about the claims of an access token,
/// so it gets a token's room and more; the host stops reading there too.
pub const MAX_INTROSPECTION_RESPONSE_SIZE: usize = 64 * 1024;

/// Default freshness of a signed introspection response (RFC 9701): its
/// `iat` may lie at most this many seconds in the past, before the clock
/// tolerance. The response answers one request made moments earlier; a
/// policy's `maxTokenAge` for the response verifier replaces it.
pub const DEFAULT_INTROSPECTION_MAX_AGE: u64 = 60;
