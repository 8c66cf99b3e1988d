//! The exact encoding of an Ed25519 signature, checked before a host's native
//! Ed25519 (OpenSSL, WebCrypto) sees it.
//!
//! The core verifies with `ed25519-dalek`'s `verify_strict`: S must be below
//! the group order L, and R must not be a point of small order. OpenSSL (and
//! BoringSSL) check S < L too, and compare the recomputed R with the
//! signature's R byte for byte, but do not refuse a small-order R: a key
//! holder can set S = k·a mod L so that R is the identity, and OpenSSL
//! accepts that signature where `verify_strict` refuses it. The recomputed R
//! is always a canonical encoding, so refusing the eight canonical encodings
//! of small-order points here leaves a host with exactly the core's verdicts.

/// Bytes of an Ed25519 signature: R (32) then S (32, little-endian).
const SIGNATURE_LEN: usize = 64;

/// L = 2^252 + 27742317777372353535851937790883648493, little-endian
/// (RFC 8032 §5.1).
const ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// The canonical encodings of the eight points of small order (the 8-torsion
/// subgroup), the values of R that `verify_strict` refuses and OpenSSL may
/// accept. A test derives them from `curve25519-dalek`.
const SMALL_ORDER: [[u8; 32]; 8] = [
    [
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x80,
    ],
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
    [
        0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0x7f,
    ],
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x85,
    ],
    [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0xfa,
    ],
];

/// Whether `signature` is 64 bytes with S < L and R not of small order.
pub(crate) fn well_formed(signature: &[u8]) -> bool {
    if signature.len() != SIGNATURE_LEN {
        return false;
    }
    let (r, s) = signature.split_at(32);
    below_order(s) && !SMALL_ORDER.iter().any(|point| point == r)
}

/// s < L, both little-endian; `s` has 32 bytes.
fn below_order(s: &[u8]) -> bool {
    for (a, b) in s.iter().rev().zip(ORDER.iter().rev()) {
        if a != b {
            return a < b;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;
    use curve25519_dalek::Scalar;
    use curve25519_dalek::constants::EIGHT_TORSION;
    use curve25519_dalek::edwards::CompressedEdwardsY;

    #[test]
    fn the_small_order_table_is_the_8_torsion_subgroup() {
        let derived: Vec<[u8; 32]> = EIGHT_TORSION
            .iter()
            .map(|p| p.compress().to_bytes())
            .collect();
        assert_eq!(derived, SMALL_ORDER.to_vec());
        for r in SMALL_ORDER {
            let point = CompressedEdwardsY(r).decompress().expect("a point");
            assert!(point.is_small_order());
        }
    }

    #[test]
    fn s_below_the_order_agrees_with_curve25519_dalek() {
        let mut cases: Vec<[u8; 32]> = vec![[0; 32], ORDER, [0xff; 32]];
        for delta in [1u8, 2, 0x80] {
            let mut below = ORDER;
            below[0] -= delta;
            let mut above = ORDER;
            above[0] += 1;
            above[1] = above[1].wrapping_add(delta);
            cases.extend([below, above]);
        }
        let mut top = [0u8; 32];
        top[31] = 0x10;
        cases.push(top);
        top[31] = 0x0f;
        cases.push(top);
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..2000 {
            let mut bytes = [0u8; 32];
            for byte in &mut bytes {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                *byte = seed.to_le_bytes()[0];
            }
            bytes[31] &= 0x1f;
            cases.push(bytes);
        }
        for s in cases {
            let canonical = bool::from(Scalar::from_canonical_bytes(s).is_some());
            assert_eq!(below_order(&s), canonical, "{s:02x?}");
        }
    }

    #[test]
    fn well_formed_signatures() {
        let basepoint = curve25519_dalek::constants::ED25519_BASEPOINT_COMPRESSED.to_bytes();
        let mut good = [0u8; 64];
        good[..32].copy_from_slice(&basepoint);
        good[32] = 7;
        assert!(well_formed(&good));
        assert!(!well_formed(&good[..63]));
        assert!(!well_formed(&[good.as_slice(), &[0]].concat()));
        let mut high_s = good;
        high_s[32..].copy_from_slice(&ORDER);
        assert!(!well_formed(&high_s));
        for small in SMALL_ORDER {
            let mut signature = good;
            signature[..32].copy_from_slice(&small);
            assert!(!well_formed(&signature), "{small:02x?}");
        }
    }
}
