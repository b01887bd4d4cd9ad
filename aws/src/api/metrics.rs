//! CloudWatch metrics: one read, GetMetricData, shared by the functions, signals and
//! overview topics. [`fetch_metrics`] cuts any number of queries into calls of
//! [`MAX_METRICS_PER_CALL`], so a refresh of 1,000 functions is 20 calls, not 10,000.

use async_trait::async_trait;

use super::execution_reader::Pace;
use crate::model::BackendError;
use crate::model::metrics::{MAX_METRICS_PER_CALL, MetricQuery, MetricResults, MetricSeries, Stat};

/// CloudWatch GetMetricData.
#[async_trait]
pub trait Metrics: Send + Sync {
    /// At most [`MAX_METRICS_PER_CALL`] queries over `[start_ms, end_ms)`: one series per
    /// query, in any order, found by id (every page of the answer).
    async fn get_metric_data(
        &self,
        queries: &[MetricQuery],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<MetricSeries>, BackendError>;
}

/// Every query, in calls of at most [`MAX_METRICS_PER_CALL`]; `pace` before each call
/// after the first.
pub async fn fetch_metrics(
    metrics: &dyn Metrics,
    calls: &crate::model::ApiCalls,
    queries: &[MetricQuery],
    range_ms: (i64, i64),
    pace: &dyn Pace,
) -> Result<MetricResults, BackendError> {
    let mut out = MetricResults {
        metrics_requested: queries.len(),
        ..MetricResults::default()
    };
    for (i, chunk) in queries.chunks(MAX_METRICS_PER_CALL).enumerate() {
        if i > 0 {
            pace.before_call().await;
        }
        out.calls += 1;
        calls.bill_metrics(chunk.len());
        let answer = match metrics.get_metric_data(chunk, range_ms.0, range_ms.1).await {
            Err(e) if refuses_percentiles(&e) && chunk.iter().any(is_percentile) => {
                // An endpoint without percentiles (LocalStack answers HTTP 500 'p50'): the
                // rest of the table is still worth a second call.
                let rest: Vec<MetricQuery> = chunk
                    .iter()
                    .filter(|q| !is_percentile(q))
                    .cloned()
                    .collect();
                if rest.is_empty() {
                    return Err(e);
                }
                pace.before_call().await;
                out.calls += 1;
                calls.bill_metrics(rest.len());
                let answer = metrics
                    .get_metric_data(&rest, range_ms.0, range_ms.1)
                    .await
                    .map_err(|_| e.clone())?;
                out.percentiles_refused = Some(e.to_string());
                answer
            }
            answer => answer?,
        };
        for series in answer {
            out.series.insert(series.id.clone(), series);
        }
    }
    Ok(out)
}

fn is_percentile(query: &MetricQuery) -> bool {
    matches!(query.stat, Stat::Percentile(_))
}

/// An answer that says the request itself failed (not throttling, credentials, the network
/// or a timeout): what an endpoint that computes no percentiles gives.
fn refuses_percentiles(e: &BackendError) -> bool {
    matches!(
        e,
        BackendError::Other(_) | BackendError::InvalidInput(_) | BackendError::Unavailable(_)
    )
}
