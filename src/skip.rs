//! Why a key-set entry is not admitted: one variant per admission rule, so a
//! Rust caller can match on the rule and every host shows the same sentence.

use core::fmt;

use serde::{Serialize, Serializer};

use crate::alg::Algorithm;
use crate::limits::{MAX_KID_LEN, RSA_MAX_BITS};
use crate::text::quote;

/// The admission rule a JWKS entry breaks. Its `Display` is the sentence the
/// npm package reports as `skipped[i].reason`; member values are quoted and
/// bounded, never key material.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// The entry is not a JSON object.
    NotAnObject,
    /// A required member (`kty`, `n`, `e`, `crv`, `x`, `y`) is missing.
    Missing(&'static str),
    /// A member that must be a string is not one.
    NotAString(&'static str),
    /// A key member is not canonical unpadded base64url.
    NotBase64url(&'static str),
    /// A symmetric (`oct`) key: shared secrets never come from a key set.
    Symmetric,
    /// A private key member (`d`, `p`, …) in a public key set.
    PrivateMember(&'static str),
    /// `use` is present and not `sig` (the value, quoted).
    NotForSignatures(String),
    /// `key_ops` is not an array.
    KeyOpsNotArray,
    /// `key_ops` is present and lacks `verify`.
    KeyOpsWithoutVerify,
    /// `kid` is empty or longer than [`MAX_KID_LEN`].
    KidLength,
    /// `alg` names no supported algorithm (the value, quoted).
    UnsupportedAlgorithm(String),
    /// `kty` is not `RSA`, `EC` or `OKP` (the value, quoted).
    UnsupportedKeyType(String),
    /// `crv` is not a supported curve of its key type (the value, quoted).
    UnsupportedCurve(String),
    /// `alg` does not fit the key's type or curve.
    AlgorithmMismatch {
        /// The entry's `alg`.
        alg: Algorithm,
        /// The entry's `kty`.
        kty: String,
    },
    /// The key's family is left out of this build (a Cargo feature).
    NotBuiltIn {
        /// The family's algorithm.
        alg: Algorithm,
        /// The Cargo feature that builds it.
        feature: &'static str,
    },
    /// The RSA modulus is outside the accepted sizes.
    RsaModulusSize {
        /// The modulus size, in bits.
        bits: usize,
        /// The smallest accepted size.
        min_bits: usize,
    },
    /// The RSA modulus is even.
    RsaModulusEven,
    /// The RSA public exponent is even, below 3 or too large.
    RsaExponent,
    /// The RSA modulus carries the ROCA fingerprint (CVE-2017-15361).
    RsaRoca,
    /// EC coordinates are not of the curve's size.
    CoordinateSize {
        /// The curve.
        crv: String,
        /// The size each coordinate must have, in bytes.
        size: usize,
    },
    /// The EC point is not on its curve.
    NotOnCurve(String),
    /// The Ed25519 `x` is not 32 bytes.
    Ed25519Size,
    /// The Ed25519 `x` is not a canonical point encoding.
    Ed25519NonCanonical,
    /// The Ed25519 `x` does not decode to a curve point.
    Ed25519NotAPoint,
    /// The Ed25519 `x` is a small-order (weak) point.
    Ed25519SmallOrder,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAnObject => f.write_str("entry is not a json object"),
            Self::Missing(member) => write!(f, "{member} is missing"),
            Self::NotAString(member) => write!(f, "{member} is not a string"),
            Self::NotBase64url(member) => {
                write!(f, "{member} is not canonical unpadded base64url")
            }
            Self::Symmetric => f.write_str("symmetric (oct) keys are never taken from a key set"),
            Self::PrivateMember(member) => {
                write!(f, "private key member {member:?} in a public key set")
            }
            Self::NotForSignatures(usage) => write!(f, "use is {}, not \"sig\"", quote(usage)),
            Self::KeyOpsNotArray => f.write_str("key_ops is not an array"),
            Self::KeyOpsWithoutVerify => f.write_str("key_ops does not include \"verify\""),
            Self::KidLength => write!(f, "kid must be 1 to {MAX_KID_LEN} bytes"),
            Self::UnsupportedAlgorithm(alg) => write!(f, "alg {} is not supported", quote(alg)),
            Self::UnsupportedKeyType(kty) => write!(f, "kty {} is not supported", quote(kty)),
            Self::UnsupportedCurve(crv) => write!(f, "curve {} is not supported", quote(crv)),
            Self::AlgorithmMismatch { alg, kty } => {
                write!(f, "alg {alg} does not fit this {kty} key")
            }
            Self::NotBuiltIn { alg, feature } => {
                write!(f, "{alg} is not built into this jwtguard (feature {feature})")
            }
            Self::RsaModulusSize { bits, min_bits } => write!(
                f,
                "rsa modulus is {bits} bits; {min_bits} to {RSA_MAX_BITS} are accepted"
            ),
            Self::RsaModulusEven => f.write_str("rsa modulus must be odd"),
            Self::RsaExponent => {
                f.write_str("rsa public exponent must be odd, at least 3 and below 2^33")
            }
            Self::RsaRoca => f.write_str(
                "rsa modulus has the roca fingerprint (cve-2017-15361): its private key is recoverable",
            ),
            Self::CoordinateSize { crv, size } => {
                write!(f, "{crv} coordinates must be {size} bytes each")
            }
            Self::NotOnCurve(crv) => write!(f, "point is not on {crv}"),
            Self::Ed25519Size => f.write_str("ed25519 x must be 32 bytes"),
            Self::Ed25519NonCanonical => f.write_str("ed25519 x is not a canonical point encoding"),
            Self::Ed25519NotAPoint => f.write_str("ed25519 x is not a curve point"),
            Self::Ed25519SmallOrder => f.write_str("ed25519 x is a small-order (weak) point"),
        }
    }
}

/// Serialised as its sentence: hosts show it as is.
impl Serialize for SkipReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
