//! The detail view of a log line (with the rest of its event) or of one invocation.

use std::collections::VecDeque;

use unstuck_views::logs::invocation_row::{InvocationOutcome, InvocationRow};
use unstuck_views::logs::invocations_view::{format_ms, summary_numbers};
use unstuck_views::logs::log_row::{Level, LogRow, RowKind};
use unstuck_views::props::{DetailLine, DetailStyle};
use unstuck_views::zone::Zone;

use crate::state::shared::detail::{Detail, labelled};
use crate::state::shared::json_value::JsonValue;
use crate::state::shared::json_view::JsonTree;

/// Lines of one invocation listed in its detail view.
const MAX_INVOCATION_LINES: usize = 5_000;

fn level_style(level: Option<Level>) -> DetailStyle {
    if level >= Some(Level::Error) {
        DetailStyle::Error
    } else {
        DetailStyle::Text
    }
}

/// The rows of the event `index` belongs to (a stack trace is one event of many lines).
pub fn event_rows(rows: &VecDeque<LogRow>, index: usize) -> std::ops::Range<usize> {
    let same_event = |a: &LogRow, b: &LogRow| {
        b.kind == RowKind::Continuation && b.seq == a.seq + 1 && b.stream == a.stream
    };
    let mut start = index;
    while start > 0 && same_event(&rows[start - 1], &rows[start]) {
        start -= 1;
    }
    let mut end = index + 1;
    while end < rows.len() && same_event(&rows[end - 1], &rows[end]) {
        end += 1;
    }
    start..end
}

/// The line at `rows[index]` (with the rest of its event).
pub fn detail_for_row(rows: &VecDeque<LogRow>, index: usize, zone: Zone) -> Option<Detail> {
    let row = rows.get(index)?;
    let range = event_rows(rows, index);
    let first = &rows[range.start];
    let mut header = vec![
        labelled("time", zone.full(first.timestamp_ms), DetailStyle::Text),
        labelled("group", first.group.to_string(), DetailStyle::Text),
        labelled("stream", first.stream.to_string(), DetailStyle::Text),
    ];
    if let Some(level) = first.level {
        header.push(labelled("level", level.label(), level_style(Some(level))));
    }
    if let Some(id) = &first.request_id {
        header.push(labelled("request", id.to_string(), DetailStyle::Text));
    }
    header.push(DetailLine::new(0, Vec::new()));
    let json = row
        .json
        .as_deref()
        .and_then(|j| JsonValue::parse(&j.raw))
        .map(JsonTree::new);
    let style = level_style(first.level);
    let body = range
        .map(|i| DetailLine::new(0, vec![(style, rows[i].text.clone())]))
        .collect();
    let title = if json.is_some() {
        "JSON line"
    } else {
        "log line"
    };
    Some(Detail::build(title.to_string(), header, json, body))
}

/// One invocation: its numbers, then every line held for its request id.
pub fn detail_for_invocation(item: &InvocationRow, rows: &VecDeque<LogRow>, zone: Zone) -> Detail {
    let outcome = match item.outcome() {
        InvocationOutcome::Running => "running (no REPORT yet)",
        InvocationOutcome::Succeeded => "succeeded",
        InvocationOutcome::Failed => "failed (logged an error)",
        InvocationOutcome::TimedOut => "timed out",
    };
    let mut header = vec![
        labelled("request", item.request_id.to_string(), DetailStyle::Text),
        labelled("group", item.group.to_string(), DetailStyle::Text),
        labelled("start", zone.full(item.start_ms), DetailStyle::Text),
        labelled(
            "outcome",
            outcome,
            if item.outcome() == InvocationOutcome::Succeeded {
                DetailStyle::Text
            } else {
                DetailStyle::Error
            },
        ),
        labelled(
            "numbers",
            summary_numbers(item).trim().to_string(),
            DetailStyle::Text,
        ),
    ];
    if item.cold_start {
        let init = item.init_duration_ms.map(format_ms).unwrap_or_default();
        header.push(labelled(
            "cold",
            format!("❄ cold start {init}"),
            DetailStyle::Fold,
        ));
    }
    header.push(DetailLine::new(0, Vec::new()));
    let mut body: Vec<DetailLine> = rows
        .iter()
        .filter(|r| r.request_id.as_deref() == Some(&*item.request_id))
        .take(MAX_INVOCATION_LINES)
        .map(|r| {
            let time = if r.kind == RowKind::Continuation {
                " ".repeat(13)
            } else {
                format!("{} ", zone.row_time(r.timestamp_ms))
            };
            DetailLine::new(
                0,
                vec![
                    (DetailStyle::Dim, time),
                    (level_style(r.level), r.text.clone()),
                ],
            )
        })
        .collect();
    if body.is_empty() {
        body.push(DetailLine::new(
            0,
            vec![(
                DetailStyle::Dim,
                "(its lines are no longer in the buffer)".to_string(),
            )],
        ));
    }
    let short: String = item.request_id.chars().take(8).collect();
    Detail::build(format!("invocation {short}"), header, None, body)
}
