//! One Logs Insights query as the pane holds it: what was asked, where it stands, the rows
//! and what it scanned (and so cost). Reports of an older job are ignored.

use unstuck_aws::model::{InsightsQuery, QueryResults, QueryStatus};

use unstuck_views::groups::groups_view::decimal_bytes;

use crate::insights::InsightsUpdate;
use crate::state::logs::describe_error;
use crate::state::shared::durations::short_duration;
use crate::state::shared::thousands::{count, thousands};

#[derive(Debug, Clone, PartialEq)]
pub struct InsightsRun {
    pub job: u64,
    /// The saved query's name, when it was one.
    pub name: Option<String>,
    pub query: InsightsQuery,
    pub started_ms: i64,
    pub query_id: Option<String>,
    pub results: Option<QueryResults>,
    /// Why it could not start or could not be read.
    pub error: Option<String>,
    /// When a final status or an error arrived.
    pub ended_ms: Option<i64>,
    /// The user asked to stop it (a final "cancelled" is expected).
    pub stopping: bool,
}

impl InsightsRun {
    pub fn new(job: u64, name: Option<String>, query: InsightsQuery, now_ms: i64) -> Self {
        Self {
            job,
            name,
            query,
            started_ms: now_ms,
            query_id: None,
            results: None,
            error: None,
            ended_ms: None,
            stopping: false,
        }
    }

    pub fn is_running(&self) -> bool {
        self.ended_ms.is_none()
    }

    /// Takes one report of this job.
    pub fn apply(&mut self, update: InsightsUpdate, now_ms: i64) {
        match update {
            InsightsUpdate::Started(id) => self.query_id = Some(id),
            InsightsUpdate::Results(results) => {
                if results.status.is_final() {
                    self.ended_ms = Some(now_ms);
                }
                // A running query's answer without rows does not blank rows already shown.
                let keep_rows = results.rows.is_empty()
                    && !results.status.is_final()
                    && self.results.as_ref().is_some_and(|r| !r.rows.is_empty());
                if keep_rows {
                    if let Some(held) = &mut self.results {
                        held.status = results.status;
                        held.statistics = results.statistics;
                    }
                } else {
                    self.results = Some(results);
                }
            }
            InsightsUpdate::Failed(error) => {
                self.error = Some(describe_error(&error));
                self.ended_ms = Some(now_ms);
            }
        }
    }

    pub fn status(&self) -> Option<QueryStatus> {
        self.results.as_ref().map(|r| r.status)
    }

    /// "complete in 2.1s · 6 rows · 12,345 records (312 matched) · 12.3 MB scanned ≈ $0.000062"
    pub fn summary(&self, now_ms: i64, price_per_gb: f64) -> String {
        let took = elapsed_text(self.ended_ms.unwrap_or(now_ms) - self.started_ms);
        let state = match (&self.error, self.status()) {
            (Some(_), _) => format!("failed after {took}"),
            (None, Some(status)) if status.is_final() => format!("{} in {took}", status.label()),
            (None, _) if self.stopping => format!("stopping… {took}"),
            (None, _) => format!("running… {took}"),
        };
        let Some(results) = &self.results else {
            return state;
        };
        let s = results.statistics;
        format!(
            "{state} · {} · {} records ({} matched) · {} scanned ≈ {}",
            count(results.rows.len(), "row"),
            thousands(s.records_scanned as usize),
            thousands(s.records_matched as usize),
            decimal_bytes(s.bytes_scanned),
            cost_text(s.bytes_scanned, price_per_gb)
        )
    }
}

/// "2.1s" under a minute (a query's time is read closely), else "4m12s".
fn elapsed_text(ms: i64) -> String {
    if ms < 60_000 {
        format!("{:.1}s", ms.max(0) as f64 / 1000.0)
    } else {
        short_duration(ms)
    }
}

/// What scanning `bytes` costs at `price_per_gb` (GB = 10^9 bytes, as AWS bills), to two
/// significant digits: "$0.12", "$0.000062", "$0".
pub fn cost_text(bytes: f64, price_per_gb: f64) -> String {
    let dollars = bytes.max(0.0) / 1e9 * price_per_gb.max(0.0);
    if dollars == 0.0 {
        return "$0".to_string();
    }
    if dollars >= 0.01 {
        return format!("${dollars:.2}");
    }
    let decimals = (-dollars.log10()).ceil() as usize + 1;
    let text = format!("{dollars:.decimals$}");
    format!("${}", text.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unstuck_aws::model::{BackendError, QueryStatistics};

    fn query() -> InsightsQuery {
        InsightsQuery {
            groups: vec!["g".into()],
            start_ms: 0,
            end_ms: 1_000,
            query: "fields @message".into(),
            limit: 100,
        }
    }

    fn results(status: QueryStatus, rows: usize, bytes: f64) -> QueryResults {
        QueryResults {
            status,
            columns: vec!["@message".into()],
            rows: vec![vec!["x".into()]; rows],
            statistics: QueryStatistics {
                records_matched: rows as f64,
                records_scanned: 12_345.0,
                bytes_scanned: bytes,
            },
        }
    }

    #[test]
    fn cost_is_bytes_scanned_at_the_price_per_gb() {
        assert_eq!(cost_text(0.0, 0.005), "$0");
        assert_eq!(cost_text(12_300_000.0, 0.005), "$0.000062");
        assert_eq!(cost_text(50e9, 0.005), "$0.25");
        assert_eq!(cost_text(1e9, 0.0057), "$0.0057");
    }

    #[test]
    fn rows_stay_while_a_running_answer_has_none_and_the_summary_says_what_it_cost() {
        let mut run = InsightsRun::new(1, None, query(), 0);
        run.apply(InsightsUpdate::Started("q1".into()), 100);
        run.apply(
            InsightsUpdate::Results(results(QueryStatus::Running, 3, 1e6)),
            600,
        );
        run.apply(
            InsightsUpdate::Results(results(QueryStatus::Running, 0, 2e6)),
            1_600,
        );
        assert_eq!(run.results.as_ref().map(|r| r.rows.len()), Some(3));
        assert!(run.is_running());
        assert!(
            run.summary(1_700, 0.005)
                .starts_with("running… 1.7s · 3 rows")
        );
        run.apply(
            InsightsUpdate::Results(results(QueryStatus::Complete, 2, 12_300_000.0)),
            2_100,
        );
        assert!(!run.is_running());
        let summary = run.summary(9_000, 0.005);
        assert_eq!(
            summary,
            "complete in 2.1s · 2 rows · 12,345 records (2 matched) · 12.3 MB scanned ≈ $0.000062"
        );
    }

    #[test]
    fn a_failure_ends_the_run_with_its_reason() {
        let mut run = InsightsRun::new(1, None, query(), 0);
        run.apply(
            InsightsUpdate::Failed(BackendError::InvalidInput("unknown command parse".into())),
            500,
        );
        assert!(!run.is_running());
        assert!(run.error.as_deref().is_some_and(|e| e.contains("parse")));
        assert!(run.summary(600, 0.005).starts_with("failed after"));
    }
}
