//! Every resource limit, with the reason for its value.
//!
//! Each limit that input can hit has its own error, so an operator can tell
//! which one fired. The token size limit is the only one a policy can change
//! (`maxTokenSize`), up to [`MAX_TOKEN_SIZE_CEILING`].
//!
//! Each limit's doc comment is its reason: [`ALL`] carries it, with the
//! value and unit, to the core's facts and the reference tables generated
//! from them (`docs/reference.md`).

/// One limit, as the core's facts give it: its name, value, unit and reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The constant's name, e.g. `MAX_JSON_DEPTH`.
    pub name: &'static str,
    /// Its value.
    pub value: u64,
    /// What the value counts (`bytes`, `seconds`, …), or empty.
    pub unit: &'static str,
    /// Why the value is what it is: the constant's doc comment.
    pub reason: &'static str,
}

/// Writes each limit as a documented constant and lists them all in [`ALL`],
/// so a limit's value and reason are written once.
macro_rules! limits {
    ($($(#[doc = $doc:literal])+ $name:ident: $ty:ty = $value:expr, $unit:literal;)+) => {
        $($(#[doc = $doc])+ pub const $name: $ty = $value;)+

        /// Every limit, in this file's order.
        // Each value is a whole number ≥ 0 below 2^63, so the cast keeps it.
        #[allow(clippy::unnecessary_cast, clippy::cast_sign_loss)]
        pub const ALL: &[Limit] = &[$(Limit {
            name: stringify!($name),
            value: $name as u64,
            unit: $unit,
            reason: concat!($($doc),+),
        },)+];
    };
}

limits! {
    /// Default cap on a compact token, in bytes. Entra ID access tokens with many
    /// groups or roles reach 4–6 KiB; 16 KiB leaves room while keeping an
    /// attacker's pre-authentication parsing work small.
    DEFAULT_MAX_TOKEN_SIZE: usize = 16 * 1024, "bytes";

    /// The highest `maxTokenSize` a policy may set. Past this, a token is not an
    /// access token but a payload smuggled in a header.
    MAX_TOKEN_SIZE_CEILING: usize = 256 * 1024, "bytes";

    /// Nesting depth of header and payload JSON. Real claims nest two or three
    /// levels; serde_json's own limit is 128, far more than any token needs.
    MAX_JSON_DEPTH: usize = 16, "levels";

    /// Members in one JSON object of a header or payload. Entra tokens carry about
    /// 30 claims; a thousand leaves room for custom claims.
    MAX_JSON_MEMBERS: usize = 1000, "members";

    /// Elements in one JSON array of a header or payload (roles, groups, `aud`).
    /// Entra caps group claims at 200 (tokens switch to an overage claim).
    MAX_JSON_ARRAY_LEN: usize = 1000, "elements";

    /// Members in a protected header. Real headers have 2 to 6.
    MAX_HEADER_MEMBERS: usize = 16, "members";

    /// Length of a `kid`, in bytes, in a token or a JWK. Real ones are under 100.
    MAX_KID_LEN: usize = 256, "bytes";

    /// Size of a JWKS document, in bytes. Entra's common key set is about 10 KiB;
    /// this matches the host layer's default response cap.
    MAX_JWKS_SIZE: usize = 512 * 1024, "bytes";

    /// Keys in one JWKS. Identity providers publish 2 to 10.
    MAX_JWKS_KEYS: usize = 100, "keys";

    /// Keys tried for one token: those fitting its `alg` when it has no `kid`,
    /// or those sharing its `kid`. Each try costs a signature verification, so
    /// neither an unlabelled token nor a key set repeating one `kid` can make us
    /// try every key.
    MAX_KEYS_TRIED: usize = 4, "keys";

    /// Smallest RSA modulus accepted, in bits (NIST SP 800-131A; RFC 7518 §3.3).
    RSA_MIN_BITS: usize = 2048, "bits";

    /// Largest RSA modulus accepted, in bits. Bounds the cost of one verification.
    RSA_MAX_BITS: usize = 8192, "bits";

    /// Largest RSA public exponent accepted, 2^33 − 1. Real keys use 65537; the
    /// bound keeps a verification to at most 33 squarings and 33 multiplications.
    RSA_MAX_EXPONENT: u64 = (1 << 33) - 1, "";

    /// Shortest shared secret for HS256, in bytes: as long as the hash output
    /// (RFC 7518 §3.2), so the secret is not the easier thing to guess. A
    /// shorter secret is refused (`ERR_KEY_INVALID`).
    HS256_MIN_SECRET_LEN: usize = 32, "bytes";

    /// Shortest shared secret for HS384, in bytes: as long as the hash output
    /// (RFC 7518 §3.2). A shorter secret's key does not permit HS384.
    HS384_MIN_SECRET_LEN: usize = 48, "bytes";

    /// Shortest shared secret for HS512, in bytes: as long as the hash output
    /// (RFC 7518 §3.2). A shorter secret's key does not permit HS512.
    HS512_MIN_SECRET_LEN: usize = 64, "bytes";

    /// Latest time accepted in `exp`, `nbf` and `iat`: 9999-12-31T23:59:59Z.
    /// A larger value is a type-confusion attempt, not a date.
    MAX_NUMERIC_DATE: i64 = 253_402_300_799, "seconds since 1970";

    /// Longest clock tolerance a policy may set, in seconds (one day).
    MAX_CLOCK_TOLERANCE: u64 = 86_400, "seconds";

    /// Longest `dpopMaxAge` a policy may set, in seconds. A DPoP proof is made for
    /// one request moments before it is sent (RFC 9449 §11.1); the replay cache
    /// must hold every `jti` for this long, so a longer window only costs memory
    /// and widens what a stolen proof is good for.
    MAX_DPOP_MAX_AGE: u64 = 300, "seconds";

    /// Size of a DPoP proof, in bytes. A proof is a header holding one public JWK
    /// (an 8192-bit RSA key is about 1.4 KB of base64url) and a few claims.
    MAX_DPOP_PROOF_SIZE: usize = 8 * 1024, "bytes";

    /// Length of a DPoP proof's `jti`, in bytes. Clients use a UUID or 96 random
    /// bits; the host keeps each one until the proof expires.
    MAX_JTI_LEN: usize = 256, "bytes";

    /// Length of a DPoP proof's `nonce`, in bytes. A server nonce is the server's own
    /// value (jwtguard's: 43 base64url characters of an HMAC-SHA-256); a longer one
    /// cannot be among them and is refused before it is compared.
    MAX_DPOP_NONCE_LEN: usize = 256, "bytes";

    /// Length of a DPoP `htu` or request URL, in bytes: the common URL limit of
    /// servers and proxies is 8 KB for the whole request line, most far less.
    MAX_HTU_LEN: usize = 4096, "bytes";

    /// Size of a token introspection response (RFC 7662 JSON or an RFC 9701
    /// JWT), in bytes. A response carries about the claims of an access token,
    /// so it gets a token's room and more; the host stops reading there too.
    MAX_INTROSPECTION_RESPONSE_SIZE: usize = 64 * 1024, "bytes";

    /// Default freshness of a signed introspection response (RFC 9701): its
    /// `iat` may lie at most this many seconds in the past, before the clock
    /// tolerance. The response answers one request made moments earlier; a
    /// policy's `maxTokenAge` for the response verifier replaces it.
    DEFAULT_INTROSPECTION_MAX_AGE: u64 = 60, "seconds";
}
