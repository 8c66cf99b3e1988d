//! HTTP URIs in the form DPoP compares them (RFC 9449 §4.3 step 9): without
//! query and fragment, after RFC 3986 §6.2.2 syntax-based and §6.2.3
//! scheme-based normalisation.

use crate::limits::MAX_HTU_LEN;

/// RFC 3986 §2.3 unreserved characters: a percent-encoded one is the
/// character itself.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// `uri` normalised for comparison, or `None` when it is not an absolute
/// `http`/`https` URI this verifier can compare (userinfo, a bad port or
/// percent-encoding, characters outside printable ASCII, over
/// [`MAX_HTU_LEN`] bytes).
///
/// Scheme and host are lowercased; percent-encodings get uppercase hex and
/// those of unreserved characters are decoded; dot segments are removed;
/// the default port and an empty port are dropped; an empty path is `/`.
pub(crate) fn normalise_htu(uri: &str) -> Option<String> {
    if uri.len() > MAX_HTU_LEN || !uri.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let without_fragment = uri.split('#').next().unwrap_or_default();
    let without_query = without_fragment.split('?').next().unwrap_or_default();
    let (scheme, rest) = without_query.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return None;
    }
    // An IPv6 literal's colons are inside the brackets; the port follows them.
    let port_start = match authority.rfind(']') {
        Some(close) => authority.get(close..)?.find(':').map(|i| close + i),
        None => authority.find(':'),
    };
    let (host, port) = match port_start {
        Some(i) => (authority.get(..i)?, authority.get(i + 1..)?),
        None => (authority, ""),
    };
    if host.is_empty() || host.contains('%') {
        return None;
    }
    if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // An empty port is no port (RFC 3986 §6.2.3); leading zeros are dropped.
    let port = match port.parse::<u32>() {
        Err(_) => None,
        Ok(p) if p == 0 || p > 65_535 => return None,
        Ok(p) => Some(p.to_string()),
    };
    let mut out = format!("{scheme}://{}", host.to_ascii_lowercase());
    if let Some(port) = port.filter(|p| p != default_port) {
        out.push(':');
        out.push_str(&port);
    }
    let path = remove_dot_segments(&normalise_percent(path)?);
    out.push_str(if path.is_empty() { "/" } else { &path });
    Some(out)
}

/// Percent-encodings with uppercase hex, those of unreserved characters
/// decoded (RFC 3986 §6.2.2.1–6.2.2.2). `None` for a `%` not followed by two
/// hex digits.
fn normalise_percent(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            out.push(char::from(b));
            i += 1;
            continue;
        }
        let high = hex_value(*bytes.get(i + 1)?)?;
        let low = hex_value(*bytes.get(i + 2)?)?;
        let decoded = high * 16 + low;
        if unreserved(decoded) {
            out.push(char::from(decoded));
        } else {
            out.push_str(&format!("%{decoded:02X}"));
        }
        i += 3;
    }
    Some(out)
}

/// RFC 3986 §5.2.4 remove_dot_segments.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut output: Vec<&str> = Vec::new();
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../") {
            input = rest;
        } else if let Some(rest) = input.strip_prefix("./") {
            input = rest;
        } else if input.starts_with("/./") {
            input = &input[2..];
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") || input == "/.." {
            input = if input == "/.." { "/" } else { &input[3..] };
            output.pop();
        } else if input == "." || input == ".." {
            input = "";
        } else {
            // Move the first segment (with its leading "/") to the output.
            let start = usize::from(input.starts_with('/'));
            let end = input
                .get(start..)
                .and_then(|s| s.find('/'))
                .map_or(input.len(), |i| i + start);
            output.push(&input[..end]);
            input = &input[end..];
        }
    }
    output.concat()
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn normalises_as_rfc_3986_section_6_says() {
        let table: &[(&str, Option<&str>)] = &[
            (
                "https://api.example/tasks",
                Some("https://api.example/tasks"),
            ),
            (
                "HTTPS://API.Example/tasks",
                Some("https://api.example/tasks"),
            ),
            (
                "https://api.example/Tasks",
                Some("https://api.example/Tasks"),
            ),
            ("https://api.example", Some("https://api.example/")),
            ("https://api.example:443/x", Some("https://api.example/x")),
            ("https://api.example:/x", Some("https://api.example/x")),
            ("http://api.example:80/x", Some("http://api.example/x")),
            ("http://api.example:443/x", Some("http://api.example:443/x")),
            (
                "https://api.example:8443/x",
                Some("https://api.example:8443/x"),
            ),
            (
                "https://api.example:08443/x",
                Some("https://api.example:8443/x"),
            ),
            ("https://api.example/x?a=1#f", Some("https://api.example/x")),
            ("https://api.example?a=1", Some("https://api.example/")),
            (
                "https://api.example/a/./b/../c",
                Some("https://api.example/a/c"),
            ),
            ("https://api.example/../../a", Some("https://api.example/a")),
            ("https://api.example/a/..", Some("https://api.example/")),
            (
                "https://api.example/%7euser",
                Some("https://api.example/~user"),
            ),
            ("https://api.example/%41", Some("https://api.example/A")),
            (
                "https://api.example/a%2fb",
                Some("https://api.example/a%2Fb"),
            ),
            (
                "https://api.example/a%2Fb",
                Some("https://api.example/a%2Fb"),
            ),
            ("http://[::1]:8080/x", Some("http://[::1]:8080/x")),
            ("http://[FE80::1]/x", Some("http://[fe80::1]/x")),
            ("http://127.0.0.1:80/", Some("http://127.0.0.1/")),
            ("ftp://api.example/x", None),
            ("/relative/path", None),
            ("https://user@api.example/x", None),
            ("https://api.example:99999/x", None),
            ("https://api.example:0/x", None),
            ("https://api.example:8o/x", None),
            ("https://api.example/a b", None),
            ("https://api.example/%zz", None),
            ("https://api.example/%4", None),
            ("https:///x", None),
            ("https://api.example/é", None),
        ];
        for (uri, want) in table {
            assert_eq!(normalise_htu(uri).as_deref(), *want, "{uri}");
        }
        let long = format!("https://api.example/{}", "a".repeat(MAX_HTU_LEN));
        assert_eq!(normalise_htu(&long), None);
    }
}
