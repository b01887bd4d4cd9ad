//! The overview's function health at a cost that does not grow with the account.
//!
//! GetMetricData bills every metric requested ($0.01 per 1,000): 4 metrics of every function
//! every 5 minutes cost $0.48 an hour at 1,000 functions. So the functions are read one by
//! one at most [`PER_FUNCTION_METRICS_PER_HOUR`] metrics an hour: at every 5-minute poll up
//! to 62 functions, every 85 minutes at 1,000. Between those reads each poll reads the
//! account's own totals (AWS/Lambda Invocations, Errors and Throttles without a dimension:
//! 3 metrics), and when the account's errors or throttles rise above their baseline every
//! function is read at once, and at every poll while they stay up: the cost follows the
//! trouble, not the size of the account.

use std::sync::Mutex;

use super::functions::functions_table;
use super::{Backends, Pace, fetch_metrics};
use crate::model::BackendError;
use crate::model::baseline::count_rose;
use crate::model::functions::{FUNCTION_HEALTH_METRICS, FunctionsTable, MetricWindow};
use crate::model::metrics::{MetricQuery, Stat};

/// The per-function reads' share of the overview's $0.05/h goal: $0.03 an hour.
pub const PER_FUNCTION_METRICS_PER_HOUR: f64 = 3_000.0;
/// The health topic's poll.
pub const HEALTH_POLL_MS: i64 = 5 * 60_000;
/// The account's totals read between per-function reads.
pub const ACCOUNT_TOTALS: [(&str, &str, Stat); 3] = [
    ("acct_inv", "Invocations", Stat::Sum),
    ("acct_err", "Errors", Stat::Sum),
    ("acct_thr", "Throttles", Stat::Sum),
];
/// Polls drift by a few seconds: a read this close to due is due.
const DUE_SLACK_MS: i64 = 30_000;

/// The last per-function read and when it was made.
#[derive(Debug, Default)]
pub struct FunctionHealthCache {
    last: Mutex<Option<(FunctionsTable, i64)>>,
}

/// Why a poll reads every function one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerFunctionRead {
    /// Nothing read yet.
    First,
    /// Its interval has passed.
    Due,
    /// The account's errors or throttles rose above their baseline.
    AccountRose,
}

/// How often every function is read one by one: at every poll while that costs at most
/// [`PER_FUNCTION_METRICS_PER_HOUR`], else every so many polls.
pub fn per_function_every_ms(functions: usize) -> i64 {
    let metrics = (functions * FUNCTION_HEALTH_METRICS.len() + 1) as f64;
    let minutes = (metrics * 60.0 / PER_FUNCTION_METRICS_PER_HOUR).ceil() as i64;
    let polls = (minutes * 60_000 + HEALTH_POLL_MS - 1) / HEALTH_POLL_MS;
    polls.max(1) * HEALTH_POLL_MS
}

/// Whether this poll reads every function: `last_ms` the last such read, `account_rose`
/// what the account's totals say (None: not read, as when every poll reads all anyway).
pub fn per_function_read(
    last_ms: Option<i64>,
    now_ms: i64,
    every_ms: i64,
    account_rose: Option<bool>,
) -> Option<PerFunctionRead> {
    let Some(last_ms) = last_ms else {
        return Some(PerFunctionRead::First);
    };
    if now_ms - last_ms >= every_ms - DUE_SLACK_MS {
        return Some(PerFunctionRead::Due);
    }
    account_rose
        .unwrap_or(false)
        .then_some(PerFunctionRead::AccountRose)
}

/// The overview's health of every function over `window`, read one by one when due (see
/// the module's text), else the last such read with the time it was made.
pub async fn function_health(
    backends: &Backends,
    window: MetricWindow,
    pace: &dyn Pace,
) -> Result<FunctionsTable, BackendError> {
    let list = backends.function_list.get(backends, pace).await?;
    let now_ms = backends.clock.now_ms();
    let every_ms = per_function_every_ms(list.functions.len());
    // A small account is read at every poll and every refresh; a read of another window,
    // or of a list since changed (a deploy), does not stand.
    let last = backends
        .function_health
        .last
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone()
        .filter(|(table, _)| {
            every_ms > HEALTH_POLL_MS
                && table.window == window
                && table.rows.len() == list.functions.len()
                && table
                    .rows
                    .iter()
                    .zip(&list.functions)
                    .all(|(row, f)| row.config.name == f.name)
        });
    let mut checked = None;
    if let Some((_, at_ms)) = &last
        && per_function_read(Some(*at_ms), now_ms, every_ms, None).is_none()
    {
        pace.before_call().await;
        checked = Some(account_totals(backends, window, pace).await?);
    }
    let last_ms = last.as_ref().map(|(_, at)| *at);
    let rose = checked.as_ref().map(|(rose, _)| *rose);
    match (per_function_read(last_ms, now_ms, every_ms, rose), last) {
        (None, Some((mut table, at_ms))) => {
            table.rows_read_at_ms = Some(at_ms);
            table.metrics_requested = checked.map_or(0, |(_, metrics)| metrics);
            Ok(table)
        }
        _ => {
            let table = functions_table(backends, window, &FUNCTION_HEALTH_METRICS, pace).await?;
            *backends
                .function_health
                .last
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some((table.clone(), now_ms));
            Ok(table)
        }
    }
}

/// Whether the account's errors or throttles rose above their baseline over `window`, and
/// the metrics that cost.
async fn account_totals(
    backends: &Backends,
    window: MetricWindow,
    pace: &dyn Pace,
) -> Result<(bool, usize), BackendError> {
    let period = window.period_s();
    let queries: Vec<MetricQuery> = ACCOUNT_TOTALS
        .iter()
        .map(|(id, metric, stat)| MetricQuery::new(*id, "AWS/Lambda", metric, *stat).period(period))
        .collect();
    let range_ms = window.range(backends.clock.now_ms());
    let results = fetch_metrics(
        backends.metrics.as_ref(),
        &backends.calls,
        &queries,
        range_ms,
        pace,
    )
    .await?;
    let period_ms = i64::from(period) * 1000;
    let rose = |id: &str| {
        let series = results
            .get(id)
            .map(|s| s.dense(range_ms.0, period_ms, window.points()))
            .unwrap_or_default();
        count_rose(&series, range_ms.1, period_ms)
    };
    Ok((
        rose("acct_err") || rose("acct_thr"),
        results.metrics_requested,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_accounts_are_read_at_every_poll_large_ones_within_the_metric_cap() {
        assert_eq!(per_function_every_ms(18), HEALTH_POLL_MS);
        assert_eq!(per_function_every_ms(62), HEALTH_POLL_MS);
        assert_eq!(per_function_every_ms(63), 2 * HEALTH_POLL_MS);
        // 4,001 metrics at most 3,000 an hour: every 81 minutes, so every 85 (17 polls).
        assert_eq!(per_function_every_ms(1_000), 17 * HEALTH_POLL_MS);
        let per_hour = 4_001.0 * 3_600_000.0 / per_function_every_ms(1_000) as f64;
        assert!(per_hour <= PER_FUNCTION_METRICS_PER_HOUR, "{per_hour}");
    }

    #[test]
    fn a_read_is_due_first_on_time_or_when_the_account_rises() {
        let every = 17 * HEALTH_POLL_MS;
        assert_eq!(
            per_function_read(None, 0, every, None),
            Some(PerFunctionRead::First)
        );
        assert_eq!(
            per_function_read(Some(0), HEALTH_POLL_MS, every, Some(false)),
            None
        );
        assert_eq!(
            per_function_read(Some(0), HEALTH_POLL_MS, every, Some(true)),
            Some(PerFunctionRead::AccountRose)
        );
        // A poll a few seconds early is on time.
        assert_eq!(
            per_function_read(Some(0), every - 5_000, every, Some(false)),
            Some(PerFunctionRead::Due)
        );
    }
}
