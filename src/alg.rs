//! The signature algorithms jwtguard verifies, and their JOSE names.

use core::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A JWS signature algorithm (RFC 7518 §3.1, RFC 8037 §3.1) that jwtguard
/// can verify. `none` and every algorithm not listed are unsupported.
///
/// There is no default: a policy that names no algorithms allows every
/// supported one, and each key still limits what it verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256 (salt length 32).
    PS256,
    /// RSASSA-PSS with SHA-384 (salt length 48).
    PS384,
    /// RSASSA-PSS with SHA-512 (salt length 64).
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// Ed25519 (the only EdDSA curve jwtguard accepts).
    EdDSA,
    /// HMAC with SHA-256; only with a shared secret, never from a JWKS.
    HS256,
    /// HMAC with SHA-384; only with a shared secret, never from a JWKS.
    HS384,
    /// HMAC with SHA-512; only with a shared secret, never from a JWKS.
    HS512,
}

/// Every algorithm with its JOSE name: the one name table. Names compare
/// exactly and case-sensitively; anything else is unsupported.
const NAMES: [(Algorithm, &str); 12] = [
    (Algorithm::RS256, "RS256"),
    (Algorithm::RS384, "RS384"),
    (Algorithm::RS512, "RS512"),
    (Algorithm::PS256, "PS256"),
    (Algorithm::PS384, "PS384"),
    (Algorithm::PS512, "PS512"),
    (Algorithm::ES256, "ES256"),
    (Algorithm::ES384, "ES384"),
    (Algorithm::EdDSA, "EdDSA"),
    (Algorithm::HS256, "HS256"),
    (Algorithm::HS384, "HS384"),
    (Algorithm::HS512, "HS512"),
];

impl Algorithm {
    /// Every supported algorithm, in the table's order.
    pub fn all() -> impl Iterator<Item = Algorithm> {
        NAMES.iter().map(|(alg, _)| *alg)
    }

    /// The algorithm named `name` (its exact JOSE name), if supported.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        NAMES.iter().find(|(_, n)| *n == name).map(|(alg, _)| *alg)
    }

    /// The JOSE name, as in a token's `alg` header.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(alg, _)| *alg == self)
            .map_or("unsupported", |(_, n)| *n)
    }

    /// Whether this is an HMAC algorithm (a shared secret, not a public key).
    pub fn is_symmetric(self) -> bool {
        matches!(self, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Algorithm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Algorithm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Algorithm::from_name(&name).ok_or_else(|| {
            serde::de::Error::custom(format_args!(
                "unsupported algorithm {name:?}; expected one of {}",
                NAMES.map(|(_, n)| n).join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn names_round_trip_and_are_exact() {
        for (alg, n) in NAMES {
            assert_eq!(Algorithm::from_name(n), Some(alg));
            assert_eq!(alg.name(), n);
            assert_eq!(alg.to_string(), n);
        }
        assert_eq!(Algorithm::all().count(), NAMES.len());
        for bad in [
            "none", "rs256", "RS256 ", "ES512", "Ed25519", "ES256K", "RS1", "",
        ] {
            assert_eq!(Algorithm::from_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn serde_uses_the_name_table() {
        let algs: Vec<Algorithm> = serde_json::from_str(r#"["PS384","EdDSA","HS512"]"#).unwrap();
        assert_eq!(algs, [Algorithm::PS384, Algorithm::EdDSA, Algorithm::HS512]);
        assert_eq!(
            serde_json::to_string(&algs).unwrap(),
            r#"["PS384","EdDSA","HS512"]"#
        );
        let error = serde_json::from_str::<Algorithm>(r#""none""#).unwrap_err();
        assert!(
            error.to_string().contains("unsupported algorithm \"none\""),
            "{error}"
        );
    }
}
