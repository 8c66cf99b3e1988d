//! A. Algorithm selection and key confusion.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use base64::Engine as _;
use jwtguard::{Algorithm, KeySet, Verifier};
use rsa::pkcs8::EncodePublicKey as _;
use serde_json::{Value, json};

use crate::common::*;
use crate::*;

/// A01: `alg: none` in every casing, with an empty, a forged, or no third
/// segment; and the duplicate-member forms. Rejected before any key lookup.
#[test]
fn a01_alg_none_in_every_casing() {
    let payload = b64(good_claims().to_string().as_bytes());
    let secret = [0x5a; 32];
    let mut rows = Vec::new();
    for alg in ["none", "None", "NONE", "nOnE", "NoNe"] {
        let header = b64(json!({"alg": alg, "kid": "eddsa-key"})
            .to_string()
            .as_bytes());
        let input = format!("{header}.{payload}");
        rows.push(row(
            format!("{alg}, empty signature"),
            format!("{input}."),
            no("ERR_ALG_NOT_ALLOWED"),
        ));
        rows.push(row(
            format!("{alg}, no third segment"),
            input.clone(),
            no("ERR_TOKEN_MALFORMED"),
        ));
        rows.push(row(
            format!("{alg}, eddsa signature"),
            sign_input_eddsa(&input),
            no("ERR_ALG_NOT_ALLOWED"),
        ));
        rows.push(row(
            format!("{alg}, hs256 mac"),
            sign_hmac(&secret, &json!({"alg": alg}), &good_claims()),
            no("ERR_ALG_NOT_ALLOWED"),
        ));
    }
    rows.push(row(
        "\"none \" (trailing space)",
        format!("{}.{payload}.", b64(br#"{"alg":"none "}"#)),
        no("ERR_ALG_NOT_ALLOWED"),
    ));
    for header in [
        r#"{"alg":"EdDSA","alg":"none","kid":"eddsa-key"}"#,
        r#"{"alg":"none","alg":"EdDSA","kid":"eddsa-key"}"#,
    ] {
        rows.push(row(
            header,
            sign_eddsa_raw(header.as_bytes(), good_claims().to_string().as_bytes()),
            no("ERR_TOKEN_MALFORMED"),
        ));
    }
    // The same tokens against a verifier holding an HMAC secret.
    let with_secret = Verifier::new(policy(), KeySet::from_secret(&secret, None).unwrap()).unwrap();
    let good_hmac = sign_hmac(&secret, &json!({"alg": "HS256"}), &good_claims());
    let hmac_rows = rows
        .iter()
        .map(|r| row(r.name.clone(), r.token.clone(), r.want))
        .collect();
    fixture_check("A01", rows);
    check("A01 (secret)", &with_secret, &good_hmac, hmac_rows);
}

/// The byte strings a confused verifier might use as an HMAC secret for an
/// asymmetric JWK.
fn confusable_secrets(jwk: &Value) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("jwk json".to_owned(), jwk.to_string().into_bytes()),
        ("jwks json".to_owned(), jwks().into_bytes()),
    ];
    match jwk["kty"].as_str().unwrap() {
        "RSA" => {
            let n = unb64(jwk["n"].as_str().unwrap());
            let e = unb64(jwk["e"].as_str().unwrap());
            let key = rsa::RsaPublicKey::new(
                rsa::BigUint::from_bytes_be(&n),
                rsa::BigUint::from_bytes_be(&e),
            )
            .unwrap();
            let der = key.to_public_key_der().unwrap().as_bytes().to_vec();
            let body = base64::engine::general_purpose::STANDARD.encode(&der);
            let lines: Vec<&str> = body
                .as_bytes()
                .chunks(64)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect();
            let pem = format!(
                "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----",
                lines.join("\n")
            );
            out.push(("raw n".to_owned(), n));
            out.push(("der spki".to_owned(), der));
            out.push(("pem".to_owned(), pem.clone().into_bytes()));
            out.push((
                "pem with newline".to_owned(),
                format!("{pem}\n").into_bytes(),
            ));
        }
        "EC" => {
            let mut point = vec![4u8];
            point.extend(unb64(jwk["x"].as_str().unwrap()));
            point.extend(unb64(jwk["y"].as_str().unwrap()));
            out.push(("04||x||y".to_owned(), point));
        }
        _ => out.push(("ed25519 x".to_owned(), unb64(jwk["x"].as_str().unwrap()))),
    }
    out
}

/// A02: HS256/384/512 tokens MAC'd with an asymmetric key's public bytes and
/// naming that key's kid. No key from a JWKS is ever an HMAC key.
#[test]
fn a02_hmac_with_public_key_bytes() {
    let mut rows = Vec::new();
    for kid in [
        "rs256-key",
        "ps256-key",
        "es256-key",
        "es384-key",
        "eddsa-key",
    ] {
        let jwk = public_jwk(kid);
        for (what, secret) in confusable_secrets(&jwk) {
            for alg in ["HS256", "HS384", "HS512"] {
                rows.push(row(
                    format!("{kid} {what} {alg}"),
                    sign_hmac(&secret, &json!({"alg": alg, "kid": kid}), &good_claims()),
                    no("ERR_KEY_NOT_FOUND"),
                ));
            }
        }
    }
    fixture_check("A02", rows);
}

/// A03: a JWK's own `alg` binds the token's: one key, one algorithm
/// (RFC 8725 §3.1). Tokens signed with the right private key but another
/// algorithm are refused before the signature is checked.
#[test]
fn a03_key_alg_binds_the_token_alg() {
    // rs384-key and es384-key carry "alg" in the fixtures' JWKS; es256-key does not.
    let sign_as = |signer: &str, alg: &str, kid: &str| {
        sign(signer, &json!({"alg": alg, "kid": kid}), &good_claims())
    };
    let rows = vec![
        row(
            "rs384 key, RS384",
            sign_as("RS384", "RS384", "rs384-key"),
            OK,
        ),
        row(
            "rs384 key, PS256",
            sign_as("RS384", "PS256", "rs384-key"),
            no("ERR_KEY_NOT_FOUND"),
        ),
        row(
            "rs384 key, RS512",
            sign_as("RS384", "RS512", "rs384-key"),
            no("ERR_KEY_NOT_FOUND"),
        ),
        row(
            "rs384 key, RS256",
            sign_as("RS384", "RS256", "rs384-key"),
            no("ERR_KEY_NOT_FOUND"),
        ),
        row(
            "ps256 key (alg PS256), PS384",
            sign_as("PS256", "PS384", "ps256-key"),
            no("ERR_KEY_NOT_FOUND"),
        ),
        row(
            "es256 token naming the es384 key",
            sign_as("ES256", "ES256", "es384-key"),
            no("ERR_KEY_NOT_FOUND"),
        ),
        // A JWK without "alg" (Entra's shape) serves every algorithm of its
        // type unless the policy narrows them (tests/deviations.json, A03).
        row(
            "rs256 key without alg, PS256",
            sign_as("RS256", "PS256", "rs256-key"),
            OK,
        ),
    ];
    fixture_check("A03", rows);
    let narrowed = verifier_with({
        let mut custom = policy();
        custom.algorithms = vec![Algorithm::RS256, Algorithm::EdDSA];
        custom
    });
    check(
        "A03 (policy algorithms)",
        &narrowed,
        &jose_token("EdDSA"),
        vec![
            row(
                "rs256 key, RS256",
                sign_as("RS256", "RS256", "rs256-key"),
                OK,
            ),
            row(
                "rs256 key, PS256",
                sign_as("RS256", "PS256", "rs256-key"),
                no("ERR_ALG_NOT_ALLOWED"),
            ),
        ],
    );
    // An EC key whose JWK says ES256 is never offered an ES384 token.
    let es256_bound = verifier_of(&[
        public_jwk("eddsa-key"),
        jwk_with("es256-key", |k| {
            k.insert("alg".into(), json!("ES256"));
        }),
    ]);
    check(
        "A03 (ec)",
        &es256_bound,
        &jose_token("EdDSA"),
        vec![
            row("ES256", sign_as("ES256", "ES256", "es256-key"), OK),
            row(
                "ES384 naming it",
                sign_as("ES384", "ES384", "es256-key"),
                no("ERR_KEY_NOT_FOUND"),
            ),
        ],
    );
}

/// A04: unsupported, unknown or fully-specified `alg` values.
#[test]
fn a04_unsupported_alg() {
    let mut rows = Vec::new();
    for alg in [
        "ES512", "Ed25519", "Ed448", "ES256K", "RS1", "HS256 ", "hs256", "eddsa", "",
    ] {
        rows.push(row(
            format!("alg {alg:?}"),
            eddsa_header_with(|h| {
                h.insert("alg".into(), json!(alg));
            }),
            no("ERR_ALG_NOT_ALLOWED"),
        ));
    }
    for alg in [
        json!(123),
        json!(["EdDSA"]),
        json!(null),
        json!({"alg": "EdDSA"}),
    ] {
        rows.push(row(
            format!("alg {alg}"),
            eddsa_header_with(|h| {
                h.insert("alg".into(), alg.clone());
            }),
            no("ERR_HEADER_INVALID"),
        ));
    }
    rows.push(row(
        "alg absent",
        eddsa_header_with(|h| {
            h.remove("alg");
        }),
        no("ERR_HEADER_INVALID"),
    ));
    fixture_check("A04", rows);
}

/// A05: a policy may allow algorithms of several families; each key still
/// verifies only its own.
#[test]
fn a05_mixed_family_allowlist() {
    let mixed = {
        let mut custom = policy();
        custom.algorithms = vec![Algorithm::HS256, Algorithm::RS256];
        custom
    };
    check(
        "A05",
        &verifier_with(mixed.clone()),
        &jose_token("RS256"),
        vec![
            row("RS256 from the key set", jose_token("RS256"), OK),
            row(
                "EdDSA outside the list",
                jose_token("EdDSA"),
                no("ERR_ALG_NOT_ALLOWED"),
            ),
            row(
                "HS256 against the key set",
                sign_hmac(&[1; 32], &json!({"alg": "HS256"}), &good_claims()),
                no("ERR_KEY_NOT_FOUND"),
            ),
        ],
    );
    let secret = [1u8; 32];
    let good = sign_hmac(&secret, &json!({"alg": "HS256"}), &good_claims());
    let with_secret = Verifier::new(mixed, KeySet::from_secret(&secret, None).unwrap()).unwrap();
    check(
        "A05 (secret)",
        &with_secret,
        &good,
        vec![
            row("HS256 with the secret", good.clone(), OK),
            row(
                "RS256 against the secret",
                jose_token("RS256"),
                no("ERR_KEY_NOT_FOUND"),
            ),
        ],
    );
}

/// A06: a symmetric key published in a key set is skipped; a token MAC'd
/// with it finds no key.
#[test]
fn a06_symmetric_keys_in_a_key_set() {
    let secrets: [&[u8]; 3] = [b"secret", b"", &[7u8; 64]];
    let mut keys = vec![public_jwk("eddsa-key")];
    let mut rows = Vec::new();
    for (i, secret) in secrets.iter().enumerate() {
        let kid = format!("h{i}");
        keys.push(
            json!({"kty": "oct", "kid": kid, "k": b64(secret), "alg": "HS256", "use": "sig"}),
        );
        rows.push(row(
            format!("hs256 with the published secret {kid}"),
            sign_hmac(secret, &json!({"alg": "HS256", "kid": kid}), &good_claims()),
            no("ERR_KEY_NOT_FOUND"),
        ));
    }
    let verifier = verifier_of(&keys);
    assert_eq!(verifier.keys().keys().len(), 1);
    for skipped in verifier.keys().skipped() {
        assert_eq!(skipped.reason, jwtguard::SkipReason::Symmetric);
        assert_eq!(
            skipped.reason.to_string(),
            "symmetric (oct) keys are never taken from a key set"
        );
    }
    check("A06", &verifier, &jose_token("EdDSA"), rows);
}

/// A07: a shared secret shorter than the hash output (RFC 7518 §3.2) is
/// refused at configuration, or does not permit the longer hashes.
#[test]
fn a07_weak_hmac_secrets() {
    for len in [0usize, 1, 16, 31] {
        let err = KeySet::from_secret(&vec![9u8; len], None).unwrap_err();
        assert_eq!(err.code(), "ERR_KEY_INVALID", "{len}-byte secret");
    }
    for len in [32usize, 47, 48, 63, 64, 65] {
        let secret = vec![9u8; len];
        let verifier =
            Verifier::new(policy(), KeySet::from_secret(&secret, None).unwrap()).unwrap();
        let good = sign_hmac(&secret, &json!({"alg": "HS256"}), &good_claims());
        let rows = [("HS256", 32), ("HS384", 48), ("HS512", 64)]
            .into_iter()
            .map(|(alg, needs)| {
                row(
                    format!("{len}-byte secret, {alg}"),
                    sign_hmac(&secret, &json!({"alg": alg}), &good_claims()),
                    if len >= needs {
                        OK
                    } else {
                        no("ERR_KEY_NOT_FOUND")
                    },
                )
            })
            .collect();
        check("A07", &verifier, &good, rows);
    }
}
