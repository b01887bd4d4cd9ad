//! What the logs pane hands to its views: borrowed, pre-computed, no behaviour.

use std::collections::VecDeque;

use super::invocation_row::InvocationRow;
use super::log_row::{Level, LogRow};
use crate::props::Loadable;

/// What a client-side regex does to the logs pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MatchMode {
    /// Only matching lines are shown.
    #[default]
    Hide,
    /// Every line is shown; matches are highlighted and `n`/`N` jump between them.
    Highlight,
}

/// The list the logs pane shows.
pub enum LogsBody<'a> {
    /// One row per log line.
    Lines {
        rows: &'a VecDeque<LogRow>,
        /// Rows shown (indices into `rows`), oldest first; `None` = all rows.
        visible: Option<&'a [usize]>,
    },
    /// One entry per Lambda invocation (START .. REPORT), with its error lines under it.
    Invocations {
        items: &'a VecDeque<InvocationRow>,
        /// Invocations shown (indices into `items`), oldest first; `None` = all.
        visible: Option<&'a [usize]>,
    },
}

impl LogsBody<'_> {
    /// Entries shown after filtering.
    pub fn shown_len(&self) -> usize {
        match self {
            LogsBody::Lines { rows, visible } => visible.map_or(rows.len(), <[usize]>::len),
            LogsBody::Invocations { items, visible } => visible.map_or(items.len(), <[usize]>::len),
        }
    }
}

pub struct LogsProps<'a> {
    pub body: LogsBody<'a>,
    /// Lines in the buffer (before any filter).
    pub total_lines: usize,
    /// Number of entries (after filtering) between the bottom of the view and the newest.
    pub scroll_from_bottom: usize,
    /// The selected entry, counted from the newest shown (drawn only when set).
    pub cursor_from_bottom: Option<usize>,
    pub follow: bool,
    pub filter: Option<&'a regex::Regex>,
    pub filter_text: Option<&'a str>,
    pub match_mode: MatchMode,
    /// Lines below this level are hidden (`None` = all levels).
    pub min_level: Option<Level>,
    /// The CloudWatch filter pattern the tail sends to AWS.
    pub pattern: Option<&'a str>,
    /// The pattern was just changed and AWS has not answered yet.
    pub pattern_pending: bool,
    pub groups: &'a [String],
    /// Width of the tag column: the longest tag of the tailed groups, so the column does not
    /// jump as rows scroll by (0 = measure the rows on screen).
    pub tag_width: usize,
    /// How events arrive when that is worth saying ("live tail", "live tail SAMPLED").
    pub source: Option<&'a str>,
    /// The zone times are shown in.
    pub zone: crate::zone::Zone,
    /// The stream filter, when there is one ("streams 2026/11/20/*").
    pub streams: Option<String>,
    /// How the tail keeps up, when worth saying ("~9s behind · 3 late ≤4m12s").
    pub tail_note: Option<String>,
    /// Drawn above the oldest line when it is on screen ("loading older lines…").
    pub history_note: Option<String>,
    /// The start every tailed group's tag shares ("tax-"): not drawn, so the column is narrow.
    pub tag_prefix: &'a str,
    /// Long lines wrap instead of being cut.
    pub wrap: bool,
    /// Columns of text scrolled off to the left.
    pub h_scroll: usize,
    pub dropped: u64,
    pub state: Loadable,
    /// Hint shown when no groups are chosen, e.g. "press 2 to choose log groups".
    pub empty_hint: String,
}
