//! The differential check of the one-pass JSON check ([`json::parse`],
//! [`json::check_object`], [`crate::claims::read_payload`]) against the tree
//! parser it replaced ([`oracle::parse`]): the property test below and the
//! `json` fuzz target require them to agree on every input. Built for tests
//! and with the `json-oracle` feature only.

use serde_json::Value;

use crate::claims::ClaimSet;
use crate::json::{self, oracle};

/// Policies that between them make every claim check read its claims: the
/// payload differential runs each one.
fn policies() -> Vec<crate::Policy> {
    use crate::policy::{AudienceClaim, Policy};
    let plain = Policy::new("https://issuer.example", "api://a");
    let mut strict = Policy::new("https://issuer.example", "api://a");
    strict.subject = Some("user".into());
    strict.required_claims = vec!["oid".into(), "a".into()];
    strict.forbidden_claims = vec!["idtyp".into()];
    strict.claim_values = [("ver".to_owned(), vec!["2.0".to_owned()])].into();
    strict.roles = vec!["Tasks.Read".into()];
    strict.scopes = vec!["read".into()];
    strict.tenants = vec!["t1".into()];
    strict.clients = vec!["c1".into(), "api://a".into()];
    strict.acr_values = vec!["c1".into()];
    strict.auth_context = vec!["c2".into()];
    strict.max_auth_age = Some(600);
    strict.max_token_age = Some(600);
    strict.max_lifetime = Some(3600);
    let mut cognito = Policy::new("https://issuer.example", "api://a");
    cognito.audience_claim = AudienceClaim::ClientId;
    cognito.roles_claim = "cognito:groups".into();
    cognito.any_roles = Some(vec!["admins".into()]);
    cognito.any_scopes = Some(vec!["read".into()]);
    cognito.require_permission = true;
    vec![plain, strict, cognito]
}

/// The time the payload differential checks claims at.
const NOW: i64 = 1_700_000_000;

/// Where the one-pass check and the tree parser disagree on `bytes`, or
/// `None`: [`json::parse`] against [`oracle::parse`] (the same value or the
/// same message), [`json::check_object`] against the tree and the object test
/// (the same verdict and message), and, as a token's payload under each of
/// [`policies`], the claims checked from what [`crate::claims::read_payload`]
/// kept against the claims checked from the whole tree (the same result, to
/// the error's code, claim and detail).
pub(crate) fn disagreement(bytes: &[u8]) -> Option<String> {
    let tree = oracle::parse(bytes);
    let one_pass = json::parse(bytes);
    if one_pass != tree {
        return Some(format!("parse: one pass {one_pass:?}, tree {tree:?}"));
    }
    let tree_object = tree.and_then(|value| match value {
        Value::Object(map) => Ok(map),
        _ => Err(json::NOT_AN_OBJECT.to_owned()),
    });
    let checked =
        json::utf8(bytes.to_vec()).and_then(|text| json::check_object(&text, &mut |_, _| {}));
    if checked.as_ref().err() != tree_object.as_ref().err() {
        return Some(format!("check_object: {checked:?}, tree {tree_object:?}"));
    }
    for policy in policies() {
        let from_tree = tree_object
            .clone()
            .map_err(|why| {
                crate::Error::with_detail(
                    crate::ErrorKind::TokenMalformed,
                    format!("payload: {why}"),
                )
            })
            .and_then(|claims| crate::claims::check(&policy, &claims, None, NOW));
        let kept = crate::claims::read_payload(&policy, bytes.to_vec()).map(|(kept, _)| kept);
        if let (Ok(kept), Ok(tree)) = (&kept, &tree_object) {
            // Every claim kept is the tree's member of that name, and none
            // is kept under a name the tree does not have.
            let mut found = 0;
            for (name, value) in tree {
                match ClaimSet::get(kept, name) {
                    Some(read) if read != value => {
                        return Some(format!("read {name} as {read:?}, tree {value:?}"));
                    }
                    Some(_) => found += 1,
                    None => {}
                }
            }
            if found != kept.len() {
                return Some(format!(
                    "kept {} claims, {found} of them the tree's",
                    kept.len()
                ));
            }
        }
        let read = kept.and_then(|claims| crate::claims::check(&policy, &claims, None, NOW));
        if read != from_tree {
            return Some(format!("claims: read {read:?}, tree {from_tree:?}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use rand_chacha::ChaCha8Rng;
    use rand_chacha::rand_core::{RngCore, SeedableRng};

    use super::disagreement;
    use crate::json;

    /// Member names: the claims the checks read, escaped spellings of
    /// them, and names that differ only past an escape.
    const NAMES: &[&str] = &[
        "iss",
        "aud",
        "exp",
        "nbf",
        "iat",
        "sub",
        "tid",
        "azp",
        "appid",
        "client_id",
        "roles",
        "cognito:groups",
        "scp",
        "scope",
        "acr",
        "acrs",
        "xms_cc",
        "auth_time",
        "cnf",
        "oid",
        "a",
        "ver",
        "idtyp",
        "jti",
        r"\u0061ud",
        r"\u0069ss",
        r"a\u0075d",
        r"\ud83d\ude00",
        r"\ud83d",
        r"\u0000",
        r"\/",
        r#"\""#,
        "é",
        "\u{1f600}",
    ];

    /// Scalars: near-valid and invalid numbers, strings and words.
    const SCALARS: &[&str] = &[
        "0",
        "-0",
        "1",
        "1700000000",
        "1700003600",
        "1699990000",
        "1.5",
        "1e3",
        "1E+3",
        "1e-400",
        "1e400",
        "-1e400",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "18446744073709551616",
        "-9223372036854775809",
        "253402300799",
        "253402300800",
        "01",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "0x1",
        "true",
        "false",
        "null",
        "tru",
        "nul",
        "\"\"",
        "\"user\"",
        "\"https://issuer.example\"",
        "\"api://a\"",
        "\"c1\"",
        "\"t1\"",
        "\"2.0\"",
        "\"read write\"",
        "\"Tasks.Read\"",
        "\"admins\"",
        "\"cp1\"",
        r#""https:\/\/issuer.example""#,
        r#""\u0061pi://a""#,
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""\ud83d\ude00""#,
        r#""\x""#,
        "\"a\tb\"",
        "\"\u{7f}\"",
        "\"\u{e9}\"",
    ];

    /// A claim set every policy of the differential accepts at its `NOW`,
    /// member by member: the generator keeps, changes or drops each.
    const GOOD_CLAIMS: &[(&str, &str)] = &[
        ("iss", "\"https://issuer.example\""),
        ("aud", "[\"api://a\"]"),
        ("client_id", "\"api://a\""),
        ("exp", "1700003000"),
        ("nbf", "1699990000"),
        ("iat", "1699999500.5"),
        ("auth_time", "1699999900"),
        ("sub", "\"user\""),
        ("tid", "\"t1\""),
        ("azp", "\"c1\""),
        ("roles", "[\"Tasks.Read\"]"),
        ("cognito:groups", "[\"admins\"]"),
        ("scp", "\"read write\""),
        ("acr", "\"c1\""),
        ("acrs", "[\"c2\"]"),
        ("xms_cc", "[\"cp1\"]"),
        ("oid", "\"o\""),
        ("a", "{\"b\":[1,{\"c\":null}]}"),
        ("ver", "\"2.0\""),
    ];

    struct Gen(ChaCha8Rng);

    impl Gen {
        fn below(&mut self, n: usize) -> usize {
            (self.0.next_u32() as usize) % n.max(1)
        }

        fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
            items
                .get(self.below(items.len()))
                .copied()
                .unwrap_or_default()
        }

        /// A value nested at most `depth` more levels.
        fn value(&mut self, out: &mut String, depth: usize) {
            match self.below(if depth == 0 { 1 } else { 5 }) {
                0 | 1 => out.push_str(self.pick(SCALARS)),
                2 => {
                    out.push('[');
                    for i in 0..self.below(4) {
                        if i > 0 {
                            out.push(',');
                        }
                        self.value(out, depth - 1);
                    }
                    out.push(']');
                }
                _ => self.object(out, depth - 1),
            }
        }

        fn object(&mut self, out: &mut String, depth: usize) {
            out.push('{');
            for i in 0..self.below(8) {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(self.pick(NAMES));
                out.push_str("\":");
                self.value(out, depth);
            }
            out.push('}');
        }

        /// Claims near [`GOOD_CLAIMS`]: each kept, changed or dropped.
        fn claims(&mut self, out: &mut String) {
            out.push('{');
            for (name, good) in GOOD_CLAIMS {
                let roll = self.below(40);
                if roll == 0 {
                    continue;
                }
                if out.len() > 1 {
                    out.push(',');
                }
                out.push('"');
                out.push_str(if roll == 1 { self.pick(NAMES) } else { name });
                out.push_str("\":");
                match roll {
                    2 => out.push_str(self.pick(SCALARS)),
                    3 => self.value(out, 2),
                    _ => out.push_str(good),
                }
            }
            // Sometimes past the names an object compares one by one, so
            // the sorted search meets duplicates too.
            for extra in 0..self.below(3) * 12 {
                out.push_str(&format!(",\"x{extra}\":{extra}"));
            }
            out.push('}');
        }

        /// A payload: a random object or claims near a good set, then up
        /// to three mutations.
        fn payload(&mut self) -> Vec<u8> {
            let mut text = String::new();
            if self.below(2) == 0 {
                let depth = self.below(4);
                self.object(&mut text, depth);
            } else {
                self.claims(&mut text);
            }
            let mut bytes = text.into_bytes();
            for _ in 0..self.below(4).saturating_sub(1) {
                let at = self.below(bytes.len() + 1);
                match self.below(6) {
                    0 => {
                        let bytes_to_insert = b"{}[],:\"\\ 0-eu\x01\xff";
                        let byte = bytes_to_insert.get(self.below(bytes_to_insert.len()));
                        bytes.insert(at, byte.copied().unwrap_or(b' '));
                    }
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    2 => bytes.truncate(at),
                    3 => {
                        // A deep nest, at or just past the limit.
                        let levels = crate::limits::MAX_JSON_DEPTH - 2 + self.below(4);
                        let nest = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
                        bytes.splice(at..at, nest.bytes());
                    }
                    4 => {
                        let spaces = [b' ', b'\n', b'\t', b'\r', 0x0c];
                        let space = spaces.get(self.below(spaces.len()));
                        bytes.insert(at, space.copied().unwrap_or(b' '));
                    }
                    _ => {
                        let member = format!(",\"{}\":{}", self.pick(NAMES), self.pick(SCALARS));
                        let close = bytes.iter().rposition(|&b| b == b'}').unwrap_or(0);
                        bytes.splice(close..close, member.bytes().skip(usize::from(close <= 1)));
                    }
                }
            }
            bytes
        }
    }

    /// Many thousands of near-valid and mutated payloads from a fixed seed:
    /// the one-pass check and the tree parser agree on every one, to the
    /// message, and so do the claim checks on what each kept.
    #[test]
    fn one_pass_check_agrees_with_the_tree_parser() {
        let mut generator = Gen(ChaCha8Rng::seed_from_u64(27));
        let (mut accepted, mut refused, mut verified) = (0, 0, 0);
        for case in 0..20_000 {
            let payload = generator.payload();
            if let Some(why) = disagreement(&payload) {
                panic!("case {case} {:?}: {why}", String::from_utf8_lossy(&payload));
            }
            match json::parse(&payload) {
                Ok(_) => accepted += 1,
                Err(_) => refused += 1,
            }
            let policies = super::policies();
            let strict = policies.get(1).expect("the strict policy");
            verified += usize::from(
                crate::claims::read_payload(strict, payload.clone())
                    .and_then(|(claims, _)| crate::claims::check(strict, &claims, None, super::NOW))
                    .is_ok(),
            );
        }
        // Each kind in numbers: the generator is near enough to valid that
        // texts pass and fail the check, and claim sets every check.
        assert!(
            accepted > 2_000 && refused > 2_000 && verified > 500,
            "{accepted} {refused} {verified}"
        );
    }
}
