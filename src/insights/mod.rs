//! Running one Logs Insights query: a pure plan of when to ask for results and what to do
//! about an error ([`PollPlan`]), and the thin async loop that follows it ([`run_query`]):
//! StartQuery, then GetQueryResults until the query ends, reporting every answer; cancelled,
//! it stops the query in AWS too (a query left running is still billed).

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use unstuck_aws::api::LogsInsights;
use unstuck_aws::model::{ApiCalls, BackendError, InsightsQuery, QueryResults};

/// One query the insights pane asked for (`job` tells its reports apart from an older one's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightsJob {
    pub job: u64,
    pub query: InsightsQuery,
}

/// What the running query reports.
#[derive(Debug, Clone, PartialEq)]
pub enum InsightsUpdate {
    /// StartQuery answered with this id.
    Started(String),
    /// A GetQueryResults answer (the last one has a final status).
    Results(QueryResults),
    /// It could not start, or its results could not be read: the query is over.
    Failed(BackendError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct InsightsReport {
    pub job: u64,
    pub update: InsightsUpdate,
}

/// GetQueryResults is allowed 5 calls/s per account; a long query is asked less often.
const FIRST_POLL: Duration = Duration::from_millis(500);
const STEADY_POLL: Duration = Duration::from_secs(1);
const SLOW_POLL: Duration = Duration::from_secs(2);
const POLLS_BEFORE_SLOW: u32 = 10;
/// Retryable errors in a row before the query is given up on (and stopped).
const MAX_ERRORS_IN_A_ROW: u32 = 5;

/// When to ask next, and whether an error ends the query. No IO, no clock.
#[derive(Debug, Clone, Default)]
pub struct PollPlan {
    polls: u32,
    errors_in_a_row: u32,
}

impl PollPlan {
    /// The wait before the next GetQueryResults.
    pub fn next_wait(&mut self) -> Duration {
        self.polls += 1;
        match self.polls {
            1 => FIRST_POLL,
            n if n <= POLLS_BEFORE_SLOW => STEADY_POLL,
            _ => SLOW_POLL,
        }
    }

    pub fn answered(&mut self) {
        self.errors_in_a_row = 0;
    }

    /// An error of GetQueryResults: `Some(wait)` to try again, `None` to give up.
    pub fn failed(&mut self, error: &BackendError) -> Option<Duration> {
        self.errors_in_a_row += 1;
        if !error.is_retryable() || self.errors_in_a_row >= MAX_ERRORS_IN_A_ROW {
            return None;
        }
        let backoff = SLOW_POLL * 2u32.saturating_pow(self.errors_in_a_row - 1);
        Some(error.retry_after().unwrap_or(backoff).max(SLOW_POLL))
    }
}

/// Where a running query's reports go: a channel, how to wrap a report for it, and the
/// app's usage counters, which the scan of a query that ended (completed, stopped, failed
/// in AWS) is billed to.
pub struct Reporter<T, F> {
    pub tx: tokio::sync::mpsc::Sender<T>,
    pub wrap: F,
    pub calls: Arc<ApiCalls>,
}

impl<T: Send, F: Fn(InsightsReport) -> T + Send + Sync> Reporter<T, F> {
    async fn send(&self, job: u64, update: InsightsUpdate) {
        if let InsightsUpdate::Results(results) = &update
            && results.status.is_final()
        {
            self.calls
                .bill_insights_bytes(results.statistics.bytes_scanned);
        }
        let _ = self
            .tx
            .send((self.wrap)(InsightsReport { job, update }))
            .await;
    }
}

/// Runs `job` to its end (or until `cancel`), reporting every update.
pub async fn run_query<T: Send, F: Fn(InsightsReport) -> T + Send + Sync>(
    api: Arc<dyn LogsInsights>,
    job: InsightsJob,
    cancel: CancellationToken,
    reporter: Reporter<T, F>,
) {
    let n = job.job;
    let started = tokio::select! {
        () = cancel.cancelled() => return,
        started = api.start_query(&job.query) => started,
    };
    let id = match started {
        Ok(id) => id,
        Err(error) => return reporter.send(n, InsightsUpdate::Failed(error)).await,
    };
    reporter.send(n, InsightsUpdate::Started(id.clone())).await;
    let mut plan = PollPlan::default();
    let mut wait = plan.next_wait();
    loop {
        tokio::select! {
            () = cancel.cancelled() => {
                if let Some(update) = stop(api.as_ref(), &id).await {
                    reporter.send(n, update).await;
                }
                return;
            }
            () = tokio::time::sleep(wait) => {}
        }
        match api.query_results(&id).await {
            Ok(results) => {
                plan.answered();
                let done = results.status.is_final();
                reporter.send(n, InsightsUpdate::Results(results)).await;
                if done {
                    return;
                }
                wait = plan.next_wait();
            }
            Err(error) => match plan.failed(&error) {
                Some(backoff) => wait = backoff,
                None => {
                    let _ = api.stop_query(&id).await;
                    return reporter.send(n, InsightsUpdate::Failed(error)).await;
                }
            },
        }
    }
}

/// Stops the query; what it ended as (AWS keeps what it found before the stop).
async fn stop(api: &dyn LogsInsights, id: &str) -> Option<InsightsUpdate> {
    let limit = Duration::from_secs(10);
    if let Ok(Err(error)) = tokio::time::timeout(limit, api.stop_query(id)).await {
        return Some(InsightsUpdate::Failed(error));
    }
    match tokio::time::timeout(limit, api.query_results(id)).await {
        Ok(Ok(results)) => Some(InsightsUpdate::Results(results)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_quickly_at_first_then_less_often() {
        let mut plan = PollPlan::default();
        let waits: Vec<Duration> = (0..12).map(|_| plan.next_wait()).collect();
        assert_eq!(waits[0], FIRST_POLL);
        assert_eq!(waits[1], STEADY_POLL);
        assert_eq!(waits[9], STEADY_POLL);
        assert_eq!(waits[10], SLOW_POLL);
    }

    #[test]
    fn retryable_errors_back_off_then_give_up_and_others_end_it_at_once() {
        let mut plan = PollPlan::default();
        let throttled = BackendError::Throttled {
            retry_after: None,
            message: "Rate exceeded".into(),
        };
        assert_eq!(plan.failed(&throttled), Some(Duration::from_secs(2)));
        assert_eq!(plan.failed(&throttled), Some(Duration::from_secs(4)));
        plan.answered();
        assert_eq!(plan.failed(&throttled), Some(Duration::from_secs(2)));
        for _ in 0..3 {
            plan.failed(&throttled);
        }
        assert_eq!(plan.failed(&throttled), None);
        let mut plan = PollPlan::default();
        assert_eq!(plan.failed(&BackendError::NotFound("query".into())), None);
    }
}
