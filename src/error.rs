//! The error type: one flat list of stable codes, one table of messages.
//!
//! Error codes are API. Hosts (the npm package, the Worker middleware, the
//! decoder page, the command line) match on [`ErrorKind::code`], never on the
//! message text. Messages are lowercase, name the check that failed, and carry
//! only non-secret context: a claim name, what was expected, what was found.
//! They never carry token bytes or key material.

use core::fmt;

macro_rules! error_kinds {
    ($($(#[$doc:meta])* $variant:ident => $code:literal, $message:literal;)+) => {
        /// What went wrong, as a stable code. See the crate README for the table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorKind {
            /// Every kind, in table order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)+];

            /// The stable code string, e.g. `ERR_TOKEN_EXPIRED`.
            pub const fn code(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $code,)+
                }
            }

            /// The lowercase message naming the check.
            pub const fn message(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => $message,)+
                }
            }
        }
    };
}

error_kinds! {
    /// Not a compact JWS: wrong segment count, bad base64url, not a JSON object.
    TokenMalformed => "ERR_TOKEN_MALFORMED", "token is not a well-formed compact jws";
    /// Larger than the configured token size cap.
    TokenTooLarge => "ERR_TOKEN_TOO_LARGE", "token is larger than the size limit";
    /// The protected header breaks a header rule (member types, forbidden members, limits).
    HeaderInvalid => "ERR_HEADER_INVALID", "token header is invalid";
    /// `alg` is `none`, unknown, unsupported, or not allowed by the policy or the key.
    AlgNotAllowed => "ERR_ALG_NOT_ALLOWED", "signature algorithm is not allowed";
    /// The header carries `crit`; no extension is understood.
    CritUnsupported => "ERR_CRIT_UNSUPPORTED", "token header lists critical extensions that are not understood";
    /// `typ` is missing or not one of the policy's types.
    TypInvalid => "ERR_TYP_INVALID", "token type (typ) is not accepted";
    /// No key in the key set fits the token's `kid` and `alg`.
    KeyNotFound => "ERR_KEY_NOT_FOUND", "no key in the key set matches the token";
    /// A key (JWK or shared secret) is unusable.
    KeyInvalid => "ERR_KEY_INVALID", "key is invalid or unsupported";
    /// The JWKS document is unusable (not JSON, no `keys` array, no usable key, too large).
    JwksInvalid => "ERR_JWKS_INVALID", "key set (jwks) is invalid";
    /// The signature does not verify. Deliberately says nothing more.
    SignatureInvalid => "ERR_SIGNATURE_INVALID", "signature is invalid";
    /// `exp` is in the past (beyond the clock tolerance).
    TokenExpired => "ERR_TOKEN_EXPIRED", "token has expired";
    /// `nbf` or `iat` is in the future (beyond the clock tolerance).
    TokenNotYetValid => "ERR_TOKEN_NOT_YET_VALID", "token is not yet valid";
    /// Older than `maxTokenAge`, or its lifetime exceeds `maxLifetime`.
    TokenTooOld => "ERR_TOKEN_TOO_OLD", "token is older than the policy allows";
    /// `iss` does not match the policy (or the key's own issuer).
    IssuerInvalid => "ERR_ISSUER_INVALID", "issuer (iss) is not accepted";
    /// `aud` has no value in common with the policy's audiences.
    AudienceInvalid => "ERR_AUDIENCE_INVALID", "audience (aud) is not accepted";
    /// A required claim is absent.
    ClaimMissing => "ERR_CLAIM_MISSING", "required claim is missing";
    /// A claim has the wrong type or value.
    ClaimInvalid => "ERR_CLAIM_INVALID", "claim is invalid";
    /// A required role is not in `roles`.
    RoleMissing => "ERR_ROLE_MISSING", "required role is missing";
    /// A required scope is not in `scp` / `scope`.
    ScopeMissing => "ERR_SCOPE_MISSING", "required scope is missing";
    /// The client (`azp`, `appid`, `client_id`) is not in the allow-list.
    ClientNotAllowed => "ERR_CLIENT_NOT_ALLOWED", "client is not allowed";
    /// The tenant (`tid`) is not in the allow-list.
    TenantNotAllowed => "ERR_TENANT_NOT_ALLOWED", "tenant is not allowed";
    /// The policy requires a permission and the token carries neither
    /// `roles` nor `scp` (and the policy authorises no callers by `clients`).
    PermissionMissing => "ERR_PERMISSION_MISSING", "token carries no permission";
    /// The token's `acr` is absent or not one of the policy's `acrValues`
    /// (RFC 9470): the user must sign in again at a higher level.
    AuthLevelInsufficient => "ERR_AUTH_LEVEL_INSUFFICIENT", "authentication level (acr) is not sufficient";
    /// The user signed in longer ago than the policy's `maxAuthAge`, or the
    /// token has no `auth_time` (RFC 9470): the user must sign in again.
    AuthTooOld => "ERR_AUTH_TOO_OLD", "authentication (auth_time) is older than the policy allows";
    /// The token's `acrs` lacks an authentication context id of the
    /// policy's `authContext` (Entra ID Conditional Access).
    AuthContextMissing => "ERR_AUTH_CONTEXT_MISSING", "required authentication context (acrs) is missing";
    /// A token meant for another resource, such as a Microsoft Graph token.
    ForeignToken => "ERR_FOREIGN_TOKEN", "token was issued for another resource";
    /// A DPoP proof (RFC 9449) is missing, malformed, or fails one of its rules.
    DpopInvalid => "ERR_DPOP_INVALID", "dpop proof is invalid";
    /// The token's binding (`cnf`: a DPoP key or a client certificate) does
    /// not match how it was presented, e.g. a bound token as a plain bearer token.
    TokenBound => "ERR_TOKEN_BOUND", "token is bound to a key and was not presented with it";
    /// The policy itself is invalid.
    PolicyInvalid => "ERR_POLICY_INVALID", "policy is invalid";
    /// A remote key source has not loaded its keys yet (host layer).
    KeysNotLoaded => "ERR_KEYS_NOT_LOADED", "keys are not loaded yet";
    /// Fetching a key set failed (host layer).
    JwksFetchFailed => "ERR_JWKS_FETCH_FAILED", "fetching the key set failed";
    /// Fetching a key set timed out (host layer).
    JwksTimeout => "ERR_JWKS_TIMEOUT", "fetching the key set timed out";
    /// The discovery document is unusable or names another issuer (host layer).
    DiscoveryInvalid => "ERR_DISCOVERY_INVALID", "discovery document is invalid";
    /// An HTTP request cannot be read safely: its Host header or forwarded
    /// origin is not a host\[:port\], or its target is not a path (host layer).
    RequestInvalid => "ERR_REQUEST_INVALID", "request is invalid";
    /// A bug: should never be seen.
    Internal => "ERR_INTERNAL", "internal error";
}

/// A verification or configuration error: a stable [`ErrorKind`], the claim
/// or member it concerns (if any), and a short non-secret detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    claim: Option<String>,
    detail: Option<String>,
    challenge: Option<Box<ClaimsChallenge>>,
}

/// What a client that declared it can answer a claims challenge (Entra's
/// `xms_cc` holding `cp1`) asks for when it signs the user in again: an
/// OpenID Connect claims request (OpenID Connect Core 1.0 §5.5) and, for an
/// Entra issuer, the tenant's authorize endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimsChallenge {
    /// The claims request, JSON text, e.g.
    /// `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`.
    pub claims: String,
    /// The authorize endpoint of the token's Entra tenant, when its issuer is
    /// an Entra ID issuer.
    pub authorization_uri: Option<String>,
}

impl Error {
    /// An error with no further context.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            claim: None,
            detail: None,
            challenge: None,
        }
    }

    /// An error with a short detail after the kind's message. Hosts and
    /// bindings use it to report their own input problems (a non-finite
    /// time, a token that is not UTF-8) under the same stable codes; the
    /// detail must not hold token bytes or key material.
    pub fn with_detail(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Self {
            kind,
            claim: None,
            detail: Some(detail.into()),
            challenge: None,
        }
    }

    pub(crate) fn claim(kind: ErrorKind, claim: &str, detail: impl Into<String>) -> Self {
        Self {
            kind,
            claim: Some(claim.to_owned()),
            detail: Some(detail.into()),
            challenge: None,
        }
    }

    /// This error with the claims challenge a client can answer.
    pub(crate) fn with_challenge(mut self, challenge: ClaimsChallenge) -> Self {
        self.challenge = Some(Box::new(challenge));
        self
    }

    /// The claims challenge a client can answer by signing in again, when
    /// the token says the client can (`ERR_AUTH_CONTEXT_MISSING` only).
    pub fn claims_challenge(&self) -> Option<&ClaimsChallenge> {
        self.challenge.as_deref()
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code string, e.g. `ERR_AUDIENCE_INVALID`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The claim or header member this error is about, when there is one.
    pub fn claim_name(&self) -> Option<&str> {
        self.claim.as_deref()
    }

    /// The non-secret detail, when there is one.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.message())?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self::new(kind)
    }
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T> = core::result::Result<T, Error>;
