//! What the tail engine is asked to do and what it reports. The app's state and the
//! headless `tail` command both speak these; the engine knows neither of them.

use unstuck_aws::model::{BackendError, LogEvent};

use super::LiveState;
use super::older::OlderWindow;

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
    /// Where each group's polling stands (at most once a second, after a completed poll).
    Progress {
        tail_id: u64,
        at_ms: i64,
        groups: Vec<GroupProgress>,
    },
    /// An older window read on demand (see `older.rs`), or why it could not be.
    Older {
        tail_id: u64,
        at_ms: i64,
        result: Result<OlderWindow, BackendError>,
    },
    /// What the Live Tail of these groups is doing (only when Live Tail is on).
    Live {
        tail_id: u64,
        at_ms: i64,
        groups: Vec<String>,
        state: LiveState,
    },
}

/// One group's polling: when it last completed a poll and when the next is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupProgress {
    pub group: String,
    /// Wall-clock time the last complete poll started (everything ingested before is shown).
    pub polled_ms: Option<i64>,
    /// How long after its last poll the next one is due, as scheduled now.
    pub every_ms: i64,
    /// Found nothing in its last poll (it is backing off).
    pub quiet: bool,
}

/// What to tail: these groups, starting `backfill_ms` before the tail starts, optionally
/// narrowed to some streams and by a CloudWatch filter pattern (evaluated by AWS).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TailSpec {
    pub tail_id: u64,
    pub groups: Vec<String>,
    pub backfill_ms: i64,
    /// Start exactly here (epoch ms) instead of `backfill_ms` before the tail starts.
    pub since_ms: Option<i64>,
    pub stream_names: Vec<String>,
    pub stream_prefix: Option<String>,
    pub filter_pattern: Option<String>,
}

impl TailReport {
    /// The wall-clock time it was sent.
    pub fn at_ms(&self) -> Option<i64> {
        match self {
            TailReport::Events { at_ms, .. }
            | TailReport::Failed { at_ms, .. }
            | TailReport::Caught { at_ms, .. }
            | TailReport::Progress { at_ms, .. }
            | TailReport::Older { at_ms, .. }
            | TailReport::Live { at_ms, .. } => Some(*at_ms),
        }
    }
}
