//! Token introspection: an authorization server's answer about a token it
//! issued (RFC 7662), plain JSON or signed as a JWT (RFC 9701), checked by
//! the same policy rules as a JWT's claims.
//!
//! The host fetches the answer; the core decides. A response is trusted
//! only as far as these checks go: `active` must be the boolean `true`,
//! then issuer, audience, times, clients, roles, scopes, tenants and the
//! `cnf` binding are checked exactly as for a JWT's claims. A signed
//! response is first verified against the authorization server's keys
//! ([`Verifier::verify_introspection_response`]).

use serde::Serialize;
use serde_json::{Map, Value};

use crate::binding::{self, Binding, Presentation};
use crate::claims::{self, numeric_date};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{DEFAULT_INTROSPECTION_MAX_AGE, MAX_INTROSPECTION_RESPONSE_SIZE};
use crate::policy::Policy;
use crate::token::{self, same_typ};
use crate::verifier::Verifier;

/// The `typ` of a signed introspection response (RFC 9701 §5): the media
/// type `application/token-introspection+jwt` in its short form.
pub const INTROSPECTION_TYP: &str = "token-introspection+jwt";

/// The member of a signed introspection response that holds the RFC 7662
/// answer (RFC 9701 §5).
const TOKEN_INTROSPECTION: &str = "token_introspection";

/// An introspected token: the authorization server's answer, checked
/// against the policy, and the binding the token was checked against.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Introspected {
    /// The answer's members (RFC 7662 §2.2), `active` among them.
    pub claims: Map<String, Value>,
    /// The binding the token was checked against: `None` for a bearer token.
    pub binding: Option<Binding>,
}

/// Checks introspection answers against a [`Policy`]. Pure, like
/// [`Verifier`]: the caller passes the answer and the time.
///
/// ```
/// # fn demo() -> jwtguard::Result<()> {
/// use jwtguard::{Introspection, Policy, Presentation};
/// let policy = Policy::from_json(r#"{"issuer":"https://as.example","audience":"https://api.example"}"#)?;
/// let introspection = Introspection::new(policy)?;
/// let answer = r#"{"active":true,"iss":"https://as.example","aud":"https://api.example","exp":1700000600}"#;
/// let introspected = introspection.check(answer, "opaque-token", 1_700_000_000, &Presentation::BEARER)?;
/// assert_eq!(introspected.claims["active"], true);
/// # Ok(()) }
/// # demo().unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Introspection {
    policy: Policy,
}

impl Introspection {
    /// Checks introspection answers against `policy` (checked here).
    pub fn new(policy: Policy) -> Result<Self> {
        policy.check()?;
        Ok(Self { policy })
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Checks `response`, the answer (a JSON object's text) about `token`,
    /// as a request `presented` the token, at `now` (Unix seconds).
    ///
    /// Order: the token's size, the answer's size and strict JSON (else
    /// `ERR_INTROSPECTION_INVALID`), `active` (the boolean `true`, else
    /// `ERR_TOKEN_INACTIVE`), then the claim checks of
    /// [`Verifier::verify`] and the binding: a `cnf` in the answer binds the
    /// token as a `cnf` in a JWT does.
    pub fn check(
        &self,
        response: &str,
        token: &str,
        now: i64,
        presented: &Presentation<'_>,
    ) -> Result<Introspected> {
        if token.len() > self.policy.max_token_size {
            return Err(Error::with_detail(
                ErrorKind::TokenTooLarge,
                format!(
                    "{} bytes; the limit is {}",
                    token.len(),
                    self.policy.max_token_size
                ),
            ));
        }
        if response.len() > MAX_INTROSPECTION_RESPONSE_SIZE {
            return Err(Error::with_detail(
                ErrorKind::IntrospectionInvalid,
                format!("the response is over the {MAX_INTROSPECTION_RESPONSE_SIZE}-byte limit"),
            ));
        }
        let claims = token::parse_object(response.as_bytes(), "response").map_err(invalid)?;
        check_active(&claims)?;
        claims::check(&self.policy, &claims, None, now)?;
        let binding = binding::check(&self.policy, &claims, token, presented, now)?;
        Ok(Introspected { claims, binding })
    }
}

/// RFC 7662 §2.2: `active` is REQUIRED and a boolean. Only `true` is an
/// active token; the string `"true"`, `1` or a missing member are not.
fn check_active(claims: &Map<String, Value>) -> Result<()> {
    let detail = match claims.get("active") {
        Some(Value::Bool(true)) => return Ok(()),
        Some(Value::Bool(false)) => "the authorization server says the token is not active",
        None => "the response has no active member",
        Some(_) => "active must be the boolean true",
    };
    Err(Error::claim(ErrorKind::TokenInactive, "active", detail))
}

/// Any refusal of the answer itself: the server's problem, not the token's.
fn invalid(error: Error) -> Error {
    let detail = match error.detail() {
        Some(detail) => format!("{}: {detail}", error.code()),
        None => format!("{}: {}", error.code(), error.kind().message()),
    };
    Error::with_detail(ErrorKind::IntrospectionInvalid, detail)
}

impl Verifier {
    /// Verifies a signed introspection response (RFC 9701) with this
    /// verifier, whose policy names the authorization server as `issuer`
    /// and the resource's client id as `audience`, and whose keys are the
    /// authorization server's. Returns the text of its
    /// `token_introspection` object, for [`Introspection::check`].
    ///
    /// Beyond [`Verifier::verify`]'s checks (signature, `iss`, `aud`,
    /// times), the header's `typ` must be `token-introspection+jwt` and
    /// `iat` must be present and at most the policy's `maxTokenAge` (by
    /// default [`DEFAULT_INTROSPECTION_MAX_AGE`]) old. Any failure is
    /// `ERR_INTROSPECTION_INVALID`, its detail naming the check's own code:
    /// a response that does not verify says nothing about the token.
    pub fn verify_introspection_response(&self, response: &str, now: i64) -> Result<String> {
        self.open_introspection_response(response, now)
            .map_err(invalid)
    }

    fn open_introspection_response(&self, response: &str, now: i64) -> Result<String> {
        let signed = self.verify_signature(response)?;
        if !signed
            .header
            .typ
            .as_deref()
            .is_some_and(|typ| same_typ(typ, INTROSPECTION_TYP))
        {
            return Err(Error::claim(
                ErrorKind::TypInvalid,
                "typ",
                format!("a signed introspection response has typ {INTROSPECTION_TYP}"),
            ));
        }
        let claims = token::parse_object(&signed.payload, "payload")?;
        claims::check(self.policy(), &claims, signed.key.issuer(), now)?;
        let iat = numeric_date(&claims, "iat")?
            .ok_or_else(|| Error::claim(ErrorKind::ClaimMissing, "iat", "iat is required"))?;
        let max_age = self
            .policy()
            .max_token_age
            .unwrap_or(DEFAULT_INTROSPECTION_MAX_AGE);
        let oldest = i64::try_from(max_age.saturating_add(self.policy().clock_tolerance))
            .unwrap_or(i64::MAX);
        if now.saturating_sub(iat) > oldest {
            return Err(Error::claim(
                ErrorKind::TokenTooOld,
                "iat",
                format!("the response is {} s old; at most {max_age} s", now - iat),
            ));
        }
        match claims.get(TOKEN_INTROSPECTION) {
            Some(Value::Object(answer)) => {
                serde_json::to_string(answer).map_err(|_| Error::new(ErrorKind::Internal))
            }
            None => Err(Error::claim(
                ErrorKind::ClaimMissing,
                TOKEN_INTROSPECTION,
                "token_introspection is required",
            )),
            Some(_) => Err(Error::claim(
                ErrorKind::ClaimInvalid,
                TOKEN_INTROSPECTION,
                "token_introspection must be an object",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn introspection(extra: &str) -> Introspection {
        let policy = Policy::from_json(&format!(
            r#"{{"issuer":"https://as.example","audience":"https://api.example"{extra}}}"#
        ))
        .unwrap();
        Introspection::new(policy).unwrap()
    }

    fn code(result: Result<Introspected>) -> &'static str {
        match result {
            Ok(_) => "ok",
            Err(error) => error.code(),
        }
    }

    #[test]
    fn answers_are_checked_by_the_policy() {
        let base = r#""iss":"https://as.example","aud":"https://api.example","exp":1700000600"#;
        let table: &[(&str, &str, &str)] = &[
            ("", r#"{"active":true,BASE}"#, "ok"),
            ("", r#"{"active":false}"#, "ERR_TOKEN_INACTIVE"),
            ("", r#"{"active":"true",BASE}"#, "ERR_TOKEN_INACTIVE"),
            ("", r#"{"active":1,BASE}"#, "ERR_TOKEN_INACTIVE"),
            ("", r#"{BASE}"#, "ERR_TOKEN_INACTIVE"),
            (
                "",
                r#"{"active":true,"active":true,BASE}"#,
                "ERR_INTROSPECTION_INVALID",
            ),
            ("", r#"[true]"#, "ERR_INTROSPECTION_INVALID"),
            ("", r#"not json"#, "ERR_INTROSPECTION_INVALID"),
            (
                "",
                r#"{"active":true,"aud":"https://api.example","exp":1700000600}"#,
                "ERR_CLAIM_MISSING",
            ),
            (
                "",
                r#"{"active":true,"iss":"https://evil.example","aud":"https://api.example","exp":1700000600}"#,
                "ERR_ISSUER_INVALID",
            ),
            (
                "",
                r#"{"active":true,"iss":"https://as.example","aud":"https://other.example","exp":1700000600}"#,
                "ERR_AUDIENCE_INVALID",
            ),
            (
                "",
                r#"{"active":true,"iss":"https://as.example","aud":"https://api.example","exp":1699999000}"#,
                "ERR_TOKEN_EXPIRED",
            ),
            (
                r#","scopes":["read"]"#,
                r#"{"active":true,"scope":"read write",BASE}"#,
                "ok",
            ),
            (
                r#","scopes":["admin"]"#,
                r#"{"active":true,"scope":"read write",BASE}"#,
                "ERR_SCOPE_MISSING",
            ),
            (
                r#","clients":["app"]"#,
                r#"{"active":true,"client_id":"app",BASE}"#,
                "ok",
            ),
            (
                r#","clients":["app"]"#,
                r#"{"active":true,"client_id":"other",BASE}"#,
                "ERR_CLIENT_NOT_ALLOWED",
            ),
            (
                "",
                r#"{"active":true,"cnf":{"x5t#S256":"abc"},BASE}"#,
                "ERR_TOKEN_BOUND",
            ),
        ];
        for (extra, answer, want) in table {
            let answer = answer.replace("BASE", base);
            let got =
                code(introspection(extra).check(&answer, "opaque", NOW, &Presentation::BEARER));
            assert_eq!(got, *want, "{extra} {answer}");
        }
    }

    #[test]
    fn oversized_answers_and_tokens_are_refused() {
        let big = format!(
            r#"{{"active":true,"pad":"{}"}}"#,
            "a".repeat(MAX_INTROSPECTION_RESPONSE_SIZE)
        );
        let checker = introspection("");
        assert_eq!(
            code(checker.check(&big, "opaque", NOW, &Presentation::BEARER)),
            "ERR_INTROSPECTION_INVALID"
        );
        let token = "a".repeat(checker.policy().max_token_size + 1);
        assert_eq!(
            code(checker.check("{}", &token, NOW, &Presentation::BEARER)),
            "ERR_TOKEN_TOO_LARGE"
        );
    }
}
