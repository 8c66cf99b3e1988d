//! Quoting untrusted text for error details: bounded, printable, quoted.

/// Longest piece of untrusted text echoed in an error detail, in characters.
const MAX_QUOTED_CHARS: usize = 80;

/// Quotes `s` for an error detail: JSON-style escapes for anything unprintable,
/// cut at [`MAX_QUOTED_CHARS`] characters with an ellipsis.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MAX_QUOTED_CHARS) + 2);
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        if i == MAX_QUOTED_CHARS {
            out.push('…');
            break;
        }
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::quote;

    #[test]
    fn quotes_and_bounds() {
        assert_eq!(quote("kid-1"), "\"kid-1\"");
        assert_eq!(quote("a\"b\\\n"), "\"a\\\"b\\\\\\u{a}\"");
        let long = "x".repeat(500);
        assert_eq!(quote(&long).chars().count(), MAX_QUOTED_CHARS_PLUS);
    }

    const MAX_QUOTED_CHARS_PLUS: usize = super::MAX_QUOTED_CHARS + 3;
}
