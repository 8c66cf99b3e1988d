//! DPoP proofs (RFC 9449 §4.3): the JWS a client signs, for each request,
//! with the key its access token is bound to.
//!
//! Every rule a proof must pass without state is checked here; the one that
//! needs state (a `jti` is used once) is the host's, with the
//! [`CheckedProof::jti`] and [`CheckedProof::expires`] this returns.

use jsonwebtoken::Algorithm;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::keys::admit_jwk;
use crate::limits::{MAX_DPOP_PROOF_SIZE, MAX_HEADER_MEMBERS, MAX_JTI_LEN};
use crate::text::quote;
use crate::token::{self, normalise_typ};
use crate::uri::normalise_htu;
use crate::{alg, base64url, signature};

/// A DPoP proof and the request it came with (RFC 9449 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DpopRequest<'a> {
    /// The `DPoP` header's value: one compact JWS.
    pub proof: &'a str,
    /// The HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// The absolute request URL (query and fragment are ignored).
    pub url: &'a str,
}

/// What the proof's rules take from the policy.
pub(crate) struct ProofRules<'a> {
    /// Accepted proof algorithms, all asymmetric (the policy checks that).
    pub(crate) algorithms: &'a [Algorithm],
    /// How far `iat` may lie from now, in seconds, before the tolerance.
    pub(crate) max_age: u64,
    /// The policy's clock tolerance, in seconds.
    pub(crate) clock_tolerance: u64,
}

/// A proof that passed every rule the core can check alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckedProof {
    /// RFC 7638 SHA-256 thumbprint of the proof's `jwk`, base64url: the
    /// caller compares it with the token's `cnf.jkt`.
    pub(crate) jkt: String,
    /// The proof's `jti`, for the host's replay cache.
    pub(crate) jti: String,
    /// The last second (Unix) at which the proof is acceptable:
    /// `iat + max_age + clock_tolerance`.
    pub(crate) expires: i64,
}

/// Header members that point at keys elsewhere: a proof carries its key.
const KEY_REFERENCES: [&str; 3] = ["jku", "x5u", "x5c"];

fn invalid(member: &str, detail: impl Into<String>) -> Error {
    Error::claim(ErrorKind::DpopInvalid, member, detail)
}

/// Checks `request.proof` for a request to `request.method` `request.url`
/// carrying `access_token`, at `now` (Unix seconds). Every failure is
/// `ERR_DPOP_INVALID`, naming the member at fault.
pub(crate) fn check_proof(
    request: &DpopRequest<'_>,
    access_token: &str,
    rules: &ProofRules<'_>,
    now: i64,
) -> Result<CheckedProof> {
    let proof = request.proof;
    if proof.len() > MAX_DPOP_PROOF_SIZE {
        return Err(invalid(
            "dpop",
            format!(
                "the proof is {} bytes, limit {MAX_DPOP_PROOF_SIZE}",
                proof.len()
            ),
        ));
    }
    let as_proof = |e: Error| invalid("dpop", format!("the proof is not a compact jws: {e}"));
    let segments = token::split(proof, MAX_DPOP_PROOF_SIZE).map_err(as_proof)?;
    let header = token::decode_object(segments.header, "header").map_err(as_proof)?;
    let (alg, jwk) = check_header(&header, rules)?;
    let key = admit_jwk(jwk).map_err(|why| invalid("jwk", format!("the proof's key: {why}")))?;
    if !key.permits(alg) {
        return Err(invalid(
            "jwk",
            format!("the proof's key does not fit {}", alg::name(alg)),
        ));
    }
    let signature = base64url::decode(segments.signature)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid("dpop", "the proof's signature is not canonical base64url"))?;
    if !signature::verify(
        &key.material,
        alg,
        segments.signing_input.as_bytes(),
        &signature,
    ) {
        return Err(invalid("dpop", "the proof's signature does not verify"));
    }
    let claims = token::decode_object(segments.payload, "payload").map_err(as_proof)?;
    let expires = check_claims(&claims, request, access_token, rules, now)?;
    let jti = match claims.get("jti") {
        Some(Value::String(jti)) => jti.clone(),
        _ => return Err(Error::new(ErrorKind::Internal)),
    };
    let jkt = jwk_thumbprint(jwk).ok_or_else(|| Error::new(ErrorKind::Internal))?;
    Ok(CheckedProof { jkt, jti, expires })
}

/// The header rules: `typ`, `alg`, an embedded public `jwk`, no references.
fn check_header<'h>(
    header: &'h Map<String, Value>,
    rules: &ProofRules<'_>,
) -> Result<(Algorithm, &'h Map<String, Value>)> {
    if header.len() > MAX_HEADER_MEMBERS {
        return Err(invalid(
            "dpop",
            format!("the proof's header has more than {MAX_HEADER_MEMBERS} members"),
        ));
    }
    match header.get("typ") {
        Some(Value::String(typ)) if normalise_typ(typ) == "dpop+jwt" => {}
        Some(Value::String(typ)) => {
            return Err(invalid(
                "typ",
                format!("the proof's typ is {}, not dpop+jwt", quote(typ)),
            ));
        }
        _ => return Err(invalid("typ", "the proof's typ must be dpop+jwt")),
    }
    if header.contains_key("crit") {
        return Err(invalid(
            "crit",
            "no critical header extension is understood",
        ));
    }
    if let Some(member) = KEY_REFERENCES.iter().find(|m| header.contains_key(**m)) {
        return Err(invalid(
            member,
            format!("the proof's key comes from its jwk, never from {member}"),
        ));
    }
    let alg = match header.get("alg") {
        Some(Value::String(name)) => alg::from_name(name)
            .filter(|a| rules.algorithms.contains(a))
            .ok_or_else(|| {
                invalid(
                    "alg",
                    format!(
                        "{} is not an accepted dpop algorithm ({})",
                        quote(name),
                        rules
                            .algorithms
                            .iter()
                            .map(|a| alg::name(*a))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?,
        _ => return Err(invalid("alg", "the proof's alg must be a string")),
    };
    match header.get("jwk") {
        Some(Value::Object(jwk)) => Ok((alg, jwk)),
        Some(_) => Err(invalid("jwk", "the proof's jwk must be a json object")),
        None => Err(invalid("jwk", "the proof has no jwk")),
    }
}

/// The payload rules; returns when the proof expires.
fn check_claims(
    claims: &Map<String, Value>,
    request: &DpopRequest<'_>,
    access_token: &str,
    rules: &ProofRules<'_>,
    now: i64,
) -> Result<i64> {
    let text = |name: &str| match claims.get(name) {
        Some(Value::String(value)) => Ok(value.as_str()),
        Some(_) => Err(invalid(
            name,
            format!("the proof's {name} must be a string"),
        )),
        None => Err(invalid(name, format!("the proof has no {name}"))),
    };
    let htm = text("htm")?;
    if htm != request.method {
        return Err(invalid(
            "htm",
            format!(
                "the proof is for method {}, the request is {}",
                quote(htm),
                quote(request.method)
            ),
        ));
    }
    let url = normalise_htu(request.url).ok_or_else(|| {
        invalid(
            "url",
            "the request url is not an absolute http(s) url that can be compared",
        )
    })?;
    let htu = text("htu")?;
    if normalise_htu(htu).as_deref() != Some(url.as_str()) {
        return Err(invalid(
            "htu",
            format!(
                "the proof is for {}, the request is for {}",
                quote(htu),
                quote(&url)
            ),
        ));
    }
    let iat = crate::claims::numeric_date(claims, "iat")
        .map_err(|_| invalid("iat", "the proof's iat must be a number of seconds"))?
        .ok_or_else(|| invalid("iat", "the proof has no iat"))?;
    let window =
        i64::try_from(rules.max_age.saturating_add(rules.clock_tolerance)).unwrap_or(i64::MAX);
    if now.saturating_sub(iat).abs() > window {
        return Err(invalid(
            "iat",
            format!(
                "the proof was made {} s {} (iat {iat}, now {now}); it must be within {window} s",
                now.saturating_sub(iat).abs(),
                if iat < now { "ago" } else { "in the future" }
            ),
        ));
    }
    let jti = text("jti")?;
    if jti.is_empty() || jti.len() > MAX_JTI_LEN {
        return Err(invalid(
            "jti",
            format!("the proof's jti must be 1 to {MAX_JTI_LEN} bytes"),
        ));
    }
    let ath = text("ath")?;
    if ath != base64url::encode(&Sha256::digest(access_token.as_bytes())) {
        return Err(invalid(
            "ath",
            "the proof's ath is not the sha-256 hash of this access token",
        ));
    }
    Ok(iat.saturating_add(window))
}

/// RFC 7638 SHA-256 thumbprint (base64url) of an admitted public JWK: its
/// required members in lexicographic order, without whitespace.
pub(crate) fn jwk_thumbprint(jwk: &Map<String, Value>) -> Option<String> {
    let members: &[&str] = match jwk.get("kty")?.as_str()? {
        "RSA" => &["e", "kty", "n"],
        "EC" => &["crv", "kty", "x", "y"],
        "OKP" => &["crv", "kty", "x"],
        _ => return None,
    };
    let mut canonical = String::from("{");
    for (i, name) in members.iter().enumerate() {
        let value = jwk.get(*name)?.as_str()?;
        if i > 0 {
            canonical.push(',');
        }
        canonical.push_str(&serde_json::to_string(name).ok()?);
        canonical.push(':');
        canonical.push_str(&serde_json::to_string(value).ok()?);
    }
    canonical.push('}');
    Some(base64url::encode(&Sha256::digest(canonical.as_bytes())))
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    /// RFC 7638 §3.1's example key and its thumbprint.
    #[test]
    fn thumbprint_matches_rfc_7638() {
        let jwk: Value = serde_json::json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29"
        });
        assert_eq!(
            jwk_thumbprint(jwk.as_object().unwrap()).as_deref(),
            Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        );
        let oct = serde_json::json!({"kty": "oct", "k": "c2VjcmV0"});
        assert_eq!(jwk_thumbprint(oct.as_object().unwrap()), None);
    }
}
