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

/// Where the parts of a compact JSON row's `text` are (byte offsets), and the message as
/// received. The compact text reads `LEVEL [cold] message  key=value key=value…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompactJson {
    /// `text[..level_end]` is the level word (empty when the object has no level).
    pub level_end: usize,
    /// `text[level_end..message_start]` holds marks such as the cold-start mark.
    pub message_start: usize,
    /// `text[fields_start..]` are the `key=value` fields (empty when there are none).
    pub fields_start: usize,
    /// The whole message as received, sanitised line by line (still valid JSON).
    pub raw: String,
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
    /// Sanitised, single line. For a JSON object this is the compact rendering.
    pub text: String,
    /// The Lambda request id this line belongs to, when known (sanitised).
    pub request_id: Option<Arc<str>>,
    /// Set when the message is a JSON object shown in compact form.
    pub json: Option<Box<CompactJson>>,
}

impl LogRow {
    /// The text a filter regex is tried on besides `text`: the raw JSON of a compact row.
    pub fn raw_text(&self) -> Option<&str> {
        self.json.as_deref().map(|j| j.raw.as_str())
    }

    /// True when `re` matches what is shown or (for JSON rows) the message as received.
    pub fn matches(&self, re: &regex::Regex) -> bool {
        re.is_match(&self.text) || self.raw_text().is_some_and(|raw| re.is_match(raw))
    }
}
