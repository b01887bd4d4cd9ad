//! The detail overlay's state: the selected line in full (pretty JSON with folding, or every
//! line of a multi-line event, wrapped by the view), or one invocation with all its lines.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use unstuck_views::invocation_row::{InvocationOutcome, InvocationRow};
use unstuck_views::invocations_view::{format_ms, summary_numbers};
use unstuck_views::log_line::row_time;
use unstuck_views::log_row::{Level, LogRow, RowKind};
use unstuck_views::props::{DetailLine, DetailStyle};

use super::json_value::JsonValue;
use super::json_view::{JsonTree, NodePath};

/// Lines of one invocation listed in its detail view.
const MAX_INVOCATION_LINES: usize = 5_000;
const LABEL_WIDTH: usize = 9;

#[derive(Debug, Clone, PartialEq)]
pub struct LogDetail {
    pub title: String,
    header: Vec<DetailLine>,
    json: Option<JsonTree>,
    body: Vec<DetailLine>,
    /// Header, then the JSON tree or the body.
    pub lines: Vec<DetailLine>,
    /// The container each line opens, for folding.
    nodes: Vec<Option<NodePath>>,
    pub cursor: usize,
    pub scroll: usize,
}

fn full_time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S%.3f UTC").to_string())
        .unwrap_or_else(|| ms.to_string())
}

fn labelled(label: &str, value: impl Into<String>, style: DetailStyle) -> DetailLine {
    DetailLine::new(
        0,
        vec![
            (DetailStyle::Label, format!("{label:<LABEL_WIDTH$}")),
            (style, value.into()),
        ],
    )
}

fn level_style(level: Option<Level>) -> DetailStyle {
    if level >= Some(Level::Error) {
        DetailStyle::Error
    } else {
        DetailStyle::Text
    }
}

/// The rows of the event `index` belongs to (a stack trace is one event of many lines).
fn event_rows(rows: &VecDeque<LogRow>, index: usize) -> std::ops::Range<usize> {
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

impl LogDetail {
    /// The line at `rows[index]` (with the rest of its event).
    pub fn for_row(rows: &VecDeque<LogRow>, index: usize) -> Option<Self> {
        let row = rows.get(index)?;
        let range = event_rows(rows, index);
        let first = &rows[range.start];
        let mut header = vec![
            labelled("time", full_time(first.timestamp_ms), DetailStyle::Text),
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
        Some(Self::build(title.to_string(), header, json, body))
    }

    /// One invocation: its numbers, then every line held for its request id.
    pub fn for_invocation(item: &InvocationRow, rows: &VecDeque<LogRow>) -> Self {
        let outcome = match item.outcome() {
            InvocationOutcome::Running => "running (no REPORT yet)",
            InvocationOutcome::Succeeded => "succeeded",
            InvocationOutcome::Failed => "failed (logged an error)",
            InvocationOutcome::TimedOut => "timed out",
        };
        let mut header = vec![
            labelled("request", item.request_id.to_string(), DetailStyle::Text),
            labelled("group", item.group.to_string(), DetailStyle::Text),
            labelled("start", full_time(item.start_ms), DetailStyle::Text),
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
                    format!("{} ", row_time(r.timestamp_ms))
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
        Self::build(format!("invocation {short}"), header, None, body)
    }

    fn build(
        title: String,
        header: Vec<DetailLine>,
        json: Option<JsonTree>,
        body: Vec<DetailLine>,
    ) -> Self {
        let mut detail = Self {
            title,
            header,
            json,
            body,
            lines: Vec::new(),
            nodes: Vec::new(),
            cursor: 0,
            scroll: 0,
        };
        detail.rebuild();
        detail.cursor = detail
            .header
            .len()
            .min(detail.lines.len().saturating_sub(1));
        detail
    }

    fn rebuild(&mut self) {
        self.lines = self.header.clone();
        self.nodes = vec![None; self.header.len()];
        match &self.json {
            Some(tree) => {
                for (line, node) in tree.lines(0) {
                    self.lines.push(line);
                    self.nodes.push(node);
                }
            }
            None => {
                self.lines.extend(self.body.iter().cloned());
                self.nodes.resize(self.lines.len(), None);
            }
        }
        self.cursor = self.cursor.min(self.lines.len().saturating_sub(1));
    }

    pub fn is_json(&self) -> bool {
        self.json.is_some()
    }

    /// Fold or unfold the object/array opened on the cursor line. False when the cursor is
    /// not on one.
    pub fn toggle_fold(&mut self) -> bool {
        let Some(Some(path)) = self.nodes.get(self.cursor).cloned() else {
            return false;
        };
        if let Some(tree) = self.json.as_mut() {
            tree.toggle(&path);
        }
        self.rebuild();
        true
    }

    pub fn fold_nested(&mut self) {
        let on = self.nodes.get(self.cursor).cloned().flatten();
        if let Some(tree) = self.json.as_mut() {
            tree.fold_nested();
        }
        self.rebuild();
        self.cursor_to_node(on);
    }

    pub fn unfold_all(&mut self) {
        let on = self.nodes.get(self.cursor).cloned().flatten();
        if let Some(tree) = self.json.as_mut() {
            tree.unfold_all();
        }
        self.rebuild();
        self.cursor_to_node(on);
    }

    /// Keep the cursor on the container it was on (or its nearest still-shown parent).
    fn cursor_to_node(&mut self, node: Option<NodePath>) {
        let Some(mut path) = node else {
            return;
        };
        loop {
            if let Some(line) = self.nodes.iter().position(|n| n.as_ref() == Some(&path)) {
                self.cursor = line;
                return;
            }
            if path.pop().is_none() {
                return;
            }
        }
    }

    /// Move the cursor by `delta` lines and keep it within `page` rows of the scroll.
    pub fn move_cursor(&mut self, delta: isize, page: usize) {
        let last = self.lines.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.keep_visible(page);
    }

    pub fn keep_visible(&mut self, page: usize) {
        let page = page.max(1);
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + page {
            self.scroll = self.cursor + 1 - page;
        }
    }
}
