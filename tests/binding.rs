//! Sender-constrained tokens through the public API: DPoP proofs (RFC 9449)
//! and certificate-bound tokens (RFC 8705) presented every way, with one row
//! per rule. Proofs and tokens are signed by the independent test signers
//! (p256, ed25519-dalek) with the jose-made fixture keys; thumbprints and
//! hashes are computed here from the RFCs' definitions.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

mod common;

use common::*;
use jwtguard::{Binding, Certificate, DpopRequest, ErrorKind, Presentation, Scheme};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

const METHOD: &str = "POST";
const URL: &str = "https://api.example/tasks";
const CERTIFICATE: &[u8] = b"0\x82\x01\x0a a client certificate's DER bytes";

fn bound_token(cnf: Value) -> String {
    let mut claims = good_claims();
    claims["cnf"] = cnf;
    sign_eddsa(&eddsa_header(), &claims)
}

fn dpop_token() -> String {
    bound_token(json!({"jkt": thumbprint(&proof_jwk("es256-key"))}))
}

fn ath(token: &str) -> String {
    b64(&Sha256::digest(token.as_bytes()))
}

fn proof_claims(token: &str) -> Map<String, Value> {
    json!({"htm": METHOD, "htu": URL, "iat": now(), "jti": "e1j3V_bKic8-LAEB", "ath": ath(token)})
        .as_object()
        .unwrap()
        .clone()
}

fn proof_header() -> Map<String, Value> {
    json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": proof_jwk("es256-key")})
        .as_object()
        .unwrap()
        .clone()
}

/// A proof signed with the fixture key for `signer`, header and claims edited.
fn proof_by(
    signer: &str,
    token: &str,
    header: impl FnOnce(&mut Map<String, Value>),
    claims: impl FnOnce(&mut Map<String, Value>),
) -> String {
    let mut h = proof_header();
    header(&mut h);
    let mut c = proof_claims(token);
    claims(&mut c);
    sign(signer, &Value::Object(h), &Value::Object(c))
}

fn proof(
    token: &str,
    header: impl FnOnce(&mut Map<String, Value>),
    claims: impl FnOnce(&mut Map<String, Value>),
) -> String {
    proof_by("ES256", token, header, claims)
}

fn dpop<'a>(proof: &'a str, method: &'a str, url: &'a str) -> Presentation<'a> {
    Presentation {
        scheme: Scheme::Dpop,
        dpop: Some(DpopRequest {
            proof,
            method,
            url,
            nonces: None,
        }),
        certificate: None,
    }
}

/// A verification's binding, or its error's code and claim.
type Outcome = Result<Option<Binding>, (String, String)>;

/// Accepted, or the error's code and claim.
type Verdict = Result<(), (String, String)>;

/// The outcome of `verify_presented`, after checking that the split path a
/// host with native crypto takes (`prepare`, the host's answer,
/// `finish_presented`) ends the same way. The host's answer is simulated: no
/// key for a bad signature, else the first key offered.
fn outcome(token: &str, presented: &Presentation<'_>) -> Outcome {
    let verifier = verifier();
    let direct = verifier.verify_presented(token, now(), presented);
    match verifier.prepare(token) {
        Ok(Some(prepared)) => {
            let key = match &direct {
                Err(e) if e.kind() == ErrorKind::SignatureInvalid => None,
                _ => prepared.keys.first().copied(),
            };
            let split = verifier.finish_presented(prepared, key, now(), presented);
            assert_eq!(
                split, direct,
                "finish_presented and verify_presented differ"
            );
        }
        Ok(None) => panic!("every algorithm of these tokens is delegable"),
        Err(e) => assert_eq!(Err(e), direct, "prepare and verify_presented differ"),
    }
    direct
        .map(|v| v.binding)
        .map_err(|e| (e.code().to_owned(), e.claim_name().unwrap_or("").to_owned()))
}

#[test]
fn dpop_proofs_one_row_per_rule() {
    let token = dpop_token();
    let none = |_: &mut Map<String, Value>| {};
    let set = |name: &'static str, value: Value| {
        move |m: &mut Map<String, Value>| {
            m.insert(name.into(), value);
        }
    };
    let drop = |name: &'static str| {
        move |m: &mut Map<String, Value>| {
            m.remove(name);
        }
    };
    let window = 60 + 60; // dpopMaxAge and clockTolerance, both defaults
    let mut private = proof_jwk("es256-key");
    private["d"] = private_jwk("ES256")["d"].clone();
    let rsa = {
        let mut jwk = public_jwk("rs256-key");
        jwk.as_object_mut()
            .unwrap()
            .retain(|k, _| ["kty", "n", "e"].contains(&k.as_str()));
        jwk
    };
    let ok = Ok(());
    let bad = |claim: &str| Err(("ERR_DPOP_INVALID".to_owned(), claim.to_owned()));
    let rows: Vec<(&str, String, Verdict)> = vec![
        ("good", proof(&token, none, none), ok.clone()),
        (
            "htu with a query",
            proof(&token, none, set("htu", json!(format!("{URL}?page=2")))),
            ok.clone(),
        ),
        (
            "htu in another case and with the default port",
            proof(
                &token,
                none,
                set("htu", json!("HTTPS://API.example:443/tasks")),
            ),
            ok.clone(),
        ),
        (
            "iat at the edge of the window",
            proof(&token, none, set("iat", json!(now() - window))),
            ok.clone(),
        ),
        (
            "iat in the future within the window",
            proof(&token, none, set("iat", json!(now() + window))),
            ok.clone(),
        ),
        (
            "wrong htm",
            proof(&token, none, set("htm", json!("GET"))),
            bad("htm"),
        ),
        (
            "lowercase htm",
            proof(&token, none, set("htm", json!("post"))),
            bad("htm"),
        ),
        (
            "wrong htu path",
            proof(&token, none, set("htu", json!("https://api.example/other"))),
            bad("htu"),
        ),
        (
            "wrong htu host",
            proof(
                &token,
                none,
                set("htu", json!("https://evil.example/tasks")),
            ),
            bad("htu"),
        ),
        (
            "http htu",
            proof(&token, none, set("htu", json!("http://api.example/tasks"))),
            bad("htu"),
        ),
        ("no htu", proof(&token, none, drop("htu")), bad("htu")),
        (
            "iat too old",
            proof(&token, none, set("iat", json!(now() - window - 1))),
            bad("iat"),
        ),
        (
            "iat too far ahead",
            proof(&token, none, set("iat", json!(now() + window + 1))),
            bad("iat"),
        ),
        (
            "iat a string",
            proof(&token, none, set("iat", json!("now"))),
            bad("iat"),
        ),
        ("no iat", proof(&token, none, drop("iat")), bad("iat")),
        ("no jti", proof(&token, none, drop("jti")), bad("jti")),
        (
            "empty jti",
            proof(&token, none, set("jti", json!(""))),
            bad("jti"),
        ),
        (
            "jti too long",
            proof(&token, none, set("jti", json!("j".repeat(257)))),
            bad("jti"),
        ),
        ("no ath", proof(&token, none, drop("ath")), bad("ath")),
        (
            "ath of another token",
            proof(&token, none, set("ath", json!(ath(&jose_token("EdDSA"))))),
            bad("ath"),
        ),
        (
            "typ JWT",
            proof(&token, set("typ", json!("JWT")), none),
            bad("typ"),
        ),
        ("no typ", proof(&token, drop("typ"), none), bad("typ")),
        (
            "alg none",
            {
                let mut header = proof_header();
                header.insert("alg".into(), json!("none"));
                let header = Value::Object(header).to_string();
                let claims = Value::Object(proof_claims(&token)).to_string();
                sign_raw("ES256", "ES256", header.as_bytes(), claims.as_bytes())
            },
            bad("alg"),
        ),
        ("no jwk", proof(&token, drop("jwk"), none), bad("jwk")),
        (
            "private key in jwk",
            proof(&token, set("jwk", private), none),
            bad("jwk"),
        ),
        (
            "jwk of another type",
            proof(&token, set("jwk", rsa), none),
            bad("jwk"),
        ),
        (
            "crit",
            proof(&token, set("crit", json!(["exp"])), none),
            bad("crit"),
        ),
        (
            "jku",
            proof(&token, set("jku", json!("https://evil.example/jwks")), none),
            bad("jku"),
        ),
        (
            "x5c",
            proof(&token, set("x5c", json!(["MIIB"])), none),
            bad("x5c"),
        ),
        (
            "x5u",
            proof(&token, set("x5u", json!("https://evil.example/cert")), none),
            bad("x5u"),
        ),
        (
            "b64",
            proof(&token, set("b64", json!(false)), none),
            bad("b64"),
        ),
        (
            "a header over the member limit",
            proof(
                &token,
                |h| {
                    for i in h.len()..=jwtguard::limits::MAX_HEADER_MEMBERS {
                        h.insert(format!("x-{i}"), json!(i));
                    }
                },
                none,
            ),
            bad(""),
        ),
        (
            "signed by another key than its jwk",
            // The Ed25519 fixture's secret used as a P-256 scalar: another ES256 key.
            proof_by("EdDSA", &token, none, none),
            bad(""),
        ),
        (
            "a valid proof by a key the token is not bound to",
            proof_by(
                "EdDSA",
                &token,
                |h| {
                    h.insert("alg".into(), json!("EdDSA"));
                    h.insert("jwk".into(), proof_jwk("eddsa-key"));
                },
                none,
            ),
            bad("jwk"),
        ),
        ("not a jws", "a.b".to_owned(), bad("")),
        (
            "oversized",
            format!("{}.e30.c2ln", "a".repeat(8 * 1024)),
            bad(""),
        ),
    ];
    let mut failures = Vec::new();
    for (name, proof, want) in rows {
        let got = outcome(&token, &dpop(&proof, METHOD, URL)).map(|_| ());
        if got != want {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn dpop_binding_is_reported_and_symmetric_proofs_are_refused() {
    let token = dpop_token();
    let good = proof(&token, |_| {}, |_| {});
    let binding = outcome(&token, &dpop(&good, METHOD, URL)).unwrap();
    assert_eq!(
        binding,
        Some(Binding::Dpop {
            jkt: thumbprint(&proof_jwk("es256-key")),
            jti: "e1j3V_bKic8-LAEB".into(),
            proof_expires: now() + 120,
        })
    );
    // An HMAC proof: its "key" would be a shared secret in the header.
    let hmac = sign_hmac(
        &[7; 32],
        &json!({"typ": "dpop+jwt", "alg": "HS256", "jwk": {"kty": "oct", "k": "BwcH"}}),
        &Value::Object(proof_claims(&token)),
    );
    assert_eq!(
        outcome(&token, &dpop(&hmac, METHOD, URL)).unwrap_err(),
        ("ERR_DPOP_INVALID".to_owned(), "alg".to_owned())
    );
    // The request URL itself must be comparable.
    assert_eq!(
        outcome(&token, &dpop(&good, METHOD, "/tasks")).unwrap_err(),
        ("ERR_DPOP_INVALID".to_owned(), "url".to_owned())
    );
}

#[test]
fn bindings_must_match_the_presentation() {
    let dpop_bound = dpop_token();
    let x5t = b64(&Sha256::digest(CERTIFICATE));
    let mtls_bound = bound_token(json!({"x5t#S256": x5t}));
    let unbound = jose_token("EdDSA");
    let proof = proof(&dpop_bound, |_| {}, |_| {});
    let digest: [u8; 32] = Sha256::digest(CERTIFICATE).into();
    let bearer_with = |certificate| Presentation {
        scheme: Scheme::Bearer,
        dpop: None,
        certificate,
    };
    let mtls = Ok(Some(Binding::Mtls {
        x5t_s256: x5t.clone(),
    }));
    let bound = |claim: &str| Err(("ERR_TOKEN_BOUND".to_owned(), claim.to_owned()));
    let rows: Vec<(&str, &str, Presentation<'_>, Outcome)> = vec![
        (
            "unbound as bearer",
            &unbound,
            Presentation::BEARER,
            Ok(None),
        ),
        (
            "unbound with a certificate",
            &unbound,
            bearer_with(Some(Certificate::Der(CERTIFICATE))),
            Ok(None),
        ),
        (
            "unbound under the DPoP scheme",
            &unbound,
            dpop(&proof, METHOD, URL),
            bound("cnf"),
        ),
        (
            "dpop-bound as bearer",
            &dpop_bound,
            Presentation::BEARER,
            bound("cnf"),
        ),
        (
            "dpop-bound as bearer with a proof",
            &dpop_bound,
            Presentation {
                scheme: Scheme::Bearer,
                ..dpop(&proof, METHOD, URL)
            },
            bound("cnf"),
        ),
        (
            "dpop-bound under DPoP without a proof",
            &dpop_bound,
            Presentation {
                scheme: Scheme::Dpop,
                dpop: None,
                certificate: None,
            },
            Err(("ERR_DPOP_INVALID".to_owned(), String::new())),
        ),
        (
            "mtls-bound with its certificate (DER)",
            &mtls_bound,
            bearer_with(Some(Certificate::Der(CERTIFICATE))),
            mtls.clone(),
        ),
        (
            "mtls-bound with its certificate (SHA-256)",
            &mtls_bound,
            bearer_with(Some(Certificate::Sha256(digest))),
            mtls,
        ),
        (
            "mtls-bound without a certificate",
            &mtls_bound,
            Presentation::BEARER,
            bound("cnf"),
        ),
        (
            "mtls-bound with another certificate",
            &mtls_bound,
            bearer_with(Some(Certificate::Der(b"another"))),
            bound("cnf"),
        ),
        (
            "mtls-bound under the DPoP scheme",
            &mtls_bound,
            Presentation {
                certificate: Some(Certificate::Der(CERTIFICATE)),
                ..dpop(&proof, METHOD, URL)
            },
            bound("cnf"),
        ),
    ];
    let mut failures = Vec::new();
    for (name, token, presented, want) in rows {
        let got = outcome(token, &presented);
        if got != want {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
    }
    // cnf shapes this verifier does not check are refused, never ignored.
    let with_certificate = bearer_with(Some(Certificate::Der(CERTIFICATE)));
    for cnf in [
        json!({"jwk": proof_jwk("es256-key")}),
        json!({"jkt": thumbprint(&proof_jwk("es256-key")), "x5t#S256": b64(&digest)}),
        json!({"x5t#S256": 1}),
        json!({}),
        json!("x"),
        Value::Null,
    ] {
        let got = outcome(&bound_token(cnf.clone()), &with_certificate);
        if got != bound("cnf") {
            failures.push(format!("cnf {cnf}: got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The DPoP fuzz target's seed: a proof and a bound token both made by jose
/// (fuzz/dpop-token.txt, fuzz/seeds/dpop/valid), so the seed stays a valid
/// proof and an independent signer's proof verifies.
#[test]
fn a_jose_made_proof_verifies() {
    let token = include_str!("../fuzz/dpop-token.txt").trim();
    let proof = include_str!("../fuzz/seeds/dpop/valid").trim();
    let binding = outcome(token, &dpop(proof, METHOD, URL)).unwrap();
    assert!(matches!(binding, Some(Binding::Dpop { jti, .. }) if jti == "fuzz-seed-1"));
}
