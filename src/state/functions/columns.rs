//! The functions table's columns: what each shows, how it sorts, and which rows are in
//! trouble. Shared by the pane and `unstuck functions --output text`.

use std::cmp::Ordering;

use unstuck_aws::model::functions::{ColdStarts, FunctionRow, estimated_cost};
use unstuck_views::functions::Column;

use crate::state::overview::findings::NEAR_TIMEOUT;

/// What a column shows (after NAME, which is sort key 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Runtime,
    Memory,
    Timeout,
    Invocations,
    Errors,
    ErrorRate,
    Throttles,
    P50,
    P95,
    P99,
    Concurrency,
    /// Iterator age (stream sources) or async event age, whichever the function has.
    Age,
    ColdRate,
    Cost,
}

const fn col(label: &'static str, width: usize, min_pane_width: u16, right: bool) -> Column {
    Column {
        label,
        width,
        min_pane_width,
        right_aligned: right,
    }
}

/// The columns, in order, with when they are shown.
pub const COLUMNS: [(ColumnKind, Column); 14] = [
    (ColumnKind::Runtime, col("RUNTIME", 11, 150, false)),
    (ColumnKind::Memory, col("MEM", 5, 120, true)),
    (ColumnKind::Timeout, col("TMOUT", 5, 130, true)),
    (ColumnKind::Invocations, col("CALLS", 7, 0, true)),
    (ColumnKind::Errors, col("ERR", 5, 0, true)),
    (ColumnKind::ErrorRate, col("ERR%", 6, 0, true)),
    (ColumnKind::Throttles, col("THR", 4, 100, true)),
    (ColumnKind::P50, col("P50", 7, 110, true)),
    (ColumnKind::P95, col("P95", 7, 120, true)),
    (ColumnKind::P99, col("P99", 7, 0, true)),
    (ColumnKind::Concurrency, col("CONC", 5, 140, true)),
    (ColumnKind::Age, col("AGE", 6, 160, true)),
    (ColumnKind::ColdRate, col("COLD%", 6, 100, true)),
    (ColumnKind::Cost, col("COST", 8, 130, true)),
];

/// The views' column list (a const, so props borrow it for free).
pub const VIEW_COLUMNS: [Column; COLUMNS.len()] = {
    let mut out = [col("", 0, 0, false); COLUMNS.len()];
    let mut i = 0;
    while i < COLUMNS.len() {
        out[i] = COLUMNS[i].1;
        i += 1;
    }
    out
};

/// An error rate this high marks a row (a stray error in thousands does not).
pub const TROUBLE_ERROR_RATE: f64 = 0.01;

/// Errors (at least [`TROUBLE_ERROR_RATE`] of the calls), throttles, or a p99 within
/// [`NEAR_TIMEOUT`] of the timeout.
pub fn in_trouble(row: &FunctionRow) -> bool {
    let m = &row.metrics;
    let timeout_ms = f64::from(row.config.timeout_s) * 1000.0;
    m.error_rate().is_some_and(|r| r >= TROUBLE_ERROR_RATE)
        || m.throttles > 0.0
        || m.duration
            .p99
            .is_some_and(|p99| timeout_ms > 0.0 && p99 >= NEAR_TIMEOUT * timeout_ms)
}

/// "412ms", "2.4s", "–".
pub fn millis(value: Option<f64>) -> String {
    match value {
        None => "–".into(),
        Some(ms) if ms >= 10_000.0 => format!("{:.0}s", ms / 1000.0),
        Some(ms) if ms >= 1_000.0 => format!("{:.1}s", ms / 1000.0),
        Some(ms) => format!("{ms:.0}ms"),
    }
}

pub fn percent(value: Option<f64>) -> String {
    match value {
        None => "–".into(),
        Some(v) if v > 0.0 && v < 0.001 => "<0.1%".into(),
        Some(v) => format!("{:.1}%", v * 100.0),
    }
}

pub fn dollars(value: f64) -> String {
    if value == 0.0 {
        "$0".into()
    } else if value < 0.01 {
        format!("${value:.4}")
    } else {
        format!("${value:.2}")
    }
}

/// The cell of `kind` for `row`.
pub fn cell(kind: ColumnKind, row: &FunctionRow, cold: Option<&ColdStarts>) -> String {
    let m = &row.metrics;
    let c = &row.config;
    match kind {
        ColumnKind::Runtime => c.runtime.clone(),
        ColumnKind::Memory => c.memory_mb.to_string(),
        ColumnKind::Timeout => format!("{}s", c.timeout_s),
        ColumnKind::Invocations => unstuck_views::functions::compact(m.invocations),
        ColumnKind::Errors => unstuck_views::functions::compact(m.errors),
        ColumnKind::ErrorRate => percent(m.error_rate()),
        ColumnKind::Throttles => unstuck_views::functions::compact(m.throttles),
        ColumnKind::P50 => millis(m.duration.p50),
        ColumnKind::P95 => millis(m.duration.p95),
        ColumnKind::P99 => millis(m.duration.p99),
        ColumnKind::Concurrency => m
            .max_concurrency
            .map(unstuck_views::functions::compact)
            .unwrap_or_else(|| "–".into()),
        ColumnKind::Age => millis(m.iterator_age_ms.or(m.async_event_age_ms)),
        ColumnKind::ColdRate => percent(cold.and_then(ColdStarts::rate)),
        ColumnKind::Cost => dollars(estimated_cost(c, m)),
    }
}

/// A number to sort `kind` by (None sorts last either way).
fn sort_value(kind: ColumnKind, row: &FunctionRow, cold: Option<&ColdStarts>) -> Option<f64> {
    let m = &row.metrics;
    Some(match kind {
        ColumnKind::Runtime => return None,
        ColumnKind::Memory => f64::from(row.config.memory_mb),
        ColumnKind::Timeout => f64::from(row.config.timeout_s),
        ColumnKind::Invocations => m.invocations,
        ColumnKind::Errors => m.errors,
        ColumnKind::ErrorRate => m.error_rate()?,
        ColumnKind::Throttles => m.throttles,
        ColumnKind::P50 => m.duration.p50?,
        ColumnKind::P95 => m.duration.p95?,
        ColumnKind::P99 => m.duration.p99?,
        ColumnKind::Concurrency => m.max_concurrency?,
        ColumnKind::Age => m.iterator_age_ms.or(m.async_event_age_ms)?,
        ColumnKind::ColdRate => cold.and_then(ColdStarts::rate)?,
        ColumnKind::Cost => estimated_cost(&row.config, m),
    })
}

/// Order two rows by sort key `key` (0 = name, i = column i-1); ties by name.
pub fn compare(
    key: usize,
    descending: bool,
    (a, a_cold): (&FunctionRow, Option<&ColdStarts>),
    (b, b_cold): (&FunctionRow, Option<&ColdStarts>),
) -> Ordering {
    let by_name = a.config.name.cmp(&b.config.name);
    let Some((kind, _)) = key.checked_sub(1).and_then(|i| COLUMNS.get(i)) else {
        return if descending {
            by_name.reverse()
        } else {
            by_name
        };
    };
    if *kind == ColumnKind::Runtime {
        let order = a.config.runtime.cmp(&b.config.runtime);
        return if descending { order.reverse() } else { order }.then(by_name);
    }
    let order = match (sort_value(*kind, a, a_cold), sort_value(*kind, b, b_cold)) {
        (Some(x), Some(y)) => {
            let o = x.total_cmp(&y);
            if descending { o.reverse() } else { o }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    order.then(by_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unstuck_aws::model::functions::{FunctionConfig, FunctionMetrics, Percentiles};

    fn row(name: &str, errors: f64, p99: Option<f64>) -> FunctionRow {
        FunctionRow {
            config: FunctionConfig {
                name: name.into(),
                timeout_s: 3,
                memory_mb: 128,
                ..FunctionConfig::default()
            },
            metrics: FunctionMetrics {
                invocations: 100.0,
                errors,
                duration: Percentiles {
                    p99,
                    ..Percentiles::default()
                },
                ..FunctionMetrics::default()
            },
        }
    }

    #[test]
    fn trouble_is_errors_throttles_or_a_p99_near_the_timeout() {
        assert!(in_trouble(&row("a", 1.0, None)));
        assert!(in_trouble(&row("a", 0.0, Some(2_500.0))));
        assert!(!in_trouble(&row("a", 0.0, Some(2_000.0))));
    }

    #[test]
    fn rows_sort_by_any_column_with_missing_values_last() {
        let rows = [
            row("b", 5.0, Some(10.0)),
            row("a", 5.0, None),
            row("c", 0.0, Some(90.0)),
        ];
        let p99 = 1 + COLUMNS
            .iter()
            .position(|(k, _)| *k == ColumnKind::P99)
            .unwrap_or(0);
        let errors = 1 + COLUMNS
            .iter()
            .position(|(k, _)| *k == ColumnKind::Errors)
            .unwrap_or(0);
        let order = |key: usize, desc: bool| {
            let mut sorted: Vec<&FunctionRow> = rows.iter().collect();
            sorted.sort_by(|x, y| compare(key, desc, (x, None), (y, None)));
            sorted
                .iter()
                .map(|r| r.config.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(order(p99, true), ["c", "b", "a"]);
        assert_eq!(order(p99, false), ["b", "c", "a"]);
        assert_eq!(order(errors, true), ["a", "b", "c"]);
        assert_eq!(order(0, false), ["a", "b", "c"]);
        assert_eq!(millis(Some(2_450.0)), "2.5s");
        assert_eq!(percent(Some(0.0512)), "5.1%");
    }
}
