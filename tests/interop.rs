//! Tokens signed by an independent implementation (panva/jose) verify, for
//! every asymmetric algorithm; and any single-byte change breaks them.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;

const ALGORITHMS: [&str; 9] = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
];

#[test]
fn jose_signed_tokens_verify() {
    let verifier = verifier();
    assert!(
        verifier.keys().skipped().is_empty(),
        "{:?}",
        verifier.keys().skipped()
    );
    for alg in ALGORITHMS {
        let verified = verifier
            .verify(&jose_token(alg), now())
            .unwrap_or_else(|e| panic!("{alg}: {e} ({})", e.code()));
        assert_eq!(verified.key.alg, alg);
        assert_eq!(
            verified.key.kid.as_deref(),
            Some(format!("{}-key", alg.to_lowercase()).as_str())
        );
        assert_eq!(verified.claims()["jti"], format!("jti-{alg}"));
        assert_eq!(verified.header()["typ"], "at+jwt");
    }
}

#[test]
fn any_flipped_signature_bit_is_rejected() {
    let verifier = verifier();
    for alg in ALGORITHMS {
        let token = jose_token(alg);
        let signature = signature_of(&token);
        // First, middle and last byte, low and high bit.
        for index in [0, signature.len() / 2, signature.len() - 1] {
            for bit in [0x01u8, 0x80] {
                let mut bad = signature.clone();
                bad[index] ^= bit;
                let err = verifier
                    .verify(&with_signature(&token, &bad), now())
                    .unwrap_err();
                assert_eq!(
                    err.code(),
                    "ERR_SIGNATURE_INVALID",
                    "{alg} byte {index} bit {bit:#x}"
                );
            }
        }
    }
}

#[test]
fn payloads_cannot_be_swapped_between_tokens() {
    let verifier = verifier();
    let rs = jose_token("RS256");
    let es = jose_token("ES256");
    let rs_parts: Vec<&str> = rs.split('.').collect();
    let es_parts: Vec<&str> = es.split('.').collect();
    let swapped = format!("{}.{}.{}", rs_parts[0], es_parts[1], rs_parts[2]);
    assert_eq!(
        verifier.verify(&swapped, now()).unwrap_err().code(),
        "ERR_SIGNATURE_INVALID"
    );
}
