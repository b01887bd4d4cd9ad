//! Turning an untrusted `LogEvent` into display rows: sanitised text, one row per line,
//! a short tag per function, a level where one can be recognised.

use std::sync::Arc;

use unstuck_aws::model::LogEvent;
use unstuck_aws::untrusted_text::sanitize_lines;
use unstuck_views::log_row::{Level, LogRow, RowKind};

const PLATFORM_PREFIXES: [&str; 7] = [
    "START RequestId:",
    "END RequestId:",
    "REPORT RequestId:",
    "INIT_START ",
    "INIT_REPORT ",
    "EXTENSION\t",
    "TELEMETRY\t",
];

/// The short name shown in the tag column: the function name for `/aws/lambda/<fn>`, else
/// the last path segment of the group name.
pub fn tag_for_group(group: &str) -> String {
    if let Some(function) = group.strip_prefix("/aws/lambda/") {
        return function.to_string();
    }
    group
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(group)
        .to_string()
}

/// The level of a raw (unsanitised) message: a JSON `level`/`levelname`/`severity` field,
/// or one of the first few words (`[ERROR]`, `ERROR`, `WARN:` ...). Lambda platform
/// errors (`Task timed out`) count as errors.
pub fn level_of(message: &str) -> Option<Level> {
    let trimmed = message.trim_start();
    if trimmed.starts_with('{') {
        if let Ok(serde_json::Value::Object(map)) =
            serde_json::from_str::<serde_json::Value>(trimmed)
        {
            for key in ["level", "levelname", "severity", "log.level", "lvl"] {
                if let Some(level) = map.get(key).and_then(|v| v.as_str()).and_then(Level::parse) {
                    return Some(level);
                }
            }
        }
        return None;
    }
    if trimmed.contains("Task timed out after") {
        return Some(Level::Error);
    }
    trimmed
        .split(['\t', ' '])
        .filter(|w| !w.is_empty())
        .take(4)
        .find_map(|word| Level::parse(word.trim_matches(|c: char| !c.is_ascii_alphabetic())))
}

fn is_platform(message: &str) -> bool {
    PLATFORM_PREFIXES.iter().any(|p| message.starts_with(p))
}

/// The rows of one event, with sequence numbers from `next_seq` on.
pub fn rows_for_event(
    event: &LogEvent,
    group: &Arc<str>,
    tag: &Arc<str>,
    next_seq: &mut u64,
) -> Vec<LogRow> {
    let platform = is_platform(&event.message);
    let level = if platform {
        None
    } else {
        level_of(&event.message)
    };
    let stream: Arc<str> = Arc::from(event.stream.as_str());
    sanitize_lines(&event.message)
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let seq = *next_seq;
            *next_seq += 1;
            LogRow {
                timestamp_ms: event.timestamp_ms,
                seq,
                group: Arc::clone(group),
                tag: Arc::clone(tag),
                stream: Arc::clone(&stream),
                level,
                kind: match (i, platform) {
                    (0, true) => RowKind::Platform,
                    (0, false) => RowKind::App,
                    _ => RowKind::Continuation,
                },
                text,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(message: &str) -> LogEvent {
        LogEvent {
            timestamp_ms: 1_000,
            ingestion_time_ms: 1_500,
            group: "/aws/lambda/tax-validate".to_string(),
            stream: "s".to_string(),
            event_id: "1".to_string(),
            message: message.to_string(),
        }
    }

    #[test]
    fn tags_are_function_names_or_last_segment() {
        assert_eq!(tag_for_group("/aws/lambda/tax-validate"), "tax-validate");
        assert_eq!(tag_for_group("/ecs/orders/api"), "api");
        assert_eq!(tag_for_group("plain"), "plain");
    }

    #[test]
    fn levels_from_json_and_text() {
        assert_eq!(
            level_of(r#"{"level":"ERROR","message":"x"}"#),
            Some(Level::Error)
        );
        assert_eq!(level_of(r#"{"levelname":"warning"}"#), Some(Level::Warn));
        assert_eq!(
            level_of("[ERROR]\t2026-11-20T02:47:00Z\tabc\tboom"),
            Some(Level::Error)
        );
        assert_eq!(
            level_of("2026-11-20T02:47:00.000Z\tabc\tINFO\tok"),
            Some(Level::Info)
        );
        assert_eq!(
            level_of("Task timed out after 6.01 seconds"),
            Some(Level::Error)
        );
        assert_eq!(level_of("hello world"), None);
        assert_eq!(level_of("{not json"), None);
    }

    #[test]
    fn stack_trace_becomes_continuation_rows_with_the_level() {
        let group: Arc<str> = Arc::from("/aws/lambda/tax-validate");
        let tag: Arc<str> = Arc::from("tax-validate");
        let mut seq = 10;
        let rows = rows_for_event(
            &event("[ERROR] KeyError: 'ssn'\nTraceback (most recent call last):\n  File \"h.py\""),
            &group,
            &tag,
            &mut seq,
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(seq, 13);
        assert_eq!(rows[0].kind, RowKind::App);
        assert_eq!(rows[1].kind, RowKind::Continuation);
        assert!(rows.iter().all(|r| r.level == Some(Level::Error)));
        assert_eq!(rows[2].seq, 12);
    }

    #[test]
    fn platform_lines_and_escapes() {
        let group: Arc<str> = Arc::from("g");
        let mut seq = 0;
        let rows = rows_for_event(
            &event("REPORT RequestId: 1\tDuration: 2 ms"),
            &group,
            &group,
            &mut seq,
        );
        assert_eq!(rows[0].kind, RowKind::Platform);
        assert_eq!(rows[0].text, "REPORT RequestId: 1    Duration: 2 ms");
        let rows = rows_for_event(
            &event("x\u{1b}]52;c;aGk=\u{7}\u{1b}[2J"),
            &group,
            &group,
            &mut seq,
        );
        assert_eq!(rows[0].text, "x␛]52;c;aGk=␇␛[2J");
    }
}
