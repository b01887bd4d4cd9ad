//! CloudWatch Logs model types.

use serde::{Deserialize, Serialize};

/// A log group as listed by DescribeLogGroups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogGroup {
    pub name: String,
    pub arn: Option<String>,
    pub created_ms: Option<i64>,
    pub stored_bytes: Option<i64>,
    pub retention_days: Option<i32>,
}

impl LogGroup {
    /// A group known only by name (as the simulated world and tests create them).
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            arn: None,
            created_ms: None,
            stored_bytes: None,
            retention_days: None,
        }
    }
}

/// One log event. `message` is untrusted text straight from AWS: it must pass through
/// [`crate::untrusted_text`] before it reaches a terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEvent {
    /// Event time in epoch milliseconds (set by the writer).
    pub timestamp_ms: i64,
    /// When CloudWatch ingested it, epoch milliseconds. Can be seconds after `timestamp_ms`.
    pub ingestion_time_ms: i64,
    pub group: String,
    pub stream: String,
    /// Unique per event within a group; the de-duplication key.
    pub event_id: String,
    pub message: String,
}

/// One FilterLogEvents call: a single page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterRequest {
    pub group: String,
    /// Restrict to these streams (empty = all streams).
    pub stream_names: Vec<String>,
    /// Restrict to streams with this prefix (ignored when `stream_names` is non-empty).
    pub stream_prefix: Option<String>,
    /// Inclusive, epoch ms.
    pub start_ms: i64,
    /// Inclusive, epoch ms.
    pub end_ms: Option<i64>,
    /// A CloudWatch Logs filter pattern, evaluated by the backend.
    pub filter_pattern: Option<String>,
    pub next_token: Option<String>,
    pub limit: Option<i32>,
}

/// The answer to one FilterLogEvents call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterPage {
    /// Ordered by timestamp, as CloudWatch returns them.
    pub events: Vec<LogEvent>,
    /// More pages follow when set.
    pub next_token: Option<String>,
}
