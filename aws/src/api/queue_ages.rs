//! The age of the oldest message of each queue holding messages: CloudWatch's
//! `AWS/SQS ApproximateAgeOfOldestMessage` (SQS's own attributes do not say it). Read only for
//! queues with messages, at most [`MAX_QUEUES_AGED`] (one GetMetricData call), every
//! [`AGES_EVERY`]: for 50 busy queues, 600 metrics an hour ($0.006/h).

use std::collections::BTreeMap;
use std::time::Duration;

use super::Backends;
use super::execution_reader::Pace;
use super::metrics::fetch_metrics;
use crate::model::BackendError;
use crate::model::metrics::{MAX_METRICS_PER_CALL, MetricQuery, Stat};

/// Queues whose age is read at most (the rest show none).
pub const MAX_QUEUES_AGED: usize = MAX_METRICS_PER_CALL;
/// How often the ages are read (SQS publishes them every minute).
pub const AGES_EVERY: Duration = Duration::from_secs(300);
/// How far back the newest point is looked for.
const LOOK_BACK_MS: i64 = 15 * 60_000;

/// Seconds since the oldest message of each of `names` was sent, by queue name, from the
/// newest minute CloudWatch has; a queue with no point in the last 15 minutes is absent.
pub async fn oldest_ages(
    backends: &Backends,
    names: &[String],
    pace: &dyn Pace,
) -> Result<BTreeMap<String, f64>, BackendError> {
    let names = &names[..names.len().min(MAX_QUEUES_AGED)];
    if names.is_empty() {
        return Ok(BTreeMap::new());
    }
    let queries: Vec<MetricQuery> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            MetricQuery::new(
                format!("q{i}"),
                "AWS/SQS",
                "ApproximateAgeOfOldestMessage",
                Stat::Maximum,
            )
            .dimension("QueueName", name)
            .period(60)
        })
        .collect();
    let now_ms = backends.clock.now_ms();
    let results = fetch_metrics(
        backends.metrics.as_ref(),
        &backends.calls,
        &queries,
        (now_ms - LOOK_BACK_MS, now_ms),
        pace,
    )
    .await?;
    Ok(names
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let series = results.get(&format!("q{i}"))?;
            let newest = series.points.iter().max_by_key(|(at, _)| *at)?;
            Some((name.clone(), newest.1))
        })
        .collect())
}
