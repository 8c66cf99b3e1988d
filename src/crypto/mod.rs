//! Signature verification against prepared keys.
//!
//! RS* and PS* use this crate's own RSASSA verification (`rsassa`: Montgomery
//! constants prepared with the key, exact encodings, s < n for both
//! schemes). ES256 and ES384 use this crate's own variable-time ECDSA
//! verification (`ecdsa`: comb tables prepared with the key, the curve
//! crates' field arithmetic). Ed25519 is `ed25519-dalek`'s `verify_strict`
//! on keys already screened for small order. HMAC is the `hmac` crate (constant-time, exact length).
//!
//! Every failure is the same `false`: callers learn nothing about why.

#[cfg(any(feature = "es256", feature = "es384"))]
pub(crate) mod ecdsa;
#[cfg(feature = "eddsa")]
pub(crate) mod ed25519;
pub(crate) mod montgomery;
pub(crate) mod rsassa;

use crate::alg::{Algorithm, Family};

use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
#[cfg(feature = "es256")]
use p256::NistP256;
#[cfg(feature = "es384")]
use p384::NistP384;
#[cfg(any(feature = "es256", feature = "es384"))]
use sha2::Digest as _;
use sha2::{Sha256, Sha384, Sha512};

#[cfg(any(feature = "es256", feature = "es384"))]
use crate::crypto::ecdsa::EcKey;
use crate::crypto::rsassa::{Hash, RsaKey};
use crate::limits::{HS256_MIN_SECRET_LEN, HS384_MIN_SECRET_LEN, HS512_MIN_SECRET_LEN};

/// Key material, decoded and validated once.
#[derive(Clone)]
pub(crate) enum Material {
    /// Montgomery constants computed once (see `rsassa`).
    Rsa(RsaKey),
    /// Comb tables for the key and the generator, built on first use (see `ecdsa`).
    #[cfg(feature = "es256")]
    P256(EcKey<NistP256>),
    #[cfg(feature = "es384")]
    P384(EcKey<NistP384>),
    #[cfg(feature = "eddsa")]
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A shared secret configured by the caller; never from a JWKS.
    Hmac(Vec<u8>),
}

impl Material {
    /// Whether this material can verify `alg` at all.
    pub(crate) fn fits(&self, alg: Algorithm) -> bool {
        use Algorithm::*;
        match self {
            Material::Rsa(_) => alg.family() == Family::Rsa,
            #[cfg(feature = "es256")]
            Material::P256(_) => alg == ES256,
            #[cfg(feature = "es384")]
            Material::P384(_) => alg == ES384,
            #[cfg(feature = "eddsa")]
            Material::Ed25519(_) => alg == EdDSA,
            Material::Hmac(secret) => match alg {
                HS256 => secret.len() >= HS256_MIN_SECRET_LEN,
                HS384 => secret.len() >= HS384_MIN_SECRET_LEN,
                HS512 => secret.len() >= HS512_MIN_SECRET_LEN,
                _ => false,
            },
        }
    }
}

/// Whether `signature` (decoded bytes) is a valid `alg` signature over
/// `message` under `material`.
pub(crate) fn verify(
    material: &Material,
    alg: Algorithm,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use Algorithm::*;
    match (material, alg) {
        (Material::Rsa(key), RS256) => key.verify_pkcs1v15(Hash::Sha256, message, signature),
        (Material::Rsa(key), RS384) => key.verify_pkcs1v15(Hash::Sha384, message, signature),
        (Material::Rsa(key), RS512) => key.verify_pkcs1v15(Hash::Sha512, message, signature),
        (Material::Rsa(key), PS256) => key.verify_pss(Hash::Sha256, message, signature),
        (Material::Rsa(key), PS384) => key.verify_pss(Hash::Sha384, message, signature),
        (Material::Rsa(key), PS512) => key.verify_pss(Hash::Sha512, message, signature),
        #[cfg(feature = "es256")]
        (Material::P256(key), ES256) => key.verify_prehash(&Sha256::digest(message), signature),
        #[cfg(feature = "es384")]
        (Material::P384(key), ES384) => key.verify_prehash(&Sha384::digest(message), signature),
        #[cfg(feature = "eddsa")]
        (Material::Ed25519(key), EdDSA) => ed25519_dalek::Signature::from_slice(signature)
            .is_ok_and(|sig| key.verify_strict(message, &sig).is_ok()),
        (Material::Hmac(secret), HS256) => hmac::<Hmac<Sha256>>(secret, message, signature),
        (Material::Hmac(secret), HS384) => hmac::<Hmac<Sha384>>(secret, message, signature),
        (Material::Hmac(secret), HS512) => hmac::<Hmac<Sha512>>(secret, message, signature),
        _ => false,
    }
}

/// Whether a host may check `alg` signatures with its own native crypto
/// (node:crypto, WebCrypto) instead of this module: its family's rule
/// ([`Family::delegable`]). Once [`well_formed`] has fixed the encoding, the
/// hosts' rules for these are the core's: RSA and ECDSA have one
/// verification each, and for Ed25519 the one difference from
/// `verify_strict` (a small-order R) is refused by `ed25519::well_formed`.
/// (With a family left out of the build no key of it is ever admitted, so
/// its algorithms never reach a host either.)
pub(crate) fn delegable(alg: Algorithm) -> bool {
    alg.family().delegable()
}

/// Whether `signature` has the exact encoding `verify` accepts for `alg`
/// under `material`, before any arithmetic: RSA, exactly k bytes and below
/// n; ECDSA, r || s of the curve's size with both in [1, n − 1]. Checked
/// here before a signature goes to a host, so a lenient host (OpenSSL's
/// RSA-PSS takes a signature shorter than k bytes) cannot change a verdict.
pub(crate) fn well_formed(material: &Material, alg: Algorithm, signature: &[u8]) -> bool {
    match (material, alg) {
        (Material::Rsa(key), _) => key.fits_signature(signature),
        #[cfg(feature = "es256")]
        (Material::P256(_), Algorithm::ES256) => {
            p256::ecdsa::Signature::from_slice(signature).is_ok()
        }
        #[cfg(feature = "es384")]
        (Material::P384(_), Algorithm::ES384) => {
            p384::ecdsa::Signature::from_slice(signature).is_ok()
        }
        #[cfg(feature = "eddsa")]
        (Material::Ed25519(_), Algorithm::EdDSA) => ed25519::well_formed(signature),
        // The other curve's algorithm, and HMAC.
        _ => false,
    }
}

/// HMAC verification: the tag must have exactly the hash's length and is
/// compared in constant time (`verify_slice`).
fn hmac<M: Mac + KeyInit>(secret: &[u8], message: &[u8], tag: &[u8]) -> bool {
    <M as KeyInit>::new_from_slice(secret).is_ok_and(|mut mac| {
        Mac::update(&mut mac, message);
        mac.verify_slice(tag).is_ok()
    })
}
