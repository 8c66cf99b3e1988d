//! Strict base64url (RFC 7515 §2, RFC 4648 §5): no padding, no `+` or `/`,
//! no whitespace, and the unused bits of the last symbol must be zero, so
//! every byte string has exactly one accepted encoding.

/// A byte outside the alphabet in [`SEXTETS`]: every bit set, so that a
/// quad holding one, its four values shifted into place and ORed (the
/// first by 18 bits, the last by none), has a bit set at 24 or above, where
/// a quad of symbols (24 bits) never has one.
const INVALID: u32 = u32::MAX;

/// The bits at 24 and above of a decoded quad: set only by [`INVALID`].
const OUTSIDE: u32 = !0x00ff_ffff;

/// The 6-bit value of each byte of the base64url alphabet; [`INVALID`] for
/// every other byte. Values are `u32` (1 KB), so decoding needs no
/// conversion and no separate validity test per symbol.
const SEXTETS: [u32; 256] = sextets();

/// The base64url alphabet, in sextet order.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

#[expect(
    clippy::indexing_slicing,
    reason = "const evaluation: i < 64 and a byte indexes 256 entries"
)]
const fn sextets() -> [u32; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u32;
        i += 1;
    }
    table
}

/// The first byte of `s` (its index and value) that is neither a base64url
/// symbol nor a `.`, the bytes a compact JWS may hold; `None` when there is
/// none. The common case, a well-formed token, costs one pass without early
/// exit or branches (a table lookup per byte); only a bad token is searched.
pub(crate) fn first_outside_compact_jws(s: &str) -> Option<(usize, u8)> {
    let outside = |b: u8| if b == b'.' { 0 } else { sextet(b) & OUTSIDE };
    if s.bytes().fold(0, |all, b| all | outside(b)) == 0 {
        return None;
    }
    s.bytes().enumerate().find(|&(_, b)| outside(b) != 0)
}

fn sextet(byte: u8) -> u32 {
    // A u8 always indexes 256 entries.
    SEXTETS.get(usize::from(byte)).copied().unwrap_or(INVALID)
}

/// Four symbols as their 24 bits, with bits at 24 and above ([`OUTSIDE`])
/// when one of them is not a symbol.
fn quad(a: u8, b: u8, c: u8, d: u8) -> u32 {
    (sextet(a) << 18) | (sextet(b) << 12) | (sextet(c) << 6) | sextet(d)
}

/// Decodes `s`; `None` when it is not canonical unpadded base64url.
///
/// Eight symbols (two quads, six bytes) at a time, then at most one quad,
/// into a buffer of the exact length; one test of the ORed quads at the end
/// decides validity (symbols, and zero unused bits in the last symbol), so
/// the loops have no branch but their own.
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    let input = s.as_bytes();
    let octets = input.chunks_exact(8);
    let quads = octets.remainder().chunks_exact(4);
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
    let (body, last_quad) = body.split_at_mut(input.len() / 8 * 6);
    // Every quad ORed (their OUTSIDE bits among them), and OUTSIDE for
    // non-zero unused bits: one test at the end.
    let mut all = 0u32;
    for (symbols, bytes) in octets.zip(body.chunks_exact_mut(6)) {
        if let &[a, b, c, d, e, f, g, h] = symbols {
            let (first, second) = (quad(a, b, c, d), quad(e, f, g, h));
            all |= first | second;
            let [_, _, six @ ..] = ((u64::from(first) << 24) | u64::from(second)).to_be_bytes();
            bytes.copy_from_slice(&six);
        }
    }
    for (symbols, bytes) in quads.zip(last_quad.chunks_exact_mut(3)) {
        if let (&[a, b, c, d], [x, y, z]) = (symbols, bytes) {
            let v = quad(a, b, c, d);
            all |= v;
            let [_, high, middle, low] = v.to_be_bytes();
            (*x, *y, *z) = (high, middle, low);
        }
    }
    match (tail, rest) {
        ([], []) => {}
        // Two symbols carry one byte; their last 4 bits must be zero.
        (&[a, b], [x]) => {
            let v = quad(a, b, b'A', b'A');
            all |= v | if v & 0x00_ffff == 0 { 0 } else { OUTSIDE };
            *x = (v >> 16) as u8;
        }
        // Three symbols carry two bytes; their last 2 bits must be zero.
        (&[a, b, c], [x, y]) => {
            let v = quad(a, b, c, b'A');
            all |= v | if v & 0x00_00ff == 0 { 0 } else { OUTSIDE };
            *x = (v >> 16) as u8;
            *y = (v >> 8) as u8;
        }
        _ => return None,
    }
    (all & OUTSIDE == 0).then_some(out)
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
