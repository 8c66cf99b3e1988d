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

/// Most values a list in an error detail names before "and N more".
const MAX_LISTED: usize = 8;

/// Quotes each of `items` for an error detail, comma-separated: at most
/// [`MAX_LISTED`], then "and N more"; "none" for an empty list.
pub(crate) fn quote_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    if items.is_empty() {
        return "none".to_owned();
    }
    let mut out = items
        .iter()
        .take(MAX_LISTED)
        .map(|item| quote(item))
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > MAX_LISTED {
        out.push_str(&format!(" and {} more", items.len() - MAX_LISTED));
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::{quote, quote_list};

    #[test]
    fn quotes_and_bounds() {
        assert_eq!(quote("kid-1"), "\"kid-1\"");
        assert_eq!(quote("a\"b\\\n"), "\"a\\\"b\\\\\\u{a}\"");
        let long = "x".repeat(500);
        assert_eq!(quote(&long).chars().count(), MAX_QUOTED_CHARS_PLUS);
    }

    #[test]
    fn lists_are_bounded() {
        assert_eq!(quote_list([]), "none");
        assert_eq!(quote_list(["a", "b"]), "\"a\", \"b\"");
        let many: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        assert_eq!(
            quote_list(many.iter().map(String::as_str)),
            "\"0\", \"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\" and 2 more"
        );
    }

    const MAX_QUOTED_CHARS_PLUS: usize = super::MAX_QUOTED_CHARS + 3;
}
