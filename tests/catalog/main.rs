//! The attack catalog (ids A01–H05, I01–I06 and R01–R12, one test or host entry each; `docs/attack-catalog.md`
//! describes each case, the required behaviour and its sources) as tests.
//!
//! One module per class; every test is named after its catalog id and runs a
//! table of tokens through a verifier, each row naming the error code it must
//! get (or that it must be accepted). The harness also checks, after every
//! rejection, that the same verifier instance still verifies a good token and
//! that the error message carries neither token bytes nor key material.
//!
//! Cases that belong to the host layer, or that the product deliberately
//! handles differently, are listed with their reason in `tests/deviations.json`;
//! [`every_catalog_id_is_accounted_for`] fails if an id has neither a test
//! here (or a named test elsewhere) nor an entry there.
//!
//! The weaknesses of `jsonwebtoken` 11.1.0 that the issue lists, and the test
//! that fails when the product's own check is removed:
//!
//! | weakness | test |
//! |---|---|
//! | short Ed25519 `x` panics | `e08_ed25519_key_encodings` (and `tests/keys.rs` admission table) |
//! | small-order Ed25519 keys verify forgeries | `e08_small_order_keys_are_refused`, `e08_small_order_r_is_refused_by_strict_verification` |
//! | PS256/384/512 accept `s + n` | `tests/keys.rs::rsa_signatures_plus_the_modulus_are_rejected` |
//! | `crit` ignored | `c01_crit_is_always_rejected` |
//! | `iss`/`aud` pass when absent or mistyped | `f04_issuer`, `f05_audience` |
//! | `nbf` off by default | `f02_not_before` |
//! | JWK `alg`/`use`/`key_ops`/`crv` ignored | `a03_key_alg_binds_the_token_alg`, `b05_key_use_and_operations`, `b06_key_type_curve_and_size` |
//! | `oct` keys from a JWKS become HMAC keys | `a06_symmetric_keys_in_a_key_set` |
//! | a JSON array payload is read positionally | `d04_payload_is_not_an_object` |
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../common/mod.rs"]
mod common;

mod a_algorithms;
mod b_keys;
mod c_header;
mod d_encoding;
mod e_signatures;
mod f_claims;
mod f_dpop;
mod g_entra;
mod h_resources;
mod i_introspection;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use jwtguard::{KeySet, Policy, Verifier};
use serde_json::{Map, Value, json};

/// One row: a token and what must happen to it.
pub struct Row {
    name: String,
    token: String,
    /// `None`: accepted. `Some(code)`: rejected with that code.
    want: Option<&'static str>,
}

/// A row: a named token and its expected outcome.
pub fn row(name: impl Into<String>, token: impl Into<String>, want: Option<&'static str>) -> Row {
    Row {
        name: name.into(),
        token: token.into(),
        want,
    }
}

/// Accepted.
pub const OK: Option<&str> = None;

/// Rejected with `code`.
pub fn no(code: &'static str) -> Option<&'static str> {
    Some(code)
}

/// Every long string of the fixtures' keys (public and private members): no
/// error message may contain one.
fn key_material() -> Vec<String> {
    let mut out = Vec::new();
    let mut collect = |value: &Value| {
        if let Some(members) = value.as_object() {
            for v in members.values() {
                if let Some(s) = v.as_str().filter(|s| s.len() >= 16) {
                    out.push(s.to_owned());
                }
            }
        }
    };
    for key in fixtures()["jwks"]["keys"].as_array().unwrap() {
        collect(key);
    }
    for key in fixtures()["privateKeys"].as_object().unwrap().values() {
        collect(key);
    }
    out
}

/// Runs `rows` against `verifier` at `now()`. After each rejection, `good`
/// must still verify on the same instance, and the message must not echo a
/// token segment or any key material.
pub fn check(id: &str, verifier: &Verifier, good: &str, rows: Vec<Row>) {
    let material = key_material();
    let mut failures = Vec::new();
    assert!(!rows.is_empty(), "{id}: no rows");
    for row in rows {
        let result = verifier.verify(&row.token, now());
        let got = result.as_ref().err().map(|e| e.code());
        if got != row.want {
            failures.push(format!(
                "{id} {}: want {:?}, got {:?} ({})",
                row.name,
                row.want.unwrap_or("accepted"),
                got.unwrap_or("accepted"),
                result
                    .as_ref()
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default()
            ));
        }
        if let Err(error) = result {
            let message = error.to_string();
            for segment in row.token.split('.').filter(|s| s.len() >= 16) {
                if message.contains(segment) {
                    failures.push(format!("{id} {}: the error echoes token bytes", row.name));
                }
            }
            if material.iter().any(|m| message.contains(m.as_str())) {
                failures.push(format!("{id} {}: the error echoes key material", row.name));
            }
            if let Err(e) = verifier.verify(good, now()) {
                failures.push(format!("{id} {}: the verifier broke: {e}", row.name));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The fixtures' verifier and a good token for it.
pub fn fixture_check(id: &str, rows: Vec<Row>) {
    check(id, &verifier(), &jose_token("EdDSA"), rows);
}

/// A verifier with `policy` over the fixtures' key set.
pub fn verifier_with(policy: Policy) -> Verifier {
    Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap()
}

/// A verifier over a key set of the given JWKs.
pub fn verifier_of(keys: &[Value]) -> Verifier {
    Verifier::new(
        policy(),
        KeySet::from_jwks(&json!({ "keys": keys }).to_string()).unwrap(),
    )
    .unwrap()
}

/// The good claims, edited.
pub fn claims_with(edit: impl FnOnce(&mut Map<String, Value>)) -> Value {
    let mut claims = good_claims();
    edit(claims.as_object_mut().unwrap());
    claims
}

/// An EdDSA token with the good claims edited.
pub fn eddsa_claims(edit: impl FnOnce(&mut Map<String, Value>)) -> String {
    sign_eddsa(&eddsa_header(), &claims_with(edit))
}

/// An EdDSA token with the default header edited.
pub fn eddsa_header_with(edit: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut header = eddsa_header();
    edit(header.as_object_mut().unwrap());
    sign_eddsa(&header, &good_claims())
}

/// An EdDSA token over raw payload text (for JSON the serializer would not write).
pub fn eddsa_payload(payload: &str) -> String {
    sign_eddsa_raw(eddsa_header().to_string().as_bytes(), payload.as_bytes())
}

/// Every catalog id.
const CATALOG: &[&str] = &[
    "A01", "A02", "A03", "A04", "A05", "A06", "A07", //
    "B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B09", //
    "C01", "C02", "C03", "C04", "C05", "C06", //
    "D01", "D02", "D03", "D04", "D05", "D06", "D07", //
    "E01", "E02", "E03", "E04", "E05", "E06", "E07", "E08", "E09", "E10", //
    "F01", "F02", "F03", "F04", "F05", "F06", "F07", "F08", "F09", "F10", "F11", "F12", "F13",
    "F14", "F15", "F16", "F17", //
    "G01", "G02", "G03", "G04", "G05", "G06", "G07", "G08", //
    "H01", "H02", "H03", "H04", "H05", //
    "I01", "I02", "I03", "I04", "I05", "I06", //
    "R01", "R02", "R03", "R04", "R05", "R06", "R07", "R08", "R09", "R10", "R11", "R12",
];

/// Test sources that may name a catalog id, as `(path, text)`.
const SOURCES: &[(&str, &str)] = &[
    (
        "tests/catalog/a_algorithms.rs",
        include_str!("a_algorithms.rs"),
    ),
    ("tests/catalog/b_keys.rs", include_str!("b_keys.rs")),
    ("tests/catalog/c_header.rs", include_str!("c_header.rs")),
    ("tests/catalog/d_encoding.rs", include_str!("d_encoding.rs")),
    (
        "tests/catalog/e_signatures.rs",
        include_str!("e_signatures.rs"),
    ),
    ("tests/catalog/f_claims.rs", include_str!("f_claims.rs")),
    ("tests/catalog/f_dpop.rs", include_str!("f_dpop.rs")),
    ("tests/catalog/g_entra.rs", include_str!("g_entra.rs")),
    (
        "tests/catalog/h_resources.rs",
        include_str!("h_resources.rs"),
    ),
    (
        "tests/catalog/i_introspection.rs",
        include_str!("i_introspection.rs"),
    ),
    ("tests/keys.rs", include_str!("../keys.rs")),
    ("tests/checks.rs", include_str!("../checks.rs")),
    (
        "src/wycheproof_tests.rs",
        include_str!("../../src/wycheproof_tests.rs"),
    ),
    (
        "tests/js/catalog.test.mjs",
        include_str!("../js/catalog.test.mjs"),
    ),
    (
        "tests/js/remote/introspection.test.mjs",
        include_str!("../js/remote/introspection.test.mjs"),
    ),
];

fn deviations() -> Value {
    serde_json::from_str(include_str!("../deviations.json")).unwrap()
}

/// Whether a test named `<id>_…` (Rust), titled `<ID> …` or a table row
/// `['<ID>', …` (JS) exists.
fn has_test(id: &str) -> bool {
    let patterns = [
        format!("fn {}_", id.to_lowercase()),
        format!("test('{id} "),
        format!("['{id}', "),
    ];
    SOURCES
        .iter()
        .any(|(_, text)| patterns.iter().any(|p| text.contains(p.as_str())))
}

#[test]
fn every_catalog_id_is_accounted_for() {
    let doc = deviations();
    let entries = doc["catalog"].as_array().unwrap();
    let mut missing = Vec::new();
    for id in CATALOG {
        let listed = entries.iter().any(|e| e["id"] == *id);
        let covered = doc["coveredElsewhere"][*id].as_str();
        if let Some(reference) = covered {
            // "path::test_name": the named test must exist in that file.
            let (path, name) = reference.split_once("::").unwrap();
            let (_, text) = SOURCES.iter().find(|(p, _)| *p == path).unwrap();
            assert!(
                text.contains(&format!("fn {name}(")),
                "{id}: {reference} not found"
            );
        }
        if !(has_test(id) || covered.is_some() || listed) {
            missing.push(*id);
        }
    }
    assert!(
        missing.is_empty(),
        "catalog ids with no test and no listed reason: {missing:?}"
    );
    for entry in entries {
        let id = entry["id"].as_str().unwrap();
        assert!(CATALOG.contains(&id), "unknown catalog id {id}");
        let kind = entry["kind"].as_str().unwrap();
        assert!(
            ["host", "deviation", "review", "not-applicable"].contains(&kind),
            "{id}: unknown kind {kind}"
        );
        assert!(
            entry["reason"].as_str().unwrap().len() > 30,
            "{id}: give a reason"
        );
        if kind == "deviation" {
            // What the core does instead is pinned by a test.
            assert!(
                has_test(id) || doc["coveredElsewhere"][id].is_string(),
                "{id}: a deviation is still tested"
            );
        }
    }
}

/// `docs/attack-catalog.md` has one table row per catalog id, in catalog
/// order, and no row for an id the tests do not know: the document that
/// comments and `tests/deviations.json` cite stays in step with the tests.
#[test]
fn every_catalog_id_is_documented() {
    let doc = include_str!("../../docs/attack-catalog.md");
    let rows: Vec<&str> = doc
        .lines()
        .filter_map(|line| line.strip_prefix("| "))
        .filter_map(|rest| rest.split_once(" |").map(|(id, _)| id))
        .filter(|id| {
            id.len() == 3
                && id.starts_with(|c: char| c.is_ascii_uppercase())
                && id[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    assert_eq!(rows, CATALOG, "docs/attack-catalog.md rows, in order");
}
