//! DPoP proofs: a jose-signed DPoP-bound access token (fuzz/dpop-token.txt,
//! bound to the fixtures' ES256 key) presented with the fuzzed proof. Input:
//! the proof, then optionally a line break and the request URL.
#![no_main]

use std::sync::OnceLock;

use jwtguard::{DpopRequest, KeySet, Policy, Presentation, Scheme, Verifier};
use libfuzzer_sys::fuzz_target;

const FIXTURES: &str = include_str!("../../tests/fixtures/jose-signed.json");
const TOKEN: &str = include_str!("../dpop-token.txt");
const URL: &str = "https://api.example/tasks";

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
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let (proof, url) = input.split_once('\n').unwrap_or((input, URL));
    let presented = Presentation {
        scheme: Scheme::Dpop,
        dpop: Some(DpopRequest {
            proof,
            method: "POST",
            url,
        }),
        certificate: None,
    };
    match verifier.verify_presented(TOKEN.trim(), *now, &presented) {
        // Errors never echo the proof.
        Err(error) if proof.len() >= 16 => assert!(!error.to_string().contains(proof)),
        _ => {}
    }
});
