//! Strict JSON for token headers, payloads and key sets.
//!
//! `serde_json` alone keeps the last of two members with the same name and
//! nests up to 128 levels. Here any duplicate member name, at any depth, is an
//! error (RFC 7515 §4, RFC 8725 §3.12: parsers that disagree on duplicates are
//! how signature checks get bypassed), and depth, member and element counts
//! are capped by the limits in [`crate::limits`].
//!
//! The rules, each as the tree parser this check replaced applied them
//! (`json/oracle.rs`, kept for the differential tests):
//!
//! - `serde_json`'s grammar: one value, then only whitespace (space, tab,
//!   line feed, carriage return); no byte-order mark, comment or trailing
//!   comma; names are strings; `true`, `false`, `null` exactly;
//! - numbers by JSON's grammar (no leading zero, `+`, bare `.` or `e`), and
//!   within f64's range (`1e400` is refused; `1e-400` reads as 0);
//! - strings: UTF-8, no unescaped control character (below U+0020), only
//!   JSON's escapes, surrogate escapes as `serde_json` pairs them;
//! - no two members of one object with the same name after unescaping
//!   (`"\u0061ud"` is `"aud"`), at any depth;
//! - at most [`MAX_JSON_DEPTH`] nested objects and arrays,
//!   [`MAX_JSON_MEMBERS`] members per object and [`MAX_JSON_ARRAY_LEN`]
//!   elements per array;
//! - for a header or payload, an object at the top.
//!
//! [`check_object`] makes every one of those checks in one pass over the
//! bytes without building a tree: a token's header and payload are checked
//! so, and only the members its header rules and policy read are parsed
//! into values. [`parse`] checks the same way, then lets `serde_json` build
//! the tree of a text that can no longer surprise it (key sets, DPoP
//! proofs, introspection responses).
//! The first problem in the text decides the message, as with a tree parser:
//! a broken limit or duplicate has its own message, anything else
//! `serde_json`'s.

use std::borrow::Cow;
use std::ops::Range;

use serde_json::{Map, Value};

use crate::limits::{MAX_JSON_ARRAY_LEN, MAX_JSON_DEPTH, MAX_JSON_MEMBERS};

#[cfg(any(test, feature = "json-oracle"))]
pub(crate) mod oracle;

/// Parses `bytes` as one strict JSON value.
///
/// The error is a short description of what is wrong (no input bytes).
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, String> {
    Scan::run(bytes, &mut |_, _, _| {})?;
    // Checked above: serde_json's grammar, and nothing it would overlook.
    serde_json::from_slice(bytes).map_err(|e| describe(&e))
}

/// Parses `bytes` as one strict JSON object.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    match parse(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err(NOT_AN_OBJECT.to_owned()),
    }
}

/// `bytes` as text when they are UTF-8, else the message of the strict
/// check for them (a text that is not UTF-8 fails it): the one UTF-8 check
/// of a header or payload, before [`check_object`].
pub(crate) fn utf8(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| match Scan::run(e.as_bytes(), &mut |_, _, _| {}) {
        Err(why) => why,
        Ok(_) => "invalid json".to_owned(),
    })
}

/// The text of a member's value that [`check_object`] accepted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Checked<'a> {
    pub(crate) text: &'a str,
    /// A string without escapes: its value is its text inside the quotes.
    pub(crate) plain_string: bool,
}

/// Checks `text` as one strict JSON object, exactly as [`parse_object`]
/// does, without building it: `member` sees each top-level member's name
/// (unescaped, UTF-8) and its value, once the value has been checked.
pub(crate) fn check_object<'a>(
    text: &'a str,
    member: &mut dyn FnMut(&[u8], &Checked<'a>),
) -> Result<(), String> {
    let mut value = |name: &[u8], range: Range<usize>, plain_string: bool| {
        if let Some(text) = text.get(range) {
            member(name, &Checked { text, plain_string });
        }
    };
    if Scan::run(text.as_bytes(), &mut value)? {
        Ok(())
    } else {
        Err(NOT_AN_OBJECT.to_owned())
    }
}

pub(crate) const NOT_AN_OBJECT: &str = "not a json object";

fn describe(e: &serde_json::Error) -> String {
    // serde_json's messages name the problem and a position; custom messages
    // from the visitor below come through unchanged.
    let text = e.to_string();
    match text.find(" at line ") {
        Some(end) => text.get(..end).unwrap_or("invalid json").to_owned(),
        None => text,
    }
}

/// The value of a member that [`check_object`] accepted: a string without
/// escapes and a small non-negative integer are read here, anything else by
/// `serde_json` (which reads an accepted text whole and alike).
pub(crate) fn value(checked: &Checked<'_>) -> Option<Value> {
    let text = checked.text;
    match text.as_bytes() {
        [b'"', .., b'"'] if checked.plain_string => text
            .get(1..text.len() - 1)
            .map(|inner| Value::String(inner.to_owned())),
        // At most 19 digits: below 10^19, within u64.
        digits if small_integer(digits) => Some(Value::from(
            digits
                .iter()
                .fold(0u64, |n, digit| n * 10 + u64::from(digit - b'0')),
        )),
        _ => serde_json::from_slice(text.as_bytes()).ok(),
    }
}

/// Digits of a JSON integer that fits in a u64 whatever the digits are (at
/// most 19 of them), with no leading zero.
fn small_integer(digits: &[u8]) -> bool {
    matches!(digits.first(), Some(b'1'..=b'9'))
        && digits.len() <= 19
        && digits.iter().all(u8::is_ascii_digit)
        || digits == b"0"
}

/// What a scan tells its caller about each top-level member: its unescaped
/// name, where the text of its value is, and whether that is a string
/// without escapes.
type Member<'m> = &'m mut dyn FnMut(&[u8], Range<usize>, bool);

/// Why a scan stopped.
enum Stop {
    /// The text is not JSON by `serde_json`'s grammar: its parser names the
    /// problem.
    Grammar,
    /// A rule of ours: duplicate name, depth, member or element count.
    Rule(String),
}

/// One pass over a JSON text.
struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The names of every object still open, the innermost last; an
    /// object's names in order of appearance while it has at most
    /// [`LINEAR_NAMES`], sorted from then on.
    names: Vec<Name<'a>>,
}

/// A member name (unescaped, UTF-8) and its [`fingerprint`].
struct Name<'a> {
    fingerprint: u64,
    text: Cow<'a, [u8]>,
}

/// A name's length and its first two and last two bytes: two names with
/// different fingerprints differ, so an object's new name is compared in
/// full only with the names whose fingerprint it shares (in a token,
/// rarely any).
fn fingerprint(name: &[u8]) -> u64 {
    let len = name.len();
    let byte = |i: usize| u64::from(name.get(i).copied().unwrap_or(0));
    ((len as u64) << 32)
        | (byte(0) << 24)
        | (byte(1) << 16)
        | (byte(len.wrapping_sub(2)) << 8)
        | byte(len.wrapping_sub(1))
}

/// Names an object compares a new name with one by one (a short object's
/// names mostly differ in length, which is compared first); past this many
/// they are sorted and searched, so a long object costs O(n log n)
/// comparisons, not O(n²).
const LINEAR_NAMES: usize = 32;

/// Sorts an object's [`LINEAR_NAMES`] names, once, by insertion: a few
/// hundred comparisons of names that mostly differ early, in far less code
/// than the standard library's sort (a wasm size concern).
fn sort(names: &mut [Name<'_>]) {
    for sorted in 1..names.len() {
        let mut at = sorted;
        while let Some([before, name]) = at.checked_sub(1).and_then(|i| names.get_mut(i..=at)) {
            if before.text <= name.text {
                break;
            }
            core::mem::swap(before, name);
            at -= 1;
        }
    }
}

/// Whether `byte` ends a run of plain ASCII string content: `"`, `\\`, a
/// control character (JSON forbids them unescaped) or a byte of a
/// multi-byte UTF-8 character (checked apart).
fn string_stop(byte: u8) -> bool {
    matches!(byte, b'"' | b'\\' | ..0x20 | 0x80..)
}

/// `0x01` in each byte of a word.
const ONES: u64 = u64::from_le_bytes([1; 8]);

/// `0x80` in each byte of a word.
const HIGHS: u64 = ONES * 0x80;

/// The bytes of `word` (8 bytes, little-endian) that are [`string_stop`]s,
/// as their high bits; exact for the lowest one (a borrow only carries into
/// bytes above a byte that is a stop, so a higher one may be marked
/// wrongly, never a lower one). The classic test for a zero byte,
/// `(w - 0x01…) & !w & 0x80…`, finds `"` and `\\`; `w - 0x20…` sets the
/// high bit of a byte below 0x20, and `w` itself that of a byte from 0x80.
fn string_stops(word: u64) -> u64 {
    let zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
    let quote = zero(word ^ (ONES * u64::from(b'"')));
    let backslash = zero(word ^ (ONES * u64::from(b'\\')));
    let control_or_high = (word.wrapping_sub(ONES * 0x20) | word) & HIGHS;
    quote | backslash | control_or_high
}

/// The index of the first [`string_stop`] in `bytes` at or after `from`,
/// or the length: eight bytes at a time.
fn plain_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    for word in words.by_ref() {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let stops = string_stops(word);
        if stops != 0 {
            return at + (stops.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = words.remainder();
    at + tail
        .iter()
        .position(|&b| string_stop(b))
        .unwrap_or(tail.len())
}

impl<'a> Scan<'a> {
    /// Checks the whole text, calling `member` for each member of a
    /// top-level object; `Ok(true)` when the text is an object.
    fn run(bytes: &'a [u8], member: Member<'_>) -> Result<bool, String> {
        let mut scan = Scan {
            bytes,
            at: 0,
            // Room for a typical token's claims without growing.
            names: Vec::with_capacity(32),
        };
        scan.space();
        let object = scan.peek() == Some(b'{');
        let whole = scan.value(0, Some(member)).and_then(|_| {
            scan.space();
            if scan.at == bytes.len() {
                Ok(())
            } else {
                Err(Stop::Grammar)
            }
        });
        match whole {
            Ok(()) => Ok(object),
            Err(Stop::Rule(why)) => Err(why),
            // The text has no problem of ours before this one, so
            // serde_json's parser, reading it from the start, stops here too.
            Err(Stop::Grammar) => Err(match serde_json::from_slice::<Value>(bytes) {
                Err(e) => describe(&e),
                Ok(_) => "invalid json".to_owned(),
            }),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// JSON's whitespace: space, tab, line feed, carriage return.
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Expects `byte` after whitespace.
    fn expect(&mut self, byte: u8) -> Result<(), Stop> {
        self.space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(Stop::Grammar)
        }
    }

    /// One value at nesting `depth` (0 for the whole text): `Ok(true)` for
    /// a string without escapes. `member` is `Some` only for the whole text.
    fn value(&mut self, depth: usize, member: Option<Member<'_>>) -> Result<bool, Stop> {
        self.space();
        let other = match self.peek() {
            Some(b'"') => return self.string().map(|text| matches!(text, Cow::Borrowed(_))),
            Some(b'{') => self.object(depth, member),
            Some(b'[') => self.array(depth),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.word(b"true"),
            Some(b'f') => self.word(b"false"),
            Some(b'n') => self.word(b"null"),
            _ => Err(Stop::Grammar),
        };
        other.map(|()| false)
    }

    /// The opening of an object or array at `depth`: `Ok(true)` when
    /// `close` follows at once (an empty one, read whole).
    fn open(&mut self, depth: usize, close: u8) -> Result<bool, Stop> {
        if depth >= MAX_JSON_DEPTH {
            return Err(Stop::Rule(format!(
                "json nested deeper than {MAX_JSON_DEPTH} levels"
            )));
        }
        self.at += 1;
        self.space();
        let empty = self.peek() == Some(close);
        if empty {
            self.at += 1;
        }
        Ok(empty)
    }

    /// After a member or element: `Ok(true)` for a comma (another follows),
    /// `Ok(false)` for `close` (read).
    fn more(&mut self, close: u8) -> Result<bool, Stop> {
        self.space();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(Stop::Grammar),
        }
    }

    fn object(&mut self, depth: usize, mut member: Option<Member<'_>>) -> Result<(), Stop> {
        if self.open(depth, b'}')? {
            return Ok(());
        }
        let first = self.names.len();
        loop {
            self.space();
            if self.peek() != Some(b'"') {
                return Err(Stop::Grammar);
            }
            let name = self.string()?;
            let fingerprint = fingerprint(&name);
            let names = self.names.get_mut(first..).unwrap_or_default();
            let found = if names.len() < LINEAR_NAMES {
                let seen = names
                    .iter()
                    .any(|seen| seen.fingerprint == fingerprint && seen.text == name);
                if seen { Ok(0) } else { Err(names.len()) }
            } else {
                if names.len() == LINEAR_NAMES {
                    sort(names);
                }
                names.binary_search_by(|seen| seen.text.as_ref().cmp(&name))
            };
            let slot = match found {
                Ok(_) => {
                    return Err(Stop::Rule(format!(
                        "duplicate json member {}",
                        crate::text::quote(core::str::from_utf8(&name).unwrap_or_default())
                    )));
                }
                Err(slot) => first + slot,
            };
            if names.len() >= MAX_JSON_MEMBERS {
                return Err(Stop::Rule(format!(
                    "json object with more than {MAX_JSON_MEMBERS} members"
                )));
            }
            self.expect(b':')?;
            self.space();
            let start = self.at;
            let name = Name {
                fingerprint,
                text: name,
            };
            // Names in order of appearance go last, without a move.
            if slot == self.names.len() {
                self.names.push(name);
            } else {
                self.names.insert(slot, name);
            }
            let plain_string = self.value(depth + 1, None)?;
            if let Some(member) = member.as_mut() {
                let name = self.names.get(slot).map_or(&[][..], |name| &name.text);
                member(name, start..self.at, plain_string);
            }
            if !self.more(b'}')? {
                break;
            }
        }
        self.names.truncate(first);
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<(), Stop> {
        if self.open(depth, b']')? {
            return Ok(());
        }
        let mut elements = 0usize;
        loop {
            self.value(depth + 1, None)?;
            elements += 1;
            if elements > MAX_JSON_ARRAY_LEN {
                return Err(Stop::Rule(format!(
                    "json array longer than {MAX_JSON_ARRAY_LEN} elements"
                )));
            }
            if !self.more(b']')? {
                return Ok(());
            }
        }
    }

    /// A string, its text unescaped (UTF-8): borrowed when it has no
    /// escape, else unescaped by `serde_json` itself, so escapes and
    /// surrogates follow its rules exactly. Plain ASCII is passed over eight
    /// bytes at a time; each run of multi-byte characters is checked as
    /// UTF-8 where it stands, so the text needs no check of its own.
    fn string(&mut self) -> Result<Cow<'a, [u8]>, Stop> {
        let start = self.at;
        // The first eight bytes here: most names and many values end in them.
        let first = self.bytes.get(start + 1..start + 9);
        let stops = first.map_or(0, |word| {
            string_stops(u64::from_le_bytes(word.try_into().unwrap_or_default()))
        });
        let end = match (first, stops) {
            (Some(_), 0) => plain_end(self.bytes, start + 9),
            (Some(_), stops) => start + 1 + (stops.trailing_zeros() / 8) as usize,
            (None, _) => plain_end(self.bytes, start + 1),
        };
        if self.bytes.get(end) == Some(&b'"') {
            self.at = end + 1;
            return self
                .bytes
                .get(start + 1..end)
                .map(Cow::Borrowed)
                .ok_or(Stop::Grammar);
        }
        self.string_rest(start, end)
    }

    /// [`Scan::string`] from the string's (at `start`) first stop at `end`
    /// that is not its closing quote: an escape, a multi-byte character or
    /// an error. Apart, so that the common plain string takes a short path.
    #[inline(never)]
    fn string_rest(&mut self, start: usize, mut end: usize) -> Result<Cow<'a, [u8]>, Stop> {
        let mut escaped = false;
        loop {
            end = plain_end(self.bytes, end);
            match self.bytes.get(end) {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    end += 2;
                }
                Some(0x80..) => {
                    let rest = self.bytes.get(end..).unwrap_or_default();
                    let run = rest.iter().position(|&b| b < 0x80).unwrap_or(rest.len());
                    let characters = rest.get(..run).unwrap_or_default();
                    core::str::from_utf8(characters).map_err(|_| Stop::Grammar)?;
                    end += run;
                }
                _ => return Err(Stop::Grammar),
            }
        }
        self.at = end + 1;
        if escaped {
            let quoted = self.bytes.get(start..self.at).ok_or(Stop::Grammar)?;
            return serde_json::from_slice::<String>(quoted)
                .map(|text| Cow::Owned(text.into_bytes()))
                .map_err(|_| Stop::Grammar);
        }
        self.bytes
            .get(start + 1..end)
            .map(Cow::Borrowed)
            .ok_or(Stop::Grammar)
    }

    /// A number: the longest run of the bytes a number is written with,
    /// which `serde_json` must read as one number (its grammar, and a value
    /// within f64's range).
    fn number(&mut self) -> Result<(), Stop> {
        let start = self.at;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
            self.at += 1;
        }
        let text = self.bytes.get(start..self.at).ok_or(Stop::Grammar)?;
        if small_integer(text.strip_prefix(b"-").unwrap_or(text)) {
            return Ok(());
        }
        serde_json::from_slice::<serde_json::Number>(text)
            .map(drop)
            .map_err(|_| Stop::Grammar)
    }

    fn word(&mut self, word: &[u8]) -> Result<(), Stop> {
        let end = self.at + word.len();
        if self.bytes.get(self.at..end) == Some(word) {
            self.at = end;
            Ok(())
        } else {
            Err(Stop::Grammar)
        }
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn accepts_plain_objects() {
        let map = parse_object(br#" {"a":1,"b":[true,null,"x"],"c":{"d":1.5}} "#).unwrap();
        assert_eq!(map.len(), 3);
        // Below f64's range reads as zero; only above it is refused.
        assert_eq!(parse(b"[1e-400]").unwrap(), serde_json::json!([0.0]));
    }

    #[test]
    fn rejects_what_it_must() {
        let deep_ok = format!(
            "{}1{}",
            "[".repeat(MAX_JSON_DEPTH - 1),
            "]".repeat(MAX_JSON_DEPTH - 1)
        );
        let too_deep = format!(
            "{}1{}",
            "[".repeat(MAX_JSON_DEPTH + 1),
            "]".repeat(MAX_JSON_DEPTH + 1)
        );
        assert!(parse(deep_ok.as_bytes()).is_ok());
        let long = format!("[{}0]", "0,".repeat(MAX_JSON_ARRAY_LEN));
        let cases: &[(&[u8], &str)] = &[
            (br#"{"a":1,"a":2}"#, "duplicate json member \"a\""),
            (br#"{"a\u006c":1,"al":2}"#, "duplicate json member \"al\""),
            (br#"{"x":{"y":1,"y":1}}"#, "duplicate json member \"y\""),
            (br#"[{"a":1,"a":1}]"#, "duplicate json member \"a\""),
            (too_deep.as_bytes(), "json nested deeper than 16 levels"),
            (long.as_bytes(), "json array longer than 1000 elements"),
            (b"{\"a\":1} x", "trailing characters"),
            (b"\xef\xbb\xbf{}", "expected value"),
            (b"{\"a\":1e400}", "number out of range"),
        ];
        for (input, want) in cases {
            let got = parse(input).unwrap_err();
            assert_eq!(&got, want, "input {:?}", String::from_utf8_lossy(input));
        }
        assert_eq!(parse_object(b"[1]").unwrap_err(), "not a json object");
    }
}
