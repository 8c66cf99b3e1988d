//! The tree parser the one-pass check replaced: `serde_json` with a visitor
//! that refuses duplicate member names at any depth, nesting past
//! [`MAX_JSON_DEPTH`] and objects or arrays past their limits. Kept only as
//! the oracle of the differential check (`crate::differential`: the
//! property test and the `json` fuzz target), which requires
//! [`super::parse`] to agree with it on every input: the verdict, the value
//! and the message.

use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::map::Entry;

use super::describe;
use crate::limits::{MAX_JSON_ARRAY_LEN, MAX_JSON_DEPTH, MAX_JSON_MEMBERS};

/// Parses `bytes` as one strict JSON value into a tree, as the core did
/// before the one-pass check.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict { depth: 0 }
        .deserialize(&mut de)
        .map_err(|e| describe(&e))?;
    de.end().map_err(|e| describe(&e))?;
    Ok(value)
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
        let mut map = serde_json::Map::new();
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
