//! Palette commands of the logs pane, declared as data: `:time`, `:since`, `:pattern`/`:nopattern`,
//! `:export`, `:level`, `:highlight`, `:filter`/`:nofilter`, `:follow`/`:pause`. The one
//! palette parser finds them; [`parse`] reads their argument.

use crate::state::shared::durations::parse_duration_ms;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use unstuck_views::logs::log_row::Level;
use unstuck_views::zone::Zone;

use crate::commands::default_file_name;
use crate::state::shell::palette::CommandSpec;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogsCommand {
    /// Jump to this time (epoch ms).
    Time(i64),
    Pattern(String),
    NoPattern,
    Export {
        path: Option<String>,
        overwrite: bool,
    },
    Level(Option<Level>),
    Highlight(String),
    Filter(String),
    NoFilter,
    Follow,
    Pause,
    /// Tail again from this long ago (ms).
    Since(i64),
    Copy(super::CopyWhat),
    /// Only these streams, or (a name ending in `*`) those starting with a prefix.
    Streams {
        names: Vec<String>,
        prefix: Option<String>,
    },
    /// Every line of the selected line's request, across groups.
    Request,
}

/// The logs pane's `:` commands.
pub const LOGS_COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("time", "jump to a time: 02:45, 2026-11-20T02:45:00Z, -5m")
        .aliases(&["t", "goto"])
        .required("TIME", "a time: 02:45, 2026-11-20T02:45:00Z or -5m"),
    CommandSpec::new(
        "since",
        "tail again from a time: 30m, 2h, 02:45, 2026-11-20 02:45",
    )
    .required(
        "TIME",
        "how far back: 30m, 2h, 1d, 02:45 or 2026-11-20 02:45",
    ),
    CommandSpec::new("pattern", "CloudWatch filter pattern, applied by AWS").required(
        "PATTERN",
        "a CloudWatch filter pattern, e.g. ERROR or { $.level = \"ERROR\" }",
    ),
    CommandSpec::new("nopattern", "tail without a CloudWatch filter pattern"),
    CommandSpec::new("export", "write the shown lines to a .jsonl or .txt file")
        .optional("[PATH]", "a file path"),
    CommandSpec::new("export!", "export, replacing an existing file")
        .optional("[PATH]", "a file path"),
    CommandSpec::new(
        "level",
        "hide lines below a level: all, debug, info, warn, error",
    )
    .optional("[LEVEL]", "a level"),
    CommandSpec::new("highlight", "highlight a regex without hiding lines")
        .aliases(&["hl"])
        .required("REGEX", "a regex"),
    CommandSpec::new("filter", "show only log lines matching a regex").required("REGEX", "a regex"),
    CommandSpec::new("nofilter", "clear the log filter"),
    CommandSpec::new("stream", "tail only some streams: NAME [NAME…], or PREFIX*")
        .aliases(&["streams"])
        .required("NAME…|PREFIX*", "stream names, or a prefix ending in *"),
    CommandSpec::new("nostream", "tail every stream of the groups"),
    CommandSpec::new("copy", "copy the selected line, its JSON or its request id")
        .aliases(&["y", "yank"])
        .optional("[line|json|id]", "what to copy"),
    CommandSpec::new(
        "request",
        "every line of the selected line's request (and trace) across groups",
    )
    .aliases(&["req", "pivot"]),
    CommandSpec::new("follow", "follow new log lines"),
    CommandSpec::new("pause", "stop following"),
];

const LEVEL_WORDS: [&str; 5] = ["all", "debug", "info", "warn", "error"];

/// Read one of [`LOGS_COMMANDS`] (already checked for a required argument).
pub fn parse(name: &str, arg: &str, now_ms: i64, zone: Zone) -> Result<LogsCommand, String> {
    Ok(match name {
        "time" => LogsCommand::Time(parse_time_in(arg, now_ms, zone)?),
        "since" => LogsCommand::Since(parse_since_in(arg, now_ms, zone)?),
        "pattern" => LogsCommand::Pattern(arg.to_string()),
        "nopattern" => LogsCommand::NoPattern,
        "export" | "export!" => LogsCommand::Export {
            path: (!arg.is_empty()).then(|| arg.to_string()),
            overwrite: name == "export!",
        },
        "level" => match arg.to_ascii_lowercase().as_str() {
            "all" | "" => LogsCommand::Level(None),
            word => LogsCommand::Level(Some(Level::parse(word).ok_or_else(|| {
                format!("unknown level \"{arg}\": all, debug, info, warn or error")
            })?)),
        },
        "highlight" => LogsCommand::Highlight(arg.to_string()),
        "filter" => LogsCommand::Filter(arg.to_string()),
        "nofilter" => LogsCommand::NoFilter,
        "copy" => LogsCommand::Copy(super::CopyWhat::parse(arg)?),
        "stream" => parse_streams(arg)?,
        "nostream" => LogsCommand::Streams {
            names: Vec::new(),
            prefix: None,
        },
        "request" => LogsCommand::Request,
        "follow" => LogsCommand::Follow,
        "pause" => LogsCommand::Pause,
        other => return Err(format!("not a logs command: {other}")),
    })
}

/// `a b,c` (names) or `prefix*` (one prefix; AWS takes names or a prefix, not both).
fn parse_streams(arg: &str) -> Result<LogsCommand, String> {
    let words: Vec<&str> = arg.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [one] if one.ends_with('*') => Ok(LogsCommand::Streams {
            names: Vec::new(),
            prefix: Some(one.trim_end_matches('*').to_string()),
        }),
        _ if words.iter().any(|w| w.contains('*')) => {
            Err("give stream names, or one prefix ending in * (not both)".to_string())
        }
        [] => Err("give stream names, or a prefix ending in *".to_string()),
        _ if words.len() > 100 => Err("at most 100 stream names (AWS's limit)".to_string()),
        _ => Ok(LogsCommand::Streams {
            names: words.iter().map(|w| w.to_string()).collect(),
            prefix: None,
        }),
    }
}

/// Completion values for a command's argument.
pub fn argument_values(name: &str, now_ms: i64) -> Vec<String> {
    match name {
        "level" => LEVEL_WORDS.iter().map(|w| w.to_string()).collect(),
        "copy" => super::CopyWhat::WORDS
            .iter()
            .map(|w| w.to_string())
            .collect(),
        "export" | "export!" => {
            let json = default_file_name(now_ms);
            let text = json.replace(".jsonl", ".txt");
            vec![json, text]
        }
        _ => Vec::new(),
    }
}

/// How far back from `now_ms` a start time as typed is: "10m", "90s", "2h", "1d", or any
/// form `parse_time` takes.
pub fn parse_since(text: &str, now_ms: i64) -> Result<i64, String> {
    parse_since_in(text, now_ms, Zone::UTC)
}

/// `parse_since`, with times without a zone read in `zone`.
pub fn parse_since_in(text: &str, now_ms: i64, zone: Zone) -> Result<i64, String> {
    let text = text.trim();
    if let Some(relative) = parse_duration_ms(text) {
        return relative.map_err(|e| format!("bad time {text:?}: {e}"));
    }
    // Every absolute form the TUI's `:time` takes: 02:46 (today, or yesterday if still to
    // come), 2026-11-20 02:46, RFC 3339, -5m.
    parse_time_in(text, now_ms, zone)
        .map(|at| now_ms.saturating_sub(at).max(0))
        .map_err(|_| {
            format!(
                "bad time {text:?}: use e.g. 30s, 10m, 2h, 1d, 02:46, 2026-11-20 02:46 or an \
                 RFC 3339 time"
            )
        })
}

/// A time as typed, in epoch ms (UTC, like the pane): `02:45[:SS[.mmm]]` (today, or
/// yesterday if that is still to come), `2026-11-20T02:45:00Z` (any RFC 3339),
/// `2026-11-20 02:45[:SS]`, `2026-11-20`, `-5m` / `90s` / `1h30m` (ago), or epoch ms/s.
pub fn parse_time(text: &str, now_ms: i64) -> Result<i64, String> {
    parse_time_in(text, now_ms, Zone::UTC)
}

/// `parse_time`, with times without a zone (`02:45`, `2026-11-20 02:45`) read in `zone`.
pub fn parse_time_in(text: &str, now_ms: i64, zone: Zone) -> Result<i64, String> {
    let text = text.trim();
    let offset = zone.offset_ms();
    let bad =
        || format!("cannot read \"{text}\" as a time: try 02:45, 2026-11-20T02:45:00Z or -5m");
    if text == "now" {
        return Ok(now_ms);
    }
    if let Some(ago) = parse_ago(text) {
        return Ok(now_ms - ago);
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().map_err(|_| bad())?;
        return Ok(if text.len() <= 10 { n * 1000 } else { n });
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        let trimmed = text.trim_end_matches('Z');
        if let Ok(t) = NaiveDateTime::parse_from_str(trimmed, format) {
            // A trailing Z says UTC whatever the zone shown.
            let offset = if text.ends_with('Z') { 0 } else { offset };
            return Ok(t.and_utc().timestamp_millis() - offset);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date.and_time(NaiveTime::MIN).and_utc().timestamp_millis() - offset);
    }
    for format in ["%H:%M:%S%.f", "%H:%M"] {
        if let Ok(time) = NaiveTime::parse_from_str(text, format) {
            let today = DateTime::<Utc>::from_timestamp_millis(now_ms + offset)
                .map(|t| t.date_naive())
                .ok_or_else(bad)?;
            let mut at = today.and_time(time).and_utc().timestamp_millis() - offset;
            if at > now_ms {
                at -= Duration::days(1).num_milliseconds();
            }
            return Ok(at);
        }
    }
    Err(bad())
}

/// `-5m`, `5m`, `1h30m`, `90s`, `2d` → milliseconds ago.
fn parse_ago(text: &str) -> Option<i64> {
    let body = text.strip_prefix('-').unwrap_or(text).trim();
    let body = body.strip_suffix(" ago").unwrap_or(body);
    if body.is_empty() || !body.ends_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    for c in body.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = std::mem::take(&mut number).parse().ok()?;
        let unit = match c {
            's' => 1_000,
            'm' => 60_000,
            'h' => 3_600_000,
            'd' => 86_400_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    number.is_empty().then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_142_820_000; // 2026-11-20T02:47:00Z

    #[test]
    fn times_in_every_accepted_form() {
        let at_0245 = NOW - 2 * 60_000;
        assert_eq!(parse_time("02:45", NOW), Ok(at_0245));
        assert_eq!(parse_time("02:45:00", NOW), Ok(at_0245));
        assert_eq!(parse_time("02:45:00.500", NOW), Ok(at_0245 + 500));
        assert_eq!(parse_time("2026-11-20T02:45:00Z", NOW), Ok(at_0245));
        assert_eq!(parse_time("2026-11-20T03:45:00+01:00", NOW), Ok(at_0245));
        assert_eq!(parse_time("2026-11-20 02:45", NOW), Ok(at_0245));
        assert_eq!(parse_time("-5m", NOW), Ok(NOW - 300_000));
        assert_eq!(parse_time("1h30m", NOW), Ok(NOW - 5_400_000));
        assert_eq!(parse_time("90s ago", NOW), Ok(NOW - 90_000));
        assert_eq!(parse_time("1795142700", NOW), Ok(at_0245));
        // A clock time still to come today means yesterday.
        assert_eq!(parse_time("23:00", NOW), Ok(NOW - 227 * 60_000));
        assert!(parse_time("soon", NOW).unwrap_err().contains("try 02:45"));
        assert!(parse_time("25:99", NOW).is_err());
    }

    /// A line through the one palette parser, then the logs pane's reading of it.
    fn run(line: &str) -> Result<LogsCommand, String> {
        let parsed = crate::state::shell::palette::parse(line, &[LOGS_COMMANDS])
            .map_err(|e| e.to_string())?;
        parse(parsed.spec.name, parsed.arg, NOW, Zone::UTC)
    }

    fn completions(text: &str) -> Vec<String> {
        crate::state::shell::palette::completions(text, &[LOGS_COMMANDS], |_, spec| {
            argument_values(spec.name, NOW)
        })
        .into_iter()
        .map(|c| c.text)
        .collect()
    }

    #[test]
    fn commands_and_completion() {
        assert_eq!(run("time -5m"), Ok(LogsCommand::Time(NOW - 300_000)));
        assert_eq!(run("t -5m"), Ok(LogsCommand::Time(NOW - 300_000)));
        assert_eq!(
            run("pattern { $.level = \"ERROR\" }"),
            Ok(LogsCommand::Pattern("{ $.level = \"ERROR\" }".into()))
        );
        assert_eq!(
            run("export! out.txt"),
            Ok(LogsCommand::Export {
                path: Some("out.txt".into()),
                overwrite: true
            })
        );
        assert_eq!(run("level warn"), Ok(LogsCommand::Level(Some(Level::Warn))));
        assert_eq!(run("level all"), Ok(LogsCommand::Level(None)));
        assert!(run("level loud").unwrap_err().contains("unknown level"));
        assert_eq!(
            run("time"),
            Err("time needs a time: 02:45, 2026-11-20T02:45:00Z or -5m".into())
        );
        assert_eq!(
            run("nopattern now"),
            Err("nopattern takes no argument".into())
        );
        assert_eq!(completions("e"), ["export", "export!"]);
        assert_eq!(completions("level w"), ["level warn"]);
        assert_eq!(
            completions("export "),
            [
                "export unstuck-logs-20261120-024700.jsonl",
                "export unstuck-logs-20261120-024700.txt"
            ]
        );
    }
}
