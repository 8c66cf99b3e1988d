//! Strict base64url (RFC 7515 §2, RFC 4648 §5): no padding, no `+` or `/`,
//! no whitespace, and the unused bits of the last symbol must be zero, so
//! every byte string has exactly one accepted encoding.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Decodes `s`; `None` when it is not canonical unpadded base64url.
pub(crate) fn decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

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
}
