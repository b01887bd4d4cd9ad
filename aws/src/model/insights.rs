//! CloudWatch Logs Insights: a query over some groups and a window, and what it answers.

use crate::untrusted_text::sanitize_line;

/// StartQuery takes at most this many log groups.
pub const MAX_INSIGHTS_GROUPS: usize = 50;

/// StartQuery's `limit`: AWS's default is 1,000 rows, at most 10,000.
pub const DEFAULT_INSIGHTS_LIMIT: u32 = 1_000;
pub const MAX_INSIGHTS_LIMIT: u32 = 10_000;

/// The field AWS adds to each row to point at the log record; not shown.
pub const POINTER_FIELD: &str = "@ptr";

/// One StartQuery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightsQuery {
    /// 1 to [`MAX_INSIGHTS_GROUPS`] log group names.
    pub groups: Vec<String>,
    /// Epoch milliseconds (AWS takes seconds: the start is rounded down, the end up).
    pub start_ms: i64,
    pub end_ms: i64,
    /// The query, in the Logs Insights language.
    pub query: String,
    pub limit: u32,
}

impl InsightsQuery {
    /// The window in whole epoch seconds, as StartQuery takes it (covering the milliseconds).
    pub fn window_s(&self) -> (i64, i64) {
        let start = self.start_ms.div_euclid(1000);
        let end = self.end_ms.saturating_add(999).div_euclid(1000);
        (start, end.max(start))
    }
}

/// Where a query stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStatus {
    Scheduled,
    Running,
    Complete,
    Failed,
    Cancelled,
    Timeout,
    Unknown,
}

impl QueryStatus {
    /// Whether it will not change any more.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Complete | Self::Failed | Self::Cancelled | Self::Timeout | Self::Unknown
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Scheduled => "scheduled",
            Self::Running => "running",
            Self::Complete => "complete",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Timeout => "timed out",
            Self::Unknown => "unknown",
        }
    }
}

/// What a query has read so far (AWS bills the bytes scanned).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QueryStatistics {
    pub records_matched: f64,
    pub records_scanned: f64,
    pub bytes_scanned: f64,
}

/// One GetQueryResults: the rows so far, as a table.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResults {
    pub status: QueryStatus,
    /// Field names in the order they first appear ([`POINTER_FIELD`] left out).
    pub columns: Vec<String>,
    /// One value per column ("" where a row lacks the field).
    pub rows: Vec<Vec<String>>,
    pub statistics: QueryStatistics,
}

impl QueryResults {
    /// Builds the table from AWS's rows of (field, value) pairs. Names and values are
    /// untrusted: both go through the one sanitiser here, for every backend.
    pub fn from_fields(
        status: QueryStatus,
        rows: Vec<Vec<(String, String)>>,
        statistics: QueryStatistics,
    ) -> Self {
        let mut columns: Vec<String> = Vec::new();
        let clean_rows: Vec<Vec<(usize, String)>> = rows
            .into_iter()
            .map(|fields| {
                fields
                    .into_iter()
                    .filter(|(name, _)| name != POINTER_FIELD)
                    .map(|(name, value)| {
                        let name = sanitize_line(&name).into_owned();
                        let index = match columns.iter().position(|c| *c == name) {
                            Some(i) => i,
                            None => {
                                columns.push(name);
                                columns.len() - 1
                            }
                        };
                        (index, sanitize_line(&value).into_owned())
                    })
                    .collect()
            })
            .collect();
        let rows = clean_rows
            .into_iter()
            .map(|fields| {
                let mut row = vec![String::new(); columns.len()];
                for (index, value) in fields {
                    row[index] = value;
                }
                row
            })
            .collect();
        Self {
            status,
            columns,
            rows,
            statistics,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(f: &str, v: &str) -> (String, String) {
        (f.to_string(), v.to_string())
    }

    #[test]
    fn columns_follow_first_appearance_and_missing_fields_are_blank() {
        let results = QueryResults::from_fields(
            QueryStatus::Complete,
            vec![
                vec![pair("@log", "a"), pair("errors", "3"), pair("@ptr", "x")],
                vec![pair("errors", "1"), pair("extra", "\u{1b}]52;c;aGk=\u{7}")],
            ],
            QueryStatistics::default(),
        );
        assert_eq!(results.columns, ["@log", "errors", "extra"]);
        assert_eq!(results.rows[0], ["a", "3", ""]);
        assert_eq!(results.rows[1][0], "");
        assert!(crate::untrusted_text::is_terminal_safe(&results.rows[1][2]));
        assert!(results.rows[1][2].contains("]52;c;aGk="));
    }

    #[test]
    fn the_window_in_seconds_covers_the_milliseconds() {
        let q = InsightsQuery {
            groups: vec!["g".into()],
            start_ms: 1_500,
            end_ms: 2_001,
            query: String::new(),
            limit: DEFAULT_INSIGHTS_LIMIT,
        };
        assert_eq!(q.window_s(), (1, 3));
    }
}
