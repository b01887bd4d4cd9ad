//! What the tail engine is asked to do and what it reports. The app's state and the
//! headless `tail` command both speak these; the engine knows neither of them.

use unstuck_aws::model::{BackendError, LogEvent};

use super::LiveState;

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
        state: LiveState,
    },
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

impl TailReport {
    /// The wall-clock time it was sent.
    pub fn at_ms(&self) -> Option<i64> {
        match self {
            TailReport::Events { at_ms, .. }
            | TailReport::Failed { at_ms, .. }
            | TailReport::Caught { at_ms, .. }
            | TailReport::Live { at_ms, .. } => Some(*at_ms),
        }
    }
}
