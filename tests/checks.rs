//! Every check, table-driven: each row builds a token (signed, so that only
//! the property under test is wrong) and names the error code it must get.
//! Removing any check makes its row fail. The table also proves that every
//! error code the core can produce is produced.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use common::*;
use jwtguard::{ErrorKind, KeySet, Policy, Verifier};
use serde_json::{Value, json};

/// Codes only the JavaScript host produces (fetching keys, reading requests); tested in tests/js and tests/servers.
const HOST_ONLY: [&str; 6] = [
    "ERR_KEYS_NOT_LOADED",
    "ERR_JWKS_FETCH_FAILED",
    "ERR_JWKS_TIMEOUT",
    "ERR_DISCOVERY_INVALID",
    "ERR_INTROSPECTION_FAILED",
    "ERR_REQUEST_INVALID",
];

struct Case {
    name: &'static str,
    token: String,
    policy: Policy,
    /// `None`: accepted. `Some((code, claim))`: rejected with that code.
    want: Option<(&'static str, Option<&'static str>)>,
}

fn claims_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut claims = good_claims();
    edit(claims.as_object_mut().unwrap());
    claims
}

fn signed(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    sign_eddsa(&eddsa_header(), &claims_with(edit))
}

fn header_with(edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> String {
    let mut header = eddsa_header();
    edit(header.as_object_mut().unwrap());
    sign_eddsa(&header, &good_claims())
}

fn policy_with(edit: impl FnOnce(&mut Policy)) -> Policy {
    let mut policy = policy();
    edit(&mut policy);
    policy
}

fn case(
    name: &'static str,
    token: String,
    want: Option<(&'static str, Option<&'static str>)>,
) -> Case {
    Case {
        name,
        token,
        policy: policy(),
        want,
    }
}

fn with_policy(
    name: &'static str,
    token: String,
    policy: Policy,
    want: Option<(&'static str, Option<&'static str>)>,
) -> Case {
    Case {
        name,
        token,
        policy,
        want,
    }
}

fn err(
    code: &'static str,
    claim: Option<&'static str>,
) -> Option<(&'static str, Option<&'static str>)> {
    Some((code, claim))
}

fn cases() -> Vec<Case> {
    let n = now();
    let good = signed(|_| {});
    let template = "https://login.microsoftonline.com/{tenantid}/v2.0".to_owned();
    let entra_iss = format!("https://login.microsoftonline.com/{TENANT}/v2.0");
    vec![
        case("good eddsa token", good.clone(), None),
        case(
            "good es256 token",
            sign_es256(&json!({"alg":"ES256","kid":"es256-key"}), &good_claims()),
            None,
        ),
        // Envelope.
        case(
            "two segments",
            good.rsplit_once('.').unwrap().0.to_owned(),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "four segments",
            format!("{good}.x"),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "padded signature",
            format!("{good}=="),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "empty signature",
            format!("{}.", good.rsplit_once('.').unwrap().0),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "whitespace in token",
            format!(" {good}"),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "header is an array",
            sign_eddsa_raw(b"[\"EdDSA\"]", good_claims().to_string().as_bytes()),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "payload is an array, positional claims",
            sign_eddsa_raw(
                eddsa_header().to_string().as_bytes(),
                format!(
                    "[{},null,\"x\",\"{}\",\"{}\"]",
                    n + 60,
                    issuer(),
                    audience()
                )
                .as_bytes(),
            ),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "duplicate alg in header",
            sign_eddsa_raw(
                br#"{"alg":"EdDSA","alg":"none","kid":"eddsa-key"}"#,
                good_claims().to_string().as_bytes(),
            ),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "duplicate claim",
            sign_eddsa_raw(
                eddsa_header().to_string().as_bytes(),
                format!(
                    r#"{{"iss":"{}","aud":"{}","exp":1,"exp":{}}}"#,
                    issuer(),
                    audience(),
                    n + 60
                )
                .as_bytes(),
            ),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "duplicate nested claim",
            sign_eddsa_raw(
                eddsa_header().to_string().as_bytes(),
                good_claims()
                    .to_string()
                    .replacen('{', r#"{"x":{"a":1,"a":2},"#, 1)
                    .as_bytes(),
            ),
            err("ERR_TOKEN_MALFORMED", None),
        ),
        case(
            "token over 16 KiB",
            signed(|c| {
                c.insert("pad".into(), json!("x".repeat(16 * 1024)));
            }),
            err("ERR_TOKEN_TOO_LARGE", None),
        ),
        with_policy(
            "token under a raised size cap",
            signed(|c| {
                c.insert("pad".into(), json!("x".repeat(16 * 1024)));
            }),
            policy_with(|p| p.max_token_size = 64 * 1024),
            None,
        ),
        // Header.
        case(
            "alg none",
            header_with(|h| {
                h.insert("alg".into(), json!("none"));
            }),
            err("ERR_ALG_NOT_ALLOWED", Some("alg")),
        ),
        case(
            "alg NoNe",
            header_with(|h| {
                h.insert("alg".into(), json!("NoNe"));
            }),
            err("ERR_ALG_NOT_ALLOWED", Some("alg")),
        ),
        case(
            "alg ES512",
            header_with(|h| {
                h.insert("alg".into(), json!("ES512"));
            }),
            err("ERR_ALG_NOT_ALLOWED", Some("alg")),
        ),
        with_policy(
            "alg outside the policy",
            good.clone(),
            policy_with(|p| p.algorithms = vec![jwtguard::Algorithm::RS256]),
            err("ERR_ALG_NOT_ALLOWED", Some("alg")),
        ),
        case(
            "hs256 against a jwks",
            header_with(|h| {
                h.insert("alg".into(), json!("HS256"));
            }),
            err("ERR_KEY_NOT_FOUND", Some("kid")),
        ),
        case(
            "crit",
            header_with(|h| {
                h.insert("crit".into(), json!(["exp"]));
                h.insert("exp".into(), json!(1));
            }),
            err("ERR_CRIT_UNSUPPORTED", Some("crit")),
        ),
        case(
            "b64 false",
            header_with(|h| {
                h.insert("b64".into(), json!(false));
            }),
            err("ERR_HEADER_INVALID", Some("b64")),
        ),
        case(
            "jku",
            header_with(|h| {
                h.insert("jku".into(), json!("https://attacker.example/jwks"));
            }),
            err("ERR_HEADER_INVALID", Some("jku")),
        ),
        case(
            "embedded jwk",
            header_with(|h| {
                h.insert("jwk".into(), json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}));
            }),
            err("ERR_HEADER_INVALID", Some("jwk")),
        ),
        case(
            "kid is a number",
            header_with(|h| {
                h.insert("kid".into(), json!(5));
            }),
            err("ERR_HEADER_INVALID", Some("kid")),
        ),
        case(
            "nonce header (graph token)",
            header_with(|h| {
                h.insert("nonce".into(), json!("AQAB"));
            }),
            err("ERR_FOREIGN_TOKEN", Some("nonce")),
        ),
        with_policy(
            "typ required, JWT given",
            header_with(|h| {
                h.insert("typ".into(), json!("JWT"));
            }),
            policy_with(|p| p.typ = vec!["at+jwt".into()]),
            err("ERR_TYP_INVALID", Some("typ")),
        ),
        with_policy(
            "typ required, none given",
            header_with(|h| {
                h.remove("typ");
            }),
            policy_with(|p| p.typ = vec!["at+jwt".into()]),
            err("ERR_TYP_INVALID", Some("typ")),
        ),
        with_policy(
            "typ application/AT+JWT",
            header_with(|h| {
                h.insert("typ".into(), json!("application/AT+JWT"));
            }),
            policy_with(|p| p.typ = vec!["at+jwt".into()]),
            None,
        ),
        // Keys.
        case(
            "unknown kid",
            header_with(|h| {
                h.insert("kid".into(), json!("nobody"));
            }),
            err("ERR_KEY_NOT_FOUND", Some("kid")),
        ),
        case(
            "kid in another case",
            header_with(|h| {
                h.insert("kid".into(), json!("EDDSA-KEY"));
            }),
            err("ERR_KEY_NOT_FOUND", Some("kid")),
        ),
        case(
            "no kid, one fitting key",
            header_with(|h| {
                h.remove("kid");
            }),
            None,
        ),
        case(
            "kid of a key of another type",
            header_with(|h| {
                h.insert("kid".into(), json!("rs256-key"));
            }),
            err("ERR_KEY_NOT_FOUND", Some("kid")),
        ),
        case(
            "es256 token naming the es384 key",
            sign_es256(&json!({"alg":"ES256","kid":"es384-key"}), &good_claims()),
            err("ERR_KEY_NOT_FOUND", Some("kid")),
        ),
        // Signature.
        case(
            "signature of another payload",
            {
                let other = signed(|c| {
                    c.insert("sub".into(), json!("admin"));
                });
                with_signature(&good, &signature_of(&other))
            },
            err("ERR_SIGNATURE_INVALID", None),
        ),
        case(
            "zero signature",
            with_signature(&good, &[0; 64]),
            err("ERR_SIGNATURE_INVALID", None),
        ),
        case(
            "short signature",
            with_signature(&good, &signature_of(&good)[..63]),
            err("ERR_SIGNATURE_INVALID", None),
        ),
        // Times.
        case(
            "expired",
            signed(|c| {
                c.insert("exp".into(), json!(n - 61));
            }),
            err("ERR_TOKEN_EXPIRED", Some("exp")),
        ),
        case(
            "expired within tolerance",
            signed(|c| {
                c.insert("exp".into(), json!(n - 59));
            }),
            None,
        ),
        with_policy(
            "expired with zero tolerance",
            signed(|c| {
                c.insert("exp".into(), json!(n));
            }),
            policy_with(|p| p.clock_tolerance = 0),
            err("ERR_TOKEN_EXPIRED", Some("exp")),
        ),
        case(
            "exp missing",
            signed(|c| {
                c.remove("exp");
            }),
            err("ERR_CLAIM_MISSING", Some("exp")),
        ),
        with_policy(
            "exp missing, not required",
            signed(|c| {
                c.remove("exp");
            }),
            policy_with(|p| p.require_exp = false),
            None,
        ),
        case(
            "exp a string",
            signed(|c| {
                c.insert("exp".into(), json!(format!("{}", n + 60)));
            }),
            err("ERR_CLAIM_INVALID", Some("exp")),
        ),
        case(
            "exp past year 9999",
            signed(|c| {
                c.insert("exp".into(), json!(u64::MAX));
            }),
            err("ERR_CLAIM_INVALID", Some("exp")),
        ),
        case(
            "exp negative",
            signed(|c| {
                c.insert("exp".into(), json!(-1));
            }),
            err("ERR_CLAIM_INVALID", Some("exp")),
        ),
        case(
            "exp fractional",
            signed(|c| {
                c.insert("exp".into(), json!(n as f64 + 100.5));
            }),
            None,
        ),
        case(
            "nbf in the future",
            signed(|c| {
                c.insert("nbf".into(), json!(n + 61));
            }),
            err("ERR_TOKEN_NOT_YET_VALID", Some("nbf")),
        ),
        case(
            "nbf within tolerance",
            signed(|c| {
                c.insert("nbf".into(), json!(n + 59));
            }),
            None,
        ),
        case(
            "nbf a string",
            signed(|c| {
                c.insert("nbf".into(), json!("x"));
            }),
            err("ERR_CLAIM_INVALID", Some("nbf")),
        ),
        case(
            "iat in the future",
            signed(|c| {
                c.insert("iat".into(), json!(n + 3000));
            }),
            err("ERR_TOKEN_NOT_YET_VALID", Some("iat")),
        ),
        case(
            "iat a string",
            signed(|c| {
                c.insert("iat".into(), json!("yesterday"));
            }),
            err("ERR_CLAIM_INVALID", Some("iat")),
        ),
        with_policy(
            "older than maxTokenAge",
            signed(|c| {
                c.insert("iat".into(), json!(n - 7200));
            }),
            policy_with(|p| p.max_token_age = Some(3600)),
            err("ERR_TOKEN_TOO_OLD", Some("iat")),
        ),
        with_policy(
            "maxTokenAge without iat",
            signed(|c| {
                c.remove("iat");
            }),
            policy_with(|p| p.max_token_age = Some(3600)),
            err("ERR_CLAIM_MISSING", Some("iat")),
        ),
        with_policy(
            "lifetime over maxLifetime",
            signed(|c| {
                c.insert("exp".into(), json!(n + 86_400 * 30));
            }),
            policy_with(|p| p.max_lifetime = Some(86_400)),
            err("ERR_TOKEN_TOO_OLD", Some("exp")),
        ),
        // Issuer.
        case(
            "wrong issuer",
            signed(|c| {
                c.insert("iss".into(), json!("https://issuer.test/tenant-2/v2.0"));
            }),
            err("ERR_ISSUER_INVALID", Some("iss")),
        ),
        case(
            "issuer with trailing slash",
            signed(|c| {
                c.insert("iss".into(), json!(format!("{}/", issuer())));
            }),
            err("ERR_ISSUER_INVALID", Some("iss")),
        ),
        case(
            "issuer missing",
            signed(|c| {
                c.remove("iss");
            }),
            err("ERR_CLAIM_MISSING", Some("iss")),
        ),
        case(
            "issuer as an array",
            signed(|c| {
                c.insert("iss".into(), json!(["https://evil", issuer()]));
            }),
            err("ERR_CLAIM_INVALID", Some("iss")),
        ),
        with_policy(
            "tenant template filled by tid",
            signed(|c| {
                c.insert("iss".into(), json!(entra_iss));
            }),
            policy_with(|p| {
                p.issuer = vec![template.clone()];
                p.tenants = vec!["*".into()];
            }),
            None,
        ),
        with_policy(
            "tenant template, tid of another tenant",
            signed(|c| {
                c.insert("iss".into(), json!(entra_iss));
                c.insert("tid".into(), json!("00000000-0000-0000-0000-000000000001"));
            }),
            policy_with(|p| {
                p.issuer = vec![template.clone()];
                p.tenants = vec!["*".into()];
            }),
            err("ERR_ISSUER_INVALID", Some("iss")),
        ),
        with_policy(
            "tenant template, tid not a guid",
            signed(|c| {
                c.insert(
                    "iss".into(),
                    json!("https://login.microsoftonline.com/common/v2.0"),
                );
                c.insert("tid".into(), json!("common"));
            }),
            policy_with(|p| {
                p.issuer = vec![template.clone()];
                p.tenants = vec!["*".into()];
            }),
            err("ERR_ISSUER_INVALID", Some("iss")),
        ),
        with_policy(
            "tenant template, literal placeholder",
            signed(|c| {
                c.insert("iss".into(), json!(template));
                c.insert("tid".into(), json!("{tenantid}"));
            }),
            policy_with(|p| {
                p.issuer = vec![template.clone()];
                p.tenants = vec!["*".into()];
            }),
            err("ERR_ISSUER_INVALID", Some("iss")),
        ),
        // Audience.
        case(
            "wrong audience",
            signed(|c| {
                c.insert("aud".into(), json!("api://other"));
            }),
            err("ERR_AUDIENCE_INVALID", Some("aud")),
        ),
        case(
            "audience in an array",
            signed(|c| {
                c.insert("aud".into(), json!(["api://other", audience()]));
            }),
            None,
        ),
        case(
            "audience in another case",
            signed(|c| {
                c.insert("aud".into(), json!(audience().to_uppercase()));
            }),
            err("ERR_AUDIENCE_INVALID", Some("aud")),
        ),
        case(
            "audience missing",
            signed(|c| {
                c.remove("aud");
            }),
            err("ERR_CLAIM_MISSING", Some("aud")),
        ),
        case(
            "audience a number",
            signed(|c| {
                c.insert("aud".into(), json!(123));
            }),
            err("ERR_CLAIM_INVALID", Some("aud")),
        ),
        case(
            "audience an empty array",
            signed(|c| {
                c.insert("aud".into(), json!([]));
            }),
            err("ERR_CLAIM_INVALID", Some("aud")),
        ),
        // Subject and required claims.
        with_policy(
            "subject matches",
            good.clone(),
            policy_with(|p| p.subject = Some("service-principal-1".into())),
            None,
        ),
        with_policy(
            "subject differs",
            good.clone(),
            policy_with(|p| p.subject = Some("someone-else".into())),
            err("ERR_CLAIM_INVALID", Some("sub")),
        ),
        with_policy(
            "required claim missing",
            good.clone(),
            policy_with(|p| p.required_claims = vec!["jti".into()]),
            err("ERR_CLAIM_MISSING", Some("jti")),
        ),
        with_policy(
            "required claim null",
            signed(|c| {
                c.insert("jti".into(), json!(null));
            }),
            policy_with(|p| p.required_claims = vec!["jti".into()]),
            err("ERR_CLAIM_MISSING", Some("jti")),
        ),
        // Forbidden claims and accepted claim values (app-only tokens).
        with_policy(
            "forbidden claim present",
            good.clone(),
            policy_with(|p| p.forbidden_claims = vec!["scp".into()]),
            err("ERR_CLAIM_INVALID", Some("scp")),
        ),
        with_policy(
            "forbidden claim absent",
            signed(|c| {
                c.remove("scp");
            }),
            policy_with(|p| p.forbidden_claims = vec!["scp".into()]),
            None,
        ),
        with_policy(
            "forbidden claim null",
            signed(|c| {
                c.insert("scp".into(), json!(null));
            }),
            policy_with(|p| p.forbidden_claims = vec!["scp".into()]),
            None,
        ),
        with_policy(
            "claim value accepted",
            signed(|c| {
                c.insert("idtyp".into(), json!("app"));
            }),
            policy_with(|p| {
                p.claim_values.insert("idtyp".into(), vec!["app".into()]);
            }),
            None,
        ),
        with_policy(
            "claim value absent is not checked",
            good.clone(),
            policy_with(|p| {
                p.claim_values.insert("idtyp".into(), vec!["app".into()]);
            }),
            None,
        ),
        with_policy(
            "claim value not accepted",
            signed(|c| {
                c.insert("idtyp".into(), json!("user"));
            }),
            policy_with(|p| {
                p.claim_values.insert("idtyp".into(), vec!["app".into()]);
            }),
            err("ERR_CLAIM_INVALID", Some("idtyp")),
        ),
        with_policy(
            "claim value not a string",
            signed(|c| {
                c.insert("idtyp".into(), json!(["app"]));
            }),
            policy_with(|p| {
                p.claim_values.insert("idtyp".into(), vec!["app".into()]);
            }),
            err("ERR_CLAIM_INVALID", Some("idtyp")),
        ),
        // Tenants, clients.
        with_policy(
            "tenant allowed",
            good.clone(),
            policy_with(|p| p.tenants = vec![TENANT.to_uppercase()]),
            None,
        ),
        with_policy(
            "tenant not allowed",
            good.clone(),
            policy_with(|p| p.tenants = vec!["00000000-0000-0000-0000-000000000001".into()]),
            err("ERR_TENANT_NOT_ALLOWED", Some("tid")),
        ),
        with_policy(
            "client allowed",
            good.clone(),
            policy_with(|p| p.clients = vec!["client-app-1".into()]),
            None,
        ),
        // A permission is required: roles or scp (or a clients allow-list).
        with_policy(
            "no permission",
            signed(|c| {
                c.remove("roles");
                c.remove("scp");
            }),
            policy_with(|p| p.require_permission = true),
            err("ERR_PERMISSION_MISSING", Some("roles")),
        ),
        // A bound token is not a bearer token.
        case(
            "cnf present",
            signed(|c| {
                c.insert(
                    "cnf".into(),
                    json!({"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}),
                );
            }),
            err("ERR_TOKEN_BOUND", Some("cnf")),
        ),
        with_policy(
            "client not allowed",
            good.clone(),
            policy_with(|p| p.clients = vec!["client-app-2".into()]),
            err("ERR_CLIENT_NOT_ALLOWED", Some("azp")),
        ),
        with_policy(
            "v1 appid not allowed",
            signed(|c| {
                c.remove("azp");
                c.insert("appid".into(), json!("client-app-9"));
            }),
            policy_with(|p| p.clients = vec!["client-app-1".into()]),
            err("ERR_CLIENT_NOT_ALLOWED", Some("appid")),
        ),
        with_policy(
            "azp and appid disagree",
            signed(|c| {
                c.insert("appid".into(), json!("client-app-9"));
            }),
            policy_with(|p| p.clients = vec!["client-app-1".into()]),
            err("ERR_CLIENT_NOT_ALLOWED", Some("appid")),
        ),
        with_policy(
            "no client claim",
            signed(|c| {
                c.remove("azp");
            }),
            policy_with(|p| p.clients = vec!["client-app-1".into()]),
            err("ERR_CLAIM_MISSING", Some("azp")),
        ),
        // Roles and scopes.
        with_policy(
            "role present",
            good.clone(),
            policy_with(|p| p.roles = vec!["Data.Read".into()]),
            None,
        ),
        with_policy(
            "role missing",
            good.clone(),
            policy_with(|p| p.roles = vec!["Data.Read".into(), "Data.Admin".into()]),
            err("ERR_ROLE_MISSING", Some("roles")),
        ),
        with_policy(
            "role in another case",
            good.clone(),
            policy_with(|p| p.roles = vec!["data.read".into()]),
            err("ERR_ROLE_MISSING", Some("roles")),
        ),
        with_policy(
            "roles not an array",
            signed(|c| {
                c.insert("roles".into(), json!("Data.Read"));
            }),
            policy_with(|p| p.roles = vec!["Data.Read".into()]),
            err("ERR_CLAIM_INVALID", Some("roles")),
        ),
        with_policy(
            "scopes present",
            good.clone(),
            policy_with(|p| p.scopes = vec!["write".into(), "read".into()]),
            None,
        ),
        with_policy(
            "scope missing",
            good.clone(),
            policy_with(|p| p.scopes = vec!["admin".into()]),
            err("ERR_SCOPE_MISSING", Some("scp")),
        ),
        with_policy(
            "scope is a substring",
            good.clone(),
            policy_with(|p| p.scopes = vec!["rea".into()]),
            err("ERR_SCOPE_MISSING", Some("scp")),
        ),
        with_policy(
            "scope from the scope claim",
            signed(|c| {
                c.remove("scp");
                c.insert("scope".into(), json!("read"));
            }),
            policy_with(|p| p.scopes = vec!["read".into()]),
            None,
        ),
        with_policy(
            "scp as an array",
            signed(|c| {
                c.insert("scp".into(), json!(["read"]));
            }),
            policy_with(|p| p.scopes = vec!["read".into()]),
            None,
        ),
        with_policy(
            "scp a number",
            signed(|c| {
                c.insert("scp".into(), json!(1));
            }),
            policy_with(|p| p.scopes = vec!["read".into()]),
            err("ERR_CLAIM_INVALID", Some("scp")),
        ),
        // Any-of roles and scopes, alone and with the all-of lists.
        with_policy(
            "one of the roles",
            good.clone(),
            policy_with(|p| p.any_roles = Some(vec!["Admin".into(), "Data.Read".into()])),
            None,
        ),
        with_policy(
            "none of the roles",
            good.clone(),
            policy_with(|p| p.any_roles = Some(vec!["Admin".into(), "Operator".into()])),
            err("ERR_ROLE_MISSING", Some("roles")),
        ),
        with_policy(
            "any-of roles without a roles claim",
            signed(|c| {
                c.remove("roles");
            }),
            policy_with(|p| p.any_roles = Some(vec!["Data.Read".into()])),
            err("ERR_ROLE_MISSING", Some("roles")),
        ),
        with_policy(
            "all-of and any-of roles",
            good.clone(),
            policy_with(|p| {
                p.roles = vec!["Data.Read".into()];
                p.any_roles = Some(vec!["Admin".into(), "Data.Read".into()]);
            }),
            None,
        ),
        with_policy(
            "all-of met, any-of not",
            good.clone(),
            policy_with(|p| {
                p.roles = vec!["Data.Read".into()];
                p.any_roles = Some(vec!["Admin".into()]);
            }),
            err("ERR_ROLE_MISSING", Some("roles")),
        ),
        with_policy(
            "one of the scopes",
            good.clone(),
            policy_with(|p| p.any_scopes = Some(vec!["admin".into(), "write".into()])),
            None,
        ),
        with_policy(
            "none of the scopes",
            good.clone(),
            policy_with(|p| p.any_scopes = Some(vec!["admin".into()])),
            err("ERR_SCOPE_MISSING", Some("scp")),
        ),
        with_policy(
            "any-of scopes in scope",
            signed(|c| {
                c.remove("scp");
                c.insert("scope".into(), json!("tasks:read tasks:write"));
            }),
            policy_with(|p| p.any_scopes = Some(vec!["tasks:write".into()])),
            None,
        ),
        // Step-up (RFC 9470): acr and auth_time.
        with_policy(
            "acr accepted",
            signed(|c| {
                c.insert("acr".into(), json!("urn:mfa"));
            }),
            policy_with(|p| p.acr_values = vec!["urn:pwd+otp".into(), "urn:mfa".into()]),
            None,
        ),
        with_policy(
            "acr not accepted",
            signed(|c| {
                c.insert("acr".into(), json!("urn:pwd"));
            }),
            policy_with(|p| p.acr_values = vec!["urn:mfa".into()]),
            err("ERR_AUTH_LEVEL_INSUFFICIENT", Some("acr")),
        ),
        with_policy(
            "acr absent",
            good.clone(),
            policy_with(|p| p.acr_values = vec!["urn:mfa".into()]),
            err("ERR_AUTH_LEVEL_INSUFFICIENT", Some("acr")),
        ),
        with_policy(
            "acr a number",
            signed(|c| {
                c.insert("acr".into(), json!(2));
            }),
            policy_with(|p| p.acr_values = vec!["2".into()]),
            err("ERR_CLAIM_INVALID", Some("acr")),
        ),
        with_policy(
            "acr an array",
            signed(|c| {
                c.insert("acr".into(), json!(["urn:mfa"]));
            }),
            policy_with(|p| p.acr_values = vec!["urn:mfa".into()]),
            err("ERR_CLAIM_INVALID", Some("acr")),
        ),
        case(
            "acr of any type without acrValues",
            signed(|c| {
                c.insert("acr".into(), json!({"level": 2}));
            }),
            None,
        ),
        with_policy(
            "auth_time recent",
            signed(|c| {
                c.insert("auth_time".into(), json!(n - 300));
            }),
            policy_with(|p| p.max_auth_age = Some(300)),
            None,
        ),
        with_policy(
            "auth_time within the tolerance",
            signed(|c| {
                c.insert("auth_time".into(), json!(n - 360));
            }),
            policy_with(|p| p.max_auth_age = Some(300)),
            None,
        ),
        with_policy(
            "auth_time too old",
            signed(|c| {
                c.insert("auth_time".into(), json!(n - 361));
            }),
            policy_with(|p| p.max_auth_age = Some(300)),
            err("ERR_AUTH_TOO_OLD", Some("auth_time")),
        ),
        with_policy(
            "auth_time absent",
            good.clone(),
            policy_with(|p| p.max_auth_age = Some(300)),
            err("ERR_AUTH_TOO_OLD", Some("auth_time")),
        ),
        with_policy(
            "auth_time in the future",
            signed(|c| {
                c.insert("auth_time".into(), json!(n + 61));
            }),
            policy_with(|p| p.max_auth_age = Some(300)),
            err("ERR_CLAIM_INVALID", Some("auth_time")),
        ),
        with_policy(
            "auth_time a string",
            signed(|c| {
                c.insert("auth_time".into(), json!(format!("{}", n - 10)));
            }),
            policy_with(|p| p.max_auth_age = Some(300)),
            err("ERR_CLAIM_INVALID", Some("auth_time")),
        ),
        case(
            "auth_time a string without maxAuthAge",
            signed(|c| {
                c.insert("auth_time".into(), json!("yesterday"));
            }),
            None,
        ),
        // Entra authentication context (acrs).
        with_policy(
            "acrs holds every id",
            signed(|c| {
                c.insert("acrs".into(), json!(["c2", "c1"]));
            }),
            policy_with(|p| p.auth_context = vec!["c1".into(), "c2".into()]),
            None,
        ),
        with_policy(
            "acrs lacks one id",
            signed(|c| {
                c.insert("acrs".into(), json!(["c1"]));
            }),
            policy_with(|p| p.auth_context = vec!["c1".into(), "c2".into()]),
            err("ERR_AUTH_CONTEXT_MISSING", Some("acrs")),
        ),
        with_policy(
            "acrs absent",
            good.clone(),
            policy_with(|p| p.auth_context = vec!["c1".into()]),
            err("ERR_AUTH_CONTEXT_MISSING", Some("acrs")),
        ),
        with_policy(
            "acrs a string",
            signed(|c| {
                c.insert("acrs".into(), json!("c1"));
            }),
            policy_with(|p| p.auth_context = vec!["c1".into()]),
            err("ERR_CLAIM_INVALID", Some("acrs")),
        ),
        with_policy(
            "acrs holds a number",
            signed(|c| {
                c.insert("acrs".into(), json!([1]));
            }),
            policy_with(|p| p.auth_context = vec!["c1".into()]),
            err("ERR_CLAIM_INVALID", Some("acrs")),
        ),
        with_policy(
            "xms_cc cp1 does not stand in for acrs",
            signed(|c| {
                c.insert("xms_cc".into(), json!(["cp1"]));
                c.insert("acrs".into(), json!(["c2"]));
            }),
            policy_with(|p| p.auth_context = vec!["c1".into()]),
            err("ERR_AUTH_CONTEXT_MISSING", Some("acrs")),
        ),
        with_policy(
            "xms_cc not an array",
            signed(|c| {
                c.insert("xms_cc".into(), json!("cp1"));
            }),
            policy_with(|p| p.auth_context = vec!["c1".into()]),
            err("ERR_CLAIM_INVALID", Some("xms_cc")),
        ),
    ]
}

/// `ERR_AUTH_CONTEXT_MISSING` carries the claims challenge only when the
/// token's `xms_cc` holds `cp1`: one missing id as `value`, several as
/// `values`, and the authorize endpoint of the token's Entra tenant.
#[test]
fn auth_context_refusals_carry_a_claims_challenge_for_capable_clients() {
    let entra = format!("https://login.microsoftonline.com/{TENANT}/v2.0");
    let endpoint = format!("https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/authorize");
    let rows: Vec<(&str, Value, Vec<&str>, Option<&str>)> = vec![
        ("no xms_cc", json!({"acrs": []}), vec!["c1"], None),
        (
            "xms_cc without cp1",
            json!({"xms_cc": ["cp2"]}),
            vec!["c1"],
            None,
        ),
        (
            "one id",
            json!({"xms_cc": ["cp1"], "acrs": ["c3"]}),
            vec!["c1", "c3"],
            Some(r#"{"access_token":{"acrs":{"essential":true,"value":"c1"}}}"#),
        ),
        (
            "several ids",
            json!({"xms_cc": ["cp1", "cp2"]}),
            vec!["c1", "c25"],
            Some(r#"{"access_token":{"acrs":{"essential":true,"values":["c1","c25"]}}}"#),
        ),
    ];
    for (name, extra, ids, want) in rows {
        for (iss, uri) in [(issuer(), None), (entra.clone(), Some(endpoint.as_str()))] {
            let token = signed(|c| {
                c.extend(extra.as_object().unwrap().clone());
                c.insert("iss".into(), json!(iss));
            });
            let policy = policy_with(|p| {
                p.issuer = vec![iss.clone()];
                p.auth_context = ids.iter().map(|&id| id.into()).collect();
            });
            let verifier = Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap();
            let error = verifier.verify(&token, now()).unwrap_err();
            assert_eq!(error.code(), "ERR_AUTH_CONTEXT_MISSING", "{name} {iss}");
            let challenge = error.claims_challenge();
            assert_eq!(challenge.map(|c| c.claims.as_str()), want, "{name} {iss}");
            assert_eq!(
                challenge.and_then(|c| c.authorization_uri.as_deref()),
                want.and(uri),
                "{name} {iss}"
            );
        }
    }
    // No other refusal carries one, even with cp1.
    let token = signed(|c| {
        c.insert("xms_cc".into(), json!(["cp1"]));
        c.insert("acr".into(), json!("urn:pwd"));
    });
    let policy = policy_with(|p| {
        p.acr_values = vec!["urn:mfa".into()];
        p.auth_context = vec!["c1".into()];
    });
    let verifier = Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap();
    let error = verifier.verify(&token, now()).unwrap_err();
    assert_eq!(error.code(), "ERR_AUTH_LEVEL_INSUFFICIENT");
    assert!(error.claims_challenge().is_none());
}

#[test]
fn every_check_has_its_code() {
    let keys = KeySet::from_jwks(&jwks()).unwrap();
    let mut failures = Vec::new();
    for case in cases() {
        let verifier = Verifier::new(case.policy, keys.clone()).unwrap();
        let got = verifier.verify(&case.token, now());
        let got = match &got {
            Ok(_) => None,
            Err(e) => Some((e.code(), e.claim_name())),
        };
        if got != case.want {
            failures.push(format!(
                "{}: want {:?}, got {:?} ({:?})",
                case.name,
                case.want,
                got,
                verifier
                    .verify(&case.token, now())
                    .err()
                    .map(|e| e.to_string())
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn configuration_errors_have_their_codes() {
    assert_eq!(
        KeySet::from_secret(b"short", None).unwrap_err().code(),
        "ERR_KEY_INVALID"
    );
    assert_eq!(
        KeySet::from_jwks("[]").unwrap_err().code(),
        "ERR_JWKS_INVALID"
    );
    assert_eq!(
        KeySet::from_jwks(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#)
            .unwrap_err()
            .code(),
        "ERR_JWKS_INVALID"
    );
    assert_eq!(
        Policy::from_json(r#"{"issuer":"x"}"#).unwrap_err().code(),
        "ERR_POLICY_INVALID"
    );
    let mut policy = policy();
    policy.audience.clear();
    assert_eq!(
        Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap())
            .unwrap_err()
            .code(),
        "ERR_POLICY_INVALID"
    );
}

#[test]
fn shared_secrets_verify_hs_tokens_only_with_enough_bytes() {
    let secret = [7u8; 48];
    let header = b64(br#"{"alg":"HS384","kid":"s1"}"#);
    let payload = b64(good_claims().to_string().as_bytes());
    let input = format!("{header}.{payload}");
    let key = jsonwebtoken::EncodingKey::from_secret(&secret);
    let mac =
        jsonwebtoken::crypto::sign(input.as_bytes(), &key, jsonwebtoken::Algorithm::HS384).unwrap();
    let token = format!("{input}.{mac}");
    let verifier =
        Verifier::new(policy(), KeySet::from_secret(&secret, Some("s1")).unwrap()).unwrap();
    assert_eq!(verifier.verify(&token, now()).unwrap().key.alg, "HS384");
    // HS512 needs a 64-byte secret: the 48-byte one does not permit it.
    let header512 = b64(br#"{"alg":"HS512","kid":"s1"}"#);
    let input512 = format!("{header512}.{payload}");
    let mac512 =
        jsonwebtoken::crypto::sign(input512.as_bytes(), &key, jsonwebtoken::Algorithm::HS512)
            .unwrap();
    assert_eq!(
        verifier
            .verify(&format!("{input512}.{mac512}"), now())
            .unwrap_err()
            .code(),
        "ERR_KEY_NOT_FOUND"
    );
    // An asymmetric token never verifies against a secret.
    assert_eq!(
        verifier
            .verify(&jose_token("RS256"), now())
            .unwrap_err()
            .code(),
        "ERR_KEY_NOT_FOUND"
    );
}

#[test]
fn the_table_covers_every_core_code() {
    let mut produced: BTreeSet<&str> = cases()
        .iter()
        .filter_map(|c| c.want.map(|(code, _)| code))
        .collect();
    produced.extend(["ERR_KEY_INVALID", "ERR_JWKS_INVALID", "ERR_POLICY_INVALID"]); // configuration_errors_have_their_codes
    produced.insert("ERR_DPOP_INVALID"); // needs a presented proof: tests/binding.rs
    produced.insert("ERR_DPOP_NONCE"); // a proof with server nonces: tests/catalog/f_dpop.rs
    // Introspection answers, not tokens: tests/catalog/i_introspection.rs.
    produced.extend(["ERR_TOKEN_INACTIVE", "ERR_INTROSPECTION_INVALID"]);
    produced.insert("ERR_INTERNAL"); // unreachable by construction; the JS tests map a trap to it
    produced.extend(HOST_ONLY);
    let all: BTreeSet<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(produced, all);
}

#[test]
fn the_code_list_is_pinned() {
    let codes: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(
        codes,
        [
            "ERR_TOKEN_MALFORMED",
            "ERR_TOKEN_TOO_LARGE",
            "ERR_HEADER_INVALID",
            "ERR_ALG_NOT_ALLOWED",
            "ERR_CRIT_UNSUPPORTED",
            "ERR_TYP_INVALID",
            "ERR_KEY_NOT_FOUND",
            "ERR_KEY_INVALID",
            "ERR_JWKS_INVALID",
            "ERR_TOKEN_INACTIVE",
            "ERR_SIGNATURE_INVALID",
            "ERR_TOKEN_EXPIRED",
            "ERR_TOKEN_NOT_YET_VALID",
            "ERR_TOKEN_TOO_OLD",
            "ERR_ISSUER_INVALID",
            "ERR_AUDIENCE_INVALID",
            "ERR_CLAIM_MISSING",
            "ERR_CLAIM_INVALID",
            "ERR_ROLE_MISSING",
            "ERR_SCOPE_MISSING",
            "ERR_CLIENT_NOT_ALLOWED",
            "ERR_TENANT_NOT_ALLOWED",
            "ERR_PERMISSION_MISSING",
            "ERR_AUTH_LEVEL_INSUFFICIENT",
            "ERR_AUTH_TOO_OLD",
            "ERR_AUTH_CONTEXT_MISSING",
            "ERR_FOREIGN_TOKEN",
            "ERR_DPOP_INVALID",
            "ERR_DPOP_NONCE",
            "ERR_TOKEN_BOUND",
            "ERR_POLICY_INVALID",
            "ERR_KEYS_NOT_LOADED",
            "ERR_JWKS_FETCH_FAILED",
            "ERR_JWKS_TIMEOUT",
            "ERR_DISCOVERY_INVALID",
            "ERR_INTROSPECTION_INVALID",
            "ERR_INTROSPECTION_FAILED",
            "ERR_REQUEST_INVALID",
            "ERR_INTERNAL",
        ]
    );
    for kind in ErrorKind::ALL {
        let message = kind.message();
        assert_eq!(message, message.to_lowercase(), "{kind:?}");
        // Hosts split "<message>: <detail>" at the first ": " to get the
        // generic reason they may show to callers (js/errors.js).
        assert!(!message.contains(':'), "{kind:?}");
        assert!(!message.is_empty());
    }
}

/// The details a user reads after pasting a bad token or configuring the
/// wrong issuer: each names what was expected and what was found (public
/// names only: issuers, kids, algorithms, types, allow-lists), and never
/// token bytes or key material.
#[test]
fn details_say_what_was_expected_and_what_was_found() {
    let rows: Vec<(&str, String, Policy, &[&str])> = vec![
        (
            "wrong issuer",
            signed(|c| {
                c.insert("iss".into(), json!("https://login.example.org/other"));
            }),
            policy(),
            &["\"https://login.example.org/other\" is not an accepted issuer; accepted: \""],
        ),
        (
            "unknown kid",
            header_with(|h| {
                h.insert("kid".into(), json!("rotated-away"));
            }),
            policy(),
            &[
                "no key with kid \"rotated-away\"; the key set has kids \"rs256-key\"",
                "and 1 more",
            ],
        ),
        (
            "algorithm outside the policy",
            signed(|_| {}),
            policy_with(|p| p.algorithms = vec![jwtguard::Algorithm::RS256]),
            &["EdDSA is not in the policy's algorithms (\"RS256\")"],
        ),
        (
            "no typ",
            header_with(|h| {
                h.remove("typ");
            }),
            policy_with(|p| p.typ = vec!["at+jwt".into()]),
            &["the token has no typ; accepted: \"at+jwt\""],
        ),
        (
            "another typ",
            header_with(|h| {
                h.insert("typ".into(), json!("JWT"));
            }),
            policy_with(|p| p.typ = vec!["at+jwt".into()]),
            &["\"JWT\" is not one of the accepted types (\"at+jwt\")"],
        ),
        (
            "tenant outside the allow-list",
            signed(|_| {}),
            policy_with(|p| p.tenants = vec!["00000000-0000-0000-0000-000000000001".into()]),
            &["is not in the allow-list (\"00000000-0000-0000-0000-000000000001\")"],
        ),
        (
            "client outside the allow-list",
            signed(|_| {}),
            policy_with(|p| p.clients = vec!["the-only-client".into()]),
            &["is not in the allow-list (\"the-only-client\")"],
        ),
        (
            "role missing",
            signed(|_| {}),
            policy_with(|p| p.roles = vec!["Data.Admin".into()]),
            &["role \"Data.Admin\" is required; the token's roles holds "],
        ),
    ];
    let secret_parts =
        |token: &str| -> Vec<String> { token.split('.').map(str::to_owned).collect() };
    for (name, token, policy, wanted) in rows {
        let verifier = Verifier::new(policy, KeySet::from_jwks(&jwks()).unwrap()).unwrap();
        let error = verifier.verify(&token, now()).expect_err(name);
        let detail = error.detail().unwrap_or_default().to_owned();
        for want in wanted {
            assert!(detail.contains(want), "{name}: {detail:?} lacks {want:?}");
        }
        for part in secret_parts(&token) {
            assert!(
                !detail.contains(&part),
                "{name}: the detail echoes a token segment"
            );
        }
    }
}

/// One way to fail each claim check of `CHECKS` (the checks after the
/// signature that have codes of their own): an edit of the good claims and
/// of the default policy. Failing two checks at once must give a code of the
/// one `CHECKS` lists first, so the table is the order the core runs.
type Spoil = (
    &'static str,
    fn(&mut serde_json::Map<String, Value>),
    fn(&mut Policy),
);

const SPOILERS: [Spoil; 10] = [
    (
        "issuer",
        |c| {
            c.insert("iss".into(), json!("https://other-issuer.test"));
        },
        |_| {},
    ),
    (
        "audience",
        |c| {
            c.insert("aud".into(), json!("api://another-api"));
        },
        |_| {},
    ),
    (
        "times",
        |c| {
            c.insert("exp".into(), json!(now() - 3600));
        },
        |_| {},
    ),
    (
        "tenant",
        |_| {},
        |p| p.tenants = vec!["00000000-0000-0000-0000-00000000000a".into()],
    ),
    (
        "client",
        |_| {},
        |p| p.clients = vec!["the-only-client".into()],
    ),
    ("roles", |_| {}, |p| p.roles = vec!["Data.Admin".into()]),
    ("scopes", |_| {}, |p| p.scopes = vec!["admin".into()]),
    (
        "permission",
        |c| {
            c.remove("roles");
            c.remove("scp");
        },
        |p| p.require_permission = true,
    ),
    (
        "authentication",
        |_| {},
        |p| p.acr_values = vec!["mfa".into()],
    ),
    (
        "binding",
        |c| {
            c.insert(
                "cnf".into(),
                json!({"jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"}),
            );
        },
        |_| {},
    ),
];

#[test]
fn checks_run_in_the_order_checks_lists() {
    let position = |id: &str| {
        jwtguard::CHECKS
            .iter()
            .position(|check| check.id == id)
            .unwrap_or_else(|| panic!("{id} is not in CHECKS"))
    };
    // Every claim check with codes has a spoiler, in CHECKS order.
    let listed: Vec<&str> = jwtguard::CHECKS
        .iter()
        .skip(position("issuer"))
        .filter(|check| !check.codes.is_empty())
        .map(|check| check.id)
        .collect();
    let spoiled: Vec<&str> = SPOILERS.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(spoiled, listed);

    let keys = KeySet::from_jwks(&jwks()).unwrap();
    for (i, (first, edit_claims, edit_policy)) in SPOILERS.iter().enumerate() {
        for (later, later_claims, later_policy) in SPOILERS.iter().skip(i + 1) {
            let token = signed(|c| {
                edit_claims(c);
                later_claims(c);
            });
            let policy = policy_with(|p| {
                edit_policy(p);
                later_policy(p);
            });
            let error = Verifier::new(policy, keys.clone())
                .unwrap()
                .verify(&token, now())
                .expect_err(first);
            let check = &jwtguard::CHECKS[position(first)];
            assert!(
                check.codes.iter().any(|code| code.code() == error.code()),
                "{first} and {later} both fail: got {}, want one of {first}'s codes",
                error.code()
            );
        }
    }
}
