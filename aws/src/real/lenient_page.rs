//! A FilterLogEvents page the SDK could not decode. CloudWatch (and moto) escape a message's
//! text as JSON `\uXXXX`; a message holding a lone UTF-16 surrogate (`\ud800` with no pair,
//! as some producers write) is valid JSON text but no valid string, and the SDK rejects the
//! whole page. Asked again it fails again, so one such event would hide its group for good.
//!
//! Here the page is read again from the raw body: each lone surrogate becomes U+FFFD, and the
//! event that held one says so at its end, so it is seen, not silently altered. Everything
//! else on the page comes through as the SDK would have given it.

use serde::Deserialize;

use crate::model::FilterPage;

/// What an event that held undecodable text says after its message.
pub const UNDECODABLE_MARK: &str = " [unstuck: undecodable text shown as \u{FFFD}]";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPage {
    #[serde(default)]
    events: Vec<RawEvent>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEvent {
    log_stream_name: Option<String>,
    timestamp: Option<i64>,
    message: Option<String>,
    ingestion_time: Option<i64>,
    event_id: Option<String>,
}

/// The page in `body`, with lone surrogates replaced; None when it is not a page even so.
pub fn decode_page(group: &str, body: &[u8]) -> Option<FilterPage> {
    let text = std::str::from_utf8(body).ok()?;
    let (repaired, changed) = replace_lone_surrogates(text);
    let page: RawPage = serde_json::from_str(&repaired).ok()?;
    let events = page
        .events
        .into_iter()
        .map(|e| {
            let mut message = e.message.unwrap_or_default();
            if changed && message.contains('\u{FFFD}') {
                message.push_str(UNDECODABLE_MARK);
            }
            super::convert::event_from_parts(
                group,
                e.log_stream_name.as_deref(),
                e.timestamp,
                e.ingestion_time,
                message,
                e.event_id.as_deref(),
            )
        })
        .collect();
    Some(FilterPage {
        events,
        next_token: page.next_token.filter(|t| !t.is_empty()),
    })
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
}
