//! Prints the facts the host layer shares with the core, as JSON, for the
//! build only: `scripts/build-wasm.sh` runs this natively and writes
//! `pkg/facts.js` (and `pkg/facts.json`, which the tests read) from its
//! output. The wasm does not carry them: their documentation text (every
//! error's, limit's and check's) would be about 15 KB of the gzipped wasm
//! that no verification reads. An example of the core rather than a crate of
//! its own, so that it is built with the dependency features `cargo test`
//! uses, and `make test` compiles those dependencies once, not twice.

use jwtguard::{
    ANY_TENANT, Algorithm, CHECKS, DEFAULT_CLOCK_TOLERANCE, ENTRA_CLOUDS, ErrorKind, Policy,
    TENANT_PLACEHOLDER, header_rules, limits,
};

/// The facts the host layer shares with the core, as JSON text, so the JS
/// layer keeps no copy of a code, message, policy member or limit.
fn core_facts() -> String {
    let errors: Vec<[&str; 3]> = ErrorKind::ALL
        .iter()
        .map(|kind| [kind.code(), kind.message(), kind.about().trim()])
        .collect();
    serde_json::json!({
        "errors": errors,
        "algorithms": Algorithm::all().map(Algorithm::name).collect::<Vec<_>>(),
        "algorithmFamilies": Algorithm::all()
            .map(|alg| serde_json::json!({
                "alg": alg.name(),
                "family": alg.family().name(),
                "feature": alg.feature(),
                "delegable": alg.family().delegable(),
            }))
            .collect::<Vec<_>>(),
        "policyDefaults": Policy::defaults()
            .into_iter()
            .map(|(member, value)| (member.to_owned(), value))
            .collect::<serde_json::Map<String, serde_json::Value>>(),
        "requiredMembers": Policy::REQUIRED_MEMBERS,
        "policyBounds": Policy::BOUNDS
            .iter()
            .map(|bound| serde_json::json!({
                "member": bound.member,
                "least": bound.least,
                "greatest": bound.greatest,
                "unit": bound.unit,
            }))
            .collect::<Vec<_>>(),
        "limits": limits::ALL
            .iter()
            .map(|limit| serde_json::json!({
                "name": limit.name,
                "value": limit.value,
                "unit": limit.unit,
                "reason": limit.reason.trim(),
            }))
            .collect::<Vec<_>>(),
        "checks": CHECKS
            .iter()
            .map(|check| serde_json::json!({
                "id": check.id,
                "title": check.title,
                "codes": check.codes.iter().map(|kind| kind.code()).collect::<Vec<_>>(),
                "claims": check.claims,
            }))
            .collect::<Vec<_>>(),
        "headerRules": header_rules()
            .iter()
            .map(|rule| serde_json::json!({
                "member": rule.member,
                "code": rule.code.code(),
                "rule": rule.rule,
            }))
            .collect::<Vec<_>>(),
        "policyMembers": Policy::MEMBERS,
        "wholeNumberMembers": Policy::WHOLE_NUMBER_MEMBERS,
        "defaultMaxTokenSize": limits::DEFAULT_MAX_TOKEN_SIZE,
        "defaultClockTolerance": DEFAULT_CLOCK_TOLERANCE,
        "maxJwksSize": limits::MAX_JWKS_SIZE,
        "maxIntrospectionResponseSize": limits::MAX_INTROSPECTION_RESPONSE_SIZE,
        "defaultIntrospectionMaxAge": limits::DEFAULT_INTROSPECTION_MAX_AGE,
        "introspectionTyp": jwtguard::INTROSPECTION_TYP,
        "maxTokenSizeCeiling": limits::MAX_TOKEN_SIZE_CEILING,
        "maxNumericDate": limits::MAX_NUMERIC_DATE,
        "maxDpopNonceLen": limits::MAX_DPOP_NONCE_LEN,
        "tenantPlaceholder": TENANT_PLACEHOLDER,
        "entraClouds": ENTRA_CLOUDS
            .iter()
            .map(|cloud| {
                let hosts = serde_json::json!({ "login": cloud.login, "v2": cloud.v2, "v1": cloud.v1 });
                (cloud.name.to_owned(), hosts)
            })
            .collect::<serde_json::Map<String, serde_json::Value>>(),
        "anyTenant": ANY_TENANT,
    })
    .to_string()
}

fn main() {
    println!("{}", core_facts());
}
