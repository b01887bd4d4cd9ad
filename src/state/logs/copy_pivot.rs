//! Copy and pivot on the selected line: `:copy line|json|id` (key `y` opens it) hands the
//! runtime the text to put on the clipboard, and `:request` (key `r`) shows every line of the
//! selected line's request across all groups: its Lambda request id, and the Powertools
//! `xray_trace_id` / `correlation_id` when the line carries them.

use regex::Regex;
use unstuck_views::logs::log_row::LogRow;
use unstuck_views::logs::props::MatchMode;

use super::LogsPane;
use crate::state::shared::json_value::{JsonValue, pretty_json};
use crate::state::shared::msg::Effect;
use crate::state::shared::pane_ctx::PaneCtx;

/// What `:copy` copies of the selected line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    /// The whole event as shown (every line of it).
    Line,
    /// Its JSON, pretty-printed.
    Json,
    /// Its request id.
    RequestId,
}

impl CopyWhat {
    pub const WORDS: [&'static str; 3] = ["line", "json", "id"];

    pub fn parse(word: &str) -> Result<Self, String> {
        match word.trim().to_ascii_lowercase().as_str() {
            "" | "line" => Ok(CopyWhat::Line),
            "json" => Ok(CopyWhat::Json),
            "id" | "request" | "request-id" => Ok(CopyWhat::RequestId),
            other => Err(format!("cannot copy \"{other}\": line, json or id")),
        }
    }

    fn label(self) -> &'static str {
        match self {
            CopyWhat::Line => "the line",
            CopyWhat::Json => "the JSON",
            CopyWhat::RequestId => "the request id",
        }
    }
}

/// Text for the clipboard (already sanitised: it comes from the rows) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clip {
    pub what: String,
    pub text: String,
}

/// The JSON fields that tie lines of other functions to the same request.
const CORRELATION_FIELDS: [&str; 3] = ["xray_trace_id", "correlation_id", "correlationId"];

impl LogsPane {
    /// The rows of the selected event (its first row and its continuation lines).
    fn selected_event(&self) -> Option<std::ops::Range<usize>> {
        let position = self.cursor_position()?;
        let index = if self.by_invocation {
            let item = self.shown_invocation(position)?;
            self.rows
                .iter()
                .position(|r| r.request_id.as_deref() == Some(&*item.request_id))?
        } else {
            self.shown_row_index(position)?
        };
        Some(super::line_detail::event_rows(&self.rows, index))
    }

    pub fn copy(&mut self, what: CopyWhat, ctx: &mut PaneCtx<'_>) -> Vec<Effect> {
        let Some(range) = self.selected_event() else {
            ctx.warn("select a line first (↑ pauses on the newest)");
            return Vec::new();
        };
        let first = &self.rows[range.start];
        let text = match what {
            CopyWhat::Line => Some(
                range
                    .clone()
                    .map(|i| self.rows[i].text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            CopyWhat::Json => first.json.as_deref().map(|j| pretty_json(&j.raw)),
            CopyWhat::RequestId => first.request_id.as_deref().map(str::to_string),
        };
        match text {
            Some(text) => vec![Effect::Copy(Clip {
                what: what.label().to_string(),
                text,
            })],
            None => {
                ctx.warn(format!("this line has no {}", &what.label()[4..]));
                Vec::new()
            }
        }
    }

    /// The title's note on a stream filter: "streams 2026/11/20/*", "3 streams".
    pub fn stream_note(&self) -> Option<String> {
        match (&self.stream_prefix, self.stream_names.as_slice()) {
            (Some(prefix), _) => Some(format!("streams {prefix}*")),
            (None, []) => None,
            (None, [one]) => Some(format!("stream {one}")),
            (None, names) => Some(format!("{} streams", names.len())),
        }
    }

    /// Show only the lines of the selected line's request (and trace), across all groups;
    /// `:nofilter` (or ctrl-l) goes back.
    pub fn pivot_to_request(&mut self, ctx: &mut PaneCtx<'_>) {
        let Some(range) = self.selected_event() else {
            ctx.warn("select a line first (↑ pauses on the newest)");
            return;
        };
        let first = &self.rows[range.start];
        let mut ids: Vec<String> = first
            .request_id
            .as_deref()
            .map(str::to_string)
            .into_iter()
            .collect();
        ids.extend(correlation_ids(first));
        if ids.is_empty() {
            ctx.warn("this line carries no request id, trace id or correlation id");
            return;
        }
        let pattern = ids
            .iter()
            .map(|id| regex::escape(id))
            .collect::<Vec<_>>()
            .join("|");
        let Ok(re) = Regex::new(&pattern) else {
            return;
        };
        let shown = ids.join(" or ");
        self.set_match_mode(MatchMode::Hide);
        self.set_filter(Some((shown.clone(), re)));
        let lines = self.shown_len();
        ctx.info(format!(
            "{lines} line{} of {shown} across {} group{} (ctrl-l shows all)",
            if lines == 1 { "" } else { "s" },
            self.groups.len(),
            if self.groups.len() == 1 { "" } else { "s" }
        ));
    }
}

/// `xray_trace_id` / `correlation_id` values of a JSON line.
fn correlation_ids(row: &LogRow) -> Vec<String> {
    let Some(json) = row.json.as_deref().and_then(|j| JsonValue::parse(&j.raw)) else {
        return Vec::new();
    };
    CORRELATION_FIELDS
        .iter()
        .filter_map(|field| json.get(field)?.as_str())
        .filter(|id| id.len() >= 8)
        .map(str::to_string)
        .collect()
}
