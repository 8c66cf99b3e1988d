//! The error type: one flat list of stable codes, one table of messages.
//!
//! Error codes are API. Hosts (the npm package, the Worker middleware, the
//! decoder page, the command line) match on [`ErrorKind::code`], never on the
//! message text. Messages are lowercase, name the check that failed, and carry
//! only non-secret context: a claim name, what was expected, what was found.
//! They never carry token bytes or key material.

use core::fmt;

macro_rules! error_kinds {
    ($($(#[doc = $doc:literal])+ $variant:ident => $code:literal, $message:literal;)+) => {
        /// What went wrong, as a stable code. Each variant's doc comment says
        /// when it happens; `docs/reference.md`'s table is generated from it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[doc = $doc])+ $variant,)+
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

            /// When this error happens: the variant's doc comment.
            pub const fn about(self) -> &'static str {
                match self {
                    $(ErrorKind::$variant => concat!($($doc),+),)+
                }
            }
        }
    };
}

error_kinds! {
    /// Not three segments, bad base64url (copy-and-paste damage is named with its position), not
    /// a JSON object, duplicate members, a non-string token.
    TokenMalformed => "ERR_TOKEN_MALFORMED", "token is not a well-formed compact jws";
    /// Over `maxTokenSize` (checked in JS before the token enters wasm memory).
    TokenTooLarge => "ERR_TOKEN_TOO_LARGE", "token is larger than the size limit";
    /// A header member of the wrong type, or `b64`, `zip`, `enc`, `cty`, `jwk`, `jku`, `x5u`.
    HeaderInvalid => "ERR_HEADER_INVALID", "token header is invalid";
    /// `none`, an unknown or unsupported `alg`, or one outside `algorithms`.
    AlgNotAllowed => "ERR_ALG_NOT_ALLOWED", "signature algorithm is not allowed";
    /// The header has `crit`.
    CritUnsupported => "ERR_CRIT_UNSUPPORTED", "token header lists critical extensions that are not understood";
    /// `typ` missing or not accepted.
    TypInvalid => "ERR_TYP_INVALID", "token type (typ) is not accepted";
    /// No key with that `kid` permits that `alg`.
    KeyNotFound => "ERR_KEY_NOT_FOUND", "no key in the key set matches the token";
    /// A configured secret is too short or of the wrong type.
    KeyInvalid => "ERR_KEY_INVALID", "key is invalid or unsupported";
    /// The JWKS is not a key set, is too large, or has no usable key.
    JwksInvalid => "ERR_JWKS_INVALID", "key set (jwks) is invalid";
    /// An introspection answer (RFC 7662) says the token is not active: `active` is `false`,
    /// missing, or anything but the boolean `true`.
    TokenInactive => "ERR_TOKEN_INACTIVE", "token is not active";
    /// The signature does not verify (no further detail, by design).
    SignatureInvalid => "ERR_SIGNATURE_INVALID", "signature is invalid";
    /// `exp` has passed (beyond the tolerance).
    TokenExpired => "ERR_TOKEN_EXPIRED", "token has expired";
    /// `nbf` or `iat` is in the future.
    TokenNotYetValid => "ERR_TOKEN_NOT_YET_VALID", "token is not yet valid";
    /// Older than `maxTokenAge`, or lifetime over `maxLifetime`.
    TokenTooOld => "ERR_TOKEN_TOO_OLD", "token is older than the policy allows";
    /// `iss` not accepted, or not the issuer the signing key is bound to.
    IssuerInvalid => "ERR_ISSUER_INVALID", "issuer (iss) is not accepted";
    /// No accepted audience in `aud`.
    AudienceInvalid => "ERR_AUDIENCE_INVALID", "audience (aud) is not accepted";
    /// A required claim is absent (`iss`, `aud`, `exp`, …).
    ClaimMissing => "ERR_CLAIM_MISSING", "required claim is missing";
    /// A claim has the wrong type or value (`iss` as an array, `exp` as a string, …), is in
    /// `forbiddenClaims`, or has a value outside `claimValues`.
    ClaimInvalid => "ERR_CLAIM_INVALID", "claim is invalid";
    /// A required role is absent.
    RoleMissing => "ERR_ROLE_MISSING", "required role is missing";
    /// A required scope is absent.
    ScopeMissing => "ERR_SCOPE_MISSING", "required scope is missing";
    /// `azp`/`appid`/`client_id` not in `clients`.
    ClientNotAllowed => "ERR_CLIENT_NOT_ALLOWED", "client is not allowed";
    /// `tid` not in `tenants`.
    TenantNotAllowed => "ERR_TENANT_NOT_ALLOWED", "tenant is not allowed";
    /// `requirePermission` (the Entra preset) and the token has neither `roles` nor
    /// `scp`/`scope`.
    PermissionMissing => "ERR_PERMISSION_MISSING", "token carries no permission";
    /// `acr` is absent or not in `acrValues`: the user must sign in again at a higher level
    /// (RFC 9470).
    AuthLevelInsufficient => "ERR_AUTH_LEVEL_INSUFFICIENT", "authentication level (acr) is not sufficient";
    /// `auth_time` is absent or older than `maxAuthAge`: the user must sign in again (RFC 9470).
    AuthTooOld => "ERR_AUTH_TOO_OLD", "authentication (auth_time) is older than the policy allows";
    /// `acrs` lacks an id of `authContext` (Entra Conditional Access); `claimsChallenge` says what
    /// to ask for when the token's `xms_cc` holds `cp1`.
    AuthContextMissing => "ERR_AUTH_CONTEXT_MISSING", "required authentication context (acrs) is missing";
    /// A token for another resource (a `nonce` header: Microsoft Graph).
    ForeignToken => "ERR_FOREIGN_TOKEN", "token was issued for another resource";
    /// A DPoP proof is missing, malformed, or breaks one of its rules (`typ`, `alg`, `jwk`,
    /// signature, `htm`, `htu`, `iat`, `jti`, `ath`, the key the token is bound to), or its `jti`
    /// was used before; `claim` names the member.
    DpopInvalid => "ERR_DPOP_INVALID", "dpop proof is invalid";
    /// The server asks for DPoP nonces (`dpopNonce`) and a proof that passed every other rule
    /// has no `nonce`, or one that is not among the current ones (RFC 9449 §9); answered 401
    /// `use_dpop_nonce` with a fresh `DPoP-Nonce` header. A `nonce` that is not a string of 1 to
    /// `MAX_DPOP_NONCE_LEN` bytes is `ERR_DPOP_INVALID`.
    DpopNonce => "ERR_DPOP_NONCE", "dpop proof does not carry a current server nonce";
    /// The token's binding (`cnf`) does not match how it was presented: a bound token through
    /// `verify()` or as a plain bearer token, an mTLS-bound token without its certificate, the
    /// DPoP scheme with an unbound token, or a `cnf` this verifier cannot check.
    TokenBound => "ERR_TOKEN_BOUND", "token is bound to a key and was not presented with it";
    /// The options or policy are wrong.
    PolicyInvalid => "ERR_POLICY_INVALID", "policy is invalid";
    /// `verifySync` before a key source has loaded.
    KeysNotLoaded => "ERR_KEYS_NOT_LOADED", "keys are not loaded yet";
    /// A key set or discovery document could not be fetched: network error, status outside 2xx, a
    /// redirect, over the size cap.
    JwksFetchFailed => "ERR_JWKS_FETCH_FAILED", "fetching the key set failed";
    /// Fetching a key set or discovery document took longer than `timeout`.
    JwksTimeout => "ERR_JWKS_TIMEOUT", "fetching the key set timed out";
    /// A discovery document is unusable or names another issuer.
    DiscoveryInvalid => "ERR_DISCOVERY_INVALID", "discovery document is invalid";
    /// An introspection answer is unusable: not a JSON object, over the size cap, or a signed
    /// answer (`accept: 'jwt'`, RFC 9701) that fails its `typ`, signature, `iss`, `aud` or
    /// freshness check; answered 503 `temporarily_unavailable`, never 401.
    IntrospectionInvalid => "ERR_INTROSPECTION_INVALID", "introspection response is invalid";
    /// The introspection request failed: network error, status outside 2xx, a redirect, over the
    /// size cap, or longer than `timeout`; answered 503 `temporarily_unavailable` with
    /// `Retry-After`.
    IntrospectionFailed => "ERR_INTROSPECTION_FAILED", "introspection request failed";
    /// A Node middleware cannot read the request safely: its Host header (or, with `trustProxy`,
    /// the forwarded host or protocol) is not a plain `host[:port]`, or its target is not a path;
    /// answered 400 `invalid_request` before any token is read.
    RequestInvalid => "ERR_REQUEST_INVALID", "request is invalid";
    /// A bug (never expected); after a WebAssembly trap the core is instantiated again, every
    /// verifier reloads its keys, and `onEvent` of `createVerifier` receives `{ type:
    /// 'core-restarted', error }`.
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
