//! One display row of the logs pane. Built by the app from a `LogEvent` at ingest time;
//! `text` is already sanitised (see `unstuck_aws::untrusted_text`).

use std::sync::Arc;

/// Severity, from a JSON `level` field or a recognisable plain-text prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

impl Level {
    pub fn parse(word: &str) -> Option<Self> {
        match word.to_ascii_uppercase().as_str() {
            "TRACE" => Some(Self::Trace),
            "DEBUG" => Some(Self::Debug),
            "INFO" | "NOTICE" => Some(Self::Info),
            "WARN" | "WARNING" => Some(Self::Warn),
            "ERROR" | "ERR" => Some(Self::Error),
            "FATAL" | "CRITICAL" => Some(Self::Fatal),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Trace => "TRACE",
            Self::Debug => "DEBUG",
            Self::Info => "INFO",
            Self::Warn => "WARN",
            Self::Error => "ERROR",
            Self::Fatal => "FATAL",
        }
    }
}

/// What kind of line this is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// START / END / REPORT / INIT_START lines from the Lambda platform.
    Platform,
    /// An application line (JSON or plain).
    App,
    /// The second and later lines of a multi-line event (stack trace frames).
    Continuation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub timestamp_ms: i64,
    /// Insertion order: ties on timestamp keep arrival order.
    pub seq: u64,
    /// The full log group name.
    pub group: Arc<str>,
    /// Short tag shown in the tag column (function name).
    pub tag: Arc<str>,
    pub stream: Arc<str>,
    pub level: Option<Level>,
    pub kind: RowKind,
    /// Sanitised, single line.
    pub text: String,
}
