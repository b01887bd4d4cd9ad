//! Messages into the runtime loop and the effects the reducer asks it to carry out.

use crossterm::event::{KeyEvent, MouseEvent};
use unstuck_aws::model::{BackendError, Identity, LogEvent, LogGroup};
use unstuck_views::theme::Theme;

use super::export::{ExportJob, ExportSummary};

/// A periodically polled piece of data. One poller task runs per subscribed topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Identity,
    LogGroups,
}

impl Topic {
    pub fn label(&self) -> &'static str {
        match self {
            Topic::Identity => "identity",
            Topic::LogGroups => "log groups",
        }
    }
}

/// The data a topic yields.
#[derive(Debug, Clone, PartialEq)]
pub enum Data {
    Identity(Identity),
    LogGroups(Vec<LogGroup>),
}

/// What the log tail task reports. `tail_id` names the tail that sent it: reports from a
/// tail that has since been replaced are ignored.
#[derive(Debug, Clone, PartialEq)]
pub enum TailReport {
    /// New events (never seen before by this tail), in no particular order.
    Events {
        tail_id: u64,
        at_ms: i64,
        events: Vec<LogEvent>,
    },
    /// A poll of one group failed; the tail retries by itself.
    Failed {
        tail_id: u64,
        at_ms: i64,
        group: String,
        error: BackendError,
    },
    /// A full round over every group succeeded.
    Caught { tail_id: u64, at_ms: i64 },
    /// What the Live Tail of these groups is doing (only when Live Tail is on).
    Live {
        tail_id: u64,
        at_ms: i64,
        groups: Vec<String>,
        state: crate::tail::LiveState,
    },
}

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Polled {
        topic: Topic,
        at_ms: i64,
        result: Result<Data, BackendError>,
    },
    Tail(TailReport),
    ThemeLoaded(Result<Box<Theme>, String>),
    /// Back from ctrl-z.
    Resumed,
    /// The app's total AWS API calls so far (sent when it changed).
    ApiCalls {
        at_ms: i64,
        total: u64,
    },
    /// An export has written `written` of `total` lines.
    ExportProgress {
        written: usize,
        total: usize,
    },
    /// An export finished (or failed, with a one-line reason).
    ExportDone(Result<ExportSummary, String>),
}

/// What to tail: these groups, starting `backfill_ms` before the tail starts, optionally
/// narrowed to some streams and by a CloudWatch filter pattern (evaluated by AWS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TailSpec {
    pub tail_id: u64,
    pub groups: Vec<String>,
    pub backfill_ms: i64,
    pub stream_names: Vec<String>,
    pub stream_prefix: Option<String>,
    pub filter_pattern: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Subscribe(Topic),
    Unsubscribe(Topic),
    /// Poll now (ignored while a poll of that topic is in flight).
    Refresh(Topic),
    /// Replace the running tail (if any) with this one.
    StartTail(TailSpec),
    StopTail,
    LoadTheme(String),
    /// Write a snapshot of log lines to a file, off the UI thread, reporting progress.
    Export(ExportJob),
    Suspend,
    Quit,
}
