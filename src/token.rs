//! The compact JWS envelope and its protected header.
//!
//! Everything here runs before the signature is checked, on bytes an attacker
//! chose, so it is strict and bounded: exactly three segments, canonical
//! base64url, a JSON object header with no duplicate members, and a fixed
//! set of header rules.

use crate::alg::Algorithm;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::json::Checked;
use crate::limits::{MAX_HEADER_MEMBERS, MAX_KID_LEN};
use crate::text::quote;
use crate::{base64url, json};

/// The three segments of a compact JWS, still encoded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segments<'a> {
    pub(crate) header: &'a str,
    pub(crate) payload: &'a str,
    pub(crate) signature: &'a str,
    /// `header "." payload`: the bytes the signature covers.
    pub(crate) signing_input: &'a str,
}

/// Splits a compact JWS into its segments, checking its size first.
pub(crate) fn split(token: &str, max_size: usize) -> Result<Segments<'_>> {
    if token.len() > max_size {
        return Err(Error::with_detail(
            ErrorKind::TokenTooLarge,
            format!("{} bytes, limit {max_size}", token.len()),
        ));
    }
    // Each byte is searched for a dot once, segment by segment.
    let (header, rest) = token.split_once('.').unwrap_or((token, ""));
    // The header's symbols first: its rules (b64, crit, …) say more than a
    // symbol count would. The rest is checked once the header has passed.
    check_alphabet(header)?;
    let Some((payload, signature)) = rest
        .split_once('.')
        .filter(|(_, signature)| !signature.contains('.'))
    else {
        let count = token.split('.').count();
        return Err(Error::with_detail(
            ErrorKind::TokenMalformed,
            format!("{count} segments, a compact jws has 3"),
        ));
    };
    if header.is_empty() || payload.is_empty() {
        return Err(Error::with_detail(
            ErrorKind::TokenMalformed,
            "empty header or payload segment",
        ));
    }
    let signing_input = token
        .get(..header.len() + 1 + payload.len())
        .ok_or_else(|| Error::new(ErrorKind::Internal))?;
    Ok(Segments {
        header,
        payload,
        signature,
        signing_input,
    })
}

/// Every byte of a compact JWS (or of its start, `token`) is a base64url
/// symbol or a `.`. The first byte that is not is named with its position
/// (counting from 1) and its likely cause, before any key work: a token
/// damaged by copy and paste would otherwise fail its signature check and
/// send people looking for a key problem.
pub(crate) fn check_alphabet(token: &str) -> Result<()> {
    let Some((index, byte)) = base64url::first_outside_compact_jws(token) else {
        return Ok(());
    };
    let position = index + 1;
    let detail = match byte {
        b'\n' | b'\r' => format!(
            "the token holds a line break at position {position}: it was probably cut when copied"
        ),
        b' ' | b'\t' => format!(
            "the token holds a space at position {position}: it was probably cut or joined when \
             copied, or still carries its \"Bearer \" prefix"
        ),
        b'=' => format!(
            "the token holds padding (=) at position {position}: a compact jws is unpadded \
             base64url"
        ),
        b'+' | b'/' => format!(
            "the token holds {} at position {position}: that is base64, a compact jws is \
             base64url (- and _)",
            char::from(byte)
        ),
        b'"' | b'\'' => format!(
            "the token holds a quote at position {position}: copy the token without its quotes"
        ),
        _ => format!("the token holds a byte outside base64url at position {position}"),
    };
    Err(Error::with_detail(ErrorKind::TokenMalformed, detail))
}

/// Decodes a base64url segment.
pub(crate) fn decode_segment(segment: &str, what: &str) -> Result<Vec<u8>> {
    base64url::decode(segment).ok_or_else(|| not_canonical(what))
}

/// The error for a segment (`what`) that does not decode.
pub(crate) fn not_canonical(what: &str) -> Error {
    Error::with_detail(
        ErrorKind::TokenMalformed,
        format!("{what} is not canonical unpadded base64url"),
    )
}

/// Parses decoded segment bytes holding a JSON object.
pub(crate) fn parse_object(bytes: &[u8], what: &str) -> Result<Map<String, Value>> {
    json::parse_object(bytes).map_err(|why| not_json(what, &why))
}

/// The error for a segment (`what`) that is not strict JSON (`why`).
fn not_json(what: &str, why: &str) -> Error {
    Error::with_detail(ErrorKind::TokenMalformed, format!("{what}: {why}"))
}

/// Decodes a base64url segment holding a JSON object.
pub(crate) fn decode_object(segment: &str, what: &str) -> Result<Map<String, Value>> {
    parse_object(&decode_segment(segment, what)?, what)
}

/// A protected header that passed the header rules.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub(crate) alg: Algorithm,
    pub(crate) kid: Option<String>,
    pub(crate) typ: Option<String>,
    /// The header's JSON text, as the strict check accepted it.
    pub(crate) json: String,
}

/// Members that belong to JWE, nested tokens or unencoded payloads: a token
/// carrying one is not a plain signed access token.
pub(crate) const UNSUPPORTED_MEMBERS: &[(&str, &str)] = &[
    (
        "b64",
        "unencoded payloads (b64, RFC 7797) are not supported",
    ),
    ("zip", "compressed payloads (zip) belong to jwe"),
    ("enc", "content encryption (enc) belongs to jwe"),
    ("cty", "nested tokens (cty) are not supported"),
    ("jwk", "keys embedded in the header (jwk) are never trusted"),
    ("jku", "key set urls in the header (jku) are never fetched"),
    (
        "x5u",
        "certificate urls in the header (x5u) are never fetched",
    ),
];

/// Why a `nonce` header refuses a token (`ERR_FOREIGN_TOKEN`).
const NONCE_RULE: &str = "the header carries a nonce, as Microsoft Graph tokens do; request a token for \
     your own API (scope=api://<your-api>/.default)";

/// Why a `crit` header refuses a token (`ERR_CRIT_UNSUPPORTED`).
const CRIT_RULE: &str = "no critical header extension is understood";

/// A header member that refuses a token, as the core's facts give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderRule {
    /// The member.
    pub member: &'static str,
    /// The code a header carrying it fails with.
    pub code: ErrorKind,
    /// Why, as the error's detail says.
    pub rule: &'static str,
}

/// The header members that refuse a token, in the order they are checked
/// (after the member count, at most [`MAX_HEADER_MEMBERS`]): `nonce`,
/// `crit`, then [`UNSUPPORTED_MEMBERS`]. A DPoP proof's header follows the
/// same rules but carries its `jwk`.
pub fn header_rules() -> Vec<HeaderRule> {
    let rule = |member, code, rule| HeaderRule { member, code, rule };
    let mut rules = vec![
        rule("nonce", ErrorKind::ForeignToken, NONCE_RULE),
        rule("crit", ErrorKind::CritUnsupported, CRIT_RULE),
    ];
    rules.extend(
        UNSUPPORTED_MEMBERS
            .iter()
            .map(|&(member, why)| rule(member, ErrorKind::HeaderInvalid, why)),
    );
    rules
}

/// What the header rules read of a header: its member count, and the
/// members they name (for `alg`, `kid` and `typ`, the value as checked).
#[derive(Default)]
struct HeaderMembers<'a> {
    count: usize,
    alg: Option<Checked<'a>>,
    kid: Option<Checked<'a>>,
    typ: Option<Checked<'a>>,
    nonce: bool,
    crit: bool,
    /// Which of [`UNSUPPORTED_MEMBERS`] it carries: bit `i` for the `i`th.
    unsupported: u32,
}

impl<'a> HeaderMembers<'a> {
    /// Notes member `name` whose value has the text `value`.
    fn note(&mut self, name: &[u8], value: &Checked<'a>) {
        self.count += 1;
        match name {
            b"alg" => self.alg = Some(*value),
            b"kid" => self.kid = Some(*value),
            b"typ" => self.typ = Some(*value),
            b"nonce" => self.nonce = true,
            b"crit" => self.crit = true,
            _ => self.unsupported |= unsupported_bit(name),
        }
    }

    fn contains(&self, name: &str) -> bool {
        match name {
            "nonce" => self.nonce,
            "crit" => self.crit,
            _ => self.unsupported != 0 && self.unsupported & unsupported_bit(name.as_bytes()) != 0,
        }
    }
}

/// Bit `i` for the `i`th of [`UNSUPPORTED_MEMBERS`], 0 for any other name.
fn unsupported_bit(name: &[u8]) -> u32 {
    UNSUPPORTED_MEMBERS
        .iter()
        .position(|(member, _)| member.as_bytes() == name)
        .map_or(0, |i| 1 << i)
}

/// The value of a member whose text the strict check accepted.
fn member_value(checked: Option<Checked<'_>>) -> Result<Option<Value>> {
    checked
        .map(|checked| json::value(&checked).ok_or_else(|| Error::new(ErrorKind::Internal)))
        .transpose()
}

impl Header {
    /// Checks a decoded header strictly as JSON, in one pass without a
    /// tree (`ERR_TOKEN_MALFORMED`), then applies the header rules that do
    /// not depend on the policy; only `alg`, `kid` and `typ` are read into
    /// values, and the text is kept.
    pub(crate) fn parse(bytes: Vec<u8>) -> Result<Self> {
        let json = json::utf8(bytes).map_err(|why| not_json("header", &why))?;
        let mut members = HeaderMembers::default();
        json::check_object(&json, &mut |name, value| members.note(name, value))
            .map_err(|why| not_json("header", &why))?;
        check_member_count(members.count)?;
        // Microsoft Graph (and other first-party Microsoft APIs) put a `nonce`
        // in the header and sign a hash of it: such a token can never verify
        // here, and the caller needs to hear why.
        if members.nonce {
            return Err(Error::claim(ErrorKind::ForeignToken, "nonce", NONCE_RULE));
        }
        let alg = parse_alg(member_value(members.alg)?.as_ref())?;
        let carries = |name: &str| members.contains(name);
        check_crit(&carries)?;
        check_unsupported_members(&carries, &[])?;
        let kid = match member_value(members.kid)? {
            None => None,
            Some(Value::String(kid)) if !kid.is_empty() && kid.len() <= MAX_KID_LEN => Some(kid),
            Some(Value::String(_)) => {
                return Err(Error::claim(
                    ErrorKind::HeaderInvalid,
                    "kid",
                    format!("kid must be 1 to {MAX_KID_LEN} bytes"),
                ));
            }
            Some(_) => {
                return Err(Error::claim(
                    ErrorKind::HeaderInvalid,
                    "kid",
                    "kid must be a string",
                ));
            }
        };
        let typ = match member_value(members.typ)? {
            None => None,
            Some(Value::String(typ)) => Some(typ),
            Some(_) => {
                return Err(Error::claim(
                    ErrorKind::HeaderInvalid,
                    "typ",
                    "typ must be a string",
                ));
            }
        };
        Ok(Self {
            alg,
            kid,
            typ,
            json,
        })
    }
}

/// At most [`MAX_HEADER_MEMBERS`] members (`count`). A header rule that a
/// DPoP proof's header follows too, as do [`check_crit`] and
/// [`check_unsupported_members`].
pub(crate) fn check_member_count(count: usize) -> Result<()> {
    if count > MAX_HEADER_MEMBERS {
        return Err(Error::with_detail(
            ErrorKind::HeaderInvalid,
            format!("more than {MAX_HEADER_MEMBERS} members"),
        ));
    }
    Ok(())
}

/// No `crit` (`carries` says whether the header has a member): no critical
/// header extension is understood.
pub(crate) fn check_crit(carries: &dyn Fn(&str) -> bool) -> Result<()> {
    if carries("crit") {
        return Err(Error::claim(ErrorKind::CritUnsupported, "crit", CRIT_RULE));
    }
    Ok(())
}

/// None of [`UNSUPPORTED_MEMBERS`] but those `allowed` (a DPoP proof's
/// header carries its `jwk`); `carries` says whether the header has a
/// member.
pub(crate) fn check_unsupported_members(
    carries: &dyn Fn(&str) -> bool,
    allowed: &[&str],
) -> Result<()> {
    for (name, why) in UNSUPPORTED_MEMBERS {
        if !allowed.contains(name) && carries(name) {
            return Err(Error::claim(ErrorKind::HeaderInvalid, name, *why));
        }
    }
    Ok(())
}

pub(crate) fn parse_alg(value: Option<&Value>) -> Result<Algorithm> {
    let alg = match value {
        Some(Value::String(alg)) => alg,
        Some(_) => {
            return Err(Error::claim(
                ErrorKind::HeaderInvalid,
                "alg",
                "alg must be a string",
            ));
        }
        None => {
            return Err(Error::claim(
                ErrorKind::HeaderInvalid,
                "alg",
                "alg is missing",
            ));
        }
    };
    if alg.eq_ignore_ascii_case("none") {
        return Err(Error::claim(
            ErrorKind::AlgNotAllowed,
            "alg",
            "unsecured tokens (alg none) are never accepted",
        ));
    }
    Algorithm::from_name(alg).ok_or_else(|| {
        Error::claim(
            ErrorKind::AlgNotAllowed,
            "alg",
            format!(
                "{} is not a supported algorithm (supported: {})",
                quote(alg),
                crate::text::quote_list(Algorithm::all().map(Algorithm::name))
            ),
        )
    })
}

/// The prefix RFC 7515 §4.1.9 lets a `typ` value leave out.
const MEDIA_TYPE_PREFIX: &str = "application/";

/// A `typ` value in its short form: without `application/` when what
/// follows has no other `/` (RFC 7515 §4.1.9 reads a value without `/` as
/// having that prefix; any other value is a full media type and stays whole).
fn short_typ(typ: &str) -> &str {
    let rest = typ
        .get(..MEDIA_TYPE_PREFIX.len())
        .filter(|prefix| prefix.eq_ignore_ascii_case(MEDIA_TYPE_PREFIX))
        .and_then(|_| typ.get(MEDIA_TYPE_PREFIX.len()..));
    match rest {
        Some(rest) if !rest.contains('/') => rest,
        _ => typ,
    }
}

/// Whether two `typ` values name the same media type (RFC 7515 §4.1.9):
/// `at+jwt` is `application/at+jwt`, `text/plain` is not
/// `application/text/plain`, and case is ignored (RFC 2045 §5.1).
pub(crate) fn same_typ(a: &str, b: &str) -> bool {
    short_typ(a).eq_ignore_ascii_case(short_typ(b))
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn header(json: &str) -> Result<Header> {
        Header::parse(json.as_bytes().to_vec())
    }

    /// Each rule the facts list refuses a header carrying its member, with
    /// its code and its sentence.
    #[test]
    fn listed_rules_refuse_their_members() {
        let rules = super::header_rules();
        assert_eq!(rules.len(), 2 + UNSUPPORTED_MEMBERS.len());
        for rule in rules {
            let error = header(&format!(r#"{{"alg":"RS256","{}":"x"}}"#, rule.member)).unwrap_err();
            assert_eq!(error.kind(), rule.code, "{}", rule.member);
            assert_eq!(error.claim_name(), Some(rule.member));
            assert_eq!(error.detail(), Some(rule.rule));
        }
    }

    #[test]
    fn header_rules() {
        type Want = Option<(ErrorKind, Option<&'static str>)>;
        let table: &[(&str, Want)] = &[
            (r#"{"alg":"RS256","kid":"k","typ":"at+jwt"}"#, None),
            (r#"{"alg":"EdDSA","x5t":"abc","x5c":["!!"]}"#, None),
            (
                r#"{"alg":"none"}"#,
                Some((ErrorKind::AlgNotAllowed, Some("alg"))),
            ),
            (
                r#"{"alg":"nOnE"}"#,
                Some((ErrorKind::AlgNotAllowed, Some("alg"))),
            ),
            (
                r#"{"alg":"rs256"}"#,
                Some((ErrorKind::AlgNotAllowed, Some("alg"))),
            ),
            (
                r#"{"alg":"ES512"}"#,
                Some((ErrorKind::AlgNotAllowed, Some("alg"))),
            ),
            (
                r#"{"alg":"RS256 "}"#,
                Some((ErrorKind::AlgNotAllowed, Some("alg"))),
            ),
            (
                r#"{"alg":["RS256"]}"#,
                Some((ErrorKind::HeaderInvalid, Some("alg"))),
            ),
            (
                r#"{"kid":"k"}"#,
                Some((ErrorKind::HeaderInvalid, Some("alg"))),
            ),
            (
                r#"{"alg":"RS256","crit":[]}"#,
                Some((ErrorKind::CritUnsupported, Some("crit"))),
            ),
            (
                r#"{"alg":"RS256","b64":false,"crit":["b64"]}"#,
                Some((ErrorKind::CritUnsupported, Some("crit"))),
            ),
            (
                r#"{"alg":"RS256","b64":true}"#,
                Some((ErrorKind::HeaderInvalid, Some("b64"))),
            ),
            (
                r#"{"alg":"RS256","jwk":{}}"#,
                Some((ErrorKind::HeaderInvalid, Some("jwk"))),
            ),
            (
                r#"{"alg":"RS256","jku":"https://x"}"#,
                Some((ErrorKind::HeaderInvalid, Some("jku"))),
            ),
            (
                r#"{"alg":"RS256","x5u":"https://x"}"#,
                Some((ErrorKind::HeaderInvalid, Some("x5u"))),
            ),
            (
                r#"{"alg":"RS256","zip":"DEF"}"#,
                Some((ErrorKind::HeaderInvalid, Some("zip"))),
            ),
            (
                r#"{"alg":"RS256","enc":"A128GCM"}"#,
                Some((ErrorKind::HeaderInvalid, Some("enc"))),
            ),
            (
                r#"{"alg":"RS256","cty":"JWT"}"#,
                Some((ErrorKind::HeaderInvalid, Some("cty"))),
            ),
            (
                r#"{"alg":"RS256","kid":5}"#,
                Some((ErrorKind::HeaderInvalid, Some("kid"))),
            ),
            (
                r#"{"alg":"RS256","kid":""}"#,
                Some((ErrorKind::HeaderInvalid, Some("kid"))),
            ),
            (
                r#"{"alg":"RS256","typ":1}"#,
                Some((ErrorKind::HeaderInvalid, Some("typ"))),
            ),
            (
                r#"{"alg":"RS256","nonce":"n"}"#,
                Some((ErrorKind::ForeignToken, Some("nonce"))),
            ),
        ];
        for (json, want) in table {
            let got = header(json)
                .err()
                .map(|e| (e.kind(), e.claim_name().map(str::to_owned)));
            let want = want.map(|(k, c)| (k, c.map(str::to_owned)));
            assert_eq!(got, want, "header {json}");
        }
        let long_kid = format!(
            r#"{{"alg":"RS256","kid":"{}"}}"#,
            "k".repeat(MAX_KID_LEN + 1)
        );
        assert_eq!(
            header(&long_kid).unwrap_err().kind(),
            ErrorKind::HeaderInvalid
        );
        let many = format!(
            "{{\"alg\":\"RS256\",{}}}",
            (0..MAX_HEADER_MEMBERS)
                .map(|i| format!("\"m{i}\":0"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(header(&many).unwrap_err().kind(), ErrorKind::HeaderInvalid);
    }

    #[test]
    fn split_counts_segments() {
        assert!(split("a.b.c", 100).is_ok());
        assert!(split("a.b.", 100).is_ok());
        for bad in ["a.b", "a.b.c.d", "a.b.c.d.e", ".b.c", "a..c", ""] {
            assert_eq!(
                split(bad, 100).unwrap_err().kind(),
                ErrorKind::TokenMalformed,
                "{bad}"
            );
        }
        assert_eq!(
            split("a.b.c", 4).unwrap_err().kind(),
            ErrorKind::TokenTooLarge
        );
    }

    /// RFC 7515 §4.1.9: `application/` is implied only for a value without
    /// `/`; media types compare ignoring ASCII case.
    #[test]
    fn typ_comparison() {
        let table: &[(&str, &str, bool)] = &[
            ("at+jwt", "at+jwt", true),
            ("AT+JWT", "at+jwt", true),
            ("application/at+jwt", "at+jwt", true),
            ("Application/AT+JWT", "application/at+jwt", true),
            ("JWT", "jwt", true),
            ("text/plain", "text/plain", true),
            ("text/plain", "application/text/plain", false),
            ("application/text/plain", "text/plain", false),
            ("application/text/plain", "application/text/plain", true),
            ("application/", "", true),
            ("application/at+jwt", "application/jwt", false),
            ("at+jwt", "jwt", false),
            ("applicationat+jwt", "at+jwt", false),
            ("application/dpop+jwt", "dpop+jwt", true),
        ];
        for &(a, b, same) in table {
            assert_eq!(same_typ(a, b), same, "{a} vs {b}");
            assert_eq!(same_typ(b, a), same, "{b} vs {a}");
        }
    }
}
