//! The demo world's metrics, alarms, canaries and RUM app monitor: what CloudWatch,
//! Synthetics and RUM would say about the same app whose logs, queues and executions the
//! world writes, so the overview tells one story.
//!
//! - Every invocation the generator writes is a datapoint of `AWS/Lambda` (Invocations,
//!   Errors, Throttles, Duration, ConcurrentExecutions, AsyncEventAge).
//! - Each minute, once it is over, the queues' depths and ages (`AWS/SQS`), the account's
//!   claimed concurrency and the RUM monitor's page loads, sessions and errors (`AWS/RUM`,
//!   JS errors rising with the refund failures) are published.
//! - Before the logs' history the functions have a day of metrics drawn from their
//!   traffic profiles (made when first asked for), with the incident (the refund function
//!   failing) starting [`INCIDENT_BEFORE_HISTORY_MS`] before the logs begin.

mod alarms;
mod backend;
mod canaries;
mod history;
mod rum;
mod store;

use fastrand::Rng;

use super::catalogue::{FUNCTIONS, FunctionSpec, Trigger};
use super::queues::QueueBook;
pub use store::{MetricStore, key};

/// The refund function started failing this long before the logs' history begins.
pub const INCIDENT_BEFORE_HISTORY_MS: i64 = 25 * 60 * 1000;
/// The function whose failures are the incident.
pub const INCIDENT_FUNCTION: &str = "tax-calculate-refund";
/// The account's concurrent executions limit in the demo.
pub const DEMO_CONCURRENCY_LIMIT: u32 = 1_000;

/// One invocation, as `AWS/Lambda` counts it.
#[derive(Debug, Clone, Copy)]
pub struct InvocationPoint {
    pub at_ms: i64,
    pub duration_ms: f64,
    pub failed: bool,
    /// Arrived while every environment was busy (at its reserved concurrency).
    pub throttled: bool,
    /// Environments busy as it started.
    pub concurrency: usize,
}

/// The metrics side of the world.
#[derive(Debug)]
pub struct SimSignals {
    pub store: MetricStore,
    seed: u64,
    /// Logs (and live metrics) start here; None for the empty world.
    history_start_ms: Option<i64>,
    history_made: bool,
    /// Minutes before this are published (queues, account, RUM).
    sampled_until_ms: i64,
    rng: Rng,
}

impl SimSignals {
    pub fn new(seed: u64, history_start_ms: Option<i64>) -> Self {
        Self {
            store: MetricStore::default(),
            seed,
            history_start_ms,
            history_made: false,
            sampled_until_ms: history_start_ms.unwrap_or(i64::MAX),
            rng: Rng::with_seed(seed ^ 0x4d45_5452),
        }
    }

    /// When the incident began (None for the empty world).
    pub fn incident_start_ms(&self) -> Option<i64> {
        self.history_start_ms
            .map(|h| h - INCIDENT_BEFORE_HISTORY_MS)
    }

    pub fn record_invocation(&mut self, spec: &FunctionSpec, point: InvocationPoint) {
        let dims = [("FunctionName", spec.name)];
        let at = point.at_ms;
        let store = &mut self.store;
        store.put(&key("AWS/Lambda", "Invocations", &dims), at, 1.0, false);
        let failed = if point.failed { 1.0 } else { 0.0 };
        store.put(&key("AWS/Lambda", "Errors", &dims), at, failed, false);
        let throttled = if point.throttled { 1.0 } else { 0.0 };
        store.put(&key("AWS/Lambda", "Throttles", &dims), at, throttled, false);
        store.put(
            &key("AWS/Lambda", "Duration", &dims),
            at,
            point.duration_ms,
            true,
        );
        let concurrency = point.concurrency as f64;
        store.put(
            &key("AWS/Lambda", "ConcurrentExecutions", &dims),
            at,
            concurrency,
            false,
        );
        if matches!(spec.trigger, Trigger::EventBridgeRule { .. }) {
            let age = 40.0 + 400.0 * self.rng.f64();
            store.put(&key("AWS/Lambda", "AsyncEventAge", &dims), at, age, false);
        }
    }

    /// Publishes every whole minute before `now_ms` not yet published.
    pub fn sample(&mut self, now_ms: i64, queues: &QueueBook) {
        while self.sampled_until_ms + 60_000 <= now_ms {
            let minute = self.sampled_until_ms;
            let end = minute + 60_000;
            for queue in &queues.queues {
                let dims = [("QueueName", queue.name.as_str())];
                let visible = queue
                    .messages
                    .iter()
                    .filter(|m| m.visible_at_ms <= end)
                    .count();
                let oldest = queue.messages.iter().map(|m| m.sent_ms).min();
                let k = key("AWS/SQS", "ApproximateNumberOfMessagesVisible", &dims);
                self.store.put(&k, minute, visible as f64, false);
                let k = key("AWS/SQS", "ApproximateAgeOfOldestMessage", &dims);
                let age_s = oldest.map_or(0.0, |sent| ((end - sent) / 1000).max(0) as f64);
                self.store.put(&k, minute, age_s, false);
            }
            let claimed: f64 = FUNCTIONS
                .iter()
                .map(|f| {
                    let q = crate::model::metrics::MetricQuery::new(
                        "c",
                        "AWS/Lambda",
                        "ConcurrentExecutions",
                        crate::model::metrics::Stat::Maximum,
                    )
                    .dimension("FunctionName", f.name);
                    self.store.series(&q, minute, end).max().unwrap_or(0.0)
                })
                .sum();
            let k = key("AWS/Lambda", "ClaimedAccountConcurrency", &[]);
            self.store.put(&k, minute, claimed, false);
            let refund_errors = self.errors_in(INCIDENT_FUNCTION, minute);
            rum::publish_minute(&mut self.store, &mut self.rng, minute, refund_errors);
            self.sampled_until_ms = end;
        }
    }

    fn errors_in(&self, function: &str, minute: i64) -> f64 {
        let q = crate::model::metrics::MetricQuery::new(
            "e",
            "AWS/Lambda",
            "Errors",
            crate::model::metrics::Stat::Sum,
        )
        .dimension("FunctionName", function);
        self.store.series(&q, minute, minute + 60_000).sum()
    }

    /// The day of metrics before the logs' history, made once, when first asked for.
    pub fn ensure_history(&mut self) {
        if self.history_made {
            return;
        }
        self.history_made = true;
        if let Some(start) = self.history_start_ms {
            history::generate(
                &mut self.store,
                self.seed,
                start,
                start - INCIDENT_BEFORE_HISTORY_MS,
            );
        }
    }
}
