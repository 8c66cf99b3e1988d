//! # jwtguard
//!
//! A strict, sans-IO verifier for OAuth 2.0 JWT access tokens: a compact JWS
//! checked against a JWKS and a [`Policy`], with the time passed in by the
//! caller. No network, no clock, no global state; the same code runs natively
//! and in WebAssembly (the npm package `jwtguard`).
//!
//! - [`KeySet::from_jwks`] parses a key set once and prepares every usable
//!   key, skipping (and reporting) the ones that break an admission rule.
//! - [`Policy`] says what a token must carry: issuer (with Entra ID's
//!   `{tenantid}` template), audience, times, roles, scopes, clients, tenants.
//! - [`Verifier::verify`] checks a token at a given time and returns its
//!   header and claims, or an [`Error`] whose [`ErrorKind::code`] is stable.
//! - [`inspect`] decodes a token for display, marked unverified.
//! - [`Introspection`] checks an authorization server's answer about an
//!   opaque token (RFC 7662, RFC 9701) by the same policy rules.
//!
//! Supported algorithms: RS256/384/512, PS256/384/512, ES256, ES384, EdDSA
//! (Ed25519); HS256/384/512 only with a shared secret given to
//! [`KeySet::from_secret`], never from a JWKS.
//!
//! Cargo features `es256`, `es384` and `eddsa` (all default) build those
//! families; with one left out its crates are not compiled and a JWKS entry
//! of that family is skipped as not built in. RSA and HMAC are always built.
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod alg;
mod base64url;
mod binding;
mod claims;
mod crypto;
#[cfg(any(test, feature = "json-oracle"))]
mod differential;
mod dpop;
mod error;
mod inspect;
mod introspection;
mod issuers;
mod json;
mod keys;
pub mod limits;
mod policy;
mod skip;
mod tenant;
mod text;
mod token;
mod uri;
mod verifier;
// The conformance vectors cover every family: run with all of them built.
#[cfg(all(test, feature = "es256", feature = "es384", feature = "eddsa"))]
mod wycheproof_tests;

pub use alg::{Algorithm, Family};

// The Rust page's blocks compile as doctests, so they cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../docs/rust.md")]
struct DocsRust;
pub use binding::{Binding, Certificate, Presentation, Scheme};
pub use claims::Times;
pub use dpop::DpopRequest;
pub use error::{ClaimsChallenge, Error, ErrorKind, Result};
pub use inspect::{Inspection, inspect};
pub use introspection::{INTROSPECTION_TYP, Introspected, Introspection};
pub use issuers::IssuerRouter;
pub use keys::{Key, KeySet, SkippedKey};
pub use policy::{
    ANY_TENANT, AudienceClaim, Bound, DEFAULT_CLOCK_TOLERANCE, DEFAULT_DPOP_MAX_AGE,
    DEFAULT_ROLES_CLAIM, Policy,
};
pub use skip::SkipReason;
pub use tenant::{ENTRA_CLOUDS, EntraCloud, TENANT_PLACEHOLDER};
pub use token::{HeaderRule, header_rules};
pub use verifier::{CHECKS, Check, KeyUsed, Prepared, Verified, Verifier};

/// The differential check of the one-pass JSON check against the tree
/// parser it replaced, for the `json` fuzz target (feature `json-oracle`,
/// never in a release build).
#[cfg(feature = "json-oracle")]
#[doc(hidden)]
pub mod json_oracle {
    /// Where the two disagree on `bytes` (as a JSON text, and as a token's
    /// payload under the claim checks), or `None`.
    pub fn disagreement(bytes: &[u8]) -> Option<String> {
        crate::differential::disagreement(bytes)
    }
}
