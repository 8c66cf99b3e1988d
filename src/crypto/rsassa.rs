//! RSASSA-PKCS1-v1_5 and RSASSA-PSS verification (RFC 8017 §8.1.2, §8.2.2)
//! with keys prepared once.
//!
//! The signature representative must be exactly k bytes (the modulus length)
//! and, as an integer, below n; `s^e mod n` comes from [`Modulus::pow_odd`];
//! the encoded message is then checked exactly: for PKCS#1 v1.5 against the
//! one valid encoding (DigestInfo with an explicit NULL, RFC 8017 §9.2 note
//! 1), for PSS by EMSA-PSS-VERIFY with MGF1 of the same hash and a salt as
//! long as the hash (RFC 7518 §3.5). Any failure is the same `false`.

use sha2::digest::{Digest, FixedOutputReset};
use sha2::{Sha256, Sha384, Sha512};

use crate::crypto::montgomery::{self, MAX_LIMBS, Modulus};
use crate::limits::{RSA_MAX_BITS, RSA_MAX_EXPONENT};

/// Bytes of the largest accepted modulus.
const MAX_BYTES: usize = RSA_MAX_BITS / 8;

/// The hash of an RS*/PS* algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// The DER DigestInfo prefix (RFC 8017 §9.2 note 1), before the digest.
    fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            Hash::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x01, 0x05, 0x00, 0x04, 0x20,
            ],
            Hash::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x02, 0x05, 0x00, 0x04, 0x30,
            ],
            Hash::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                0x03, 0x05, 0x00, 0x04, 0x40,
            ],
        }
    }
}

/// Why [`RsaKey::new`] refuses a key (key admission reports it as the
/// matching `SkipReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// The modulus is outside `min_bits..=RSA_MAX_BITS`.
    ModulusSize { bits: usize, min_bits: usize },
    /// The modulus is even.
    ModulusEven,
    /// The exponent is even, below 3 or above [`RSA_MAX_EXPONENT`].
    Exponent,
}

/// An RSA public key prepared for verification.
#[derive(Clone)]
pub(crate) struct RsaKey {
    modulus: Modulus,
    e: u64,
    /// The modulus length in bits.
    bits: usize,
    /// The modulus as big-endian bytes without leading zeros (k bytes).
    n_bytes: Vec<u8>,
}

impl RsaKey {
    /// Prepares a key from `n` and `e` as big-endian bytes (leading zeros
    /// allowed). Refuses a modulus outside `min_bits..=RSA_MAX_BITS` or even,
    /// and an exponent that is even, below 3 or above [`RSA_MAX_EXPONENT`].
    pub(crate) fn new(n: &[u8], e: &[u8], min_bits: usize) -> Result<Self, KeyError> {
        let n_bytes: Vec<u8> = n.iter().copied().skip_while(|b| *b == 0).collect();
        let bits = n_bytes.first().map_or(0, |top| {
            8 * n_bytes.len() - usize::try_from(top.leading_zeros()).unwrap_or(0)
        });
        if !(min_bits..=RSA_MAX_BITS).contains(&bits) {
            return Err(KeyError::ModulusSize { bits, min_bits });
        }
        let exponent = exponent(e)
            .filter(|e| (3..=RSA_MAX_EXPONENT).contains(e) && e & 1 == 1)
            .ok_or(KeyError::Exponent)?;
        let modulus = Modulus::from_be_bytes(&n_bytes).ok_or(KeyError::ModulusEven)?;
        Ok(Self {
            modulus,
            e: exponent,
            bits,
            n_bytes,
        })
    }

    /// The modulus as big-endian bytes without leading zeros.
    pub(crate) fn modulus_bytes(&self) -> &[u8] {
        &self.n_bytes
    }

    /// Whether `signature` has the encoding of this key's signatures: exactly
    /// k bytes, and below n as an integer (RFC 8017 §5.2.2 step 1).
    pub(crate) fn fits_signature(&self, signature: &[u8]) -> bool {
        // Equal-length big-endian byte strings compare like their integers.
        signature.len() == self.n_bytes.len() && signature < self.n_bytes.as_slice()
    }

    /// RSASSA-PKCS1-v1_5 verification of `message`.
    pub(crate) fn verify_pkcs1v15(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        match hash {
            Hash::Sha256 => self.pkcs1v15(hash, &Sha256::digest(message), signature),
            Hash::Sha384 => self.pkcs1v15(hash, &Sha384::digest(message), signature),
            Hash::Sha512 => self.pkcs1v15(hash, &Sha512::digest(message), signature),
        }
    }

    /// RSASSA-PSS verification of `message` (MGF1 with the same hash, salt
    /// length equal to the hash length).
    pub(crate) fn verify_pss(&self, hash: Hash, message: &[u8], signature: &[u8]) -> bool {
        match hash {
            Hash::Sha256 => self.pss::<Sha256>(message, signature),
            Hash::Sha384 => self.pss::<Sha384>(message, signature),
            Hash::Sha512 => self.pss::<Sha512>(message, signature),
        }
    }

    /// RSAVP1 (RFC 8017 §5.2.2) into a stack buffer: the k-byte encoded
    /// message, or `None` when the signature is not k bytes or not below n.
    fn open(&self, signature: &[u8], buffer: &mut [u8; MAX_BYTES]) -> Option<usize> {
        let k = self.n_bytes.len();
        if !self.fits_signature(signature) {
            return None;
        }
        let limbs = self.modulus.limbs();
        let mut s_buf = [0u32; MAX_LIMBS];
        let mut m_buf = [0u32; MAX_LIMBS];
        let s = s_buf.get_mut(..limbs)?;
        let m = m_buf.get_mut(..limbs)?;
        montgomery::read_be_bytes(signature, s);
        self.modulus.pow_odd(s, self.e, m);
        montgomery::write_be_bytes(m, buffer.get_mut(..k)?);
        Some(k)
    }

    fn pkcs1v15(&self, hash: Hash, digest: &[u8], signature: &[u8]) -> bool {
        let mut buffer = [0u8; MAX_BYTES];
        let Some(k) = self.open(signature, &mut buffer) else {
            return false;
        };
        let prefix = hash.digest_info_prefix();
        let t_len = prefix.len() + digest.len();
        // EM = 0x00 0x01 PS 0x00 T, PS at least 8 bytes of 0xff (§9.2 step 3).
        let Some(ps_len) = k.checked_sub(t_len + 3).filter(|len| *len >= 8) else {
            return false;
        };
        let Some(em) = buffer.get(..k) else {
            return false;
        };
        // The lengths were checked above; a failed split is a rejection.
        let Some((head, rest)) = em.split_at_checked(2) else {
            return false;
        };
        let Some((ps, rest)) = rest.split_at_checked(ps_len) else {
            return false;
        };
        let Some((zero, t)) = rest.split_at_checked(1) else {
            return false;
        };
        let Some((t_prefix, t_digest)) = t.split_at_checked(prefix.len()) else {
            return false;
        };
        head == [0x00, 0x01]
            && ps.iter().all(|b| *b == 0xff)
            && zero == [0x00]
            && t_prefix == prefix
            && t_digest == digest
    }

    fn pss<D: Digest + FixedOutputReset>(&self, message: &[u8], signature: &[u8]) -> bool {
        let mut buffer = [0u8; MAX_BYTES];
        let Some(k) = self.open(signature, &mut buffer) else {
            return false;
        };
        // emBits = modBits − 1; EM is the last emLen bytes of the k-byte
        // representative, whose extra leading byte (when emLen < k) must be 0.
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        let Some(encoded) = buffer.get_mut(..k) else {
            return false;
        };
        let Some((extra, em)) = encoded.split_at_mut_checked(k - em_len) else {
            return false;
        };
        if extra.iter().any(|b| *b != 0) {
            return false;
        }
        let h_len = <D as Digest>::output_size();
        let s_len = h_len;
        // §9.1.2 steps 3 and 4.
        if em_len < h_len + s_len + 2 || em.last() != Some(&0xbc) {
            return false;
        }
        let db_len = em_len - h_len - 1;
        let Some((db, rest)) = em.split_at_mut_checked(db_len) else {
            return false;
        };
        let Some(h) = rest.get(..h_len) else {
            return false;
        };
        // Step 6: the bits above emBits in the top byte must be zero.
        let top_mask = 0xffu8 >> (8 * em_len - em_bits);
        if db.first().is_none_or(|top| top & !top_mask != 0) {
            return false;
        }
        // Steps 7 to 9: DB = maskedDB ⊕ MGF1(H), top bits cleared.
        mgf1_xor::<D>(h, db);
        if let Some(top) = db.first_mut() {
            *top &= top_mask;
        }
        // Step 10: DB = 0x00… 0x01 salt.
        let Some((padding, rest)) = db.split_at_checked(db_len - s_len - 1) else {
            return false;
        };
        let Some((one, salt)) = rest.split_at_checked(1) else {
            return false;
        };
        if padding.iter().any(|b| *b != 0) || one != [0x01] {
            return false;
        }
        // Steps 12 and 13: H' = Hash(0x00 ×8 ‖ mHash ‖ salt) must equal H.
        let m_hash = D::digest(message);
        let mut hasher = D::new();
        Digest::update(&mut hasher, [0u8; 8]);
        Digest::update(&mut hasher, &m_hash);
        Digest::update(&mut hasher, salt);
        *hasher.finalize() == *h
    }
}

/// XORs MGF1(seed) (RFC 8017 §B.2.1) into `out`.
fn mgf1_xor<D: Digest + FixedOutputReset>(seed: &[u8], out: &mut [u8]) {
    let mut hasher = D::new();
    for (counter, chunk) in (0u32..).zip(out.chunks_mut(<D as Digest>::output_size())) {
        Digest::update(&mut hasher, seed);
        Digest::update(&mut hasher, counter.to_be_bytes());
        let mask = hasher.finalize_reset();
        for (byte, m) in chunk.iter_mut().zip(mask.iter()) {
            *byte ^= m;
        }
    }
}

/// A public exponent from big-endian bytes, when it fits in 64 bits.
fn exponent(bytes: &[u8]) -> Option<u64> {
    let bytes: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    if bytes.len() > 8 {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte)),
    )
}

#[cfg(test)]
mod tests {
    //! Differential tests against the `rsa` crate: random keys (odd bit
    //! lengths included, so emLen < k happens), random messages, valid
    //! signatures, and corrupted ones: flipped bits, other messages, other
    //! hashes, other salt lengths, s ≥ n, wrong lengths, and encoded messages
    //! changed in one byte and signed again with the private exponent.
    //! `JWTGUARD_RSA_KEYS` and `JWTGUARD_RSA_CASES` raise the counts.
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use rand_chacha::ChaCha8Rng;
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};
    use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};

    use super::*;

    /// Keys and cases per key for `make test`; the environment can raise them.
    const KEYS: usize = if cfg!(target_arch = "wasm32") { 2 } else { 5 };
    const CASES_PER_KEY: usize = if cfg!(target_arch = "wasm32") { 8 } else { 24 };

    fn count(name: &str, default: usize) -> usize {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    /// Modulus sizes cycled through: the common ones and odd lengths.
    const BITS: [usize; 6] = [2048, 2049, 3072, 2055, 2056, 4096];
    const EXPONENTS: [u64; 4] = [65537, 3, 17, RSA_MAX_EXPONENT];
    const HASHES: [Hash; 3] = [Hash::Sha256, Hash::Sha384, Hash::Sha512];

    fn digest(hash: Hash, message: &[u8]) -> Vec<u8> {
        match hash {
            Hash::Sha256 => Sha256::digest(message).to_vec(),
            Hash::Sha384 => Sha384::digest(message).to_vec(),
            Hash::Sha512 => Sha512::digest(message).to_vec(),
        }
    }

    fn pkcs1_scheme(hash: Hash) -> Pkcs1v15Sign {
        match hash {
            Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }

    fn pss_scheme(hash: Hash, salt: Option<usize>) -> Pss {
        match (hash, salt) {
            (Hash::Sha256, None) => Pss::new::<Sha256>(),
            (Hash::Sha384, None) => Pss::new::<Sha384>(),
            (Hash::Sha512, None) => Pss::new::<Sha512>(),
            (Hash::Sha256, Some(len)) => Pss::new_with_salt::<Sha256>(len),
            (Hash::Sha384, Some(len)) => Pss::new_with_salt::<Sha384>(len),
            (Hash::Sha512, Some(len)) => Pss::new_with_salt::<Sha512>(len),
        }
    }

    /// The `rsa` crate's answer, with the s < n check it skips for PSS.
    fn reference(key: &RsaPublicKey, pss: bool, hash: Hash, message: &[u8], sig: &[u8]) -> bool {
        let hashed = digest(hash, message);
        if pss {
            let n = key.n().to_bytes_be();
            sig.len() == n.len()
                && sig < n.as_slice()
                && key.verify(pss_scheme(hash, None), &hashed, sig).is_ok()
        } else {
            key.verify(pkcs1_scheme(hash), &hashed, sig).is_ok()
        }
    }

    fn ours(key: &RsaKey, pss: bool, hash: Hash, message: &[u8], sig: &[u8]) -> bool {
        if pss {
            key.verify_pss(hash, message, sig)
        } else {
            key.verify_pkcs1v15(hash, message, sig)
        }
    }

    fn pad(value: &BigUint, k: usize) -> Vec<u8> {
        let bytes = value.to_bytes_be();
        let mut out = vec![0u8; k.saturating_sub(bytes.len())];
        out.extend_from_slice(&bytes);
        out
    }

    #[test]
    fn agrees_with_the_rsa_crate() {
        let mut rng = ChaCha8Rng::seed_from_u64(0x6a77_7467);
        let keys = count("JWTGUARD_RSA_KEYS", KEYS);
        let cases = count("JWTGUARD_RSA_CASES", CASES_PER_KEY);
        let (mut accepted, mut compared) = (0usize, 0usize);
        for key_index in 0..keys {
            let bits = BITS[key_index % BITS.len()];
            let e = EXPONENTS[key_index % EXPONENTS.len()];
            let private = RsaPrivateKey::new_with_exp(&mut rng, bits, &BigUint::from(e)).unwrap();
            let public = private.to_public_key();
            let n = public.n().to_bytes_be();
            let k = n.len();
            let ours_key = RsaKey::new(&n, &public.e().to_bytes_be(), 2048).unwrap();
            let mut check = |pss: bool, hash: Hash, message: &[u8], sig: &[u8], what: &str| {
                let want = reference(&public, pss, hash, message, sig);
                assert_eq!(
                    ours(&ours_key, pss, hash, message, sig),
                    want,
                    "{what}: {bits}-bit key, e {e}, pss {pss}, {hash:?}"
                );
                compared += 1;
                accepted += usize::from(want);
            };
            for case in 0..cases {
                let pss = case % 2 == 1;
                let hash = HASHES[(case / 2) % HASHES.len()];
                let mut message = vec![0u8; (rng.next_u32() % 300) as usize];
                rng.fill_bytes(&mut message);
                let hashed = digest(hash, &message);
                let sig = if pss {
                    private.sign_with_rng(&mut rng, pss_scheme(hash, None), &hashed)
                } else {
                    private.sign(pkcs1_scheme(hash), &hashed)
                }
                .unwrap();
                check(pss, hash, &message, &sig, "valid");
                // One flipped bit anywhere.
                let mut flipped = sig.clone();
                let bit = rng.next_u32() as usize % (8 * k);
                flipped[bit / 8] ^= 1 << (bit % 8);
                check(pss, hash, &message, &flipped, "flipped bit");
                // Another message, another hash, the other scheme.
                check(pss, hash, b"another message", &sig, "other message");
                let other = HASHES[(case / 2 + 1) % HASHES.len()];
                check(pss, other, &message, &sig, "other hash");
                check(!pss, hash, &message, &sig, "other scheme");
                // Lengths and s ≥ n.
                check(pss, hash, &message, &sig[1..], "short");
                check(pss, hash, &message, &[&[0u8][..], &sig].concat(), "long");
                check(pss, hash, &message, &n, "s = n");
                let s_plus_n = pad(&(BigUint::from_bytes_be(&sig) + public.n()), k);
                check(pss, hash, &message, &s_plus_n, "s + n");
                check(pss, hash, &message, &vec![0u8; k], "zero");
                // PSS with a salt length other than the hash length.
                if pss {
                    let salt = [0, 20, 64][case % 3];
                    let odd = private
                        .sign_with_rng(&mut rng, pss_scheme(hash, Some(salt)), &hashed)
                        .unwrap();
                    check(pss, hash, &message, &odd, "other salt length");
                }
                // The encoded message changed in one byte, then signed again.
                let m = BigUint::from_bytes_be(&sig).modpow(public.e(), public.n());
                let mut em = pad(&m, k);
                // For PSS the byte above emLen (bits ≡ 1 mod 8) is tested on its own.
                let first = usize::from(pss && bits % 8 == 1);
                let at = first + rng.next_u32() as usize % (k - first);
                em[at] ^= 1 + (rng.next_u32() % 255) as u8;
                let m2 = BigUint::from_bytes_be(&em);
                if &m2 < public.n() {
                    let forged = pad(&m2.modpow(private.d(), public.n()), k);
                    check(pss, hash, &message, &forged, "encoding changed");
                }
            }
        }
        assert!(
            accepted > 0 && accepted < compared,
            "{accepted} of {compared}"
        );
    }

    #[test]
    fn pss_refuses_a_nonzero_byte_above_em_len() {
        // A 2049-bit key: emLen = k − 1. Set the extra top byte of a valid
        // representative to 1 (still below n) and sign it again: RFC 8017
        // I2OSP(m, emLen) fails, so it is invalid (the `rsa` crate ignores
        // the byte).
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let private = RsaPrivateKey::new(&mut rng, 2049).unwrap();
        let public = private.to_public_key();
        let n = public.n().to_bytes_be();
        let key = RsaKey::new(&n, &public.e().to_bytes_be(), 2048).unwrap();
        let top = BigUint::from(1u8) << (8 * (n.len() - 1));
        // About half of all representatives leave room below n for the extra bit.
        let (message, forged) = (0u32..64)
            .find_map(|i| {
                let message = i.to_be_bytes();
                let sig = private
                    .sign_with_rng(&mut rng, Pss::new::<Sha256>(), &Sha256::digest(message))
                    .unwrap();
                assert!(key.verify_pss(Hash::Sha256, &message, &sig));
                let m = BigUint::from_bytes_be(&sig).modpow(public.e(), public.n());
                let raised = m + &top;
                (&raised < public.n()).then(|| {
                    (
                        message,
                        pad(&raised.modpow(private.d(), public.n()), n.len()),
                    )
                })
            })
            .unwrap();
        let message = &message;
        assert!(!key.verify_pss(Hash::Sha256, message, &forged));
    }

    #[test]
    fn key_admission() {
        let n = [0xc3u8; 256];
        assert!(RsaKey::new(&n, &[1, 0, 1], 2048).is_ok());
        let rejected = [
            (&[0xc3u8; 255][..], &[1u8, 0, 1][..], "2040 bits"),
            (&[0xc3u8; 1025][..], &[1, 0, 1][..], "8200 bits"),
            (
                &[&[0xc3u8; 255][..], &[0xc2]].concat()[..],
                &[1, 0, 1][..],
                "even modulus",
            ),
            (&n[..], &[1u8][..], "e = 1"),
            (&n[..], &[1u8, 0, 0][..], "even e"),
            (&n[..], &[2u8, 0, 0, 0, 1][..], "e = 2^33 + 1"),
            (&n[..], &[][..], "no e"),
        ];
        for (n, e, what) in rejected {
            assert!(RsaKey::new(n, e, 2048).is_err(), "{what}");
        }
    }
}
