//! The fixed set of signature algorithms and their JOSE names.

use jsonwebtoken::Algorithm;

/// Every supported algorithm with its JOSE name (RFC 7518 §3.1, RFC 8037 §3.1).
/// Names compare exactly and case-sensitively; anything else is unsupported.
const ALGORITHMS: [(Algorithm, &str); 12] = [
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

/// The algorithm named `name`, if it is supported.
pub(crate) fn from_name(name: &str) -> Option<Algorithm> {
    ALGORITHMS
        .iter()
        .find(|(_, n)| *n == name)
        .map(|(alg, _)| *alg)
}

/// The JOSE name of `alg`.
pub(crate) fn name(alg: Algorithm) -> &'static str {
    ALGORITHMS
        .iter()
        .find(|(a, _)| *a == alg)
        .map_or("unsupported", |(_, n)| *n)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn names_round_trip_and_are_exact() {
        for (alg, n) in ALGORITHMS {
            assert_eq!(from_name(n), Some(alg));
            assert_eq!(name(alg), n);
        }
        for bad in [
            "none", "rs256", "RS256 ", "ES512", "Ed25519", "ES256K", "RS1", "",
        ] {
            assert_eq!(from_name(bad), None, "{bad}");
        }
    }
}
