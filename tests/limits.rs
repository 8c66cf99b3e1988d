//! Every limit in `src/limits.rs`, at its boundary: the value at the limit
//! passes, one past it fails with the limit's own error, whose code and
//! detail name it.
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
use jwtguard::limits::*;
use jwtguard::{Error, KeySet, Verifier};
use serde_json::{Value, json};

/// Asserts `result` failed with `code` and a detail containing `detail`.
fn fails<T>(result: Result<T, Error>, code: &str, detail: &str) {
    let Err(err) = result else {
        panic!("expected {code} ({detail}), got a success");
    };
    assert_eq!(err.code(), code, "{err}");
    assert!(
        err.to_string().contains(detail),
        "want {detail:?} in {err:?}"
    );
}

fn roomy() -> Verifier {
    let policy = {
        let mut custom = policy();
        custom.max_token_size = MAX_TOKEN_SIZE_CEILING;
        custom
    };
    Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap()
}

fn eddsa_claims_raw(extra: &str) -> String {
    let claims = good_claims().to_string();
    let claims = format!("{},{extra}}}", &claims[..claims.len() - 1]);
    sign_eddsa_raw(eddsa_header().to_string().as_bytes(), claims.as_bytes())
}

#[test]
fn default_max_token_size() {
    let verifier = verifier();
    // The size is checked before anything else: at the limit, garbage is malformed.
    let at = "a".repeat(DEFAULT_MAX_TOKEN_SIZE);
    fails(
        verifier.verify(&at, now()),
        "ERR_TOKEN_MALFORMED",
        "segments",
    );
    let over = "a".repeat(DEFAULT_MAX_TOKEN_SIZE + 1);
    fails(
        verifier.verify(&over, now()),
        "ERR_TOKEN_TOO_LARGE",
        "16385 bytes, limit 16384",
    );
}

#[test]
fn max_token_size_ceiling() {
    let at = {
        let mut custom = policy();
        custom.max_token_size = MAX_TOKEN_SIZE_CEILING;
        custom
    };
    assert!(at.check().is_ok());
    let over = {
        let mut custom = policy();
        custom.max_token_size = MAX_TOKEN_SIZE_CEILING + 1;
        custom
    };
    fails(
        over.check(),
        "ERR_POLICY_INVALID",
        "between 1 and 262144 bytes",
    );
    let huge = "a".repeat(MAX_TOKEN_SIZE_CEILING + 1);
    fails(
        roomy().verify(&huge, now()),
        "ERR_TOKEN_TOO_LARGE",
        "limit 262144",
    );
}

#[test]
fn max_json_depth() {
    // The object itself is the first level.
    let verifier = verifier();
    assert!(
        verifier
            .verify(
                &eddsa_claims_raw(&format!(r#""x":{}"#, nested(MAX_JSON_DEPTH - 1))),
                now()
            )
            .is_ok()
    );
    fails(
        verifier.verify(
            &eddsa_claims_raw(&format!(r#""x":{}"#, nested(MAX_JSON_DEPTH))),
            now(),
        ),
        "ERR_TOKEN_MALFORMED",
        "json nested deeper than 16 levels",
    );
    assert!(
        verifier
            .verify(&header_nested(MAX_JSON_DEPTH - 1), now())
            .is_ok()
    );
    fails(
        verifier.verify(&header_nested(MAX_JSON_DEPTH), now()),
        "ERR_TOKEN_MALFORMED",
        "header: json nested deeper",
    );
    // Key sets too.
    let deep_jwks = |depth: usize| {
        format!(
            r#"{{"keys":[{}],"x":{}}}"#,
            public_jwk("eddsa-key"),
            nested(depth)
        )
    };
    assert!(KeySet::from_jwks(&deep_jwks(MAX_JSON_DEPTH - 1)).is_ok());
    fails(
        KeySet::from_jwks(&deep_jwks(MAX_JSON_DEPTH)),
        "ERR_JWKS_INVALID",
        "nested deeper",
    );
}

#[test]
fn max_json_members() {
    let verifier = roomy();
    let members = |n: usize| {
        (0..n)
            .map(|i| format!(r#""m{i}":0"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    let base = good_claims().as_object().unwrap().len();
    assert!(
        verifier
            .verify(&eddsa_claims_raw(&members(MAX_JSON_MEMBERS - base)), now())
            .is_ok()
    );
    fails(
        verifier.verify(
            &eddsa_claims_raw(&members(MAX_JSON_MEMBERS - base + 1)),
            now(),
        ),
        "ERR_TOKEN_MALFORMED",
        "json object with more than 1000 members",
    );
}

#[test]
fn max_json_array_len() {
    let verifier = roomy();
    let array = |n: usize| format!(r#""x":[{}]"#, vec!["0"; n].join(","));
    assert!(
        verifier
            .verify(&eddsa_claims_raw(&array(MAX_JSON_ARRAY_LEN)), now())
            .is_ok()
    );
    fails(
        verifier.verify(&eddsa_claims_raw(&array(MAX_JSON_ARRAY_LEN + 1)), now()),
        "ERR_TOKEN_MALFORMED",
        "json array longer than 1000 elements",
    );
}

#[test]
fn max_header_members() {
    let header = |n: usize| {
        let mut h = eddsa_header();
        for i in h.as_object().unwrap().len()..n {
            h[format!("m{i}")] = json!(i);
        }
        sign_eddsa(&h, &good_claims())
    };
    let verifier = verifier();
    assert!(verifier.verify(&header(MAX_HEADER_MEMBERS), now()).is_ok());
    fails(
        verifier.verify(&header(MAX_HEADER_MEMBERS + 1), now()),
        "ERR_HEADER_INVALID",
        "more than 16 members",
    );
}

#[test]
fn max_kid_len() {
    let kid = |len: usize| "k".repeat(len);
    let jwk = |kid: &str| {
        let mut jwk: Value = public_jwk("eddsa-key");
        jwk["kid"] = json!(kid);
        jwk
    };
    let at = kid(MAX_KID_LEN);
    let verifier = Verifier::new(
        policy(),
        KeySet::from_jwks(&json!({"keys": [jwk(&at)]}).to_string()).unwrap(),
    )
    .unwrap();
    let token = |kid: &str| sign_eddsa(&json!({"alg": "EdDSA", "kid": kid}), &good_claims());
    assert!(verifier.verify(&token(&at), now()).is_ok());
    fails(
        verifier.verify(&token(&kid(MAX_KID_LEN + 1)), now()),
        "ERR_HEADER_INVALID",
        "kid must be 1 to 256 bytes",
    );
    // A JWK with a longer kid is skipped, and not echoed.
    let keys =
        KeySet::from_jwks(&json!({"keys": [jwk(&at), jwk(&kid(MAX_KID_LEN + 1))]}).to_string())
            .unwrap();
    assert_eq!(keys.skipped()[0].reason, jwtguard::SkipReason::KidLength);
    assert_eq!(
        keys.skipped()[0].reason.to_string(),
        "kid must be 1 to 256 bytes"
    );
    assert_eq!(keys.skipped()[0].kid, None);
}

#[test]
fn max_jwks_size() {
    let padded = |size: usize| {
        let head = format!(r#"{{"keys":[{}],"pad":""#, public_jwk("eddsa-key"));
        let pad = "x".repeat(size - head.len() - 2);
        format!(r#"{head}{pad}"}}"#)
    };
    assert_eq!(padded(MAX_JWKS_SIZE).len(), MAX_JWKS_SIZE);
    assert!(KeySet::from_jwks(&padded(MAX_JWKS_SIZE)).is_ok());
    fails(
        KeySet::from_jwks(&padded(MAX_JWKS_SIZE + 1)),
        "ERR_JWKS_INVALID",
        "524289 bytes, limit 524288",
    );
}

#[test]
fn max_jwks_keys() {
    let set = |n: usize| {
        let key: Value = public_jwk("eddsa-key");
        json!({"keys": vec![key; n]}).to_string()
    };
    assert!(KeySet::from_jwks(&set(MAX_JWKS_KEYS)).is_ok());
    fails(
        KeySet::from_jwks(&set(MAX_JWKS_KEYS + 1)),
        "ERR_JWKS_INVALID",
        "101 keys, limit 100",
    );
}

#[test]
fn max_keys_tried() {
    // Keys sharing the fixtures' Ed25519 kid; the real one is last.
    let set = |others: usize, kid: Option<&str>| {
        let mut keys: Vec<Value> = (0..others as u8)
            .map(|i| {
                let key = ed25519_dalek::SigningKey::from_bytes(&[i + 1; 32]);
                json!({"kty": "OKP", "crv": "Ed25519", "x": b64(key.verifying_key().as_bytes())})
            })
            .collect();
        keys.push(public_jwk("eddsa-key"));
        for key in &mut keys {
            match kid {
                Some(kid) => key["kid"] = json!(kid),
                None => {
                    key.as_object_mut().unwrap().remove("kid");
                }
            }
        }
        Verifier::new(
            policy(),
            KeySet::from_jwks(&json!({ "keys": keys }).to_string()).unwrap(),
        )
        .unwrap()
    };
    let with_kid = sign_eddsa(&json!({"alg": "EdDSA", "kid": "shared"}), &good_claims());
    assert!(
        set(MAX_KEYS_TRIED - 1, Some("shared"))
            .verify(&with_kid, now())
            .is_ok()
    );
    fails(
        set(MAX_KEYS_TRIED, Some("shared")).verify(&with_kid, now()),
        "ERR_KEY_NOT_FOUND",
        "5 keys share kid \"shared\" and permit EdDSA; at most 4 are tried",
    );
    let without_kid = sign_eddsa(&json!({"alg": "EdDSA"}), &good_claims());
    assert!(
        set(MAX_KEYS_TRIED - 1, None)
            .verify(&without_kid, now())
            .is_ok()
    );
    fails(
        set(MAX_KEYS_TRIED, None).verify(&without_kid, now()),
        "ERR_KEY_NOT_FOUND",
        "the token has no kid and 5 keys permit EdDSA; at most 4 are tried",
    );
}

#[test]
fn rsa_min_and_max_bits() {
    // Odd moduli of exact sizes (admission checks the size before anything else).
    let modulus = |bits: usize| {
        let mut n = vec![0xc1u8; bits.div_ceil(8)];
        let spare = n.len() * 8 - bits;
        n[0] = (0xc1u8 >> spare) | (0x80 >> spare);
        n
    };
    let admit = |bits: usize| {
        let jwk = json!({"kty": "RSA", "n": b64(&modulus(bits)), "e": "AQAB"});
        KeySet::from_jwks(&json!({"keys": [public_jwk("eddsa-key"), jwk]}).to_string())
            .unwrap()
            .skipped()
            .first()
            .map(|s| s.reason.clone())
    };
    assert_eq!(admit(RSA_MIN_BITS), None);
    assert_eq!(
        admit(RSA_MIN_BITS - 1).unwrap(),
        jwtguard::SkipReason::RsaModulusSize {
            bits: RSA_MIN_BITS - 1,
            min_bits: RSA_MIN_BITS
        }
    );
    assert_eq!(
        admit(RSA_MIN_BITS - 1).unwrap().to_string(),
        "rsa modulus is 2047 bits; 2048 to 8192 are accepted"
    );
    assert_eq!(admit(RSA_MAX_BITS), None);
    assert_eq!(
        admit(RSA_MAX_BITS + 1).unwrap().to_string(),
        "rsa modulus is 8193 bits; 2048 to 8192 are accepted"
    );
}

#[test]
fn hmac_min_secret_lens() {
    use jwtguard::Algorithm::{HS256, HS384, HS512};
    let permits = |len: usize| {
        let set = KeySet::from_secret(&vec![7u8; len], None).unwrap();
        [HS256, HS384, HS512].map(|alg| set.keys()[0].permits(alg))
    };
    fails(
        KeySet::from_secret(&[7u8; HS256_MIN_SECRET_LEN - 1], None),
        "ERR_KEY_INVALID",
        "shared secret is 31 bytes; hs256 needs at least 32",
    );
    assert_eq!(permits(HS256_MIN_SECRET_LEN), [true, false, false]);
    assert_eq!(permits(HS384_MIN_SECRET_LEN - 1), [true, false, false]);
    assert_eq!(permits(HS384_MIN_SECRET_LEN), [true, true, false]);
    assert_eq!(permits(HS512_MIN_SECRET_LEN - 1), [true, true, false]);
    assert_eq!(permits(HS512_MIN_SECRET_LEN), [true, true, true]);
}

#[test]
fn rsa_max_exponent() {
    let admit = |e: u64| {
        let mut jwk: Value = fixtures()["jwks"]["keys"][0].clone();
        let bytes = e.to_be_bytes();
        let first = bytes.iter().position(|b| *b != 0).unwrap();
        jwk["e"] = json!(b64(&bytes[first..]));
        KeySet::from_jwks(&json!({"keys": [jwk]}).to_string()).map(|_| ())
    };
    assert!(admit(RSA_MAX_EXPONENT).is_ok());
    fails(
        admit(RSA_MAX_EXPONENT + 2),
        "ERR_JWKS_INVALID",
        "rsa public exponent must be odd, at least 3 and below 2^33",
    );
}

#[test]
fn max_numeric_date() {
    let verifier = verifier();
    let exp = |value: i64| {
        let mut claims = good_claims();
        claims["exp"] = json!(value);
        sign_eddsa(&eddsa_header(), &claims)
    };
    assert!(verifier.verify(&exp(MAX_NUMERIC_DATE), now()).is_ok());
    fails(
        verifier.verify(&exp(MAX_NUMERIC_DATE + 1), now()),
        "ERR_CLAIM_INVALID",
        "between 0 and 253402300799",
    );
}

#[test]
fn max_clock_tolerance() {
    let with = |tolerance: u64| {
        let mut custom = policy();
        custom.clock_tolerance = tolerance;
        custom
    };
    assert!(with(MAX_CLOCK_TOLERANCE).check().is_ok());
    fails(
        with(MAX_CLOCK_TOLERANCE + 1).check(),
        "ERR_POLICY_INVALID",
        "at most 86400 seconds",
    );
}
