//! Shared helpers for the integration tests: the jose-signed fixtures, a
//! fixed clock, and signers for building attack tokens with the fixtures'
//! private keys (deterministic, so the same bytes come out natively and in
//! wasm).
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

/// The fixtures' public JWK with this kid.
pub fn public_jwk(kid: &str) -> Value {
    fixtures()["jwks"]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap()
        .clone()
}

/// The fixtures' public JWK with this kid, edited.
pub fn jwk_with(kid: &str, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut jwk = public_jwk(kid);
    edit(jwk.as_object_mut().unwrap());
    jwk
}

/// JSON text of arrays nested `depth` deep around `1`.
pub fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

/// An EdDSA token whose header holds arrays nested `depth` deep.
pub fn header_nested(depth: usize) -> String {
    sign_eddsa_raw(
        format!(
            r#"{{"alg":"EdDSA","kid":"eddsa-key","x":{}}}"#,
            nested(depth)
        )
        .as_bytes(),
        good_claims().to_string().as_bytes(),
    )
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

/// A deterministic random source for RSASSA-PSS salts (xorshift64*), so the
/// same bytes come out natively and in wasm. Test signing only.
struct TestRng(u64);

impl rsa::rand_core::RngCore for TestRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }

    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for byte in dest {
            *byte = self.next_u64() as u8;
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rsa::rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl rsa::rand_core::CryptoRng for TestRng {}

fn rsa_private_key(signer: &str) -> rsa::RsaPrivateKey {
    let jwk = private_jwk(signer);
    let int = |name: &str| rsa::BigUint::from_bytes_be(&unb64(jwk[name].as_str().unwrap()));
    rsa::RsaPrivateKey::from_components(int("n"), int("e"), int("d"), vec![int("p"), int("q")])
        .unwrap()
}

/// RSASSA-PKCS1-v1_5 (`pss` = `None`) or RSASSA-PSS with hash `D`.
fn rsa_sign<D>(signer: &str, input: &[u8], pss: Option<Salt>) -> Vec<u8>
where
    D: 'static
        + sha2::Digest
        + sha2::digest::DynDigest
        + sha2::digest::const_oid::AssociatedOid
        + Send
        + Sync,
{
    let key = rsa_private_key(signer);
    let digest = D::digest(input);
    match pss {
        None => key.sign(rsa::Pkcs1v15Sign::new::<D>(), &digest),
        Some(Salt::HashLength) => {
            key.sign_with_rng(&mut TestRng(0x5eed), rsa::Pss::new::<D>(), &digest)
        }
        Some(Salt::Bytes(n)) => key.sign_with_rng(
            &mut TestRng(0x5eed),
            rsa::Pss::new_with_salt::<D>(n),
            &digest,
        ),
    }
    .unwrap()
}

/// A PSS salt length to sign with: the hash length (RFC 7518 §3.5) or another.
#[derive(Clone, Copy)]
pub enum Salt {
    HashLength,
    Bytes(usize),
}

/// The raw signature over `input` made with the fixtures' private key for
/// `signer` (an algorithm name of the fixtures: RS256…PS512, ES256, ES384,
/// EdDSA), using algorithm `alg` with it (which may differ, on purpose).
pub fn signature_with(signer: &str, alg: &str, input: &[u8], salt: Salt) -> Vec<u8> {
    use sha2::{Sha256, Sha384, Sha512};
    match alg {
        "RS256" => rsa_sign::<Sha256>(signer, input, None),
        "RS384" => rsa_sign::<Sha384>(signer, input, None),
        "RS512" => rsa_sign::<Sha512>(signer, input, None),
        "PS256" => rsa_sign::<Sha256>(signer, input, Some(salt)),
        "PS384" => rsa_sign::<Sha384>(signer, input, Some(salt)),
        "PS512" => rsa_sign::<Sha512>(signer, input, Some(salt)),
        "ES256" => {
            use p256::ecdsa::signature::Signer as _;
            let d = unb64(private_jwk(signer)["d"].as_str().unwrap());
            let key = p256::ecdsa::SigningKey::from_slice(&d).unwrap();
            let signature: p256::ecdsa::Signature = key.sign(input);
            signature.to_bytes().to_vec()
        }
        "ES384" => {
            use p384::ecdsa::signature::Signer as _;
            let d = unb64(private_jwk(signer)["d"].as_str().unwrap());
            let key = p384::ecdsa::SigningKey::from_slice(&d).unwrap();
            let signature: p384::ecdsa::Signature = key.sign(input);
            signature.to_bytes().to_vec()
        }
        "EdDSA" => {
            use ed25519_dalek::Signer as _;
            let d: [u8; 32] = unb64(private_jwk(signer)["d"].as_str().unwrap())
                .try_into()
                .unwrap();
            let key = ed25519_dalek::SigningKey::from_bytes(&d);
            key.sign(input).to_bytes().to_vec()
        }
        other => panic!("no test signer for {other}"),
    }
}

/// Signs raw header and payload bytes with the fixtures' key for `signer`,
/// using `alg` with it.
pub fn sign_raw(signer: &str, alg: &str, header: &[u8], payload: &[u8]) -> String {
    let input = format!("{}.{}", b64(header), b64(payload));
    let signature = signature_with(signer, alg, input.as_bytes(), Salt::HashLength);
    format!("{input}.{}", b64(&signature))
}

/// Signs `claims` under `header` with the fixtures' key for `signer`, using
/// the algorithm the header names.
pub fn sign(signer: &str, header: &Value, claims: &Value) -> String {
    let alg = header["alg"].as_str().unwrap();
    sign_raw(
        signer,
        alg,
        header.to_string().as_bytes(),
        claims.to_string().as_bytes(),
    )
}

/// Signs an arbitrary signing input (already encoded, possibly wrongly) with
/// the fixtures' Ed25519 key and appends the signature.
pub fn sign_input_eddsa(input: &str) -> String {
    let signature = signature_with("EdDSA", "EdDSA", input.as_bytes(), Salt::HashLength);
    format!("{input}.{}", b64(&signature))
}

/// An HMAC token: `header` and `claims` MAC'd with `secret` under the
/// header's `alg` (HS256 when the header names another algorithm).
pub fn sign_hmac(secret: &[u8], header: &Value, claims: &Value) -> String {
    let alg = match header["alg"].as_str() {
        Some("HS384") => jsonwebtoken::Algorithm::HS384,
        Some("HS512") => jsonwebtoken::Algorithm::HS512,
        _ => jsonwebtoken::Algorithm::HS256,
    };
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let key = jsonwebtoken::EncodingKey::from_secret(secret);
    let mac = jsonwebtoken::crypto::sign(input.as_bytes(), &key, alg).unwrap();
    format!("{input}.{mac}")
}

/// Signs raw header and payload bytes with the fixtures' Ed25519 key.
pub fn sign_eddsa_raw(header: &[u8], payload: &[u8]) -> String {
    sign_raw("EdDSA", "EdDSA", header, payload)
}

/// Signs `claims` under `header` with the fixtures' Ed25519 key, whatever
/// algorithm the header names.
pub fn sign_eddsa(header: &Value, claims: &Value) -> String {
    sign_eddsa_raw(header.to_string().as_bytes(), claims.to_string().as_bytes())
}

/// A default EdDSA header for the fixtures' Ed25519 key.
pub fn eddsa_header() -> Value {
    json!({"alg": "EdDSA", "kid": "eddsa-key", "typ": "at+jwt"})
}

/// Signs `claims` under `header` with the fixtures' P-256 key (RFC 6979).
pub fn sign_es256(header: &Value, claims: &Value) -> String {
    sign("ES256", header, claims)
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

/// Three signatures over an EdDSA `token`'s signing input that strict
/// verification refuses (catalog E08): its signature with S + L (S not
/// canonical), with a non-canonical R, and one made with the fixtures'
/// private key with R = identity and S = k·a, which satisfies the
/// cofactorless equation [S]B = R + [k]A (OpenSSL accepts it; the last row).
pub fn ed25519_edge_signatures(token: &str) -> Vec<(&'static str, Vec<u8>)> {
    use curve25519_dalek::scalar::Scalar;
    use sha2::{Digest, Sha512};
    let sig = signature_of(token);
    // S + L, little-endian: L = 2^252 + 27742317777372353535851937790883648493.
    let l: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let mut s_plus_l = sig[32..].to_vec();
    let mut carry = 0u16;
    for (s, l) in s_plus_l.iter_mut().zip(&l) {
        let sum = u16::from(*s) + u16::from(*l) + carry;
        *s = sum.to_le_bytes()[0];
        carry = sum >> 8;
    }
    let mut non_canonical_r = [0xffu8; 32];
    non_canonical_r[0] = 0xee;
    non_canonical_r[31] = 0x7f;
    // R = identity with S = k·a under the fixtures' key.
    let (input, _) = token.rsplit_once('.').unwrap();
    let seed = unb64(private_jwk("EdDSA")["d"].as_str().unwrap());
    let public = unb64(public_jwk("eddsa-key")["x"].as_str().unwrap());
    let mut a_bytes: [u8; 32] = Sha512::digest(&seed)[..32].try_into().unwrap();
    a_bytes[0] &= 248;
    a_bytes[31] &= 127;
    a_bytes[31] |= 64;
    let a = Scalar::from_bytes_mod_order(a_bytes);
    let mut r = [0u8; 32];
    r[0] = 1;
    let k_hash: [u8; 64] = Sha512::new()
        .chain_update(r)
        .chain_update(&public)
        .chain_update(input.as_bytes())
        .finalize()
        .into();
    let s = Scalar::from_bytes_mod_order_wide(&k_hash) * a;
    vec![
        ("S + L", [sig[..32].to_vec(), s_plus_l].concat()),
        (
            "non-canonical R",
            [non_canonical_r.to_vec(), sig[32..].to_vec()].concat(),
        ),
        (
            "small-order R, valid equation",
            [r.to_vec(), s.to_bytes().to_vec()].concat(),
        ),
    ]
}

/// RFC 7638 §3: the required members, sorted, no whitespace, SHA-256.
pub fn thumbprint(jwk: &Value) -> String {
    let canonical = match jwk["kty"].as_str().unwrap() {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            jwk["crv"].as_str().unwrap(),
            jwk["x"].as_str().unwrap(),
            jwk["y"].as_str().unwrap()
        ),
        "OKP" => format!(
            r#"{{"crv":"{}","kty":"OKP","x":"{}"}}"#,
            jwk["crv"].as_str().unwrap(),
            jwk["x"].as_str().unwrap()
        ),
        other => panic!("no thumbprint for {other}"),
    };
    b64(&<sha2::Sha256 as sha2::Digest>::digest(
        canonical.as_bytes(),
    ))
}

/// The public JWK of the proof key (the fixtures' ES256 key), as a client
/// would put it in a proof header: kty, crv, x, y.
pub fn proof_jwk(kid: &str) -> Value {
    let jwk = public_jwk(kid);
    let keep = ["kty", "crv", "x", "y"];
    Value::Object(
        jwk.as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| keep.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}
