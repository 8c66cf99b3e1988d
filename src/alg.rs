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

/// The family of an algorithm: the kind of key it needs and the arithmetic
/// that checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 7518 §3.3, §3.5): an `RSA` key.
    Rsa,
    /// ECDSA (RFC 7518 §3.4): an `EC` key on the algorithm's curve.
    Ecdsa,
    /// EdDSA with Ed25519 (RFC 8037 §3.1): an `OKP` key.
    EdDsa,
    /// HMAC (RFC 7518 §3.2): a shared secret configured by the caller.
    Hmac,
}

impl Family {
    /// The family's name, as the reference tables write it.
    pub fn name(self) -> &'static str {
        match self {
            Family::Rsa => "RSA",
            Family::Ecdsa => "ECDSA",
            Family::EdDsa => "EdDSA",
            Family::Hmac => "HMAC",
        }
    }

    /// Whether a host may check this family's signatures with its own
    /// native crypto (node:crypto, WebCrypto) once the core has fixed the
    /// signature's encoding: every asymmetric family. HMAC stays in the
    /// core: it is a few hashes.
    pub fn delegable(self) -> bool {
        self != Family::Hmac
    }
}

/// One row of the algorithm table.
struct Row {
    alg: Algorithm,
    name: &'static str,
    family: Family,
    /// The cargo feature the algorithm needs, for those a build may leave out.
    feature: Option<&'static str>,
    /// Whether this build verifies it (its feature, if any, is on).
    built_in: bool,
}

const fn row(alg: Algorithm, name: &'static str, family: Family) -> Row {
    Row {
        alg,
        name,
        family,
        feature: None,
        built_in: true,
    }
}

const fn optional(
    alg: Algorithm,
    name: &'static str,
    family: Family,
    feature: &'static str,
    built_in: bool,
) -> Row {
    Row {
        alg,
        name,
        family,
        feature: Some(feature),
        built_in,
    }
}

/// Every algorithm with its JOSE name, family and cargo feature: the one
/// algorithm table. Names compare exactly and case-sensitively; anything
/// else is unsupported.
const TABLE: [Row; 12] = [
    row(Algorithm::RS256, "RS256", Family::Rsa),
    row(Algorithm::RS384, "RS384", Family::Rsa),
    row(Algorithm::RS512, "RS512", Family::Rsa),
    row(Algorithm::PS256, "PS256", Family::Rsa),
    row(Algorithm::PS384, "PS384", Family::Rsa),
    row(Algorithm::PS512, "PS512", Family::Rsa),
    optional(
        Algorithm::ES256,
        "ES256",
        Family::Ecdsa,
        "es256",
        cfg!(feature = "es256"),
    ),
    optional(
        Algorithm::ES384,
        "ES384",
        Family::Ecdsa,
        "es384",
        cfg!(feature = "es384"),
    ),
    optional(
        Algorithm::EdDSA,
        "EdDSA",
        Family::EdDsa,
        "eddsa",
        cfg!(feature = "eddsa"),
    ),
    row(Algorithm::HS256, "HS256", Family::Hmac),
    row(Algorithm::HS384, "HS384", Family::Hmac),
    row(Algorithm::HS512, "HS512", Family::Hmac),
];

impl Algorithm {
    /// Every supported algorithm, in the table's order.
    pub fn all() -> impl Iterator<Item = Algorithm> {
        TABLE.iter().map(|row| row.alg)
    }

    /// The algorithm named `name` (its exact JOSE name), if supported.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        TABLE.iter().find(|row| row.name == name).map(|row| row.alg)
    }

    fn row(self) -> &'static Row {
        // Every variant has its row (`names_round_trip_and_are_exact`).
        TABLE
            .iter()
            .find(|row| row.alg == self)
            .unwrap_or(&TABLE[0])
    }

    /// The JOSE name, as in a token's `alg` header.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The algorithm's family.
    pub fn family(self) -> Family {
        self.row().family
    }

    /// The cargo feature this algorithm needs, when a build may leave it out.
    pub fn feature(self) -> Option<&'static str> {
        self.row().feature
    }

    /// Whether this build verifies the algorithm (its feature, if any, is on).
    pub fn built_in(self) -> bool {
        self.row().built_in
    }

    /// Whether this is an HMAC algorithm (a shared secret, not a public key).
    pub fn is_symmetric(self) -> bool {
        self.family() == Family::Hmac
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
                TABLE.map(|row| row.name).join(", ")
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
        for Row { alg, name, .. } in TABLE {
            assert_eq!(Algorithm::from_name(name), Some(alg));
            assert_eq!(alg.name(), name);
            assert_eq!(alg.to_string(), name);
        }
        assert_eq!(Algorithm::all().count(), TABLE.len());
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
