//! Turning an untrusted `LogEvent` into display rows: sanitised text, one row per line, a
//! short tag per function, a level where one can be recognised, JSON objects in compact
//! form, and the facts the invocation index needs (request id, platform line numbers).

use std::sync::Arc;

use unstuck_aws::model::LogEvent;
use unstuck_aws::untrusted_text::{sanitize_line, sanitize_lines};
use unstuck_views::logs::log_row::{CompactJson, Level, LogRow, RowKind};

use crate::state::shared::json_compact::compact_json;
pub use crate::state::shared::log_level::{TIMED_OUT, level_of, plain_level};

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

/// The start all the groups' tags share, cut after a `-`, `_` or `.` ("tax-" of
/// tax-validate-submission and tax-notify-taxpayer); empty for fewer than two groups.
pub fn common_tag_prefix(groups: &[String]) -> String {
    let tags: Vec<String> = groups.iter().map(|g| tag_for_group(g)).collect();
    let Some((first, rest)) = tags.split_first() else {
        return String::new();
    };
    if rest.is_empty() {
        return String::new();
    }
    let mut len = first.len();
    for tag in rest {
        len = first
            .char_indices()
            .zip(tag.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    let shared = &first[..len];
    match shared.rfind(['-', '_', '.']) {
        Some(cut) if tags.iter().all(|t| t.len() > cut + 1) => shared[..=cut].to_string(),
        _ => String::new(),
    }
}

/// Which Lambda platform line an event is.
#[derive(Debug, Clone, PartialEq)]
pub enum PlatformLine {
    Start,
    End,
    Report(ReportNumbers),
    /// INIT_START, INIT_REPORT, EXTENSION, TELEMETRY: outside any invocation.
    Other,
}

/// The numbers of a `REPORT RequestId: …` line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportNumbers {
    pub duration_ms: Option<f64>,
    pub billed_ms: Option<f64>,
    pub memory_size_mb: Option<u32>,
    pub max_memory_used_mb: Option<u32>,
    pub init_duration_ms: Option<f64>,
    /// `Status: timeout` (newer runtimes say so in REPORT).
    pub timed_out: bool,
}

impl ReportNumbers {
    /// Parses the tab-separated `Key: value unit` fields of a REPORT line.
    pub fn parse(line: &str) -> Self {
        let mut numbers = ReportNumbers::default();
        for field in line.split('\t') {
            let Some((key, value)) = field.trim().split_once(": ") else {
                continue;
            };
            let number = value.split_whitespace().next().unwrap_or("");
            match key {
                "Duration" => numbers.duration_ms = number.parse().ok(),
                "Billed Duration" => numbers.billed_ms = number.parse().ok(),
                "Memory Size" => numbers.memory_size_mb = number.parse().ok(),
                "Max Memory Used" => numbers.max_memory_used_mb = number.parse().ok(),
                "Init Duration" => numbers.init_duration_ms = number.parse().ok(),
                "Status" => numbers.timed_out = value.trim() == "timeout",
                _ => {}
            }
        }
        numbers
    }
}

/// What ingest learnt about one event besides its rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventFacts {
    pub platform: Option<PlatformLine>,
    /// The request id written in the line itself (sanitised), if any.
    pub request_id: Option<String>,
    pub cold_start: bool,
    pub timed_out: bool,
}

fn platform_line(message: &str) -> Option<PlatformLine> {
    if !PLATFORM_PREFIXES.iter().any(|p| message.starts_with(p)) {
        return None;
    }
    Some(if message.starts_with("START ") {
        PlatformLine::Start
    } else if message.starts_with("END ") {
        PlatformLine::End
    } else if message.starts_with("REPORT ") {
        PlatformLine::Report(ReportNumbers::parse(message))
    } else {
        PlatformLine::Other
    })
}

/// `8-4-4-4-12` hex digits, as Lambda request ids are.
fn is_uuid(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// The request id of a plain line: after `RequestId: ` on platform lines, else a UUID among
/// the first few words (Python `[LEVEL]\tts\tid\t…`, Node `ts\tid\tLEVEL\t…`, Java log4j
/// `date time id LEVEL …`, `ts id Task timed out …`).
fn plain_request_id(message: &str) -> Option<String> {
    if let Some((_, rest)) = message.split_once("RequestId: ") {
        let id = rest.split_whitespace().next().filter(|id| !id.is_empty())?;
        return Some(sanitize_line(id).into_owned());
    }
    let first_line = message.lines().next().unwrap_or("");
    first_line
        .split(['\t', ' '])
        .filter(|w| !w.is_empty())
        .take(5)
        .find(|w| is_uuid(w))
        .map(str::to_string)
}

/// The rows of one event, with sequence numbers from `next_seq` on, and its facts.
pub fn rows_for_event(
    event: &LogEvent,
    group: &Arc<str>,
    tag: &Arc<str>,
    stream: &Arc<str>,
    next_seq: &mut u64,
) -> (Vec<LogRow>, EventFacts) {
    let message = event.message.as_str();
    let mut row = |kind: RowKind, level: Option<Level>, text: String| {
        let seq = *next_seq;
        *next_seq += 1;
        LogRow {
            timestamp_ms: event.timestamp_ms,
            seq,
            group: Arc::clone(group),
            tag: Arc::clone(tag),
            stream: Arc::clone(stream),
            level,
            kind,
            text,
            request_id: None,
            json: None,
        }
    };
    if message.trim_start().starts_with('{')
        && let Some(line) = compact_json(message.trim(), tag)
    {
        let mut only = row(RowKind::App, line.level, line.text);
        only.json = Some(Box::new(CompactJson {
            level_end: line.level_end,
            message_start: line.message_start,
            fields_start: line.fields_start,
            raw: sanitize_lines(message).join("\n"),
        }));
        let facts = EventFacts {
            platform: None,
            request_id: line.request_id,
            cold_start: line.cold_start,
            timed_out: false,
        };
        return (vec![only], facts);
    }
    let platform = platform_line(message);
    let level = if platform.is_some() {
        None
    } else {
        plain_level(message)
    };
    let facts = EventFacts {
        request_id: plain_request_id(message),
        cold_start: false,
        timed_out: platform.is_none() && message.contains(TIMED_OUT),
        platform,
    };
    let is_platform = facts.platform.is_some();
    let rows = sanitize_lines(message)
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let kind = match (i, is_platform) {
                (0, true) => RowKind::Platform,
                (0, false) => RowKind::App,
                _ => RowKind::Continuation,
            };
            row(kind, level, text)
        })
        .collect();
    (rows, facts)
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

    fn parse(message: &str) -> (Vec<LogRow>, EventFacts) {
        let group: Arc<str> = Arc::from("/aws/lambda/tax-validate");
        let tag: Arc<str> = Arc::from("tax-validate");
        let mut seq = 10;
        rows_for_event(&event(message), &group, &tag, &Arc::from("s"), &mut seq)
    }

    const ID: &str = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

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
        let (rows, facts) = parse(&format!(
            "[ERROR]\t2026-11-20T02:47:00.000Z\t{ID}\tKeyError: 'ssn'\nTraceback (most recent call last):\n  File \"h.py\""
        ));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].kind, RowKind::App);
        assert_eq!(rows[1].kind, RowKind::Continuation);
        assert!(rows.iter().all(|r| r.level == Some(Level::Error)));
        assert_eq!(rows[2].seq, 12);
        assert_eq!(facts.request_id.as_deref(), Some(ID));
    }

    #[test]
    fn platform_lines_give_request_ids_and_report_numbers() {
        let (rows, facts) = parse(&format!(
            "REPORT RequestId: {ID}\tDuration: 412.30 ms\tBilled Duration: 725 ms\tMemory Size: 512 MB\tMax Memory Used: 87 MB\tInit Duration: 312.45 ms"
        ));
        assert_eq!(rows[0].kind, RowKind::Platform);
        assert_eq!(rows[0].level, None);
        assert_eq!(facts.request_id.as_deref(), Some(ID));
        assert_eq!(
            facts.platform,
            Some(PlatformLine::Report(ReportNumbers {
                duration_ms: Some(412.3),
                billed_ms: Some(725.0),
                memory_size_mb: Some(512),
                max_memory_used_mb: Some(87),
                init_duration_ms: Some(312.45),
                timed_out: false,
            }))
        );
        let (_, start) = parse(&format!("START RequestId: {ID} Version: $LATEST"));
        assert_eq!(start.platform, Some(PlatformLine::Start));
        let (_, node) = parse(&format!("2026-11-20T02:47:00.000Z\t{ID}\tINFO\tok"));
        assert_eq!(node.request_id.as_deref(), Some(ID));
        let (_, java) = parse(&format!("2026-11-20 02:47:00.123 {ID} INFO  Calc - ok"));
        assert_eq!(java.request_id.as_deref(), Some(ID));
        let (timeout_rows, timeout) = parse(&format!(
            "2026-11-20T02:47:06.010Z {ID} Task timed out after 6.01 seconds"
        ));
        assert!(timeout.timed_out);
        assert_eq!(timeout_rows[0].level, Some(Level::Error));
        let (_, init) = parse("INIT_START Runtime Version: python:3.12.v40");
        assert_eq!(init.platform, Some(PlatformLine::Other));
        assert_eq!(init.request_id, None);
    }

    #[test]
    fn json_objects_become_one_compact_row_keeping_the_raw_text() {
        let (rows, facts) = parse(&format!(
            "{{\"level\":\"WARNING\",\"message\":\"retrying\",\"cold_start\":true,\"function_request_id\":\"{ID}\"}}\n"
        ));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].text, "WARN ❄ retrying  req=6f1c2a3b");
        assert_eq!(rows[0].level, Some(Level::Warn));
        assert!(rows[0].json.as_ref().unwrap().raw.starts_with("{\"level\""));
        assert_eq!(facts.request_id.as_deref(), Some(ID));
        assert!(facts.cold_start);
        // Pretty-printed JSON over several lines is still one row.
        let (rows, _) = parse("{\n  \"level\": \"INFO\",\n  \"message\": \"multi\"\n}");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].text, "INFO multi");
    }

    #[test]
    fn escapes_are_neutralised() {
        let (rows, _) = parse("x\u{1b}]52;c;aGk=\u{7}\u{1b}[2J");
        assert_eq!(rows[0].text, "x␛]52;c;aGk=␇␛[2J");
    }
}
