//! Strict base64url (RFC 7515 §2, RFC 4648 §5): no padding, no `+` or `/`,
//! no whitespace, and the unused bits of the last symbol must be zero, so
//! every byte string has exactly one accepted encoding.

/// Marks a byte outside the alphabet in [`SEXTETS`].
const INVALID: u8 = 0x80;

/// The 6-bit value of each byte of the base64url alphabet; [`INVALID`] for
/// every other byte.
const SEXTETS: [u8; 256] = sextets();

/// The base64url alphabet, in sextet order.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: i < 64 and a byte indexes 256 entries"
)]
const fn sextets() -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
}

/// [`INVALID`] in a `u32` of ORed sextets.
const FLAG: u32 = INVALID as u32;

/// The first byte of `s` (its index and value) that is neither a base64url
/// symbol nor a `.`, the bytes a compact JWS may hold; `None` when there is
/// none. The common case, a well-formed token, costs one pass without early
/// exit or branches (a table lookup per byte); only a bad token is searched.
pub(crate) fn first_outside_compact_jws(s: &str) -> Option<(usize, u8)> {
    let outside = |b: u8| if b == b'.' { 0 } else { sextet(b) & FLAG };
    if s.bytes().fold(0, |all, b| all | outside(b)) == 0 {
        return None;
    }
    s.bytes().enumerate().find(|&(_, b)| outside(b) != 0)
}

fn sextet(byte: u8) -> u32 {
    // A u8 always indexes 256 entries.
    u32::from(SEXTETS.get(usize::from(byte)).copied().unwrap_or(INVALID))
}

/// Decodes `s`; `None` when it is not canonical unpadded base64url.
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    let input = s.as_bytes();
    let quads = input.chunks_exact(4);
    let tail = quads.remainder();
    let tail_len = match tail.len() {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return None,
    };
    let body_len = input.len() / 4 * 3;
    let mut out = vec![0u8; body_len + tail_len];
    let (body, rest) = out.split_at_mut(body_len);
    // `invalid` collects every symbol's bits (the INVALID bit among them) and
    // INVALID for non-zero unused bits: one test at the end.
    let mut invalid = 0u32;
    for (quad, bytes) in quads.zip(body.chunks_exact_mut(3)) {
        if let ([a, b, c, d], [x, y, z]) = (quad, bytes) {
            let (a, b, c, d) = (sextet(*a), sextet(*b), sextet(*c), sextet(*d));
            invalid |= a | b | c | d;
            let v = (a << 18) | (b << 12) | (c << 6) | d;
            *x = (v >> 16) as u8;
            *y = (v >> 8) as u8;
            *z = v as u8;
        }
    }
    match (tail, rest) {
        ([], []) => {}
        // Two symbols carry one byte; their last 4 bits must be zero.
        ([a, b], [x]) => {
            let (a, b) = (sextet(*a), sextet(*b));
            invalid |= a | b | if b & 0x0f == 0 { 0 } else { FLAG };
            *x = ((a << 2) | (b >> 4)) as u8;
        }
        // Three symbols carry two bytes; their last 2 bits must be zero.
        ([a, b, c], [x, y]) => {
            let (a, b, c) = (sextet(*a), sextet(*b), sextet(*c));
            invalid |= a | b | c | if c & 0x03 == 0 { 0 } else { FLAG };
            let v = (a << 12) | (b << 6) | c;
            *x = (v >> 10) as u8;
            *y = (v >> 2) as u8;
        }
        _ => return None,
    }
    (invalid & FLAG == 0).then_some(out)
}

/// Encodes `bytes` as unpadded base64url (RFC 4648 §5), as JOSE writes
/// thumbprints and hashes.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let symbol =
        |sextet: u32| char::from(ALPHABET.get(sextet as usize & 63).copied().unwrap_or(b'A'));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let [a, b, c] = [0, 1, 2].map(|i| u32::from(chunk.get(i).copied().unwrap_or(0)));
        let group = (a << 16) | (b << 8) | c;
        // One symbol for each 6 bits the chunk's bytes cover.
        for i in 0..=chunk.len() {
            out.push(symbol(group >> (18 - 6 * i)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn compact_jws_bytes_are_the_alphabet_and_dots() {
        for b in 0u8..128 {
            let expected = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
            let one = char::from(b).to_string();
            let want = (!expected).then_some((0, b));
            assert_eq!(first_outside_compact_jws(&one), want, "byte {b}");
            let inside = format!("eyJh.{one}Zm9v.abc");
            let want = (!expected).then_some((5, b));
            assert_eq!(first_outside_compact_jws(&inside), want, "byte {b} inside");
        }
        assert_eq!(first_outside_compact_jws(""), None);
        assert_eq!(first_outside_compact_jws("Zm9v.é"), Some((5, 0xc3)));
    }

    #[test]
    fn only_canonical_unpadded_base64url_decodes() {
        let table: &[(&str, Option<&[u8]>)] = &[
            ("", Some(b"")),
            ("Zm9v", Some(b"foo")),
            ("Zm8", Some(b"fo")),
            ("_-8", Some(&[0xff, 0xef])),
            ("Zm8=", None),
            ("Zm9=", None), // non-zero trailing bits
            ("Zm9", None),  // non-zero trailing bits
            ("+/8", None),
            ("Zm 9v", None),
            ("Zm9v\n", None),
            ("Z", None),
        ];
        for (input, want) in table {
            assert_eq!(decode(input).as_deref(), *want, "input {input:?}");
        }
    }

    /// Agrees with the `base64` crate's strict unpadded URL-safe engine on
    /// every length up to 40 bytes, round trips and one-symbol changes
    /// (every byte value in every position of short inputs).
    #[test]
    fn encodes_as_the_base64_crate_does() {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        for len in 0..70u8 {
            let bytes: Vec<u8> = (0..len)
                .map(|i| i.wrapping_mul(151).wrapping_add(len))
                .collect();
            let encoded = encode(&bytes);
            assert_eq!(encoded, URL_SAFE_NO_PAD.encode(&bytes), "{len}");
            assert_eq!(decode(&encoded), Some(bytes), "{len}");
        }
    }

    #[test]
    fn agrees_with_the_base64_crate() {
        use base64::Engine as _;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;

        let reference = |s: &[u8]| URL_SAFE_NO_PAD.decode(s).ok();
        let mut seed = 0x1234_5678u32;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for len in 0..=40usize {
            let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            let text = URL_SAFE_NO_PAD.encode(&bytes);
            assert_eq!(decode(&text).as_deref(), Some(bytes.as_slice()));
            if text.len() > 8 {
                continue;
            }
            for at in 0..text.len() {
                for value in 0..=255u8 {
                    let mut changed = text.clone().into_bytes();
                    changed[at] = value;
                    let want = reference(&changed);
                    let got = std::str::from_utf8(&changed).ok().and_then(decode);
                    assert_eq!(got, want, "{changed:?}");
                }
            }
        }
    }
}
