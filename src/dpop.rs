//! The DPoP proof check (RFC 9449 §4.3), as far as the core can go alone.
//!
//! A proof is a compact JWS whose header carries the client's public key
//! (`jwk`) and whose payload names the request (`htm`, `htu`), its time
//! (`iat`), a unique id (`jti`) and the access token's hash (`ath`). What
//! needs state stays with the host: the replay cache of `jti` values, and
//! making server nonces (the host passes the ones it accepts now, and the
//! core checks the proof's `nonce` against them). What ties the proof to the token (`cnf.jkt`) is
//! the caller's: [`check_proof`] returns the key's thumbprint for it.

use crate::alg::Algorithm;
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::keys::admit_jwk;
use crate::limits::{MAX_DPOP_NONCE_LEN, MAX_DPOP_PROOF_SIZE, MAX_JTI_LEN};
use crate::text::quote;
use crate::uri::normalise_htu;
use crate::{base64url, claims, token};

/// A DPoP proof and the request it came with (RFC 9449 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DpopRequest<'a> {
    /// The `DPoP` header's value: one compact JWS.
    pub proof: &'a str,
    /// The HTTP method, e.g. `GET`.
    pub method: &'a str,
    /// The absolute request URL (query and fragment are ignored).
    pub url: &'a str,
    /// The server nonces the proof may carry (RFC 9449 §9), when the server
    /// asks for one: the proof's `nonce` must be one of them. `None` when the
    /// server provides no nonces (a `nonce` in the proof is then not read).
    pub nonces: Option<&'a [&'a str]>,
}

/// What the proof's rules need from the policy.
pub(crate) struct ProofRules<'a> {
    /// Accepted proof algorithms; must be asymmetric (the caller passes the policy's list).
    pub(crate) algorithms: &'a [Algorithm],
    /// How far `iat` may lie from `now`, in seconds, before the clock tolerance.
    pub(crate) max_age: u64,
    pub(crate) clock_tolerance: u64,
}

/// A proof that passed every rule the core can check alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckedProof {
    /// RFC 7638 SHA-256 thumbprint of the proof's `jwk`, base64url: compare with the token's `cnf.jkt`.
    pub(crate) jkt: String,
    /// The proof's `jti`, for the host's replay cache.
    pub(crate) jti: String,
    /// The last second (Unix) at which this proof is still acceptable: `iat + max_age + clock_tolerance`. The host keeps its `jti` until then.
    pub(crate) expires: i64,
}

/// The proof's type (RFC 9449 §4.2), compared by [`token::same_typ`].
const DPOP_TYP: &str = "dpop+jwt";

fn invalid(member: &str, detail: impl Into<String>) -> Error {
    Error::claim(ErrorKind::DpopInvalid, member, detail)
}

/// The same error as a DPoP error: same member, same detail.
fn retyped(error: &Error) -> Error {
    let detail = error.detail().unwrap_or_default();
    match error.claim_name() {
        Some(member) => invalid(member, detail),
        None => Error::with_detail(ErrorKind::DpopInvalid, detail),
    }
}

/// The same error as a DPoP error: same member, same detail, prefixed.
fn as_dpop(error: &Error, prefix: &str) -> Error {
    let detail = match error.detail() {
        Some(detail) => format!("{prefix}: {detail}"),
        None => prefix.to_owned(),
    };
    match error.claim_name() {
        Some(member) => invalid(member, detail),
        None => Error::with_detail(ErrorKind::DpopInvalid, detail),
    }
}

/// Checks a DPoP proof against the request it came with and the access
/// token it presents (RFC 9449 §4.3 steps 1–11, without the replay check,
/// which needs state, and the `cnf.jkt` comparison, which is the caller's):
/// every failure is `ERR_DPOP_INVALID`, but for a proof whose only fault is
/// a missing or unknown server nonce, `ERR_DPOP_NONCE` (the client can fix
/// that one by retrying with the nonce the server sends).
pub(crate) fn check_proof(
    request: &DpopRequest<'_>,
    access_token: &str,
    rules: &ProofRules<'_>,
    now: i64,
) -> Result<CheckedProof> {
    // 1. The envelope.
    let segments = token::split(request.proof, MAX_DPOP_PROOF_SIZE).map_err(|e| {
        let prefix = match e.kind() {
            ErrorKind::TokenTooLarge => "the dpop proof is too large",
            _ => "the dpop proof is not a compact jws",
        };
        as_dpop(&e, prefix)
    })?;
    let header = token::decode_object(segments.header, "header")
        .map_err(|e| as_dpop(&e, "the dpop proof's header is invalid"))?;

    // 2. The header: the token header rules that apply to it (member
    // count, crit, members never followed), as DPoP errors, and its own.
    token::check_member_count(header.len()).map_err(|e| as_dpop(&e, "the dpop proof's header"))?;
    match header.get("typ") {
        Some(Value::String(typ)) if token::same_typ(typ, DPOP_TYP) => {}
        Some(Value::String(typ)) => {
            return Err(invalid(
                "typ",
                format!("expected typ \"{DPOP_TYP}\", found {}", quote(typ)),
            ));
        }
        Some(_) => return Err(invalid("typ", "typ must be a string")),
        None => {
            return Err(invalid(
                "typ",
                format!("typ is required and must be \"{DPOP_TYP}\""),
            ));
        }
    }
    let alg = token::parse_alg(header.get("alg"))
        .map_err(|e| as_dpop(&e, "the dpop proof's alg is refused"))?;
    if alg.is_symmetric() {
        return Err(invalid(
            "alg",
            format!("expected an asymmetric algorithm, found {}", alg.name()),
        ));
    }
    if !rules.algorithms.contains(&alg) {
        let allowed: Vec<&str> = rules.algorithms.iter().map(|a| a.name()).collect();
        return Err(invalid(
            "alg",
            format!(
                "expected one of {}, found {}",
                allowed.join(", "),
                alg.name()
            ),
        ));
    }
    let carries = |name: &str| header.contains_key(name);
    token::check_crit(&carries).map_err(|e| retyped(&e))?;
    token::check_unsupported_members(&carries, &["jwk"]).map_err(|e| retyped(&e))?;
    if header.contains_key("x5c") {
        return Err(invalid(
            "x5c",
            "certificate chains in the header (x5c) are not accepted; the key is the jwk member",
        ));
    }
    let jwk = match header.get("jwk") {
        Some(Value::Object(jwk)) => jwk,
        Some(_) => return Err(invalid("jwk", "jwk must be a json object")),
        None => {
            return Err(invalid(
                "jwk",
                "jwk is required: a dpop proof carries its public key",
            ));
        }
    };
    let key =
        admit_jwk(jwk).map_err(|why| invalid("jwk", format!("the jwk is not admitted: {why}")))?;
    if !key.permits(alg) {
        return Err(invalid(
            "jwk",
            format!(
                "expected a key for {}, found a {} key",
                alg.name(),
                jwk.get("kty").and_then(Value::as_str).unwrap_or("other")
            ),
        ));
    }

    // 3. The signature.
    let signature = token::decode_segment(segments.signature, "the signature")
        .map_err(|e| as_dpop(&e, "the dpop proof is not a compact jws"))?;
    if !crate::crypto::verify(
        &key.material,
        alg,
        segments.signing_input.as_bytes(),
        &signature,
    ) {
        return Err(Error::with_detail(
            ErrorKind::DpopInvalid,
            "the dpop proof's signature does not verify with its jwk",
        ));
    }

    // 4. The payload.
    let payload = token::decode_object(segments.payload, "payload")
        .map_err(|e| as_dpop(&e, "the dpop proof's payload is invalid"))?;
    let htm = required_string(&payload, "htm")?;
    if htm != request.method {
        return Err(invalid(
            "htm",
            format!(
                "expected the request method {}, found {}",
                quote(request.method),
                quote(htm)
            ),
        ));
    }
    let htu = required_string(&payload, "htu")?;
    let url = normalise_htu(request.url).ok_or_else(|| {
        invalid(
            "url",
            "the request url is not an absolute http or https uri without userinfo",
        )
    })?;
    let normal_htu = normalise_htu(htu).ok_or_else(|| {
        invalid(
            "htu",
            "expected an absolute http or https uri without userinfo",
        )
    })?;
    if normal_htu != url {
        return Err(invalid(
            "htu",
            format!(
                "expected the request url {}, found {} (compared without query and fragment, after rfc 3986 normalisation)",
                quote(&url),
                quote(&normal_htu)
            ),
        ));
    }
    let iat = claims::numeric_date(&payload, "iat")
        .map_err(|e| as_dpop(&e, "the dpop proof's iat is invalid"))?
        .ok_or_else(|| invalid("iat", "iat is required"))?;
    let window = rules.max_age.saturating_add(rules.clock_tolerance);
    let skew = i128::from(now) - i128::from(iat);
    if skew.unsigned_abs() > u128::from(window) {
        let detail = if skew > 0 {
            format!("expected iat at most {window} s before now, found {skew} s before")
        } else {
            format!(
                "expected iat at most {window} s after now, found {} s after",
                skew.unsigned_abs()
            )
        };
        return Err(invalid("iat", detail));
    }
    let jti = required_string(&payload, "jti")?;
    if jti.is_empty() || jti.len() > MAX_JTI_LEN {
        return Err(invalid(
            "jti",
            format!(
                "expected a jti of 1 to {MAX_JTI_LEN} bytes, found {} bytes",
                jti.len()
            ),
        ));
    }
    let ath = required_string(&payload, "ath")?;
    if ath != base64url::encode(&Sha256::digest(access_token.as_bytes())) {
        return Err(invalid(
            "ath",
            "expected the base64url sha-256 hash of the access token presented with the proof, found another value",
        ));
    }

    // 5. The server nonce, last: a client is told to retry with a fresh
    // nonce only for a proof that is right in every other way.
    if let Some(nonces) = request.nonces {
        check_nonce(&payload, nonces)?;
    }

    // 6. What the caller needs.
    let jkt = jwk_thumbprint(jwk).ok_or_else(|| {
        Error::with_detail(ErrorKind::Internal, "an admitted jwk has no thumbprint")
    })?;
    Ok(CheckedProof {
        jkt,
        jti: jti.to_owned(),
        expires: iat.saturating_add(i64::try_from(window).unwrap_or(i64::MAX)),
    })
}

/// The proof's `nonce` (RFC 9449 §4.2, §9): a string of 1 to
/// `MAX_DPOP_NONCE_LEN` bytes (else `ERR_DPOP_INVALID`), one of `nonces`
/// (else, or when it is absent, `ERR_DPOP_NONCE`).
fn check_nonce(payload: &Map<String, Value>, nonces: &[&str]) -> Result<()> {
    let nonce = match payload.get("nonce") {
        None => {
            return Err(Error::claim(
                ErrorKind::DpopNonce,
                "nonce",
                "the server requires a nonce in the dpop proof and the proof has none",
            ));
        }
        Some(Value::String(nonce)) => nonce,
        Some(_) => return Err(invalid("nonce", "nonce must be a string")),
    };
    if nonce.is_empty() || nonce.len() > MAX_DPOP_NONCE_LEN {
        return Err(invalid(
            "nonce",
            format!(
                "expected a nonce of 1 to {MAX_DPOP_NONCE_LEN} bytes, found {} bytes",
                nonce.len()
            ),
        ));
    }
    if !nonces.contains(&nonce.as_str()) {
        return Err(Error::claim(
            ErrorKind::DpopNonce,
            "nonce",
            "the proof's nonce is not a current server nonce (stale, or not this server's)",
        ));
    }
    Ok(())
}

/// A string member the proof's payload must have: the claim rule, with its
/// detail, as a DPoP error.
fn required_string<'a>(payload: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    claims::required_string(payload, name).map_err(|e| retyped(&e))
}

/// RFC 7638 JWK SHA-256 thumbprint (base64url, no padding) of an admitted public JWK's members: RSA {e,kty,n}, EC {crv,kty,x,y}, OKP {crv,kty,x}, in lexicographic order, no whitespace.
pub(crate) fn jwk_thumbprint(jwk: &Map<String, Value>) -> Option<String> {
    let kty = jwk.get("kty")?.as_str()?;
    let members: &[&str] = match kty {
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
        // serde_json writes a string as RFC 8259 JSON, as RFC 7638 §3.1 asks.
        canonical.push_str(&serde_json::to_string(name).ok()?);
        canonical.push(':');
        canonical.push_str(&serde_json::to_string(value).ok()?);
    }
    canonical.push('}');
    Some(base64url::encode(&Sha256::digest(canonical.as_bytes())))
}

// The proofs are signed with ES256, RS256 and EdDSA keys: run with those built.
#[cfg(all(test, feature = "es256", feature = "eddsa"))]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    use super::*;

    const NOW: i64 = 1_700_000_000;
    const TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";
    const URL: &str = "https://resource.example.org/protected?tenant=1";
    const HTU: &str = "https://resource.example.org/protected";
    const RULES: ProofRules<'static> = ProofRules {
        algorithms: &[Algorithm::ES256, Algorithm::RS256, Algorithm::EdDSA],
        max_age: 60,
        clock_tolerance: 5,
    };

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The fixtures' private JWK for `alg` (made by jose, tests/fixtures).
    fn private(alg: &str) -> Value {
        let fixtures: Value =
            serde_json::from_str(include_str!("../tests/fixtures/jose-signed.json")).unwrap();
        fixtures["privateKeys"][alg].clone()
    }

    /// Its public members only.
    fn public(alg: &str) -> Value {
        let private = private(alg);
        let mut jwk = Map::new();
        for name in ["kty", "crv", "x", "y", "n", "e"] {
            if let Some(value) = private.get(name) {
                jwk.insert(name.to_owned(), value.clone());
            }
        }
        Value::Object(jwk)
    }

    /// Signs with the `rsa`, `p256` and `ed25519-dalek` crates, not this crate's code.
    fn signature(alg: &str, input: &[u8]) -> Vec<u8> {
        let jwk = private(alg);
        let bytes = |name: &str| URL_SAFE_NO_PAD.decode(jwk[name].as_str().unwrap()).unwrap();
        match alg {
            "RS256" => {
                let int = |name: &str| rsa::BigUint::from_bytes_be(&bytes(name));
                let key = rsa::RsaPrivateKey::from_components(
                    int("n"),
                    int("e"),
                    int("d"),
                    vec![int("p"), int("q")],
                )
                .unwrap();
                key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(input))
                    .unwrap()
            }
            "ES256" => {
                use p256::ecdsa::signature::Signer as _;
                let key = p256::ecdsa::SigningKey::from_slice(&bytes("d")).unwrap();
                let signature: p256::ecdsa::Signature = key.sign(input);
                signature.to_bytes().to_vec()
            }
            "EdDSA" => {
                use ed25519_dalek::Signer as _;
                let key = ed25519_dalek::SigningKey::from_bytes(&bytes("d").try_into().unwrap());
                key.sign(input).to_bytes().to_vec()
            }
            other => panic!("no test signer for {other}"),
        }
    }

    fn sign(signer: &str, header: &Value, payload: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(payload.to_string().as_bytes())
        );
        let signature = signature(signer, input.as_bytes());
        format!("{input}.{}", b64(&signature))
    }

    fn ath(token: &str) -> String {
        b64(&Sha256::digest(token.as_bytes()))
    }

    fn good(alg: &str) -> (Value, Value) {
        let header = json!({ "typ": "dpop+jwt", "alg": alg, "jwk": public(alg) });
        let payload = json!({
            "jti": "e1j3V_bKic8-LAEB",
            "htm": "GET",
            "htu": HTU,
            "iat": NOW,
            "ath": ath(TOKEN),
        });
        (header, payload)
    }

    fn check(proof: &str) -> Result<CheckedProof> {
        let request = DpopRequest {
            proof,
            method: "GET",
            url: URL,
            nonces: None,
        };
        check_proof(&request, TOKEN, &RULES, NOW)
    }

    #[test]
    fn proofs_of_each_family_pass() {
        for alg in ["ES256", "RS256", "EdDSA"] {
            let (header, payload) = good(alg);
            let checked = check(&sign(alg, &header, &payload)).unwrap();
            let want = CheckedProof {
                jkt: jwk_thumbprint(public(alg).as_object().unwrap()).unwrap(),
                jti: "e1j3V_bKic8-LAEB".to_owned(),
                expires: NOW + 65,
            };
            assert_eq!(checked, want, "{alg}");
        }
    }

    type Edit = fn(&mut Value, &mut Value);

    /// Changes to a good ES256 proof that keep it valid.
    #[test]
    fn accepted_variants() {
        let table: &[(&str, Edit)] = &[
            ("htu with a query", |_, p| {
                p["htu"] = json!(format!("{HTU}?other=2"));
            }),
            ("htu with a fragment", |_, p| {
                p["htu"] = json!(format!("{HTU}#f"))
            }),
            ("htu normalised", |_, p| {
                p["htu"] = json!("HTTPS://Resource.Example.org:443/a/../%70rotected");
            }),
            ("typ in capitals", |h, _| h["typ"] = json!("DPoP+JWT")),
            ("typ application/", |h, _| {
                h["typ"] = json!("application/dpop+jwt");
            }),
            ("iat at the past boundary", |_, p| {
                p["iat"] = json!(NOW - 65)
            }),
            ("iat at the future boundary", |_, p| {
                p["iat"] = json!(NOW + 65)
            }),
            ("iat as a fraction", |_, p| {
                p["iat"] = json!(NOW as f64 - 64.5)
            }),
            ("jti at the limit", |_, p| {
                p["jti"] = json!("j".repeat(MAX_JTI_LEN));
            }),
            ("jwk with a kid and use", |h, _| {
                h["jwk"]["kid"] = json!("k1");
                h["jwk"]["use"] = json!("sig");
            }),
        ];
        for (name, edit) in table {
            let (mut header, mut payload) = good("ES256");
            edit(&mut header, &mut payload);
            let checked = check(&sign("ES256", &header, &payload));
            assert!(checked.is_ok(), "{name}: {checked:?}");
        }
    }

    fn tamper_signature(proof: &str) -> String {
        let at = proof.rfind('.').unwrap() + 5;
        let mut bytes = proof.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    }

    fn pad_header(proof: &str) -> String {
        proof.replacen('.', "=.", 1)
    }

    /// One row per rule: an edit of a good ES256 proof (or of its text) and
    /// the member the error names (`None` for the envelope).
    #[test]
    fn refused_proofs() {
        type Tamper = Option<fn(&str) -> String>;
        let table: &[(&str, Edit, Tamper, Option<&str>)] = &[
            (
                "typ missing",
                |h, _| drop(h.as_object_mut().unwrap().remove("typ")),
                None,
                Some("typ"),
            ),
            ("typ JWT", |h, _| h["typ"] = json!("JWT"), None, Some("typ")),
            (
                "typ at+jwt",
                |h, _| h["typ"] = json!("at+jwt"),
                None,
                Some("typ"),
            ),
            (
                "typ not a string",
                |h, _| h["typ"] = json!(["dpop+jwt"]),
                None,
                Some("typ"),
            ),
            (
                "alg HS256",
                |h, _| h["alg"] = json!("HS256"),
                None,
                Some("alg"),
            ),
            (
                "alg none",
                |h, _| h["alg"] = json!("none"),
                None,
                Some("alg"),
            ),
            (
                "alg NoNe",
                |h, _| h["alg"] = json!("NoNe"),
                None,
                Some("alg"),
            ),
            (
                "alg missing",
                |h, _| drop(h.as_object_mut().unwrap().remove("alg")),
                None,
                Some("alg"),
            ),
            (
                "alg unknown",
                |h, _| h["alg"] = json!("es256"),
                None,
                Some("alg"),
            ),
            (
                "alg not in the rules",
                |h, _| h["alg"] = json!("ES384"),
                None,
                Some("alg"),
            ),
            (
                "jwk missing",
                |h, _| drop(h.as_object_mut().unwrap().remove("jwk")),
                None,
                Some("jwk"),
            ),
            (
                "jwk not an object",
                |h, _| h["jwk"] = json!("key"),
                None,
                Some("jwk"),
            ),
            (
                "jwk with private d",
                |h, _| h["jwk"]["d"] = private("ES256")["d"].clone(),
                None,
                Some("jwk"),
            ),
            (
                "jwk of another type",
                |h, _| h["jwk"] = public("EdDSA"),
                None,
                Some("jwk"),
            ),
            (
                "jwk of another curve",
                |h, _| h["jwk"]["crv"] = json!("P-384"),
                None,
                Some("jwk"),
            ),
            (
                "jwk off the curve",
                |h, _| h["jwk"]["y"] = h["jwk"]["x"].clone(),
                None,
                Some("jwk"),
            ),
            (
                "jwk oct",
                |h, _| h["jwk"] = json!({"kty":"oct","k":"c2VjcmV0"}),
                None,
                Some("jwk"),
            ),
            (
                "jwk whose alg differs",
                |h, _| h["jwk"]["alg"] = json!("ES384"),
                None,
                Some("jwk"),
            ),
            (
                "crit",
                |h, _| h["crit"] = json!(["htm"]),
                None,
                Some("crit"),
            ),
            (
                "jku",
                |h, _| h["jku"] = json!("https://attacker.example/jwks"),
                None,
                Some("jku"),
            ),
            (
                "x5u",
                |h, _| h["x5u"] = json!("https://attacker.example/cert"),
                None,
                Some("x5u"),
            ),
            ("x5c", |h, _| h["x5c"] = json!(["MIIB"]), None, Some("x5c")),
            ("b64", |h, _| h["b64"] = json!(false), None, Some("b64")),
            ("bad signature", |_, _| {}, Some(tamper_signature), None),
            (
                "htm POST",
                |_, p| p["htm"] = json!("POST"),
                None,
                Some("htm"),
            ),
            (
                "htm lowercase",
                |_, p| p["htm"] = json!("get"),
                None,
                Some("htm"),
            ),
            (
                "htm missing",
                |_, p| drop(p.as_object_mut().unwrap().remove("htm")),
                None,
                Some("htm"),
            ),
            (
                "htu other path",
                |_, p| p["htu"] = json!("https://resource.example.org/other"),
                None,
                Some("htu"),
            ),
            (
                "htu other host",
                |_, p| p["htu"] = json!("https://evil.example.org/protected"),
                None,
                Some("htu"),
            ),
            (
                "htu other scheme",
                |_, p| p["htu"] = json!("http://resource.example.org/protected"),
                None,
                Some("htu"),
            ),
            (
                "htu other port",
                |_, p| p["htu"] = json!("https://resource.example.org:8443/protected"),
                None,
                Some("htu"),
            ),
            (
                "htu relative",
                |_, p| p["htu"] = json!("/protected"),
                None,
                Some("htu"),
            ),
            (
                "htu with userinfo",
                |_, p| p["htu"] = json!("https://a@resource.example.org/protected"),
                None,
                Some("htu"),
            ),
            (
                "htu missing",
                |_, p| drop(p.as_object_mut().unwrap().remove("htu")),
                None,
                Some("htu"),
            ),
            (
                "iat one past the age",
                |_, p| p["iat"] = json!(NOW - 66),
                None,
                Some("iat"),
            ),
            (
                "iat one past the future",
                |_, p| p["iat"] = json!(NOW + 66),
                None,
                Some("iat"),
            ),
            (
                "iat far in the past",
                |_, p| p["iat"] = json!(0),
                None,
                Some("iat"),
            ),
            (
                "iat a string",
                |_, p| p["iat"] = json!(NOW.to_string()),
                None,
                Some("iat"),
            ),
            (
                "iat negative",
                |_, p| p["iat"] = json!(-1),
                None,
                Some("iat"),
            ),
            (
                "iat missing",
                |_, p| drop(p.as_object_mut().unwrap().remove("iat")),
                None,
                Some("iat"),
            ),
            (
                "jti missing",
                |_, p| drop(p.as_object_mut().unwrap().remove("jti")),
                None,
                Some("jti"),
            ),
            ("jti empty", |_, p| p["jti"] = json!(""), None, Some("jti")),
            (
                "jti too long",
                |_, p| p["jti"] = json!("j".repeat(MAX_JTI_LEN + 1)),
                None,
                Some("jti"),
            ),
            (
                "jti a number",
                |_, p| p["jti"] = json!(7),
                None,
                Some("jti"),
            ),
            (
                "ath missing",
                |_, p| drop(p.as_object_mut().unwrap().remove("ath")),
                None,
                Some("ath"),
            ),
            (
                "ath of another token",
                |_, p| p["ath"] = json!(ath("another.token.here")),
                None,
                Some("ath"),
            ),
            (
                "ath padded",
                |_, p| p["ath"] = json!(format!("{}=", ath(TOKEN))),
                None,
                Some("ath"),
            ),
            (
                "ath of the token's hex hash",
                |_, p| {
                    p["ath"] = json!(format!("{:x}", Sha256::digest(TOKEN.as_bytes())));
                },
                None,
                Some("ath"),
            ),
            ("non-canonical base64url", |_, _| {}, Some(pad_header), None),
            (
                "oversized proof",
                |_, p| p["pad"] = json!("x".repeat(MAX_DPOP_PROOF_SIZE)),
                None,
                None,
            ),
            ("payload not an object", |_, p| *p = json!([1]), None, None),
        ];
        for (name, edit, tamper, member) in table {
            let (mut header, mut payload) = good("ES256");
            edit(&mut header, &mut payload);
            let mut proof = sign("ES256", &header, &payload);
            if let Some(tamper) = tamper {
                proof = tamper(&proof);
            }
            let error = check(&proof).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::DpopInvalid, "{name}: {error:?}");
            assert_eq!(error.claim_name(), *member, "{name}: {error:?}");
            let detail = error.detail().unwrap();
            // Lowercase words; quoted values keep their case.
            assert!(!detail.starts_with(char::is_uppercase), "{name}: {detail}");
            assert!(!detail.contains(&proof[..20]), "{name}: {detail}");
        }
    }

    /// The server nonce rule: the proof's `nonce` against the nonces the
    /// host accepts now (`None`: the server asks for none), with the code
    /// each case gets (`None`: accepted).
    #[test]
    fn server_nonces() {
        const CURRENT: &str = "bm9uY2UtY3VycmVudA";
        const PREVIOUS: &str = "bm9uY2UtcHJldmlvdXM";
        let both: &[&str] = &[CURRENT, PREVIOUS];
        let long = "n".repeat(MAX_DPOP_NONCE_LEN + 1);
        /// A row: its name, the proof's `nonce` (absent: none), the nonces
        /// accepted, and the code it gets (`None`: accepted).
        type Row<'a> = (
            &'a str,
            Option<Value>,
            Option<&'a [&'a str]>,
            Option<ErrorKind>,
        );
        let table: &[Row<'_>] = &[
            ("current nonce", Some(json!(CURRENT)), Some(both), None),
            ("previous nonce", Some(json!(PREVIOUS)), Some(both), None),
            ("no nonce asked, none given", None, None, None),
            ("no nonce asked, one given", Some(json!("x")), None, None),
            (
                "nonce missing",
                None,
                Some(both),
                Some(ErrorKind::DpopNonce),
            ),
            (
                "stale nonce",
                Some(json!("bm9uY2Utb2xk")),
                Some(&[CURRENT]),
                Some(ErrorKind::DpopNonce),
            ),
            (
                "previous is not current",
                Some(json!(PREVIOUS)),
                Some(&[CURRENT]),
                Some(ErrorKind::DpopNonce),
            ),
            (
                "no nonce accepted",
                Some(json!(CURRENT)),
                Some(&[]),
                Some(ErrorKind::DpopNonce),
            ),
            (
                "case differs",
                Some(json!(CURRENT.to_lowercase())),
                Some(both),
                Some(ErrorKind::DpopNonce),
            ),
            (
                "nonce not a string",
                Some(json!(42)),
                Some(both),
                Some(ErrorKind::DpopInvalid),
            ),
            (
                "nonce an array",
                Some(json!([CURRENT])),
                Some(both),
                Some(ErrorKind::DpopInvalid),
            ),
            (
                "nonce null",
                Some(Value::Null),
                Some(both),
                Some(ErrorKind::DpopInvalid),
            ),
            (
                "nonce empty",
                Some(json!("")),
                Some(&[""]),
                Some(ErrorKind::DpopInvalid),
            ),
            (
                "nonce over the limit",
                Some(json!(long)),
                Some(&[long.as_str()]),
                Some(ErrorKind::DpopInvalid),
            ),
        ];
        for (name, nonce, nonces, want) in table {
            let (header, mut payload) = good("ES256");
            if let Some(nonce) = nonce {
                payload["nonce"] = nonce.clone();
            }
            let proof = sign("ES256", &header, &payload);
            let request = DpopRequest {
                proof: &proof,
                method: "GET",
                url: URL,
                nonces: *nonces,
            };
            let result = check_proof(&request, TOKEN, &RULES, NOW);
            match want {
                None => assert!(result.is_ok(), "{name}: {result:?}"),
                Some(kind) => {
                    let error = result.unwrap_err();
                    assert_eq!(error.kind(), *kind, "{name}: {error:?}");
                    assert_eq!(error.claim_name(), Some("nonce"), "{name}");
                }
            }
        }
        // Any other fault comes first: the client is not sent for a nonce in vain.
        let (header, mut payload) = good("ES256");
        payload["htm"] = json!("POST");
        let proof = sign("ES256", &header, &payload);
        let request = DpopRequest {
            proof: &proof,
            method: "GET",
            url: URL,
            nonces: Some(both),
        };
        let error = check_proof(&request, TOKEN, &RULES, NOW).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::DpopInvalid);
        assert_eq!(error.claim_name(), Some("htm"));
    }

    #[test]
    fn envelope_errors_say_dpop_proof() {
        for proof in ["a.b", "a.b.c.d", "", &"a".repeat(MAX_DPOP_PROOF_SIZE + 1)] {
            let error = check(proof).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::DpopInvalid);
            assert!(
                error.detail().unwrap().starts_with("the dpop proof "),
                "{error:?}"
            );
        }
    }

    #[test]
    fn hmac_is_refused_even_when_the_rules_list_it() {
        let (mut header, payload) = good("ES256");
        header["alg"] = json!("HS256");
        let proof = sign("ES256", &header, &payload);
        let rules = ProofRules {
            algorithms: &[Algorithm::HS256, Algorithm::ES256],
            ..RULES
        };
        let request = DpopRequest {
            proof: &proof,
            method: "GET",
            url: URL,
            nonces: None,
        };
        let error = check_proof(&request, TOKEN, &rules, NOW).unwrap_err();
        assert_eq!(error.claim_name(), Some("alg"), "{error:?}");
    }

    #[test]
    fn a_request_url_that_does_not_normalise_names_url() {
        let (header, payload) = good("ES256");
        let proof = sign("ES256", &header, &payload);
        for url in [
            "/protected",
            "ftp://resource.example.org/protected",
            "https://u@resource.example.org/protected",
        ] {
            let request = DpopRequest {
                proof: &proof,
                method: "GET",
                url,
                nonces: None,
            };
            let error = check_proof(&request, TOKEN, &RULES, NOW).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::DpopInvalid);
            assert_eq!(error.claim_name(), Some("url"), "{url}: {error:?}");
        }
    }

    #[test]
    fn expiry_and_window_follow_the_rules() {
        let (mut header, mut payload) = good("EdDSA");
        header["alg"] = json!("EdDSA");
        payload["iat"] = json!(NOW - 100);
        let proof = sign("EdDSA", &header, &payload);
        let request = DpopRequest {
            proof: &proof,
            method: "GET",
            url: URL,
            nonces: None,
        };
        let wide = ProofRules {
            max_age: 90,
            clock_tolerance: 10,
            ..RULES
        };
        let checked = check_proof(&request, TOKEN, &wide, NOW).unwrap();
        assert_eq!(checked.expires, NOW);
        let narrow = ProofRules {
            max_age: 90,
            clock_tolerance: 9,
            ..RULES
        };
        let error = check_proof(&request, TOKEN, &narrow, NOW).unwrap_err();
        assert_eq!(error.claim_name(), Some("iat"));
    }

    #[test]
    fn rfc7638_thumbprint() {
        // RFC 7638 §3.1's example key and its thumbprint.
        let jwk = json!({
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
            "e": "AQAB",
            "alg": "RS256",
            "kid": "2011-04-29",
        });
        assert_eq!(
            jwk_thumbprint(jwk.as_object().unwrap()).as_deref(),
            Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        );
        // Members beyond the required ones do not change it; a missing one is None.
        let ec = public("ES256");
        let mut with_kid = ec.clone();
        with_kid["kid"] = json!("k");
        assert_eq!(
            jwk_thumbprint(ec.as_object().unwrap()),
            jwk_thumbprint(with_kid.as_object().unwrap())
        );
        let mut no_y = ec.clone();
        no_y.as_object_mut().unwrap().remove("y");
        assert_eq!(jwk_thumbprint(no_y.as_object().unwrap()), None);
        assert_eq!(
            jwk_thumbprint(json!({"kty":"oct","k":"AA"}).as_object().unwrap()),
            None
        );
        // An Ed25519 key: RFC 8037 Appendix A.3's example.
        let okp =
            json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        assert_eq!(
            jwk_thumbprint(okp.as_object().unwrap()).as_deref(),
            Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        );
    }
}
