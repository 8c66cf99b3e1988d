//! Decoding without verifying, for display only.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::base64url;
use crate::error::{Error, ErrorKind, Result};
use crate::limits::MAX_TOKEN_SIZE_CEILING;
use crate::token;

/// A decoded but **unverified** token. Nothing in it may be trusted: it is
/// for showing a person what a token says, never for an access decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Inspection {
    /// Always `false`: a reminder wherever this value travels.
    pub verified: bool,
    /// The protected header, as sent.
    pub header: Map<String, Value>,
    /// The claims, as sent.
    pub claims: Map<String, Value>,
    /// Length of the decoded signature, in bytes.
    pub signature_len: usize,
}

/// Decodes a compact JWS for display without checking anything but its shape
/// (three segments, canonical base64url, strict JSON objects).
pub fn inspect(token: &str) -> Result<Inspection> {
    let segments = token::split(token, MAX_TOKEN_SIZE_CEILING)?;
    token::check_alphabet(token)?;
    let header = token::decode_object(segments.header, "header")?;
    let claims = token::decode_object(segments.payload, "payload")?;
    let signature = base64url::decode(segments.signature).ok_or_else(|| {
        Error::with_detail(
            ErrorKind::TokenMalformed,
            "signature is not canonical unpadded base64url",
        )
    })?;
    Ok(Inspection {
        verified: false,
        header,
        claims,
        signature_len: signature.len(),
    })
}
