//! Several issuers, one verifier: choosing which configuration checks a
//! token.
//!
//! A host that accepts tokens from several issuers, each with its own keys
//! (as aws-jwt-verify and Envoy's jwt_authn do), keeps one [`crate::Verifier`]
//! per issuer and an [`IssuerRouter`] over their policies. The router reads
//! the token's `iss` (and `tid`, for `{tenantid}` issuers) **before** any
//! verification, only to choose exactly one configuration; that
//! configuration's verifier then checks everything with its own keys, so
//! issuer A's key can never vouch for a token naming issuer B.

use crate::claims::{required_string, string_claim};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::MAX_TOKEN_SIZE_CEILING;
use crate::policy::Policy;
use crate::tenant::{GUID_LEN, TENANT_PLACEHOLDER, is_guid, issuer_matches};
use crate::text::quote;
use crate::token;

/// Chooses, for each token, the one policy whose issuers accept its `iss`.
#[derive(Debug, Clone)]
pub struct IssuerRouter {
    issuers: Vec<Vec<String>>,
}

impl IssuerRouter {
    /// A router over `policies`, in order. Fails with `ERR_POLICY_INVALID`
    /// when there are none, or when two policies could both accept one `iss`
    /// (the same issuer, or a `{tenantid}` template that some tenant id fills
    /// to another policy's issuer): each token must have exactly one
    /// configuration.
    pub fn new(policies: &[Policy]) -> Result<Self> {
        if policies.is_empty() {
            return Err(Error::with_detail(
                ErrorKind::PolicyInvalid,
                "at least one issuer configuration is required",
            ));
        }
        for (i, a) in policies.iter().enumerate() {
            for (j, b) in policies.iter().enumerate().skip(i + 1) {
                for x in &a.issuer {
                    if let Some(y) = b.issuer.iter().find(|y| overlap(x, y)) {
                        return Err(Error::claim(
                            ErrorKind::PolicyInvalid,
                            "issuer",
                            format!(
                                "configurations {i} and {j} both accept issuer {} / {}: \
                                 each issuer needs exactly one configuration",
                                quote(x),
                                quote(y)
                            ),
                        ));
                    }
                }
            }
        }
        Ok(Self {
            issuers: policies.iter().map(|p| p.issuer.clone()).collect(),
        })
    }

    /// The index of the policy that accepts the token's (unverified) `iss`.
    /// Fails as [`crate::inspect`] does for a token that cannot be decoded,
    /// with `ERR_CLAIM_MISSING` / `ERR_CLAIM_INVALID` for a missing or
    /// non-string `iss`, and with `ERR_ISSUER_INVALID` when no configuration
    /// accepts it.
    pub fn route(&self, token: &str) -> Result<usize> {
        let segments = token::split(token, MAX_TOKEN_SIZE_CEILING)?;
        let claims = token::decode_object(segments.payload, "payload")?;
        let iss = required_string(&claims, "iss")?;
        let tid = string_claim(&claims, "tid")?;
        self.issuers
            .iter()
            .position(|accepted| accepted.iter().any(|a| issuer_matches(a, iss, tid)))
            .ok_or_else(|| {
                Error::claim(
                    ErrorKind::IssuerInvalid,
                    "iss",
                    format!(
                        "{} is not one of the configured issuers ({})",
                        quote(iss),
                        crate::text::quote_list(self.issuers.iter().flatten().map(String::as_str))
                    ),
                )
            })
    }
}

/// Whether one `iss` could be accepted by both issuer entries.
fn overlap(a: &str, b: &str) -> bool {
    match (split_template(a), split_template(b)) {
        (None, None) => a == b,
        (Some(t), None) => fills(t, b),
        (None, Some(t)) => fills(t, a),
        // Two templates: both match a string of the same length whose ends
        // agree with both; treated as overlapping when the fixed parts are
        // compatible (this errs towards refusing a configuration).
        (Some((p1, s1)), Some((p2, s2))) => {
            p1.len() + s1.len() == p2.len() + s2.len()
                && (p1.starts_with(p2) || p2.starts_with(p1))
                && (s1.ends_with(s2) || s2.ends_with(s1))
        }
    }
}

/// `(prefix, suffix)` around `{tenantid}`, for a template.
fn split_template(issuer: &str) -> Option<(&str, &str)> {
    issuer.split_once(TENANT_PLACEHOLDER)
}

/// Whether a GUID fill of the template `(prefix, suffix)` gives `issuer`.
fn fills((prefix, suffix): (&str, &str), issuer: &str) -> bool {
    issuer.len() == prefix.len() + GUID_LEN + suffix.len()
        && issuer.starts_with(prefix)
        && issuer.ends_with(suffix)
        && issuer
            .get(prefix.len()..prefix.len() + GUID_LEN)
            .is_some_and(is_guid)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    const V2: &str = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const TID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    fn policy(issuers: &[&str]) -> Policy {
        let mut p = Policy::new(issuers[0], "api");
        p.issuer = issuers.iter().map(|s| (*s).to_owned()).collect();
        if p.issuer.iter().any(|i| i.contains(TENANT_PLACEHOLDER)) {
            p.tenants = vec![crate::ANY_TENANT.into()];
        }
        p
    }

    fn token(claims: &str) -> String {
        use base64::Engine as _;
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.c2ln", b64(r#"{"alg":"RS256"}"#), b64(claims))
    }

    #[test]
    fn overlapping_configurations_are_refused() {
        let concrete = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let table: &[(&[&str], &[&str], bool)] = &[
            (&["https://a"], &["https://b"], false),
            (&["https://a"], &["https://b", "https://a"], true),
            (&[V2], &[&concrete], true),
            (&[&concrete], &[V2], true),
            (&[V2], &[V2], true),
            (&[V2], &["https://sts.windows.net/{tenantid}/"], false),
            (
                &[V2],
                &["https://login.microsoftonline.com/not-a-guid/v2.0"],
                false,
            ),
            (
                &["https://a/{tenantid}"],
                &["https://a/{tenantid}/x"],
                false,
            ),
        ];
        for (a, b, overlapping) in table {
            let result = IssuerRouter::new(&[policy(a), policy(b)]);
            assert_eq!(result.is_err(), *overlapping, "{a:?} {b:?}");
            if let Err(error) = result {
                assert_eq!(error.kind(), ErrorKind::PolicyInvalid);
            }
        }
        assert_eq!(
            IssuerRouter::new(&[]).unwrap_err().kind(),
            ErrorKind::PolicyInvalid
        );
    }

    #[test]
    fn routes_by_iss_and_tid() {
        let router = IssuerRouter::new(&[
            policy(&["https://a"]),
            policy(&[V2]),
            policy(&["https://c", "https://d"]),
        ])
        .unwrap();
        let table: &[(String, core::result::Result<usize, ErrorKind>)] = &[
            (r#"{"iss":"https://a"}"#.into(), Ok(0)),
            (
                format!(
                    r#"{{"iss":"https://login.microsoftonline.com/{TID}/v2.0","tid":"{TID}"}}"#
                ),
                Ok(1),
            ),
            (r#"{"iss":"https://d"}"#.into(), Ok(2)),
            (
                format!(r#"{{"iss":"https://login.microsoftonline.com/{TID}/v2.0"}}"#),
                Err(ErrorKind::IssuerInvalid),
            ),
            (
                r#"{"iss":"https://a/"}"#.into(),
                Err(ErrorKind::IssuerInvalid),
            ),
            (r#"{"sub":"x"}"#.into(), Err(ErrorKind::ClaimMissing)),
            (
                r#"{"iss":["https://a"]}"#.into(),
                Err(ErrorKind::ClaimInvalid),
            ),
            (
                r#"{"iss":"https://a","iss":"https://c"}"#.into(),
                Err(ErrorKind::TokenMalformed),
            ),
        ];
        for (claims, expected) in table {
            let routed = router.route(&token(claims)).map_err(|e| e.kind());
            assert_eq!(&routed, expected, "{claims}");
        }
        assert_eq!(
            router.route("not a token").unwrap_err().kind(),
            ErrorKind::TokenMalformed
        );
    }
}
