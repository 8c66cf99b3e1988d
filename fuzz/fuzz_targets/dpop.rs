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
            // The server nonce rule runs too (a proof with another nonce, or none, is refused).
            nonces: Some(&["fuzz-nonce"]),
        }),
        certificate: None,
    };
    match verifier.verify_presented(TOKEN.trim(), *now, &presented) {
        // Errors never echo a proof. Checked for proofs shaped like a compact
        // JWS (two dots, base64url only): a shorter or free-text "proof" can
        // be a piece of the error's own wording ("roof is not a compact jws",
        // found by this target), which is no echo.
        Err(error) if looks_like_a_jws(proof) => assert!(!error.to_string().contains(proof)),
        _ => {}
    }
});

/// At least 16 bytes, exactly two dots, every other byte base64url.
fn looks_like_a_jws(text: &str) -> bool {
    text.len() >= 16
        && text.matches('.').count() == 2
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}
