//! Signature verification against prepared keys.
//!
//! The primitives are the RustCrypto crates behind `jsonwebtoken`'s
//! `rust_crypto` backend, called directly on keys prepared once, with the
//! hardening the catalog asks for: RSASSA-PSS rejects s ≥ n (the `rsa` crate
//! checks it for PKCS#1 v1.5 only), Ed25519 uses `verify_strict` on keys
//! already screened for small order. HMAC goes through
//! `jsonwebtoken::crypto::verify` (constant-time, exact length).
//!
//! Every failure is the same `false`: callers learn nothing about why.

use jsonwebtoken::Algorithm;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, Pss, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::keys::Material;

/// Whether `signature` (decoded bytes; `encoded` is its base64url text) is a
/// valid `alg` signature over `message` under `material`.
pub(crate) fn verify(
    material: &Material,
    alg: Algorithm,
    message: &[u8],
    signature: &[u8],
    encoded: &str,
) -> bool {
    use Algorithm::*;
    match (material, alg) {
        (Material::Rsa { key, .. }, RS256) => pkcs1(
            key,
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(message),
            signature,
        ),
        (Material::Rsa { key, .. }, RS384) => pkcs1(
            key,
            Pkcs1v15Sign::new::<Sha384>(),
            &Sha384::digest(message),
            signature,
        ),
        (Material::Rsa { key, .. }, RS512) => pkcs1(
            key,
            Pkcs1v15Sign::new::<Sha512>(),
            &Sha512::digest(message),
            signature,
        ),
        (Material::Rsa { key, modulus }, PS256) => pss(
            key,
            modulus,
            Pss::new::<Sha256>(),
            &Sha256::digest(message),
            signature,
        ),
        (Material::Rsa { key, modulus }, PS384) => pss(
            key,
            modulus,
            Pss::new::<Sha384>(),
            &Sha384::digest(message),
            signature,
        ),
        (Material::Rsa { key, modulus }, PS512) => pss(
            key,
            modulus,
            Pss::new::<Sha512>(),
            &Sha512::digest(message),
            signature,
        ),
        (Material::P256(key), ES256) => {
            use p256::ecdsa::signature::Verifier as _;
            p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| key.verify(message, &sig).is_ok())
        }
        (Material::P384(key), ES384) => {
            use p384::ecdsa::signature::Verifier as _;
            p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|sig| key.verify(message, &sig).is_ok())
        }
        (Material::Ed25519(key), EdDSA) => ed25519_dalek::Signature::from_slice(signature)
            .is_ok_and(|sig| key.verify_strict(message, &sig).is_ok()),
        (Material::Hmac { key, .. }, HS256 | HS384 | HS512) => {
            jsonwebtoken::crypto::verify(encoded, message, key, alg).unwrap_or(false)
        }
        _ => false,
    }
}

fn pkcs1(key: &RsaPublicKey, scheme: Pkcs1v15Sign, hashed: &[u8], signature: &[u8]) -> bool {
    key.verify(scheme, hashed, signature).is_ok()
}

fn pss(key: &RsaPublicKey, modulus: &[u8], scheme: Pss, hashed: &[u8], signature: &[u8]) -> bool {
    // RFC 8017 §8.1.2 step 1 and §5.2.2 step 1: the signature is exactly k
    // bytes and, as an integer, below n. Equal-length big-endian byte strings
    // compare like the integers they encode.
    signature.len() == key.size()
        && signature.len() == modulus.len()
        && signature < modulus
        && key.verify(scheme, hashed, signature).is_ok()
}
