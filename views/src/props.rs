//! What the app hands to the views: borrowed, pre-computed, no behaviour.

use std::collections::VecDeque;

use crate::invocation_row::InvocationRow;
use crate::log_row::{Level, LogRow};
use crate::theme::Theme;

/// A key hint: ("f", "follow/pause").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub desc: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusLevel {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusProps<'a> {
    pub level: StatusLevel,
    pub text: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderProps<'a> {
    /// "DEMO" or the profile name.
    pub profile: &'a str,
    pub region: &'a str,
    pub account: Option<&'a str>,
    pub endpoint: Option<&'a str>,
    pub is_demo: bool,
    pub read_only: bool,
    /// Epoch ms of the newest successful poll.
    pub last_refresh_ms: Option<i64>,
    /// Pane tab labels and which is active.
    pub tabs: &'a [&'a str],
    pub active_tab: usize,
    /// Something failed and data on screen may be old.
    pub stale: bool,
    /// The app's own AWS API calls in the last minute.
    pub calls_per_minute: Option<u64>,
}

/// Where the data of a pane stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loadable {
    /// Nothing received yet.
    Loading,
    /// Received and current.
    Ready,
    /// Nothing received and the last attempt failed.
    Failed(String),
    /// Received before, but the last attempt failed: shown data is kept, marked stale.
    Stale(String),
}

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
    pub dropped: u64,
    pub state: Loadable,
    /// Hint shown when no groups are chosen, e.g. "press 2 to choose log groups".
    pub empty_hint: &'a str,
}

/// How a part of a detail line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailStyle {
    Heading,
    Label,
    Text,
    Key,
    String,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    Punct,
    /// The `▸`/`▾` marks and `{… 3 keys}` of folded objects.
    Fold,
    Error,
    Dim,
}

/// One logical line of the detail overlay (wrapped by the view when too long).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailLine {
    /// Columns of indentation (continuation rows of a wrapped line indent 2 more).
    pub indent: usize,
    pub parts: Vec<(DetailStyle, String)>,
}

impl DetailLine {
    pub fn new(indent: usize, parts: Vec<(DetailStyle, String)>) -> Self {
        Self { indent, parts }
    }

    pub fn text(&self) -> String {
        self.parts.iter().map(|(_, t)| t.as_str()).collect()
    }
}

/// The detail overlay of the logs pane: a pretty, folded JSON view of one line, the whole
/// text of a multi-line event, or the lines of one invocation.
pub struct DetailProps<'a> {
    pub title: &'a str,
    pub lines: &'a [DetailLine],
    /// The selected line (fold toggles apply to it).
    pub cursor: usize,
    /// First line drawn.
    pub scroll: usize,
}

pub struct GroupItem<'a> {
    pub name: &'a str,
    pub selected: bool,
    pub stored_bytes: Option<i64>,
}

pub struct GroupsProps<'a> {
    pub items: Vec<GroupItem<'a>>,
    /// Index into `items` of the cursor.
    pub cursor: usize,
    /// First item index drawn.
    pub offset: usize,
    pub total: usize,
    pub selected_count: usize,
    pub filter_text: Option<&'a str>,
    pub state: Loadable,
}

pub enum PaneProps<'a> {
    Logs(LogsProps<'a>),
    Groups(GroupsProps<'a>),
}

/// The `:` palette or a `/` filter input.
pub struct PromptProps<'a> {
    /// ":" or "/".
    pub prefix: &'a str,
    pub input: &'a str,
    /// Cursor position in chars.
    pub cursor: usize,
    /// Completion candidates (palette) shown above the input.
    pub candidates: &'a [String],
    pub selected_candidate: Option<usize>,
    pub error: Option<&'a str>,
}

pub struct HelpSection {
    pub title: String,
    pub hints: Vec<Hint>,
}

pub struct HelpProps<'a> {
    pub sections: &'a [HelpSection],
    pub scroll: usize,
}

pub struct AppProps<'a> {
    pub theme: &'a Theme,
    pub now_ms: i64,
    pub header: HeaderProps<'a>,
    pub pane: PaneProps<'a>,
    pub status: Option<StatusProps<'a>>,
    pub footer: &'a [Hint],
    pub prompt: Option<PromptProps<'a>>,
    pub help: Option<HelpProps<'a>>,
    /// The logs pane's detail overlay.
    pub detail: Option<DetailProps<'a>>,
}
