//! E. Signature primitives.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use jwtguard::{KeySet, Verifier};
use serde_json::{Value, json};

use crate::common::*;
use crate::*;

const P256_N: &str = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
const P384_N: &str = "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973";
const P256_P: &str = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// a − b for big-endian integers of equal length, a ≥ b.
fn sub_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b).rev() {
        let d = i16::from(*x) - i16::from(*y) - borrow;
        borrow = i16::from(d < 0);
        *o = d.rem_euclid(256) as u8;
    }
    out
}

/// A big-endian integer of `len` bytes with value `v`.
fn int(v: u8, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    out[len - 1] = v;
    out
}

/// E01: ECDSA r or s outside [1, n−1] ("psychic signatures", CVE-2022-21449).
#[test]
fn e01_ecdsa_scalars_out_of_range() {
    let mut rows = Vec::new();
    for (alg, order) in [("ES256", hex(P256_N)), ("ES384", hex(P384_N))] {
        let len = order.len();
        let token = jose_token(alg);
        let good = signature_of(&token);
        let r = good[..len].to_vec();
        let n_minus_1 = sub_be(&order, &int(1, len));
        let n_plus_1 = {
            let mut v = order.clone();
            v[len - 1] += 1;
            v
        };
        let pairs: Vec<(&str, Vec<u8>, Vec<u8>)> = vec![
            ("r = s = 0", int(0, len), int(0, len)),
            ("r = 0, s = 1", int(0, len), int(1, len)),
            ("r = 1, s = 0", int(1, len), int(0, len)),
            ("r = s = 1", int(1, len), int(1, len)),
            ("r = n", order.clone(), good[len..].to_vec()),
            ("s = n", r.clone(), order.clone()),
            ("r = s = n", order.clone(), order.clone()),
            ("s = n + 1", r.clone(), n_plus_1.clone()),
            ("r = n - 1, s = n - 1", n_minus_1.clone(), n_minus_1.clone()),
            ("s = n - 1", r.clone(), n_minus_1.clone()),
            ("all ones", vec![0xff; len], vec![0xff; len]),
        ];
        for (name, r, s) in pairs {
            rows.push(row(
                format!("{alg} {name}"),
                with_signature(&token, &[r, s].concat()),
                no("ERR_SIGNATURE_INVALID"),
            ));
        }
    }
    fixture_check("E01", rows);
}

/// Minimal DER for an ECDSA signature (r, s), as WebCrypto does not send it.
fn der(r: &[u8], s: &[u8]) -> Vec<u8> {
    let integer = |v: &[u8]| {
        let mut v: Vec<u8> = v.iter().copied().skip_while(|b| *b == 0).collect();
        if v.first().is_none_or(|b| *b >= 0x80) {
            v.insert(0, 0);
        }
        [vec![0x02, v.len() as u8], v].concat()
    };
    let body = [integer(r), integer(s)].concat();
    [vec![0x30, body.len() as u8], body].concat()
}

/// E02: exact signature lengths and encodings: no DER for ECDSA, RSA exactly
/// k bytes, Ed25519 64, HMAC the full tag.
#[test]
fn e02_signature_encoding_and_length() {
    let mut rows = Vec::new();
    let es = jose_token("ES256");
    let sig = signature_of(&es);
    rows.push(row(
        "ES256 as DER",
        with_signature(&es, &der(&sig[..32], &sig[32..])),
        no("ERR_SIGNATURE_INVALID"),
    ));
    rows.push(row(
        "ES256 63 bytes",
        with_signature(&es, &sig[..63]),
        no("ERR_SIGNATURE_INVALID"),
    ));
    rows.push(row(
        "ES256 65 bytes",
        with_signature(&es, &[sig.clone(), vec![0]].concat()),
        no("ERR_SIGNATURE_INVALID"),
    ));
    rows.push(row(
        "ES256 96 bytes",
        with_signature(&es, &[sig.clone(), vec![0; 32]].concat()),
        no("ERR_SIGNATURE_INVALID"),
    ));
    for alg in ["RS256", "PS256"] {
        let token = jose_token(alg);
        let sig = signature_of(&token);
        rows.push(row(
            format!("{alg} k - 1 bytes"),
            with_signature(&token, &sig[1..]),
            no("ERR_SIGNATURE_INVALID"),
        ));
        rows.push(row(
            format!("{alg} k + 1 bytes (00 prefix)"),
            with_signature(&token, &[vec![0], sig.clone()].concat()),
            no("ERR_SIGNATURE_INVALID"),
        ));
    }
    let ed = jose_token("EdDSA");
    let sig = signature_of(&ed);
    rows.push(row(
        "EdDSA 63 bytes",
        with_signature(&ed, &sig[..63]),
        no("ERR_SIGNATURE_INVALID"),
    ));
    rows.push(row(
        "EdDSA 65 bytes",
        with_signature(&ed, &[sig.clone(), vec![0]].concat()),
        no("ERR_SIGNATURE_INVALID"),
    ));
    fixture_check("E02", rows);
    // HMAC: truncated or extended tags.
    let secret = [3u8; 64];
    let verifier = Verifier::new(policy(), KeySet::from_secret(&secret, None).unwrap()).unwrap();
    let mut rows = Vec::new();
    let mut good = String::new();
    for alg in ["HS256", "HS384", "HS512"] {
        let token = sign_hmac(&secret, &json!({"alg": alg}), &good_claims());
        let tag = signature_of(&token);
        rows.push(row(format!("{alg} full tag"), token.clone(), OK));
        rows.push(row(
            format!("{alg} truncated to 16 bytes"),
            with_signature(&token, &tag[..16]),
            no("ERR_SIGNATURE_INVALID"),
        ));
        rows.push(row(
            format!("{alg} one byte short"),
            with_signature(&token, &tag[..tag.len() - 1]),
            no("ERR_SIGNATURE_INVALID"),
        ));
        rows.push(row(
            format!("{alg} one byte extra"),
            with_signature(&token, &[tag.clone(), vec![0]].concat()),
            no("ERR_SIGNATURE_INVALID"),
        ));
        good = token;
    }
    check("E02 (hmac)", &verifier, &good, rows);
}

/// E03: ECDSA high-S twins (r, n − s) verify, as ECDSA and RFC 7518 allow and
/// WebCrypto produces; so no cache may be keyed on token bytes (F09).
#[test]
fn e03_high_s_is_accepted() {
    let mut rows = Vec::new();
    for (alg, order) in [("ES256", hex(P256_N)), ("ES384", hex(P384_N))] {
        let token = jose_token(alg);
        let sig = signature_of(&token);
        let len = order.len();
        let twin = [sig[..len].to_vec(), sub_be(&order, &sig[len..])].concat();
        rows.push(row(
            format!("{alg} (r, n - s)"),
            with_signature(&token, &twin),
            OK,
        ));
    }
    fixture_check("E03", rows);
}

/// E04: EC public keys off the curve, out of the field, or of the other curve
/// are skipped at admission, so the token finds no key.
#[test]
fn e04_ec_public_key_validity() {
    let p = hex(P256_P);
    let variants: Vec<(&str, Value)> = vec![
        (
            "y off the curve",
            jwk_with("es256-key", |k| {
                k.insert("y".into(), json!(b64(&[7; 32])));
            }),
        ),
        (
            "x = p",
            jwk_with("es256-key", |k| {
                k.insert("x".into(), json!(b64(&p)));
            }),
        ),
        (
            "y = p",
            jwk_with("es256-key", |k| {
                k.insert("y".into(), json!(b64(&p)));
            }),
        ),
        (
            "x = y = 0 (the point at infinity)",
            jwk_with("es256-key", |k| {
                k.insert("x".into(), json!(b64(&[0; 32])));
                k.insert("y".into(), json!(b64(&[0; 32])));
            }),
        ),
    ];
    for (name, jwk) in variants {
        let verifier = verifier_of(&[public_jwk("rs512-key"), jwk]);
        assert_eq!(verifier.keys().skipped().len(), 1, "{name}");
        check(
            "E04",
            &verifier,
            &jose_token("RS512"),
            vec![row(name, jose_token("ES256"), no("ERR_KEY_NOT_FOUND"))],
        );
    }
    // Keys of the other curve, under the same kid.
    let swapped = verifier_of(&[
        jwk_with("es256-key", |k| {
            k.insert("kid".into(), json!("es384-key"));
        }),
        jwk_with("es384-key", |k| {
            k.remove("alg");
            k.insert("kid".into(), json!("es256-key"));
        }),
    ]);
    check(
        "E04 (swapped curves)",
        &swapped,
        &sign_es256(&json!({"alg": "ES256", "kid": "es384-key"}), &good_claims()),
        vec![
            row(
                "ES256 token naming the P-384 key",
                jose_token("ES256"),
                no("ERR_KEY_NOT_FOUND"),
            ),
            row(
                "ES384 token naming the P-256 key",
                jose_token("ES384"),
                no("ERR_KEY_NOT_FOUND"),
            ),
        ],
    );
}

/// E05: RSA key strength, checked at admission (tests/keys.rs also covers
/// 1024 and 8200 bits, e = 1, an even e and e = 2^40 + 1).
#[test]
fn e05_rsa_key_parameters() {
    let n2048 = public_jwk("rs256-key")["n"].clone();
    let table: Vec<(&str, Value, Option<&str>)> = vec![
        (
            "n of 512 bits",
            json!({"kty": "RSA", "n": b64(&[0xc1; 64]), "e": "AQAB"}),
            Some("rsa modulus is 512 bits"),
        ),
        (
            "n of 1024 bits, e = 3",
            json!({"kty": "RSA", "n": b64(&[0xc1; 128]), "e": "Aw"}),
            Some("rsa modulus is 1024 bits"),
        ),
        (
            "n even",
            json!({"kty": "RSA", "n": b64(&[0xc2; 256]), "e": "AQAB"}),
            Some("rsa modulus must be odd"),
        ),
        (
            "e = 0",
            json!({"kty": "RSA", "n": n2048, "e": "AA"}),
            Some("rsa public exponent"),
        ),
        (
            "e = 2",
            json!({"kty": "RSA", "n": n2048, "e": "Ag"}),
            Some("rsa public exponent"),
        ),
        (
            "e = 2^33 + 1",
            json!({"kty": "RSA", "n": n2048, "e": b64(&[2, 0, 0, 0, 1])}),
            Some("rsa public exponent"),
        ),
        (
            "e = 3, 2048 bits",
            json!({"kty": "RSA", "n": n2048, "e": "Aw"}),
            None,
        ),
        (
            "e = 65537 with a leading zero",
            json!({"kty": "RSA", "n": n2048, "e": "AAEAAQ"}),
            None,
        ),
    ];
    for (name, jwk, want) in table {
        let keys = KeySet::from_jwks(&json!({"keys": [public_jwk("eddsa-key"), jwk]}).to_string())
            .unwrap();
        let got = keys.skipped().first().map(|s| s.reason.clone());
        match want {
            None => assert_eq!(got, None, "{name}"),
            Some(prefix) => assert!(
                got.as_ref()
                    .is_some_and(|r| r.to_string().starts_with(prefix)),
                "{name}: {got:?}"
            ),
        }
    }
}

/// E07: the key's algorithm decides RS or PS; PSS uses salt = hLen and MGF1
/// with the same hash (RFC 7518 §3.5).
#[test]
fn e07_pss_and_pkcs1_are_not_interchangeable() {
    let claims = good_claims();
    let input = |alg: &str, kid: &str| {
        format!(
            "{}.{}",
            b64(json!({"alg": alg, "kid": kid}).to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        )
    };
    let signed = |signer: &str, header_alg: &str, kid: &str, used_alg: &str, salt: Salt| {
        let input = input(header_alg, kid);
        let sig = signature_with(signer, used_alg, input.as_bytes(), salt);
        format!("{input}.{}", b64(&sig))
    };
    let rows = vec![
        row(
            "PS256 with salt 32 (control)",
            signed("RS256", "PS256", "rs256-key", "PS256", Salt::HashLength),
            OK,
        ),
        row(
            "PKCS#1 v1.5 signature sent as PS256",
            signed("RS256", "PS256", "rs256-key", "RS256", Salt::HashLength),
            no("ERR_SIGNATURE_INVALID"),
        ),
        row(
            "PSS signature sent as RS256",
            signed("RS256", "RS256", "rs256-key", "PS256", Salt::HashLength),
            no("ERR_SIGNATURE_INVALID"),
        ),
        row(
            "PS256 with salt 0",
            signed("RS256", "PS256", "rs256-key", "PS256", Salt::Bytes(0)),
            no("ERR_SIGNATURE_INVALID"),
        ),
        row(
            "PS256 with salt 20",
            signed("RS256", "PS256", "rs256-key", "PS256", Salt::Bytes(20)),
            no("ERR_SIGNATURE_INVALID"),
        ),
        row(
            "PS256 with salt 64",
            signed("RS256", "PS256", "rs256-key", "PS256", Salt::Bytes(64)),
            no("ERR_SIGNATURE_INVALID"),
        ),
        row(
            "PS384 with salt 32",
            signed("PS384", "PS384", "ps384-key", "PS384", Salt::Bytes(32)),
            no("ERR_SIGNATURE_INVALID"),
        ),
        row(
            "PS384 token for the PS256 key",
            signed("PS256", "PS384", "ps256-key", "PS384", Salt::HashLength),
            no("ERR_KEY_NOT_FOUND"),
        ),
    ];
    fixture_check("E07", rows);
}

/// The Ed25519 signature (R = identity, S = 0), which verifies any message
/// under a small-order key with cofactorless, non-strict verification.
fn identity_signature() -> Vec<u8> {
    let mut sig = vec![0u8; 64];
    sig[0] = 1;
    sig
}

/// E08 (b): small-order and non-canonical Ed25519 keys are refused at
/// admission, so the universal forgery (R = identity, S = 0) finds no key.
#[test]
fn e08_small_order_keys_are_refused() {
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xee;
    non_canonical[31] = 0x7f;
    let order8: Vec<u8> = hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05");
    for (name, x) in [
        ("identity", identity.to_vec()),
        ("identity, y = p + 1", non_canonical.to_vec()),
        ("order 8", order8),
    ] {
        let weak = json!({"kty": "OKP", "crv": "Ed25519", "kid": "weak", "x": b64(&x)});
        let verifier = verifier_of(&[public_jwk("eddsa-key"), weak.clone()]);
        assert_eq!(
            verifier.keys().skipped().len(),
            1,
            "{name}: the key must be skipped"
        );
        let mut rows = Vec::new();
        for sub in ["admin", "anyone", "root"] {
            let forged = with_signature(
                &sign_eddsa(
                    &json!({"alg": "EdDSA", "kid": "weak"}),
                    &claims_with(|c| {
                        c.insert("sub".into(), json!(sub));
                    }),
                ),
                &identity_signature(),
            );
            rows.push(row(
                format!("{name} key, forged for sub {sub}"),
                forged,
                no("ERR_KEY_NOT_FOUND"),
            ));
        }
        check("E08", &verifier, &jose_token("EdDSA"), rows);
        assert_eq!(
            KeySet::from_jwks(&json!({"keys": [weak]}).to_string())
                .unwrap_err()
                .code(),
            "ERR_JWKS_INVALID",
            "{name}"
        );
    }
}

/// E08 (c): non-canonical S (S + L) and R, and small-order R under a valid
/// key, which only strict verification refuses. The last signature is made
/// with the real private key: R = identity, S = k·a, so that
/// [S]B = R + [k]A holds and cofactorless `verify` would accept it.
#[test]
fn e08_small_order_r_is_refused_by_strict_verification() {
    let token = jose_token("EdDSA");
    let rows = ed25519_edge_signatures(&token)
        .into_iter()
        .map(|(name, signature)| {
            row(
                name,
                with_signature(&token, &signature),
                no("ERR_SIGNATURE_INVALID"),
            )
        })
        .collect();
    fixture_check("E08", rows);
    // The hand-made signature does satisfy the cofactorless equation:
    // ed25519-dalek's non-strict `verify` accepts it, `verify_strict` does not.
    let (input, _) = token.rsplit_once('.').unwrap();
    let public = unb64(public_jwk("eddsa-key")["x"].as_str().unwrap());
    let key = ed25519_dalek::VerifyingKey::from_bytes(&public.try_into().unwrap()).unwrap();
    let (_, small_r) = ed25519_edge_signatures(&token).pop().unwrap();
    let forged = ed25519_dalek::Signature::from_slice(&small_r).unwrap();
    assert!(key.verify_strict(input.as_bytes(), &forged).is_err());
    assert!(ed25519_dalek::Verifier::verify(&key, input.as_bytes(), &forged).is_ok());
}

/// E08 (a, d): key encodings: `x` of 31, 33 or 0 bytes (31 panicked in
/// jsonwebtoken 11.1.0), and Ed448.
#[test]
fn e08_ed25519_key_encodings() {
    let x = unb64(public_jwk("eddsa-key")["x"].as_str().unwrap());
    for (name, jwk) in [
        (
            "x of 31 bytes",
            json!({"kty": "OKP", "crv": "Ed25519", "kid": "eddsa-key", "x": b64(&x[..31])}),
        ),
        (
            "x of 33 bytes",
            json!({"kty": "OKP", "crv": "Ed25519", "kid": "eddsa-key", "x": b64(&[x.clone(), vec![0]].concat())}),
        ),
        (
            "x empty",
            json!({"kty": "OKP", "crv": "Ed25519", "kid": "eddsa-key", "x": ""}),
        ),
        (
            "Ed448",
            json!({"kty": "OKP", "crv": "Ed448", "kid": "eddsa-key", "x": b64(&[1; 57])}),
        ),
    ] {
        let verifier = verifier_of(&[public_jwk("rs512-key"), jwk]);
        assert_eq!(verifier.keys().skipped().len(), 1, "{name}");
        check(
            "E08",
            &verifier,
            &jose_token("RS512"),
            vec![row(name, jose_token("EdDSA"), no("ERR_KEY_NOT_FOUND"))],
        );
    }
}
