//! ECDSA verification (ES256, ES384) with keys prepared once.
//!
//! Verification handles only public data (the key, the message, the
//! signature), so this verifier is variable-time throughout: it branches on
//! scalar bits and on exceptional points.
//!
//! `u1·G + u2·Q` is a joint Lim–Lee comb: for each base point a table of the
//! `2^TEETH − 1` non-empty sums of `2^(d·i)·P` (i < [`TEETH`], d the comb
//! spacing, bits/[`TEETH`]), made affine by batch inversion (Montgomery's trick).
//! A table is built on the first verification that needs it and then kept:
//! the key's in the prepared key, the generator's once per key set
//! ([`Generators`]), so a set's unused keys (rotation keeps several) cost
//! neither preparation time nor table memory. Evaluation is d − 1 doublings
//! and at most 2d mixed additions, in Jacobian coordinates with the a = −3
//! doubling.
//! The result is compared with `r` projectively (X = r·Z², and X = (r + n)·Z²
//! when r + n < p), so no field inversion is needed.
//!
//! The field arithmetic is the curve crates' (`p256`, `p384`, through
//! `primeorder::PrimeCurveParams`); both curves have a = −3. The few
//! operations mod n (range checks, s⁻¹ by Fermat, u1 and u2) use the
//! Montgomery arithmetic RSA verification already links (`montgomery`),
//! which keeps the curve crates' scalar code (~60 KB raw for P-384) out of
//! the wasm.

use std::sync::{Arc, OnceLock};

#[cfg(feature = "es256")]
use p256::NistP256;
#[cfg(feature = "es384")]
use p384::NistP384;
use primeorder::PrimeCurveParams;
use primeorder::elliptic_curve::generic_array::typenum::Unsigned;
use primeorder::elliptic_curve::{Field, FieldBytes, FieldBytesEncoding as _, PrimeField};

use crate::crypto::montgomery::{Modulus, read_be_bytes, write_be_bytes};

/// Comb teeth: each table holds `2^TEETH − 1` affine points. Eight teeth give
/// 31 doublings and at most 64 additions for P-256 (47 and 96 for P-384), in
/// a table of 255 points: 16 KiB for P-256, 24 KiB for P-384. A ninth tooth
/// would save 3 (P-384: 5) doublings and 6 (10) additions per verification
/// for twice the memory and preparation time.
const TEETH: usize = 8;

/// Points per comb table: every non-empty subset of the teeth.
const ENTRIES: usize = (1 << TEETH) - 1;

/// A curve point in affine coordinates, never the identity.
#[derive(Clone, Copy)]
struct Affine<F> {
    x: F,
    y: F,
}

/// A curve point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the
/// identity.
#[derive(Clone, Copy)]
struct Jacobian<F> {
    x: F,
    y: F,
    z: F,
}

impl<F: Field> Jacobian<F> {
    fn identity() -> Self {
        Self {
            x: F::ONE,
            y: F::ONE,
            z: F::ZERO,
        }
    }

    fn from_affine(point: &Affine<F>) -> Self {
        Self {
            x: point.x,
            y: point.y,
            z: F::ONE,
        }
    }

    fn is_identity(&self) -> bool {
        self.z.is_zero().into()
    }

    /// 2·self for a curve with a = −3 ("dbl-2001-b", Bernstein–Lange EFD):
    /// 3M + 5S. The identity doubles to Z = 0, the identity; prime-order
    /// curves have no point with y = 0.
    fn double(&self) -> Self {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x * gamma;
        let t = (self.x - delta) * (self.x + delta);
        let alpha = t.double() + t;
        let beta4 = beta.double().double();
        let x = alpha.square() - beta4.double();
        let z = (self.y + self.z).square() - gamma - delta;
        let y = alpha * (beta4 - x) - gamma.square().double().double().double();
        Self { x, y, z }
    }

    /// self + q ("madd-2007-bl", Bernstein–Lange EFD): 7M + 4S, with every
    /// exceptional case: self the identity, self = q (a doubling) and
    /// self = −q (the identity).
    fn add_affine(&self, q: &Affine<F>) -> Self {
        if self.is_identity() {
            return Self::from_affine(q);
        }
        let z1z1 = self.z.square();
        let u2 = q.x * z1z1;
        let s2 = q.y * self.z * z1z1;
        let h = u2 - self.x;
        let r = (s2 - self.y).double();
        if bool::from(h.is_zero()) {
            return if bool::from(r.is_zero()) {
                self.double()
            } else {
                Self::identity()
            };
        }
        let hh = h.square();
        let i = hh.double().double();
        let j = h * i;
        let v = self.x * i;
        let x = r.square() - j - v.double();
        let y = r * (v - x) - (self.y * j).double();
        let z = (self.z + h).square() - z1z1 - hh;
        Self { x, y, z }
    }
}

/// Jacobian points to affine with one field inversion (Montgomery's trick);
/// `None` when any of them is the identity.
fn normalize<F: Field>(points: &[Jacobian<F>]) -> Option<Vec<Affine<F>>> {
    let mut prefixes = Vec::with_capacity(points.len());
    let mut product = F::ONE;
    for point in points {
        prefixes.push(product);
        product *= point.z;
    }
    // The product is zero, and has no inverse, when any Z is.
    let mut inverse: F = Option::from(product.invert())?;
    let mut affine = Vec::with_capacity(points.len());
    for (point, prefix) in points.iter().zip(prefixes).rev() {
        let z_inv = inverse * prefix;
        inverse *= point.z;
        let z_inv2 = z_inv.square();
        affine.push(Affine {
            x: point.x * z_inv2,
            y: point.y * z_inv2 * z_inv,
        });
    }
    affine.reverse();
    Some(affine)
}

/// The comb spacing d: scalar bits per tooth (32 for P-256, 48 for P-384).
fn spacing<C: PrimeCurveParams>() -> usize {
    usize::try_from(<C::Scalar as PrimeField>::NUM_BITS)
        .unwrap_or(usize::MAX)
        .div_ceil(TEETH)
}

/// Bit `i` (0 the least significant) of a big-endian integer.
fn bit(big_endian: &[u8], i: usize) -> usize {
    big_endian
        .len()
        .checked_sub(1 + i / 8)
        .and_then(|byte| big_endian.get(byte))
        .map_or(0, |byte| usize::from((byte >> (i % 8)) & 1))
}

/// The comb table of one base point P: entry j − 1 (1 ≤ j < 2^TEETH) is the
/// sum of `2^(d·i)·P` over the bits i set in j.
pub(crate) struct CombTable<C: PrimeCurveParams> {
    entries: Vec<Affine<C::FieldElement>>,
}

impl<C: PrimeCurveParams> CombTable<C> {
    /// The table of the affine point (x, y), which the caller has checked is
    /// on the curve. `None` if an entry is the identity, which no point of
    /// prime order n > 2^(d·TEETH − 1) has: every entry is k·P with
    /// 0 < k < 2^(d·TEETH) < 2n and k ≠ n.
    fn new(point: Affine<C::FieldElement>) -> Option<Self> {
        let spacing = spacing::<C>();
        let mut teeth = Vec::with_capacity(TEETH);
        let mut tooth = Jacobian::from_affine(&point);
        teeth.push(tooth);
        for _ in 1..TEETH {
            for _ in 0..spacing {
                tooth = tooth.double();
            }
            teeth.push(tooth);
        }
        let teeth = normalize(&teeth)?;
        let mut entries = Vec::with_capacity(ENTRIES);
        for tooth in &teeth {
            // Entries 2^i .. 2^(i+1) − 1 (1-based): this tooth alone, then
            // this tooth plus each earlier entry.
            let earlier = entries.len();
            entries.push(Jacobian::from_affine(tooth));
            for index in 0..earlier {
                let sum = entries.get(index)?.add_affine(tooth);
                entries.push(sum);
            }
        }
        Some(Self {
            entries: normalize(&entries)?,
        })
    }

    /// The generator's table.
    fn generator() -> Option<Self> {
        let (x, y) = C::GENERATOR;
        Self::new(Affine { x, y })
    }

    /// Bytes of table data, for the documentation's memory figures.
    #[cfg(test)]
    fn size_of_entries(&self) -> usize {
        self.entries.len() * core::mem::size_of::<Affine<C::FieldElement>>()
    }
}

/// a·G + b·Q from the tables of G and Q, scalars as big-endian bytes.
fn double_comb<C: PrimeCurveParams>(
    g: &CombTable<C>,
    a: &[u8],
    q: &CombTable<C>,
    b: &[u8],
) -> Jacobian<C::FieldElement> {
    let spacing = spacing::<C>();
    let mut sum = Jacobian::identity();
    for column in (0..spacing).rev() {
        if !sum.is_identity() {
            sum = sum.double();
        }
        for (table, scalar) in [(g, a), (q, b)] {
            let index = (0..TEETH).fold(0, |index, tooth| {
                index | bit(scalar, tooth * spacing + column) << tooth
            });
            if let Some(entry) = index.checked_sub(1).and_then(|i| table.entries.get(i)) {
                sum = sum.add_affine(entry);
            }
        }
    }
    sum
}

/// A comb table built on first use and then kept (`None` if it could not be
/// built), shared by the clones of a key and, for the generator, by every key
/// of a set.
pub(crate) type LazyTable<C> = Arc<OnceLock<Option<CombTable<C>>>>;

/// The generators' comb tables of one key set, built on its first
/// verification with a key of that curve.
#[derive(Default)]
pub(crate) struct Generators {
    #[cfg(feature = "es256")]
    p256: LazyTable<NistP256>,
    #[cfg(feature = "es384")]
    p384: LazyTable<NistP384>,
}

impl Generators {
    #[cfg(feature = "es256")]
    pub(crate) fn p256(&self) -> LazyTable<NistP256> {
        Arc::clone(&self.p256)
    }

    #[cfg(feature = "es384")]
    pub(crate) fn p384(&self) -> LazyTable<NistP384> {
        Arc::clone(&self.p384)
    }
}

/// An ECDSA public key prepared for verification: its point, its comb table
/// and the generator's (each built on first use).
pub(crate) struct EcKey<C: PrimeCurveParams> {
    point: Affine<C::FieldElement>,
    /// The group order n, for the scalar arithmetic mod n.
    order: Modulus,
    key: LazyTable<C>,
    generator: LazyTable<C>,
}

impl<C: PrimeCurveParams> Clone for EcKey<C> {
    fn clone(&self) -> Self {
        Self {
            point: self.point,
            order: self.order.clone(),
            key: Arc::clone(&self.key),
            generator: Arc::clone(&self.generator),
        }
    }
}

/// Fixed-size big-endian bytes from a slice of exactly that length.
fn field_bytes<C: PrimeCurveParams>(bytes: &[u8]) -> Option<FieldBytes<C>> {
    let mut array = FieldBytes::<C>::default();
    let slice: &mut [u8] = &mut array;
    if slice.len() != bytes.len() {
        return None;
    }
    slice.copy_from_slice(bytes);
    Some(array)
}

impl<C: PrimeCurveParams> EcKey<C> {
    /// The key (x, y), big-endian coordinates of a point the caller has
    /// checked is on the curve (and so not the identity); `None` if a
    /// coordinate is not a field element. Its table is built on first use.
    pub(crate) fn new(x: &[u8], y: &[u8], generator: LazyTable<C>) -> Option<Self> {
        let coordinate =
            |bytes| field_bytes::<C>(bytes).and_then(|b| C::FieldElement::from_repr(b).into());
        let point = Affine {
            x: coordinate(x)?,
            y: coordinate(y)?,
        };
        Some(Self {
            point,
            order: Modulus::from_be_bytes(&order_bytes::<C>())?,
            key: LazyTable::default(),
            generator,
        })
    }

    /// Whether `signature` (r ‖ s, each exactly the field size, big-endian)
    /// is a valid ECDSA signature under this key for the message whose hash
    /// is `hash`. The hash must be exactly the field size (SHA-256 for P-256,
    /// SHA-384 for P-384), so bits2int takes it whole and reduces it once mod
    /// n (SEC 1 §4.1.4 step 5, FIPS 186-5 §6.4.2).
    pub(crate) fn verify_prehash(&self, hash: &[u8], signature: &[u8]) -> bool {
        let size = C::FieldBytesSize::USIZE;
        if signature.len() != 2 * size || hash.len() != size {
            return false;
        }
        let (r_bytes, s_bytes) = signature.split_at(size);
        // Scalars mod n as little-endian limbs: r, s ∈ [1, n − 1]; the hash,
        // below 2^bits < 2n for both curves, reduced by one subtraction.
        let order = &self.order;
        let read = |bytes: &[u8]| {
            let mut limbs = vec![0u32; order.limbs()];
            read_be_bytes(bytes, &mut limbs);
            limbs
        };
        let (r, s, mut e) = (read(r_bytes), read(s_bytes), read(hash));
        let in_range = |x: &[u32]| x.iter().any(|&limb| limb != 0) && order.is_reduced(x);
        if !in_range(&r) || !in_range(&s) {
            return false;
        }
        order.reduce_once(&mut e);
        // s⁻¹·R, then u = x·s⁻¹·R·R⁻¹: u1 = e/s and u2 = r/s, big-endian.
        let mut s_inv = vec![0u32; order.limbs()];
        order.invert_prime(&s, &mut s_inv);
        let scalar = |x: &[u32]| {
            let mut product = vec![0u32; order.limbs()];
            order.mul_montgomery(&mut product, x, &s_inv);
            let mut bytes = vec![0u8; size];
            write_be_bytes(&product, &mut bytes);
            bytes
        };
        let (u1, u2) = (scalar(&e), scalar(&r));
        let generator = self.generator.get_or_init(CombTable::generator);
        let key = self.key.get_or_init(|| CombTable::new(self.point));
        let (Some(generator), Some(key)) = (generator, key) else {
            return false;
        };
        let point = double_comb(generator, &u1, key, &u2);
        if point.is_identity() {
            return false;
        }
        field_bytes::<C>(r_bytes).is_some_and(|r| matches_r::<C>(&point, r))
    }
}

/// Whether x(point) mod n = r, without an inversion: x(point) is X/Z² in
/// [0, p), so it reduces to r when X = r·Z², or when X = (r + n)·Z² with
/// r + n < p (n < p for both curves, so r < n is a field element).
fn matches_r<C: PrimeCurveParams>(
    point: &Jacobian<C::FieldElement>,
    r_bytes: FieldBytes<C>,
) -> bool {
    let Some(r) = Option::<C::FieldElement>::from(C::FieldElement::from_repr(r_bytes.clone()))
    else {
        return false;
    };
    let z2 = point.z.square();
    if point.x == r * z2 {
        return true;
    }
    let Some(n) = Option::<C::FieldElement>::from(C::FieldElement::from_repr(order_bytes::<C>()))
    else {
        return false;
    };
    // Big-endian byte strings of equal length compare as the integers do.
    let p_minus_n = (-n).to_repr();
    let (r_bytes, p_minus_n): (&[u8], &[u8]) = (&r_bytes, &p_minus_n);
    r_bytes < p_minus_n && point.x == (r + n) * z2
}

/// The group order n as big-endian field bytes.
fn order_bytes<C: PrimeCurveParams>() -> FieldBytes<C> {
    C::ORDER.encode_field_bytes()
}

#[cfg(test)]
mod tests {
    //! Differential tests against the curve crates' own signing and
    //! (constant-time) verification, which must agree with this verifier on
    //! every valid and corrupted signature, plus the exceptional points.

    use super::*;

    /// Random keys (each with a message, its signature and 16 corruptions)
    /// for P-256 and P-384: the reference verifies P-384 ~4× slower, and
    /// wasm runs ~10× slower than native.
    const fn keys(native: usize) -> usize {
        if cfg!(target_arch = "wasm32") {
            native / 10
        } else {
            native
        }
    }

    macro_rules! differential_tests {
        ($module:ident, $krate:ident, $curve:ident, $sha:ident, $keys:expr, $seed:expr) => {
            mod $module {
                #[cfg(target_arch = "wasm32")]
                use wasm_bindgen_test::wasm_bindgen_test as test;

                use super::super::*;
                use super::keys;
                use rand_chacha::ChaCha20Rng;
                use rand_chacha::rand_core::{RngCore, SeedableRng};
                use sha2::Digest as _;
                use $krate::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
                use $krate::ecdsa::{Signature, SigningKey, VerifyingKey};
                use $krate::elliptic_curve::ops::Reduce;
                use $krate::elliptic_curve::point::AffineCoordinates as _;
                use $krate::elliptic_curve::sec1::ToEncodedPoint as _;
                use $krate::{ProjectivePoint, Scalar};

                type C = $krate::$curve;
                const KEYS: usize = keys($keys);
                const SIZE: usize = <C as primeorder::elliptic_curve::Curve>::FieldBytesSize::USIZE;

                /// This verifier's key and the reference's, for one secret.
                struct Pair {
                    ours: EcKey<C>,
                    reference: VerifyingKey,
                }

                fn pair(secret: &Scalar, generator: &LazyTable<C>) -> Pair {
                    let public = (ProjectivePoint::GENERATOR * secret).to_affine();
                    let encoded = public.to_encoded_point(false);
                    Pair {
                        ours: EcKey::new(
                            encoded.x().unwrap(),
                            encoded.y().unwrap(),
                            Arc::clone(generator),
                        )
                        .unwrap(),
                        reference: VerifyingKey::from_affine(public).unwrap(),
                    }
                }

                fn bytes(repr: FieldBytes<C>) -> Vec<u8> {
                    repr.iter().copied().collect()
                }

                /// Both verdicts, which must agree; returns ours.
                fn check(pair: &Pair, hash: &[u8], signature: &[u8], what: &str) -> bool {
                    let ours = pair.ours.verify_prehash(hash, signature);
                    let reference = Signature::from_slice(signature)
                        .is_ok_and(|sig| pair.reference.verify_prehash(hash, &sig).is_ok());
                    assert_eq!(
                        ours, reference,
                        "{what}: hash {hash:02x?}, signature {signature:02x?}"
                    );
                    ours
                }

                fn sign(secret: &Scalar, hash: &[u8]) -> Vec<u8> {
                    let key = SigningKey::from_bytes(&secret.to_repr()).unwrap();
                    let signature: Signature = key.sign_prehash(hash).unwrap();
                    signature.to_bytes().iter().copied().collect()
                }

                /// r ‖ s from two scalars' encodings.
                fn join(r: &[u8], s: &[u8]) -> Vec<u8> {
                    [r, s].concat()
                }

                /// The corruptions of a valid signature (r, s), each named.
                fn corruptions(signature: &[u8], rng: &mut ChaCha20Rng) -> Vec<(String, Vec<u8>)> {
                    let (r, s) = signature.split_at(SIZE);
                    let n = bytes(order_bytes::<C>());
                    let n_minus_1 = bytes((-Scalar::ONE).to_repr());
                    let ones = vec![0xff; SIZE];
                    let zero = vec![0; SIZE];
                    let high_s = bytes(
                        (-Option::<Scalar>::from(Scalar::from_repr(field_bytes::<C>(s).unwrap()))
                            .unwrap())
                        .to_repr(),
                    );
                    let bit = usize::try_from(rng.next_u32()).unwrap() % (16 * SIZE);
                    let mut flipped = signature.to_vec();
                    flipped[bit / 8] ^= 1 << (bit % 8);
                    let mut cases = vec![
                        (format!("bit {bit} flipped"), flipped),
                        ("r and s swapped".into(), join(s, r)),
                        ("r = 0".into(), join(&zero, s)),
                        ("s = 0".into(), join(r, &zero)),
                        ("r = n".into(), join(&n, s)),
                        ("s = n".into(), join(r, &n)),
                        ("r = n - 1".into(), join(&n_minus_1, s)),
                        ("s = n - 1".into(), join(r, &n_minus_1)),
                        ("r = 2^k - 1".into(), join(&ones, s)),
                        ("s = 2^k - 1".into(), join(r, &ones)),
                        ("high s (n - s)".into(), join(r, &high_s)),
                        ("truncated".into(), signature[..2 * SIZE - 1].to_vec()),
                        ("extended".into(), [signature, &[0]].concat()),
                        ("empty".into(), Vec::new()),
                    ];
                    // r + n and s + n when they still fit in the field size.
                    if let Some(sum) = add(r, &n) {
                        cases.push(("r + n".into(), join(&sum, s)));
                    }
                    if let Some(sum) = add(s, &n) {
                        cases.push(("s + n".into(), join(r, &sum)));
                    }
                    cases
                }

                /// a + b for big-endian byte strings of one length; `None` on
                /// overflow.
                fn add(a: &[u8], b: &[u8]) -> Option<Vec<u8>> {
                    let mut carry = 0u16;
                    let mut sum = vec![0; a.len()];
                    for ((out, x), y) in sum.iter_mut().zip(a).zip(b).rev() {
                        let total = u16::from(*x) + u16::from(*y) + carry;
                        *out = total.to_be_bytes()[1];
                        carry = total >> 8;
                    }
                    (carry == 0).then_some(sum)
                }

                #[test]
                fn agrees_with_the_reference_on_random_keys_and_corruptions() {
                    let mut rng = ChaCha20Rng::seed_from_u64($seed);
                    let generator = LazyTable::<C>::default();
                    let (mut accepted, mut rejected) = (0, 0);
                    let mut previous: Option<Pair> = None;
                    for _ in 0..KEYS {
                        let secret = Scalar::random(&mut rng);
                        let keys = pair(&secret, &generator);
                        let mut message = vec![0; usize::try_from(rng.next_u32() % 64).unwrap()];
                        rng.fill_bytes(&mut message);
                        let hash = sha2::$sha::digest(&message).to_vec();
                        let signature = sign(&secret, &hash);
                        assert!(check(&keys, &hash, &signature, "valid"));
                        accepted += 1;
                        for (what, corrupted) in corruptions(&signature, &mut rng) {
                            if check(&keys, &hash, &corrupted, &what) {
                                accepted += 1;
                            } else {
                                rejected += 1;
                            }
                        }
                        let mut other_hash = hash.clone();
                        other_hash[usize::try_from(rng.next_u32()).unwrap() % SIZE] ^= 0x10;
                        assert!(!check(&keys, &other_hash, &signature, "other message"));
                        if let Some(other) = &previous {
                            assert!(!check(other, &hash, &signature, "wrong key"));
                        }
                        rejected += 2;
                        previous = Some(keys);
                    }
                    // Every valid and high-S signature accepted, nothing else.
                    assert_eq!(accepted, 2 * KEYS);
                    assert!(rejected >= 15 * KEYS - 1, "{rejected} rejected");
                }

                /// Hashes whose reduction is 0 (u1 = 0), the maximum, and n ± 1.
                #[test]
                fn hashes_at_the_order() {
                    let mut rng = ChaCha20Rng::seed_from_u64($seed + 1);
                    let generator = LazyTable::<C>::default();
                    let n = bytes(order_bytes::<C>());
                    let mut one = vec![0; SIZE];
                    one[SIZE - 1] = 1;
                    let n_plus_1 = add(&n, &one).unwrap();
                    let n_minus_1 = bytes((-Scalar::ONE).to_repr());
                    for hash in [vec![0; SIZE], n, n_plus_1, n_minus_1, vec![0xff; SIZE]] {
                        let secret = Scalar::random(&mut rng);
                        let keys = pair(&secret, &generator);
                        let signature = sign(&secret, &hash);
                        assert!(check(&keys, &hash, &signature, "edge hash"));
                        for (what, corrupted) in corruptions(&signature, &mut rng) {
                            check(&keys, &hash, &corrupted, &what);
                        }
                    }
                }

                /// A signature made by hand: R = k·G, r = x(R) mod n,
                /// s = k⁻¹(e + r·d), for a hash e chosen from r.
                fn by_hand(
                    secret: &Scalar,
                    k: &Scalar,
                    e_of_r: impl Fn(&Scalar) -> Scalar,
                ) -> (Vec<u8>, Vec<u8>) {
                    let x = (ProjectivePoint::GENERATOR * k).to_affine().x();
                    let r = <Scalar as Reduce<_>>::reduce_bytes(&x);
                    let e = e_of_r(&r);
                    let s = Option::<Scalar>::from(k.invert()).unwrap() * (e + r * secret);
                    (
                        bytes(e.to_repr()),
                        join(&bytes(r.to_repr()), &bytes(s.to_repr())),
                    )
                }

                /// Q = G and Q = −G, with u1 = ±u2: the comb adds equal and
                /// opposite points, and R is the identity when u1 + u2·d = 0.
                #[test]
                fn keys_at_plus_and_minus_the_generator() {
                    let mut rng = ChaCha20Rng::seed_from_u64($seed + 2);
                    let generator = LazyTable::<C>::default();
                    for secret in [Scalar::ONE, -Scalar::ONE] {
                        let keys = pair(&secret, &generator);
                        for _ in 0..20 {
                            let k = Scalar::random(&mut rng);
                            // e = r: u1 = u2, so R = 2u1·G for Q = G and the identity for Q = −G.
                            let (hash, signature) = by_hand(&secret, &k, |r| *r);
                            let expected = secret == Scalar::ONE;
                            assert_eq!(check(&keys, &hash, &signature, "e = r"), expected);
                            // e = −r: the identity for Q = G, R = −2u2·G for Q = −G.
                            let (hash, signature) = by_hand(&secret, &k, |r| -*r);
                            assert_eq!(check(&keys, &hash, &signature, "e = -r"), !expected);
                            // Random e: an ordinary valid signature.
                            let e = Scalar::random(&mut rng);
                            let (hash, signature) = by_hand(&secret, &k, |_| e);
                            assert!(check(&keys, &hash, &signature, "random e"));
                            for (what, corrupted) in corruptions(&signature, &mut rng) {
                                check(&keys, &hash, &corrupted, &what);
                            }
                        }
                        // R = identity for any r and s when e = −r·d: u1 + u2·d = 0.
                        let (hash, signature) =
                            by_hand(&secret, &Scalar::random(&mut rng), |r| -(*r * secret));
                        assert!(!check(&keys, &hash, &signature, "R = identity"));
                    }
                }

                /// Tables are built on the first verification, then kept and
                /// shared by clones.
                #[test]
                fn tables_are_built_on_first_use() {
                    let generator = LazyTable::<C>::default();
                    let secret = Scalar::from(7u64);
                    let keys = pair(&secret, &generator);
                    assert!(keys.ours.key.get().is_none() && generator.get().is_none());
                    let clone = keys.ours.clone();
                    let hash = vec![0x5a; SIZE];
                    assert!(clone.verify_prehash(&hash, &sign(&secret, &hash)));
                    assert!(keys.ours.key.get().is_some_and(Option::is_some));
                    assert!(generator.get().is_some_and(Option::is_some));
                }

                /// Table entry j − 1 is Σ 2^(d·i)·G over the bits i of j.
                #[test]
                fn generator_table_entries() {
                    let table = CombTable::<C>::generator().unwrap();
                    assert_eq!(table.entries.len(), ENTRIES);
                    let spacing = spacing::<C>();
                    let two_to_d = (0..spacing).fold(Scalar::ONE, |x, _| x.double());
                    for j in [1, 2, 3, 5, 128, 200, 254, 255] {
                        let mut k = Scalar::ZERO;
                        let mut power = Scalar::ONE;
                        for tooth in 0..TEETH {
                            if j >> tooth & 1 == 1 {
                                k += power;
                            }
                            power *= two_to_d;
                        }
                        let expected = (ProjectivePoint::GENERATOR * k)
                            .to_affine()
                            .to_encoded_point(false);
                        let entry = &table.entries[j - 1];
                        assert_eq!(
                            entry.x.to_repr().as_ref() as &[u8],
                            expected.x().unwrap().as_ref() as &[u8]
                        );
                        assert_eq!(
                            entry.y.to_repr().as_ref() as &[u8],
                            expected.y().unwrap().as_ref() as &[u8]
                        );
                    }
                }

                /// The doubling formula is the a = −3 one.
                #[test]
                fn curve_has_a_minus_3() {
                    let three = <C as PrimeCurveParams>::FieldElement::from(3u32);
                    assert!(<C as PrimeCurveParams>::EQUATION_A == -three);
                }
            }
        };
    }

    #[cfg(feature = "es256")]
    differential_tests!(p256_tests, p256, NistP256, Sha256, 1000, 0x9256);
    #[cfg(feature = "es384")]
    differential_tests!(p384_tests, p384, NistP384, Sha384, 250, 0x9384);

    /// Memory per prepared key (one table; the generator's is per key set).
    #[test]
    fn table_sizes() {
        #[cfg(feature = "es256")]
        assert_eq!(
            CombTable::<NistP256>::generator()
                .unwrap()
                .size_of_entries(),
            255 * 64
        );
        #[cfg(feature = "es384")]
        assert_eq!(
            CombTable::<NistP384>::generator()
                .unwrap()
                .size_of_entries(),
            255 * 96
        );
    }
}
