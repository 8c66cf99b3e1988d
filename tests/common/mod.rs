//! Shared helpers for the integration tests: the jose-signed fixtures, a
//! fixed clock, and signers for building attack tokens (Ed25519 and ES256,
//! deterministic, so the same bytes come out natively and in wasm).
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwtguard::{KeySet, Policy, Verifier};
use serde_json::{Value, json};

/// The fixtures made by `tests/fixtures/make-fixtures.mjs` with panva/jose.
pub fn fixtures() -> &'static Value {
    static FIXTURES: OnceLock<Value> = OnceLock::new();
    FIXTURES
        .get_or_init(|| serde_json::from_str(include_str!("../fixtures/jose-signed.json")).unwrap())
}

/// The fixed time the fixture tokens are valid at.
pub fn now() -> i64 {
    fixtures()["now"].as_i64().unwrap()
}

pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

pub fn issuer() -> String {
    fixtures()["issuer"].as_str().unwrap().to_owned()
}

pub fn audience() -> String {
    fixtures()["audience"].as_str().unwrap().to_owned()
}

pub fn jwks() -> String {
    fixtures()["jwks"].to_string()
}

pub fn jose_token(alg: &str) -> String {
    fixtures()["tokens"][alg].as_str().unwrap().to_owned()
}

pub fn private_jwk(alg: &str) -> &'static Value {
    &fixtures()["privateKeys"][alg]
}

pub fn policy() -> Policy {
    Policy::new(issuer(), audience())
}

pub fn verifier() -> Verifier {
    Verifier::new(policy(), KeySet::from_jwks(&jwks()).unwrap()).unwrap()
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

/// Claims the default policy accepts at `now()`.
pub fn good_claims() -> Value {
    json!({
        "iss": issuer(),
        "aud": audience(),
        "sub": "service-principal-1",
        "azp": "client-app-1",
        "tid": TENANT,
        "roles": ["Data.Read"],
        "scp": "read write",
        "iat": now() - 60,
        "nbf": now() - 60,
        "exp": now() + 3600,
    })
}

/// Signs raw header and payload bytes with the fixtures' Ed25519 key.
pub fn sign_eddsa_raw(header: &[u8], payload: &[u8]) -> String {
    use ed25519_dalek::Signer as _;
    let d: [u8; 32] = unb64(private_jwk("EdDSA")["d"].as_str().unwrap())
        .try_into()
        .unwrap();
    let key = ed25519_dalek::SigningKey::from_bytes(&d);
    let input = format!("{}.{}", b64(header), b64(payload));
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

/// Signs `claims` under `header` with the fixtures' Ed25519 key.
pub fn sign_eddsa(header: &Value, claims: &Value) -> String {
    sign_eddsa_raw(header.to_string().as_bytes(), claims.to_string().as_bytes())
}

/// A default EdDSA header for the fixtures' Ed25519 key.
pub fn eddsa_header() -> Value {
    json!({"alg": "EdDSA", "kid": "eddsa-key", "typ": "at+jwt"})
}

/// Signs `claims` under `header` with the fixtures' P-256 key (RFC 6979).
pub fn sign_es256(header: &Value, claims: &Value) -> String {
    use p256::ecdsa::signature::Signer as _;
    let d = unb64(private_jwk("ES256")["d"].as_str().unwrap());
    let key = p256::ecdsa::SigningKey::from_slice(&d).unwrap();
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let signature: p256::ecdsa::Signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

/// Replaces the signature segment of `token`.
pub fn with_signature(token: &str, signature: &[u8]) -> String {
    let cut = token.rfind('.').unwrap();
    format!("{}.{}", &token[..cut], b64(signature))
}

/// The decoded signature of `token`.
pub fn signature_of(token: &str) -> Vec<u8> {
    unb64(token.rsplit('.').next().unwrap())
}
