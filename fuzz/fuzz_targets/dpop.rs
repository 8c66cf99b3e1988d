//! DPoP proofs: a jose-signed DPoP-bound access token (fuzz/dpop-token.txt,
//! bound to the fixtures' ES256 key) presented with the fuzzed proof. Input:
//! the proof, then optionally a line break and the request URL.
#![no_main]

use jwtguard::{DpopRequest, Presentation, Scheme};
use libfuzzer_sys::fuzz_target;

#[path = "fixtures.rs"]
mod fixtures;

const TOKEN: &str = include_str!("../dpop-token.txt");
const URL: &str = "https://api.example/tasks";

fuzz_target!(|data: &[u8]| {
    let (verifier, now) = fixtures::verifier();
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
