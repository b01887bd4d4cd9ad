//! What the app hands to the views: borrowed, pre-computed, no behaviour.

use std::collections::VecDeque;

use crate::log_row::LogRow;
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

pub struct LogsProps<'a> {
    pub rows: &'a VecDeque<LogRow>,
    /// Rows shown (indices into `rows`), oldest first; `None` = all rows.
    pub visible: Option<&'a [usize]>,
    /// Number of rows (after filtering) between the bottom of the view and the newest row.
    pub scroll_from_bottom: usize,
    pub follow: bool,
    pub filter: Option<&'a regex::Regex>,
    pub filter_text: Option<&'a str>,
    pub groups: &'a [String],
    pub dropped: u64,
    pub state: Loadable,
    /// Hint shown when no groups are chosen, e.g. "press 2 to choose log groups".
    pub empty_hint: &'a str,
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
}
