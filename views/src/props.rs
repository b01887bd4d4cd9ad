//! What the app hands to the views: borrowed, pre-computed, no behaviour. Each pane's own
//! props live in its folder (`logs/props.rs`, ...).

use crate::executions::props::ExecutionsProps;
use crate::groups::props::GroupsProps;
use crate::insights::props::InsightsProps;
use crate::logs::props::LogsProps;
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
    /// What the app's own use costs: "$0.012/h".
    pub cost_per_hour: Option<String>,
    /// The zone times are shown in.
    pub zone: crate::zone::Zone,
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

/// The detail overlay (a log line, later an execution's input or a message body): a pretty, folded JSON view of one line, the whole
/// text of a multi-line event, or the lines of one invocation.
pub struct DetailProps<'a> {
    pub title: &'a str,
    pub lines: &'a [DetailLine],
    /// The selected line (fold toggles apply to it).
    pub cursor: usize,
    /// First line drawn.
    pub scroll: usize,
}

// Built once per frame on the stack and dropped after it; boxing the logs variant would only
// add an allocation per frame.
#[allow(clippy::large_enum_variant)]
pub enum PaneProps<'a> {
    Logs(LogsProps<'a>),
    Groups(GroupsProps<'a>),
    Insights(InsightsProps<'a>),
    Executions(ExecutionsProps<'a>),
    Queues(crate::queues::QueuesProps<'a>),
    Overview(crate::overview::OverviewProps<'a>),
    Functions(crate::functions::FunctionsProps<'a>),
    Signals(crate::signals::SignalsProps<'a>),
}

/// The `:` palette or a `/` filter input.
/// A completion: what Tab puts in the prompt, and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub desc: String,
}

pub struct PromptProps<'a> {
    /// ":" or "/".
    pub prefix: &'a str,
    pub input: &'a str,
    /// Cursor position in chars.
    pub cursor: usize,
    /// Completion candidates (palette) shown above the input.
    pub candidates: &'a [Completion],
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

/// A dialog: a list of lines (every config error at start-up, say) or a confirmation of
/// a mutation (`typed`: the name to type and what is typed so far, for bulk ones).
pub struct DialogProps<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
    /// The keys, e.g. "y confirm · n cancel".
    pub hint: &'a str,
    pub danger: bool,
    pub typed: Option<(&'a str, &'a str)>,
}

/// One layer over the pane. The app hands them bottom to top; the top one owns the keys.
pub enum ModalProps<'a> {
    Detail(DetailProps<'a>),
    Help(HelpProps<'a>),
    Prompt(PromptProps<'a>),
    Dialog(DialogProps<'a>),
}

pub struct AppProps<'a> {
    pub theme: &'a Theme,
    pub now_ms: i64,
    pub header: HeaderProps<'a>,
    pub pane: PaneProps<'a>,
    pub status: Option<StatusProps<'a>>,
    pub footer: &'a [Hint],
    /// Hints the footer always keeps, drawn at its right end (`? help`, `: commands`,
    /// `q quit`): the pane's own hints give way first.
    pub footer_pinned: &'a [Hint],
    /// The layers over the pane, bottom to top (help, prompt, detail, dialog).
    pub modals: Vec<ModalProps<'a>>,
}
