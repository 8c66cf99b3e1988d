//! The verification policy: what a token must say to be accepted.
//!
//! One type, serialised to and from JSON (camelCase members), so the npm
//! package, the Worker middleware, the decoder page and the command line all
//! run exactly the same policy. Unknown members are an error: a misspelt
//! `audiences` must not silently turn a check off.

use std::collections::BTreeMap;

use crate::alg::{Algorithm, Family};
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::limits::{
    DEFAULT_MAX_TOKEN_SIZE, MAX_CLOCK_TOLERANCE, MAX_DPOP_MAX_AGE, MAX_TOKEN_SIZE_CEILING,
};
use crate::tenant::{TENANT_PLACEHOLDER, is_guid};

/// Default clock tolerance, in seconds: the usual one minute of skew.
pub const DEFAULT_CLOCK_TOLERANCE: u64 = 60;

/// The `tenants` value that accepts every tenant. It must be written out: a
/// `{tenantid}` issuer without `tenants` is an invalid policy, because any
/// Entra tenant's admin can consent to a multi-tenant app and mint app-only
/// tokens for it that carry your app roles.
pub const ANY_TENANT: &str = "*";

/// Default `dpopMaxAge`, in seconds: how far a DPoP proof's `iat` may lie from
/// now (before the clock tolerance). RFC 9449 §11.1 leaves it to the server;
/// a minute covers a request's flight and retries.
pub const DEFAULT_DPOP_MAX_AGE: u64 = 60;

/// The range of a whole-number member ([`Policy::BOUNDS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The member's name.
    pub member: &'static str,
    /// Its least value.
    pub least: u64,
    /// Its greatest value.
    pub greatest: u64,
    /// What it counts.
    pub unit: &'static str,
}

impl Bound {
    /// `ERR_POLICY_INVALID` naming the member when `value` is outside the range.
    fn check(self, value: u64) -> Result<()> {
        if (self.least..=self.greatest).contains(&value) {
            return Ok(());
        }
        let range = if self.least == 0 {
            format!("at most {} {}", self.greatest, self.unit)
        } else {
            format!("between {} and {} {}", self.least, self.greatest, self.unit)
        };
        Err(Error::claim(ErrorKind::PolicyInvalid, self.member, range))
    }
}

/// What a token must satisfy. Build it from JSON with [`Policy::from_json`] or
/// in Rust with [`Policy::new`] and the public fields; [`crate::Verifier::new`]
/// checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[non_exhaustive]
pub struct Policy {
    /// Accepted issuers (`iss`), compared exactly. An entry containing
    /// `{tenantid}` matches only when the token's `tid` (a GUID) fills it.
    /// Required.
    #[serde(deserialize_with = "one_or_many")]
    pub issuer: Vec<String>,
    /// Accepted audiences; the token's `aud` (or the claim named by
    /// [`Policy::audience_claim`]) must contain at least one. Required.
    #[serde(deserialize_with = "one_or_many")]
    pub audience: Vec<String>,
    /// Where the audience is read from: `aud` (the default) or `client_id`.
    /// AWS Cognito access tokens carry no `aud`; the app client they were
    /// issued to is their `client_id`. So no policy goes without an audience
    /// check by omission: `audience` stays required, and reading it from
    /// `client_id` must be written out.
    #[serde(default, skip_serializing_if = "AudienceClaim::is_default")]
    pub audience_claim: AudienceClaim,
    /// Allowed signature algorithms. Empty (the default) allows every
    /// supported one; keys still limit which algorithm each key verifies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub algorithms: Vec<Algorithm>,
    /// Accepted `typ` header values (e.g. `at+jwt`, `JWT`), compared as
    /// media types (RFC 7515 §4.1.9): a value without `/` stands for
    /// `application/` and the value, and case is ignored, so `at+jwt` equals
    /// `application/AT+JWT` but `text/plain` is not `application/text/plain`.
    /// Empty (the default) skips the check; when set, a token without `typ` fails.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub typ: Vec<String>,
    /// Allowed clock skew in seconds for `exp`, `nbf` and `iat`. Default
    /// [`DEFAULT_CLOCK_TOLERANCE`], at most [`MAX_CLOCK_TOLERANCE`].
    #[serde(default = "default_clock_tolerance")]
    pub clock_tolerance: u64,
    /// Whether `exp` must be present. Default `true`.
    #[serde(default = "default_true")]
    pub require_exp: bool,
    /// Maximum age in seconds since `iat` (which then becomes required).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_token_age: Option<u64>,
    /// Maximum `exp - iat` in seconds (both then become required).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_lifetime: Option<u64>,
    /// Required exact `sub`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub subject: Option<String>,
    /// Claims that must be present (any value but `null`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_claims: Vec<String>,
    /// Claims that must be absent (or `null`), e.g. `scp` for app-only
    /// tokens, which carry no delegated scopes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden_claims: Vec<String>,
    /// Accepted values of string claims, checked when the claim is present
    /// (and not `null`), e.g. `{"idtyp": ["app"]}`. List a claim in
    /// `requiredClaims` too to make it mandatory.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub claim_values: BTreeMap<String, Vec<String>>,
    /// The array claim that holds the token's roles: `roles` (the default),
    /// or another one written out, such as `cognito:groups` (AWS Cognito) or
    /// `groups`. `roles`, `anyRoles` and `requirePermission` read it.
    #[serde(
        default = "default_roles_claim",
        skip_serializing_if = "is_default_roles_claim"
    )]
    pub roles_claim: String,
    /// Roles that must all appear in the roles claim ([`Policy::roles_claim`]).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<String>,
    /// Scopes that must all appear in `scp` or `scope` (space-separated).
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub scopes: Vec<String>,
    /// Roles of which at least one must appear in `roles` (any-of), such
    /// as `["Admin", "Operator"]`. Combines with `roles` (all-of). When set,
    /// a non-empty list.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub any_roles: Option<Vec<String>>,
    /// Scopes of which at least one must appear in `scp` or `scope`
    /// (any-of). Combines with `scopes` (all-of). When set, a non-empty list.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub any_scopes: Option<Vec<String>>,
    /// Allowed clients: each of `azp`, `appid`, `client_id` present in the
    /// token must be one of these. Empty (the default) skips the check.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub clients: Vec<String>,
    /// Allowed tenants (`tid`, compared case-insensitively): tenant GUIDs,
    /// or [`ANY_TENANT`] (`"*"`) alone for every tenant. Required when an
    /// issuer contains `{tenantid}`; otherwise empty (the default) skips the
    /// check.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub tenants: Vec<String>,
    /// Whether the token must carry a permission: a non-empty `roles` (app
    /// permissions) or `scp` (delegated scopes). A policy with `clients`
    /// authorises callers by that allow-list instead, which then counts as
    /// the permission. Default `false`; the Entra ID preset sets it, since
    /// Entra issues app-only tokens without `roles` when the API does not
    /// require assignment.
    #[serde(default, skip_serializing_if = "is_false")]
    pub require_permission: bool,
    /// Algorithms accepted for DPoP proofs (RFC 9449), asymmetric only.
    /// Default: every asymmetric algorithm built in.
    #[serde(default = "default_dpop_algorithms")]
    pub dpop_algorithms: Vec<Algorithm>,
    /// How far a DPoP proof's `iat` may lie from now, in seconds, before the
    /// clock tolerance. Default [`DEFAULT_DPOP_MAX_AGE`], at most [`MAX_DPOP_MAX_AGE`].
    #[serde(default = "default_dpop_max_age")]
    pub dpop_max_age: u64,
    /// Token size cap in bytes. Default [`DEFAULT_MAX_TOKEN_SIZE`], at most
    /// [`MAX_TOKEN_SIZE_CEILING`].
    #[serde(default = "default_max_token_size")]
    pub max_token_size: usize,
    /// Accepted authentication context classes (RFC 9470 §3): the token's
    /// `acr` must be one of them. Empty (the default) skips the check.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub acr_values: Vec<String>,
    /// Maximum age in seconds of the user's authentication (RFC 9470 §3):
    /// `auth_time` then becomes required, and `now - auth_time` may not
    /// exceed it (plus the clock tolerance).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_auth_age: Option<u64>,
    /// Entra ID Conditional Access authentication context ids (`c1` to
    /// `c99`) that must all appear in the token's `acrs` claim. Empty (the
    /// default) skips the check.
    #[serde(
        default,
        deserialize_with = "one_or_many",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub auth_context: Vec<String>,
}

/// Whether `id` is an Entra authentication context id: `c1` to `c99`, no
/// leading zero.
fn is_auth_context_id(id: &str) -> bool {
    id.strip_prefix('c')
        .filter(|digits| !digits.starts_with('0') && (1..=2).contains(&digits.len()))
        .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The claim that holds the audience a policy checks (`audienceClaim`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
#[non_exhaustive]
pub enum AudienceClaim {
    /// `aud` (RFC 7519 §4.1.3): a string or an array of strings.
    #[default]
    Aud,
    /// `client_id` (RFC 9068 §2.2, RFC 8693 §4.3): a string. AWS Cognito
    /// access tokens name their audience, the app client, only there.
    ClientId,
}

impl AudienceClaim {
    /// The claim's name in a token.
    pub fn name(self) -> &'static str {
        match self {
            Self::Aud => "aud",
            Self::ClientId => "client_id",
        }
    }

    fn is_default(&self) -> bool {
        *self == Self::Aud
    }
}

impl TryFrom<String> for AudienceClaim {
    type Error = String;

    fn try_from(name: String) -> core::result::Result<Self, String> {
        match name.as_str() {
            "aud" => Ok(Self::Aud),
            "client_id" => Ok(Self::ClientId),
            _ => Err(format!(
                "audienceClaim must be \"aud\" or \"client_id\", not {}",
                crate::text::quote(&name)
            )),
        }
    }
}

impl From<AudienceClaim> for &'static str {
    fn from(claim: AudienceClaim) -> Self {
        claim.name()
    }
}

/// The default of `rolesClaim`.
pub const DEFAULT_ROLES_CLAIM: &str = "roles";

fn default_roles_claim() -> String {
    DEFAULT_ROLES_CLAIM.to_owned()
}

fn is_default_roles_claim(name: &str) -> bool {
    name == DEFAULT_ROLES_CLAIM
}

fn default_clock_tolerance() -> u64 {
    DEFAULT_CLOCK_TOLERANCE
}

fn default_true() -> bool {
    true
}

fn default_max_token_size() -> usize {
    DEFAULT_MAX_TOKEN_SIZE
}

fn default_dpop_max_age() -> u64 {
    DEFAULT_DPOP_MAX_AGE
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// Every asymmetric algorithm this build verifies, in the order a server
/// would list them in a `DPoP algs` challenge: ECDSA, EdDSA, then RSA.
fn default_dpop_algorithms() -> Vec<Algorithm> {
    [Family::Ecdsa, Family::EdDsa, Family::Rsa]
        .into_iter()
        .flat_map(|family| {
            Algorithm::all().filter(move |alg| alg.family() == family && alg.built_in())
        })
        .collect()
}

/// An optional member that, when written, holds a value: `null` is refused
/// rather than read as "not set", so a JSON encoder that turns `NaN` into
/// `null` cannot switch a check off. (Absent members take `#[serde(default)]`.)
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> core::result::Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

fn one_or_many<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> core::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    match OneOrMany::deserialize(deserializer) {
        Ok(OneOrMany::One(one)) => Ok(vec![one]),
        Ok(OneOrMany::Many(many)) => Ok(many),
        Err(_) => Err(serde::de::Error::custom(
            "expected a string or an array of strings",
        )),
    }
}

impl Policy {
    /// Every member of the JSON form, in declaration order: hosts use it to
    /// tell policy options from their own (a unit test keeps it equal to
    /// the serde members).
    pub const MEMBERS: &'static [&'static str] = &[
        "issuer",
        "audience",
        "audienceClaim",
        "algorithms",
        "typ",
        "clockTolerance",
        "requireExp",
        "maxTokenAge",
        "maxLifetime",
        "subject",
        "requiredClaims",
        "forbiddenClaims",
        "claimValues",
        "rolesClaim",
        "roles",
        "scopes",
        "anyRoles",
        "anyScopes",
        "clients",
        "tenants",
        "requirePermission",
        "dpopAlgorithms",
        "dpopMaxAge",
        "maxTokenSize",
        "acrValues",
        "maxAuthAge",
        "authContext",
    ];

    /// The members whose value is a whole number (seconds or bytes), never
    /// negative, fractional or `null`: hosts check these before building the
    /// JSON, since JavaScript's encoder writes `NaN` and `Infinity` as `null`.
    pub const WHOLE_NUMBER_MEMBERS: &'static [&'static str] = &[
        "clockTolerance",
        "maxTokenAge",
        "maxLifetime",
        "dpopMaxAge",
        "maxTokenSize",
        "maxAuthAge",
    ];

    /// `clockTolerance`: at most a day.
    pub const CLOCK_TOLERANCE_BOUND: Bound = Bound {
        member: "clockTolerance",
        least: 0,
        greatest: MAX_CLOCK_TOLERANCE,
        unit: "seconds",
    };

    /// `dpopMaxAge`: a second to [`MAX_DPOP_MAX_AGE`].
    pub const DPOP_MAX_AGE_BOUND: Bound = Bound {
        member: "dpopMaxAge",
        least: 1,
        greatest: MAX_DPOP_MAX_AGE,
        unit: "seconds",
    };

    /// `maxTokenSize`: a byte to [`MAX_TOKEN_SIZE_CEILING`].
    // A usize constant that fits in u64.
    #[allow(clippy::cast_possible_truncation)]
    pub const MAX_TOKEN_SIZE_BOUND: Bound = Bound {
        member: "maxTokenSize",
        least: 1,
        greatest: MAX_TOKEN_SIZE_CEILING as u64,
        unit: "bytes",
    };

    /// Every bounded member: the one place a member's bounds are written
    /// ([`Policy::check`] applies them; the core's facts carry them).
    pub const BOUNDS: &'static [Bound] = &[
        Self::CLOCK_TOLERANCE_BOUND,
        Self::DPOP_MAX_AGE_BOUND,
        Self::MAX_TOKEN_SIZE_BOUND,
    ];

    /// The members a policy must write (`issuer`, `audience`).
    pub const REQUIRED_MEMBERS: &'static [&'static str] = &["issuer", "audience"];

    /// Each member's default, as JSON, in [`Policy::MEMBERS`]' order: the
    /// value an absent member takes, or `null` for a member that is then not
    /// set (a list that requires nothing, a check that is skipped). The
    /// required members have no entry.
    pub fn defaults() -> Vec<(&'static str, serde_json::Value)> {
        let mut written = match serde_json::to_value(Policy::new("", "")) {
            Ok(serde_json::Value::Object(members)) => members,
            _ => serde_json::Map::new(),
        };
        // Written only when they differ from their defaults.
        written.insert(
            "audienceClaim".into(),
            AudienceClaim::default().name().into(),
        );
        written.insert("rolesClaim".into(), DEFAULT_ROLES_CLAIM.into());
        written.insert("requirePermission".into(), false.into());
        Self::MEMBERS
            .iter()
            .filter(|member| !Self::REQUIRED_MEMBERS.contains(member))
            .map(|&member| (member, written.remove(member).unwrap_or_default()))
            .collect()
    }

    /// A policy with the given issuer and audience and every other field at
    /// its default.
    pub fn new(issuer: impl Into<String>, audience: impl Into<String>) -> Self {
        Self {
            issuer: vec![issuer.into()],
            audience: vec![audience.into()],
            audience_claim: AudienceClaim::Aud,
            algorithms: Vec::new(),
            typ: Vec::new(),
            clock_tolerance: DEFAULT_CLOCK_TOLERANCE,
            require_exp: true,
            max_token_age: None,
            max_lifetime: None,
            subject: None,
            required_claims: Vec::new(),
            forbidden_claims: Vec::new(),
            claim_values: BTreeMap::new(),
            roles_claim: default_roles_claim(),
            roles: Vec::new(),
            scopes: Vec::new(),
            any_roles: None,
            any_scopes: None,
            clients: Vec::new(),
            tenants: Vec::new(),
            require_permission: false,
            dpop_algorithms: default_dpop_algorithms(),
            dpop_max_age: DEFAULT_DPOP_MAX_AGE,
            max_token_size: DEFAULT_MAX_TOKEN_SIZE,
            acr_values: Vec::new(),
            max_auth_age: None,
            auth_context: Vec::new(),
        }
    }

    /// Parses a policy from JSON and checks it. Errors are `ERR_POLICY_INVALID`.
    pub fn from_json(json: &str) -> Result<Self> {
        let policy: Self = serde_json::from_str(json).map_err(|e| {
            let text = e.to_string();
            let text = text
                .split(" at line ")
                .next()
                .unwrap_or("invalid json")
                .to_owned();
            Error::with_detail(ErrorKind::PolicyInvalid, text)
        })?;
        policy.check()?;
        Ok(policy)
    }

    /// Serialises the policy to JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Checks that the policy is complete and consistent.
    pub fn check(&self) -> Result<()> {
        let invalid =
            |field: &str, why: &str| Err(Error::claim(ErrorKind::PolicyInvalid, field, why));
        if self.issuer.is_empty() {
            return invalid("issuer", "at least one issuer is required");
        }
        if self.audience.is_empty() {
            return invalid("audience", "at least one audience is required");
        }
        let lists: [(&str, &Vec<String>); 10] = [
            ("issuer", &self.issuer),
            ("audience", &self.audience),
            ("typ", &self.typ),
            ("requiredClaims", &self.required_claims),
            ("forbiddenClaims", &self.forbidden_claims),
            ("roles", &self.roles),
            ("scopes", &self.scopes),
            ("clients", &self.clients),
            ("tenants", &self.tenants),
            ("acrValues", &self.acr_values),
        ];
        for (field, list) in lists {
            if list.iter().any(String::is_empty) {
                return invalid(field, "empty strings are not allowed");
            }
        }
        for (name, values) in &self.claim_values {
            if name.is_empty() || values.is_empty() || values.iter().any(String::is_empty) {
                return invalid(
                    "claimValues",
                    "each entry needs a claim name and a non-empty list of non-empty values",
                );
            }
        }
        if let Some(name) = self.forbidden_claims.iter().find(|name| {
            self.required_claims.contains(name) || self.claim_values.contains_key(name.as_str())
        }) {
            return invalid(
                "forbiddenClaims",
                &format!("{name} is also required or given accepted values"),
            );
        }
        for issuer in &self.issuer {
            if issuer.matches(TENANT_PLACEHOLDER).count() > 1 {
                return invalid("issuer", "an issuer template may contain {tenantid} once");
            }
        }
        self.check_tenants()?;
        if self.dpop_algorithms.is_empty() {
            return invalid("dpopAlgorithms", "at least one algorithm is required");
        }
        if let Some(alg) = self.dpop_algorithms.iter().find(|alg| alg.is_symmetric()) {
            return invalid(
                "dpopAlgorithms",
                &format!(
                    "{} is symmetric; a dpop proof is signed with the client's private key",
                    alg.name()
                ),
            );
        }
        Self::DPOP_MAX_AGE_BOUND.check(self.dpop_max_age)?;
        for (field, list) in [
            ("anyRoles", &self.any_roles),
            ("anyScopes", &self.any_scopes),
        ] {
            match list {
                Some(list) if list.is_empty() => {
                    return invalid(field, "lists at least one value when set");
                }
                Some(list) if list.iter().any(String::is_empty) => {
                    return invalid(field, "empty strings are not allowed");
                }
                _ => {}
            }
        }
        let any_scopes = self.any_scopes.as_deref().unwrap_or_default();
        for (field, list) in [
            ("scopes", self.scopes.as_slice()),
            ("anyScopes", any_scopes),
        ] {
            if list.iter().any(|s| s.contains(' ')) {
                return invalid(field, "a scope cannot contain a space");
            }
        }
        Self::CLOCK_TOLERANCE_BOUND.check(self.clock_tolerance)?;
        Self::MAX_TOKEN_SIZE_BOUND.check(u64::try_from(self.max_token_size).unwrap_or(u64::MAX))?;
        if self.subject.as_deref() == Some("") {
            return invalid("subject", "empty strings are not allowed");
        }
        if let Some(bad) = self.auth_context.iter().find(|id| !is_auth_context_id(id)) {
            return invalid(
                "authContext",
                &format!(
                    "{} is not an authentication context id (c1 to c99)",
                    crate::text::quote(bad)
                ),
            );
        }
        if self.roles_claim.is_empty() {
            return invalid(
                "rolesClaim",
                "names a claim: an empty string is not allowed",
            );
        }
        Ok(())
    }

    /// `tenants` is GUIDs or `"*"` alone, and a `{tenantid}` issuer has it.
    fn check_tenants(&self) -> Result<()> {
        let invalid = |why: String| Err(Error::claim(ErrorKind::PolicyInvalid, "tenants", why));
        if self.tenants.iter().any(|t| t == ANY_TENANT) {
            if self.tenants.len() > 1 {
                return invalid(format!(
                    "{ANY_TENANT:?} (any tenant) cannot be combined with tenant ids"
                ));
            }
        } else if let Some(bad) = self.tenants.iter().find(|t| !is_guid(t)) {
            return invalid(format!(
                "{} is not a tenant id (a GUID) or {ANY_TENANT:?}",
                crate::text::quote(bad)
            ));
        }
        if self.tenants.is_empty()
            && let Some(template) = self.issuer.iter().find(|i| i.contains(TENANT_PLACEHOLDER))
        {
            return invalid(format!(
                "the issuer {} accepts tokens from every entra tenant, and any tenant's admin \
                 can mint app-only tokens for a multi-tenant app; list the allowed tenant \
                 GUIDs (tenants: [\"<guid>\", ...]) or accept any tenant explicitly \
                 (tenants: \"*\")",
                crate::text::quote(template)
            ));
        }
        Ok(())
    }

    /// Whether the policy allows `alg`.
    pub(crate) fn allows(&self, alg: Algorithm) -> bool {
        self.algorithms.is_empty() || self.algorithms.contains(&alg)
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn members_are_the_serde_members() {
        let mut policy = Policy::new("i", "a");
        policy.algorithms = vec![Algorithm::RS256];
        policy.typ = vec!["at+jwt".into()];
        policy.max_token_age = Some(1);
        policy.max_lifetime = Some(1);
        policy.subject = Some("s".into());
        policy.required_claims = vec!["c".into()];
        policy.forbidden_claims = vec!["c".into()];
        policy.claim_values = BTreeMap::from([("c".into(), vec!["v".into()])]);
        policy.audience_claim = AudienceClaim::ClientId;
        policy.roles_claim = "cognito:groups".into();
        policy.roles = vec!["r".into()];
        policy.scopes = vec!["s".into()];
        policy.any_roles = Some(vec!["r".into()]);
        policy.any_scopes = Some(vec!["s".into()]);
        policy.clients = vec!["c".into()];
        policy.tenants = vec!["*".into()];
        policy.require_permission = true;
        policy.acr_values = vec!["urn:example:mfa".into()];
        policy.max_auth_age = Some(300);
        policy.auth_context = vec!["c1".into()];
        let value = serde_json::to_value(&policy).unwrap();
        let members: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = Policy::MEMBERS.to_vec();
        expected.sort_unstable();
        let mut members = members;
        members.sort_unstable();
        assert_eq!(members, expected);
    }

    #[test]
    fn parses_with_defaults_and_round_trips() {
        let policy = Policy::from_json(r#"{"issuer":"https://i","audience":["a","b"]}"#).unwrap();
        assert_eq!(policy, {
            let mut p = Policy::new("https://i", "a");
            p.audience.push("b".into());
            p
        });
        assert_eq!(Policy::from_json(&policy.to_json()).unwrap(), policy);
    }

    #[test]
    fn tenants_are_explicit_for_template_issuers() {
        let template = r#""issuer":"https://x/{tenantid}/v2.0","audience":"a""#;
        for tenants in [
            r#""*""#,
            r#"["*"]"#,
            r#"["72f988bf-86f1-41af-91ab-2d7cd011db47"]"#,
        ] {
            let policy = Policy::from_json(&format!("{{{template},\"tenants\":{tenants}}}"));
            assert!(policy.is_ok(), "{tenants}: {policy:?}");
        }
        let error = Policy::from_json(&format!("{{{template}}}")).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(r#"tenants: "*""#) && message.contains("GUIDs"),
            "{message}"
        );
    }

    /// Every member, given a number or `null`: a whole number ≥ 0 is read only
    /// by the whole-number members; `null`, fractions, negatives, strings and
    /// booleans are refused by all of them, so no encoding of "no value"
    /// turns a check off. Members outside the list refuse numbers and `null`.
    #[test]
    fn numbers_and_null_where_numbers_are_meant() {
        let bad = ["null", "-1", "1.5", "1e400", r#""60""#, "true", "[60]"];
        for &member in Policy::MEMBERS {
            let whole = Policy::WHOLE_NUMBER_MEMBERS.contains(&member);
            let with = |value: &str| {
                let json = match member {
                    "issuer" => format!(r#"{{"audience":"a","issuer":{value}}}"#),
                    "audience" => format!(r#"{{"issuer":"i","audience":{value}}}"#),
                    _ => format!(r#"{{"issuer":"i","audience":"a","{member}":{value}}}"#),
                };
                Policy::from_json(&json)
            };
            assert_eq!(with("60").is_ok(), whole, "{member}: 60");
            let refused: &[&str] = if whole { &bad } else { &["null"] };
            for &value in refused {
                let error = with(value).expect_err(&format!("{member}: {value} must be refused"));
                assert_eq!(error.kind(), ErrorKind::PolicyInvalid, "{member}: {value}");
            }
        }
        for &member in Policy::WHOLE_NUMBER_MEMBERS {
            assert!(Policy::MEMBERS.contains(&member), "{member}");
        }
    }

    /// The defaults the facts give are the ones a policy takes: written out,
    /// they make the same policy as leaving them out.
    #[test]
    fn defaults_are_the_policys_own() {
        let defaults = Policy::defaults();
        let names: Vec<&str> = defaults.iter().map(|(member, _)| *member).collect();
        let mut expected: Vec<&str> = Policy::MEMBERS.to_vec();
        expected.retain(|member| !Policy::REQUIRED_MEMBERS.contains(member));
        assert_eq!(names, expected);
        let mut written = serde_json::json!({"issuer": "i", "audience": "a"});
        for (member, value) in defaults {
            if !value.is_null() {
                written[member] = value;
            }
        }
        assert_eq!(
            Policy::from_json(&written.to_string()).unwrap(),
            Policy::new("i", "a")
        );
    }

    /// Each bound admits its least and greatest value and refuses one
    /// beyond either, naming the member.
    #[test]
    fn bounds_hold_at_their_edges() {
        for bound in Policy::BOUNDS {
            let with = |value: u64| {
                Policy::from_json(&format!(
                    r#"{{"issuer":"i","audience":"a","{}":{value}}}"#,
                    bound.member
                ))
            };
            assert!(with(bound.least).is_ok(), "{}", bound.member);
            assert!(with(bound.greatest).is_ok(), "{}", bound.member);
            let mut beyond = vec![bound.greatest + 1];
            if bound.least > 0 {
                beyond.push(bound.least - 1);
            }
            for value in beyond {
                let error = with(value).unwrap_err();
                assert_eq!(error.kind(), ErrorKind::PolicyInvalid);
                assert_eq!(error.claim_name(), Some(bound.member), "{value}");
            }
        }
    }

    #[test]
    fn auth_context_ids_are_c1_to_c99() {
        for id in ["c1", "c9", "c10", "c99"] {
            assert!(is_auth_context_id(id), "{id}");
        }
        for id in [
            "c0", "c00", "c01", "c100", "C1", "c", "", "c1 ", "d1", "c-1", "c١",
        ] {
            assert!(!is_auth_context_id(id), "{id}");
        }
    }

    #[test]
    fn rejects_bad_policies() {
        let table: &[(&str, Option<&str>)] = &[
            (r#"{"audience":"a"}"#, None),
            (r#"{"issuer":"i"}"#, None),
            (r#"{"issuer":[],"audience":"a"}"#, Some("issuer")),
            (r#"{"issuer":"i","audience":[]}"#, Some("audience")),
            (r#"{"issuer":"i","audience":"a","audiences":"x"}"#, None),
            (
                r#"{"issuer":"i","audience":"a","roles":[""]}"#,
                Some("roles"),
            ),
            (
                r#"{"issuer":"i","audience":"a","scopes":["a b"]}"#,
                Some("scopes"),
            ),
            (
                r#"{"issuer":"i","audience":"a","clockTolerance":999999}"#,
                Some("clockTolerance"),
            ),
            (r#"{"issuer":"i","audience":"a","clockTolerance":-1}"#, None),
            (
                r#"{"issuer":"i","audience":"a","maxTokenSize":0}"#,
                Some("maxTokenSize"),
            ),
            (
                r#"{"issuer":"i","audience":"a","algorithms":["none"]}"#,
                None,
            ),
            (
                r#"{"issuer":"{tenantid}{tenantid}","audience":"a"}"#,
                Some("issuer"),
            ),
            (r#"{"issuer":1,"audience":"a"}"#, None),
            (
                r#"{"issuer":"i","audience":"a","forbiddenClaims":[""]}"#,
                Some("forbiddenClaims"),
            ),
            (
                r#"{"issuer":"i","audience":"a","forbiddenClaims":["scp"],"requiredClaims":["scp"]}"#,
                Some("forbiddenClaims"),
            ),
            (
                r#"{"issuer":"i","audience":"a","forbiddenClaims":["idtyp"],"claimValues":{"idtyp":["app"]}}"#,
                Some("forbiddenClaims"),
            ),
            (
                r#"{"issuer":"i","audience":"a","claimValues":{"idtyp":[]}}"#,
                Some("claimValues"),
            ),
            (
                r#"{"issuer":"i","audience":"a","claimValues":{"":["x"]}}"#,
                Some("claimValues"),
            ),
            (
                r#"{"issuer":"i","audience":"a","claimValues":{"idtyp":"app"}}"#,
                None,
            ),
            (
                r#"{"issuer":"https://x/{tenantid}/v2.0","audience":"a"}"#,
                Some("tenants"),
            ),
            (
                r#"{"issuer":"https://x/{tenantid}/v2.0","audience":"a","tenants":[]}"#,
                Some("tenants"),
            ),
            (
                r#"{"issuer":"i","audience":"a","tenants":["*","72f988bf-86f1-41af-91ab-2d7cd011db47"]}"#,
                Some("tenants"),
            ),
            (
                r#"{"issuer":"i","audience":"a","tenants":"contoso"}"#,
                Some("tenants"),
            ),
            (
                r#"{"issuer":"i","audience":"a","dpopAlgorithms":["HS256"]}"#,
                Some("dpopAlgorithms"),
            ),
            (
                r#"{"issuer":"i","audience":"a","dpopAlgorithms":[]}"#,
                Some("dpopAlgorithms"),
            ),
            (
                r#"{"issuer":"i","audience":"a","dpopMaxAge":0}"#,
                Some("dpopMaxAge"),
            ),
            (
                r#"{"issuer":"i","audience":"a","dpopMaxAge":301}"#,
                Some("dpopMaxAge"),
            ),
            (
                r#"{"issuer":"i","audience":"a","requirePermission":"yes"}"#,
                None,
            ),
            (
                r#"{"issuer":"i","audience":"a","anyRoles":[]}"#,
                Some("anyRoles"),
            ),
            (
                r#"{"issuer":"i","audience":"a","anyRoles":[""]}"#,
                Some("anyRoles"),
            ),
            (r#"{"issuer":"i","audience":"a","anyRoles":"Admin"}"#, None),
            (
                r#"{"issuer":"i","audience":"a","anyScopes":["a b"]}"#,
                Some("anyScopes"),
            ),
            // The audience claim is one of two names, and never replaces
            // the audience list: a policy without `audience` still fails.
            (r#"{"issuer":"i","audienceClaim":"client_id"}"#, None),
            (
                r#"{"issuer":"i","audience":[],"audienceClaim":"client_id"}"#,
                Some("audience"),
            ),
            (
                r#"{"issuer":"i","audience":"a","audienceClaim":"azp"}"#,
                None,
            ),
            (
                r#"{"issuer":"i","audience":"a","audienceClaim":"CLIENT_ID"}"#,
                None,
            ),
            (
                r#"{"issuer":"i","audience":"a","audienceClaim":null}"#,
                None,
            ),
            (r#"{"issuer":"i","audience":"a","audienceClaim":""}"#, None),
            (
                r#"{"issuer":"i","audience":"a","rolesClaim":""}"#,
                Some("rolesClaim"),
            ),
            (
                r#"{"issuer":"i","audience":"a","rolesClaim":["groups"]}"#,
                None,
            ),
            (
                r#"{"issuer":"i","audience":"a","acrValues":[""]}"#,
                Some("acrValues"),
            ),
            (r#"{"issuer":"i","audience":"a","acrValues":[1]}"#, None),
            (r#"{"issuer":"i","audience":"a","maxAuthAge":-5}"#, None),
            (
                r#"{"issuer":"i","audience":"a","authContext":["c0"]}"#,
                Some("authContext"),
            ),
            (
                r#"{"issuer":"i","audience":"a","authContext":["c100"]}"#,
                Some("authContext"),
            ),
            (
                r#"{"issuer":"i","audience":"a","authContext":["c01"]}"#,
                Some("authContext"),
            ),
            (
                r#"{"issuer":"i","audience":"a","authContext":["C1"]}"#,
                Some("authContext"),
            ),
            (
                r#"{"issuer":"i","audience":"a","authContext":["c"]}"#,
                Some("authContext"),
            ),
        ];
        for (json, claim) in table {
            let err = Policy::from_json(json).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::PolicyInvalid, "{json}");
            assert_eq!(err.claim_name(), *claim, "{json}");
        }
    }
}
