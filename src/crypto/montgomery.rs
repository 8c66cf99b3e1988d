//! Modular exponentiation with a public exponent, in Montgomery form.
//!
//! An RSA verification is one exponentiation `s^e mod n` with a small public
//! exponent (almost always 65537: 16 squarings and one multiplication). The
//! per-modulus constants (−n⁻¹ mod 2³² and R² mod n, R = 2^(32·limbs)) are
//! computed once, when the key is prepared; an exponentiation then works in
//! fixed-size stack buffers and allocates nothing.
//!
//! Numbers are little-endian slices of 32-bit limbs: with 64-bit products,
//! this is what WebAssembly multiplies natively. All inputs are public
//! (modulus, exponent, signature), so nothing here needs to be constant-time.

use crate::limits::RSA_MAX_BITS;

/// Limbs of the largest accepted modulus.
pub(crate) const MAX_LIMBS: usize = RSA_MAX_BITS / 32;

/// An odd modulus with its Montgomery constants.
#[derive(Clone)]
pub(crate) struct Modulus {
    /// n, little-endian limbs, the top limb non-zero.
    n: Vec<u32>,
    /// −n⁻¹ mod 2³².
    n0inv: u32,
    /// R² mod n.
    r2: Vec<u32>,
}

impl Modulus {
    /// Prepares `n` (big-endian bytes, leading zeros allowed). `None` unless
    /// n is odd, above 1 and at most [`MAX_LIMBS`] limbs.
    pub(crate) fn from_be_bytes(bytes: &[u8]) -> Option<Self> {
        let n = limbs_from_be_bytes(bytes)?;
        let low = *n.first()?;
        if low & 1 == 0 || (n.len() == 1 && low == 1) {
            return None;
        }
        let n0inv = inverse_mod_2_32(low).wrapping_neg();
        let mut modulus = Self {
            n,
            n0inv,
            r2: Vec::new(),
        };
        modulus.r2 = modulus.r_squared();
        Some(modulus)
    }

    /// The number of limbs of n.
    pub(crate) fn limbs(&self) -> usize {
        self.n.len()
    }

    /// `out = base^e mod n` for `base < n` and an odd `e ≥ 3`; `base` and
    /// `out` have exactly [`Modulus::limbs`] limbs. Allocates nothing.
    pub(crate) fn pow_odd(&self, base: &[u32], e: u64, out: &mut [u32]) {
        let size = self.n.len();
        let mut x_buf = [0u32; MAX_LIMBS];
        let mut a_buf = [0u32; MAX_LIMBS];
        let mut b_buf = [0u32; MAX_LIMBS];
        let mut wide_buf = [0u32; 2 * MAX_LIMBS];
        let (Some(x), Some(mut acc), Some(mut tmp), Some(wide)) = (
            x_buf.get_mut(..size),
            a_buf.get_mut(..size),
            b_buf.get_mut(..size),
            wide_buf.get_mut(..2 * size),
        ) else {
            return;
        };
        // x = base·R, the base in Montgomery form; acc follows e's bits from
        // the top, holding base^(prefix of e)·R.
        self.mul(x, base, &self.r2);
        acc.copy_from_slice(x);
        let top = 63 - e.leading_zeros();
        for bit in (1..top).rev() {
            self.square(tmp, acc, wide);
            core::mem::swap(&mut acc, &mut tmp);
            if (e >> bit) & 1 == 1 {
                self.mul(tmp, acc, x);
                core::mem::swap(&mut acc, &mut tmp);
            }
        }
        // acc = base^(e−1)·R after one more squaring (e is odd); multiplying
        // by the plain base gives base^e·R·R⁻¹ = base^e, out of Montgomery
        // form without a separate conversion.
        self.square(tmp, acc, wide);
        self.mul(out, tmp, base);
    }

    /// Montgomery squaring: `out = a²·R⁻¹ mod n` for `a < n`, a quarter
    /// fewer multiplications than [`Modulus::mul`]: the full square (each
    /// cross product once, doubled, plus the diagonal) into `wide` (2·limbs),
    /// then a separate Montgomery reduction.
    fn square(&self, out: &mut [u32], a: &[u32], wide: &mut [u32]) {
        wide.fill(0);
        // Cross products a_i·a_j, i < j: row i starts at limb 2i + 1; its
        // final carry lands on limb i + limbs, which no earlier row reached.
        // Two rows a pass while both have products (each limb of `wide`
        // loaded and stored once for both), then one at a time.
        let size = a.len();
        let mut first_single = 0;
        while first_single + 2 < size {
            let i = first_single;
            if let (Some(window), Some(a_hi), Some(&a_last)) = (
                wide.get_mut(2 * i + 1..i + size + 2),
                a.get(i + 3..),
                a.last(),
            ) && let [w_first, w_second, body @ .., w_top, w_above] = window
                && let Some([a0, a1, a2]) = a.get(i..i + 3).and_then(|s| s.first_chunk())
            {
                let (a0, a1, a2) = (u64::from(*a0), u64::from(*a1), u64::from(*a2));
                let x = u64::from(*w_first) + a0 * a1;
                *w_first = x as u32;
                let x = u64::from(*w_second) + a0 * a2 + (x >> 32);
                *w_second = x as u32;
                let mut carry0 = x >> 32;
                let mut carry1 = 0u64;
                // Limb 2i + 3 + j gains a_i·a_(i+3+j) + a_(i+1)·a_(i+2+j).
                // a_(i+2+j) is the previous step's a_(i+3+j): kept, not reloaded.
                let mut a_j1 = a2;
                for (t, &a_j) in body.iter_mut().zip(a_hi) {
                    let a_j = u64::from(a_j);
                    let x = u64::from(*t) + a0 * a_j + carry0;
                    carry0 = x >> 32;
                    let y = (x & LOW) + a1 * a_j1 + carry1;
                    carry1 = y >> 32;
                    *t = y as u32;
                    a_j1 = a_j;
                }
                let v = u64::from(*w_top) + a1 * u64::from(a_last) + carry1;
                let v_low = (v & LOW) + carry0;
                *w_top = v_low as u32;
                // The rows so far sum below 2^(32·(i + 2 + limbs)): no carry
                // leaves this limb.
                *w_above = (u64::from(*w_above) + (v >> 32) + (v_low >> 32)) as u32;
            }
            first_single += 2;
        }
        for (i, &a_i) in a.iter().enumerate().skip(first_single) {
            let (Some(tail), Some(row)) = (a.get(i + 1..), wide.get_mut(2 * i + 1..)) else {
                continue;
            };
            let a_i = u64::from(a_i);
            let mut carry = 0u64;
            let mut limbs = row.iter_mut();
            // The shorter iterator first: zip then never takes a limb it drops.
            for (&a_j, t) in tail.iter().zip(limbs.by_ref()) {
                let x = u64::from(*t) + a_i * u64::from(a_j) + carry;
                *t = x as u32;
                carry = x >> 32;
            }
            if let Some(t) = limbs.next() {
                *t = carry as u32;
            }
        }
        // Double them (the sum is below a²/2, so nothing leaves the top)
        // and add the squares a_i² on limbs 2i and 2i + 1.
        let mut shifted_out = 0u32;
        let mut carry = 0u64;
        for (pair, &a_i) in wide.chunks_exact_mut(2).zip(a) {
            if let [low, high] = pair {
                let square = u64::from(a_i) * u64::from(a_i);
                let doubled_low = (*low << 1) | shifted_out;
                let doubled_high = (*high << 1) | (*low >> 31);
                shifted_out = *high >> 31;
                let x = u64::from(doubled_low) + (square & 0xffff_ffff) + carry;
                *low = x as u32;
                let y = u64::from(doubled_high) + (square >> 32) + (x >> 32);
                *high = y as u32;
                carry = y >> 32;
            }
        }
        // Montgomery reduction: clear one low limb per step, three steps a
        // pass (each limb of `wide` loaded and stored once for all three);
        // the carry out of the pass's top limb moves up with `high`.
        let mut high = 0u64;
        let mut i = 0;
        while i + 2 < size {
            if let (Some(window), Some(n_hi), Some(&n_last)) = (
                wide.get_mut(i..i + size + 3),
                self.n.get(3..),
                self.n.last(),
            ) && let [w0, w1, w2, body @ .., w_top, w_above, w_above2] = window
                && let [n0, n1, n2, ..] = self.n.as_slice()
            {
                let (n0, n1, n2) = (u64::from(*n0), u64::from(*n1), u64::from(*n2));
                // m0 clears limb 0; m1 clears limb 1 once m0·n is in it, and
                // m2 limb 2 once m0·n and m1·n are.
                let m0 = u64::from(w0.wrapping_mul(self.n0inv));
                let mut carry0 = (u64::from(*w0) + m0 * n0) >> 32;
                let x = u64::from(*w1) + m0 * n1 + carry0;
                carry0 = x >> 32;
                let m1 = u64::from((x as u32).wrapping_mul(self.n0inv));
                let mut carry1 = ((x & LOW) + m1 * n0) >> 32;
                let x = u64::from(*w2) + m0 * n2 + carry0;
                carry0 = x >> 32;
                let y = (x & LOW) + m1 * n1 + carry1;
                carry1 = y >> 32;
                let m2 = u64::from((y as u32).wrapping_mul(self.n0inv));
                let mut carry2 = ((y & LOW) + m2 * n0) >> 32;
                // Limb j gains m0·n_j + m1·n_(j−1) + m2·n_(j−2), each with its
                // own carry: every sum stays within 64 bits. n_(j−1) and
                // n_(j−2) are the previous steps' n_j, kept in registers.
                let (mut n_j1, mut n_j2) = (n2, n1);
                for (t, &n_j) in body.iter_mut().zip(n_hi) {
                    let n_j = u64::from(n_j);
                    let x = u64::from(*t) + m0 * n_j + carry0;
                    carry0 = x >> 32;
                    let y = (x & LOW) + m1 * n_j1 + carry1;
                    carry1 = y >> 32;
                    let z = (y & LOW) + m2 * n_j2 + carry2;
                    carry2 = z >> 32;
                    *t = z as u32;
                    (n_j1, n_j2) = (n_j, n_j1);
                }
                // The top three limbs: the last products of m1 and m2, the
                // carries, and `high` on the first of them.
                let n_last = u64::from(n_last);
                let y = u64::from(*w_top) + m1 * n_last + carry1;
                let z = (y & LOW) + m2 * n_j2 + carry2;
                let v = (z & LOW) + carry0 + high;
                *w_top = v as u32;
                let z2 = u64::from(*w_above) + m2 * n_last + (z >> 32);
                let v2 = (z2 & LOW) + (y >> 32) + (v >> 32);
                *w_above = v2 as u32;
                let u = u64::from(*w_above2) + (z2 >> 32) + (v2 >> 32);
                *w_above2 = u as u32;
                high = u >> 32;
            }
            i += 3;
        }
        // The one or two steps left when 3 does not divide the limb count.
        while i < size {
            let Some(window) = wide.get_mut(i..) else {
                return;
            };
            let m = u64::from(window.first().map_or(0, |t| t.wrapping_mul(self.n0inv)));
            let mut carry = 0u64;
            let mut limbs = window.iter_mut();
            for (&n_j, t) in self.n.iter().zip(limbs.by_ref()) {
                let x = u64::from(*t) + m * u64::from(n_j) + carry;
                *t = x as u32;
                carry = x >> 32;
            }
            if let Some(t) = limbs.next() {
                let x = u64::from(*t) + carry + high;
                *t = x as u32;
                high = x >> 32;
            }
            i += 1;
        }
        let Some(result) = wide.get(size..) else {
            return;
        };
        out.copy_from_slice(result);
        if high != 0 || !less_than(out, &self.n) {
            subtract_in_place(out, &self.n);
        }
    }

    /// Montgomery multiplication: `out = a·b·R⁻¹ mod n` for `a, b < n`.
    /// `out` must not overlap `a` or `b` (the borrow checker sees to it).
    fn mul(&self, out: &mut [u32], a: &[u32], b: &[u32]) {
        out.fill(0);
        // out plus `high` (0 or 1) stays below 2n throughout.
        let mut high = 0u64;
        for &a_i in a {
            let a_i = u64::from(a_i);
            let mut column = out.iter_mut().zip(b.iter().zip(&self.n));
            let Some((t0, (&b0, &n0))) = column.next() else {
                return;
            };
            // Each step is at most (2³²−1)² + 2·(2³²−1) = 2⁶⁴ − 1: no overflow.
            let x = u64::from(*t0) + a_i * u64::from(b0);
            let mut carry_ab = x >> 32;
            let m = u64::from((x as u32).wrapping_mul(self.n0inv));
            let y = (x & 0xffff_ffff) + m * u64::from(n0);
            let mut carry_mn = y >> 32;
            let mut previous = t0;
            for (t_j, (&b_j, &n_j)) in column {
                let x = u64::from(*t_j) + a_i * u64::from(b_j) + carry_ab;
                carry_ab = x >> 32;
                let y = (x & 0xffff_ffff) + m * u64::from(n_j) + carry_mn;
                carry_mn = y >> 32;
                *previous = y as u32;
                previous = t_j;
            }
            let top = high + carry_ab + carry_mn;
            *previous = top as u32;
            high = top >> 32;
        }
        if high != 0 || !less_than(out, &self.n) {
            subtract_in_place(out, &self.n);
        }
    }

    /// R² mod n: R mod n by doubling 1, then squarings (each doubles the
    /// power of two on top of R) and doublings along the bits of 32·limbs.
    /// `out = x⁻¹·R mod n` (the inverse in Montgomery form) for 0 < x < n
    /// and a prime n, by Fermat: x^(n−2). Variable-time in n, which is
    /// public (ECDSA's group orders); `x` and `out` have exactly
    /// [`Modulus::limbs`] limbs.
    #[cfg(any(feature = "es256", feature = "es384"))]
    pub(crate) fn invert_prime(&self, x: &[u32], out: &mut [u32]) {
        let size = self.n.len();
        let mut exponent = self.n.clone();
        let mut two = vec![0u32; size];
        if let Some(low) = two.first_mut() {
            *low = 2;
        }
        subtract_in_place(&mut exponent, &two);
        let mut base = vec![0u32; size];
        let mut tmp = vec![0u32; size];
        let mut wide = vec![0u32; 2 * size];
        // base = x·R; out follows the exponent's bits from the top, holding
        // x^(prefix)·R.
        self.mul(&mut base, x, &self.r2);
        out.copy_from_slice(&base);
        let bits = 32 * size;
        let top = (0..bits).rev().find(|&i| bit(&exponent, i)).unwrap_or(0);
        for i in (0..top).rev() {
            self.square(&mut tmp, out, &mut wide);
            if bit(&exponent, i) {
                self.mul(out, &tmp, &base);
            } else {
                out.copy_from_slice(&tmp);
            }
        }
    }

    /// Whether x < n (x has [`Modulus::limbs`] limbs).
    #[cfg(any(feature = "es256", feature = "es384"))]
    pub(crate) fn is_reduced(&self, x: &[u32]) -> bool {
        less_than(x, &self.n)
    }

    /// x mod n for x < 2n (x has [`Modulus::limbs`] limbs).
    #[cfg(any(feature = "es256", feature = "es384"))]
    pub(crate) fn reduce_once(&self, x: &mut [u32]) {
        if !less_than(x, &self.n) {
            subtract_in_place(x, &self.n);
        }
    }

    /// `out = a·b·R⁻¹ mod n` for a, b < n: with b = y·R (Montgomery form),
    /// the plain product a·y mod n. All three have [`Modulus::limbs`] limbs.
    #[cfg(any(feature = "es256", feature = "es384"))]
    pub(crate) fn mul_montgomery(&self, out: &mut [u32], a: &[u32], b: &[u32]) {
        self.mul(out, a, b);
    }

    fn r_squared(&self) -> Vec<u32> {
        let size = self.n.len();
        let bits = 32 * size;
        // y = 2^k·R mod n, for k = 1 to start with: 2^(bits+1) mod n. Start
        // from the top bit of n, 2^(top) < n, and double the rest of the way:
        // at most 33 doublings, where starting from 1 would take bits + 1.
        let top_limb = self.n.last().copied().unwrap_or(1);
        let top = 32 * (size - 1) + (31 - top_limb.leading_zeros() as usize);
        let mut y = vec![0u32; size];
        if let Some(limb) = y.get_mut(top / 32) {
            *limb = 1 << (top % 32);
        }
        for _ in top..=bits {
            self.double(&mut y);
        }
        let mut tmp = vec![0u32; size];
        let highest = usize::BITS - 1 - bits.leading_zeros();
        for bit in (0..highest).rev() {
            // mul(2^k·R, 2^k·R) = 2^(2k)·R.
            self.mul(&mut tmp, &y, &y);
            core::mem::swap(&mut y, &mut tmp);
            if (bits >> bit) & 1 == 1 {
                self.double(&mut y);
            }
        }
        y
    }

    /// `value = 2·value mod n` for `value < n`.
    fn double(&self, value: &mut [u32]) {
        let mut carry = 0u32;
        for limb in value.iter_mut() {
            let next = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if carry != 0 || !less_than(value, &self.n) {
            subtract_in_place(value, &self.n);
        }
    }
}

/// Big-endian bytes to little-endian limbs, leading zeros dropped. `None` for
/// zero or more than [`MAX_LIMBS`] limbs.
pub(crate) fn limbs_from_be_bytes(bytes: &[u8]) -> Option<Vec<u32>> {
    let start = bytes.iter().position(|b| *b != 0)?;
    let bytes = bytes.get(start..)?;
    let size = bytes.len().div_ceil(4);
    if size > MAX_LIMBS {
        return None;
    }
    let mut limbs = vec![0u32; size];
    read_be_bytes(bytes, &mut limbs);
    Some(limbs)
}

/// Reads big-endian `bytes` into little-endian `limbs` (zero-filling the
/// rest); the caller sizes `limbs` to hold them.
pub(crate) fn read_be_bytes(bytes: &[u8], limbs: &mut [u32]) {
    limbs.fill(0);
    for (limb, chunk) in limbs.iter_mut().zip(bytes.rchunks(4)) {
        *limb = chunk
            .iter()
            .fold(0u32, |acc, byte| (acc << 8) | u32::from(*byte));
    }
}

/// Writes little-endian `limbs` as big-endian `out` (its length decides how
/// many bytes; higher limb bytes that do not fit must be zero).
pub(crate) fn write_be_bytes(limbs: &[u32], out: &mut [u8]) {
    out.fill(0);
    for (chunk, limb) in out.rchunks_mut(4).zip(limbs) {
        for (byte, shift) in chunk.iter_mut().rev().zip((0..32).step_by(8)) {
            *byte = (limb >> shift) as u8;
        }
    }
}

/// Bit `i` of little-endian limbs (0 beyond them).
#[cfg(any(feature = "es256", feature = "es384"))]
fn bit(limbs: &[u32], i: usize) -> bool {
    limbs
        .get(i / 32)
        .is_some_and(|limb| (limb >> (i % 32)) & 1 == 1)
}

/// Low 32 bits of a 64-bit product.
const LOW: u64 = 0xffff_ffff;

/// a < b, for equal-length limb slices.
fn less_than(a: &[u32], b: &[u32]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// a = a − b mod 2^(32·len), for equal-length limb slices.
fn subtract_in_place(a: &mut [u32], b: &[u32]) {
    let mut borrow = false;
    for (x, y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(*y);
        let (d2, b2) = d1.overflowing_sub(u32::from(borrow));
        *x = d2;
        borrow = b1 || b2;
    }
}

/// The inverse of an odd `a` modulo 2³², by Newton's iteration (each step
/// doubles the number of correct low bits: 1 → 2 → 4 → 8 → 16 → 32; starting
/// from a itself gives 3 correct bits).
fn inverse_mod_2_32(a: u32) -> u32 {
    let mut inverse = a;
    for _ in 0..4 {
        inverse = inverse.wrapping_mul(2u32.wrapping_sub(a.wrapping_mul(inverse)));
    }
    inverse
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn inverse_mod_2_32_is_an_inverse() {
        for a in [1u32, 3, 5, 0xffff_ffff, 0x8000_0001, 0x1234_5679] {
            assert_eq!(a.wrapping_mul(inverse_mod_2_32(a)), 1, "{a:#x}");
        }
    }

    #[test]
    fn bytes_round_trip() {
        let bytes: Vec<u8> = (1..=11).collect();
        let limbs = limbs_from_be_bytes(&bytes).unwrap();
        assert_eq!(limbs, vec![0x08090a0b, 0x04050607, 0x00010203]);
        let mut out = [0u8; 11];
        write_be_bytes(&limbs, &mut out);
        assert_eq!(out.as_slice(), bytes.as_slice());
        assert_eq!(limbs_from_be_bytes(&[0, 0, 5]).unwrap(), vec![5]);
        assert!(limbs_from_be_bytes(&[0, 0]).is_none());
    }

    /// x · (x⁻¹·R) · R⁻¹ = 1 modulo the P-256 group order, and modulo 65537.
    #[test]
    #[cfg(any(feature = "es256", feature = "es384"))]
    fn invert_prime_gives_the_inverse_in_montgomery_form() {
        let p256_order = [
            0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2,
            0xfc, 0x63, 0x25, 0x51,
        ];
        for (modulus, xs) in [
            (&p256_order[..], &[1u32, 2, 3, 0xffff_ffff, 0x1234_5678][..]),
            (&[0x01, 0x00, 0x01][..], &[1u32, 2, 65_536][..]),
        ] {
            let modulus = Modulus::from_be_bytes(modulus).unwrap();
            for &low in xs {
                let mut x = vec![0u32; modulus.limbs()];
                x[0] = low;
                let mut inverse = vec![0u32; modulus.limbs()];
                modulus.invert_prime(&x, &mut inverse);
                let mut one = vec![0u32; modulus.limbs()];
                modulus.mul_montgomery(&mut one, &x, &inverse);
                assert_eq!(one[0], 1, "{low}");
                assert!(one[1..].iter().all(|limb| *limb == 0), "{low}");
            }
        }
    }

    /// pow_odd against the `rsa` crate's big integers, for every limb count
    /// up to 12 (odd and even, the two-row passes and their tails), random
    /// and all-ones moduli, and bases 0, 1, n − 1 and random.
    #[test]
    fn pow_odd_agrees_with_biguint() {
        use rand_chacha::ChaCha8Rng;
        use rand_chacha::rand_core::{RngCore, SeedableRng};
        use rsa::BigUint;

        let mut rng = ChaCha8Rng::seed_from_u64(0x6d6f_6e74);
        for limbs in 1..=12usize {
            for trial in 0..8 {
                let mut n_bytes = vec![0xffu8; 4 * limbs];
                if trial > 0 {
                    rng.fill_bytes(&mut n_bytes);
                    n_bytes[0] |= 0x80;
                }
                *n_bytes.last_mut().unwrap() |= 1;
                let Some(modulus) = Modulus::from_be_bytes(&n_bytes) else {
                    continue;
                };
                let n = BigUint::from_bytes_be(&n_bytes);
                let mut random = vec![0u8; 4 * limbs];
                rng.fill_bytes(&mut random);
                let bases = [
                    BigUint::from(0u32),
                    BigUint::from(1u32),
                    &n - 1u32,
                    BigUint::from_bytes_be(&random) % &n,
                ];
                for base in &bases {
                    for e in [3u64, 65537, (1 << 33) - 1] {
                        let mut base_limbs = vec![0u32; limbs];
                        read_be_bytes(&base.to_bytes_be(), &mut base_limbs);
                        let mut out = vec![0u32; limbs];
                        modulus.pow_odd(&base_limbs, e, &mut out);
                        let mut got = vec![0u8; 4 * limbs];
                        write_be_bytes(&out, &mut got);
                        let want = base.modpow(&BigUint::from(e), &n);
                        assert_eq!(
                            BigUint::from_bytes_be(&got),
                            want,
                            "{limbs} limbs, trial {trial}, e {e}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn r_squared_is_r_squared_mod_n() {
        use rsa::BigUint;
        let mut seed = 0x2545_f491_u32;
        for limbs in [1usize, 2, 3, 8, 33, MAX_LIMBS] {
            for top_bits in [1u32, 2, 17, 31, 32] {
                let mut n: Vec<u32> = (0..limbs)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        seed
                    })
                    .collect();
                let last = limbs - 1;
                n[last] = (n[last] >> (32 - top_bits)) | (1 << (top_bits - 1));
                n[0] |= 1;
                if limbs == 1 && n[0] == 1 {
                    continue;
                }
                let mut bytes = vec![0u8; 4 * limbs];
                write_be_bytes(&n, &mut bytes);
                let modulus = Modulus::from_be_bytes(&bytes).expect("odd modulus");
                let want = (BigUint::from(1u8) << (64 * limbs)) % BigUint::from_bytes_be(&bytes);
                let mut got = vec![0u8; 4 * modulus.limbs()];
                write_be_bytes(&modulus.r2, &mut got);
                assert_eq!(
                    BigUint::from_bytes_be(&got),
                    want,
                    "{limbs} limbs, top {top_bits}"
                );
            }
        }
    }

    #[test]
    fn even_or_unit_moduli_are_refused() {
        assert!(Modulus::from_be_bytes(&[0x10, 0x00]).is_none());
        assert!(Modulus::from_be_bytes(&[1]).is_none());
        assert!(Modulus::from_be_bytes(&[0x10, 0x01]).is_some());
    }
}
