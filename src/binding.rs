//! Sender-constrained tokens: a token bound to a key or a certificate
//! (`cnf`, RFC 7800) is accepted only with proof that the caller holds it.
//!
//! - DPoP (RFC 9449): `cnf.jkt` is the SHA-256 thumbprint of the client's
//!   key; the request carries `Authorization: DPoP <token>` and a `DPoP`
//!   header with a proof signed by that key (checked in [`crate::dpop`]).
//! - Mutual TLS (RFC 8705 §3): `cnf["x5t#S256"]` is the SHA-256 of the
//!   client certificate's DER; the TLS layer hands the host the certificate.
//!
//! A bound token presented as a plain bearer token is refused: accepting it
//! would defeat the binding (RFC 9449 §7.1). The proof's replay check (has
//! this `jti` been seen?) needs state, so it belongs to the host.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::claims::ClaimSet;
use crate::dpop::{self, DpopRequest, ProofRules};
use crate::error::{Error, ErrorKind, Result};
use crate::policy::Policy;

/// The authorization scheme the token came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `Authorization: Bearer` (RFC 6750), also used with mutual TLS.
    Bearer,
    /// `Authorization: DPoP` (RFC 9449 §7.1).
    Dpop,
}

/// The client certificate of a mutual-TLS connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certificate<'a> {
    /// The certificate's DER bytes.
    Der(&'a [u8]),
    /// The SHA-256 digest of the certificate's DER (what TLS terminators
    /// such as Cloudflare report, as hex, as the certificate fingerprint).
    Sha256([u8; 32]),
}

/// How a request presented its access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presentation<'a> {
    /// The authorization scheme.
    pub scheme: Scheme,
    /// The request's DPoP proof with its method and URL, when it has one.
    pub dpop: Option<DpopRequest<'a>>,
    /// The client certificate, when the connection had one.
    pub certificate: Option<Certificate<'a>>,
}

impl Presentation<'_> {
    /// A plain bearer token: what [`crate::Verifier::verify`] assumes.
    pub const BEARER: Presentation<'static> = Presentation {
        scheme: Scheme::Bearer,
        dpop: None,
        certificate: None,
    };
}

/// The binding a presented token was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Binding {
    /// Bound to a DPoP key, and the request's proof was signed by it.
    #[serde(rename = "dpop", rename_all = "camelCase")]
    Dpop {
        /// The key's RFC 7638 thumbprint (`cnf.jkt`).
        jkt: String,
        /// The proof's `jti`: the host must refuse a second use of it.
        jti: String,
        /// The last second (Unix) at which the proof is acceptable: the host
        /// keeps its `jti` until then.
        proof_expires: i64,
    },
    /// Bound to the client certificate the connection presented.
    #[serde(rename = "mtls")]
    Mtls {
        /// The certificate's SHA-256 thumbprint (`cnf["x5t#S256"]`).
        #[serde(rename = "x5tS256")]
        x5t_s256: String,
    },
}

/// The `cnf` members this verifier understands, each alone.
const JKT: &str = "jkt";
const X5T_S256: &str = "x5t#S256";

/// Checks the token's `cnf` against how it was presented, after every other
/// check has passed. `None` for an unbound token presented as a bearer
/// token.
pub(crate) fn check(
    policy: &Policy,
    claims: &dyn ClaimSet,
    token: &str,
    presented: &Presentation<'_>,
    now: i64,
) -> Result<Option<Binding>> {
    let Some(cnf) = claims.get("cnf") else {
        return match presented.scheme {
            Scheme::Bearer => Ok(None),
            Scheme::Dpop => Err(bound(
                "the DPoP scheme needs a dpop-bound token (cnf.jkt); this is a bearer token",
            )),
        };
    };
    if presented == &Presentation::BEARER {
        return Err(bound(
            "the token carries cnf (a dpop key or client certificate binding); present it \
             with its proof",
        ));
    }
    match only_member(cnf) {
        Some((JKT, Value::String(jkt))) => dpop_binding(policy, jkt, token, presented, now),
        Some((X5T_S256, Value::String(x5t))) => mtls_binding(x5t, presented),
        _ => Err(bound(
            "cnf is not a supported binding: jwtguard checks cnf.jkt (dpop) or \
             cnf[\"x5t#S256\"] (mutual tls), each alone",
        )),
    }
}

fn bound(detail: &str) -> Error {
    Error::claim(ErrorKind::TokenBound, "cnf", detail)
}

/// The one member of a `cnf` object, if it has exactly one.
fn only_member(cnf: &Value) -> Option<(&str, &Value)> {
    match cnf {
        Value::Object(members) if members.len() == 1 => {
            members.iter().next().map(|(k, v)| (k.as_str(), v))
        }
        _ => None,
    }
}

fn dpop_binding(
    policy: &Policy,
    jkt: &str,
    token: &str,
    presented: &Presentation<'_>,
    now: i64,
) -> Result<Option<Binding>> {
    if presented.scheme != Scheme::Dpop {
        return Err(bound(
            "the token is bound to a dpop key (cnf.jkt): present it with Authorization: DPoP \
             and a DPoP proof, not as a bearer token",
        ));
    }
    let request = presented.dpop.as_ref().ok_or_else(|| {
        Error::with_detail(
            ErrorKind::DpopInvalid,
            "the request has no DPoP proof header",
        )
    })?;
    let rules = ProofRules {
        algorithms: &policy.dpop_algorithms,
        max_age: policy.dpop_max_age,
        clock_tolerance: policy.clock_tolerance,
    };
    let proof = dpop::check_proof(request, token, &rules, now)?;
    if proof.jkt != jkt {
        return Err(Error::claim(
            ErrorKind::DpopInvalid,
            "jwk",
            "the proof is signed by another key than the one the token is bound to (cnf.jkt)",
        ));
    }
    Ok(Some(Binding::Dpop {
        jkt: proof.jkt,
        jti: proof.jti,
        proof_expires: proof.expires,
    }))
}

fn mtls_binding(x5t: &str, presented: &Presentation<'_>) -> Result<Option<Binding>> {
    if presented.scheme != Scheme::Bearer {
        return Err(bound(
            "the token is bound to a client certificate (cnf x5t#S256): present it with \
             the Bearer scheme over mutual tls",
        ));
    }
    let digest = match presented.certificate {
        None => {
            return Err(bound(
                "the token is bound to a client certificate (cnf x5t#S256) and the request \
                 came without one",
            ));
        }
        Some(Certificate::Der(der)) => Sha256::digest(der).into(),
        Some(Certificate::Sha256(digest)) => digest,
    };
    if crate::base64url::encode(&digest) != x5t {
        return Err(bound(
            "the client certificate is not the one the token is bound to (cnf x5t#S256)",
        ));
    }
    Ok(Some(Binding::Mtls {
        x5t_s256: x5t.to_owned(),
    }))
}
