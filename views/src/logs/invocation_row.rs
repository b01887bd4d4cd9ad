//! One Lambda invocation of the grouped logs view: START .. REPORT folded into one record
//! with the numbers of the REPORT line and the error lines of the invocation. Built by the
//! app incrementally at ingest; every string is already sanitised.

use std::sync::Arc;

use crate::logs::log_row::Level;

/// Error lines drawn under an invocation in the grouped view (the rest are counted).
pub const MAX_ERROR_LINES_SHOWN: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvocationOutcome {
    /// No REPORT line yet.
    Running,
    Succeeded,
    /// An ERROR (or worse) line was logged.
    Failed,
    /// `Task timed out after …`.
    TimedOut,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InvocationRow {
    /// Creation order; with `start_ms` the sort key of the grouped view.
    pub serial: u64,
    pub request_id: Arc<str>,
    pub group: Arc<str>,
    pub tag: Arc<str>,
    /// Time of the earliest line seen (START when it arrived).
    pub start_ms: i64,
    /// Time of the latest line seen.
    pub last_ms: i64,
    pub duration_ms: Option<f64>,
    pub billed_ms: Option<f64>,
    pub memory_size_mb: Option<u32>,
    pub max_memory_used_mb: Option<u32>,
    pub init_duration_ms: Option<f64>,
    /// An `Init Duration` in REPORT, or `cold_start: true` in a Powertools line.
    pub cold_start: bool,
    /// The REPORT line arrived.
    pub reported: bool,
    pub timed_out: bool,
    /// The most severe level logged (lines without a level count as INFO).
    pub max_level: Option<Level>,
    /// The first error lines (sanitised), at most a few dozen.
    pub error_lines: Vec<String>,
    /// Error lines seen, including those not kept.
    pub error_lines_total: usize,
    /// Lines of this invocation seen so far.
    pub line_count: usize,
}

impl InvocationRow {
    pub fn new(
        serial: u64,
        request_id: Arc<str>,
        group: Arc<str>,
        tag: Arc<str>,
        at_ms: i64,
    ) -> Self {
        Self {
            serial,
            request_id,
            group,
            tag,
            start_ms: at_ms,
            last_ms: at_ms,
            duration_ms: None,
            billed_ms: None,
            memory_size_mb: None,
            max_memory_used_mb: None,
            init_duration_ms: None,
            cold_start: false,
            reported: false,
            timed_out: false,
            max_level: None,
            error_lines: Vec::new(),
            error_lines_total: 0,
            line_count: 0,
        }
    }

    pub fn outcome(&self) -> InvocationOutcome {
        if self.timed_out {
            InvocationOutcome::TimedOut
        } else if self.max_level >= Some(Level::Error) {
            InvocationOutcome::Failed
        } else if self.reported {
            InvocationOutcome::Succeeded
        } else {
            InvocationOutcome::Running
        }
    }

    /// Error lines drawn under the summary line.
    pub fn shown_error_lines(&self) -> &[String] {
        &self.error_lines[..self.error_lines.len().min(MAX_ERROR_LINES_SHOWN)]
    }

    /// Error lines not drawn (a "… N more" line says how many).
    pub fn hidden_error_lines(&self) -> usize {
        self.error_lines_total - self.shown_error_lines().len()
    }

    /// Screen rows this invocation takes in the grouped view.
    pub fn height(&self) -> usize {
        1 + self.shown_error_lines().len() + usize::from(self.hidden_error_lines() > 0)
    }

    /// True when `re` matches the request id, the function tag or an error line.
    pub fn matches(&self, re: &regex::Regex) -> bool {
        re.is_match(&self.request_id)
            || re.is_match(&self.tag)
            || self.error_lines.iter().any(|line| re.is_match(line))
    }
}
