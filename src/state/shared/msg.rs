//! Messages into the runtime loop and the effects the reducer asks it to carry out.

use crossterm::event::{KeyEvent, MouseEvent};
use unstuck_aws::api::{Data, Topic};
use unstuck_aws::model::BackendError;
use unstuck_views::theme::Theme;

use crate::commands::{Command, CommandReport};
use crate::state::shell::PaneId;
use crate::tail::{TailReport, TailSpec};

#[derive(Debug)]
pub enum Msg {
    /// A key, with the wall-clock time it was read (so `:time -5m` is right when nothing
    /// else moves the clock).
    Key {
        key: KeyEvent,
        at_ms: i64,
    },
    Mouse {
        mouse: MouseEvent,
        at_ms: i64,
    },
    Resize(u16, u16),
    Polled {
        topic: Topic,
        at_ms: i64,
        result: Result<Data, BackendError>,
    },
    Tail(TailReport),
    ThemeLoaded(Result<Box<Theme>, String>),
    /// What the running Logs Insights query reports.
    Insights(crate::insights::InsightsReport),
    /// Back from ctrl-z.
    Resumed,
    /// The clipboard took `what` (Ok: how, e.g. "via the terminal" or a file path), or why not.
    Copied(Result<String, String>),
    /// The time the reducer asked to be woken at ([`crate::state::next_wake_ms`]): a status
    /// message fades, a shown age changes.
    Tick {
        at_ms: i64,
    },
    /// The app's total AWS API calls so far (sent when it changed).
    ApiCalls {
        at_ms: i64,
        total: u64,
        /// Calls so far per operation, and what was billed by the unit.
        by_operation: Vec<(String, u64)>,
        billed: unstuck_aws::model::Billed,
    },
    /// What an executed command reports (progress, then done).
    Command(CommandReport),
    /// `:profile` / `:region` rebuilt the backends (or could not).
    Reconnected(Result<Connection, String>),
}

impl Msg {
    pub fn key(key: KeyEvent, at_ms: i64) -> Self {
        Msg::Key { key, at_ms }
    }
}

/// Where the app is connected, after a switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub label: unstuck_aws::api::BackendLabel,
}

/// What one pane asks another to show (the overview's rows, "step -> logs").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Focus {
    /// Just show the pane as it is.
    Pane,
    /// Tail these log groups (the logs pane).
    TailGroups(Vec<String>),
    /// These log groups are the ones tailed (the group chooser marks them).
    TailedGroups(Vec<String>),
    /// Query these groups, from `start_ms` by default (the insights pane).
    InsightsScope {
        groups: Vec<String>,
        start_ms: Option<i64>,
    },
    /// The logs of one step of an execution: its function's group from `since_ms`, the
    /// invocation's lines picked out when its request id is known (the logs pane).
    StepLogs {
        group: String,
        since_ms: i64,
        request_id: Option<String>,
    },
    /// Tail an Express machine's log group, saying what it holds (the logs pane).
    MachineLogs { group: String, note: String },
    /// Open this execution (the executions pane).
    Execution(String),
    /// Select this state machine, by ARN (the executions pane).
    Machine(String),
    /// Select this queue, by ARN (the queues pane).
    Queue(String),
    /// Select this function, by name (the functions pane).
    Function(String),
    /// Select this alarm, canary or app monitor, by name (the signals pane).
    Signal(String),
}

/// What `:profile` / `:region` switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reconnect {
    Profile(String),
    Region(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Poll now (ignored while a poll of that topic is in flight). Which topics are polled
    /// at all follows the screen: see [`crate::state::wanted_topics`].
    Refresh(Topic),
    /// Open `pane` and hand it `focus` (`show`: switch to it; else deliver only). Handled
    /// by the shell inside the reducer: the runtime never sees it.
    Goto {
        pane: PaneId,
        focus: Focus,
        show: bool,
    },
    /// Replace the running tail (if any) with this one.
    StartTail(TailSpec),
    StopTail,
    /// Read an older window of the tailed groups (look back on demand); reports with
    /// `TailReport::Older`. Cancelled with the tail.
    LoadOlder(crate::tail::OlderRequest),
    /// Run a Logs Insights query (replacing the one running); reports with `Msg::Insights`.
    RunInsights(crate::insights::InsightsJob),
    /// Stop that query (in AWS too).
    StopInsights(u64),
    LoadTheme(String),
    /// Put this text on the clipboard: OSC 52 when the user turned it on, else a file.
    Copy(crate::state::logs::Clip),
    /// Run a command off the UI loop (an export, later the AWS mutations); it reports back
    /// with [`Msg::Command`].
    Execute(Command),
    /// Rebuild the backends with another profile or region.
    Reconnect(Reconnect),
    Suspend,
    Quit,
}
