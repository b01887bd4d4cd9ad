//! A FilterLogEvents page the SDK could not decode. CloudWatch (and moto) escape a message's
//! text as JSON `\uXXXX`; a message holding a lone UTF-16 surrogate (`\ud800` with no pair,
//! as some producers write) is valid JSON text but no valid string, and the SDK rejects the
//! whole page. Asked again it fails again, so one such event would hide its group for good.
//!
//! Here the page is read again from the raw body: each lone surrogate (and each byte that is
//! not UTF-8) becomes U+FFFD, and the event that held one says so at its end, so it is seen,
//! not silently altered. A field of an unexpected type is taken for what it says (a number
//! sent as text, a message sent as a JSON object). Everything else on the page comes through
//! as the SDK would have given it. A body that is not a page even so is left to the caller,
//! which narrows its request until the bad event is isolated.

use serde::Deserialize;
use serde_json::Value;

use crate::model::FilterPage;

/// What an event that held undecodable text says after its message.
pub const UNDECODABLE_MARK: &str = " [unstuck: undecodable text shown as \u{FFFD}]";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPage {
    #[serde(default)]
    events: Vec<Value>,
    next_token: Option<Value>,
}

/// The page in `body`, with lone surrogates and bytes that are not UTF-8 replaced; None when
/// it is not a page even so.
pub fn decode_page(group: &str, body: &[u8]) -> Option<FilterPage> {
    let text = String::from_utf8_lossy(body);
    let not_utf8 = matches!(text, std::borrow::Cow::Owned(_));
    let (repaired, surrogates) = replace_lone_surrogates(&text);
    let changed = not_utf8 || surrogates;
    let page: RawPage = serde_json::from_str(&repaired).ok()?;
    let events = page
        .events
        .iter()
        .filter(|e| e.is_object())
        .map(|e| {
            let mut message = match e.get("message") {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
            };
            if changed && message.contains('\u{FFFD}') {
                message.push_str(UNDECODABLE_MARK);
            }
            super::convert::event_from_parts(
                group,
                e.get("logStreamName").and_then(Value::as_str),
                number(e.get("timestamp")),
                number(e.get("ingestionTime")),
                message,
                e.get("eventId").and_then(Value::as_str),
            )
        })
        .collect();
    Some(FilterPage {
        events,
        next_token: page
            .next_token
            .as_ref()
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    })
}

/// A time in milliseconds, sent as an integer, a float or a numeral in text.
fn number(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(text) => text.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// `\ud800` escapes without their pair (and pairs' halves on their own) become `\ufffd`;
/// returns the text and whether anything changed. Escaped backslashes (`\\ud800`, the text
/// "\ud800") are left alone.
pub fn replace_lone_surrogates(text: &str) -> (String, bool) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        // An escape: `\\`, `\"`, ... or `\uXXXX`.
        let Some(unit) = hex_unit(bytes, i) else {
            i += 2;
            continue;
        };
        let high = (0xD800..0xDC00).contains(&unit);
        let low = (0xDC00..0xE000).contains(&unit);
        if high && hex_unit(bytes, i + 6).is_some_and(|next| (0xDC00..0xE000).contains(&next)) {
            i += 12; // a proper pair
            continue;
        }
        if high || low {
            out.push_str(&text[copied..i]);
            out.push_str("\\ufffd");
            changed = true;
            i += 6;
            copied = i;
            continue;
        }
        i += 6;
    }
    out.push_str(&text[copied..]);
    (out, changed)
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn hex_unit(bytes: &[u8], at: usize) -> Option<u32> {
    if bytes.get(at) != Some(&b'\\') || bytes.get(at + 1) != Some(&b'u') {
        return None;
    }
    let hex = std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?;
    u32::from_str_radix(hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_surrogates_are_replaced_and_pairs_and_escaped_text_kept() {
        let (out, changed) = replace_lone_surrogates(r#""a\ud800b \ud83d\ude00 \\ud800 \udc00""#);
        assert!(changed);
        assert_eq!(out, r#""a\ufffdb \ud83d\ude00 \\ud800 \ufffd""#);
        let (same, changed) = replace_lone_surrogates(r#""caf\u00e9 \n""#);
        assert!(!changed);
        assert_eq!(same, r#""caf\u00e9 \n""#);
    }

    #[test]
    fn a_page_with_a_lone_surrogate_is_read_with_the_event_marked() {
        let body = br#"{"events":[
            {"logStreamName":"s","timestamp":1,"message":"ok","ingestionTime":2,"eventId":"1"},
            {"logStreamName":"s","timestamp":3,"message":"bad \ud800 text","ingestionTime":4,"eventId":"2"}
        ],"nextToken":"t","searchedLogStreams":[]}"#;
        let page = decode_page("/g", body).unwrap();
        assert_eq!(page.events.len(), 2);
        assert_eq!(page.events[0].message, "ok");
        assert_eq!(
            page.events[1].message,
            format!("bad \u{FFFD} text{UNDECODABLE_MARK}")
        );
        assert_eq!(page.next_token.as_deref(), Some("t"));
        assert!(decode_page("/g", b"<html>").is_none());
    }

    #[test]
    fn bytes_that_are_not_utf8_and_fields_of_odd_types_are_read() {
        let mut body = br#"{"events":[{"logStreamName":"s","timestamp":"5","message":"x "#.to_vec();
        body.extend_from_slice(b"\xff\xfe");
        body.extend_from_slice(
            br#" y","ingestionTime":6.0},{"timestamp":7,"message":{"k":1}},3],"nextToken":""}"#,
        );
        let page = decode_page("/g", &body).unwrap();
        assert_eq!(page.events.len(), 2);
        assert_eq!(page.events[0].timestamp_ms, 5);
        assert_eq!(page.events[0].ingestion_time_ms, 6);
        assert_eq!(
            page.events[0].message,
            format!("x \u{FFFD}\u{FFFD} y{UNDECODABLE_MARK}")
        );
        assert_eq!(page.events[1].message, r#"{"k":1}"#);
        assert_eq!(page.next_token, None);
        assert!(decode_page("/g", br#"{"events":[{"timestamp":1,"mess"#).is_none());
    }
}
