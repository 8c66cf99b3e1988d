//! I. Token introspection (RFC 7662) and signed introspection responses
//! (RFC 9701): the authorization server's answer about an opaque token.
//! The host-side rows (routing, the cache key, the request that carries the
//! token) are in tests/js/introspection.test.mjs.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use jwtguard::{Introspection, KeySet, Policy, Presentation, Verifier};
use serde_json::{Value, json};

use crate::common::*;

/// The resource's client id at the authorization server: the `aud` of a
/// signed response.
const CLIENT_ID: &str = "resource-server-1";

/// The resource's policy, for the answers.
fn introspection() -> Introspection {
    Introspection::new(policy()).unwrap()
}

/// The verifier of signed responses: the authorization server (the
/// fixtures' issuer and keys) and the resource's client id.
fn responses() -> Verifier {
    let mut response_policy = Policy::new(issuer(), CLIENT_ID);
    response_policy.require_exp = false;
    Verifier::new(response_policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap()
}

/// An active answer about a token for this resource.
fn answer() -> Value {
    let mut claims = good_claims();
    claims["active"] = json!(true);
    claims
}

fn signed_response(header: Value, edit: impl FnOnce(&mut Value)) -> String {
    let mut claims = json!({
        "iss": issuer(),
        "aud": CLIENT_ID,
        "iat": now() - 5,
        "token_introspection": answer(),
    });
    edit(&mut claims);
    sign_eddsa(&header, &claims)
}

fn typed() -> Value {
    json!({"alg": "EdDSA", "kid": "eddsa-key", "typ": "token-introspection+jwt"})
}

/// The code a signed response gets, through to the answer's own checks.
fn outcome(response: &str) -> &'static str {
    let result = responses()
        .verify_introspection_response(response, now())
        .and_then(|text| introspection().check(&text, "opaque", now(), &Presentation::BEARER));
    match result {
        Ok(_) => "ok",
        Err(error) => {
            let message = error.to_string();
            assert!(!message.contains("opaque"), "the error echoes the token");
            error.code()
        }
    }
}

/// I01: where a signed response is required, an unsigned one (`alg: none`,
/// plain JSON, a JWT of another type, a tampered or wrongly signed one) is
/// never read as an answer.
#[test]
fn i01_unsigned_or_forged_signed_responses() {
    let good = signed_response(typed(), |_| {});
    assert_eq!(outcome(&good), "ok");
    let (input, signature) = good.rsplit_once('.').unwrap();
    let (header, payload) = input.split_once('.').unwrap();
    let none = format!(
        "{}.{payload}.",
        b64(br#"{"alg":"none","typ":"token-introspection+jwt"}"#)
    );
    let mut flipped = unb64(signature);
    flipped[0] ^= 1;
    let mut other_claims: Value = serde_json::from_slice(&unb64(payload)).unwrap();
    other_claims["token_introspection"]["scp"] = json!("admin");
    let tampered = format!(
        "{header}.{}.{signature}",
        b64(other_claims.to_string().as_bytes())
    );
    let rows: &[(&str, String)] = &[
        ("alg none", none),
        ("plain json", answer().to_string()),
        ("typ at+jwt", signed_response(eddsa_header(), |_| {})),
        (
            "no typ",
            signed_response(json!({"alg": "EdDSA", "kid": "eddsa-key"}), |_| {}),
        ),
        ("a flipped signature bit", with_signature(&good, &flipped)),
        ("a tampered payload", tampered),
        (
            "signed by another key",
            sign_es256(
                &json!({"alg": "ES256", "kid": "eddsa-key", "typ": "token-introspection+jwt"}),
                &serde_json::from_slice::<Value>(&unb64(payload)).unwrap(),
            ),
        ),
        (
            "no token_introspection",
            signed_response(typed(), |c| {
                c.as_object_mut().unwrap().remove("token_introspection");
            }),
        ),
        (
            "token_introspection as a string",
            signed_response(typed(), |c| {
                c["token_introspection"] = json!("{\"active\":true}")
            }),
        ),
        (
            "an old response (replayed)",
            signed_response(typed(), |c| c["iat"] = json!(now() - 600)),
        ),
        (
            "no iat",
            signed_response(typed(), |c| {
                c.as_object_mut().unwrap().remove("iat");
            }),
        ),
        (
            "another authorization server",
            signed_response(typed(), |c| c["iss"] = json!("https://evil.example")),
        ),
    ];
    for (name, response) in rows {
        assert_eq!(outcome(response), "ERR_INTROSPECTION_INVALID", "{name}");
    }
}

/// I02: `active` given as anything but the boolean `true` is an inactive
/// token, over JSON and inside a signed response.
#[test]
fn i02_active_must_be_the_boolean_true() {
    for active in [
        json!("true"),
        json!(1),
        json!("yes"),
        json!([true]),
        json!({}),
        Value::Null,
    ] {
        let mut plain = answer();
        plain["active"] = active.clone();
        let result =
            introspection().check(&plain.to_string(), "opaque", now(), &Presentation::BEARER);
        assert_eq!(result.unwrap_err().code(), "ERR_TOKEN_INACTIVE", "{active}");
        let signed = signed_response(typed(), |c| {
            c["token_introspection"]["active"] = active.clone()
        });
        assert_eq!(outcome(&signed), "ERR_TOKEN_INACTIVE", "{active}");
    }
}

/// I03: an answer for another resource: a signed response addressed to
/// another client, or an active token whose audience is another API.
#[test]
fn i03_a_response_for_another_resource() {
    let to_another_client = signed_response(typed(), |c| c["aud"] = json!("another-client"));
    assert_eq!(outcome(&to_another_client), "ERR_INTROSPECTION_INVALID");
    let for_another_api = signed_response(typed(), |c| {
        c["token_introspection"]["aud"] = json!("https://another-api.example")
    });
    assert_eq!(outcome(&for_another_api), "ERR_AUDIENCE_INVALID");
    let mut plain = answer();
    plain["aud"] = json!("https://another-api.example");
    let result = introspection().check(&plain.to_string(), "opaque", now(), &Presentation::BEARER);
    assert_eq!(result.unwrap_err().code(), "ERR_AUDIENCE_INVALID");
}
