//! G. The core's share of the host-layer class: Entra ID's multi-tenant
//! issuer template (G06). G01–G05 and G07 belong to the host layer
//! (tests/deviations.json).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use serde_json::{Value, json};

use crate::common::*;
use crate::*;

const TEMPLATE: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
const ATTACKER_TID: &str = "00000000-0000-0000-0000-0000000000aa";

fn entra(tid: Value, iss: &str) -> String {
    eddsa_claims(|c| {
        c.insert("tid".into(), tid);
        c.insert("iss".into(), json!(iss));
    })
}

fn v2(tid: &str) -> String {
    format!("https://login.microsoftonline.com/{tid}/v2.0")
}

/// G06: `{tenantid}` is filled only by a GUID `tid` and the whole issuer is
/// compared exactly; the `tenants` option is the allow-list, and "any
/// tenant" must be written out (`"*"`).
#[test]
fn g06_entra_multi_tenant() {
    // (a) A template issuer without tenants is not a policy: it would accept
    // every Entra tenant's tokens.
    for tenants in [
        vec![],
        vec!["*".into(), TENANT.into()],
        vec!["common".into()],
    ] {
        let error = {
            let mut custom = policy();
            custom.issuer = vec![TEMPLATE.into()];
            custom.tenants = tenants.clone();
            custom
        }
        .check()
        .unwrap_err();
        assert_eq!(error.code(), "ERR_POLICY_INVALID", "G06 (a) {tenants:?}");
        assert_eq!(error.claim_name(), Some("tenants"), "G06 (a) {tenants:?}");
    }
    let any_tenant = verifier_with({
        let mut custom = policy();
        custom.issuer = vec![TEMPLATE.into()];
        custom.tenants = vec![jwtguard::ANY_TENANT.into()];
        custom
    });
    let good = entra(json!(TENANT), &v2(TENANT));
    let rows = vec![
        row("own tenant", good.clone(), OK),
        // (a) Any tenant, written out ("*"), accepts another tenant's token.
        row(
            "(a) attacker's tenant, tenants \"*\"",
            entra(json!(ATTACKER_TID), &v2(ATTACKER_TID)),
            OK,
        ),
        row(
            "(b) iss tenant differs from tid",
            entra(json!(ATTACKER_TID), &v2(TENANT)),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(c) tid common",
            entra(json!("common"), &v2("common")),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(c) tid ../x",
            entra(json!("../x"), &v2("../x")),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(c) tid {tenantid}",
            entra(json!("{tenantid}"), TEMPLATE),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(c) tid empty",
            entra(json!(""), &v2("")),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(c) tid 123",
            entra(json!(123), &v2("123")),
            no("ERR_CLAIM_INVALID"),
        ),
        row(
            "(c) tid missing",
            eddsa_claims(|c| {
                c.remove("tid");
                c.insert("iss".into(), json!(v2(TENANT)));
            }),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(d) iss is the template itself",
            entra(json!(TENANT), TEMPLATE),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(e) v1 issuer when only v2 is configured",
            entra(json!(TENANT), &format!("https://sts.windows.net/{TENANT}/")),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(f) another cloud",
            entra(
                json!(TENANT),
                &format!("https://login.microsoftonline.us/{TENANT}/v2.0"),
            ),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "(g) lookalike host",
            entra(
                json!(TENANT),
                &format!("https://login.microsoftonline.com.evil.example/{TENANT}/v2.0"),
            ),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "upper-case tid",
            entra(json!(TENANT.to_uppercase()), &v2(TENANT)),
            no("ERR_ISSUER_INVALID"),
        ),
    ];
    check("G06", &any_tenant, &good, rows);
    // With the allow-list, another tenant's token is refused.
    let one_tenant = verifier_with({
        let mut custom = policy();
        custom.issuer = vec![TEMPLATE.into()];
        custom.tenants = vec![TENANT.into()];
        custom
    });
    check(
        "G06 (tenants)",
        &one_tenant,
        &good,
        vec![
            row("own tenant", good.clone(), OK),
            row(
                "(a) attacker's tenant",
                entra(json!(ATTACKER_TID), &v2(ATTACKER_TID)),
                no("ERR_TENANT_NOT_ALLOWED"),
            ),
        ],
    );
    // (h) The JWK's own issuer disagrees with the token's after substitution:
    // tests/keys.rs entra_key_issuer_binds_the_token_issuer.
}
