//! B. Key sourcing and header trust.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use jwtguard::{KeySet, Policy, Verifier};
use serde_json::{Value, json};

use crate::common::*;
use crate::*;

/// An attacker's Ed25519 key pair: its public JWK and a token it signed.
fn attacker_eddsa(header: &Value) -> String {
    use ed25519_dalek::Signer as _;
    let key = ed25519_dalek::SigningKey::from_bytes(&[0xa7; 32]);
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(good_claims().to_string().as_bytes())
    );
    format!("{input}.{}", b64(&key.sign(input.as_bytes()).to_bytes()))
}

fn attacker_jwk() -> Value {
    let key = ed25519_dalek::SigningKey::from_bytes(&[0xa7; 32]);
    json!({"kty": "OKP", "crv": "Ed25519", "x": b64(key.verifying_key().as_bytes())})
}

/// B01: a key embedded in the header is never used; a token carrying one is
/// refused whatever else it says.
#[test]
fn b01_embedded_jwk() {
    let rows = vec![
        row(
            "attacker key embedded, legit kid",
            attacker_eddsa(&json!({"alg": "EdDSA", "kid": "eddsa-key", "jwk": attacker_jwk()})),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "attacker key embedded, no kid",
            attacker_eddsa(&json!({"alg": "EdDSA", "jwk": attacker_jwk()})),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "rsa key embedded in an rs256 token",
            sign(
                "RS384",
                &json!({"alg": "RS256", "kid": "rs256-key", "jwk": public_jwk("rs384-key")}),
                &good_claims(),
            ),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "unparseable jwk",
            eddsa_header_with(|h| {
                h.insert("jwk".into(), json!({"kty": "RSA", "n": 1}));
            }),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "attacker signature, legit kid, no jwk",
            attacker_eddsa(&json!({"alg": "EdDSA", "kid": "eddsa-key"})),
            no("ERR_SIGNATURE_INVALID"),
        ),
    ];
    fixture_check("B01", rows);
}

/// B02: `jku` and `x5u` are never dereferenced: a token carrying one is
/// refused (the core has no network; tests/js/catalog.test.mjs also checks
/// that `fetch` is never called).
#[test]
fn b02_jku_and_x5u() {
    let urls = [
        "https://attacker.example/jwks.json",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost:8080/",
        "file:///etc/passwd",
        "https://idp.example@attacker.example/",
    ];
    let mut rows = Vec::new();
    for member in ["jku", "x5u"] {
        for url in urls {
            rows.push(row(
                format!("{member} {url}"),
                attacker_eddsa(&json!({"alg": "EdDSA", "kid": "eddsa-key", member: url})),
                no("ERR_HEADER_INVALID"),
            ));
        }
    }
    fixture_check("B02", rows);
}

/// B03: `x5c` and `x5t` play no part in key selection (Entra sends `x5t`):
/// they are ignored, and the `kid` alone picks the key.
#[test]
fn b03_x5c_and_x5t_are_ignored() {
    let rows = vec![
        row(
            "x5c garbage, right key",
            eddsa_header_with(|h| {
                h.insert("x5c".into(), json!(["!!!"]));
            }),
            OK,
        ),
        row(
            "x5t of another key, right key",
            eddsa_header_with(|h| {
                h.insert("x5t".into(), json!("nOo3ZDrODXEK1jKWhXslHR_KXEg"));
                h.insert("x5t#S256".into(), json!("bm9wZQ"));
            }),
            OK,
        ),
        row(
            "attacker signature with its own x5c, legit kid",
            attacker_eddsa(
                &json!({"alg": "EdDSA", "kid": "eddsa-key", "x5c": ["MIIBszCCAVmgAwIBAgIU"]}),
            ),
            no("ERR_SIGNATURE_INVALID"),
        ),
        row(
            "attacker signature with its own x5c, unknown kid",
            attacker_eddsa(
                &json!({"alg": "EdDSA", "kid": "attacker", "x5c": ["MIIBszCCAVmgAwIBAgIU"]}),
            ),
            no("ERR_KEY_NOT_FOUND"),
        ),
    ];
    fixture_check("B03", rows);
}

/// B04: `kid` is an opaque, exact, case-sensitive, bounded lookup key.
#[test]
fn b04_kid_tricks() {
    let kid = |value: Value| {
        eddsa_header_with(|h| {
            h.insert("kid".into(), value);
        })
    };
    let mut rows = vec![
        row(
            "no kid, one fitting key",
            eddsa_header_with(|h| {
                h.remove("kid");
            }),
            OK,
        ),
        row("unknown kid", kid(json!("nobody")), no("ERR_KEY_NOT_FOUND")),
        row("empty kid", kid(json!("")), no("ERR_HEADER_INVALID")),
        row(
            "kid of 257 bytes",
            kid(json!("k".repeat(257))),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "kid of 64 KiB",
            kid(json!("k".repeat(64 * 1024))),
            no("ERR_TOKEN_TOO_LARGE"),
        ),
        row(
            "duplicate kid member",
            sign_eddsa_raw(
                br#"{"alg":"EdDSA","kid":"nobody","kid":"eddsa-key"}"#,
                good_claims().to_string().as_bytes(),
            ),
            no("ERR_TOKEN_MALFORMED"),
        ),
    ];
    for odd in [
        "../../dev/null",
        "' OR 1=1 --",
        "\u{0}",
        "eddsa-key\u{0}",
        "\u{435}ddsa-key",
        "EdDSA-key",
        "eddsa-key ",
    ] {
        rows.push(row(
            format!("kid {odd:?}"),
            kid(json!(odd)),
            no("ERR_KEY_NOT_FOUND"),
        ));
    }
    for value in [
        json!(5),
        json!(["eddsa-key"]),
        json!(null),
        json!({"kid": "eddsa-key"}),
    ] {
        rows.push(row(
            format!("kid {value}"),
            kid(value.clone()),
            no("ERR_HEADER_INVALID"),
        ));
    }
    fixture_check("B04", rows);
    // With the size cap raised, a 64 KiB kid meets the kid limit instead.
    let roomy = verifier_with({
        let mut custom = policy();
        custom.max_token_size = 256 * 1024;
        custom
    });
    check(
        "B04 (raised size cap)",
        &roomy,
        &jose_token("EdDSA"),
        vec![row(
            "kid of 64 KiB",
            kid(json!("k".repeat(64 * 1024))),
            no("ERR_HEADER_INVALID"),
        )],
    );
    // Two RSA keys share a kid: each is tried for the algorithms it permits.
    let shared = verifier_of(&[
        jwk_with("rs256-key", |k| {
            k.insert("kid".into(), json!("shared"));
        }),
        jwk_with("ps256-key", |k| {
            k.insert("kid".into(), json!("shared"));
        }),
        public_jwk("eddsa-key"),
    ]);
    let shared_kid = |signer: &str, alg: &str| {
        sign(
            signer,
            &json!({"alg": alg, "kid": "shared"}),
            &good_claims(),
        )
    };
    check(
        "B04 (shared kid)",
        &shared,
        &jose_token("EdDSA"),
        vec![
            row("rs256 key's token", shared_kid("RS256", "RS256"), OK),
            row("ps256 key's token", shared_kid("PS256", "PS256"), OK),
            row(
                "rs384 key's token (not in the set)",
                shared_kid("RS384", "RS256"),
                no("ERR_SIGNATURE_INVALID"),
            ),
        ],
    );
}

/// B05: keys whose `use`, `key_ops` or `alg` say they are not for verifying
/// signatures are skipped; a token naming one finds no key.
#[test]
fn b05_key_use_and_operations() {
    let variants: Vec<(&str, Value)> = vec![
        ("use enc", json!({"use": "enc"})),
        ("key_ops encrypt", json!({"key_ops": ["encrypt"]})),
        ("key_ops sign only", json!({"key_ops": ["sign"]})),
        ("alg RSA-OAEP", json!({"alg": "RSA-OAEP"})),
        ("alg RSA1_5", json!({"alg": "RSA1_5"})),
        (
            "use sig, key_ops encrypt",
            json!({"use": "sig", "key_ops": ["encrypt"]}),
        ),
        (
            "use enc, key_ops verify",
            json!({"use": "enc", "key_ops": ["verify"]}),
        ),
        // jsonwebtoken 11.1.0 verified a PS256 token against this key.
        (
            "alg RS256, use enc, key_ops encrypt",
            json!({"alg": "RS256", "use": "enc", "key_ops": ["encrypt"]}),
        ),
    ];
    for (name, members) in variants {
        let jwk = jwk_with("ps256-key", |k| {
            k.remove("alg");
            for (m, v) in members.as_object().unwrap() {
                k.insert(m.clone(), v.clone());
            }
        });
        let verifier = verifier_of(&[public_jwk("eddsa-key"), jwk]);
        assert_eq!(verifier.keys().skipped().len(), 1, "{name}");
        check(
            "B05",
            &verifier,
            &jose_token("EdDSA"),
            vec![row(name, jose_token("PS256"), no("ERR_KEY_NOT_FOUND"))],
        );
    }
}

/// B06: key type, curve, algorithm and sizes must agree; otherwise skipped.
#[test]
fn b06_key_type_curve_and_size() {
    let p384 = public_jwk("es384-key");
    let ed = public_jwk("eddsa-key");
    let skipped: Vec<(&str, Value, String, &str)> = vec![
        (
            "crv P-384 with P-256 coordinates",
            jwk_with("es256-key", |k| {
                k.insert("crv".into(), json!("P-384"));
            }),
            jose_token("ES256"),
            "P-384 coordinates must be 48 bytes each",
        ),
        (
            "crv P-256 with P-384 coordinates",
            json!({"kty": "EC", "crv": "P-256", "kid": "es384-key", "x": p384["x"], "y": p384["y"]}),
            jose_token("ES384"),
            "P-256 coordinates must be 32 bytes each",
        ),
        (
            "okp crv P-256 with an ed25519 x",
            json!({"kty": "OKP", "crv": "P-256", "kid": "eddsa-key", "x": ed["x"]}),
            jose_token("EdDSA"),
            "curve \"P-256\" is not supported",
        ),
        (
            "ec x with a leading zero (33 bytes)",
            jwk_with("es256-key", |k| {
                let mut x = vec![0u8];
                x.extend(unb64(k["x"].as_str().unwrap()));
                k.insert("x".into(), json!(b64(&x)));
            }),
            jose_token("ES256"),
            "P-256 coordinates must be 32 bytes each",
        ),
        (
            "ec y off the curve",
            jwk_with("es256-key", |k| {
                k.insert("y".into(), json!(b64(&[7; 32])));
            }),
            jose_token("ES256"),
            "point is not on P-256",
        ),
        (
            "kty EC with an rsa alg",
            jwk_with("es256-key", |k| {
                k.insert("alg".into(), json!("RS256"));
            }),
            jose_token("ES256"),
            "alg RS256 does not fit this EC key",
        ),
    ];
    for (name, jwk, token, reason) in skipped {
        // The only other key is RS512's, so the token's kid finds nothing usable.
        let verifier = verifier_of(&[public_jwk("rs512-key"), jwk]);
        assert_eq!(
            verifier.keys().skipped()[0].reason.to_string(),
            reason,
            "{name}"
        );
        check(
            "B06",
            &verifier,
            &jose_token("RS512"),
            vec![row(name, token, no("ERR_KEY_NOT_FOUND"))],
        );
    }
    for (name, jwk) in [
        (
            "okp Ed448",
            json!({"kty": "OKP", "crv": "Ed448", "x": b64(&[1; 57])}),
        ),
        (
            "okp X25519",
            json!({"kty": "OKP", "crv": "X25519", "x": b64(&[9; 32])}),
        ),
        (
            "ec P-521",
            json!({"kty": "EC", "crv": "P-521", "x": b64(&[1; 66]), "y": b64(&[1; 66])}),
        ),
        (
            "ec secp256k1",
            json!({"kty": "EC", "crv": "secp256k1", "x": b64(&[1; 32]), "y": b64(&[1; 32])}),
        ),
    ] {
        let keys = KeySet::from_jwks(&json!({"keys": [ed, jwk]}).to_string()).unwrap();
        assert_eq!(keys.skipped().len(), 1, "{name}");
    }
    // RSA n with leading zero octets: lenient (the integer is the same).
    let padded_n = jwk_with("rs256-key", |k| {
        let mut n = vec![0u8, 0];
        n.extend(unb64(k["n"].as_str().unwrap()));
        k.insert("n".into(), json!(b64(&n)));
    });
    check(
        "B06 (lenient)",
        &verifier_of(&[padded_n]),
        &jose_token("RS256"),
        vec![row("rsa n with leading zeros", jose_token("RS256"), OK)],
    );
}

/// B07: a JWK carrying private members is a leaked key: skipped, and the
/// reason names the member, never its value.
#[test]
fn b07_private_members() {
    for signer in ["RS256", "ES256", "EdDSA"] {
        let private = private_jwk(signer).clone();
        let keys =
            KeySet::from_jwks(&json!({"keys": [public_jwk("rs512-key"), private]}).to_string())
                .unwrap();
        let reason = keys.skipped()[0].reason.to_string();
        assert!(
            reason.starts_with("private key member"),
            "{signer}: {reason}"
        );
        let d = private_jwk(signer)["d"].as_str().unwrap();
        assert!(!reason.contains(d), "{signer}: the reason leaks d");
        let verifier = Verifier::new(policy(), keys).unwrap();
        check(
            "B07",
            &verifier,
            &jose_token("RS512"),
            vec![row(
                format!("{signer} token, its key published with d"),
                jose_token(signer),
                no("ERR_KEY_NOT_FOUND"),
            )],
        );
    }
}

/// B08: one odd entry does not break the set (RFC 7517 §5): it is skipped
/// and the others keep working. A duplicate member name anywhere in the
/// document is the exception (tests/deviations.json, B08).
#[test]
fn b08_one_bad_key_does_not_break_the_set() {
    let odd = [
        json!({"kty": "RSA", "kid": 5, "n": "AQAB", "e": "AQAB"}),
        jwk_with("rs256-key", |k| {
            k.insert("use".into(), json!(5));
        }),
        jwk_with("rs256-key", |k| {
            k.insert("key_ops".into(), json!("verify"));
        }),
        jwk_with("rs256-key", |k| {
            let n = k["n"].as_str().unwrap().to_owned();
            k.insert("n".into(), json!(format!("{n}=")));
        }),
        json!({"kty": "EC", "crv": "P-256", "x": "+/+/", "y": "AA"}),
        json!(42),
    ];
    for entry in odd {
        let verifier = verifier_of(&[entry.clone(), public_jwk("eddsa-key")]);
        assert_eq!(verifier.keys().skipped().len(), 1, "{entry}");
        check(
            "B08",
            &verifier,
            &jose_token("EdDSA"),
            vec![row(format!("beside {entry}"), jose_token("EdDSA"), OK)],
        );
    }
    let duplicate = format!(
        r#"{{"keys":[{{"kty":"OKP","kid":"a","kid":"b","crv":"Ed25519","x":"{}"}},{}]}}"#,
        public_jwk("eddsa-key")["x"].as_str().unwrap(),
        public_jwk("eddsa-key")
    );
    assert_eq!(
        KeySet::from_jwks(&duplicate).unwrap_err().code(),
        "ERR_JWKS_INVALID"
    );
}

/// B09: a key bound to an issuer (the JWK's `issuer` member, as Entra
/// publishes) never vouches for another issuer's tokens.
#[test]
fn b09_issuer_key_binding() {
    let a = "https://issuer-a.test";
    let b = "https://issuer-b.test";
    let keys = json!({"keys": [
        jwk_with("eddsa-key", |k| { k.insert("issuer".into(), json!(a)); }),
        jwk_with("es256-key", |k| { k.insert("issuer".into(), json!(b)); }),
    ]});
    let verifier = Verifier::new(
        {
            let mut custom = policy();
            custom.issuer = vec![a.to_owned(), b.to_owned()];
            custom
        },
        KeySet::from_jwks(&keys.to_string()).unwrap(),
    )
    .unwrap();
    let with_iss = |iss: &str| {
        claims_with(|c| {
            c.insert("iss".into(), json!(iss));
        })
    };
    let es256 = json!({"alg": "ES256", "kid": "es256-key"});
    let good = sign_eddsa(&eddsa_header(), &with_iss(a));
    check(
        "B09",
        &verifier,
        &good,
        vec![
            row("A's key, iss A", good.clone(), OK),
            row(
                "A's key, iss B",
                sign_eddsa(&eddsa_header(), &with_iss(b)),
                no("ERR_ISSUER_INVALID"),
            ),
            row("B's key, iss B", sign_es256(&es256, &with_iss(b)), OK),
            row(
                "B's key, iss A",
                sign_es256(&es256, &with_iss(a)),
                no("ERR_ISSUER_INVALID"),
            ),
        ],
    );
}

/// B09, several issuers: each issuer has its own configuration and keys,
/// and the token's `iss` only chooses which one checks it, so issuer A's key
/// never vouches for a token naming issuer B (no per-key issuer needed).
#[test]
fn b09_each_issuer_its_own_keys() {
    let (a, b) = ("https://issuer-a.test", "https://issuer-b.test");
    let config = |iss: &str, kid: &str| {
        let keys = json!({"keys": [jwk_with(kid, |_| {})]});
        Verifier::new(
            {
                let mut custom = policy();
                custom.issuer = vec![iss.to_owned()];
                custom
            },
            KeySet::from_jwks(&keys.to_string()).unwrap(),
        )
        .unwrap()
    };
    let verifiers = [config(a, "eddsa-key"), config(b, "es256-key")];
    let policies: Vec<Policy> = verifiers.iter().map(|v| v.policy().clone()).collect();
    let router = jwtguard::IssuerRouter::new(&policies).unwrap();
    let with_iss = |iss: &str| {
        claims_with(|c| {
            c.insert("iss".into(), json!(iss));
        })
    };
    let es256 = json!({"alg": "ES256", "kid": "es256-key"});
    let table = [
        (
            "A's key, iss A",
            sign_eddsa(&eddsa_header(), &with_iss(a)),
            Some(0),
            OK,
        ),
        (
            "B's key, iss B",
            sign_es256(&es256, &with_iss(b)),
            Some(1),
            OK,
        ),
        (
            "A's key, iss B",
            sign_eddsa(&eddsa_header(), &with_iss(b)),
            Some(1),
            no("ERR_KEY_NOT_FOUND"),
        ),
        (
            "B's key, iss A",
            sign_es256(&es256, &with_iss(a)),
            Some(0),
            no("ERR_KEY_NOT_FOUND"),
        ),
        (
            "unconfigured issuer",
            sign_eddsa(&eddsa_header(), &with_iss("https://issuer-c.test")),
            None,
            no("ERR_ISSUER_INVALID"),
        ),
    ];
    for (name, token, route, want) in table {
        let routed = router.route(&token);
        assert_eq!(routed.as_ref().ok().copied(), route, "B09 {name}");
        let outcome = routed.and_then(|i| verifiers[i].verify(&token, now()));
        assert_eq!(outcome.err().map(|e| e.code()), want, "B09 {name}");
    }
}
