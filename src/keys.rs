//! Key sets: JWKS admission, prepared keys, and key selection.
//!
//! A JWKS is parsed once. Every entry is checked against the admission rules
//! and turned into a prepared key (big integers decoded, curve points
//! decompressed and validated), so verifying a token never re-parses key
//! material. An entry that breaks a rule is skipped and reported with its
//! reason; only a set with no usable key is an error.

use crate::alg::Algorithm;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::crypto::Material;
#[cfg(any(feature = "es256", feature = "es384"))]
use crate::crypto::ecdsa::EcKey;
#[cfg(any(feature = "es256", feature = "es384"))]
use crate::crypto::ecdsa::Generators;
use crate::crypto::rsassa::{self, RsaKey};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::{
    HS256_MIN_SECRET_LEN, MAX_JWKS_KEYS, MAX_JWKS_SIZE, MAX_KEYS_TRIED, MAX_KID_LEN, RSA_MIN_BITS,
};
use crate::skip::SkipReason;
use crate::text::quote;
use crate::{base64url, json};

/// Private-key members (RFC 7518 §6.2.2, §6.3.2, §6.4.1): a JWK carrying one
/// is a leaked private key, not a published public key.
const PRIVATE_MEMBERS: &[&str] = &["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// One usable key of a [`KeySet`].
#[derive(Clone)]
pub struct Key {
    kid: Option<String>,
    alg: Option<Algorithm>,
    issuer: Option<String>,
    public_jwk: Option<String>,
    pub(crate) material: Material,
}

impl Key {
    /// The key id, when the JWK has one.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The JWK's own `alg`, when it has one.
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// The JWK's `issuer` member (Entra ID v2 key sets), possibly a
    /// `{tenantid}` template.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// Whether this key may verify a token signed with `alg`: the key type and
    /// curve must fit, and the JWK's own `alg`, when present, must equal it.
    pub fn permits(&self, alg: Algorithm) -> bool {
        self.material.fits(alg) && self.alg.is_none_or(|own| own == alg)
    }

    /// The public key as JWK JSON text holding only what a host's
    /// `importKey` needs (`kty`, `n`, `e` for RSA; `kty`, `crv`, `x`, `y` for
    /// EC; `kty`, `crv`, `x` for Ed25519), kept from the admitted entry.
    /// `None` for shared secrets, whose signatures are only ever checked in
    /// Rust (see [`crate::Prepared`]).
    pub fn public_jwk(&self) -> Option<&str> {
        self.public_jwk.as_deref()
    }
}

impl core::fmt::Debug for Key {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never print key material, not even public key material.
        f.debug_struct("Key")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// Without ECDSA (features `es256`, `es384`) a key set has no generator
/// tables to share.
#[cfg(not(any(feature = "es256", feature = "es384")))]
#[derive(Default)]
struct Generators {}

/// The reason a JWKS entry of a family left out of this build is skipped.
#[cfg(not(all(feature = "es256", feature = "es384", feature = "eddsa")))]
fn not_built(alg: Algorithm) -> SkipReason {
    SkipReason::NotBuiltIn {
        alg,
        feature: alg.feature().unwrap_or_default(),
    }
}

/// A JWKS entry that was not admitted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SkippedKey {
    /// Position in the JWKS `keys` array.
    pub index: usize,
    /// The entry's `kid`, when it had a usable one.
    pub kid: Option<String>,
    /// The admission rule the entry breaks (serialised as its sentence).
    pub reason: SkipReason,
}

/// A prepared set of verification keys.
#[derive(Debug, Clone)]
pub struct KeySet {
    keys: Vec<Key>,
    skipped: Vec<SkippedKey>,
}

impl KeySet {
    /// Parses a JWKS document (RFC 7517 §5) and prepares every usable key.
    ///
    /// Entries that break an admission rule are skipped and listed in
    /// [`KeySet::skipped`]. Fails with `ERR_JWKS_INVALID` when the document
    /// is not a strict JSON object with a `keys` array, is over
    /// [`MAX_JWKS_SIZE`] bytes or [`MAX_JWKS_KEYS`] keys, or has no usable key.
    pub fn from_jwks(jwks: &str) -> Result<Self> {
        if jwks.len() > MAX_JWKS_SIZE {
            return Err(Error::with_detail(
                ErrorKind::JwksInvalid,
                format!("{} bytes, limit {MAX_JWKS_SIZE}", jwks.len()),
            ));
        }
        let doc = json::parse_object(jwks.as_bytes())
            .map_err(|why| Error::with_detail(ErrorKind::JwksInvalid, why))?;
        let Some(Value::Array(entries)) = doc.get("keys") else {
            return Err(Error::with_detail(
                ErrorKind::JwksInvalid,
                "a key set is an object with a \"keys\" array",
            ));
        };
        if entries.len() > MAX_JWKS_KEYS {
            return Err(Error::with_detail(
                ErrorKind::JwksInvalid,
                format!("{} keys, limit {MAX_JWKS_KEYS}", entries.len()),
            ));
        }
        let mut keys = Vec::with_capacity(entries.len());
        let mut skipped = Vec::new();
        let generators = Generators::default();
        for (index, entry) in entries.iter().enumerate() {
            let admitted = match entry {
                Value::Object(jwk) => admit(jwk, &generators),
                _ => Err(SkipReason::NotAnObject),
            };
            match admitted {
                Ok(key) => keys.push(key),
                Err(reason) => skipped.push(SkippedKey {
                    index,
                    kid: entry
                        .get("kid")
                        .and_then(Value::as_str)
                        .filter(|kid| kid.len() <= MAX_KID_LEN)
                        .map(str::to_owned),
                    reason,
                }),
            }
        }
        if keys.is_empty() {
            let why = match skipped.first() {
                Some(first) if skipped.len() == 1 => format!("no usable key: {}", first.reason),
                Some(first) => format!(
                    "no usable key among {} (first: {})",
                    skipped.len(),
                    first.reason
                ),
                None => "the keys array is empty".to_owned(),
            };
            return Err(Error::with_detail(ErrorKind::JwksInvalid, why));
        }
        Ok(Self { keys, skipped })
    }

    /// A key set holding one shared secret for HS256/384/512, configured by
    /// the caller (never taken from a JWKS).
    ///
    /// RFC 7518 §3.2: the secret must be at least as long as the hash output,
    /// so a 32-byte secret allows HS256 only, 48 bytes HS256 and HS384, 64
    /// bytes all three. Shorter than 32 bytes is `ERR_KEY_INVALID`.
    pub fn from_secret(secret: &[u8], kid: Option<&str>) -> Result<Self> {
        if secret.len() < HS256_MIN_SECRET_LEN {
            return Err(Error::with_detail(
                ErrorKind::KeyInvalid,
                format!(
                    "shared secret is {} bytes; hs256 needs at least {HS256_MIN_SECRET_LEN}",
                    secret.len()
                ),
            ));
        }
        Ok(Self {
            keys: vec![Key {
                kid: kid.map(str::to_owned),
                alg: None,
                issuer: None,
                public_jwk: None,
                material: Material::Hmac(secret.to_vec()),
            }],
            skipped: Vec::new(),
        })
    }

    /// The usable keys.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }

    /// The entries that were skipped, with reasons.
    pub fn skipped(&self) -> &[SkippedKey] {
        &self.skipped
    }

    /// The keys (as indices into [`KeySet::keys`]) that may verify a token
    /// with this `kid` and `alg`.
    ///
    /// With a `kid`, only keys with exactly that `kid` (case-sensitive) are
    /// candidates; without one, every key that permits `alg` is. Either way
    /// more than [`MAX_KEYS_TRIED`] candidates is an error, so no key set can
    /// make one token cost more than that many signature checks.
    pub(crate) fn candidates(&self, kid: Option<&str>, alg: Algorithm) -> Result<Vec<usize>> {
        let fitting: Vec<usize> = self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, key)| kid.is_none_or(|kid| key.kid.as_deref() == Some(kid)))
            .filter(|(_, key)| key.permits(alg))
            .map(|(index, _)| index)
            .collect();
        match (kid, fitting.len()) {
            (Some(kid), 0) => {
                let known = self.keys.iter().any(|key| key.kid.as_deref() == Some(kid));
                let detail = if known {
                    format!("key {} does not permit {}", quote(kid), alg.name())
                } else {
                    format!(
                        "no key with kid {}; the key set has kids {}",
                        quote(kid),
                        crate::text::quote_list(
                            self.keys.iter().filter_map(|key| key.kid.as_deref())
                        )
                    )
                };
                Err(Error::claim(ErrorKind::KeyNotFound, "kid", detail))
            }
            (None, 0) => Err(Error::with_detail(
                ErrorKind::KeyNotFound,
                format!("the token has no kid and no key permits {}", alg.name()),
            )),
            (None, n) if n > MAX_KEYS_TRIED => Err(Error::with_detail(
                ErrorKind::KeyNotFound,
                format!(
                    "the token has no kid and {n} keys permit {}; at most {MAX_KEYS_TRIED} are tried",
                    alg.name()
                ),
            )),
            (Some(kid), n) if n > MAX_KEYS_TRIED => Err(Error::claim(
                ErrorKind::KeyNotFound,
                "kid",
                format!(
                    "{n} keys share kid {} and permit {}; at most {MAX_KEYS_TRIED} are tried",
                    quote(kid),
                    alg.name()
                ),
            )),
            _ => Ok(fitting),
        }
    }
}

/// Applies the admission rules of a key set entry to a JWK that comes alone,
/// such as the one in a DPoP proof's header.
pub(crate) fn admit_jwk(jwk: &Map<String, Value>) -> core::result::Result<Key, SkipReason> {
    admit(jwk, &Generators::default())
}

/// Applies the admission rules to one JWKS entry.
/// `generators` holds the key set's generator tables, shared by its keys.
fn admit(
    jwk: &Map<String, Value>,
    generators: &Generators,
) -> core::result::Result<Key, SkipReason> {
    let kty = string_member(jwk, "kty")?.ok_or(SkipReason::Missing("kty"))?;
    if kty == "oct" {
        return Err(SkipReason::Symmetric);
    }
    if let Some(private) = PRIVATE_MEMBERS.iter().find(|m| jwk.contains_key(**m)) {
        return Err(SkipReason::PrivateMember(private));
    }
    if let Some(usage) = string_member(jwk, "use")?
        && usage != "sig"
    {
        return Err(SkipReason::NotForSignatures(usage.to_owned()));
    }
    if let Some(ops) = jwk.get("key_ops") {
        let Some(ops) = ops.as_array() else {
            return Err(SkipReason::KeyOpsNotArray);
        };
        if !ops.iter().any(|op| op.as_str() == Some("verify")) {
            return Err(SkipReason::KeyOpsWithoutVerify);
        }
    }
    let kid = match string_member(jwk, "kid")? {
        Some(kid) if kid.is_empty() || kid.len() > MAX_KID_LEN => {
            return Err(SkipReason::KidLength);
        }
        kid => kid.map(str::to_owned),
    };
    let alg = match string_member(jwk, "alg")? {
        None => None,
        Some(alg) => Some(
            Algorithm::from_name(alg)
                .ok_or_else(|| SkipReason::UnsupportedAlgorithm(alg.to_owned()))?,
        ),
    };
    let issuer = string_member(jwk, "issuer")?.map(str::to_owned);
    let material = match kty {
        "RSA" => rsa_material(jwk)?,
        "EC" => ec_material(jwk, generators)?,
        "OKP" => okp_material(jwk)?,
        other => return Err(SkipReason::UnsupportedKeyType(other.to_owned())),
    };
    if let Some(alg) = alg
        && !material.fits(alg)
    {
        return Err(SkipReason::AlgorithmMismatch {
            alg,
            kty: kty.to_owned(),
        });
    }
    Ok(Key {
        kid,
        alg,
        issuer,
        public_jwk: public_jwk(kty, jwk),
        material,
    })
}

/// The members of an admitted RSA, EC or OKP entry that a host's `importKey`
/// needs, as JWK JSON text. Copied as they are: each passed the strict
/// base64url decoder (or is a supported curve name), so none needs escaping.
/// A host that refuses one (a modulus with a leading zero byte, which
/// Chromium rejects) leaves that key's signatures to Rust.
fn public_jwk(kty: &str, jwk: &Map<String, Value>) -> Option<String> {
    let member = |name| jwk.get(name).and_then(Value::as_str).unwrap_or_default();
    match kty {
        "RSA" => Some(format!(
            r#"{{"kty":"RSA","n":"{}","e":"{}"}}"#,
            member("n"),
            member("e")
        )),
        "EC" => Some(format!(
            r#"{{"kty":"EC","crv":"{}","x":"{}","y":"{}"}}"#,
            member("crv"),
            member("x"),
            member("y")
        )),
        "OKP" => Some(format!(
            r#"{{"kty":"OKP","crv":"{}","x":"{}"}}"#,
            member("crv"),
            member("x")
        )),
        _ => None,
    }
}

fn string_member<'a>(
    jwk: &'a Map<String, Value>,
    name: &'static str,
) -> core::result::Result<Option<&'a str>, SkipReason> {
    match jwk.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(SkipReason::NotAString(name)),
    }
}

fn bytes_member(
    jwk: &Map<String, Value>,
    name: &'static str,
) -> core::result::Result<Vec<u8>, SkipReason> {
    let text = string_member(jwk, name)?.ok_or(SkipReason::Missing(name))?;
    base64url::decode(text).ok_or(SkipReason::NotBase64url(name))
}

fn rsa_material(jwk: &Map<String, Value>) -> core::result::Result<Material, SkipReason> {
    let n = bytes_member(jwk, "n")?;
    let e = bytes_member(jwk, "e")?;
    let key = RsaKey::new(&n, &e, RSA_MIN_BITS).map_err(rsa_refusal)?;
    if has_roca_fingerprint(key.modulus_bytes()) {
        return Err(SkipReason::RsaRoca);
    }
    Ok(Material::Rsa(key))
}

/// The admission rule an RSA key that `rsassa` refuses breaks.
fn rsa_refusal(refused: rsassa::KeyError) -> SkipReason {
    match refused {
        rsassa::KeyError::ModulusSize { bits, min_bits } => {
            SkipReason::RsaModulusSize { bits, min_bits }
        }
        rsassa::KeyError::ModulusEven => SkipReason::RsaModulusEven,
        rsassa::KeyError::Exponent => SkipReason::RsaExponent,
    }
}

/// Small primes of the ROCA fingerprint test (Nemec et al., CCS 2017).
const ROCA_PRIMES: [u32; 38] = [
    3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
    101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
];

/// Whether a modulus (big-endian) was made by the flawed Infineon RSALib
/// generator (CVE-2017-15361, "ROCA"): such primes have the form
/// k·M + (65537^a mod M), so n mod p lies in the subgroup generated by 65537
/// for every small prime p dividing M. A random modulus almost never does.
fn has_roca_fingerprint(modulus: &[u8]) -> bool {
    ROCA_PRIMES.iter().all(|&p| {
        let residue = modulus
            .iter()
            .fold(0u32, |r, &byte| (r * 256 + u32::from(byte)) % p);
        let generator = 65_537 % p;
        let mut power = 1;
        loop {
            if power == residue {
                break true;
            }
            power = power * generator % p;
            if power == 1 {
                break false;
            }
        }
    })
}

#[cfg(any(feature = "es256", feature = "es384"))]
fn ec_material(
    jwk: &Map<String, Value>,
    generators: &Generators,
) -> core::result::Result<Material, SkipReason> {
    let crv = string_member(jwk, "crv")?.ok_or(SkipReason::Missing("crv"))?;
    #[cfg(not(feature = "es256"))]
    if crv == "P-256" {
        return Err(not_built(Algorithm::ES256));
    }
    #[cfg(not(feature = "es384"))]
    if crv == "P-384" {
        return Err(not_built(Algorithm::ES384));
    }
    let x = bytes_member(jwk, "x")?;
    let y = bytes_member(jwk, "y")?;
    let size = match crv {
        #[cfg(feature = "es256")]
        "P-256" => 32,
        #[cfg(feature = "es384")]
        "P-384" => 48,
        other => return Err(SkipReason::UnsupportedCurve(other.to_owned())),
    };
    if x.len() != size || y.len() != size {
        return Err(SkipReason::CoordinateSize {
            crv: crv.to_owned(),
            size,
        });
    }
    let mut point = Vec::with_capacity(1 + 2 * size);
    point.push(0x04);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    // The curve crates validate the point (on the curve, coordinates below
    // p); the comb tables are built from it on first use (see `ecdsa`).
    let off_curve = || SkipReason::NotOnCurve(crv.to_owned());
    match crv {
        #[cfg(feature = "es256")]
        "P-256" => {
            p256::PublicKey::from_sec1_bytes(&point).map_err(|_| off_curve())?;
            EcKey::new(&x, &y, generators.p256())
                .map(Material::P256)
                .ok_or_else(off_curve)
        }
        #[cfg(feature = "es384")]
        "P-384" => {
            p384::PublicKey::from_sec1_bytes(&point).map_err(|_| off_curve())?;
            EcKey::new(&x, &y, generators.p384())
                .map(Material::P384)
                .ok_or_else(off_curve)
        }
        // `size` above admits only the curves built in.
        _ => Err(off_curve()),
    }
}

/// Without ECDSA every EC entry is skipped: the two curves as not built in,
/// any other as before.
#[cfg(not(any(feature = "es256", feature = "es384")))]
fn ec_material(
    jwk: &Map<String, Value>,
    _generators: &Generators,
) -> core::result::Result<Material, SkipReason> {
    match string_member(jwk, "crv")?.ok_or(SkipReason::Missing("crv"))? {
        "P-256" => Err(not_built(Algorithm::ES256)),
        "P-384" => Err(not_built(Algorithm::ES384)),
        other => {
            bytes_member(jwk, "x")?;
            bytes_member(jwk, "y")?;
            Err(SkipReason::UnsupportedCurve(other.to_owned()))
        }
    }
}

fn okp_material(jwk: &Map<String, Value>) -> core::result::Result<Material, SkipReason> {
    let crv = string_member(jwk, "crv")?.ok_or(SkipReason::Missing("crv"))?;
    if crv != "Ed25519" {
        return Err(SkipReason::UnsupportedCurve(crv.to_owned()));
    }
    ed25519_material(jwk)
}

#[cfg(not(feature = "eddsa"))]
fn ed25519_material(_jwk: &Map<String, Value>) -> core::result::Result<Material, SkipReason> {
    Err(not_built(Algorithm::EdDSA))
}

#[cfg(feature = "eddsa")]
fn ed25519_material(jwk: &Map<String, Value>) -> core::result::Result<Material, SkipReason> {
    let x: [u8; 32] = bytes_member(jwk, "x")?
        .try_into()
        .map_err(|_| SkipReason::Ed25519Size)?;
    if !is_canonical_ed25519(&x) {
        return Err(SkipReason::Ed25519NonCanonical);
    }
    let key =
        ed25519_dalek::VerifyingKey::from_bytes(&x).map_err(|_| SkipReason::Ed25519NotAPoint)?;
    if key.is_weak() {
        return Err(SkipReason::Ed25519SmallOrder);
    }
    Ok(Material::Ed25519(key))
}

/// RFC 8032 §5.1.3: the y coordinate (the low 255 bits, little-endian) must be
/// below p = 2^255 − 19. Non-canonical encodings are y in [p, 2^255).
#[cfg(feature = "eddsa")]
fn is_canonical_ed25519(x: &[u8; 32]) -> bool {
    let [first, middle @ .., last] = x;
    let at_least_p = *first >= 0xed && middle.iter().all(|b| *b == 0xff) && (*last & 0x7f) == 0x7f;
    !at_least_p
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn roca_fingerprint() {
        // The ROCA modulus of Wycheproof's JWK vectors (tc 7) and a fixture key.
        let vectors: serde_json::Value = serde_json::from_str(include_str!(
            "../tests/vectors/wycheproof/json_web_key_test.json"
        ))
        .unwrap();
        let roca = vectors["testGroups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["comment"] == "jws_rsa_roca_key")
            .unwrap();
        let n = base64url::decode(roca["public"]["keys"][0]["n"].as_str().unwrap()).unwrap();
        assert!(has_roca_fingerprint(&n));
        let fixtures: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/jose-signed.json")).unwrap();
        for key in fixtures["jwks"]["keys"].as_array().unwrap() {
            if let Some(n) = key["n"].as_str() {
                assert!(!has_roca_fingerprint(&base64url::decode(n).unwrap()));
            }
        }
    }

    #[cfg(feature = "eddsa")]
    #[test]
    fn canonical_ed25519_encodings() {
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert!(!is_canonical_ed25519(&p));
        p[0] = 0xec;
        assert!(is_canonical_ed25519(&p));
        let mut one = [0u8; 32];
        one[0] = 1;
        assert!(is_canonical_ed25519(&one));
    }

    /// A family left out of the build: its JWKS entry (the fixture set has
    /// one per algorithm) is skipped with the reason, a policy naming its
    /// algorithm still parses, and its token finds no key.
    #[cfg(not(all(feature = "es256", feature = "es384", feature = "eddsa")))]
    fn family_left_out(alg: Algorithm, feature: &str) {
        let fixtures: Value =
            serde_json::from_str(include_str!("../tests/fixtures/jose-signed.json")).unwrap();
        let name = alg.name();
        let kid = format!("{}-key", name.to_lowercase());
        let set = KeySet::from_jwks(&fixtures["jwks"].to_string()).unwrap();
        let skipped: Vec<&SkippedKey> = set
            .skipped()
            .iter()
            .filter(|s| s.kid.as_deref() == Some(kid.as_str()))
            .collect();
        assert_eq!(skipped.len(), 1, "{kid}: {:?}", set.skipped());
        assert_eq!(
            skipped[0].reason,
            format!("{name} is not built into this jwtguard (feature {feature})")
        );
        assert!(set.keys().iter().all(|key| !key.permits(alg)));
        let policy = crate::Policy::from_json(
            &serde_json::json!({
                "issuer": fixtures["issuer"],
                "audience": fixtures["audience"],
                "algorithms": [name],
            })
            .to_string(),
        )
        .unwrap();
        assert_eq!(policy.algorithms, vec![alg]);
        let verifier = crate::Verifier::new(policy, set).unwrap();
        let token = fixtures["tokens"][name].as_str().unwrap();
        let now = fixtures["now"].as_i64().unwrap();
        let error = verifier.verify(token, now).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::KeyNotFound, "{error:?}");
    }

    #[cfg(not(feature = "es256"))]
    #[test]
    fn es256_left_out() {
        family_left_out(Algorithm::ES256, "es256");
    }

    #[cfg(not(feature = "es384"))]
    #[test]
    fn es384_left_out() {
        family_left_out(Algorithm::ES384, "es384");
    }

    #[cfg(not(feature = "eddsa"))]
    #[test]
    fn eddsa_left_out() {
        family_left_out(Algorithm::EdDSA, "eddsa");
    }
}
