//! The split verification a host with its own crypto (WebCrypto) drives:
//! `prepare` makes every decision up to the signature, the host answers which
//! offered key verified it, `finish` re-checks and concludes exactly as
//! `verify` does. The host's answers are simulated here; the JS tests run the
//! real WebCrypto against `verifySync`.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use jwtguard::{ErrorKind, KeySet, Verifier};
use serde_json::json;

const DELEGATED: [&str; 9] = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
];

fn index_of(kid: &str) -> usize {
    verifier()
        .keys()
        .keys()
        .iter()
        .position(|k| k.kid() == Some(kid))
        .unwrap()
}

#[test]
fn prepare_then_finish_is_verify() {
    let verifier = verifier();
    for alg in DELEGATED {
        let token = jose_token(alg);
        let prepared = verifier.prepare(&token).unwrap().unwrap();
        let kid = format!("{}-key", alg.to_lowercase());
        assert_eq!(prepared.keys, vec![index_of(&kid)], "{alg}");
        assert_eq!(prepared.signing_input_len, token.rfind('.').unwrap());
        assert_eq!(
            b64(&prepared.signature),
            token.rsplit('.').next().unwrap(),
            "{alg}"
        );
        let finished = verifier.finish(&token, Some(prepared.keys[0]), now());
        assert_eq!(finished, verifier.verify(&token, now()), "{alg}");
        assert!(finished.is_ok(), "{alg}");
    }
}

#[test]
fn hmac_is_never_delegated() {
    let secret = [7u8; 32];
    let keys = KeySet::from_secret(&secret, Some("s1")).unwrap();
    let verifier = Verifier::new(policy(), keys).unwrap();
    let token = sign_hmac(
        &secret,
        &json!({"alg": "HS256", "kid": "s1"}),
        &good_claims(),
    );
    assert!(verifier.verify(&token, now()).is_ok());
    assert_eq!(verifier.prepare(&token).unwrap(), None);
    assert_eq!(
        verifier.finish(&token, Some(0), now()).unwrap_err().kind(),
        ErrorKind::Internal
    );
    assert_eq!(verifier.keys().keys()[0].public_jwk(), None);
}

#[test]
fn no_key_verified_is_the_same_rejection_as_verify() {
    let verifier = verifier();
    for alg in DELEGATED {
        let token = jose_token(alg);
        assert_eq!(
            verifier.finish(&token, None, now()).unwrap_err().kind(),
            ErrorKind::SignatureInvalid,
            "{alg}"
        );
    }
}

#[test]
fn a_key_that_was_not_offered_is_a_host_bug_never_an_acceptance() {
    let verifier = verifier();
    let token = jose_token("RS256");
    for kid in ["rs384-key", "es256-key", "eddsa-key"] {
        let error = verifier
            .finish(&token, Some(index_of(kid)), now())
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Internal, "{kid}");
    }
    let beyond = verifier.keys().keys().len();
    assert_eq!(
        verifier
            .finish(&token, Some(beyond), now())
            .unwrap_err()
            .kind(),
        ErrorKind::Internal
    );
}

#[test]
fn finish_re_runs_every_check_before_the_signature() {
    let verifier = verifier();
    let token = jose_token("ES256");
    let index = index_of("es256-key");
    let (_, rest) = token.split_once('.').unwrap();
    let header = b64(br#"{"alg":"ES256","kid":"es256-key","crit":["x"]}"#);
    let edited = format!("{header}.{rest}");
    let want = verifier.verify(&edited, now()).unwrap_err();
    assert_eq!(want.kind(), ErrorKind::CritUnsupported);
    assert_eq!(
        verifier.prepare(&edited).unwrap_err().kind(),
        ErrorKind::CritUnsupported
    );
    assert_eq!(
        verifier.finish(&edited, Some(index), now()).unwrap_err(),
        want
    );
    // Claims are checked after the signature, exactly as verify checks them.
    let late = now() + 10 * 86_400;
    assert_eq!(
        verifier.finish(&token, Some(index), late).unwrap_err(),
        verifier.verify(&token, late).unwrap_err()
    );
}

#[test]
fn malformed_signatures_are_never_offered_to_the_host() {
    let verifier = verifier();
    for alg in DELEGATED {
        let token = jose_token(alg);
        let (input, signature) = token.rsplit_once('.').unwrap();
        let signature = unb64(signature);
        let mut variants = vec![
            // Shorter by one byte (OpenSSL's RSA-PSS would left-pad it).
            signature[1..].to_vec(),
            // Longer by a leading zero byte.
            [&[0u8][..], &signature].concat(),
            // All ones: for RSA at least n, for ECDSA r and s at least n.
            vec![0xff; signature.len()],
        ];
        if alg.starts_with("ES") {
            // r = 0.
            let mut zero_r = signature.clone();
            zero_r[..signature.len() / 2].fill(0);
            variants.push(zero_r);
        }
        if alg == "EdDSA" {
            // S + L, and R of small order with S = k·a (OpenSSL accepts that
            // one). A non-canonical R is no encoding question: every host
            // compares R byte for byte with the canonical one it computes.
            variants.extend(
                ed25519_edge_signatures(&token)
                    .into_iter()
                    .filter(|(name, _)| *name != "non-canonical R")
                    .map(|(_, signature)| signature),
            );
        }
        for (i, bad) in variants.into_iter().enumerate() {
            let mutated = format!("{input}.{}", b64(&bad));
            let prepared = verifier.prepare(&mutated).unwrap().unwrap();
            assert!(prepared.keys.is_empty(), "{alg} variant {i}");
            assert_eq!(
                verifier.verify(&mutated, now()).unwrap_err().kind(),
                ErrorKind::SignatureInvalid
            );
        }
    }
}

#[test]
fn public_jwks_hold_only_what_import_needs() {
    let verifier = verifier();
    for key in verifier.keys().keys() {
        let kid = key.kid().unwrap();
        let fixture = public_jwk(kid);
        let jwk = key.public_jwk().unwrap();
        let jwk: serde_json::Map<String, serde_json::Value> = serde_json::from_str(jwk).unwrap();
        let members: Vec<&str> = jwk.keys().map(String::as_str).collect();
        match fixture["kty"].as_str().unwrap() {
            "RSA" => assert_eq!(members, ["e", "kty", "n"], "{kid}"),
            "OKP" => assert_eq!(members, ["crv", "kty", "x"], "{kid}"),
            _ => assert_eq!(members, ["crv", "kty", "x", "y"], "{kid}"),
        }
        for (name, value) in &jwk {
            assert_eq!(&fixture[name], value, "{kid} {name}");
        }
    }
}

#[test]
fn finish_prepared_concludes_from_what_prepare_kept() {
    let verifier = verifier();
    for alg in DELEGATED {
        let token = jose_token(alg);
        let prepared = verifier.prepare(&token).unwrap().unwrap();
        let index = prepared.keys[0];
        let verified = verifier.verify(&token, now()).unwrap();
        let finished = verifier.finish_prepared(prepared, Some(index), now());
        assert_eq!(finished.as_ref(), Ok(&verified), "{alg}");
        // The claims and header texts are the payload and header as signed,
        // which parse to the claims and the header.
        let [header, payload] = [0, 1].map(|i| token.split('.').nth(i).unwrap());
        let texts = [
            (verified.claims_json(), payload, verified.claims()),
            (verified.header_json(), header, verified.header()),
        ];
        for (text, segment, object) in texts {
            assert_eq!(b64(text.as_bytes()), segment, "{alg}");
            let parsed: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).unwrap();
            assert_eq!(parsed, object, "{alg}");
        }
        assert_eq!(verified.header()["alg"], alg, "{alg}");
        // No key, or a key not offered: refused as `finish` refuses them.
        let again = || verifier.prepare(&token).unwrap().unwrap();
        let none = verifier.finish_prepared(again(), None, now());
        assert_eq!(
            none.unwrap_err().kind(),
            ErrorKind::SignatureInvalid,
            "{alg}"
        );
        let other = verifier.finish_prepared(again(), Some(index + 1), now());
        assert_eq!(other.unwrap_err().kind(), ErrorKind::Internal, "{alg}");
        // The claims are checked at finish time.
        let late = verifier.finish_prepared(again(), Some(index), now() + 10 * 3600);
        assert_eq!(late.unwrap_err().kind(), ErrorKind::TokenExpired, "{alg}");
    }
}

#[test]
fn finish_prepared_refuses_a_prepare_from_an_older_key_set() {
    let mut verifier = verifier();
    let token = jose_token("RS256");
    let prepared = verifier.prepare(&token).unwrap().unwrap();
    let index = prepared.keys[0];
    let same = verifier.keys().clone();
    verifier.set_keys(same);
    let stale = verifier.finish_prepared(prepared, Some(index), now());
    assert_eq!(stale.unwrap_err().kind(), ErrorKind::Internal);
}
