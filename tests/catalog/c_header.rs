//! C. Header semantics.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use serde_json::{Value, json};

use crate::common::*;
use crate::*;

/// C01: no critical extension is understood, so any `crit` is refused.
#[test]
fn c01_crit_is_always_rejected() {
    let forms = [
        (json!(["urn:x"]), Some(("urn:x", json!(1)))),
        (json!(["foo"]), None),
        (json!([]), None),
        (json!(["alg"]), None),
        (json!(["exp"]), Some(("exp", json!(1)))),
        (json!("b64"), None),
        (json!(["urn:x", "urn:x"]), Some(("urn:x", json!(1)))),
        (json!(null), None),
    ];
    let rows = forms
        .into_iter()
        .map(|(crit, extra)| {
            let token = eddsa_header_with(|h| {
                h.insert("crit".into(), crit.clone());
                if let Some((name, value)) = extra {
                    h.insert(name.into(), value);
                }
            });
            row(format!("crit {crit}"), token, no("ERR_CRIT_UNSUPPORTED"))
        })
        .collect();
    fixture_check("C01", rows);
}

/// C02: `b64: false` (RFC 7797) is refused, with or without `crit`, so bytes
/// signed as unencoded are never read as base64url.
#[test]
fn c02_unencoded_payload() {
    let header = |crit: bool| {
        let mut h = json!({"alg": "EdDSA", "kid": "eddsa-key", "b64": false});
        if crit {
            h["crit"] = json!(["b64"]);
        }
        b64(h.to_string().as_bytes())
    };
    // (c): the raw payload is itself valid base64url text of a claim set.
    let raw = b64(good_claims().to_string().as_bytes());
    let rows = vec![
        row(
            "b64 false with crit",
            sign_input_eddsa(&format!("{}.{raw}", header(true))),
            no("ERR_CRIT_UNSUPPORTED"),
        ),
        row(
            "b64 false without crit",
            sign_input_eddsa(&format!("{}.{raw}", header(false))),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "b64 false, raw json payload",
            sign_input_eddsa(&format!("{}.{}", header(false), r#"{"sub":"admin"}"#)),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "b64 true",
            eddsa_header_with(|h| {
                h.insert("b64".into(), json!(true));
            }),
            no("ERR_HEADER_INVALID"),
        ),
    ];
    fixture_check("C02", rows);
}

/// C03: explicit typing (RFC 9068) when the policy asks for it; and an ID
/// token of the same issuer is refused.
#[test]
fn c03_explicit_typing() {
    let typed = verifier_with({
        let mut custom = policy();
        custom.typ = vec!["at+jwt".into()];
        custom
    });
    let typ = |value: Option<&str>| {
        eddsa_header_with(|h| match value {
            Some(t) => {
                h.insert("typ".into(), json!(t));
            }
            None => {
                h.remove("typ");
            }
        })
    };
    let mut rows = vec![
        row("at+jwt", typ(Some("at+jwt")), OK),
        row("application/at+jwt", typ(Some("application/at+jwt")), OK),
        row("AT+JWT", typ(Some("AT+JWT")), OK),
        row("absent", typ(None), no("ERR_TYP_INVALID")),
    ];
    for other in [
        "JWT",
        "dpop+jwt",
        "logout+jwt",
        "secevent+jwt",
        "client-authentication+jwt",
        "at+jwt ",
        "application/jwt",
    ] {
        rows.push(row(other, typ(Some(other)), no("ERR_TYP_INVALID")));
    }
    // An OIDC ID token: typ JWT, aud = the client id, nonce and at_hash.
    let id_token = sign_eddsa(
        &json!({"alg": "EdDSA", "kid": "eddsa-key", "typ": "JWT"}),
        &claims_with(|c| {
            c.insert("aud".into(), json!("client-app-1"));
            c.insert("nonce".into(), json!("n-0S6_WzA2Mj"));
            c.insert("at_hash".into(), json!("77QmUPtjPfzWtF2AnpK9RQ"));
        }),
    );
    rows.push(row("id token", id_token.clone(), no("ERR_TYP_INVALID")));
    check("C03", &typed, &jose_token("EdDSA"), rows);
    // RFC 7515 §4.1.9: `application/` is implied only for a value without
    // `/`, in the policy and the token alike, and case is ignored.
    let full_type = verifier_with({
        let mut custom = policy();
        custom.typ = vec!["application/text/plain".into()];
        custom
    });
    let media_rows = vec![
        row("text/plain", typ(Some("text/plain")), no("ERR_TYP_INVALID")),
        row("plain", typ(Some("plain")), no("ERR_TYP_INVALID")),
        row(
            "application/text/plain",
            typ(Some("application/text/plain")),
            OK,
        ),
        row(
            "Application/Text/Plain",
            typ(Some("Application/Text/Plain")),
            OK,
        ),
    ];
    let good = typ(Some("application/text/plain"));
    check("C03 (full media type)", &full_type, &good, media_rows);
    // Without a typ policy (Entra access tokens say JWT), the audience tells them apart.
    fixture_check(
        "C03 (no typ policy)",
        vec![row("id token", id_token, no("ERR_AUDIENCE_INVALID"))],
    );
    // An ID token whose audience is the API, and an access token that grants
    // nothing (Entra issues app-only tokens without roles when the API does
    // not require assignment): requirePermission refuses both, unless the
    // policy authorises callers by client id (clients).
    let permission = {
        let mut custom = policy();
        custom.require_permission = true;
        custom
    };
    let id_token_for_api = sign_eddsa(
        &json!({"alg": "EdDSA", "kid": "eddsa-key", "typ": "JWT"}),
        &claims_with(|c| {
            c.remove("roles");
            c.remove("scp");
            c.insert("nonce".into(), json!("n-0S6_WzA2Mj"));
            c.insert("at_hash".into(), json!("77QmUPtjPfzWtF2AnpK9RQ"));
        }),
    );
    // Claims with neither roles nor scp, then `name` set to `value`.
    let granting = |name: &str, value: Value| {
        eddsa_claims(|c| {
            c.remove("roles");
            c.remove("scp");
            if !value.is_null() {
                c.insert(name.into(), value);
            }
        })
    };
    let good = granting("roles", json!(["Tasks.Read"]));
    let rows = vec![
        row("roles", good.clone(), OK),
        row("scp", granting("scp", json!("Tasks.Read")), OK),
        row("scope", granting("scope", json!("tasks:read")), OK),
        row(
            "neither",
            granting("roles", Value::Null),
            no("ERR_PERMISSION_MISSING"),
        ),
        row(
            "id token for the api",
            id_token_for_api.clone(),
            no("ERR_PERMISSION_MISSING"),
        ),
        row(
            "empty roles",
            granting("roles", json!([])),
            no("ERR_PERMISSION_MISSING"),
        ),
        row(
            "blank scp",
            granting("scp", json!(" ")),
            no("ERR_PERMISSION_MISSING"),
        ),
        row(
            "roles not an array",
            granting("roles", json!("x")),
            no("ERR_CLAIM_INVALID"),
        ),
    ];
    check(
        "C03 (requirePermission)",
        &verifier_with(permission.clone()),
        &good,
        rows,
    );
    let by_client = verifier_with({
        let mut custom = permission;
        custom.clients = vec!["client-app-1".into()];
        custom
    });
    check(
        "C03 (requirePermission, clients)",
        &by_client,
        &good,
        vec![row(
            "neither, allowed client",
            granting("roles", Value::Null),
            OK,
        )],
    );
}

/// C04: `cty` (nested tokens) is refused; a payload that is itself a
/// compact JWS is not JSON.
#[test]
fn c04_nested_tokens() {
    let inner = format!(
        "{}.{}.",
        b64(br#"{"alg":"none"}"#),
        b64(good_claims().to_string().as_bytes())
    );
    let rows = vec![
        row(
            "cty JWT",
            eddsa_header_with(|h| {
                h.insert("cty".into(), json!("JWT"));
            }),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "cty json",
            eddsa_header_with(|h| {
                h.insert("cty".into(), json!("json"));
            }),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "payload is an unsecured inner jws",
            eddsa_payload(&inner),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "cty JWT around an inner jws",
            sign_eddsa_raw(
                br#"{"alg":"EdDSA","kid":"eddsa-key","cty":"JWT"}"#,
                inner.as_bytes(),
            ),
            no("ERR_HEADER_INVALID"),
        ),
    ];
    fixture_check("C04", rows);
}

/// C05: JWE lookalikes and the JSON serializations are refused, never
/// decompressed or unwrapped.
#[test]
fn c05_jwe_and_json_serialization() {
    let good = jose_token("EdDSA");
    let parts: Vec<&str> = good.split('.').collect();
    let flattened =
        json!({"protected": parts[0], "payload": parts[1], "signature": parts[2]}).to_string();
    let general = json!({"payload": parts[1], "signatures": [{"protected": parts[0], "signature": parts[2]}]}).to_string();
    let rows = vec![
        row(
            "five segments (jwe)",
            format!("{}.{}.{}.{}.{}", parts[0], "", parts[1], "AAAA", parts[2]),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "enc in a jws header",
            eddsa_header_with(|h| {
                h.insert("enc".into(), json!("A128GCM"));
            }),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "zip in a jws header",
            eddsa_header_with(|h| {
                h.insert("zip".into(), json!("DEF"));
            }),
            no("ERR_HEADER_INVALID"),
        ),
        row(
            "flattened json serialization",
            flattened,
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "general json serialization",
            general,
            no("ERR_TOKEN_MALFORMED"),
        ),
    ];
    fixture_check("C05", rows);
}

/// C06: duplicate header members are refused; member names are
/// case-sensitive, so `ALG` or `Kid` are merely unknown members (ignored).
#[test]
fn c06_duplicate_and_extra_header_members() {
    let raw =
        |header: &str| sign_eddsa_raw(header.as_bytes(), good_claims().to_string().as_bytes());
    let rows = vec![
        row(
            "duplicate x",
            raw(r#"{"alg":"EdDSA","kid":"eddsa-key","x":"a","x":"b"}"#),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "duplicate typ",
            raw(r#"{"alg":"EdDSA","kid":"eddsa-key","typ":"JWT","typ":"at+jwt"}"#),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "ALG beside alg",
            raw(r#"{"alg":"EdDSA","ALG":"none","kid":"eddsa-key"}"#),
            OK,
        ),
        row(
            "Kid beside kid",
            raw(r#"{"alg":"EdDSA","kid":"eddsa-key","Kid":"b"}"#),
            OK,
        ),
    ];
    fixture_check("C06", rows);
}
