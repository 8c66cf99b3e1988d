//! H. Resource exhaustion and robustness. Each limit's exact boundary is in
//! tests/limits.rs; here, the catalog's recipes.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use jwtguard::{KeySet, Policy, Verifier};
use serde_json::json;

use crate::common::*;
use crate::*;

/// H01: tokens over the size cap are refused before anything is decoded,
/// whichever part carries the bulk.
#[test]
fn h01_token_size() {
    let good = jose_token("EdDSA");
    let (input, signature) = good.rsplit_once('.').unwrap();
    let mut rows = vec![row(
        "8 KiB in the payload",
        eddsa_claims(|c| {
            c.insert("pad".into(), json!("x".repeat(6 * 1024)));
        }),
        OK,
    )];
    for size in [64 * 1024, 1024 * 1024, 20 * 1024 * 1024] {
        rows.push(row(
            format!("{size} bytes in a header member"),
            eddsa_header_with(|h| {
                h.insert("pad".into(), json!("x".repeat(size)));
            }),
            no("ERR_TOKEN_TOO_LARGE"),
        ));
        rows.push(row(
            format!("{size} bytes in the payload"),
            eddsa_claims(|c| {
                c.insert("pad".into(), json!("x".repeat(size)));
            }),
            no("ERR_TOKEN_TOO_LARGE"),
        ));
        rows.push(row(
            format!("{size} bytes in the signature"),
            format!("{input}.{signature}{}", "A".repeat(size)),
            no("ERR_TOKEN_TOO_LARGE"),
        ));
    }
    fixture_check("H01", rows);
}

/// H02: deep nesting, in the payload and in the header.
#[test]
fn h02_deep_nesting() {
    let roomy = verifier_with({
        let mut custom = policy();
        custom.max_token_size = 256 * 1024;
        custom
    });
    let mut rows = Vec::new();
    // 90 000 levels is about the most a 256 KiB token can hold.
    for depth in [120, 90_000] {
        rows.push(row(
            format!("payload nested {depth} deep"),
            eddsa_payload(&format!(
                r#"{{"iss":"{}","x":{}}}"#,
                issuer(),
                nested(depth)
            )),
            no("ERR_TOKEN_MALFORMED"),
        ));
        rows.push(row(
            format!("header nested {depth} deep"),
            header_nested(depth),
            no("ERR_TOKEN_MALFORMED"),
        ));
    }
    check("H02", &roomy, &jose_token("EdDSA"), rows);
}

/// H03: configuration that would overflow is refused; inputs never panic
/// (tests/robustness.rs mutates tokens and key sets; `make fuzz` goes further).
#[test]
fn h03_no_overflow_from_configuration() {
    for tolerance in [u64::MAX, i64::MAX as u64, 86_401] {
        let policy = {
            let mut custom = policy();
            custom.clock_tolerance = tolerance;
            custom
        };
        let err = Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap_err();
        assert_eq!(err.code(), "ERR_POLICY_INVALID", "{tolerance}");
    }
    let json = format!(
        r#"{{"issuer":"i","audience":"a","clockTolerance":{}}}"#,
        u64::MAX
    );
    assert_eq!(
        Policy::from_json(&json).unwrap_err().code(),
        "ERR_POLICY_INVALID"
    );
    // The largest ages and lifetimes do not overflow the time arithmetic.
    let json = format!(
        r#"{{"issuer":"{}","audience":"{}","maxTokenAge":{max},"maxLifetime":{max}}}"#,
        issuer(),
        audience(),
        max = u64::MAX
    );
    let verifier = Verifier::new(
        Policy::from_json(&json).unwrap(),
        KeySet::from_jwks(&jwks()).unwrap(),
    )
    .unwrap();
    assert!(verifier.verify(&jose_token("EdDSA"), now()).is_ok());
}

/// H04: the cost of one token is bounded: at most MAX_KEYS_TRIED signature
/// checks, on keys of at most RSA_MAX_BITS.
#[test]
fn h04_expensive_verification() {
    // Five keys share a kid: refused without trying any.
    let mut keys: Vec<_> = (0..5u8)
        .map(|i| {
            let key = ed25519_dalek::SigningKey::from_bytes(&[i + 1; 32]);
            json!({"kty": "OKP", "crv": "Ed25519", "kid": "eddsa-key", "x": b64(key.verifying_key().as_bytes())})
        })
        .collect();
    keys.push(jwk_with("eddsa-key", |k| {
        k.insert("kid".into(), json!("solo"));
    }));
    let five = verifier_of(&keys);
    let garbage = with_signature(&jose_token("RS512"), &[0x5a; 512]);
    check(
        "H04",
        &five,
        &sign_eddsa(&json!({"alg": "EdDSA", "kid": "solo"}), &good_claims()),
        vec![row(
            "five keys share the kid",
            jose_token("EdDSA"),
            no("ERR_KEY_NOT_FOUND"),
        )],
    );
    // A garbage signature under the 4096-bit key is just invalid.
    fixture_check(
        "H04",
        vec![row(
            "rsa-4096, garbage signature",
            garbage,
            no("ERR_SIGNATURE_INVALID"),
        )],
    );
    // Exponents past 2^33 - 1 are refused at admission.
    let big_e = jwk_with("rs256-key", |k| {
        k.insert("e".into(), json!(b64(&[2, 0, 0, 0, 1])));
    });
    let keys =
        KeySet::from_jwks(&json!({"keys": [public_jwk("eddsa-key"), big_e]}).to_string()).unwrap();
    assert_eq!(keys.skipped().len(), 1);
}

/// H05: claim arrays are capped, so a signed token cannot carry a huge
/// (or hash-colliding) `aud` array; claims live in ordered maps, not hash sets.
#[test]
fn h05_claim_arrays_are_capped() {
    let roomy = verifier_with({
        let mut custom = policy();
        custom.max_token_size = 256 * 1024;
        custom
    });
    let many = |n: usize| {
        let mut aud: Vec<String> = (0..n).map(|i| format!("a{i}")).collect();
        aud.push(audience());
        eddsa_claims(|c| {
            c.insert("aud".into(), json!(aud));
        })
    };
    check(
        "H05",
        &roomy,
        &jose_token("EdDSA"),
        vec![
            row("aud of 1000 entries", many(999), OK),
            row("aud of 1001 entries", many(1000), no("ERR_TOKEN_MALFORMED")),
            row(
                "aud of 20000 entries",
                many(20_000),
                no("ERR_TOKEN_MALFORMED"),
            ),
        ],
    );
}
