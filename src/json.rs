//! Strict JSON for token headers, payloads and key sets.
//!
//! `serde_json` alone keeps the last of two members with the same name and
//! nests up to 128 levels. Here any duplicate member name, at any depth, is an
//! error (RFC 7515 §4, RFC 8725 §3.12: parsers that disagree on duplicates are
//! how signature checks get bypassed), and depth, member and element counts
//! are capped by the limits in [`crate::limits`].

use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Value};

use crate::limits::{MAX_JSON_ARRAY_LEN, MAX_JSON_DEPTH, MAX_JSON_MEMBERS};

/// Parses `bytes` as one strict JSON value.
///
/// The error is a short description of what is wrong (no input bytes).
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict { depth: 0 }
        .deserialize(&mut de)
        .map_err(|e| describe(&e))?;
    de.end().map_err(|e| describe(&e))?;
    Ok(value)
}

/// Parses `bytes` as one strict JSON object.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, String> {
    match parse(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err("not a json object".to_owned()),
    }
}

fn describe(e: &serde_json::Error) -> String {
    // serde_json's messages name the problem and a position; custom messages
    // from the visitor below come through unchanged.
    let text = e.to_string();
    match text.find(" at line ") {
        Some(end) => text.get(..end).unwrap_or("invalid json").to_owned(),
        None => text,
    }
}

struct Strict {
    depth: usize,
}

impl Strict {
    fn nested<E: de::Error>(&self) -> Result<Strict, E> {
        if self.depth >= MAX_JSON_DEPTH {
            return Err(E::custom(format!(
                "json nested deeper than {MAX_JSON_DEPTH} levels"
            )));
        }
        Ok(Strict {
            depth: self.depth + 1,
        })
    }
}

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a json value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("json number is not finite"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Strict { depth: inner.depth })? {
            if items.len() >= MAX_JSON_ARRAY_LEN {
                return Err(de::Error::custom(format!(
                    "json array longer than {MAX_JSON_ARRAY_LEN} elements"
                )));
            }
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let inner = self.nested()?;
        let mut map = Map::new();
        let mut members = 0usize;
        while let Some(name) = access.next_key::<String>()? {
            // One search finds a duplicate and the place for a new member.
            let slot = match map.entry(name) {
                Entry::Occupied(entry) => {
                    return Err(de::Error::custom(format!(
                        "duplicate json member {}",
                        crate::text::quote(entry.key())
                    )));
                }
                Entry::Vacant(slot) => slot,
            };
            if members >= MAX_JSON_MEMBERS {
                return Err(de::Error::custom(format!(
                    "json object with more than {MAX_JSON_MEMBERS} members"
                )));
            }
            slot.insert(access.next_value_seed(Strict { depth: inner.depth })?);
            members += 1;
        }
        Ok(Value::Object(map))
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
