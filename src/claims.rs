//! Claim checks, run only after the signature has verified.
//!
//! Time is an argument (`now`, Unix seconds): the core never reads a clock.
//! Each check has its error codes; [`check`] runs them in the order
//! [`crate::verifier::CHECKS`] lists them. The binding (`cnf`) is checked
//! after these, in [`crate::binding`].

use serde_json::{Map, Value};

use crate::error::{ClaimsChallenge, Error, ErrorKind, Result};
use crate::limits::MAX_NUMERIC_DATE;
use crate::policy::{ANY_TENANT, AudienceClaim, Policy};
use crate::tenant::{TENANT_PLACEHOLDER, is_guid, issuer_matches};
use crate::text::quote;

/// The claims a check reads, found by name.
type Claims = dyn ClaimSet;

/// A set of claims the checks read by name: a whole claim set (an
/// introspection response, a DPoP proof's payload) or the members of a
/// token's payload that [`read_payload`] kept.
pub(crate) trait ClaimSet {
    /// The claim `name`, when present.
    fn get(&self, name: &str) -> Option<&Value>;

    /// Whether the claim `name` is present.
    fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl ClaimSet for Map<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        Map::get(self, name)
    }
}

/// Client identifier claims: `azp` (Entra v2, OpenID), `appid` (Entra v1),
/// `client_id` (RFC 9068).
const CLIENT_CLAIMS: [&str; 3] = ["azp", "appid", "client_id"];

/// Runs every claim check of `policy` against `claims` at time `now`.
/// `bound_issuer` is the issuer the verifying key is bound to, when it is
/// (Entra ID v2 key sets); `None` for an unbound key or an introspection
/// response, which no key signed.
pub(crate) fn check(
    policy: &Policy,
    claims: &Claims,
    bound_issuer: Option<&str>,
    now: i64,
) -> Result<()> {
    check_issuer(policy, claims, bound_issuer)?;
    check_audience(policy, claims)?;
    check_times(policy, claims, now)?;
    check_presence(policy, claims)?;
    check_tenant(policy, claims)?;
    check_client(policy, claims)?;
    check_roles(policy, claims)?;
    check_scopes(policy, claims)?;
    check_permission(policy, claims)?;
    check_acr(policy, claims)?;
    check_auth_context(policy, claims)
}

/// The slot of claim `name` among the claims [`check`] or the binding
/// check reads whatever the policy (the issuer, audience, time, subject,
/// tenant, client, scope, authentication and binding claims), then `roles`,
/// the default roles claim; `None` for any other name.
fn slot(name: &[u8]) -> Option<usize> {
    Some(match name {
        b"iss" => 0,
        b"tid" => 1,
        b"aud" => 2,
        b"client_id" => 3,
        b"exp" => 4,
        b"nbf" => 5,
        b"iat" => 6,
        b"auth_time" => 7,
        b"sub" => 8,
        b"azp" => 9,
        b"appid" => 10,
        b"scp" => 11,
        b"scope" => 12,
        b"acr" => 13,
        b"acrs" => 14,
        b"xms_cc" => 15,
        b"cnf" => 16,
        b"roles" => ROLES_SLOT,
        _ => return None,
    })
}

/// [`slot`]'s slot for `roles`, read only when the policy's roles claim is
/// `roles` (the one slot a policy decides on).
const ROLES_SLOT: usize = 17;

/// The number of slots [`slot`] hands out.
const SLOTS: usize = ROLES_SLOT + 1;

/// Whether [`check`] or the binding check may read claim `name` (with
/// [`slot`]'s answer for it) under `policy`: a claim every policy reads;
/// the policy's roles claim; a claim it requires, forbids or constrains.
fn reads(policy: &Policy, name: &[u8], slot: Option<usize>) -> bool {
    let named = |claim: &String| claim.as_bytes() == name;
    slot.is_some_and(|slot| slot != ROLES_SLOT)
        || named(&policy.roles_claim)
        || policy.required_claims.iter().any(named)
        || policy.forbidden_claims.iter().any(named)
        || policy.claim_values.keys().any(named)
}

/// The members of a token's payload that its policy's checks read: one
/// slot for each claim [`slot`] names, found without a map or a copy of
/// the name, and the few others the policy names beside them.
#[derive(Debug, Default)]
pub(crate) struct ReadClaims {
    slots: [Option<Value>; SLOTS],
    others: Vec<(String, Value)>,
}

impl ClaimSet for ReadClaims {
    fn get(&self, name: &str) -> Option<&Value> {
        match slot(name.as_bytes()) {
            Some(slot) => self.slots.get(slot)?.as_ref(),
            None => self
                .others
                .iter()
                .find(|(other, _)| other == name)
                .map(|(_, value)| value),
        }
    }
}

#[cfg(any(test, feature = "json-oracle"))]
impl ReadClaims {
    /// How many claims were kept (for the differential tests).
    pub(crate) fn len(&self) -> usize {
        self.slots.iter().flatten().count() + self.others.len()
    }
}

/// The claims of a signed payload that `policy`'s checks read, from its
/// decoded bytes, and the payload's text: the whole payload is checked as
/// strictly as a parse would (`ERR_TOKEN_MALFORMED` otherwise), in one pass
/// and without a tree; only the members [`reads`] names are parsed into
/// values.
pub(crate) fn read_payload(policy: &Policy, payload: Vec<u8>) -> Result<(ReadClaims, String)> {
    let malformed =
        |why: String| Error::with_detail(ErrorKind::TokenMalformed, format!("payload: {why}"));
    let text = crate::json::utf8(payload).map_err(malformed)?;
    let mut read = ReadClaims::default();
    let mut unreadable = false;
    crate::json::check_object(&text, &mut |name, checked| {
        let slot = slot(name);
        if !reads(policy, name, slot) {
            return;
        }
        let Some(value) = crate::json::value(checked) else {
            unreadable = true;
            return;
        };
        // A strict payload names each member once: no slot is filled twice.
        match slot.and_then(|slot| read.slots.get_mut(slot)) {
            Some(place) => *place = Some(value),
            // The strict check hands over UTF-8 names.
            None => read.others.push((
                core::str::from_utf8(name).unwrap_or_default().to_owned(),
                value,
            )),
        }
    })
    .map_err(malformed)?;
    if unreadable {
        return Err(Error::new(ErrorKind::Internal));
    }
    Ok((read, text))
}

/// A string claim, when present; any other type is `ERR_CLAIM_INVALID`.
pub(crate) fn string_claim<'a>(claims: &'a Claims, name: &str) -> Result<Option<&'a str>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::claim(
            ErrorKind::ClaimInvalid,
            name,
            format!("{name} must be a string"),
        )),
    }
}

/// A string claim that must be present (`ERR_CLAIM_MISSING` when it is not).
pub(crate) fn required_string<'a>(claims: &'a Claims, name: &str) -> Result<&'a str> {
    string_claim(claims, name)?
        .ok_or_else(|| Error::claim(ErrorKind::ClaimMissing, name, format!("{name} is required")))
}

fn check_issuer(policy: &Policy, claims: &Claims, bound_issuer: Option<&str>) -> Result<()> {
    let iss = required_string(claims, "iss")?;
    let tid = string_claim(claims, "tid")?;
    if !policy
        .issuer
        .iter()
        .any(|expected| issuer_matches(expected, iss, tid))
    {
        let templated = policy.issuer.iter().any(|i| i.contains(TENANT_PLACEHOLDER));
        let hint = if templated && !tid.is_some_and(is_guid) {
            "; a {tenantid} issuer needs a GUID tid claim".to_owned()
        } else {
            crate::tenant::diagnose(&policy.issuer, iss, tid)
        };
        let hint = if hint.is_empty() {
            format!(
                "; accepted: {}",
                crate::text::quote_list(policy.issuer.iter().map(String::as_str))
            )
        } else {
            hint
        };
        return Err(Error::claim(
            ErrorKind::IssuerInvalid,
            "iss",
            format!("{} is not an accepted issuer{hint}", quote(iss)),
        ));
    }
    // Entra ID v2 key sets bind each key to an issuer (possibly a template):
    // a key published for one tenant's issuer must not vouch for another's.
    if let Some(bound) = bound_issuer
        && !issuer_matches(bound, iss, tid)
    {
        return Err(Error::claim(
            ErrorKind::IssuerInvalid,
            "iss",
            format!("the signing key is bound to issuer {}", quote(bound)),
        ));
    }
    Ok(())
}

/// The audience check, on the claim the policy names (`audienceClaim`):
/// `aud`, a string or a non-empty array of strings, or `client_id`, a
/// string. With `client_id`, `aud` is not read: a token's `aud` never
/// stands in for a missing `client_id`.
fn check_audience(policy: &Policy, claims: &Claims) -> Result<()> {
    let name = policy.audience_claim.name();
    let invalid = || {
        Error::claim(
            ErrorKind::ClaimInvalid,
            name,
            match policy.audience_claim {
                AudienceClaim::ClientId => "client_id must be a string",
                _ => "aud must be a string or a non-empty array of strings",
            },
        )
    };
    let audiences: Vec<&str> = match (claims.get(name), policy.audience_claim) {
        (None, _) => {
            return Err(Error::claim(
                ErrorKind::ClaimMissing,
                name,
                format!("{name} is required"),
            ));
        }
        (Some(Value::String(aud)), _) => vec![aud.as_str()],
        (Some(Value::Array(items)), AudienceClaim::Aud) if !items.is_empty() => items
            .iter()
            .map(|item| item.as_str().ok_or_else(invalid))
            .collect::<Result<_>>()?,
        (Some(_), _) => return Err(invalid()),
    };
    if audiences
        .iter()
        .any(|aud| policy.audience.iter().any(|want| want == aud))
    {
        return Ok(());
    }
    let found = audiences
        .iter()
        .map(|a| quote(a))
        .collect::<Vec<_>>()
        .join(", ");
    Err(Error::claim(
        ErrorKind::AudienceInvalid,
        name,
        format!(
            "expected {}, found {found}",
            policy
                .audience
                .iter()
                .map(|a| quote(a))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    ))
}

/// Reads a NumericDate (RFC 7519 §2): a JSON number of seconds, fractions
/// rounded down, between 0 and [`MAX_NUMERIC_DATE`].
pub(crate) fn numeric_date(claims: &Claims, name: &str) -> Result<Option<i64>> {
    let Some(value) = claims.get(name) else {
        return Ok(None);
    };
    let seconds = match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && (0.0..=MAX_NUMERIC_DATE as f64).contains(f))
                .map(|f| f.floor() as i64)
        }),
        _ => None,
    };
    match seconds {
        Some(s) if (0..=MAX_NUMERIC_DATE).contains(&s) => Ok(Some(s)),
        _ => Err(Error::claim(
            ErrorKind::ClaimInvalid,
            name,
            format!("{name} must be a number of seconds between 0 and {MAX_NUMERIC_DATE}"),
        )),
    }
}

fn check_times(policy: &Policy, claims: &Claims, now: i64) -> Result<()> {
    let times = Times {
        exp: numeric_date(claims, "exp")?,
        nbf: numeric_date(claims, "nbf")?,
        iat: numeric_date(claims, "iat")?,
        // Read only for `maxAuthAge`, so a policy without it keeps
        // accepting what it accepted before.
        auth_time: match policy.max_auth_age {
            Some(_) => numeric_date(claims, "auth_time")?,
            None => None,
        },
    };
    check_time_values(policy, times, now)
}

/// A token's time claims, read as NumericDates (fractions rounded down).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Times {
    /// `exp`, when present.
    pub exp: Option<i64>,
    /// `nbf`, when present.
    pub nbf: Option<i64>,
    /// `iat`, when present.
    pub iat: Option<i64>,
    /// `auth_time` (OpenID Connect Core 1.0 §2), when present and the
    /// policy sets `maxAuthAge`.
    pub auth_time: Option<i64>,
}

/// The time checks of `policy` at `now`: `exp`, `nbf`, `iat` with the clock
/// tolerance, `maxTokenAge`, `maxLifetime` and `maxAuthAge`.
pub(crate) fn check_time_values(policy: &Policy, times: Times, now: i64) -> Result<()> {
    // The tolerance is capped at one day by `Policy::check`, so no overflow.
    let skew = i64::try_from(policy.clock_tolerance).unwrap_or(0);
    let Times {
        exp,
        nbf,
        iat,
        auth_time,
    } = times;
    match exp {
        None if policy.require_exp => {
            return Err(Error::claim(
                ErrorKind::ClaimMissing,
                "exp",
                "exp is required",
            ));
        }
        Some(exp) if now >= exp.saturating_add(skew) => {
            return Err(Error::claim(
                ErrorKind::TokenExpired,
                "exp",
                format!(
                    "expired {} s ago (exp {exp}, now {now}, tolerance {skew} s)",
                    now.saturating_sub(exp)
                ),
            ));
        }
        _ => {}
    }
    if let Some(nbf) = nbf
        && nbf > now.saturating_add(skew)
    {
        return Err(Error::claim(
            ErrorKind::TokenNotYetValid,
            "nbf",
            format!(
                "valid in {} s (nbf {nbf}, now {now}, tolerance {skew} s)",
                nbf.saturating_sub(now)
            ),
        ));
    }
    if let Some(iat) = iat
        && iat > now.saturating_add(skew)
    {
        return Err(Error::claim(
            ErrorKind::TokenNotYetValid,
            "iat",
            format!(
                "issued {} s in the future (iat {iat}, now {now}, tolerance {skew} s)",
                iat.saturating_sub(now)
            ),
        ));
    }
    let needs_iat = || {
        Error::claim(
            ErrorKind::ClaimMissing,
            "iat",
            "iat is required by maxTokenAge or maxLifetime",
        )
    };
    if let Some(max_age) = policy.max_token_age {
        let iat = iat.ok_or_else(needs_iat)?;
        if let Some(age) = age_beyond(now, iat, max_age, skew) {
            return Err(Error::claim(
                ErrorKind::TokenTooOld,
                "iat",
                format!("issued {age} s ago; maxTokenAge is {max_age} s"),
            ));
        }
    }
    if let Some(max_lifetime) = policy.max_lifetime {
        let iat = iat.ok_or_else(needs_iat)?;
        let exp = exp.ok_or_else(|| {
            Error::claim(
                ErrorKind::ClaimMissing,
                "exp",
                "exp is required by maxLifetime",
            )
        })?;
        let lifetime = exp.saturating_sub(iat);
        if lifetime > i64::try_from(max_lifetime).unwrap_or(i64::MAX) {
            return Err(Error::claim(
                ErrorKind::TokenTooOld,
                "exp",
                format!("lifetime is {lifetime} s; maxLifetime is {max_lifetime} s"),
            ));
        }
    }
    check_auth_time(policy, auth_time, now, skew)
}

/// The age of a moment (`iat`, `auth_time`) at `now` when it exceeds
/// `max_age` seconds plus the tolerance, else `None`.
fn age_beyond(now: i64, at: i64, max_age: u64, skew: i64) -> Option<i64> {
    let age = now.saturating_sub(at);
    let limit = i64::try_from(max_age)
        .unwrap_or(i64::MAX)
        .saturating_add(skew);
    (age > limit).then_some(age)
}

/// `maxAuthAge` (RFC 9470 §3): the user signed in at `auth_time`, no longer
/// ago than the policy allows. A token without `auth_time` cannot show it,
/// so the client is sent to sign in again; one from the future is invalid.
fn check_auth_time(policy: &Policy, auth_time: Option<i64>, now: i64, skew: i64) -> Result<()> {
    let Some(max_age) = policy.max_auth_age else {
        return Ok(());
    };
    let Some(auth_time) = auth_time else {
        return Err(Error::claim(
            ErrorKind::AuthTooOld,
            "auth_time",
            "auth_time is required by maxAuthAge",
        ));
    };
    if auth_time > now.saturating_add(skew) {
        return Err(Error::claim(
            ErrorKind::ClaimInvalid,
            "auth_time",
            format!(
                "the user signed in {} s in the future (auth_time {auth_time}, now {now}, \
                 tolerance {skew} s)",
                auth_time.saturating_sub(now)
            ),
        ));
    }
    if let Some(age) = age_beyond(now, auth_time, max_age, skew) {
        return Err(Error::claim(
            ErrorKind::AuthTooOld,
            "auth_time",
            format!("the user signed in {age} s ago; maxAuthAge is {max_age} s"),
        ));
    }
    Ok(())
}

/// `acrValues` (RFC 9470 §3): the token's `acr`, a string, is one of them.
/// Without `acr` the level is unknown, which the client fixes like a low one.
fn check_acr(policy: &Policy, claims: &Claims) -> Result<()> {
    if policy.acr_values.is_empty() {
        return Ok(());
    }
    let accepted = || crate::text::quote_list(policy.acr_values.iter().map(String::as_str));
    match string_claim(claims, "acr")? {
        Some(acr) if policy.acr_values.iter().any(|a| a == acr) => Ok(()),
        Some(acr) => Err(Error::claim(
            ErrorKind::AuthLevelInsufficient,
            "acr",
            format!("acr is {}; accepted: {}", quote(acr), accepted()),
        )),
        None => Err(Error::claim(
            ErrorKind::AuthLevelInsufficient,
            "acr",
            format!("the token has no acr; accepted: {}", accepted()),
        )),
    }
}

/// The client capability that says a client can answer a claims challenge
/// (Entra ID's `xms_cc` claim).
const CLAIMS_CHALLENGE_CAPABILITY: &str = "cp1";

/// `authContext`: Entra's `acrs` (an array of strings) holds every listed
/// id. The refusal carries the claims challenge when the token's `xms_cc`
/// says the client can answer one; `xms_cc` never makes a token pass.
fn check_auth_context(policy: &Policy, claims: &Claims) -> Result<()> {
    if policy.auth_context.is_empty() {
        return Ok(());
    }
    let held = string_array(claims, "acrs")?;
    let missing: Vec<&str> = policy
        .auth_context
        .iter()
        .map(String::as_str)
        .filter(|id| !held.as_deref().unwrap_or_default().contains(id))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let error = Error::claim(
        ErrorKind::AuthContextMissing,
        "acrs",
        format!(
            "authentication context {} is required; {}",
            crate::text::quote_list(missing.iter().copied()),
            holding("acrs", held.as_deref())
        ),
    );
    let capable = string_array(claims, "xms_cc")?
        .unwrap_or_default()
        .contains(&CLAIMS_CHALLENGE_CAPABILITY);
    if !capable {
        return Err(error);
    }
    let request = match missing.as_slice() {
        [one] => serde_json::json!({ "essential": true, "value": one }),
        several => serde_json::json!({ "essential": true, "values": several }),
    };
    let iss = required_string(claims, "iss")?;
    Err(error.with_challenge(ClaimsChallenge {
        claims: serde_json::json!({ "access_token": { "acrs": request } }).to_string(),
        authorization_uri: crate::tenant::authorize_endpoint(iss),
    }))
}

fn check_presence(policy: &Policy, claims: &Claims) -> Result<()> {
    // RFC 7519 §4.1.2: a StringOrURI. Hosts key users on it, so a number or
    // an empty string is refused even when no subject is configured.
    if string_claim(claims, "sub")?.is_some_and(str::is_empty) {
        return Err(Error::claim(
            ErrorKind::ClaimInvalid,
            "sub",
            "sub must not be empty",
        ));
    }
    if let Some(subject) = &policy.subject {
        let sub = required_string(claims, "sub")?;
        if sub != subject {
            return Err(Error::claim(
                ErrorKind::ClaimInvalid,
                "sub",
                format!("expected {}, found {}", quote(subject), quote(sub)),
            ));
        }
    }
    let present = |name: &str| claims.get(name).filter(|value| !value.is_null());
    for name in &policy.required_claims {
        if present(name).is_none() {
            return Err(Error::claim(
                ErrorKind::ClaimMissing,
                name,
                format!("{} is required", quote(name)),
            ));
        }
    }
    if let Some(name) = policy
        .forbidden_claims
        .iter()
        .find(|name| present(name).is_some())
    {
        return Err(Error::claim(
            ErrorKind::ClaimInvalid,
            name,
            format!("{} must be absent", quote(name)),
        ));
    }
    for (name, accepted) in &policy.claim_values {
        match present(name) {
            None => {}
            Some(Value::String(value)) if accepted.contains(value) => {}
            Some(Value::String(value)) => {
                return Err(Error::claim(
                    ErrorKind::ClaimInvalid,
                    name,
                    format!(
                        "{} is {}; accepted: {}",
                        quote(name),
                        quote(value),
                        accepted
                            .iter()
                            .map(|v| quote(v))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            Some(_) => {
                return Err(Error::claim(
                    ErrorKind::ClaimInvalid,
                    name,
                    format!("{} must be a string", quote(name)),
                ));
            }
        }
    }
    Ok(())
}

fn check_tenant(policy: &Policy, claims: &Claims) -> Result<()> {
    if policy.tenants.is_empty() || policy.tenants.iter().any(|t| t == ANY_TENANT) {
        return Ok(());
    }
    let tid = required_string(claims, "tid")?;
    if policy.tenants.iter().any(|t| t.eq_ignore_ascii_case(tid)) {
        Ok(())
    } else {
        Err(Error::claim(
            ErrorKind::TenantNotAllowed,
            "tid",
            format!(
                "tenant {} is not in the allow-list ({})",
                quote(tid),
                crate::text::quote_list(policy.tenants.iter().map(String::as_str))
            ),
        ))
    }
}

fn check_client(policy: &Policy, claims: &Claims) -> Result<()> {
    if policy.clients.is_empty() {
        return Ok(());
    }
    let mut seen = false;
    for name in CLIENT_CLAIMS {
        if let Some(client) = string_claim(claims, name)? {
            seen = true;
            if !policy.clients.iter().any(|c| c == client) {
                return Err(Error::claim(
                    ErrorKind::ClientNotAllowed,
                    name,
                    format!(
                        "client {} ({name}) is not in the allow-list ({})",
                        quote(client),
                        crate::text::quote_list(policy.clients.iter().map(String::as_str))
                    ),
                ));
            }
        }
    }
    if seen {
        Ok(())
    } else {
        Err(Error::claim(
            ErrorKind::ClaimMissing,
            "azp",
            "no client claim (azp, appid or client_id)",
        ))
    }
}

/// Reads a claim that is an array of strings.
fn string_array<'a>(claims: &'a Claims, name: &str) -> Result<Option<Vec<&'a str>>> {
    match claims.get(name) {
        None => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str().ok_or_else(|| {
                    Error::claim(
                        ErrorKind::ClaimInvalid,
                        name,
                        format!("{name} must hold only strings"),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(Error::claim(
            ErrorKind::ClaimInvalid,
            name,
            format!("{name} must be an array of strings"),
        )),
    }
}

fn check_roles(policy: &Policy, claims: &Claims) -> Result<()> {
    if policy.roles.is_empty() && policy.any_roles.is_none() {
        return Ok(());
    }
    let claim = policy.roles_claim.as_str();
    let roles = string_array(claims, claim)?;
    let held = roles.as_deref().unwrap_or_default();
    if let Some(missing) = policy
        .roles
        .iter()
        .find(|want| !held.contains(&want.as_str()))
    {
        return Err(Error::claim(
            ErrorKind::RoleMissing,
            claim,
            format!(
                "role {} is required; {}",
                quote(missing),
                holding(claim, roles.as_deref())
            ),
        ));
    }
    check_any_of(policy.any_roles.as_deref(), roles.as_deref(), "role", claim)
        .map_err(|detail| Error::claim(ErrorKind::RoleMissing, claim, detail))
}

/// An any-of list against what the token holds: `Err` with a detail that
/// names the accepted values and how many the token's claim held, never the
/// held values themselves.
/// What a token holds in a permission claim, without echoing its values.
fn holding(claim: &str, held: Option<&[&str]>) -> String {
    match held {
        None => format!("the token has no {claim} claim"),
        Some(values) => format!(
            "the token's {claim} holds {} value{}",
            values.len(),
            if values.len() == 1 { "" } else { "s" }
        ),
    }
}

fn check_any_of(
    accepted: Option<&[String]>,
    held: Option<&[&str]>,
    what: &str,
    claim: &str,
) -> core::result::Result<(), String> {
    let Some(accepted) = accepted else {
        return Ok(());
    };
    let held_values = held.unwrap_or_default();
    if accepted.iter().any(|a| held_values.contains(&a.as_str())) {
        return Ok(());
    }
    let list = accepted
        .iter()
        .map(|a| quote(a))
        .collect::<Vec<_>>()
        .join(", ");
    let found = match held {
        None => holding(claim, None),
        Some(_) => format!("{}, none of them accepted", holding(claim, held)),
    };
    Err(format!("one {what} of {list} is required; {found}"))
}

/// The scopes a token grants: `scp` (Entra, Okta) as a space-separated
/// string or an array of strings, and `scope` (RFC 8693 §4.2, RFC 9068
/// §2.2.3) as a space-separated string.
fn granted_scopes(claims: &Claims) -> Result<Vec<&str>> {
    let mut granted: Vec<&str> = Vec::new();
    for name in ["scp", "scope"] {
        match claims.get(name) {
            None => {}
            Some(Value::String(list)) => granted.extend(list.split(' ').filter(|s| !s.is_empty())),
            Some(Value::Array(_)) if name == "scp" => {
                granted.extend(string_array(claims, name)?.unwrap_or_default())
            }
            Some(_) => {
                return Err(Error::claim(
                    ErrorKind::ClaimInvalid,
                    name,
                    format!("{name} must be a space-separated string"),
                ));
            }
        }
    }
    Ok(granted)
}

fn check_scopes(policy: &Policy, claims: &Claims) -> Result<()> {
    if policy.scopes.is_empty() && policy.any_scopes.is_none() {
        return Ok(());
    }
    let granted = granted_scopes(claims)?;
    if let Some(missing) = policy
        .scopes
        .iter()
        .find(|want| !granted.contains(&want.as_str()))
    {
        return Err(Error::claim(
            ErrorKind::ScopeMissing,
            "scp",
            format!(
                "scope {} is required; {}",
                quote(missing),
                holding(
                    "scp",
                    (claims.contains_key("scp") || claims.contains_key("scope"))
                        .then_some(&granted[..])
                )
            ),
        ));
    }
    let held = (claims.contains_key("scp") || claims.contains_key("scope")).then_some(&granted[..]);
    check_any_of(policy.any_scopes.as_deref(), held, "scope", "scp")
        .map_err(|detail| Error::claim(ErrorKind::ScopeMissing, "scp", detail))
}

/// `requirePermission`: a token with no app permission (`roles`) and no
/// delegated scope (`scp`, `scope`) authorises nothing, such as an Entra
/// app-only token for an API that does not require assignment, or an ID
/// token whose audience is the API. A `clients` allow-list is the
/// permission of an API that authorises callers by client id.
fn check_permission(policy: &Policy, claims: &Claims) -> Result<()> {
    if !policy.require_permission || !policy.clients.is_empty() {
        return Ok(());
    }
    let roles = string_array(claims, &policy.roles_claim)?.unwrap_or_default();
    if !roles.is_empty() || !granted_scopes(claims)?.is_empty() {
        return Ok(());
    }
    Err(Error::claim(
        ErrorKind::PermissionMissing,
        &policy.roles_claim,
        format!(
            "neither {} nor scp is present: grant the client an app role (or a scope) on \
             the api, or authorise callers by client id with clients",
            policy.roles_claim
        ),
    ))
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn any_of_details_name_the_accepted_values_not_the_held_ones() {
        let accepted = ["Admin".to_owned(), "Operator".to_owned()];
        let table: &[(Option<&[&str]>, Option<&str>)] = &[
            (Some(&["Operator"]), None),
            (
                Some(&["Secret.Role"]),
                Some(
                    r#"one role of "Admin", "Operator" is required; the token's roles holds 1 value, none of them accepted"#,
                ),
            ),
            (
                Some(&[]),
                Some(
                    r#"one role of "Admin", "Operator" is required; the token's roles holds 0 values, none of them accepted"#,
                ),
            ),
            (
                None,
                Some(
                    r#"one role of "Admin", "Operator" is required; the token has no roles claim"#,
                ),
            ),
        ];
        for (held, want) in table {
            let got = check_any_of(Some(&accepted), *held, "role", "roles").err();
            assert_eq!(got.as_deref(), *want, "{held:?}");
        }
        assert_eq!(check_any_of(None, None, "role", "roles"), Ok(()));
    }
}
