//! JWKS admission: every rule, table-driven; and the Entra ID key set shape.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use jwtguard::{KeySet, Verifier};
use serde_json::{Value, json};

fn ed25519(x: &[u8]) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": b64(x)})
}

/// Each entry and the reason it must be skipped for (`None`: admitted).
fn admission_table() -> Vec<(&'static str, Value, Option<&'static str>)> {
    let rsa = public_jwk("rs256-key");
    let mut small_order = [0u8; 32];
    small_order[0] = 1; // the identity point
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xee; // y = p + 1 encodes the identity again
    non_canonical[31] = 0x7f;
    let p384 = public_jwk("es384-key");
    vec![
        ("rsa without alg (entra)", rsa.clone(), None),
        (
            "entra shape: x5t, x5c, issuer template",
            jwk_with("rs256-key", |k| {
                k.insert("x5t".into(), json!("nOo3ZDrODXEK1jKWhXslHR_KXEg"));
                k.insert("x5c".into(), json!(["MIIDBTCCAe2gAwIBAgIQ"]));
                k.insert(
                    "issuer".into(),
                    json!("https://login.microsoftonline.com/{tenantid}/v2.0"),
                );
                k.insert("cloud_instance_name".into(), json!("microsoftonline.com"));
            }),
            None,
        ),
        ("ec p-256", public_jwk("es256-key"), None),
        ("okp ed25519", public_jwk("eddsa-key"), None),
        (
            "oct",
            json!({"kty": "oct", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}),
            Some("symmetric (oct) keys are never taken from a key set"),
        ),
        (
            "unknown kty",
            json!({"kty": "XYZ"}),
            Some("kty \"XYZ\" is not supported"),
        ),
        ("kty missing", json!({"kid": "a"}), Some("kty is missing")),
        (
            "not an object",
            json!("RSA"),
            Some("entry is not a json object"),
        ),
        (
            "use enc",
            jwk_with("rs256-key", |k| {
                k.insert("use".into(), json!("enc"));
            }),
            Some("use is \"enc\", not \"sig\""),
        ),
        (
            "key_ops without verify",
            jwk_with("rs256-key", |k| {
                k.insert("key_ops".into(), json!(["encrypt"]));
            }),
            Some("key_ops does not include \"verify\""),
        ),
        (
            "key_ops as a string",
            jwk_with("rs256-key", |k| {
                k.insert("key_ops".into(), json!("verify"));
            }),
            Some("key_ops is not an array"),
        ),
        (
            "key_ops with verify",
            jwk_with("rs256-key", |k| {
                k.insert("key_ops".into(), json!(["verify"]));
            }),
            None,
        ),
        (
            "kid a number",
            jwk_with("rs256-key", |k| {
                k.insert("kid".into(), json!(5));
            }),
            Some("kid is not a string"),
        ),
        (
            "private rsa member",
            jwk_with("rs256-key", |k| {
                k.insert("d".into(), json!("AQAB"));
            }),
            Some("private key member \"d\" in a public key set"),
        ),
        (
            "alg unknown",
            jwk_with("rs256-key", |k| {
                k.insert("alg".into(), json!("RS1"));
            }),
            Some("alg \"RS1\" is not supported"),
        ),
        (
            "alg of another family",
            jwk_with("rs256-key", |k| {
                k.insert("alg".into(), json!("ES256"));
            }),
            Some("alg ES256 does not fit this RSA key"),
        ),
        (
            "alg hs256 on rsa",
            jwk_with("rs256-key", |k| {
                k.insert("alg".into(), json!("HS256"));
            }),
            Some("alg HS256 does not fit this RSA key"),
        ),
        (
            "rsa 1024",
            jwk_with("rs256-key", |k| {
                k.insert("n".into(), json!(b64(&[0xc1; 128])));
            }),
            Some("rsa modulus is 1024 bits; 2048 to 8192 are accepted"),
        ),
        (
            "rsa 8200",
            jwk_with("rs256-key", |k| {
                k.insert("n".into(), json!(b64(&[0xc1; 1025])));
            }),
            Some("rsa modulus is 8200 bits; 2048 to 8192 are accepted"),
        ),
        (
            "rsa e = 1",
            jwk_with("rs256-key", |k| {
                k.insert("e".into(), json!("AQ"));
            }),
            Some("rsa public exponent must be odd, at least 3 and below 2^33"),
        ),
        (
            "rsa e even",
            jwk_with("rs256-key", |k| {
                k.insert("e".into(), json!("AQAC"));
            }),
            Some("rsa public exponent must be odd, at least 3 and below 2^33"),
        ),
        (
            "rsa e = 2^40 + 1",
            jwk_with("rs256-key", |k| {
                k.insert("e".into(), json!(b64(&[1, 0, 0, 0, 0, 1])));
            }),
            Some("rsa public exponent must be odd, at least 3 and below 2^33"),
        ),
        (
            "rsa n padded base64",
            jwk_with("rs256-key", |k| {
                k.insert(
                    "n".into(),
                    json!(format!("{}=", rsa["n"].as_str().unwrap())),
                );
            }),
            Some("n is not canonical unpadded base64url"),
        ),
        (
            "rsa n missing",
            jwk_with("rs256-key", |k| {
                k.remove("n");
            }),
            Some("n is missing"),
        ),
        (
            "ec unknown curve",
            jwk_with("es256-key", |k| {
                k.insert("crv".into(), json!("secp256k1"));
            }),
            Some("curve \"secp256k1\" is not supported"),
        ),
        (
            "ec point off the curve",
            jwk_with("es256-key", |k| {
                k.insert("y".into(), json!(b64(&[7; 32])));
            }),
            Some("point is not on P-256"),
        ),
        (
            "ec short coordinate",
            jwk_with("es256-key", |k| {
                k.insert("x".into(), json!(b64(&[7; 31])));
            }),
            Some("P-256 coordinates must be 32 bytes each"),
        ),
        (
            "p-384 coordinates labelled p-256",
            json!({"kty": "EC", "crv": "P-256", "x": p384["x"], "y": p384["y"]}),
            Some("P-256 coordinates must be 32 bytes each"),
        ),
        (
            "p-256 key claiming es384",
            jwk_with("es256-key", |k| {
                k.insert("alg".into(), json!("ES384"));
            }),
            Some("alg ES384 does not fit this EC key"),
        ),
        (
            "ed25519 x of 31 bytes (the jsonwebtoken panic)",
            ed25519(&[9; 31]),
            Some("ed25519 x must be 32 bytes"),
        ),
        (
            "ed25519 x of 33 bytes",
            ed25519(&[9; 33]),
            Some("ed25519 x must be 32 bytes"),
        ),
        (
            "ed25519 x empty",
            ed25519(&[]),
            Some("ed25519 x must be 32 bytes"),
        ),
        (
            "ed25519 identity (small order)",
            ed25519(&small_order),
            Some("ed25519 x is a small-order (weak) point"),
        ),
        (
            "ed25519 non-canonical identity",
            ed25519(&non_canonical),
            Some("ed25519 x is not a canonical point encoding"),
        ),
        (
            "ed448",
            json!({"kty": "OKP", "crv": "Ed448", "x": b64(&[1; 57])}),
            Some("curve \"Ed448\" is not supported"),
        ),
        (
            "x25519",
            json!({"kty": "OKP", "crv": "X25519", "x": b64(&[9; 32])}),
            Some("curve \"X25519\" is not supported"),
        ),
        (
            "okp labelled p-256",
            jwk_with("eddsa-key", |k| {
                k.insert("crv".into(), json!("P-256"));
            }),
            Some("curve \"P-256\" is not supported"),
        ),
    ]
}

#[test]
fn admission_rules() {
    let mut failures = Vec::new();
    for (name, jwk, want) in admission_table() {
        // Each entry beside one good key, so the set itself always loads.
        let set = json!({"keys": [public_jwk("eddsa-key"), jwk]}).to_string();
        let keys = KeySet::from_jwks(&set).unwrap();
        let got = keys.skipped().first().map(|s| s.reason.to_string());
        let got = got.as_deref();
        if got != want {
            failures.push(format!("{name}: want {want:?}, got {got:?}"));
        }
        if want.is_some() {
            assert_eq!(keys.skipped()[0].index, 1, "{name}");
            assert_eq!(keys.keys().len(), 1, "{name}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn set_level_errors() {
    let table: &[(&str, String, &str)] = &[
        (
            "not json",
            "{".to_owned(),
            "key set (jwks) is invalid: EOF while parsing an object",
        ),
        (
            "no keys member",
            "{}".to_owned(),
            "key set (jwks) is invalid: a key set is an object with a \"keys\" array",
        ),
        (
            "empty keys",
            r#"{"keys":[]}"#.to_owned(),
            "key set (jwks) is invalid: the keys array is empty",
        ),
        (
            "only unusable keys",
            r#"{"keys":[{"kty":"oct","k":"AA"}]}"#.to_owned(),
            "key set (jwks) is invalid: no usable key: symmetric (oct) keys are never taken from a key set",
        ),
        (
            "duplicate member",
            r#"{"keys":[],"keys":[]}"#.to_owned(),
            "key set (jwks) is invalid: duplicate json member \"keys\"",
        ),
        (
            "too many keys",
            json!({"keys": vec![public_jwk("eddsa-key"); 101]}).to_string(),
            "key set (jwks) is invalid: 101 keys, limit 100",
        ),
        (
            "too large",
            format!(r#"{{"keys":[],"pad":"{}"}}"#, "x".repeat(512 * 1024)),
            "key set (jwks) is invalid: 524308 bytes, limit 524288",
        ),
    ];
    for (name, text, want) in table {
        let err = KeySet::from_jwks(text).unwrap_err();
        assert_eq!(err.code(), "ERR_JWKS_INVALID", "{name}");
        assert_eq!(err.to_string(), *want, "{name}");
    }
}

#[test]
fn entra_key_issuer_binds_the_token_issuer() {
    // The Ed25519 fixture key, published Entra-style with an issuer template.
    let key = jwk_with("eddsa-key", |k| {
        k.insert(
            "issuer".into(),
            json!("https://login.microsoftonline.com/{tenantid}/v2.0"),
        );
    });
    let keys = KeySet::from_jwks(&json!({"keys": [key]}).to_string()).unwrap();
    let v2 = format!("https://login.microsoftonline.com/{TENANT}/v2.0");
    let v1 = format!("https://sts.windows.net/{TENANT}/");
    let policy = {
        let mut custom = policy();
        custom.issuer = vec![v2.clone(), v1.clone()];
        custom
    };
    let verifier = Verifier::new(policy, keys).unwrap();
    let mut claims = good_claims();
    claims["iss"] = json!(v2);
    assert!(
        verifier
            .verify(&sign_eddsa(&eddsa_header(), &claims), now())
            .is_ok()
    );
    // The policy accepts the v1 issuer, but this key is bound to the v2 one.
    claims["iss"] = json!(v1);
    let err = verifier
        .verify(&sign_eddsa(&eddsa_header(), &claims), now())
        .unwrap_err();
    assert_eq!(
        (err.code(), err.claim_name()),
        ("ERR_ISSUER_INVALID", Some("iss"))
    );
    assert!(
        err.to_string()
            .contains("the signing key is bound to issuer"),
        "{err}"
    );
}

#[test]
fn duplicate_kids_are_resolved_by_type_not_by_position() {
    // An oct key and an EC key share the kid of the Ed25519 key: neither may
    // shadow it, and the EC one may not verify an EdDSA token.
    let set = json!({"keys": [
        {"kty": "oct", "kid": "eddsa-key", "k": "c2VjcmV0"},
        jwk_with("es256-key", |k| { k.insert("kid".into(), json!("eddsa-key")); }),
        public_jwk("eddsa-key"),
    ]});
    let verifier = Verifier::new(policy(), KeySet::from_jwks(&set.to_string()).unwrap()).unwrap();
    assert_eq!(verifier.keys().skipped().len(), 1);
    assert!(verifier.verify(&jose_token("EdDSA"), now()).is_ok());
    let es = sign_es256(&json!({"alg": "ES256", "kid": "eddsa-key"}), &good_claims());
    assert!(verifier.verify(&es, now()).is_ok());
}

#[test]
fn tokens_without_kid_try_a_bounded_number_of_keys() {
    let header = json!({"alg": "EdDSA"});
    let token = sign_eddsa(&header, &good_claims());
    let mut others: Vec<Value> = (0..4u8)
        .map(|i| {
            let signing = ed25519_dalek::SigningKey::from_bytes(&[i + 1; 32]);
            ed25519(signing.verifying_key().as_bytes())
        })
        .collect();
    others.push(public_jwk("eddsa-key"));
    let five = Verifier::new(
        policy(),
        KeySet::from_jwks(&json!({"keys": others}).to_string()).unwrap(),
    )
    .unwrap();
    let err = five.verify(&token, now()).unwrap_err();
    assert_eq!(err.code(), "ERR_KEY_NOT_FOUND");
    others.remove(0);
    let four = Verifier::new(
        policy(),
        KeySet::from_jwks(&json!({"keys": others}).to_string()).unwrap(),
    )
    .unwrap();
    assert!(four.verify(&token, now()).is_ok());
}

/// Adds two big-endian unsigned integers.
fn add_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let len = a.len().max(b.len()) + 1;
    let mut out = vec![0u8; len];
    let mut carry = 0u16;
    for i in 0..len {
        let x = a.len().checked_sub(i + 1).map_or(0, |j| a[j]) as u16;
        let y = b.len().checked_sub(i + 1).map_or(0, |j| b[j]) as u16;
        let sum = x + y + carry;
        out[len - 1 - i] = sum as u8;
        carry = sum >> 8;
    }
    out
}

#[test]
fn rsa_signatures_plus_the_modulus_are_rejected() {
    // s' = s + n has the same value mod n; when it still fits in k bytes the
    // `rsa` crate's PSS path alone would accept it (catalog E06).
    let verifier = verifier();
    let mut tried = Vec::new();
    for alg in ["RS256", "PS256", "PS384", "PS512"] {
        let token = jose_token(alg);
        let jwk = public_jwk(&format!("{}-key", alg.to_lowercase()));
        let n = unb64(jwk["n"].as_str().unwrap());
        let sum = add_be(&signature_of(&token), &n);
        let sum = &sum[sum.len() - n.len() - 1..];
        if sum[0] != 0 {
            continue; // does not fit in k bytes for this key
        }
        let malleable = with_signature(&token, &sum[1..]);
        assert_eq!(
            verifier.verify(&malleable, now()).unwrap_err().code(),
            "ERR_SIGNATURE_INVALID",
            "{alg}"
        );
        tried.push(alg);
    }
    assert!(
        tried.contains(&"PS256"),
        "the fixture's PS256 signature must admit s + n: {tried:?}"
    );
}
