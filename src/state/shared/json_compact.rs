//! The compact one-line rendering of a JSON log line, built once at ingest:
//! `LEVEL ❄ message  key=value key=value… req=6f1c2a3b trace=bd862e3f`.
//!
//! Powertools fields are recognised: `level` (also `levelname`, `severity`, pino's numeric
//! levels), `message`/`msg`, `service` (dropped when it is just the function name shown in
//! the tag column), `cold_start` (a `❄` mark when true), `function_request_id` (and the
//! usual other spellings; shortened to 8 characters) and `xray_trace_id` (shortened).
//! Noise is dropped: `timestamp`/`time` (the row has a time column), `location`,
//! `function_arn`, `function_memory_size`, `function_name`, `function_version`,
//! `sampling_rate`. The full object stays available in the detail view.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use unstuck_aws::untrusted_text::sanitize_line;
use unstuck_views::logs::log_row::Level;

use super::json_value::JsonValue;

const NOISE_KEYS: [&str; 10] = [
    "timestamp",
    "@timestamp",
    "time",
    "location",
    "function_arn",
    "function_memory_size",
    "function_name",
    "function_version",
    "sampling_rate",
    "xray_trace_id_sampled",
];
const LEVEL_KEYS: [&str; 5] = ["level", "levelname", "severity", "log.level", "lvl"];
const MESSAGE_KEYS: [&str; 2] = ["message", "msg"];
const REQUEST_ID_KEYS: [&str; 5] = [
    "function_request_id",
    "request_id",
    "requestId",
    "aws_request_id",
    "awsRequestId",
];
const SHORT_ID_CHARS: usize = 8;
const MAX_FIELD_CHARS: usize = 60;
const MAX_MESSAGE_JSON_CHARS: usize = 200;
/// The cold-start mark after the level word.
pub const COLD_MARK: &str = "❄";

/// A JSON object as one sanitised display line, with where its parts are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactLine {
    pub text: String,
    pub level_end: usize,
    pub message_start: usize,
    pub fields_start: usize,
    pub level: Option<Level>,
    /// The full request id, sanitised.
    pub request_id: Option<String>,
    pub cold_start: bool,
}

/// The compact line of `message` when it is a JSON object; `None` for anything else.
/// `tag` is the function name shown in the tag column (a `service` equal to it is dropped).
pub fn compact_json(message: &str, tag: &str) -> Option<CompactLine> {
    let mut deserializer = serde_json::Deserializer::from_str(message);
    let parts = deserializer.deserialize_map(PartsVisitor).ok()?;
    deserializer.end().ok()?;
    Some(parts.into_line(tag))
}

#[derive(Default)]
struct Parts {
    level: Option<Level>,
    message: Option<JsonValue>,
    cold_start: bool,
    request_id: Option<String>,
    trace_id: Option<String>,
    service: Option<String>,
    fields: Vec<(String, JsonValue)>,
}

impl Parts {
    fn into_line(self, tag: &str) -> CompactLine {
        let mut text = String::with_capacity(96);
        if let Some(level) = self.level {
            text.push_str(level.label());
        }
        let level_end = text.len();
        if self.cold_start {
            if level_end > 0 {
                text.push(' ');
            }
            text.push_str(COLD_MARK);
        }
        let mut fields: Vec<String> = Vec::with_capacity(self.fields.len() + 3);
        if let Some(service) = self.service.filter(|s| s != tag) {
            fields.push(format!(
                "service={}",
                JsonValue::String(service).compact(MAX_FIELD_CHARS)
            ));
        }
        for (key, value) in &self.fields {
            fields.push(format!("{key}={}", value.compact(MAX_FIELD_CHARS)));
        }
        if let Some(id) = &self.request_id {
            fields.push(format!("req={}", short(id)));
        }
        if let Some(trace) = &self.trace_id {
            fields.push(format!("trace={}", short_trace(trace)));
        }
        let message = self.message.map(|m| match m {
            JsonValue::String(s) => s,
            other => {
                let json = other.to_json();
                if json.chars().count() > MAX_MESSAGE_JSON_CHARS {
                    other.compact(MAX_MESSAGE_JSON_CHARS)
                } else {
                    json
                }
            }
        });
        let has_message = message.as_deref().is_some_and(|m| !m.is_empty());
        if !text.is_empty() && (has_message || !fields.is_empty()) {
            text.push(' ');
        }
        let message_start = text.len();
        if let Some(message) = message.as_deref().filter(|m| !m.is_empty()) {
            text.push_str(&sanitize_line(message));
        }
        let fields_start = text.len();
        if !fields.is_empty() {
            if has_message {
                text.push_str("  ");
            }
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    text.push(' ');
                }
                text.push_str(&sanitize_line(field));
            }
        }
        CompactLine {
            text,
            level_end,
            message_start,
            fields_start,
            level: self.level,
            request_id: self.request_id.map(|id| sanitize_line(&id).into_owned()),
            cold_start: self.cold_start,
        }
    }
}

/// The first 8 characters of an id.
pub fn short(id: &str) -> &str {
    id.char_indices()
        .nth(SHORT_ID_CHARS)
        .map_or(id, |(i, _)| &id[..i])
}

/// `1-5759e988-bd862e3fe1be46a994272793` → `bd862e3f` (the random part).
fn short_trace(trace: &str) -> &str {
    let unique = match trace.splitn(3, '-').collect::<Vec<_>>()[..] {
        ["1", _, unique] => unique,
        _ => trace,
    };
    short(unique)
}

/// pino's numeric levels: 10 trace … 60 fatal.
fn numeric_level(n: &serde_json::Number) -> Option<Level> {
    match n.as_u64()? {
        10 => Some(Level::Trace),
        20 => Some(Level::Debug),
        30 => Some(Level::Info),
        40 => Some(Level::Warn),
        50 => Some(Level::Error),
        60 => Some(Level::Fatal),
        _ => None,
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct PartsVisitor;

impl<'de> Visitor<'de> for PartsVisitor {
    type Value = Parts;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Parts, A::Error> {
        let mut parts = Parts::default();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let key = key.as_ref();
            if NOISE_KEYS.contains(&key) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = map.next_value::<JsonValue>()?;
            match (key, value) {
                (k, JsonValue::String(s)) if LEVEL_KEYS.contains(&k) && parts.level.is_none() => {
                    match Level::parse(&s) {
                        Some(level) => parts.level = Some(level),
                        None => parts.fields.push((k.to_string(), JsonValue::String(s))),
                    }
                }
                (k, JsonValue::Number(n)) if LEVEL_KEYS.contains(&k) && parts.level.is_none() => {
                    match numeric_level(&n) {
                        Some(level) => parts.level = Some(level),
                        None => parts.fields.push((k.to_string(), JsonValue::Number(n))),
                    }
                }
                (k, value) if MESSAGE_KEYS.contains(&k) && parts.message.is_none() => {
                    parts.message = Some(value);
                }
                ("cold_start", JsonValue::Bool(cold)) => parts.cold_start = cold,
                (k, JsonValue::String(id))
                    if REQUEST_ID_KEYS.contains(&k) && parts.request_id.is_none() =>
                {
                    parts.request_id = Some(id);
                }
                ("xray_trace_id", JsonValue::String(trace)) => parts.trace_id = Some(trace),
                ("service", JsonValue::String(service)) => parts.service = Some(service),
                (k, value) => parts.fields.push((k.to_string(), value)),
            }
        }
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POWERTOOLS: &str = r#"{"level":"INFO","location":"lambda_handler:58","message":"submission validated","timestamp":"2026-11-20 02:47:00,123+0000","service":"tax-validate-submission","cold_start":true,"function_name":"tax-validate-submission","function_memory_size":512,"function_arn":"arn:aws:lambda:eu-west-1:123456789012:function:tax-validate-submission","function_request_id":"6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b","submission_id":"SUB-2026-000123","xray_trace_id":"1-6740a1b2-bd862e3fe1be46a994272793"}"#;

    #[test]
    fn powertools_line_becomes_level_message_and_short_fields() {
        let line = compact_json(POWERTOOLS, "tax-validate-submission").unwrap();
        assert_eq!(
            line.text,
            "INFO ❄ submission validated  submission_id=SUB-2026-000123 req=6f1c2a3b trace=bd862e3f"
        );
        assert_eq!(&line.text[..line.level_end], "INFO");
        assert_eq!(
            &line.text[line.message_start..line.fields_start],
            "submission validated"
        );
        assert_eq!(line.level, Some(Level::Info));
        assert!(line.cold_start);
        assert_eq!(
            line.request_id.as_deref(),
            Some("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")
        );
    }

    #[test]
    fn service_other_than_the_function_is_kept_and_errors_summarised() {
        let line = compact_json(
            r#"{"level":"ERROR","message":"failed","service":"payments","cold_start":false,"error":{"name":"TypeError","message":"x is undefined","stack":"TypeError: x\n at f"},"retry_attempt":2}"#,
            "tax-submit-api",
        )
        .unwrap();
        assert_eq!(
            line.text,
            r#"ERROR failed  service=payments error="TypeError: x is undefined" retry_attempt=2"#
        );
        assert_eq!(line.level, Some(Level::Error));
        assert!(!line.cold_start);
    }

    #[test]
    fn escapes_in_values_are_neutralised_and_odd_shapes_handled() {
        let line = compact_json(
            r#"{"msg":"pwn\u001b]52;c;aGk=\u0007\u001b[2J","lvl":50,"k":"\u202e"}"#,
            "t",
        )
        .unwrap();
        assert!(!line.text.contains('\u{1b}') && !line.text.contains('\u{202e}'));
        assert_eq!(line.level, Some(Level::Error));
        assert!(
            line.text.starts_with("ERROR pwn␛]52;c;aGk=␇␛[2J"),
            "{}",
            line.text
        );
        // No level, no message: just the fields.
        let line = compact_json(r#"{"a":1,"b":"x"}"#, "t").unwrap();
        assert_eq!((line.text.as_str(), line.fields_start), ("a=1 b=x", 0));
        assert!(compact_json("[1,2]", "t").is_none());
        assert!(compact_json(r#"{"a":1} trailing"#, "t").is_none());
        assert!(compact_json(r#"{"a":"#, "t").is_none());
    }
}
