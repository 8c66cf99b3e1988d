//! The fuzz targets' shared setup: the test fixtures' key set and policy
//! (made by jose, tests/fixtures/jose-signed.json) at the fixtures' time.

use std::sync::OnceLock;

use jwtguard::{KeySet, Policy, Verifier};

const FIXTURES: &str = include_str!("../../tests/fixtures/jose-signed.json");

/// A verifier over the fixtures' keys with their issuer and audience, and
/// the time their tokens are valid at; built once.
pub fn verifier() -> &'static (Verifier, i64) {
    static SETUP: OnceLock<(Verifier, i64)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let fixtures: serde_json::Value = serde_json::from_str(FIXTURES).expect("fixtures");
        let policy = Policy::new(
            fixtures["issuer"].as_str().expect("issuer"),
            fixtures["audience"].as_str().expect("audience"),
        );
        let keys = KeySet::from_jwks(&fixtures["jwks"].to_string()).expect("jwks");
        let now = fixtures["now"].as_i64().expect("now");
        (Verifier::new(policy, keys).expect("verifier"), now)
    })
}
