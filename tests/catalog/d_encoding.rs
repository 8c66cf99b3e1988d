//! D. Encoding and parsing.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use serde_json::json;

use crate::common::*;
use crate::*;

/// D01: exactly three non-empty segments, nothing around them.
#[test]
fn d01_segment_structure() {
    let good = jose_token("EdDSA");
    let (input, _) = good.rsplit_once('.').unwrap();
    let (header, _) = input.split_once('.').unwrap();
    let mut rows: Vec<Row> = [
        "", "a", "a.b", "a.b.c.d", "a.b.c.", ".b.c", "a..c", "a.b.", "..", "...",
    ]
    .into_iter()
    .map(|t| row(format!("{t:?}"), t, no("ERR_TOKEN_MALFORMED")))
    .collect();
    for (name, token) in [
        ("leading space", format!(" {good}")),
        ("trailing space", format!("{good} ")),
        ("trailing newline", format!("{good}\n")),
        ("leading newline", format!("\n{good}")),
        ("bearer prefix", format!("Bearer {good}")),
        ("bearer, two spaces", format!("bearer  {good}")),
        ("no signature segment", input.to_owned()),
        (
            "empty payload",
            format!("{header}..{}", good.rsplit('.').next().unwrap()),
        ),
        ("five segments", format!("{good}.{header}.{header}")),
    ] {
        rows.push(row(name, token, no("ERR_TOKEN_MALFORMED")));
    }
    fixture_check("D01", rows);
}

/// D02: only canonical unpadded base64url; every variant is re-signed, so
/// only the encoding is wrong.
#[test]
fn d02_non_canonical_base64url() {
    // A header whose encoding has a partial last group (17 bytes: 23 symbols).
    let header_json = r#"{"alg":"EdDSA"  }"#;
    assert_eq!(header_json.len() % 3, 2);
    let header = b64(header_json.as_bytes());
    // A payload whose encoding holds '-' and '_', so the std alphabet differs.
    let claims = claims_with(|c| {
        c.insert("pad".into(), json!("~~~???>>>"));
    });
    let payload = b64(claims.to_string().as_bytes());
    assert!(payload.contains('-') || payload.contains('_'));
    let std_alphabet = payload.replace('-', "+").replace('_', "/");
    // The unused low bits of the last header symbol set.
    let last = header.chars().last().unwrap();
    let flipped = (last as u8 + 1) as char;
    let unused_bits = format!("{}{flipped}", &header[..header.len() - 1]);
    let payload_with = |at: usize, insert: &str| {
        let mut p = payload.clone();
        p.insert_str(at, insert);
        p
    };
    let variants = [
        ("padding on the header", format!("{header}=.{payload}")),
        (
            "%3D padding on the header",
            format!("{header}%3D.{payload}"),
        ),
        (
            "unused bits set in the header",
            format!("{unused_bits}.{payload}"),
        ),
        (
            "+ and / alphabet in the payload",
            format!("{header}.{std_alphabet}"),
        ),
        (
            "CR in the payload",
            format!("{header}.{}", payload_with(10, "\r")),
        ),
        (
            "LF in the payload",
            format!("{header}.{}", payload_with(10, "\n")),
        ),
        (
            "TAB in the payload",
            format!("{header}.{}", payload_with(10, "\t")),
        ),
        (
            "space in the payload",
            format!("{header}.{}", payload_with(10, " ")),
        ),
    ];
    let mut rows: Vec<Row> = variants
        .into_iter()
        .map(|(name, input)| row(name, sign_input_eddsa(&input), no("ERR_TOKEN_MALFORMED")))
        .collect();
    // The control: the canonical encoding of the same header and payload verifies.
    rows.push(row(
        "canonical",
        sign_input_eddsa(&format!("{header}.{payload}")),
        OK,
    ));
    // Padding on the signature segment.
    let good = jose_token("EdDSA");
    rows.push(row(
        "padding on the signature",
        format!("{good}=="),
        no("ERR_TOKEN_MALFORMED"),
    ));
    fixture_check("D02", rows);
    // JWK members in the std alphabet or padded: that key is skipped (B08).
    let jwk = jwk_with("eddsa-key", |k| {
        let x = k["x"].as_str().unwrap().replace('-', "+").replace('_', "/");
        k.insert("x".into(), json!(format!("{x}=")));
    });
    let keys =
        jwtguard::KeySet::from_jwks(&json!({"keys": [public_jwk("rs256-key"), jwk]}).to_string())
            .unwrap();
    assert_eq!(
        keys.skipped()[0].reason.to_string(),
        "x is not canonical unpadded base64url"
    );
}

/// D03: duplicate member names, anywhere, after unescaping, are refused.
#[test]
fn d03_duplicate_member_names() {
    let (iss, aud, exp) = (issuer(), audience(), now() + 600);
    let header = |raw: &str| sign_eddsa_raw(raw.as_bytes(), good_claims().to_string().as_bytes());
    let base = format!(r#""iss":"{iss}","aud":"{aud}","exp":{exp}"#);
    let rows = vec![
        row(
            "alg then alg",
            header(r#"{"alg":"EdDSA","alg":"none","kid":"eddsa-key"}"#),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "escaped alg",
            header(r#"{"a\u006cg":"none","alg":"EdDSA","kid":"eddsa-key"}"#),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "kid twice",
            header(r#"{"alg":"EdDSA","kid":"x","kid":"eddsa-key"}"#),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "exp twice",
            eddsa_payload(&format!(r#"{{{base},"exp":1}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "escaped exp",
            eddsa_payload(&format!(r#"{{{base},"ex\u0070":1}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "aud twice",
            eddsa_payload(&format!(r#"{{"aud":"evil",{base}}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "iss twice",
            eddsa_payload(&format!(r#"{{"iss":"https://evil",{base}}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "roles twice",
            eddsa_payload(&format!(r#"{{{base},"roles":["user"],"roles":["admin"]}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "scope twice",
            eddsa_payload(&format!(r#"{{{base},"scope":"read","scope":"admin"}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "nested realm_access.roles twice",
            eddsa_payload(&format!(
                r#"{{{base},"realm_access":{{"roles":["user"],"roles":["admin"]}}}}"#
            )),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "no duplicates (control)",
            eddsa_payload(&format!("{{{base}}}")),
            OK,
        ),
    ];
    fixture_check("D03", rows);
}

/// D04: a payload that is not a JSON object is refused, so nothing is ever
/// read positionally from an array.
#[test]
fn d04_payload_is_not_an_object() {
    let (iss, aud, exp) = (issuer(), audience(), now() + 600);
    let rows = vec![
        row(
            "array [exp, nbf, sub, iss, aud]",
            eddsa_payload(&format!(r#"[{exp},null,"admin","{iss}","{aud}"]"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row("string", eddsa_payload(r#""s""#), no("ERR_TOKEN_MALFORMED")),
        row("number", eddsa_payload("1"), no("ERR_TOKEN_MALFORMED")),
        row("null", eddsa_payload("null"), no("ERR_TOKEN_MALFORMED")),
        row("true", eddsa_payload("true"), no("ERR_TOKEN_MALFORMED")),
        row("empty object", eddsa_payload("{}"), no("ERR_CLAIM_MISSING")),
    ];
    fixture_check("D04", rows);
}

/// D05: strict RFC 8259 JSON in UTF-8.
#[test]
fn d05_json_text_edge_cases() {
    let (iss, aud, exp) = (issuer(), audience(), now() + 600);
    let base = format!(r#""iss":"{iss}","aud":"{aud}","exp":{exp}"#);
    let bytes = |payload: &[u8]| sign_eddsa_raw(eddsa_header().to_string().as_bytes(), payload);
    let rows = vec![
        row(
            "utf-8 bom",
            bytes(format!("\u{feff}{{{base}}}").as_bytes()),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "whitespace and crlf",
            eddsa_payload(&format!(
                "\r\n {{ {} }} \r\n",
                base.replace(',', " ,\r\n\t")
            )),
            OK,
        ),
        row(
            "whitespace in the header",
            sign_eddsa_raw(
                b"{\r\n \"alg\" : \"EdDSA\" ,\r\n \"kid\":\"eddsa-key\" }",
                format!("{{{base}}}").as_bytes(),
            ),
            OK,
        ),
        row(
            "lone byte 0xff",
            bytes(&[b"{".as_slice(), base.as_bytes(), b",\"x\":\"\xff\"}"].concat()),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "overlong utf-8",
            bytes(&[b"{".as_slice(), base.as_bytes(), b",\"x\":\"\xc0\xaf\"}"].concat()),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "lone surrogate",
            eddsa_payload(&format!(r#"{{{base},"x":"\ud800"}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "nul in iss",
            eddsa_payload(&format!(
                r#"{{"iss":"{iss}\u0000","aud":"{aud}","exp":{exp}}}"#
            )),
            no("ERR_ISSUER_INVALID"),
        ),
        row(
            "trailing garbage",
            eddsa_payload(&format!("{{{base}}}x")),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "two objects",
            eddsa_payload(&format!("{{{base}}}{{}}")),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "comment",
            eddsa_payload(&format!("{{{base} /* admin */}}")),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "NaN",
            eddsa_payload(&format!(r#"{{{base},"x":NaN}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "Infinity",
            eddsa_payload(&format!(r#"{{{base},"x":Infinity}}"#)),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "single quotes",
            eddsa_payload(&format!("{{{base},'x':1}}")),
            no("ERR_TOKEN_MALFORMED"),
        ),
        row(
            "a number of 10 000 digits",
            eddsa_payload(&format!(r#"{{{base},"x":{}}}"#, "9".repeat(10_000))),
            no("ERR_TOKEN_MALFORMED"),
        ),
    ];
    fixture_check("D05", rows);
}

/// D06: NumericDate: a JSON number of seconds between 0 and year 9999;
/// fractions rounded down; anything else refused.
#[test]
fn d06_numeric_dates() {
    let n = now();
    let (iss, aud) = (issuer(), audience());
    let with = |name: &str, raw: &str| {
        let mut members = vec![format!(r#""iss":"{iss}""#), format!(r#""aud":"{aud}""#)];
        if name != "exp" {
            members.push(format!(r#""exp":{}"#, n + 600));
        }
        members.push(format!(r#""{name}":{raw}"#));
        eddsa_payload(&format!("{{{}}}", members.join(",")))
    };
    let mut rows = Vec::new();
    for name in ["exp", "nbf", "iat"] {
        let in_range = if name == "exp" { n + 600 } else { n - 600 };
        for (raw, want) in [
            (format!("{in_range}.7"), OK),
            (format!("{in_range}e0"), OK),
            (format!("{}e-3", in_range * 1000), OK),
            (format!(r#""{in_range}""#), no("ERR_CLAIM_INVALID")),
            ("-1".to_owned(), no("ERR_CLAIM_INVALID")),
            ("1.7e308".to_owned(), no("ERR_CLAIM_INVALID")),
            ("1.8e308".to_owned(), no("ERR_TOKEN_MALFORMED")),
            ("1e400".to_owned(), no("ERR_TOKEN_MALFORMED")),
            ("18446744073709551615".to_owned(), no("ERR_CLAIM_INVALID")),
            ("18446744073709551616".to_owned(), no("ERR_CLAIM_INVALID")),
            ("1e19".to_owned(), no("ERR_CLAIM_INVALID")),
            ("9007199254740993".to_owned(), no("ERR_CLAIM_INVALID")),
            ("true".to_owned(), no("ERR_CLAIM_INVALID")),
            ("null".to_owned(), no("ERR_CLAIM_INVALID")),
            ("{}".to_owned(), no("ERR_CLAIM_INVALID")),
            ("[]".to_owned(), no("ERR_CLAIM_INVALID")),
        ] {
            rows.push(row(format!("{name} = {raw}"), with(name, &raw), want));
        }
    }
    // Zero and negative zero are valid dates, long past for exp.
    rows.push(row("exp = 0", with("exp", "0"), no("ERR_TOKEN_EXPIRED")));
    rows.push(row(
        "exp = -0.0",
        with("exp", "-0.0"),
        no("ERR_TOKEN_EXPIRED"),
    ));
    rows.push(row("nbf = 0", with("nbf", "0"), OK));
    fixture_check("D06", rows);
    // Fractions round down: an exp of now + 0.9 is past with zero tolerance.
    let strict = verifier_with({
        let mut custom = policy();
        custom.clock_tolerance = 0;
        custom
    });
    check(
        "D06 (zero tolerance)",
        &strict,
        &jose_token("EdDSA"),
        vec![
            row(
                "exp = now + 0.9",
                with("exp", &format!("{n}.9")),
                no("ERR_TOKEN_EXPIRED"),
            ),
            row("exp = now + 1", with("exp", &format!("{}", n + 1)), OK),
        ],
    );
}
