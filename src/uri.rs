//! RFC 3986 normalisation of absolute `http` and `https` URIs, for comparing
//! a DPoP proof's `htu` with the request URL (RFC 9449 §4.3 step 9).
//!
//! Both sides go through [`normalise_htu`] and the results are compared as
//! strings. The normalisation is syntax-based (RFC 3986 §6.2.2: case,
//! percent-encoding, dot segments) and scheme-based (§6.2.3: default port,
//! empty path), with the query and fragment dropped. It is strict: anything
//! that is not a plain absolute `http` or `https` URI, or that carries
//! userinfo, is refused rather than guessed at.

use crate::limits::MAX_HTU_LEN;

/// The normal form of an absolute `http` or `https` URI without its query
/// and fragment: `scheme "://" host [ ":" port ] path`, or `None` when `uri`
/// is not one.
///
/// - Refused: another scheme, a relative reference, no host, userinfo
///   (`user@host`), a port that is not a number up to 65535, an IPvFuture
///   or zoned IPv6 literal, a byte outside printable ASCII (controls, space,
///   non-ASCII), a host or path character RFC 3986 does not allow there (raw
///   `[`, `\`, `|`, `{`…), a `%` not followed by two hex digits, and more
///   than [`MAX_HTU_LEN`] bytes.
/// - Normalised: the fragment and query dropped; scheme and host lowercased
///   (an IPv6 literal keeps its brackets); percent-encoded triplets in
///   uppercase hex, those of unreserved characters decoded; dot segments
///   removed (RFC 3986 §5.2.4); an empty port and the scheme's default port
///   (80, 443) removed, another port without leading zeros; an empty path
///   becomes `/`.
pub(crate) fn normalise_htu(uri: &str) -> Option<String> {
    if uri.len() > MAX_HTU_LEN || !uri.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let uri = uri.split('#').next().unwrap_or_default();
    let uri = uri.split('?').next().unwrap_or_default();
    let (scheme, rest) = uri.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let rest = rest.strip_prefix("//")?;
    let (authority, path) = match rest.find('/') {
        Some(at) => rest.split_at_checked(at)?,
        None => (rest, ""),
    };
    if authority.contains('@') {
        return None;
    }
    let (host, port) = split_host_port(authority)?;
    let mut out = format!("{scheme}://{host}");
    if let Some(port) = port
        && port != default_port
    {
        out.push_str(&format!(":{port}"));
    }
    let path = normalise_percent(path, false, is_path_char)?;
    let path = remove_dot_segments(&path);
    out.push_str(if path.is_empty() { "/" } else { &path });
    Some(out)
}

/// Splits an authority (without userinfo) into its normalised host and its
/// port, `None` for an empty port.
fn split_host_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(literal) = authority.strip_prefix('[') {
        let (address, after) = literal.split_once(']')?;
        let is_ipv6 = address.contains(':')
            && address
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !is_ipv6 {
            return None;
        }
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        (format!("[{}]", address.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        (normalise_percent(host, true, is_host_char)?, port)
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        None | Some("") => None,
        Some(digits) => Some(parse_port(digits)?),
    };
    Some((host, port))
}

/// A port: decimal digits (leading zeros allowed, RFC 3986 §3.2.3) up to 65535.
fn parse_port(digits: &str) -> Option<u16> {
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let significant = digits.trim_start_matches('0');
    if significant.len() > 5 {
        return None;
    }
    if significant.is_empty() {
        return Some(0);
    }
    significant.parse().ok()
}

/// RFC 3986 §2.3.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 §2.2.
fn is_sub_delim(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

/// A literal byte of a reg-name (RFC 3986 §3.2.2).
fn is_host_char(b: u8) -> bool {
    is_unreserved(b) || is_sub_delim(b)
}

/// A literal byte of a path: pchar or `/` (RFC 3986 §3.3).
fn is_path_char(b: u8) -> bool {
    is_unreserved(b) || is_sub_delim(b) || matches!(b, b':' | b'@' | b'/')
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|v| u8::try_from(v).ok())
}

/// Percent-encoding normalisation (RFC 3986 §6.2.2.2): every triplet in
/// uppercase hex, triplets of unreserved characters decoded. With
/// `lowercase` (a host), literal and decoded letters are lowercased too.
/// `None` for a `%` not followed by two hex digits or a byte `allowed`
/// refuses.
fn normalise_percent(s: &str, lowercase: bool, allowed: fn(u8) -> bool) -> Option<String> {
    let case = |b: u8| char::from(if lowercase { b.to_ascii_lowercase() } else { b });
    let mut out = String::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let high = hex_value(bytes.next()?)?;
            let low = hex_value(bytes.next()?)?;
            let value = high << 4 | low;
            if is_unreserved(value) {
                out.push(case(value));
            } else {
                out.push_str(&format!("%{value:02X}"));
            }
        } else if allowed(b) {
            out.push(case(b));
        } else {
            return None;
        }
    }
    Some(out)
}

/// Removes `.` and `..` segments from a path (RFC 3986 §5.2.4).
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut out = String::with_capacity(path.len());
    let pop = |out: &mut String| match out.rfind('/') {
        Some(at) => out.truncate(at),
        None => out.clear(),
    };
    while !input.is_empty() {
        // A: a leading "../" or "./".
        if let Some(rest) = input
            .strip_prefix("../")
            .or_else(|| input.strip_prefix("./"))
        {
            input = rest;
            continue;
        }
        // C: "/../" or a final "/.." goes up one segment.
        if let Some(rest) = input.strip_prefix("/..")
            && (rest.is_empty() || rest.starts_with('/'))
        {
            input = if rest.is_empty() { "/" } else { rest };
            pop(&mut out);
            continue;
        }
        // B: "/./" or a final "/.".
        if let Some(rest) = input.strip_prefix("/.")
            && (rest.is_empty() || rest.starts_with('/'))
        {
            input = if rest.is_empty() { "/" } else { rest };
            continue;
        }
        // D: a lone "." or "..".
        if input == "." || input == ".." {
            break;
        }
        // E: move the first segment (with its leading "/", if any) to the output.
        let start = usize::from(input.starts_with('/'));
        let end = input
            .get(start..)
            .and_then(|tail| tail.find('/'))
            .map_or(input.len(), |at| at + start);
        let Some((segment, rest)) = input.split_at_checked(end) else {
            break;
        };
        out.push_str(segment);
        input = rest;
    }
    out
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn normal_forms() {
        let table: &[(&str, &str)] = &[
            (
                "https://server.example.com/token",
                "https://server.example.com/token",
            ),
            (
                "HTTPS://Server.EXAMPLE.com/token",
                "https://server.example.com/token",
            ),
            ("https://server.example.com", "https://server.example.com/"),
            (
                "https://server.example.com:443/x",
                "https://server.example.com/x",
            ),
            (
                "http://server.example.com:80/x",
                "http://server.example.com/x",
            ),
            (
                "http://server.example.com:/x",
                "http://server.example.com/x",
            ),
            (
                "https://server.example.com:80/x",
                "https://server.example.com:80/x",
            ),
            (
                "http://server.example.com:443/x",
                "http://server.example.com:443/x",
            ),
            (
                "https://server.example.com:08443/x",
                "https://server.example.com:8443/x",
            ),
            (
                "https://server.example.com:0443/x",
                "https://server.example.com/x",
            ),
            ("https://a.example/p?q=1#f", "https://a.example/p"),
            ("https://a.example/p#f?q", "https://a.example/p"),
            ("https://a.example?q", "https://a.example/"),
            (
                "https://a.example/%7euser/%41%2d%5F",
                "https://a.example/~user/A-_",
            ),
            (
                "https://a.example/a%2fb%3A%c3%a9",
                "https://a.example/a%2Fb%3A%C3%A9",
            ),
            ("https://a.example/a/./b/../c", "https://a.example/a/c"),
            ("https://a.example/a/b/../../../c", "https://a.example/c"),
            ("https://a.example/a/%2E%2E/b", "https://a.example/b"),
            ("https://a.example/a/..", "https://a.example/"),
            ("https://a.example/a/.", "https://a.example/a/"),
            ("https://a.example/..a/.b/", "https://a.example/..a/.b/"),
            ("https://a.example//x//", "https://a.example//x//"),
            ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
            (
                "https://[::FFFF:192.0.2.1]:8443",
                "https://[::ffff:192.0.2.1]:8443/",
            ),
            ("https://%41.example/", "https://a.example/"),
            ("https://a%2a.example/", "https://a%2A.example/"),
            ("https://192.0.2.1:65535/", "https://192.0.2.1:65535/"),
            (
                "https://a.example/p;x=1,y@z:!$&'()*+",
                "https://a.example/p;x=1,y@z:!$&'()*+",
            ),
        ];
        for (input, want) in table {
            assert_eq!(normalise_htu(input).as_deref(), Some(*want), "{input}");
        }
    }

    #[test]
    fn comparisons() {
        let table: &[(&str, &str, bool)] = &[
            ("https://a.example/x", "HTTPS://A.EXAMPLE/x", true),
            ("https://a.example/x", "https://a.example:443/x", true),
            ("https://a.example/x", "https://a.example/x?y=1", true),
            ("https://a.example/x", "https://a.example/x#frag", true),
            ("https://a.example/~x", "https://a.example/%7Ex", true),
            ("https://a.example/%2f", "https://a.example/%2F", true),
            ("https://a.example/b/x", "https://a.example/b/c/../x", true),
            ("https://a.example", "https://a.example/", true),
            ("https://a.example/x", "https://a.example/X", false),
            ("https://a.example/x", "http://a.example/x", false),
            ("https://a.example/x", "https://b.example/x", false),
            ("https://a.example/x", "https://a.example:8443/x", false),
            ("https://a.example/x", "https://a.example/x/", false),
            ("https://a.example/a/b", "https://a.example/a%2Fb", false),
            ("http://a.example:443/", "https://a.example/", false),
            ("https://a.example/x", "https://a.example./x", false),
        ];
        for (a, b, equal) in table {
            let (na, nb) = (normalise_htu(a), normalise_htu(b));
            assert!(na.is_some() && nb.is_some(), "{a} {b}");
            assert_eq!(na == nb, *equal, "{a} vs {b}: {na:?} {nb:?}");
        }
    }

    #[test]
    fn rejects() {
        let long = format!("https://a.example/{}", "x".repeat(MAX_HTU_LEN));
        let table: &[&str] = &[
            "",
            "/token",
            "a.example/token",
            "//a.example/token",
            "ftp://a.example/",
            "wss://a.example/",
            "https:a.example/",
            "https:/a.example/",
            "https:///x",
            "https://:443/x",
            "https://user@a.example/",
            "https://user:pass@a.example/",
            "https://@a.example/",
            "https://a.example:65536/",
            "https://a.example:99999999999/",
            "https://a.example:-1/",
            "https://a.example:8o/",
            "https://a.example:443:443/",
            "https://a.example /x",
            "https://a.example/x y",
            "https://a.example/x\ty",
            "https://a.example/\u{e9}",
            "https://\u{e9}.example/",
            "https://a.example/%",
            "https://a.example/%4",
            "https://a.example/%G1",
            "https://a.example/a\\b",
            "https://a.example/a|b",
            "https://a.example/[x]",
            "https://a_\"b.example/",
            "https://[2001:db8::1/",
            "https://[2001:db8::1]x/",
            "https://[v1.abc]/",
            "https://[fe80::1%25eth0]/",
            "https://[a.example]/",
            &long,
        ];
        for input in table {
            assert_eq!(normalise_htu(input), None, "{input:?}");
        }
        let at_limit = format!("https://a.example/{}", "x".repeat(MAX_HTU_LEN - 18));
        assert_eq!(at_limit.len(), MAX_HTU_LEN);
        assert!(normalise_htu(&at_limit).is_some());
        assert_eq!(normalise_htu(&format!("{at_limit}x")), None);
    }

    #[test]
    fn dot_segments_rfc3986_examples() {
        // RFC 3986 §5.2.4's two worked examples, and the edge cases.
        let table: &[(&str, &str)] = &[
            ("/a/b/c/./../../g", "/a/g"),
            ("mid/content=5/../6", "mid/6"),
            ("/./", "/"),
            ("/../", "/"),
            ("/..", "/"),
            ("/.", "/"),
            ("", ""),
            ("/a/b/..", "/a/"),
            ("/a/b/../", "/a/"),
            ("/a/...", "/a/..."),
        ];
        for (input, want) in table {
            assert_eq!(remove_dot_segments(input), *want, "{input}");
        }
    }
}
