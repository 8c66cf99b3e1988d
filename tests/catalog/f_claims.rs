//! F. Claims.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use serde_json::{Value, json};

use crate::common::*;
use crate::*;

fn claim(name: &'static str, value: Value) -> String {
    eddsa_claims(|c| {
        c.insert(name.into(), value);
    })
}

fn without(name: &'static str) -> String {
    eddsa_claims(|c| {
        c.remove(name);
    })
}

/// F01: `exp` is required; valid while now < exp + tolerance; no default
/// lifetime cap (the `maxLifetime` option is one; tests/deviations.json).
#[test]
fn f01_expiry() {
    let n = now();
    let rows = vec![
        row("missing", without("exp"), no("ERR_CLAIM_MISSING")),
        row(
            "now - 61",
            claim("exp", json!(n - 61)),
            no("ERR_TOKEN_EXPIRED"),
        ),
        row("now - 30", claim("exp", json!(n - 30)), OK),
        row("now", claim("exp", json!(n)), OK),
        row(
            "now - 59 (inside the tolerance)",
            claim("exp", json!(n - 59)),
            OK,
        ),
        row(
            "now - 60 (the tolerance, exclusive)",
            claim("exp", json!(n - 60)),
            no("ERR_TOKEN_EXPIRED"),
        ),
        row(
            "u64::MAX",
            claim("exp", json!(u64::MAX)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "now + 10 years",
            claim("exp", json!(n + 10 * 365 * 86_400)),
            OK,
        ),
    ];
    fixture_check("F01", rows);
    let capped = verifier_with({
        let mut custom = policy();
        custom.max_lifetime = Some(86_400);
        custom
    });
    check(
        "F01 (maxLifetime)",
        &capped,
        &jose_token("EdDSA"),
        vec![
            row(
                "now + 10 years",
                claim("exp", json!(n + 10 * 365 * 86_400)),
                no("ERR_TOKEN_TOO_OLD"),
            ),
            row("a day after iat", claim("exp", json!(n - 60 + 86_400)), OK),
        ],
    );
}

/// F02: `nbf` is enforced when present (jsonwebtoken 11.1.0 did not by
/// default) and type-checked.
#[test]
fn f02_not_before() {
    let n = now();
    let rows = vec![
        row(
            "now + 3000",
            claim("nbf", json!(n + 3000)),
            no("ERR_TOKEN_NOT_YET_VALID"),
        ),
        row(
            "now + 61",
            claim("nbf", json!(n + 61)),
            no("ERR_TOKEN_NOT_YET_VALID"),
        ),
        row(
            "now + 60 (inside the tolerance)",
            claim("nbf", json!(n + 60)),
            OK,
        ),
        row("\"x\"", claim("nbf", json!("x")), no("ERR_CLAIM_INVALID")),
        row("-5", claim("nbf", json!(-5)), no("ERR_CLAIM_INVALID")),
        row("1.5", claim("nbf", json!(1.5)), OK),
        row("absent", without("nbf"), OK),
    ];
    fixture_check("F02", rows);
}

/// F03: `iat` is type-checked and may not be in the future; `maxTokenAge`
/// bounds it (and makes it required).
#[test]
fn f03_issued_at() {
    let n = now();
    fixture_check(
        "F03",
        vec![
            row(
                "now + 10^7",
                claim("iat", json!(n + 10_000_000)),
                no("ERR_TOKEN_NOT_YET_VALID"),
            ),
            row(
                "\"yesterday\"",
                claim("iat", json!("yesterday")),
                no("ERR_CLAIM_INVALID"),
            ),
            row("absent", without("iat"), OK),
            row("now - 30 days", claim("iat", json!(n - 30 * 86_400)), OK),
        ],
    );
    let aged = verifier_with({
        let mut custom = policy();
        custom.max_token_age = Some(86_400);
        custom
    });
    check(
        "F03 (maxTokenAge)",
        &aged,
        &jose_token("EdDSA"),
        vec![
            row(
                "now - 30 days",
                claim("iat", json!(n - 30 * 86_400)),
                no("ERR_TOKEN_TOO_OLD"),
            ),
            row("absent", without("iat"), no("ERR_CLAIM_MISSING")),
        ],
    );
}

/// F04: `iss` is required, a single string, equal code point for code point
/// (jsonwebtoken 11.1.0 passed it absent, mistyped, or as an array).
#[test]
fn f04_issuer() {
    let good = issuer(); // https://issuer.test/tenant-1/v2.0
    let mut rows = vec![
        row("missing", without("iss"), no("ERR_CLAIM_MISSING")),
        row("1", claim("iss", json!(1)), no("ERR_CLAIM_INVALID")),
        row("{}", claim("iss", json!({})), no("ERR_CLAIM_INVALID")),
        row("null", claim("iss", json!(null)), no("ERR_CLAIM_INVALID")),
        row(
            "[evil, good]",
            claim("iss", json!(["https://evil", good])),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "[good]",
            claim("iss", json!([good])),
            no("ERR_CLAIM_INVALID"),
        ),
    ];
    for variant in [
        "https://issuer.test/tenant-1/v2.0.evil".to_owned(),
        "https://evil/https://issuer.test/tenant-1/v2.0".to_owned(),
        format!("{good}/"),
        good.to_uppercase(),
        "https://issuer.test:443/tenant-1/v2.0".to_owned(),
        "https://issuer.test/tenant-1/v2.0/.".to_owned(),
        "https://ｉssuer.test/tenant-1/v2.0".to_owned(),
        format!("{good}\u{0}"),
        format!(" {good}"),
        String::new(),
    ] {
        rows.push(row(
            format!("{variant:?}"),
            claim("iss", json!(variant)),
            no("ERR_ISSUER_INVALID"),
        ));
    }
    // JSON escapes are undone before comparing: the same string.
    let (aud, exp) = (audience(), now() + 600);
    rows.push(row(
        "escaped, equal after unescaping",
        eddsa_payload(&format!(
            r#"{{"iss":"https:\/\/\u0069ssuer.test\/tenant-1\/v2.0","aud":"{aud}","exp":{exp}}}"#
        )),
        OK,
    ));
    fixture_check("F04", rows);
}

/// F05: `aud` is required, a string or a non-empty array of strings, matched
/// exactly (jsonwebtoken 11.1.0 passed it absent or mistyped). Arrays are
/// capped at 1000 entries (h05_claim_arrays_are_capped).
#[test]
fn f05_audience() {
    let good = audience();
    let rows = vec![
        row("missing", without("aud"), no("ERR_CLAIM_MISSING")),
        row("123", claim("aud", json!(123)), no("ERR_CLAIM_INVALID")),
        row(
            "{api: 1}",
            claim("aud", json!({ good.clone(): 1 })),
            no("ERR_CLAIM_INVALID"),
        ),
        row("null", claim("aud", json!(null)), no("ERR_CLAIM_INVALID")),
        row("[]", claim("aud", json!([])), no("ERR_CLAIM_INVALID")),
        row(
            "[good, 1]",
            claim("aud", json!([good, 1])),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "[evil, good]",
            claim("aud", json!(["https://evil.example", good])),
            OK,
        ),
        row("[good, good]", claim("aud", json!([good, good])), OK),
        row(
            "upper case",
            claim("aud", json!(good.to_uppercase())),
            no("ERR_AUDIENCE_INVALID"),
        ),
        row(
            "trailing space",
            claim("aud", json!(format!("{good} "))),
            no("ERR_AUDIENCE_INVALID"),
        ),
    ];
    fixture_check("F05", rows);
}

/// F06: `sub` is opaque: compared exactly when the policy names one; when
/// present it must be a non-empty string.
#[test]
fn f06_subject() {
    let rows = vec![
        row("7", claim("sub", json!(7)), no("ERR_CLAIM_INVALID")),
        row(
            "[\"u\"]",
            claim("sub", json!(["u"])),
            no("ERR_CLAIM_INVALID"),
        ),
        row("\"\"", claim("sub", json!("")), no("ERR_CLAIM_INVALID")),
        row("absent", without("sub"), OK),
    ];
    fixture_check("F06", rows);
    let pinned = verifier_with({
        let mut custom = policy();
        custom.subject = Some("service-principal-1".into());
        custom
    });
    check(
        "F06 (subject)",
        &pinned,
        &jose_token("EdDSA"),
        vec![
            row("equal", claim("sub", json!("service-principal-1")), OK),
            row(
                "with a NUL",
                claim("sub", json!("service-principal-1\u{0}")),
                no("ERR_CLAIM_INVALID"),
            ),
            row(
                "with U+202E",
                claim("sub", json!("\u{202e}service-principal-1")),
                no("ERR_CLAIM_INVALID"),
            ),
            row(
                "1 MB long",
                claim("sub", json!("s".repeat(1 << 20))),
                no("ERR_TOKEN_TOO_LARGE"),
            ),
            row("absent", without("sub"), no("ERR_CLAIM_MISSING")),
        ],
    );
}

/// F07: no Unicode normalisation and no case folding, anywhere.
#[test]
fn f07_unicode_is_compared_exactly() {
    let policy = {
        let mut custom = policy();
        custom.issuer = vec!["https://café.test".into()];
        custom.audience = vec!["api://données".into()];
        custom.roles = vec!["admin".into(), "FILE.READ".into()];
        custom.scopes = vec!["lire".into()];
        custom
    };
    let verifier = verifier_with(policy);
    let make = |iss: &str, aud: &str, roles: Value, scp: &str| {
        sign_eddsa(
            &eddsa_header(),
            &claims_with(|c| {
                c.insert("iss".into(), json!(iss));
                c.insert("aud".into(), json!(aud));
                c.insert("roles".into(), roles);
                c.insert("scp".into(), json!(scp));
            }),
        )
    };
    let (nfc_iss, nfc_aud) = ("https://café.test", "api://données");
    let good = make(nfc_iss, nfc_aud, json!(["admin", "FILE.READ"]), "lire");
    let (exp, roles_escaped) = (now() + 600, r#"["\u0061dmin","FILE.READ"]"#);
    let rows = vec![
        row("nfc everywhere", good.clone(), OK),
        row(
            "iss in nfd",
            make(
                "https://cafe\u{301}.test",
                nfc_aud,
                json!(["admin", "FILE.READ"]),
                "lire",
            ),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "iss with a zero-width joiner",
            make(
                "https://caf\u{200d}é.test",
                nfc_aud,
                json!(["admin", "FILE.READ"]),
                "lire",
            ),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "aud in nfd",
            make(
                nfc_iss,
                "api://donne\u{301}es",
                json!(["admin", "FILE.READ"]),
                "lire",
            ),
            no("ERR_AUDIENCE_INVALID"),
        ),
        row(
            "aud fullwidth",
            make(
                nfc_iss,
                "api://ｄonnées",
                json!(["admin", "FILE.READ"]),
                "lire",
            ),
            no("ERR_AUDIENCE_INVALID"),
        ),
        row(
            "role with a Cyrillic a",
            make(
                nfc_iss,
                nfc_aud,
                json!(["\u{430}dmin", "FILE.READ"]),
                "lire",
            ),
            no("ERR_ROLE_MISSING"),
        ),
        row(
            "role lower-cased",
            make(nfc_iss, nfc_aud, json!(["admin", "file.read"]), "lire"),
            no("ERR_ROLE_MISSING"),
        ),
        row(
            "role with a dotless i",
            make(nfc_iss, nfc_aud, json!(["admin", "FİLE.READ"]), "lire"),
            no("ERR_ROLE_MISSING"),
        ),
        row(
            "scope with a zero-width joiner",
            make(
                nfc_iss,
                nfc_aud,
                json!(["admin", "FILE.READ"]),
                "li\u{200d}re",
            ),
            no("ERR_SCOPE_MISSING"),
        ),
        row(
            "role as a json escape",
            eddsa_payload(&format!(
                r#"{{"iss":"{nfc_iss}","aud":"{nfc_aud}","exp":{exp},"roles":{roles_escaped},"scp":"lire"}}"#
            )),
            OK,
        ),
    ];
    check("F07", &verifier, &good, rows);
}

/// F08: roles and scopes have exact shapes: roles an array of strings, scopes
/// split on U+0020 only.
#[test]
fn f08_roles_and_scopes_shapes() {
    let verifier = verifier_with({
        let mut custom = policy();
        custom.roles = vec!["admin".into()];
        custom.scopes = vec!["admin".into()];
        custom
    });
    let with = |roles: Value, scope_claim: &'static str, scopes: Value| {
        eddsa_claims(|c| {
            c.remove("scp");
            c.insert("roles".into(), roles);
            c.insert(scope_claim.into(), scopes);
        })
    };
    let good = with(json!(["admin"]), "scp", json!("read admin"));
    let (iss, aud, exp) = (issuer(), audience(), now() + 600);
    let rows = vec![
        row("good", good.clone(), OK),
        row(
            "scope claim",
            with(json!(["admin"]), "scope", json!("read admin")),
            OK,
        ),
        row(
            "scp array",
            with(json!(["admin"]), "scp", json!(["read", "admin"])),
            OK,
        ),
        row(
            "roles a string",
            with(json!("superadmin"), "scp", json!("admin")),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "roles null",
            with(json!(null), "scp", json!("admin")),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "roles [1]",
            with(json!([1]), "scp", json!("admin")),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "roles [superadmin]",
            with(json!(["superadmin"]), "scp", json!("admin")),
            no("ERR_ROLE_MISSING"),
        ),
        row(
            "scope split on nbsp",
            with(json!(["admin"]), "scp", json!("read\u{a0}admin")),
            no("ERR_SCOPE_MISSING"),
        ),
        row(
            "scope split on tab",
            with(json!(["admin"]), "scp", json!("read\tadmin")),
            no("ERR_SCOPE_MISSING"),
        ),
        row(
            "scope split on newline",
            with(json!(["admin"]), "scp", json!("read\nadmin")),
            no("ERR_SCOPE_MISSING"),
        ),
        row(
            "scope a substring",
            with(json!(["admin"]), "scp", json!("superadmin")),
            no("ERR_SCOPE_MISSING"),
        ),
        row(
            "scope claim as an array",
            with(json!(["admin"]), "scope", json!(["admin"])),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "scp a number",
            with(json!(["admin"]), "scp", json!(1)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "roles twice",
            eddsa_payload(&format!(
                r#"{{"iss":"{iss}","aud":"{aud}","exp":{exp},"roles":["user"],"roles":["admin"],"scp":"admin"}}"#
            )),
            no("ERR_TOKEN_MALFORMED"),
        ),
    ];
    check("F08", &verifier, &good, rows);
}

/// F10: the clock is an argument; boundaries are exact.
#[test]
fn f10_clock_boundaries() {
    let n = now();
    let exact = verifier_with({
        let mut custom = policy();
        custom.clock_tolerance = 0;
        custom
    });
    let rows = vec![
        row("exp = now + 1", claim("exp", json!(n + 1)), OK),
        row("exp = now", claim("exp", json!(n)), no("ERR_TOKEN_EXPIRED")),
        row("nbf = now", claim("nbf", json!(n)), OK),
        row(
            "nbf = now + 1",
            claim("nbf", json!(n + 1)),
            no("ERR_TOKEN_NOT_YET_VALID"),
        ),
        row("iat = now", claim("iat", json!(n)), OK),
        row(
            "iat = now + 1",
            claim("iat", json!(n + 1)),
            no("ERR_TOKEN_NOT_YET_VALID"),
        ),
    ];
    check("F10", &exact, &jose_token("EdDSA"), rows);
    let lenient = verifier_with(policy());
    let rows = vec![
        row("nbf = now + tolerance", claim("nbf", json!(n + 60)), OK),
        row(
            "nbf = now + tolerance + 1",
            claim("nbf", json!(n + 61)),
            no("ERR_TOKEN_NOT_YET_VALID"),
        ),
        row("exp = now - tolerance + 1", claim("exp", json!(n - 59)), OK),
        row(
            "exp = now - tolerance",
            claim("exp", json!(n - 60)),
            no("ERR_TOKEN_EXPIRED"),
        ),
    ];
    check("F10 (60 s)", &lenient, &jose_token("EdDSA"), rows);
    // The same token, one verifier, two clocks.
    let token = jose_token("EdDSA");
    assert!(lenient.verify(&token, n).is_ok());
    assert_eq!(
        lenient.verify(&token, n + 3600 + 60).unwrap_err().code(),
        "ERR_TOKEN_EXPIRED"
    );
    assert_eq!(
        lenient.verify(&token, n - 60 - 61).unwrap_err().code(),
        "ERR_TOKEN_NOT_YET_VALID"
    );
}

/// F11: a token bound to a key or certificate (`cnf`) is never accepted as
/// a plain bearer token; `verify` refuses it whatever the binding says
/// (the presented forms are tested in tests/binding.rs).
#[test]
fn f11_cnf_is_not_a_bearer_token() {
    let cnf = |value: Value| claim("cnf", value);
    fixture_check(
        "F11",
        vec![
            row(
                "cnf jkt",
                cnf(json!({"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"})),
                no("ERR_TOKEN_BOUND"),
            ),
            row(
                "cnf x5t#S256",
                cnf(json!({"x5t#S256": "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"})),
                no("ERR_TOKEN_BOUND"),
            ),
            row("cnf empty", cnf(json!({})), no("ERR_TOKEN_BOUND")),
            row("cnf null", cnf(Value::Null), no("ERR_TOKEN_BOUND")),
            row("cnf a string", cnf(json!("x")), no("ERR_TOKEN_BOUND")),
        ],
    );
}

/// The Cognito table: tokens shaped after AWS's documented examples, signed
/// by jose (`tests/fixtures/make-cognito-fixtures.mjs` from
/// `tests/fixtures/cognito.mjs`), with the policies the `cognito()` preset
/// writes (tests/js/cognito.test.mjs checks that it writes exactly these).
fn cognito_fixtures() -> Value {
    serde_json::from_str(include_str!("../fixtures/cognito-signed.json")).unwrap()
}

/// F12: a token without `aud` is accepted only under a policy that says
/// where else its audience is (`audienceClaim: "client_id"`, AWS Cognito
/// access tokens), and `aud` never stands in for a missing `client_id`; a
/// Cognito ID token never passes as an access token nor the reverse
/// (`token_use`); roles are read from the claim the policy names.
#[test]
fn f12_audience_claim_and_token_use() {
    let fixtures = cognito_fixtures();
    assert_eq!(fixtures["now"].as_i64(), Some(now()));
    let rows = fixtures["rows"].as_array().unwrap();
    for kind in ["access", "id"] {
        let policy = Policy::from_json(&fixtures["policies"][kind].to_string()).unwrap();
        let verifier = verifier_with(policy);
        let mine: Vec<&Value> = rows.iter().filter(|r| r["verifier"] == kind).collect();
        let good = mine
            .iter()
            .find(|r| r["want"].is_null())
            .and_then(|r| r["token"].as_str())
            .unwrap();
        let table = mine
            .iter()
            .map(|r| {
                let want = r["want"]
                    .as_str()
                    .map(|code| &*String::leak(code.to_owned()));
                row(
                    r["name"].as_str().unwrap(),
                    r["token"].as_str().unwrap(),
                    want,
                )
            })
            .collect();
        check(&format!("F12 ({kind} preset)"), &verifier, good, table);
    }

    // The same rules on the fixtures' own token shape: under
    // audienceClaim client_id, `aud` is not read at all.
    let by_client_id = verifier_with({
        let mut custom = policy();
        custom.audience_claim = jwtguard::AudienceClaim::ClientId;
        custom.audience = vec!["client-app-1".into()];
        custom
    });
    let with_client_id = |value: Value| {
        eddsa_claims(|c| {
            c.insert("client_id".into(), value);
        })
    };
    let rows = vec![
        row(
            "aud only (the fixtures' token)",
            jose_token("EdDSA"),
            no("ERR_CLAIM_MISSING"),
        ),
        row(
            "client_id another client",
            with_client_id(json!("client-app-2")),
            no("ERR_AUDIENCE_INVALID"),
        ),
        row(
            "client_id empty",
            with_client_id(json!("")),
            no("ERR_AUDIENCE_INVALID"),
        ),
        row(
            "client_id a number",
            with_client_id(json!(1)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "client_id null",
            with_client_id(Value::Null),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "client_id upper case",
            with_client_id(json!("CLIENT-APP-1")),
            no("ERR_AUDIENCE_INVALID"),
        ),
    ];
    for each in rows {
        let got = by_client_id
            .verify(&each.token, now())
            .err()
            .map(|e| e.code());
        assert_eq!(got, each.want, "F12 {}", each.name);
    }

    // requirePermission reads the roles claim the policy names: `roles`
    // does not count when the roles are `cognito:groups`.
    let groups_as_roles = verifier_with({
        let mut custom = policy();
        custom.roles_claim = "cognito:groups".into();
        custom.require_permission = true;
        custom
    });
    let no_scopes = |groups: Option<Value>| {
        eddsa_claims(|c| {
            c.remove("scp");
            if let Some(groups) = groups {
                c.insert("cognito:groups".into(), groups);
            }
        })
    };
    for (name, token, want) in [
        (
            "roles only",
            no_scopes(None),
            Some("ERR_PERMISSION_MISSING"),
        ),
        ("cognito:groups", no_scopes(Some(json!(["admins"]))), None),
        (
            "cognito:groups empty",
            no_scopes(Some(json!([]))),
            Some("ERR_PERMISSION_MISSING"),
        ),
        (
            "cognito:groups a string",
            no_scopes(Some(json!("admins"))),
            Some("ERR_CLAIM_INVALID"),
        ),
    ] {
        let got = groups_as_roles
            .verify(&token, now())
            .err()
            .map(|e| e.code());
        assert_eq!(got, want, "F12 requirePermission: {name}");
    }
}

/// F13: a written policy member holds a value. `null` (what JavaScript's
/// encoder makes of `NaN` and `Infinity`), negatives, fractions, strings and
/// booleans are refused for every whole-number member, so no value turns a
/// check such as `maxTokenAge` off; the same policy with a number verifies.
#[test]
fn f13_no_value_switches_a_check_off() {
    let base = format!(
        r#""issuer":{},"audience":{}"#,
        json!(issuer()),
        json!(audience())
    );
    for &member in Policy::WHOLE_NUMBER_MEMBERS {
        for value in ["null", "-1", "1.5", "1e999", r#""60""#, "true", "{}"] {
            let error = Policy::from_json(&format!("{{{base},\"{member}\":{value}}}"))
                .expect_err(&format!("{member}: {value}"));
            assert_eq!(error.code(), "ERR_POLICY_INVALID", "{member}: {value}");
        }
    }
    // With a number, maxTokenAge is enforced: a token issued an hour ago is too old for 60 s.
    let capped =
        verifier_with(Policy::from_json(&format!("{{{base},\"maxTokenAge\":60}}")).unwrap());
    check(
        "F13",
        &capped,
        &jose_token("EdDSA"),
        vec![row(
            "iat an hour ago",
            claim("iat", json!(now() - 3600)),
            no("ERR_TOKEN_TOO_OLD"),
        )],
    );
}

/// F15: step-up claims (RFC 9470): `acr` of the wrong type, `auth_time` in
/// the future or not a NumericDate. Each is refused as invalid, never read
/// as "no level" or "signed in just now"; a missing one asks for a new
/// sign-in.
#[test]
fn f15_step_up_claims() {
    let n = now();
    let verifier = verifier_with({
        let mut custom = policy();
        custom.acr_values = vec!["urn:mfa".into()];
        custom.max_auth_age = Some(300);
        custom
    });
    let with = |acr: Value, auth_time: Value| {
        eddsa_claims(|c| {
            c.insert("acr".into(), acr);
            c.insert("auth_time".into(), auth_time);
        })
    };
    let good = with(json!("urn:mfa"), json!(n - 10));
    let rows = vec![
        row("good", good.clone(), OK),
        row(
            "acr a number",
            with(json!(1), json!(n - 10)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acr an array holding the accepted value",
            with(json!(["urn:mfa"]), json!(n - 10)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acr an object",
            with(json!({"value": "urn:mfa"}), json!(n - 10)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acr null",
            with(Value::Null, json!(n - 10)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acr a case variant",
            with(json!("URN:MFA"), json!(n - 10)),
            no("ERR_AUTH_LEVEL_INSUFFICIENT"),
        ),
        row(
            "acr absent",
            eddsa_claims(|c| {
                c.insert("auth_time".into(), json!(n - 10));
            }),
            no("ERR_AUTH_LEVEL_INSUFFICIENT"),
        ),
        row(
            "auth_time in the future",
            with(json!("urn:mfa"), json!(n + 3600)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "auth_time a numeric string",
            with(json!("urn:mfa"), json!(format!("{n}"))),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "auth_time negative",
            with(json!("urn:mfa"), json!(-1)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "auth_time beyond the NumericDate range",
            with(json!("urn:mfa"), json!(1e300)),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "auth_time null",
            with(json!("urn:mfa"), Value::Null),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "auth_time too old",
            with(json!("urn:mfa"), json!(n - 361)),
            no("ERR_AUTH_TOO_OLD"),
        ),
        row(
            "auth_time absent",
            eddsa_claims(|c| {
                c.insert("acr".into(), json!("urn:mfa"));
            }),
            no("ERR_AUTH_TOO_OLD"),
        ),
    ];
    check("F15", &verifier, &good, rows);
}

/// F16: Entra authentication context: `acrs` of the wrong shape, and a
/// client capability (`xms_cc`) claimed to turn a refusal into anything
/// else. `xms_cc` only decides whether the refusal carries a claims
/// challenge (401) or not (403); no value of it gets a token accepted, and a
/// forged one breaks the signature.
#[test]
fn f16_auth_context_claims() {
    let verifier = verifier_with({
        let mut custom = policy();
        custom.auth_context = vec!["c1".into()];
        custom
    });
    let with = |edit: Value| {
        eddsa_claims(|c| {
            for (name, value) in edit.as_object().unwrap() {
                c.insert(name.clone(), value.clone());
            }
        })
    };
    let good = with(json!({"acrs": ["c1"]}));
    let mut rows = vec![
        row("good", good.clone(), OK),
        row(
            "acrs a string",
            with(json!({"acrs": "c1"})),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acrs an object",
            with(json!({"acrs": {"c1": true}})),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acrs holding a number",
            with(json!({"acrs": [1]})),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acrs null",
            with(json!({"acrs": null})),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "acrs a case variant",
            with(json!({"acrs": ["C1"]})),
            no("ERR_AUTH_CONTEXT_MISSING"),
        ),
        row(
            "acrs absent",
            with(json!({})),
            no("ERR_AUTH_CONTEXT_MISSING"),
        ),
        row(
            "xms_cc not an array",
            with(json!({"xms_cc": "cp1"})),
            no("ERR_CLAIM_INVALID"),
        ),
    ];
    for xms_cc in [
        json!(["cp1"]),
        json!(["cp1", "cp1"]),
        json!(["CP1"]),
        json!([]),
        json!(["c1"]),
    ] {
        rows.push(row(
            format!("xms_cc {xms_cc}"),
            with(json!({ "xms_cc": xms_cc, "acrs": ["c2"] })),
            no("ERR_AUTH_CONTEXT_MISSING"),
        ));
    }
    // A signed token without cp1, its payload edited to claim cp1: the
    // signature no longer verifies.
    let signed = with(json!({"xms_cc": ["cp2"]}));
    let parts: Vec<&str> = signed.split('.').collect();
    let mut payload: Value = serde_json::from_slice(&unb64(parts[1])).unwrap();
    payload["xms_cc"] = json!(["cp1"]);
    payload["acrs"] = json!(["c1"]);
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64(payload.to_string().as_bytes()),
        parts[2]
    );
    rows.push(row(
        "xms_cc and acrs added to a signed payload",
        forged,
        no("ERR_SIGNATURE_INVALID"),
    ));
    check("F16", &verifier, &good, rows);
}
