//! A JSON value that keeps the order of object keys as written (the log's author put
//! `level` and `message` first for a reason), and short one-line renderings of values for
//! the compact log line. Strings here are NOT sanitised: callers sanitise what they show.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<JsonValue>),
    Object(Vec<(String, JsonValue)>),
}

impl JsonValue {
    /// Parses a JSON document (any value); `None` when it is not valid JSON.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        match self {
            JsonValue::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Minified JSON text (as `serde_json` would write it, keys in their order).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            JsonValue::Null => out.push_str("null"),
            JsonValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            JsonValue::Number(n) => out.push_str(&n.to_string()),
            JsonValue::String(s) => out.push_str(&json_string(s)),
            JsonValue::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            JsonValue::Object(entries) => {
                out.push('{');
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&json_string(key));
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }

    /// A short rendering for `key=value` in the compact line: strings bare (quoted when
    /// they hold spaces), the first line only, at most `max_chars` characters; error-like
    /// objects as `Name: message`; other objects and arrays summarised.
    pub fn compact(&self, max_chars: usize) -> String {
        match self {
            JsonValue::String(s) => compact_string(s, max_chars),
            JsonValue::Object(_) => {
                let name = self.get("name").or_else(|| self.get("type"));
                match (
                    name.and_then(JsonValue::as_str),
                    self.get("message").and_then(JsonValue::as_str),
                ) {
                    (Some(name), Some(message)) => {
                        compact_string(&format!("{name}: {message}"), max_chars)
                    }
                    _ => self.compact_container(max_chars),
                }
            }
            JsonValue::Array(_) => self.compact_container(max_chars),
            other => other.to_json(),
        }
    }

    fn compact_container(&self, max_chars: usize) -> String {
        let json = self.to_json();
        if json.chars().count() <= max_chars.min(40) {
            return json;
        }
        match self {
            JsonValue::Object(entries) => format!("{{…{} keys}}", entries.len()),
            JsonValue::Array(items) => format!("[…{} items]", items.len()),
            _ => json,
        }
    }
}

/// A JSON string literal for `text`.
pub fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

fn compact_string(text: &str, max_chars: usize) -> String {
    // A Python traceback says what happened on its last line.
    let text = match text.trim_end().rsplit_once('\n') {
        Some((_, last)) if text.starts_with("Traceback (most recent call last):") => last,
        _ => text,
    };
    let mut first_line = text.lines().next().unwrap_or("").trim_end().to_string();
    let multi_line = text.trim_end().contains('\n');
    let mut clipped = multi_line;
    if first_line.chars().count() > max_chars {
        first_line = first_line
            .chars()
            .take(max_chars.saturating_sub(1))
            .collect();
        clipped = true;
    }
    if clipped {
        first_line.push('…');
    }
    if first_line.is_empty() || first_line.contains([' ', '=']) {
        json_string(&first_line)
    } else {
        first_line
    }
}

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonValueVisitor)
    }
}

struct JsonValueVisitor;

impl<'de> Visitor<'de> for JsonValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonValue, E> {
        Ok(serde_json::Number::from_f64(v).map_or(JsonValue::Null, JsonValue::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<JsonValue, D::Error> {
        JsonValue::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element::<JsonValue>()? {
            items.push(item);
        }
        Ok(JsonValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some((key, value)) = map.next_entry::<String, JsonValue>()? {
            entries.push((key, value));
        }
        Ok(JsonValue::Object(entries))
    }
}

/// Pretty JSON (control characters escaped), or the text as it is when it does not parse.
pub fn pretty_json(raw: &str) -> String {
    serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order_and_round_trips() {
        let text = r#"{"level":"INFO","message":"hi","a":[1,2.5,true,null],"z":{"b":"c"}}"#;
        let value = JsonValue::parse(text).unwrap();
        assert_eq!(value.to_json(), text);
        assert_eq!(value.get("message").and_then(JsonValue::as_str), Some("hi"));
        assert!(JsonValue::parse("{nope").is_none());
    }

    #[test]
    fn compact_values() {
        let v = |t: &str| JsonValue::parse(t).unwrap();
        assert_eq!(v(r#""SUB-1""#).compact(60), "SUB-1");
        assert_eq!(v(r#""two words""#).compact(60), r#""two words""#);
        assert_eq!(v(r#""line one\nline two""#).compact(60), r#""line one…""#);
        assert_eq!(v(r#""abcdefghij""#).compact(5), "abcd…");
        assert_eq!(
            v(r#""Traceback (most recent call last):\n  File \"a.py\"\nKeyError: 'x'""#)
                .compact(60),
            r#""KeyError: 'x'""#
        );
        assert_eq!(v("2").compact(60), "2");
        assert_eq!(
            v(r#"{"name":"TypeError","message":"x is undefined","stack":"…"}"#).compact(60),
            r#""TypeError: x is undefined""#
        );
        assert_eq!(v(r#"{"a":1}"#).compact(60), r#"{"a":1}"#);
        assert_eq!(
            v(r#"{"a":"0123456789","b":"0123456789","c":"0123456789"}"#).compact(60),
            "{…3 keys}"
        );
    }
}
