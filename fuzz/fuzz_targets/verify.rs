//! Full verification with fixed keys (the test fixtures' key set and policy)
//! at the fixtures' fixed time.
#![no_main]

use std::sync::OnceLock;

use jwtguard::{KeySet, Policy, Verifier};
use libfuzzer_sys::fuzz_target;

const FIXTURES: &str = include_str!("../../tests/fixtures/jose-signed.json");

fn setup() -> &'static (Verifier, i64) {
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

fuzz_target!(|data: &[u8]| {
    let (verifier, now) = setup();
    if let Ok(token) = std::str::from_utf8(data) {
        match verifier.verify(token, *now) {
            // Errors never echo the token.
            Err(error) if token.len() >= 16 => assert!(!error.to_string().contains(token)),
            _ => {}
        }
    }
});
