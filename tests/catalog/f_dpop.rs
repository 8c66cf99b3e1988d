//! F. Claims: the DPoP proof's server nonce (RFC 9449 §9).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use jwtguard::{DpopRequest, Presentation, Scheme};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::common::*;

const URL: &str = "https://api.example/tasks";
/// The nonces the host accepts now: the current window's and the previous one's.
const CURRENT: &str = "Q2M0X2N1cnJlbnQtd2luZG93LW5vbmNl";
const PREVIOUS: &str = "Q2M0X3ByZXZpb3VzLXdpbmRvdy1ub25jZQ";

/// A DPoP-bound token and a proof for it carrying `nonce` (absent: none).
fn presented(nonce: Option<Value>) -> (String, String) {
    let jwk = proof_jwk("es256-key");
    let mut claims = good_claims();
    claims["cnf"] = json!({ "jkt": thumbprint(&jwk) });
    let token = sign_eddsa(&eddsa_header(), &claims);
    let mut payload = json!({
        "htm": "GET",
        "htu": URL,
        "iat": now(),
        "jti": "f17-proof",
        "ath": b64(&Sha256::digest(token.as_bytes())),
    });
    if let Some(nonce) = nonce {
        payload["nonce"] = nonce;
    }
    let proof = sign(
        "ES256",
        &json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": jwk }),
        &payload,
    );
    (token, proof)
}

/// F17: a proof with a stale server nonce (from a window that has passed),
/// one made by another server's secret, one of the wrong type or size, or
/// none, is refused when the server asks for nonces: the nonce is compared
/// exactly with the ones the host accepts now (the core keeps no clock and
/// no secret; the host passes them).
#[test]
fn f17_stale_or_foreign_dpop_nonce() {
    let verifier = verifier();
    let accepted: &[&str] = &[CURRENT, PREVIOUS];
    let rows: Vec<(&str, Option<Value>, Option<&str>)> = vec![
        ("current nonce", Some(json!(CURRENT)), None),
        ("previous window's nonce", Some(json!(PREVIOUS)), None),
        (
            "stale nonce",
            Some(json!("Q2M0X29sZGVyLXdpbmRvdy1ub25jZQ")),
            Some("ERR_DPOP_NONCE"),
        ),
        (
            "foreign server's nonce",
            Some(json!("Zm9yZWlnbi1zZWNyZXQtbm9uY2U")),
            Some("ERR_DPOP_NONCE"),
        ),
        ("no nonce", None, Some("ERR_DPOP_NONCE")),
        (
            "a prefix of the current nonce",
            Some(json!(&CURRENT[..20])),
            Some("ERR_DPOP_NONCE"),
        ),
        (
            "the current nonce with a suffix",
            Some(json!(format!("{CURRENT}x"))),
            Some("ERR_DPOP_NONCE"),
        ),
        (
            "both nonces, joined",
            Some(json!(format!("{CURRENT} {PREVIOUS}"))),
            Some("ERR_DPOP_NONCE"),
        ),
        (
            "nonce an array of a current one",
            Some(json!([CURRENT])),
            Some("ERR_DPOP_INVALID"),
        ),
        ("nonce a number", Some(json!(1)), Some("ERR_DPOP_INVALID")),
        ("nonce empty", Some(json!("")), Some("ERR_DPOP_INVALID")),
        (
            "nonce over the limit",
            Some(json!("n".repeat(257))),
            Some("ERR_DPOP_INVALID"),
        ),
    ];
    for (name, nonce, want) in rows {
        let (token, proof) = presented(nonce);
        let presentation = Presentation {
            scheme: Scheme::Dpop,
            dpop: Some(DpopRequest {
                proof: &proof,
                method: "GET",
                url: URL,
                nonces: Some(accepted),
            }),
            certificate: None,
        };
        let got = verifier
            .verify_presented(&token, now(), &presentation)
            .map(|_| ())
            .map_err(|e| (e.kind().code(), e.to_string()));
        match want {
            None => assert_eq!(got, Ok(()), "F17 {name}"),
            Some(code) => {
                let (found, message) = got.expect_err(name);
                assert_eq!(found, code, "F17 {name}");
                // The refusal names no nonce: neither the proof's nor the server's.
                for secret in [CURRENT, PREVIOUS] {
                    assert!(!message.contains(secret), "F17 {name}: {message}");
                }
            }
        }
    }
}
